// PyDeviceClass: cppTango's factories, fed by the Python class spec (server/spec.hpp).
#include "pytango.hpp"
#include "server/device_class.hpp"
#include "server/signals.hpp"

#include <algorithm>

namespace pt {

PyDeviceClass::PyDeviceClass(std::string &name, py::object spec)
    : Tango::DeviceClass(name), spec_(spec), data_(spec.cast<const ClassSpec &>()) {
    hooks_.always_executed_hook = data_.overrides_always_executed_hook;
    hooks_.read_attr_hardware = data_.overrides_read_attr_hardware;
    hooks_.write_attr_hardware = data_.overrides_write_attr_hardware;
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

namespace {

Tango::DevVarStringArray string_array(const std::vector<std::string> &names) {
    Tango::DevVarStringArray arr;
    arr.length(static_cast<CORBA::ULong>(names.size()));
    for (size_t i = 0; i < names.size(); ++i) arr[static_cast<CORBA::ULong>(i)] = CORBA::string_dup(names[i].c_str());
    return arr;
}


} // namespace

void bind_device_class(py::class_<PyDeviceClass, std::unique_ptr<PyDeviceClass, py::nodelete>> &cls) {
    cls.def("get_command_list", [](PyDeviceClass &c) {
           // the names of the class's commands (cppTango's Init, State and Status included)
           std::vector<std::string> out;
           for (Tango::Command *cmd : c.get_command_list()) out.push_back(cmd->get_name());
           return out;
       }, "The names of the commands of the class.")
        .def("get_cmd_by_name", [](PyDeviceClass &c, const std::string &name) {
            // DevFailed API_CommandNotFound for an unknown name
            return c.get_cmd_by_name(name).get_name();
        }, py::arg("cmd_name"), "The command's name as the class spells it (DevFailed if it has none).")
        .def("device_factory", [](PyDeviceClass &c, std::vector<std::string> names) {
            Tango::DevVarStringArray arr = string_array(names);
            without_gil([&] { c.device_factory(&arr); });
        }, py::arg("device_list"), "Create (and export) the devices named, as at the server's start.")
        .def("device_destroyer", [](PyDeviceClass &c, const std::string &name) {
            without_gil([&] { c.device_destroyer(name); });
        }, py::arg("name"), "Delete the device of this class named name (DevFailed if it has none).")
        .def("export_device", [](PyDeviceClass &c, py::handle dev, const std::string &corba_name) {
            PyDevice &d = dev.cast<DeviceHandle &>().get();
            without_gil([&] { c.export_device(&d, corba_name.c_str()); });
        }, py::arg("dev"), py::arg("corba_dev_name") = "Unused")
        // cppTango's overloads with or without a default value (their argument types differ
        // between cppTango 9.3 and 10: called, not taken by address)
        .def("add_wiz_dev_prop", [](PyDeviceClass &c, std::string name, std::string desc, py::object def) {
            if (def.is_none()) return c.add_wiz_dev_prop(name, desc);
            std::string value = py::str(def);
            c.add_wiz_dev_prop(name, desc, value);
        }, py::arg("name"), py::arg("desc"), py::arg("default") = py::none(),
             "Declare a device property for the class wizard (default: its default value, if any).")
        .def("add_wiz_class_prop", [](PyDeviceClass &c, std::string name, std::string desc, py::object def) {
            if (def.is_none()) return c.add_wiz_class_prop(name, desc);
            std::string value = py::str(def);
            c.add_wiz_class_prop(name, desc, value);
        }, py::arg("name"), py::arg("desc"), py::arg("default") = py::none())
        .def("_wiz_dev_prop", [](PyDeviceClass &c) { return c.get_wiz_dev_prop(); })
        .def("_wiz_class_prop", [](PyDeviceClass &c) { return c.get_wiz_class_prop(); })
        .def("get_cvs_tag", [](PyDeviceClass &c) { return c.get_cvs_tag(); })
        .def("get_cvs_location", [](PyDeviceClass &c) { return c.get_cvs_location(); })
        .def("get_doc_url", [](PyDeviceClass &c) { return c.get_doc_url(); })
        .def("register_signal", [](PyDeviceClass &c, long signo, bool own_handler) {
            signal_registration([&] { c.register_signal(signo, own_handler); });
        }, py::arg("signo"), py::arg("own_handler") = false)
        .def("unregister_signal", [](PyDeviceClass &c, long signo) {
            signal_registration([&] { c.unregister_signal(signo); });
        }, py::arg("signo"))
        .def("signal_handler", [](PyDeviceClass &c, long signo) { c.Tango::DeviceClass::signal_handler(signo); },
             py::arg("signo"), "What the class does when a signal it registered arrives (nothing by default).")
        .def("__str__", [](PyDeviceClass &c) { return "DeviceClass(" + c.get_name() + ")"; })
        .def("__repr__", [](PyDeviceClass &c) { return "DeviceClass(" + c.get_name() + ")"; });
}

} // namespace pt
