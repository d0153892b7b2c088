// Util.get_sub_dev_diag(): cppTango's record of the devices each device of the server talks to
// (its sub devices, reported by the admin device's QuerySubDevice and stored in the database).
#include "pytango.hpp"
#include "gil.hpp"

namespace pt {

using UtilClass = py::class_<Tango::Util, std::unique_ptr<Tango::Util, py::nodelete>>;

void bind_sub_dev_diag(py::module_ &m, UtilClass &util) {
    // Owned by cppTango's Util (one per process): handed out by reference.
    py::class_<Tango::SubDevDiag, std::unique_ptr<Tango::SubDevDiag, py::nodelete>>(m, "SubDevDiag", "The sub devices of the server's devices (Util.get_sub_dev_diag()).")
        .def("set_associated_device", [](Tango::SubDevDiag &d, std::string name) {
            without_gil([&] { d.set_associated_device(name); });
        }, py::arg("dev_name"), "Names the device the calling thread works for.")
        .def("get_associated_device", [](Tango::SubDevDiag &d) {
            return without_gil([&] { return d.get_associated_device(); });
        }, "The device the calling thread works for (the device of the request it serves).")
        .def("register_sub_device", [](Tango::SubDevDiag &d, std::string dev_name, std::string sub_dev_name) {
            without_gil([&] { d.register_sub_device(dev_name, sub_dev_name); });
        }, py::arg("dev_name"), py::arg("sub_dev_name"))
        .def("remove_sub_devices", [](Tango::SubDevDiag &d, py::object dev_name) {
            if (dev_name.is_none()) {
                without_gil([&] { d.remove_sub_devices(); });
            } else {
                std::string name = dev_name.cast<std::string>();
                without_gil([&] { d.remove_sub_devices(name); });
            }
        }, py::arg("dev_name") = py::none(), "Forgets the sub devices of one device (of all when not given).")
        .def("get_sub_devices", [](Tango::SubDevDiag &d) {
            std::unique_ptr<Tango::DevVarStringArray> list(without_gil([&] { return d.get_sub_devices(); }));
            std::vector<std::string> out;
            for (CORBA::ULong i = 0; i < list->length(); ++i) out.emplace_back((*list)[i].in());
            return out;
        }, "Each registered sub device as 'device sub_device'.")
        .def("store_sub_devices", [](Tango::SubDevDiag &d) { without_gil([&] { d.store_sub_devices(); }); },
             "Writes the sub devices to the database (when they changed).")
        .def("get_sub_devices_from_cache", [](Tango::SubDevDiag &d) {
            without_gil([&] { d.get_sub_devices_from_cache(); });
        });
    util.def("get_sub_dev_diag", [](Tango::Util &u) { return &u.get_sub_dev_diag(); },
             py::return_value_policy::reference);
}

} // namespace pt
