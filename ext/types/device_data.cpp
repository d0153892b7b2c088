// DeviceData: a command argument or result as a value of its own, as PyTango users build one
// (insert a typed value, extract it back) for their tables and tests. The command calls do not
// need it: they convert Python values straight to and from cppTango's DeviceData.
#include "pytango.hpp"
#include "convert/any.hpp"
#include "convert/record.hpp"
#include "types/device_data.hpp"

#include <pybind11/stl_bind.h>

namespace pt {

namespace {

long type_of(DeviceDataValue &d) {
    if (d.dd.is_empty()) return Tango::DATA_TYPE_UNKNOWN;
    const int t = d.dd.get_type();
    return t < 0 ? Tango::DATA_TYPE_UNKNOWN : t;
}

} // namespace

void register_device_data(py::module_ &m) {
    py::class_<DeviceDataValue> cls(m, "DeviceData", "A command argument or result: a typed value.");
    cls.def(py::init<>())
        .def(py::init<const DeviceDataValue &>(), py::arg("device_data"))
        .def("insert", [](DeviceDataValue &d, long type, py::handle value) {
            if (type == Tango::DEV_VOID) return; // nothing to hold
            DeviceDataValue fresh;
            command_arg_from_py(fresh.dd, type, value, fresh.keep);
            d.dd = fresh.dd;
            d.keep = fresh.keep;
        }, py::arg("data_type"), py::arg("value"), "Holds `value` as command type `data_type` (a CmdArgType).")
        .def("extract", [](DeviceDataValue &d, ExtractAs ex) -> py::object {
            const long type = type_of(d);
            if (type == Tango::DATA_TYPE_UNKNOWN) return py::none();
            return command_arg_to_py(d.dd, type, ex);
        }, py::arg("extract_as") = ExtractAs::Numpy, "The value held (None when empty).")
        .def("get_type", [](DeviceDataValue &d) { return static_cast<Tango::CmdArgType>(type_of(d)); },
             "The command type of the value held (CmdArgType.Unknown when empty).")
        .def("is_empty", [](DeviceDataValue &d) { return d.dd.is_empty(); });
    py::native_enum<Tango::DeviceData::except_flags>(cls, "except_flags", "enum.IntEnum")
        .value("isempty_flag", Tango::DeviceData::isempty_flag)
        .value("wrongtype_flag", Tango::DeviceData::wrongtype_flag)
        .value("numFlags", Tango::DeviceData::numFlags)
        .finalize();
    with_struct_format(cls);
    py::bind_vector<DeviceDataList>(m, "DeviceDataList", "One DeviceData per device of a Group "
                                                         "(Group.command_inout with per-device arguments).");
}

void register_device_data_history(py::module_ &m) { // after DeviceData, its base
    py::class_<DeviceDataHistoryValue, DeviceDataValue> history(
        m, "DeviceDataHistory", "One record of a command's polling buffer: its result, or its errors, and its date.");
    history.def(py::init<>())
        .def_property("value", [](DeviceDataHistoryValue &d) -> py::object {
            const long type = type_of(d);
            return type == Tango::DATA_TYPE_UNKNOWN ? py::none() : command_arg_to_py(d.dd, type);
        }, [](DeviceDataHistoryValue &d, py::handle value) { // a value of the type held
            const long type = type_of(d);
            if (type == Tango::DATA_TYPE_UNKNOWN) throw py::type_error("DeviceDataHistory.value: insert(type, value) first");
            DeviceDataValue fresh;
            command_arg_from_py(fresh.dd, type, value, fresh.keep);
            d.dd = fresh.dd;
            d.keep = fresh.keep;
        })
        .def_readwrite("time", &DeviceDataHistoryValue::time)
        .def("has_failed", [](const DeviceDataHistoryValue &h) { return h.failed; })
        .def("get_date", [](const DeviceDataHistoryValue &h) { return h.time; })
        .def("get_err_stack", [](const DeviceDataHistoryValue &h) { return h.errors; });
    with_struct_format(history);
    py::bind_vector<DeviceDataHistoryList>(m, "DeviceDataHistoryList", "Records of a command's polling buffer.");
}

} // namespace pt
