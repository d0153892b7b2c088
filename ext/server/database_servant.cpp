// The database server's device under the CORBA object key "database": cppTango's clients reach
// a database at corbaloc:iiop:HOST:PORT/database, never through a database of their own. A
// server without a database (-nodb, as a database server runs) activates each device in
// omniORB's INS POA under its device name; this moves the DataBase device to the key "database"
// (as cppTango's own DataBaseds exports it: "named servant"), so that the same servant answers
// there and its exported IOR names that key.
#include "pytango.hpp"
#include "server/device.hpp"

namespace pt {

namespace {

std::string ior_of(Tango::DeviceImpl &dev) {
    CORBA::ORB_var orb = Tango::Util::instance()->get_orb();
    Tango::Device_var d = dev.get_d_var();
    CORBA::String_var ior = orb->object_to_string(d.in());
    return std::string(ior.in());
}

std::string export_as_named_servant(DeviceHandle &h, const std::string &key) {
    Tango::DeviceImpl &dev = h.get();
    if (Tango::Util::_UseDb) {
        Tango::Except::throw_exception("API_NotSupported",
                                       "a named servant needs a server run without a database (-nodb)",
                                       "export_as_named_servant");
    }
    without_gil([&] {
        try {
            CORBA::ORB_var orb = Tango::Util::instance()->get_orb();
            CORBA::Object_var ins = orb->resolve_initial_references("omniINSPOA");
            PortableServer::POA_var poa = PortableServer::POA::_narrow(ins.in());
            // The POA drops its reference to the servant on deactivation: one more keeps
            // cppTango's device alive through the move, and is given back once the POA holds
            // it under its new id (a servant left with an extra reference is never destroyed:
            // cppTango's shutdown then waits for it forever, and SIGTERM never ends the server).
            dev._add_ref();
            // The INS POA holds one id per servant: the device leaves its name-keyed id first.
            if (dev.get_exported_flag()) {
                PortableServer::ObjectId_var old = poa->servant_to_id(&dev);
                poa->deactivate_object(old.in());
            }
            PortableServer::ObjectId_var id = PortableServer::string_to_ObjectId(key.c_str());
            poa->activate_object_with_id(id.in(), &dev);
            dev._remove_ref();
            CORBA::Object_var obj = poa->id_to_reference(id.in());
            dev.set_d_var(Tango::Device::_narrow(obj.in()));
            dev.set_obj_id(id);
            dev.set_exported_flag(true);
        } catch (CORBA::Exception &e) {
            Tango::Except::throw_exception("PyDs_NamedServantFailed",
                                           std::string("the device could not be served as '") + key +
                                               "': CORBA exception " + e._name(),
                                           "export_as_named_servant");
        }
    });
    return without_gil([&] { return ior_of(dev); });
}

// The IOR of a device of this server (as DbExportDevice stores it), by name.
std::string device_ior(const std::string &name) {
    return without_gil([&] { return ior_of(*Tango::Util::instance()->get_device_by_name(name)); });
}

} // namespace

void register_database_servant(py::module_ &m) {
    m.def("_export_as_named_servant", &export_as_named_servant, py::arg("device"), py::arg("key"),
          "Serve a device of a -nodb server under the CORBA object key 'key' instead of its name; "
          "returns its new IOR.");
    m.def("_device_ior", &device_ior, py::arg("name"), "The IOR of a device of this server.");
}

} // namespace pt
