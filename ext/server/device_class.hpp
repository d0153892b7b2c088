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
    // With a file database it makes none: add_pipes_after_construction makes them instead.
    void pipe_factory() override;
    // A file database (-file=) cannot answer the pipe property requests that cppTango makes
    // while constructing a device with pipes (FileDatabase::DbGetClassPipeProperty and
    // DbGetDevicePipeProperty throw API_NotSupported, in cppTango 9.3 and 10 alike), so the
    // device starts with no pipe, which makes cppTango skip those requests, and its pipes are
    // added here, from the PyDevice constructor, before init_device. They get the label and
    // description of their declaration (a file database stores no pipe properties).
    void add_pipes_after_construction(Tango::DeviceImpl *dev);
    // Before a device is made again (DevRestart) under a file database: its old pipes leave
    // cppTango's pipe map, or the DeviceImpl constructor would ask the database for their
    // properties (a file database has no ORB connection: INV_OBJREF). They are kept, not
    // deleted, until the class goes: the old servant may still be finishing a request.
    void retire_pipes(const std::string &dev_name);
    void device_factory(const Tango::DevVarStringArray *names) override;

    using Tango::DeviceClass::export_device; // protected in cppTango: DeviceClass.export_device

    const Hooks &hooks() const { return hooks_; }
    py::handle spec() const { return spec_.get(); }

private:
    PyRef spec_;     // the Python ClassSpec (for new_device)
    ClassSpec data_; // its C++ fields, as they were at registration
    Hooks hooks_;
    std::vector<Tango::Pipe *> retired_pipes_; // see retire_pipes
};

} // namespace pt
