// What a device asks cppTango about itself: its polling (poll_attribute, is_command_polled...),
// its subscribers, its version information, its lock and previous state. Methods of the DeviceImpl
// base of tango.server.Device. The calls that reach the polling thread or the admin device wait
// for them, so they are made without the GIL.
#include "pytango.hpp"
#include "server/device.hpp"

namespace pt {

void bind_device_polling(py::class_<DeviceHandle> &cls) {
    cls.def("poll_attribute", [](DeviceHandle &h, const std::string &name, int period) {
           PyDevice &d = h.get();
           without_gil([&] { d.poll_attribute(name, period); });
       }, py::arg("attr_name"), py::arg("period"), "Polls the attribute every period ms (0 stops it).")
        .def("poll_command", [](DeviceHandle &h, const std::string &name, int period) {
            PyDevice &d = h.get();
            without_gil([&] { d.poll_command(name, period); });
        }, py::arg("cmd_name"), py::arg("period"))
        .def("stop_poll_attribute", [](DeviceHandle &h, const std::string &name) {
            PyDevice &d = h.get();
            without_gil([&] { d.stop_poll_attribute(name); });
        }, py::arg("attr_name"))
        .def("stop_poll_command", [](DeviceHandle &h, const std::string &name) {
            PyDevice &d = h.get();
            without_gil([&] { d.stop_poll_command(name); });
        }, py::arg("cmd_name"))
        .def("is_attribute_polled", [](DeviceHandle &h, const std::string &name) {
            PyDevice &d = h.get();
            return without_gil([&] { return d.is_attribute_polled(name); });
        }, py::arg("attr_name"))
        .def("is_command_polled", [](DeviceHandle &h, const std::string &name) {
            PyDevice &d = h.get();
            return without_gil([&] { return d.is_command_polled(name); });
        }, py::arg("cmd_name"))
        .def("get_attribute_poll_period", [](DeviceHandle &h, const std::string &name) {
            PyDevice &d = h.get();
            return without_gil([&] { return d.get_attribute_poll_period(name); });
        }, py::arg("attr_name"))
        .def("get_command_poll_period", [](DeviceHandle &h, const std::string &name) {
            PyDevice &d = h.get();
            return without_gil([&] { return d.get_command_poll_period(name); });
        }, py::arg("cmd_name"))
        .def("stop_polling", [](DeviceHandle &h, bool with_db_upd) {
            PyDevice &d = h.get();
            without_gil([&] { d.stop_polling(with_db_upd); });
        }, py::arg("with_db_upd") = true)
        .def("is_polled", [](DeviceHandle &h) { return h.get().is_polled(); })
        .def("get_polled_cmd", [](DeviceHandle &h) { return h.get().get_polled_cmd(); })
        .def("get_polled_attr", [](DeviceHandle &h) { return h.get().get_polled_attr(); })
        .def("get_non_auto_polled_cmd", [](DeviceHandle &h) { return h.get().get_non_auto_polled_cmd(); })
        .def("get_non_auto_polled_attr", [](DeviceHandle &h) { return h.get().get_non_auto_polled_attr(); })
        .def("get_poll_ring_depth", [](DeviceHandle &h) { return h.get().get_poll_ring_depth(); })
        .def("get_poll_old_factor", [](DeviceHandle &h) { return h.get().get_poll_old_factor(); })
        .def("get_min_poll_period", [](DeviceHandle &h) { return h.get().get_min_poll_period(); })
        .def("get_cmd_min_poll_period", [](DeviceHandle &h) { return h.get().get_cmd_min_poll_period(); })
        .def("get_attr_min_poll_period", [](DeviceHandle &h) { return h.get().get_attr_min_poll_period(); })
        .def("get_cmd_poll_ring_depth", [](DeviceHandle &h, std::string name) {
            return h.get().get_cmd_poll_ring_depth(name);
        }, py::arg("cmd_name"))
        .def("get_attr_poll_ring_depth", [](DeviceHandle &h, std::string name) {
            return h.get().get_attr_poll_ring_depth(name);
        }, py::arg("attr_name"))
        .def("is_there_subscriber", [](DeviceHandle &h, const std::string &name, Tango::EventType type) {
            PyDevice &d = h.get();
            return without_gil([&] { return d.is_there_subscriber(name, type); });
        }, py::arg("att_name"), py::arg("event_type"), "Whether a client listens to this event of the attribute.")
        .def("check_command_exists", [](DeviceHandle &h, const std::string &name) { h.get().check_command_exists(name); },
             py::arg("cmd_name"), "Raises a DevFailed when the device has no such command (or it takes an argument).")
        .def("get_exported_flag", [](DeviceHandle &h) { return h.get().get_exported_flag(); })
        .def("get_prev_state", [](DeviceHandle &h) { return h.get().get_prev_state(); })
        .def("is_device_locked", [](DeviceHandle &h) { return h.get().is_device_locked(); })
        .def("add_version_info", [](DeviceHandle &h, const std::string &key, const std::string &value) {
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
            h.get().add_version_info(key, value);
#else
            h.get().version_info()[key] = value;
#endif
        }, py::arg("key"), py::arg("value"),
           "Declares a version (a library's, the device's): clients read them in DeviceInfo.version_info "
           "(cppTango 10; with cppTango 9.3 only get_version_info() gives them back).")
        .def("get_version_info", [](DeviceHandle &h) {
            py::dict out;
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
            Tango::DevInfoVersionList list = h.get().get_version_info();
            for (CORBA::ULong i = 0; i < list.length(); ++i)
                out[py::str(list[i].key.in())] = py::str(list[i].value.in());
#else
            for (const auto &[k, v] : h.get().version_info()) out[py::str(k)] = py::str(v);
#endif
            return out;
        });
}

} // namespace pt
