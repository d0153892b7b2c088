// cppTango's IDL attribute configuration structs as Python objects (types/attribute_config.cpp),
// and the string list conversion they share with the device methods that use them
// (server/device_config.cpp).
#pragma once

#include "pytango.hpp"

namespace pt {

// A CORBA string sequence as a list of str (Latin-1, as every Tango string).
py::list string_array_to_py(const Tango::DevVarStringArray &seq);
// Any iterable of str (or bytes) to a CORBA string sequence; a str itself is refused (it would be
// taken character by character). `what` names the argument in the TypeError.
Tango::DevVarStringArray string_array_from_py(py::handle o, const char *what);

} // namespace pt
