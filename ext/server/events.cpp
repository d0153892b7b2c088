// Events pushed by Python devices: change, archive, user, data ready, configuration and pipe
// events.
// The device monitor is taken with the GIL released, then the GIL again: the same order as
// cppTango's request threads (monitor, then GIL), so no deadlock.
#include "pytango.hpp"
#include "convert/exceptions.hpp"
#include "convert/pipe_blob.hpp"
#include "convert/scalar.hpp"
#include "convert/server_attribute.hpp"
#include "server/device.hpp"

namespace pt {

namespace {

enum class PushKind { Change = 0, Archive = 1, User = 2 };

// Runs f with the device monitor held; f runs with the GIL.
template <class F>
void with_device_monitor(PyDevice &dev, F &&f) {
    ensure_omni_thread();
    py::gil_scoped_release release;
    Tango::AutoTangoMonitor sync(&dev);
    py::gil_scoped_acquire gil;
    f();
}

void fire(Tango::Attribute &att, PushKind kind, Tango::DevFailed *except) {
    py::gil_scoped_release release; // ZMQ sends: no Python here
    switch (kind) {
    case PushKind::Change: att.fire_change_event(except); break;
    case PushKind::Archive: att.fire_archive_event(except); break;
    case PushKind::User: {
        std::vector<std::string> names;
        std::vector<double> values;
        att.fire_event(names, values, except);
        break;
    }
    }
}

void push(DeviceHandle &h, int kind_value, std::string name, py::handle value, py::handle time,
          py::handle quality) {
    PyDevice &dev = h.get();
    const auto kind = static_cast<PushKind>(kind_value);
    with_device_monitor(dev, [&] {
        Tango::Attribute &att = dev.get_device_attr()->get_attr_by_name(name.c_str());
        const std::string lname = lower_name(att.get_name());
        // An exception instead of a value: the subscribers receive the error.
        py::handle devfailed = py::module_::import("tango.errors").attr("DevFailed");
        if (!value.is_none() && py::isinstance(value, devfailed)) {
            Tango::DevFailed df(errors_from_py(value.attr("args")));
            fire(att, kind, &df);
            return;
        }
        ReadBuffer &buf = dev.push_buffer(att.get_name());
        if (value.is_none() && (lname == "state" || lname == "status")) {
            if (lname == "state") {
                *reinterpret_cast<Tango::DevState *>(buf.scalar) = dev.get_state();
                att.set_value(reinterpret_cast<Tango::DevState *>(buf.scalar));
            } else {
                buf.strings.assign(1, dev.get_status());
                buf.string_ptrs.assign(1, const_cast<char *>(buf.strings[0].c_str()));
                att.set_value(buf.string_ptrs.data());
            }
        } else if (!time.is_none() || !quality.is_none()) {
            py::object t = time.is_none() ? py::module_::import("time").attr("time")() : py::reinterpret_borrow<py::object>(time);
            py::object q = quality.is_none() ? py::cast(Tango::ATTR_VALID) : py::reinterpret_borrow<py::object>(quality);
            set_attribute_result(att, py::make_tuple(value, t, q), buf);
        } else {
            set_attribute_value(att, value, buf);
            struct timeval tv;
            gettimeofday(&tv, nullptr);
            att.set_date(tv);
        }
        fire(att, kind, nullptr);
    });
}

// A pipe event: a blob (blob_name, data), or a DevFailed for the subscribers to receive as
// an error. `time` (seconds since the epoch or a TimeVal) defaults to now.
void push_pipe(DeviceHandle &h, std::string name, py::handle value, py::handle time) {
    PyDevice &dev = h.get();
    py::handle devfailed = py::module_::import("tango.errors").attr("DevFailed");
    if (py::isinstance(value, devfailed)) {
        Tango::DevFailed df(errors_from_py(value.attr("args")));
        with_device_monitor(dev, [&] {
            py::gil_scoped_release release;
            dev.push_pipe_event(name, &df);
        });
        return;
    }
    struct timeval when = timeval_from_py(time);
    // A fresh blob per push: cppTango takes its data (and frees it) while sending.
    Tango::DevicePipeBlob blob;
    blob_from_py(value, blob);
    with_device_monitor(dev, [&] {
        py::gil_scoped_release release;
        dev.push_pipe_event(name, &blob, when, false);
    });
}

} // namespace

std::string lower_name(std::string s) {
    for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void bind_device_events(py::class_<DeviceHandle> &cls) {
    cls.def("_push_event", &push, py::arg("kind"), py::arg("attr_name"), py::arg("value"),
            py::arg("time") = py::none(), py::arg("quality") = py::none())
        .def("push_data_ready_event", [](DeviceHandle &h, std::string name, long ctr) {
            PyDevice &dev = h.get();
            ensure_omni_thread();
            py::gil_scoped_release release;
            dev.push_data_ready_event(name, static_cast<Tango::DevLong>(ctr));
        }, py::arg("attr_name"), py::arg("counter") = 0)
        .def("push_att_conf_event", [](DeviceHandle &h, std::string name) {
            PyDevice &dev = h.get();
            with_device_monitor(dev, [&] {
                Tango::Attribute &att = dev.get_device_attr()->get_attr_by_name(name.c_str());
                py::gil_scoped_release release;
                dev.push_att_conf_event(&att);
            });
        }, py::arg("attr_name"))
        .def("_push_pipe_event", &push_pipe, py::arg("pipe_name"), py::arg("blob"), py::arg("time") = py::none());
}

} // namespace pt
