// Command arguments: Python <-> cppTango DeviceData (a CORBA::Any), for every command type.
#pragma once

#include "convert/types.hpp"

namespace pt {

// Fills `any` with `value` as command type `type`. With `keep` (a client call), a numpy array
// may be lent to the Any and `keep` receives it; without (a server reply, marshalled after we
// return) the Any owns copies.
void any_from_py(CORBA::Any &any, long type, py::handle value, py::object *keep);

// The Python value of an Any holding command type `type`.
py::object any_to_py(const CORBA::Any &any, long type, ExtractAs ex = ExtractAs::Numpy);

inline void command_arg_from_py(Tango::DeviceData &dd, long type, py::handle value, py::object &keep) {
    any_from_py(dd.any.inout(), type, value, &keep);
}

inline py::object command_arg_to_py(Tango::DeviceData &dd, long type, ExtractAs ex = ExtractAs::Numpy) {
    if (type == Tango::DEV_VOID) return py::none();
    return any_to_py(dd.any.in(), type, ex);
}

} // namespace pt
