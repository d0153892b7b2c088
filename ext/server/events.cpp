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

#include <optional>

namespace pt {

namespace {

enum class PushKind { Change = 0, Archive = 1, User = 2, Alarm = 3 }; // Alarm: cppTango 10

// Runs f with the device monitor held; f runs with the GIL.
template <class F>
void with_device_monitor(PyDevice &dev, F &&f) {
    ensure_omni_thread();
    GilRelease release;
    Tango::AutoTangoMonitor sync(&dev);
    GilRelease::Reacquire gil(release);
    f();
}

// Sends the event; called without the GIL (ZMQ sends, cppTango locks: no Python here).
void fire(Tango::Attribute &att, PushKind kind, Tango::DevFailed *except) {
    switch (kind) {
    case PushKind::Change: att.fire_change_event(except); break;
    case PushKind::Archive: att.fire_archive_event(except); break;
    case PushKind::Alarm:
#if PYTANGO_HAS_ALARM_EVENT
        att.fire_alarm_event(except);
        break;
#else
        Tango::Except::throw_exception("API_NotSupported", "Alarm events need cppTango 10",
                                       "pytango push_alarm_event");
#endif
    case PushKind::User: {
        std::vector<std::string> names;
        std::vector<double> values;
        att.fire_event(names, values, except);
        break;
    }
    }
}

// The device monitor is taken without the GIL, then the GIL for the value only, and the event
// is sent with the monitor still held but without the GIL: two GIL hand-overs per push.
void push(DeviceHandle &h, int kind_value, const std::string &name, py::handle value, py::handle time,
          py::handle quality) {
    PyDevice &dev = h.get();
    const auto kind = static_cast<PushKind>(kind_value);
    ensure_omni_thread();
    std::optional<Tango::DevFailed> error;
    GilRelease release;
    Tango::AutoTangoMonitor sync(&dev);
    Tango::Attribute &att = dev.get_device_attr()->get_attr_by_name(name.c_str());
    {
        GilRelease::Reacquire gil(release);
        if (!value.is_none() && is_devfailed(value)) {
            // An exception instead of a value: the subscribers receive the error.
            error.emplace(errors_from_py(value.attr("args")));
        } else if (!value.is_none() && PyExceptionInstance_Check(value.ptr())) {
            // any other exception: as PyTango (Except.to_dev_failed), a PyDs_PythonError whose
            // desc is the exception's text and origin its traceback
            py::module_ traceback = py::module_::import("traceback");
            py::str join("");
            py::object desc = join.attr("join")(traceback.attr("format_exception_only")(py::type::handle_of(value), value));
            py::object origin = join.attr("join")(traceback.attr("format_exception")(
                py::type::handle_of(value), value, value.attr("__traceback__")));
            Tango::DevErrorList errors(1);
            errors.length(1);
            errors[0].reason = CORBA::string_dup("PyDs_PythonError");
            errors[0].desc = CORBA::string_dup(desc.cast<std::string>().c_str());
            errors[0].origin = CORBA::string_dup(origin.cast<std::string>().c_str());
            errors[0].severity = Tango::ERR;
            error.emplace(errors);
        } else {
            ReadBuffer &buf = dev.push_buffer(att.get_name());
            const std::string lname = value.is_none() ? lower_name(att.get_name()) : std::string();
            if (value.is_none() && lname != "state" && lname != "status") {
                Tango::Except::throw_exception("API_PushEventWithoutData",
                                               "Cannot push event for attribute " + att.get_name() +
                                                   " without data. Pushing event without data parameter is only "
                                                   "allowed for State and Status attributes.",
                                               "pytango push event");
            }
            if (value.is_none()) {
                if (lname == "state") {
                    *reinterpret_cast<Tango::DevState *>(buf.scalar) = dev.get_state();
                    att.set_value(reinterpret_cast<Tango::DevState *>(buf.scalar));
                } else {
                    buf.strings.assign(1, dev.get_status());
                    buf.string_ptrs.assign(1, const_cast<char *>(buf.strings[0].c_str()));
                    att.set_value(buf.string_ptrs.data());
                }
            } else if (!time.is_none() || !quality.is_none()) {
                py::object t = time.is_none() ? py::module_::import("time").attr("time")()
                                              : py::reinterpret_borrow<py::object>(time);
                py::object q = quality.is_none() ? py::cast(Tango::ATTR_VALID) : py::reinterpret_borrow<py::object>(quality);
                set_attribute_result(att, py::make_tuple(value, t, q), buf);
            } else {
                set_attribute_value(att, value, buf);
                struct timeval tv;
                gettimeofday(&tv, nullptr);
                att.set_date(tv);
            }
        }
    }
    fire(att, kind, error ? &*error : nullptr);
}

// Device.push_change_event(attr_name, *args) and push_archive_event: compiled methods, as
// pushes come in bursts. The usual forms, (name) and (name, value), go straight to push(); the
// others (time and quality, image dimensions, DevEncoded) are sorted out by
// tango.server.device._push_args.
template <PushKind Kind>
PyObject *push_method(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    try {
        if (kwnames != nullptr && PyTuple_GET_SIZE(kwnames) != 0) {
            for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); ++i) {
                const std::string key = py::handle(PyTuple_GET_ITEM(kwnames, i)).cast<std::string>();
                if (key == "dim_x" || key == "dim_y") {
                    throw py::type_error("dim_x and dim_y arguments are no longer supported (PyTango 10): push the "
                                         "value in its shape (a 2D array for an image)");
                }
            }
            throw py::type_error("push_*_event() takes positional arguments only");
        }
        if (nargs < 1) throw py::type_error("push_*_event() missing required argument 'attr_name'");
        auto &h = py::handle(self).cast<DeviceHandle &>();
        const std::string name = py::handle(args[0]).cast<std::string>();
        const int kind = static_cast<int>(Kind);
        if (nargs <= 2) {
            push(h, kind, name, nargs == 2 ? py::handle(args[1]) : py::none(), py::none(), py::none());
        } else {
            PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> push_args;
            const py::object &sort = push_args.call_once_and_store_result([] {
                return py::module_::import("tango.server.device").attr("_push_args");
            }).get_stored();
            py::tuple rest(nargs - 1);
            for (Py_ssize_t i = 1; i < nargs; ++i) rest[i - 1] = py::handle(args[i]);
            py::tuple vtq = sort(rest);
            push(h, kind, name, vtq[0], vtq[1], vtq[2]);
        }
        Py_RETURN_NONE;
    } catch (...) {
        set_error_from_current_exception();
        return nullptr;
    }
}

