// DeviceData as a Python value of its own (types/device_data.cpp), shared with the calls that
// take one as their argument (Group.command_inout).
#pragma once

#include "pytango.hpp"

namespace pt {

struct DeviceDataValue {
    Tango::DeviceData dd;
    py::object keep; // what the Any borrows (a numpy array), for as long as it holds it

    DeviceDataValue() { dd.reset_exceptions(Tango::DeviceData::isempty_flag); }
    DeviceDataValue(const DeviceDataValue &o) : dd(o.dd), keep(o.keep) {}
    DeviceDataValue &operator=(const DeviceDataValue &o) {
        dd = o.dd;
        keep = o.keep;
        return *this;
    }
};

// PyTango's DeviceDataList: one DeviceData per device of a group (Group.command_inout).
struct DeviceDataList : std::vector<DeviceDataValue> {};

// One record of a command's polling buffer (DeviceProxy.command_history): a DeviceData with the
// date of the command's run, or its errors.
struct DeviceDataHistoryValue : DeviceDataValue {
    Tango::TimeVal time{0, 0, 0};
    bool failed = false;
    py::object errors = py::tuple(); // DevError tuple when failed
};

struct DeviceDataHistoryList : std::vector<DeviceDataHistoryValue> {};

} // namespace pt
