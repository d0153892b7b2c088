// Server side attribute values: a Python value into a Tango::Attribute (what a read returns),
// and the written value of a Tango::WAttribute into Python.
#pragma once

#include "convert/types.hpp"

#include <string>
#include <vector>

namespace pt {

// A value lent to cppTango, which marshals it without a copy: what a read returned (kept per
// thread and request: server/request_buffers.hpp) or what was pushed (kept per attribute until
// its next push: a push is sent before it returns).
struct ReadBuffer {
    py::object array;                       // numpy array lent to cppTango
    std::vector<std::string> strings;
    std::vector<Tango::DevString> string_ptrs;
    std::vector<Tango::DevState> states;
    Tango::DevEncoded encoded;
    alignas(8) unsigned char scalar[16] = {};
};


// Sets `value` on `att`. The data stays in `buf` (or is lent from a numpy array kept there)
// for as long as cppTango may send it: no copy for C-contiguous arrays of the right dtype.
void set_attribute_value(Tango::Attribute &att, py::handle value, ReadBuffer &buf);

// The high-level read result: a value, or (value, time, quality) with quality an AttrQuality.
void set_attribute_result(Tango::Attribute &att, py::handle result, ReadBuffer &buf);

// The value a client wrote, as a Python object (a copy: the buffer dies with the request).
// after_write: called outside the write request (from a read), the last written value.
py::object write_value_to_py(Tango::WAttribute &att, bool after_write = false);

} // namespace pt
