// The non-template helpers of the conversion core.
#include "pytango.hpp"
#include "convert/sequence.hpp"

namespace pt {

void throw_type_error(py::handle o, const char *expected) {
    throw py::type_error(py::str("expected {}, got {!r} of type {}")
                             .format(expected, o, py::type::handle_of(o).attr("__name__"))
                             .cast<std::string>());
}

void throw_shape_error(py::handle o, int ndim_expected) {
    const char *what = ndim_expected == 2 ? "an image (a 2-D array or a sequence of sequences)"
                                          : "a spectrum (a 1-D array or a flat sequence)";
    throw py::type_error(py::str("wrong shape: expected {}, got {!r}").format(what, o).cast<std::string>());
}

void throw_unsupported_type(long type, const char *where) {
    Tango::Except::throw_exception("PyDs_WrongDataType",
                                   "Tango data type " + std::to_string(type) + " is not supported as " + where,
                                   "pytango");
}

std::string bytes_from_py(py::handle o, const char *what) {
    if (PyUnicode_Check(o.ptr())) {
        PyObject *b = PyUnicode_AsLatin1String(o.ptr());
        if (b == nullptr) {
            // Keep Python's precise message (which character, where) but say why. (A
            // UnicodeError, as PyTango reports it.)
            py::error_already_set err;
            throw py::value_error(
                std::string("Tango strings are Latin-1; this text cannot be encoded (UnicodeError): ") + err.what());
        }
        auto bytes = py::reinterpret_steal<py::bytes>(b);
        return std::string(PyBytes_AS_STRING(b), static_cast<size_t>(PyBytes_GET_SIZE(b)));
    }
    if (PyBytes_Check(o.ptr())) {
        return std::string(PyBytes_AS_STRING(o.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(o.ptr())));
    }
    if (PyByteArray_Check(o.ptr())) {
        return std::string(PyByteArray_AS_STRING(o.ptr()), static_cast<size_t>(PyByteArray_GET_SIZE(o.ptr())));
    }
    throw_type_error(o, what);
}

struct timeval timeval_from_py(py::handle t) {
    struct timeval tv;
    if (t.is_none()) {
        gettimeofday(&tv, nullptr);
        return tv;
    }
    if (py::hasattr(t, "tv_sec") && py::hasattr(t, "tv_usec")) {
        tv.tv_sec = integer_from_py<long>(t.attr("tv_sec"));
        tv.tv_usec = integer_from_py<long>(t.attr("tv_usec"));
        return tv;
    }
    const double s = scalar_from_py<double>(t);
    if (!std::isfinite(s)) throw py::value_error("a time stamp must be finite");
    const double whole = std::floor(s);
    tv.tv_sec = static_cast<time_t>(whole);
    tv.tv_usec = static_cast<suseconds_t>(std::llround((s - whole) * 1e6));
    if (tv.tv_usec >= 1000000) {
        tv.tv_sec += 1;
        tv.tv_usec -= 1000000;
    }
    return tv;
}

void encoded_from_py(py::handle o, Tango::DevEncoded &out) {
    if (!PySequence_Check(o.ptr()) || PyUnicode_Check(o.ptr()) || PySequence_Size(o.ptr()) != 2) {
        if (PyErr_Occurred()) PyErr_Clear();
        throw_type_error(o, "a DevEncoded value (format, data)");
    }
    py::sequence seq = py::reinterpret_borrow<py::sequence>(o);
    std::string format = bytes_from_py(seq[0], "a str format");
    py::object data = seq[1];
    std::string raw;
    if (PyUnicode_Check(data.ptr())) {
        raw = py::reinterpret_borrow<py::str>(data).cast<std::string>(); // text payloads are UTF-8
    } else if (PyBytes_Check(data.ptr()) || PyByteArray_Check(data.ptr())) {
        raw = bytes_from_py(data);
    } else {
        // Any buffer (numpy arrays, memoryview): its raw bytes.
        auto mv = py::memoryview(data);
        raw = py::bytes(mv.attr("tobytes")()).cast<std::string>();
    }
    out.encoded_format = CORBA::string_dup(format.c_str());
    out.encoded_data.length(static_cast<CORBA::ULong>(raw.size()));
    if (!raw.empty()) std::memcpy(out.encoded_data.get_buffer(), raw.data(), raw.size());
}

} // namespace pt