template <PushKind Kind>
void add_push_method(py::class_<DeviceHandle> &cls, const char *name, const char *doc) {
    static PyMethodDef def = {name, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&push_method<Kind>)),
                              METH_FASTCALL | METH_KEYWORDS, doc};
    PyObject *descr = PyDescr_NewMethod(reinterpret_cast<PyTypeObject *>(cls.ptr()), &def);
    if (descr == nullptr) throw py::error_already_set();
    cls.attr(name) = py::reinterpret_steal<py::object>(descr);
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
    add_push_method<PushKind::Change>(
        cls, "push_change_event",
        "push_change_event(attr_name, *args): (name) for State/Status, (name, exception), (name, value), (name, "
        "value, time, quality), or the DevEncoded forms (name, format, data[, time, quality]).");
    add_push_method<PushKind::Archive>(cls, "push_archive_event",
                                       "push_archive_event(attr_name, *args): the forms of push_change_event.");
#if PYTANGO_HAS_ALARM_EVENT
    add_push_method<PushKind::Alarm>(cls, "push_alarm_event",
                                     "push_alarm_event(attr_name, *args): the forms of push_change_event (cppTango 10).");
    cls.def("set_alarm_event", [](DeviceHandle &h, std::string attr, bool implemented, bool detect) {
        h.get().set_alarm_event(attr, implemented, detect);
    }, py::arg("attr_name"), py::arg("implemented"), py::arg("detect") = true);
#endif
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
