// tango.EncodedAttribute: cppTango's image encoder and decoder for DevEncoded values.
#pragma once

#include "pytango.hpp"

namespace pt {

// When `value` is an EncodedAttribute: copies its last encoded image into `out` and returns
// true (DevFailed when nothing was encoded yet); false for any other object.
bool encoded_attribute_value(py::handle value, Tango::DevEncoded &out, const std::string &attr_name);

void register_encoded_attribute(py::module_ &m);

} // namespace pt
