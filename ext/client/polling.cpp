// Polling seen from a client: start and stop polling, its status, and the polling buffers
// (attribute_history, command_history).
#include "pytango.hpp"
#include "client/device_proxy.hpp"
#include "convert/any.hpp"
#include "convert/device_attribute.hpp"
#include "convert/exceptions.hpp"
#include "types/device_data.hpp"

namespace pt {

void bind_polling(ProxyClass &cls) {
    cls.def("poll_attribute", [](DeviceProxy &d, std::string name, int period) {
           without_gil([&] { d.poll_attribute(name, period); });
       }, py::arg("attr_name"), py::arg("period"))
        .def("stop_poll_attribute", [](DeviceProxy &d, std::string name) {
            without_gil([&] { d.stop_poll_attribute(name); });
        }, py::arg("attr_name"))
        .def("is_attribute_polled", [](DeviceProxy &d, std::string name) {
            return without_gil([&] { return d.is_attribute_polled(name); });
        }, py::arg("attr_name"))
        .def("get_attribute_poll_period", [](DeviceProxy &d, std::string name) {
            return without_gil([&] { return d.get_attribute_poll_period(name); });
        }, py::arg("attr_name"))
        .def("poll_command", [](DeviceProxy &d, std::string name, int period) {
            without_gil([&] { d.poll_command(name, period); });
        }, py::arg("cmd_name"), py::arg("period"))
        .def("stop_poll_command", [](DeviceProxy &d, std::string name) {
            without_gil([&] { d.stop_poll_command(name); });
        }, py::arg("cmd_name"))
        .def("is_command_polled", [](DeviceProxy &d, std::string name) {
            return without_gil([&] { return d.is_command_polled(name); });
        }, py::arg("cmd_name"))
        .def("get_command_poll_period", [](DeviceProxy &d, std::string name) {
            return without_gil([&] { return d.get_command_poll_period(name); });
        }, py::arg("cmd_name"))
        .def("polling_status", [](DeviceProxy &d) {
            std::unique_ptr<std::vector<std::string>> v(without_gil([&] { return d.polling_status(); }));
            return *v;
        })
        .def("attribute_history", [](DeviceProxy &d, std::string name, int depth, ExtractAs ex) {
            std::unique_ptr<std::vector<Tango::DeviceAttributeHistory>> v(
                without_gil([&] { return d.attribute_history(name, depth); }));
            // History records do not say their format: the attribute's configuration does.
            const auto format = d.attr_type(name).format;
            py::list out;
            for (auto &h : *v) {
                const bool failed = h.has_failed();
                if (h.data_format == Tango::FMT_UNKNOWN) h.data_format = format;
                DeviceAttribute r = attribute_to_py(h, ex);
                if (failed) {
                    r.has_failed = true;
                    r.time = h.get_date();
                }
                out.append(history_record(std::move(r)));
            }
            return out;
        }, py::arg("attr_name"), py::arg("depth"), py::arg("extract_as") = ExtractAs::Numpy)
        .def("command_history", [](DeviceProxy &d, std::string name, int depth) {
            std::unique_ptr<std::vector<Tango::DeviceDataHistory>> v(
                without_gil([&] { return d.command_history(name, depth); }));
            py::list out;
            for (auto &h : *v) {
                DeviceDataHistoryValue r;
                r.time = h.get_date();
                r.failed = h.has_failed();
                h.reset_exceptions(Tango::DeviceData::isempty_flag);
                if (r.failed) r.errors = errors_to_py(h.get_err_stack());
                else r.dd = h; // the result (a DeviceData: converted when read)
                r.dd.reset_exceptions(Tango::DeviceData::isempty_flag);
                out.append(std::move(r));
            }
            return out;
        }, py::arg("cmd_name"), py::arg("depth"));
}

} // namespace pt
