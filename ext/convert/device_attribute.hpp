// Attribute values: cppTango's DeviceAttribute <-> the Python DeviceAttribute, a record (see
// record.hpp) whose value and w_value are already Python objects.
#pragma once

#include "convert/types.hpp"
#include "convert/record.hpp"

namespace pt {

struct DeviceAttribute {
    py::object name = py::str();
    py::object value = py::none();
    py::object w_value = py::none();
    Tango::AttrQuality quality = Tango::ATTR_VALID;
    LazyTime time;
    long dim_x = 0, dim_y = 0, w_dim_x = 0, w_dim_y = 0;
    long nb_read = 0, nb_written = 0;
    Tango::CmdArgType type = Tango::DATA_TYPE_UNKNOWN;
    Tango::AttrDataFormat data_format = Tango::FMT_UNKNOWN;
    bool has_failed = false;
    bool is_empty = true;
    py::object errors = py::tuple(); // tuple of DevError when has_failed
    // Fields not set yet, as in PyTango's DeviceAttribute() made in Python (reading one raises
    // AttributeError until it is assigned): bits of kUnset*. Zero for every value read.
    unsigned char unset = 0;
    // The DevEncoded value of a read made with ExtractAs.Nothing, which EncodedAttribute.decode_*
    // decode (PyTango leaves it in its C++ DeviceAttribute); value stays None.
    std::shared_ptr<Tango::DevVarEncodedArray> encoded;
};

enum : unsigned char {
    kUnsetValue = 1, kUnsetWValue = 2, kUnsetType = 4, kUnsetHasFailed = 8, kUnsetIsEmpty = 16,
    kUnsetAll = 31
};

// Converts a value received from cppTango (takes its buffers: `da` is left empty). `name`, when
// it is the str the caller asked for and cppTango's name is the same, is reused as the record's
// name instead of decoding a new string.
DeviceAttribute attribute_to_py(Tango::DeviceAttribute &da, ExtractAs ex, py::handle name = py::handle());

// A device served in this process (a DeviceTestContext in a thread) answers its own process's
// reads without marshalling: `da` then points at the server's buffers, which the server reuses
// once its thread starts another request. Copies such borrowed values into `da`'s own (no
// GIL needed; nothing to do for a value that came over the network).
void own_buffers(Tango::DeviceAttribute &da);

// A record of an attribute's polling buffer (attribute_history): a DeviceAttributeHistory, the
// DeviceAttribute subtype PyTango gives there.
py::object history_record(DeviceAttribute &&value);

// The value of an empty spectrum or image of the given type: an empty array (or list, tuple).
py::object empty_value(long type, Tango::AttrDataFormat format, ExtractAs ex);

// Fills `da` (name already set) with `value` for an attribute of the given type and format.
// `keep` receives what the cppTango value borrows (a numpy array): keep it until the call ends.
void attribute_from_py(Tango::DeviceAttribute &da, long type, Tango::AttrDataFormat format,
                       py::handle value, py::object &keep);

void register_device_attribute(py::module_ &m);

} // namespace pt

PYTANGO_RECORD_CASTER(pt::DeviceAttribute, "DeviceAttribute")
