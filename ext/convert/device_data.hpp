// Command arguments: Python <-> cppTango DeviceData (a CORBA::Any), for every command type.
#pragma once

#include "convert/types.hpp"

namespace pt {

// Fills `dd` with `value` as command type `type`; `keep` receives what dd borrows.
void command_arg_from_py(Tango::DeviceData &dd, long type, py::handle value, py::object &keep);

// The Python value of a command result of type `type`.
py::object command_arg_to_py(Tango::DeviceData &dd, long type, ExtractAs ex = ExtractAs::Numpy);

} // namespace pt
