// PyDeviceClass: cppTango's factories, fed by the Python class spec (server/spec.hpp).
#include "pytango.hpp"
#include "server/device_class.hpp"

#include <algorithm>

namespace pt {

PyDeviceClass::PyDeviceClass(std::string &name, py::object spec)
    : Tango::DeviceClass(name), spec_(spec), data_(spec.cast<const ClassSpec &>()) {
    hooks_.always_executed_hook = data_.overrides_always_executed_hook;
    hooks_.read_attr_hardware = data_.overrides_read_attr_hardware;
    hooks_.dev_state = data_.overrides_dev_state;
    hooks_.dev_status = data_.overrides_dev_status;
}

PyDeviceClass::~PyDeviceClass() {
    for (Tango::Pipe *p : retired_pipes_) delete p;
}

void PyDeviceClass::command_factory() {
    call_up([&] { // MethodName interns its str: with the GIL
        for (const auto &cmd : data_.commands) command_list.push_back(make_command(cmd));
    });
}

void PyDeviceClass::attribute_factory(std::vector<Tango::Attr *> &attrs) {
    call_up([&] { // MethodName interns its str: with the GIL
        for (const auto &a : data_.attributes) attrs.push_back(make_attr(a));
    });
}

void PyDeviceClass::pipe_factory() {
    if (Tango::Util::_FileDb) return; // see add_pipes_after_construction
    for (const auto &p : data_.pipes) pipe_list.push_back(make_pipe(p));
}

void PyDeviceClass::add_pipes_after_construction(Tango::DeviceImpl *dev) {
    if (!Tango::Util::_FileDb || data_.pipes.empty()) return;
    // The device's entry in cppTango's pipe map, made (empty) by create_device_pipe; cppTango
    // owns and deletes the pipes in it, and keeps them sorted by name.
    std::vector<Tango::Pipe *> &pipes = get_pipe_list(dev->get_name());
    for (const auto &p : data_.pipes) pipes.push_back(make_pipe(p));
    std::sort(pipes.begin(), pipes.end(),
              [](Tango::Pipe *a, Tango::Pipe *b) { return a->get_name() < b->get_name(); });
}

void PyDeviceClass::retire_pipes(const std::string &dev_name) {
    if (!Tango::Util::_FileDb || data_.pipes.empty()) return;
    try {
        std::vector<Tango::Pipe *> &pipes = get_pipe_list(dev_name);
        retired_pipes_.insert(retired_pipes_.end(), pipes.begin(), pipes.end());
        pipes.clear();
    } catch (Tango::DevFailed &) {
        // not in the map: the device's first construction
    }
}

void PyDeviceClass::device_factory(const Tango::DevVarStringArray *names) {
    for (CORBA::ULong i = 0; i < names->length(); ++i) {
        std::string name = (*names)[i].in();
        retire_pipes(name);
        PyDevice *dev = call_up([&]() -> PyDevice * {
            py::object self = spec_.get().attr("new_device")(py::cast(this, py::return_value_policy::reference), name);
            return self.cast<DeviceHandle &>().dev;
        });
        if (dev == nullptr) {
            Tango::Except::throw_exception("PyDs_DeviceNotCreated", "The device " + name + " was not created",
                                           "pytango");
        }
        device_list.push_back(dev);
        if (Tango::Util::_UseDb && !Tango::Util::_FileDb) export_device(dev);
        else export_device(dev, dev->get_name().c_str());
    }
}

} // namespace pt
