// The compiled DeviceProxy: cppTango's proxy plus the per-proxy type caches that let a write or
// a command convert its argument without asking the device for the type on every call.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"

#include <mutex>
#include <unordered_map>

namespace pt {

struct AttrType {
    long type;
    Tango::AttrDataFormat format;
};

struct CmdType {
    long in_type;
    long out_type;
};

std::string lower(std::string s);

class DeviceProxy : public Tango::DeviceProxy {
public:
    explicit DeviceProxy(std::string name) : Tango::DeviceProxy(name) {}
    DeviceProxy(const DeviceProxy &other) : Tango::DeviceProxy(other) {}

    AttrType attr_type(const std::string &name);   // may call the device (GIL released)
    CmdType cmd_type(const std::string &name);     // idem
    void forget_attr(const std::string &name);
    void forget_cmd(const std::string &name);

private:
    std::mutex mutex_; // guards the maps only, never held across a call or the GIL
    std::unordered_map<std::string, AttrType> attr_types_;
    std::unordered_map<std::string, CmdType> cmd_types_;
};

// Deleting a proxy may talk to the device (unsubscribe): never with the GIL held.
struct ReleaseGilDeleter {
    template <class T>
    void operator()(T *p) const {
        if (PyGILState_Check()) {
            py::gil_scoped_release release;
            delete p;
        } else {
            delete p;
        }
    }
};

} // namespace pt
