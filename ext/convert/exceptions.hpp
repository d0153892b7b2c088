// DevFailed both ways. cppTango exceptions become instances of the Python classes defined in
// tango/errors.py (DevFailed and its subclasses), whose args are a tuple of DevError.
#pragma once

#include "pytango.hpp"

namespace pt {

// Python-side copy of one Tango::DevError.
struct DevError {
    std::string reason;
    std::string desc;
    std::string origin;
    Tango::ErrSeverity severity = Tango::ERR;
};

py::tuple errors_to_py(const Tango::DevErrorList &errors);

// A tango.NamedDevFailedList instance (not raised): args the call's errors, err_list one
// NamedDevFailed per attribute.
py::object named_failed_to_py(const Tango::NamedDevFailedList &e);
Tango::DevErrorList errors_from_py(py::handle errors);

// The errors of an exception object (not being raised): a tango.DevFailed gives its own, any
// other exception one error, reason PyDs_PythonError, with its traceback in desc.
Tango::DevErrorList errors_from_exception(py::handle exc);

// Raise (set) the Python exception for the C++ exception being handled; used by the pybind11
// translator and by callers that catch themselves.
void set_python_error(std::exception_ptr p);

// True for an instance of tango.DevFailed (the class is looked up once).
bool is_devfailed(py::handle o);

// A Python exception (being handled, fetched by the caller) as a DevFailed for cppTango: a
// tango.DevFailed keeps its errors; anything else becomes reason PyDs_PythonError with the
// traceback in desc.
Tango::DevFailed devfailed_from_python(py::error_already_set &err);

// In a catch block: sets the Python error for the C++ exception being handled, as pybind11's
// translator does (for the C API entry points, which pybind11 does not wrap).
void set_error_from_current_exception();

void register_exceptions(py::module_ &m);

} // namespace pt
