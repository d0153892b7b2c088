// Pipe blobs both ways: the Python form (blob_name, data) and cppTango's data elements
// (DevVarPipeDataEltArray), for server reads and writes, client reads and writes, and events.
#pragma once

#include "convert/types.hpp"

namespace pt {

// Python form of a received blob: (blob_name, [{"name", "dtype", "value"}, ...]). A nested blob
// is an element of dtype DevPipeBlob whose value has the same form. Arrays of one element come
// back as scalars: on the wire a scalar is an array of one (cppTango reads them the same way).
py::object blob_to_py(const std::string &blob_name, const Tango::DevVarPipeDataEltArray *elements);

// The received (extract) side of a cppTango blob: client reads, events, server writes.
py::object blob_to_py(Tango::DevicePipeBlob &blob);

// Fills the send (insert) side of `blob` with a Python blob (blob_name, data), data being
// a dict {name: value}, or a list of {"name", "value"[, "dtype"]} dicts or (name, value[, dtype])
// tuples. Without a dtype the type follows the value (int -> DevLong64, float -> DevDouble,
// numpy values -> their own type, ...). Wrong input raises TypeError or ValueError, before
// anything in `blob` changes.
void blob_from_py(py::handle value, Tango::DevicePipeBlob &blob);

} // namespace pt
