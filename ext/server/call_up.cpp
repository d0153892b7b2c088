// The error side of call_up(): a Python error becomes a DevFailed that reaches the client.
#include "pytango.hpp"
#include "gil.hpp"
#include "convert/exceptions.hpp"

namespace pt {

void throw_python_gone() {
    Tango::Except::throw_exception("PyDs_PythonError", "The Python interpreter is shutting down",
                                   "pytango");
}

void rethrow_as_devfailed(py::error_already_set &err) {
    throw devfailed_from_python(err);
}

void rethrow_as_devfailed(const std::exception &err) {
    // Conversion errors raised in C++ (pybind11 builtin exceptions) carry the Python type name.
    std::string reason = "PyDs_PythonError";
    std::string desc = err.what();
    if (dynamic_cast<const py::type_error *>(&err) || dynamic_cast<const py::value_error *>(&err)) {
        reason = "PyDs_WrongPythonDataType";
    }
    Tango::Except::throw_exception(reason, desc, "pytango");
}

} // namespace pt
