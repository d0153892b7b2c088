// Pipes seen from a client: read, write, write-read, the pipe list and configuration. Blobs are
// converted with the GIL; the calls run without it.
#include "pytango.hpp"
#include "client/device_proxy.hpp"
#include "convert/pipe_blob.hpp"

namespace pt {

namespace {

py::object read_pipe(DeviceProxy &d, const std::string &name) {
    Tango::DevicePipe dp = without_gil([&] { return d.read_pipe(name); });
    return blob_to_py(dp.get_root_blob());
}

// The blob to send, ready in a fresh DevicePipe (cppTango sends its data and frees it).
void prepare(Tango::DevicePipe &dp, py::handle value) { blob_from_py(value, dp.get_root_blob()); }

} // namespace

void bind_pipes(ProxyClass &cls) {
    cls.def("_read_pipe", &read_pipe, py::arg("pipe_name"))
        .def("_write_pipe", [](DeviceProxy &d, const std::string &name, py::handle value) {
            Tango::DevicePipe dp(name);
            prepare(dp, value);
            without_gil([&] { d.write_pipe(dp); });
        }, py::arg("pipe_name"), py::arg("value"))
        .def("_write_read_pipe", [](DeviceProxy &d, const std::string &name, py::handle value) {
            Tango::DevicePipe dp(name);
            prepare(dp, value);
            Tango::DevicePipe out = without_gil([&] { return d.write_read_pipe(dp); });
            return blob_to_py(out.get_root_blob());
        }, py::arg("pipe_name"), py::arg("value"))
        .def("get_pipe_list", [](DeviceProxy &d) {
            std::unique_ptr<std::vector<std::string>> v(without_gil([&] { return d.get_pipe_list(); }));
            return *v;
        })
        .def("_get_pipe_config", [](DeviceProxy &d, const std::string &name) {
            return without_gil([&] { return d.get_pipe_config(name); });
        }, py::arg("pipe_name"))
        .def("_get_pipe_config", [](DeviceProxy &d, std::vector<std::string> names) {
            std::unique_ptr<Tango::PipeInfoList> v(without_gil([&] { return d.get_pipe_config(names); }));
            return *v;
        }, py::arg("pipe_names"))
        .def("_set_pipe_config", [](DeviceProxy &d, Tango::PipeInfoList infos) {
            without_gil([&] { d.set_pipe_config(infos); });
        }, py::arg("pipe_info_list"));
}

} // namespace pt
