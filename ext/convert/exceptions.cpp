#include "pytango.hpp"
#include "convert/exceptions.hpp"
#include "convert/record.hpp"
#include "convert/scalar.hpp"

#include <array>

namespace pt {

namespace {

// The order of tango.errors classes looked up by the translator; DevFailed is the fallback.
enum ErrorClass {
    kDevFailed, kConnectionFailed, kCommunicationFailed, kWrongNameSyntax, kNonDbDevice,
    kWrongData, kNonSupportedFeature, kAsynCall, kAsynReplyNotArrived, kEventSystemFailed,
    kDeviceUnlocked, kNotAllowed, kNamedDevFailedList, kErrorClassCount
};
constexpr std::array<const char *, kErrorClassCount> kErrorClassNames = {
    "DevFailed", "ConnectionFailed", "CommunicationFailed", "WrongNameSyntax", "NonDbDevice",
    "WrongData", "NonSupportedFeature", "AsynCall", "AsynReplyNotArrived", "EventSystemFailed",
    "DeviceUnlocked", "NotAllowed", "NamedDevFailedList"};

// Classes are looked up once, on first use (tango.errors imports this module, so not at init).
py::handle error_class(ErrorClass which) {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<std::array<py::object, kErrorClassCount>> store;
    auto &classes = store.call_once_and_store_result([] {
        auto mod = py::module_::import("tango.errors");
        std::array<py::object, kErrorClassCount> c;
        for (size_t i = 0; i < kErrorClassCount; ++i) c[i] = mod.attr(kErrorClassNames[i]);
        return c;
    }).get_stored();
    return classes[which];
}

void raise(ErrorClass which, const Tango::DevErrorList &errors) {
    py::object exc = error_class(which)(*errors_to_py(errors));
    PyErr_SetObject(error_class(which).ptr(), exc.ptr());
}

void raise_named(const Tango::NamedDevFailedList &e) {
    py::object exc = named_failed_to_py(e);
    PyErr_SetObject(error_class(kNamedDevFailedList).ptr(), exc.ptr());
}

Tango::DevErrorList one_error(const char *reason, const std::string &desc) {
    Tango::DevErrorList errors(1);
    errors.length(1);
    errors[0].reason = CORBA::string_dup(reason);
    errors[0].desc = CORBA::string_dup(desc.c_str());
    errors[0].origin = CORBA::string_dup("pytango");
    errors[0].severity = Tango::ERR;
    return errors;
}

Tango::DevErrorList corba_error(const CORBA::Exception &e) {
    std::string desc = std::string("CORBA exception: ") + e._name();
    if (auto *sys = CORBA::SystemException::_downcast(&e)) {
        desc += std::string(" (") + sys->NP_minorString() + ")";
    }
    return one_error("API_CorbaException", desc);
}

} // namespace

py::object named_failed_to_py(const Tango::NamedDevFailedList &e) {
    py::object exc = error_class(kNamedDevFailedList)(*errors_to_py(e.errors));
    py::list failed;
    for (const auto &nf : e.err_list) {
        failed.append(py::make_tuple(nf.name, nf.idx_in_call, errors_to_py(nf.err_stack)));
    }
    exc.attr("_failed") = failed;
    return exc;
}

py::tuple errors_to_py(const Tango::DevErrorList &errors) {
    py::tuple t(errors.length());
    for (CORBA::ULong i = 0; i < errors.length(); ++i) {
        DevError e;
        e.reason = errors[i].reason.in();
        e.desc = errors[i].desc.in();
        e.origin = errors[i].origin.in();
        e.severity = errors[i].severity;
        t[i] = py::cast(std::move(e));
    }
    return t;
}

Tango::DevErrorList errors_from_py(py::handle errors) {
    std::vector<DevError> v;
    for (auto item : py::iter(errors)) v.push_back(item.cast<DevError>());
    Tango::DevErrorList out(static_cast<CORBA::ULong>(v.size()));
    out.length(static_cast<CORBA::ULong>(v.size()));
    for (size_t i = 0; i < v.size(); ++i) {
        out[i].reason = CORBA::string_dup(v[i].reason.c_str());
        out[i].desc = CORBA::string_dup(v[i].desc.c_str());
        out[i].origin = CORBA::string_dup(v[i].origin.c_str());
        out[i].severity = v[i].severity;
    }
    return out;
}

Tango::DevErrorList errors_from_exception(py::handle exc) {
    if (py::isinstance(exc, error_class(kDevFailed))) return errors_from_py(exc.attr("args"));
    if (!PyExceptionInstance_Check(exc.ptr())) {
        throw py::type_error("expected an exception, got " + py::repr(exc).cast<std::string>());
    }
    auto tb = py::module_::import("traceback");
    py::object lines = tb.attr("format_exception")(py::type::handle_of(exc), exc, exc.attr("__traceback__"));
    return one_error("PyDs_PythonError", py::str("").attr("join")(lines).cast<std::string>());
}

void set_python_error(std::exception_ptr p) {
    try {
        std::rethrow_exception(p);
    } catch (const Tango::NamedDevFailedList &e) { raise_named(e);
    } catch (const Tango::ConnectionFailed &e) { raise(kConnectionFailed, e.errors);
    } catch (const Tango::CommunicationFailed &e) { raise(kCommunicationFailed, e.errors);
    } catch (const Tango::WrongNameSyntax &e) { raise(kWrongNameSyntax, e.errors);
    } catch (const Tango::NonDbDevice &e) { raise(kNonDbDevice, e.errors);
    } catch (const Tango::WrongData &e) { raise(kWrongData, e.errors);
    } catch (const Tango::NonSupportedFeature &e) { raise(kNonSupportedFeature, e.errors);
    } catch (const Tango::AsynCall &e) { raise(kAsynCall, e.errors);
    } catch (const Tango::AsynReplyNotArrived &e) { raise(kAsynReplyNotArrived, e.errors);
    } catch (const Tango::EventSystemFailed &e) { raise(kEventSystemFailed, e.errors);
    } catch (const Tango::DeviceUnlocked &e) { raise(kDeviceUnlocked, e.errors);
    } catch (const Tango::NotAllowed &e) { raise(kNotAllowed, e.errors);
    } catch (const Tango::DevFailed &e) { raise(kDevFailed, e.errors);
    } catch (const CORBA::Exception &e) { raise(kDevFailed, corba_error(e));
    }
}

bool is_devfailed(py::handle o) {
    if (!PyExceptionInstance_Check(o.ptr())) return false; // a plain value: no class lookup
    const int r = PyObject_IsInstance(o.ptr(), error_class(kDevFailed).ptr());
    if (r < 0) throw py::error_already_set();
    return r != 0;
}

Tango::DevFailed devfailed_from_python(py::error_already_set &err) {
    if (err.matches(error_class(kDevFailed))) {
        try {
            return Tango::DevFailed(errors_from_py(err.value().attr("args")));
        } catch (py::error_already_set &) {
            // A DevFailed built by hand with odd args: fall through to the generic form.
        }
    }
    std::string desc;
    try {
        // An error raised before any Python frame ran (a handler called with the wrong
        // arguments) has no traceback: None, not a null handle (which no call can take).
        py::object trace = err.trace() ? py::reinterpret_borrow<py::object>(err.trace()) : py::none();
        auto tb = py::module_::import("traceback");
        auto lines = tb.attr("format_exception")(err.type(), err.value(), trace);
        desc = py::str("").attr("join")(lines).cast<std::string>();
    } catch (const std::exception &) { // py::error_already_set, or a cast that failed
        desc = err.what();
    }
    return Tango::DevFailed(one_error("PyDs_PythonError", desc));
}

void register_exceptions(py::module_ &m) {
    py::class_<DevError> dev_error(m, "DevError");
    dev_error
        .def(py::init([] { return DevError{"", "", "", Tango::WARN}; })) // PyTango's default: WARN
        .def(py::init([](std::string reason, std::string desc, std::string origin,
                         Tango::ErrSeverity severity) {
                 return DevError{std::move(reason), std::move(desc), std::move(origin), severity};
             }),
             py::arg("reason"), py::arg("desc") = "", py::arg("origin") = "",
             py::arg("severity") = Tango::ERR)
        .def_readwrite("reason", &DevError::reason)
        .def_readwrite("desc", &DevError::desc)
        .def_readwrite("origin", &DevError::origin)
        .def_readwrite("severity", &DevError::severity)
        .def("__eq__", [](const DevError &a, const DevError &b) {
            return a.reason == b.reason && a.desc == b.desc && a.origin == b.origin &&
                   a.severity == b.severity;
        })
        .def(py::pickle(
            [](const DevError &e) { return py::make_tuple(e.reason, e.desc, e.origin, e.severity); },
            [](py::tuple t) {
                return DevError{t[0].cast<std::string>(), t[1].cast<std::string>(),
                                t[2].cast<std::string>(), t[3].cast<Tango::ErrSeverity>()};
            }));
    with_struct_format(dev_error, false);
    // str: PyTango's own layout (desc and origin may span lines: indented under their name)
    dev_error.def("__str__", [](const DevError &e) {
        const std::string details = "desc = " + indented(e.desc, true) + "\norigin = " + indented(e.origin, true) +
                                    "\nreason = " + e.reason + "\nseverity = " +
                                    py::str(py::cast(e.severity)).cast<std::string>() + "\n";
        return "DevError[\n" + indented(details, false) + "\n]";
    });

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            std::rethrow_exception(p);
        } catch (const py::builtin_exception &) {
            throw; // TypeError, ValueError... raised on purpose by the conversions
        } catch (const py::error_already_set &) {
            throw;
        } catch (const std::bad_alloc &) {
            throw; // MemoryError
        } catch (...) {
            set_error_from_current_exception();
        }
    });
}

void set_error_from_current_exception() {
    try {
        try {
            throw;
        } catch (py::error_already_set &e) {
            e.restore();
        } catch (const py::builtin_exception &e) {
            e.set_error();
        } catch (const Tango::DevFailed &) {
            set_python_error(std::current_exception());
        } catch (const CORBA::Exception &) {
            set_python_error(std::current_exception());
        } catch (const std::bad_alloc &) {
            PyErr_NoMemory();
        } catch (const std::exception &e) {
            // Any other C++ exception (from cppTango or the STL) is a DevFailed, never a bare
            // RuntimeError.
            raise(kDevFailed, one_error("PyDs_CppException", e.what()));
        }
    } catch (py::error_already_set &e) {
        e.restore(); // building the Python exception failed: that error instead
    } catch (...) {
        PyErr_SetString(PyExc_SystemError, "unknown C++ exception in pytango");
    }
}

} // namespace pt
