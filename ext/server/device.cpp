// PyDevice (the cppTango side of a Python device) and the compiled base class of
// tango.server.Device, whose methods act on the device through its handle.
#include "pytango.hpp"
#include "server/attribute_object.hpp"
#include "server/request_buffers.hpp"
#include "server/device.hpp"
#include "server/device_class.hpp"
#include "server/signals.hpp"
#include "server/spec.hpp"

namespace pt {

MethodName::MethodName(const std::string &name) {
    if (name.empty()) return;
    name_ = PyUnicode_InternFromString(name.c_str());
    if (name_ == nullptr) throw py::error_already_set();
}


PyDevice &DeviceHandle::get() const {
    if (dev == nullptr) {
        Tango::Except::throw_exception("PyDs_DeviceDeleted",
                                       "This Python device is not (or no longer) attached to a Tango device",
                                       "pytango");
    }
    return *dev;
}

PyDevice::PyDevice(PyDeviceClass *cls, std::string &name, std::string &desc, Tango::DevState state,
                   std::string &status, py::handle self)
    : DeviceBase(cls, name, desc, state, status), self_(py::reinterpret_borrow<py::object>(self)),
      life_(std::make_shared<DeviceLife>()) {
    life_->dev = this;
    cls->add_pipes_after_construction(this);
    self.cast<DeviceHandle &>().dev = this;
}

PyDevice::~PyDevice() {
    if (python_alive()) end_of_life();
    life_->dev = nullptr; // the Attribute objects users kept refuse calls from now on
    if (!python_alive()) {
        // Interpreter gone: nothing to release, and no Python may run.
        (void)self_;
        return;
    }
    py::gil_scoped_acquire gil;
    if (self_) {
        try {
            self_.get().cast<DeviceHandle &>().dev = nullptr;
        } catch (...) {
        }
    }
    slots_.clear();
    push_buffers_.clear();
    self_.reset();
}

void PyDevice::end_of_life() {
    // As C++ devices do from their destructor (and PyTango's): delete_device once, when cppTango
    // deletes the device (DevRestart, the server's end). An error is reported, not thrown.
    if (ended_) return;
    ended_ = true;
    try {
        delete_device();
    } catch (Tango::DevFailed &e) {
        std::cerr << "delete_device() raised a DevFailed exception: \n\n";
        Tango::Except::print_exception(e);
    } catch (...) {
        std::cerr << "delete_device() raised an exception\n";
    }
}

const Hooks &PyDevice::hooks() const { return static_cast<PyDeviceClass *>(device_class)->hooks(); }

void PyDevice::init_device() {
    // The Init command: properties are read again, then the Python init_device runs.
    call_up([&] { self().attr("_tango_init")(); });
}

void PyDevice::delete_device() {
    call_up([&] { self().attr("delete_device")(); });
}

void PyDevice::always_executed_hook() {
    new_request(); // this thread's reply to its previous request is sent: its buffers are free
    if (!hooks().always_executed_hook) return;
    call_up([&] { self().attr("always_executed_hook")(); });
}

void PyDevice::read_attr_hardware(std::vector<long> &attr_list) {
    new_request();
    if (!hooks().read_attr_hardware) return;
    call_up([&] { self().attr("read_attr_hardware")(py::cast(attr_list)); });
}

void PyDevice::write_attr_hardware(std::vector<long> &attr_list) {
    // after the write methods of one write request, with the indexes of the attributes written
    if (!hooks().write_attr_hardware) return;
    call_up([&] { self().attr("write_attr_hardware")(py::cast(attr_list)); });
}

Tango::DevState PyDevice::dev_state() {
    if (!hooks().dev_state) return DeviceBase::dev_state();
    return call_up([&] { return self().attr("dev_state")().cast<Tango::DevState>(); });
}

Tango::ConstDevString PyDevice::dev_status() {
    if (!hooks().dev_status) return DeviceBase::dev_status();
    call_up([&] { status_ = self().attr("dev_status")().cast<std::string>(); });
    return status_.c_str();
}

namespace {

// Dynamic attributes and commands (tango/server/device.py add_attribute & co.): the spec is
// made into a PyAttr / PyCommand with the GIL (MethodName interns its str), cppTango is called
// without it. cppTango sends the INTERFACE_CHANGE event itself.
void bind_dynamic_interface(py::class_<DeviceHandle> &cls) {
    cls.def("_add_attribute", [](DeviceHandle &h, const AttrSpec &spec) {
           PyDevice &dev = h.get();
           // cppTango's from now on (it deletes those it does not keep); after an error it may
           // hold it still, so it is never freed here (a leak rather than a double free)
           Tango::Attr *attr = make_attr(spec);
           without_gil([&] { dev.add_attribute(attr); });
       })
        .def("_remove_attribute", [](DeviceHandle &h, std::string name, bool free_it, bool clean_db) {
            PyDevice &dev = h.get();
            // Its Attribute objects find it gone (counted after the removal, failed or not).
            struct Bump {
                DeviceLife &life;
                ~Bump() { ++life.generation; }
            } bump{*dev.life()};
            without_gil([&] { dev.remove_attribute(name, free_it, clean_db); });
        })
        .def("_has_attribute", [](DeviceHandle &h, const std::string &name) {
            std::vector<Tango::Attribute *> &list = h.get().get_device_attr()->get_attribute_list();
            const std::string wanted = lower_name(name);
            for (auto *a : list) {
                if (lower_name(a->get_name()) == wanted) return true;
            }
            return false;
        })
        .def("_add_command", [](DeviceHandle &h, const CmdSpec &spec, bool device_level) {
            PyDevice &dev = h.get();
            Tango::Command *cmd = make_command(spec); // as the Attr above
            without_gil([&] { dev.add_command(cmd, device_level); });
        })
        .def("_remove_command", [](DeviceHandle &h, std::string name, bool free_it, bool clean_db) {
            PyDevice &dev = h.get();
            without_gil([&] { dev.remove_command(name, free_it, clean_db); });
        });
}

} // namespace

void bind_device_config(py::class_<DeviceHandle> &cls); // server/device_config.cpp
void bind_device_class(py::class_<PyDeviceClass, std::unique_ptr<PyDeviceClass, py::nodelete>> &cls);

void PyDevice::signal_handler(long signo) {
    // cppTango's signal thread: the Python device's signal_handler; an error is reported there
    if (!python_alive()) return;
    try {
        call_up([&] { self().attr("signal_handler")(signo); });
    } catch (Tango::DevFailed &e) {
        Tango::Except::print_exception(e);
    } catch (...) {
    }
}

void register_device(py::module_ &m) {
    py::class_<PyDeviceClass, std::unique_ptr<PyDeviceClass, py::nodelete>> dev_class(m, "DeviceClass");
    dev_class.def("get_name", [](PyDeviceClass &c) { return c.get_name(); })
        .def("get_type", [](PyDeviceClass &c) { return c.get_type(); });
    bind_device_class(dev_class);

    py::class_<DeviceHandle> cls(m, "DeviceImpl", py::dynamic_attr());
    bind_device_events(cls);
    cls.def(py::init<>())
        .def("_attach", [](py::handle self, PyDeviceClass *cls, std::string name, std::string desc,
                           Tango::DevState state, std::string status) {
            if (self.cast<DeviceHandle &>().dev != nullptr) throw py::value_error("device already attached");
            ensure_omni_thread();
            new PyDevice(cls, name, desc, state, status, self); // owned by cppTango from now on
        })
        .def("_end_of_life", [](DeviceHandle &h) {
            // The server ends without cppTango deleting its devices (a test context's child
            // process): each device's delete_device runs here, with the device monitor held.
            PyDevice &dev = h.get();
            without_gil([&] {
                Tango::AutoTangoMonitor sync(&dev);
                dev.end_of_life();
            });
        })
        .def("_mark_ended", [](DeviceHandle &h) { h.get().mark_ended(); },
             "delete_device was run by Python (a test context's server in a thread): not again")
        .def_property_readonly("_attached", [](DeviceHandle &h) { return h.dev != nullptr; })
        .def("get_name", [](DeviceHandle &h) { return h.get().get_name(); })
        .def("get_state", [](DeviceHandle &h) { return h.get().get_state(); })
        .def("set_state", [](DeviceHandle &h, Tango::DevState s) { h.get().set_state(s); }, py::arg("new_state"))
        .def("get_status", [](DeviceHandle &h) { return h.get().get_status(); })
        .def("set_status", [](DeviceHandle &h, const std::string &s) { h.get().set_status(s); }, py::arg("new_status"))
        .def("append_status", [](DeviceHandle &h, const std::string &s, bool nl) { h.get().append_status(s, nl); },
             py::arg("status"), py::arg("new_line") = false)
        .def("dev_state", [](DeviceHandle &h) { return h.get().base_dev_state(); },
             "The state computed by Tango (alarm levels of the attributes included).")
        .def("dev_status", [](DeviceHandle &h) { return std::string(h.get().base_dev_status()); })
        .def("get_device_class", [](DeviceHandle &h) {
            return static_cast<PyDeviceClass *>(h.get().get_device_class());
        }, py::return_value_policy::reference)
        .def("get_dev_idl_version", [](DeviceHandle &h) { return h.get().get_dev_idl_version(); })
        .def("set_change_event", [](DeviceHandle &h, std::string attr, bool implemented, bool detect) {
            h.get().set_change_event(attr, implemented, detect);
        }, py::arg("attr_name"), py::arg("implemented"), py::arg("detect") = true)
        .def("set_archive_event", [](DeviceHandle &h, std::string attr, bool implemented, bool detect) {
            h.get().set_archive_event(attr, implemented, detect);
        }, py::arg("attr_name"), py::arg("implemented"), py::arg("detect") = true)
        .def("set_data_ready_event", [](DeviceHandle &h, std::string attr, bool implemented) {
            h.get().set_data_ready_event(attr, implemented);
        }, py::arg("attr_name"), py::arg("implemented"))
        .def("get_logging_level", [](DeviceHandle &h) { return h.get().get_logger()->get_level(); })
        .def("register_signal", [](DeviceHandle &h, long signo, bool own_handler) {
            PyDevice &dev = h.get();
            signal_registration([&] { dev.register_signal(signo, own_handler); });
        }, py::arg("signo"), py::arg("own_handler") = false,
           "Have signal_handler(signo) called when the process receives the signal signo.")
        .def("unregister_signal", [](DeviceHandle &h, long signo) {
            PyDevice &dev = h.get();
            signal_registration([&] { dev.unregister_signal(signo); });
        }, py::arg("signo"))
        .def("signal_handler", [](DeviceHandle &h, long signo) { h.get(); (void)signo; },
             py::arg("signo"), "Called when a signal the device registered arrives: override it (nothing by default).")
        .def("__str__", [](py::handle self) {
            auto &h = self.cast<DeviceHandle &>();
            std::string type = py::str(py::type::handle_of(self).attr("__name__"));
            return type + "(" + (h.dev == nullptr ? std::string("<detached>") : h.dev->get_name()) + ")";
        });
    bind_dynamic_interface(cls);
    bind_device_attributes(cls);
    bind_device_polling(cls);
    bind_device_config(cls);
}

} // namespace pt
