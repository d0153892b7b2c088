// Connection: what every client of a Tango device shares (DeviceProxy, Database), bound once on
// cppTango's own base class. Python's method lookup finds these through the subclasses.
#include "pytango.hpp"
#include "gil.hpp"
#include "client/connection.hpp"

namespace pt {

void register_connection(py::module_ &m) {
    using C = Tango::Connection;
    py::class_<C>(m, "Connection", "What DeviceProxy and Database share: timeouts, source, "
                                   "reconnection, access control, where the device and its database are.")
        .def("dev_name", [](C &c) { return c.dev_name(); })
        .def("get_idl_version", [](C &c) { return c.get_idl_version(); })
        .def("get_timeout_millis", [](C &c) { return c.get_timeout_millis(); })
        .def("set_timeout_millis", [](C &c, int ms) { without_gil([&] { c.set_timeout_millis(ms); }); },
             py::arg("timeout"))
        .def("get_source", [](C &c) { return c.get_source(); })
        .def("set_source", [](C &c, Tango::DevSource s) { c.set_source(s); }, py::arg("source"))
        .def("get_transparency_reconnection", [](C &c) { return c.get_transparency_reconnection(); })
        .def("set_transparency_reconnection", [](C &c, bool v) { c.set_transparency_reconnection(v); },
             py::arg("yesno"))
        .def("get_access_control", [](C &c) { return c.get_access_control(); })
        .def("set_access_control", [](C &c, Tango::AccessControlType a) { c.set_access_control(a); },
             py::arg("acc"))
        .def("get_access_right", [](C &c) { return c.get_access_right(); })
        .def("is_dbase_used", [](C &c) { return c.is_dbase_used(); })
        .def("get_dev_host", [](C &c) { return c.get_dev_host(); })
        .def("get_dev_port", [](C &c) { return c.get_dev_port(); })
        .def("get_db_host", [](C &c) { return c.get_db_host(); })
        .def("get_db_port", [](C &c) { return c.get_db_port(); })
        .def("get_db_port_num", [](C &c) { return c.get_db_port_num(); })
        .def("get_from_env_var", [](C &c) { return c.get_from_env_var(); })
        .def("connect", [](C &c, std::string corba_name) { without_gil([&] { c.connect(corba_name); }); },
             py::arg("corba_name"))
        .def("reconnect", [](C &c, bool db_used) { without_gil([&] { c.reconnect(db_used); }); },
             py::arg("db_used"))
        .def("cancel_asynch_request", [](C &c, long id) { without_gil([&] { c.cancel_asynch_request(id); }); },
             py::arg("id"))
        .def("cancel_all_polling_asynch_request", [](C &c) {
            without_gil([&] { c.cancel_all_polling_asynch_request(); });
        })
        .def_static("get_fqdn", [] {
            std::string fqdn;
            without_gil([&] { C::get_fqdn(fqdn); });
            return fqdn;
        }, "This host's fully qualified domain name, as cppTango finds it.");
}

} // namespace pt
