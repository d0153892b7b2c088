// PyDeviceClass: cppTango's factories, fed by the Python class spec (tango/server/_spec.py).
#include "pytango.hpp"
#include "server/device_class.hpp"

namespace pt {

Tango::Attr *make_attr(py::handle spec);
Tango::Command *make_command(py::handle spec);
Tango::Pipe *make_pipe(py::handle spec);

PyDeviceClass::PyDeviceClass(std::string &name, py::object spec) : Tango::DeviceClass(name), spec_(spec) {
    py::handle h = spec_.get();
    hooks_.always_executed_hook = h.attr("overrides_always_executed_hook").cast<bool>();
    hooks_.read_attr_hardware = h.attr("overrides_read_attr_hardware").cast<bool>();
    hooks_.dev_state = h.attr("overrides_dev_state").cast<bool>();
    hooks_.dev_status = h.attr("overrides_dev_status").cast<bool>();
}

PyDeviceClass::~PyDeviceClass() = default;

void PyDeviceClass::command_factory() {
    call_up([&] {
        for (auto cmd : spec_.get().attr("commands")) command_list.push_back(make_command(cmd));
    });
}

void PyDeviceClass::attribute_factory(std::vector<Tango::Attr *> &attrs) {
    call_up([&] {
        for (auto a : spec_.get().attr("attributes")) attrs.push_back(make_attr(a));
    });
}

void PyDeviceClass::pipe_factory() {
    call_up([&] {
        for (auto p : spec_.get().attr("pipes")) pipe_list.push_back(make_pipe(p));
    });
}

void PyDeviceClass::device_factory(const Tango::DevVarStringArray *names) {
    for (CORBA::ULong i = 0; i < names->length(); ++i) {
        std::string name = (*names)[i].in();
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
