// Server side attribute values: a Python value into a Tango::Attribute (what a read returns),
// and the written value of a Tango::WAttribute into Python.
#pragma once

#include "convert/types.hpp"
#include "server/device.hpp"

namespace pt {

// Sets `value` on `att`. The data stays in `buf` (or is lent from a numpy array kept there)
// until the next read of this attribute: no copy for C-contiguous arrays of the right dtype.
void set_attribute_value(Tango::Attribute &att, py::handle value, ReadBuffer &buf);

// The high-level read result: a value, or (value, time, quality) with quality an AttrQuality.
void set_attribute_result(Tango::Attribute &att, py::handle result, ReadBuffer &buf);

// The value a client wrote, as a Python object (a copy: the buffer dies with the request).
// after_write: called outside the write request (from a read), the last written value.
py::object write_value_to_py(Tango::WAttribute &att, bool after_write = false);

} // namespace pt
