// A Python device: cppTango owns the C++ device (PyDevice); the Python object (a subclass of
// tango.server.Device) lives exactly as long, referenced by the PyDevice and pointing back at
// it through a DeviceHandle that is cleared when cppTango deletes the device.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"
#include "convert/server_attribute.hpp"

#include <map>
#include <memory>
#include <unordered_map>

namespace pt {

class PyDevice;
class PyDeviceClass;

// What the Python object holds: a pointer that becomes null when the device is deleted.
struct DeviceHandle {
    PyDevice *dev = nullptr;
    PyDevice &get() const;
};

// What the device's Python Attribute objects hold to know whether their device is alive: the
// PyDevice clears `dev` when cppTango deletes it, and bumps `generation` whenever one of its
// attributes is removed (an Attribute object then finds its attribute again by name).
struct DeviceLife {
    PyDevice *dev = nullptr;
    unsigned long generation = 0;
};

struct AttributeRef;

// Per device and attribute: the one Attribute object handed to
// `read_x(self, attr)` and returned by get_device_attr() (made on first use, kept here).
struct AttrSlot {
    py::object view;               // the Python Attribute / WAttribute
    AttributeRef *ref = nullptr;   // its C++ part (owned by view)
    bool reading = false;          // inside the attribute's read up-call
    bool writing = false;          // inside its write up-call
};

// Which Device methods the Python class overrides: the others are not called up at all.
struct Hooks {
    bool always_executed_hook = false;
    bool read_attr_hardware = false;
    bool write_attr_hardware = false;
    bool dev_state = false;
    bool dev_status = false;
};

// A method of the Python device called on every request (attribute read, command), named by an
// interned Python str made once: the call skips making a str and a bound method each time.
// The str is kept for the process's life, like the class description that names it.
class MethodName {
public:
    MethodName() = default;
    explicit MethodName(const std::string &name); // with the GIL; "" means no method
    bool empty() const { return name_ == nullptr; }
    // self.<name>(args...)
    template <class... Args>
    py::object call(py::handle self, Args... args) const {
        if (name_ == nullptr) throw py::attribute_error("the device has no method for this call");
        PyObject *argv[] = {nullptr, self.ptr(), py::handle(args).ptr()...};
        PyObject *r = PyObject_VectorcallMethod(name_, argv + 1, (1 + sizeof...(Args)) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                                nullptr);
        if (r == nullptr) throw py::error_already_set();
        return py::reinterpret_steal<py::object>(r);
    }

private:
    PyObject *name_ = nullptr;
};

using DeviceBase = compat::LatestDeviceImpl;

class PyDevice : public DeviceBase {
public:
    PyDevice(PyDeviceClass *cls, std::string &name, std::string &desc, Tango::DevState state,
             std::string &status, py::handle self);
    ~PyDevice() override;

    py::handle self() const { return self_.get(); }
    AttrSlot &slot(const std::string &attr) { return slots_[attr]; }
    const std::shared_ptr<DeviceLife> &life() const { return life_; }
    // Values pushed with events stay here until the next push of the attribute.
    ReadBuffer &push_buffer(const std::string &attr) { return push_buffers_[attr]; }

    void init_device() override;
    void delete_device() override;
    void end_of_life(); // delete_device once, at the device's end (no GIL held)
    void mark_ended() { ended_ = true; } // its delete_device ran already (called from Python)
    void always_executed_hook() override;
    void read_attr_hardware(std::vector<long> &attr_list) override;
    void write_attr_hardware(std::vector<long> &attr_list) override;
    Tango::DevState dev_state() override;
    Tango::ConstDevString dev_status() override;
    void signal_handler(long signo) override;

    // Protected in cppTango (for device classes to call): Python devices call them through us.
    using DeviceBase::get_attribute_poll_period;
    using DeviceBase::get_command_poll_period;
    using DeviceBase::is_attribute_polled;
    using DeviceBase::is_command_polled;
    using DeviceBase::poll_attribute;
    using DeviceBase::poll_command;
    using DeviceBase::stop_poll_attribute;
    using DeviceBase::stop_poll_command;

    // cppTango 9.3 keeps no version information for devices (cppTango 10's add_version_info, which
    // clients read in DeviceInfo.version_info): there it is kept here for get_version_info().
    std::map<std::string, std::string> &version_info() { return version_info_; }

    Tango::DevState base_dev_state() { return DeviceBase::dev_state(); }
    Tango::ConstDevString base_dev_status() { return DeviceBase::dev_status(); }

private:
    const Hooks &hooks() const;
    PyRef self_;
    std::shared_ptr<DeviceLife> life_;
    std::unordered_map<std::string, AttrSlot> slots_;          // touched with the GIL only
    std::unordered_map<std::string, ReadBuffer> push_buffers_; // idem
    std::string status_;                                        // what dev_status() returns
    std::map<std::string, std::string> version_info_;
    bool ended_ = false;
};

std::string lower_name(std::string s);
void bind_device_events(py::class_<DeviceHandle> &cls);
void bind_device_polling(py::class_<DeviceHandle> &cls);

} // namespace pt
