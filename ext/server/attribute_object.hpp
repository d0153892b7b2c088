// A device's own attributes as Python objects (tango.Attribute, tango.WAttribute, what
// Device.get_device_attr() returns): handles on cppTango's Tango::Attribute that stay safe to
// use however long the user keeps them.
#pragma once

#include "pytango.hpp"
#include "server/device.hpp"

namespace pt {

// cppTango owns the Tango::Attribute, which dies with its device or when the attribute is
// removed; the handle checks both before every use (one pointer and one counter compared) and
// raises a DevFailed instead of touching freed memory.
struct AttributeRef {
    std::shared_ptr<DeviceLife> life;
    std::string name;
    Tango::Attribute *att = nullptr;
    unsigned long generation = 0;
    bool writable = false;         // a WAttribute
    AttrSlot *slot_ptr = nullptr;  // its slot in the device (valid while the device lives)

    PyDevice &device() const;
    Tango::Attribute &get();
    AttrSlot &slot() { return device().slot(name); }
};

// The same for a writable attribute (cppTango's WAttribute: WRITE and READ_WRITE).
struct WAttributeRef : AttributeRef {
    Tango::WAttribute &wget() { return static_cast<Tango::WAttribute &>(get()); }
};

// Sets a flag of a slot for the length of an up-call.
class SlotFlag {
public:
    explicit SlotFlag(bool &flag) : flag_(flag), old_(flag) { flag_ = true; }
    ~SlotFlag() { flag_ = old_; }
    SlotFlag(const SlotFlag &) = delete;
    SlotFlag &operator=(const SlotFlag &) = delete;

private:
    bool &flag_;
    bool old_;
};

// The Attribute object of `att` (made once per device and attribute, kept in its slot), with
// its handle pointing at `att`: the read and write up-calls hand it to Python.
AttributeRef &attribute_object(PyDevice &dev, Tango::Attribute &att, AttrSlot &slot);
py::object attribute_view(PyDevice &dev, Tango::Attribute &att);

void bind_device_attributes(py::class_<DeviceHandle> &device);

} // namespace pt
