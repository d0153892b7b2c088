// One element, both directions, for every element type of types.hpp.
// Strings are Latin-1 both ways (as in PyTango), so every byte 0..255 survives a round trip.
#pragma once

#include "convert/types.hpp"

#include <cmath>
#include <limits>

namespace pt {

inline py::str latin1_to_py(const char *s, size_t n) {
    PyObject *o = PyUnicode_DecodeLatin1(s, static_cast<Py_ssize_t>(n), nullptr);
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::str>(o);
}
inline py::str latin1_to_py(const char *s) { return latin1_to_py(s, s ? std::strlen(s) : 0); }

// str (Latin-1 encodable) or bytes-like to a byte string; a clear error otherwise.
std::string bytes_from_py(py::handle o, const char *what = "a string");

[[noreturn]] void throw_type_error(py::handle o, const char *expected);

template <class T>
py::object scalar_to_py(const T &v) {
    if constexpr (std::is_same_v<T, bool>) {
        return py::bool_(v);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        return py::reinterpret_steal<py::object>(PyLong_FromLongLong(static_cast<long long>(v)));
    } else if constexpr (std::is_integral_v<T>) {
        return py::reinterpret_steal<py::object>(
            PyLong_FromUnsignedLongLong(static_cast<unsigned long long>(v)));
    } else if constexpr (std::is_floating_point_v<T>) {
        return py::reinterpret_steal<py::object>(PyFloat_FromDouble(static_cast<double>(v)));
    } else if constexpr (std::is_same_v<T, Tango::DevState>) {
        return py::cast(v);
    } else if constexpr (std::is_same_v<T, Tango::DevEncoded>) {
        return py::make_tuple(
            latin1_to_py(v.encoded_format.in()),
            py::bytes(reinterpret_cast<const char *>(v.encoded_data.get_buffer()),
                      v.encoded_data.length()));
    } else { // char * and the CORBA string members of sequences
        return latin1_to_py(static_cast<const char *>(v));
    }
}

// Integers: Python ints, numpy integers, bools, and floats with an integral value; the range is
// checked, so 300 written to a DevUChar is an OverflowError, not 44.
template <class T>
T integer_from_py(py::handle o) {
    PyObject *idx = nullptr;
    if (PyFloat_Check(o.ptr())) {
        double d = PyFloat_AS_DOUBLE(o.ptr());
        if (!std::isfinite(d) || d != std::floor(d)) throw_type_error(o, "an integer");
        idx = PyLong_FromDouble(d);
    } else if (PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr())) {
        throw_type_error(o, "an integer");
    } else {
        idx = PyNumber_Index(o.ptr());
    }
    if (idx == nullptr) {
        PyErr_Clear();
        throw_type_error(o, "an integer");
    }
    auto num = py::reinterpret_steal<py::object>(idx);
    int overflow = 0;
    if constexpr (std::is_signed_v<T>) {
        long long v = PyLong_AsLongLongAndOverflow(num.ptr(), &overflow);
        if (overflow == 0 && v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max())
            return static_cast<T>(v);
    } else {
        unsigned long long v = PyLong_AsUnsignedLongLong(num.ptr());
        if (PyErr_Occurred()) {
            PyErr_Clear();
        } else if (v <= std::numeric_limits<T>::max()) {
            return static_cast<T>(v);
        }
    }
    PyErr_SetObject(PyExc_OverflowError,
                    py::str("{} is out of range for this Tango integer type").format(o).ptr());
    throw py::error_already_set();
}

template <class T>
T scalar_from_py(py::handle o) {
    if constexpr (std::is_same_v<T, bool>) {
        if (PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr())) throw_type_error(o, "a bool");
        int r = PyObject_IsTrue(o.ptr());
        if (r < 0) throw py::error_already_set();
        return r != 0;
    } else if constexpr (std::is_same_v<T, Tango::DevState>) {
        int v = integer_from_py<int>(o);
        if (v < Tango::ON || v > Tango::UNKNOWN) throw py::value_error("not a DevState value");
        return static_cast<Tango::DevState>(v);
    } else if constexpr (std::is_integral_v<T>) {
        return integer_from_py<T>(o);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr())) throw_type_error(o, "a number");
        double d = PyFloat_AsDouble(o.ptr());
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            throw_type_error(o, "a number");
        }
        return static_cast<T>(d);
    } else {
        static_assert(sizeof(T) == 0, "strings and DevEncoded are converted by their callers");
    }
}

// A time stamp: seconds since the epoch (a number), a TimeVal, or None for now.
struct timeval timeval_from_py(py::handle t);

// (format, data) with data bytes-like, str or a numpy array.
void encoded_from_py(py::handle o, Tango::DevEncoded &out);

} // namespace pt
