// A Python device class for cppTango: its factories read the declarations that the Python
// layer (tango/server) gathered in a class spec (server/spec.hpp), copied once at registration.
#pragma once

#include "server/device.hpp"
#include "server/spec.hpp"

namespace pt {

class PyDeviceClass : public Tango::DeviceClass {
public:
    PyDeviceClass(std::string &name, py::object spec);
    ~PyDeviceClass() override;

    void command_factory() override;
    void attribute_factory(std::vector<Tango::Attr *> &attrs) override;
    // cppTango calls it when it creates the pipes of a device (from the DeviceImpl constructor).
    void pipe_factory() override;
    void device_factory(const Tango::DevVarStringArray *names) override;

    const Hooks &hooks() const { return hooks_; }
    py::handle spec() const { return spec_.get(); }

private:
    PyRef spec_;     // the Python ClassSpec (for new_device)
    ClassSpec data_; // its C++ fields, as they were at registration
    Hooks hooks_;
};

} // namespace pt
