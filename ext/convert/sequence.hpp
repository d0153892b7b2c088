// Arrays (spectra, images, command arrays), both directions, generic over types.hpp.
//
// Out (Tango -> Python): a CORBA sequence received from cppTango is *orphaned* into numpy: the
// array points into the sequence's buffer and a capsule frees it, so a megabyte image costs no
// copy. In (Python -> Tango): a C-contiguous numpy array of the right dtype is *lent* to a
// sequence that does not own it, for the duration of the call; anything else (lists, other
// dtypes, strided arrays) is converted once by numpy.
#pragma once

#include "convert/scalar.hpp"

#include <algorithm>
#include <memory>

namespace pt {

// Shape of the read or the write part of a value: (y, x) for images, (x,) otherwise.
struct Shape {
    long x = 0;
    long y = 0;
    bool image = false;
    size_t size() const { return static_cast<size_t>(x) * static_cast<size_t>(image ? y : 1); }
};

// Takes the buffer out of a sequence that owns it, into a capsule that frees it with the
// sequence's own deallocator. Returns the capsule (the owner) and the data pointer.
// A sequence that does not own its buffer is copied: that is what a collocated call returns
// (a client in the server's own process, e.g. a test context serving in a thread), whose
// sequence points into the server's storage; get_buffer(true) gives nullptr for it.
template <class Seq>
py::capsule orphan_buffer(Seq &seq, void *&data) {
    if (!seq.release()) {
        const CORBA::ULong n = seq.length();
        auto *copy = Seq::allocbuf(n);
        std::copy(seq.get_buffer(), seq.get_buffer() + n, copy);
        data = copy;
        return py::capsule(copy, [](void *p) { Seq::freebuf(static_cast<decltype(copy)>(p)); });
    }
    auto *buf = seq.get_buffer(true);
    data = buf;
    if (buf == nullptr) return py::capsule(static_cast<void *>(nullptr), [](void *) {});
    return py::capsule(buf, [](void *p) {
        Seq::freebuf(static_cast<decltype(buf)>(p));
    });
}

template <class P>
py::object nested(P data, Shape s, bool as_list) {
    auto make_row = [&](P row, long n) -> py::object {
        if (as_list) {
            py::list l(n);
            for (long i = 0; i < n; ++i) l[i] = scalar_to_py(row[i]);
            return std::move(l);
        }
        py::tuple t(n);
        for (long i = 0; i < n; ++i) t[i] = scalar_to_py(row[i]);
        return std::move(t);
    };
    if (!s.image) return make_row(data, s.x);
    if (as_list) {
        py::list l(s.y);
        for (long j = 0; j < s.y; ++j) l[j] = make_row(data + j * s.x, s.x);
        return std::move(l);
    }
    py::tuple t(s.y);
    for (long j = 0; j < s.y; ++j) t[j] = make_row(data + j * s.x, s.x);
    return std::move(t);
}

// Python value of n = s.size() elements at data. `owner`, when given, keeps data alive and
// numeric arrays are views on it (no copy); without it numpy copies.
template <class Traits, class P>
py::object array_to_py(P data, Shape s, ExtractAs ex, py::handle owner) {
    using T = typename Traits::value_type;
    const size_t n = s.size();
    if (ex == ExtractAs::Nothing) return py::none();
    if constexpr (Traits::kind == Kind::Numeric) {
        switch (ex) {
        case ExtractAs::Numpy: {
            std::vector<py::ssize_t> shape;
            if (s.image) shape = {s.y, s.x};
            else shape = {s.x};
            if (n == 0 || data == nullptr) return py::array(py::dtype::of<T>(), shape, {});
            if (owner) return py::array(py::dtype::of<T>(), shape, data, owner);
            return py::array(py::dtype::of<T>(), shape, data);
        }
        case ExtractAs::Bytes:
            return py::bytes(reinterpret_cast<const char *>(data), n * sizeof(T));
        case ExtractAs::ByteArray:
            return py::reinterpret_steal<py::object>(PyByteArray_FromStringAndSize(
                reinterpret_cast<const char *>(data), static_cast<Py_ssize_t>(n * sizeof(T))));
        case ExtractAs::String:
            return latin1_to_py(reinterpret_cast<const char *>(data), n * sizeof(T));
        case ExtractAs::List: return nested(data, s, true);
        default: return nested(data, s, false);
        }
    } else {
        // Strings, states: no numpy dtype holds them usefully; tuples unless a list is asked.
        return nested(data, s, ex == ExtractAs::List);
    }
}

// ---- Python -> sequence ----------------------------------------------------------------

// A sequence made from a Python value; `keep` holds what the sequence borrows (a numpy array).
template <class Traits>
struct SeqFromPy {
    std::unique_ptr<typename Traits::seq_type> seq;
    py::object keep;
    Shape shape;
};

[[noreturn]] void throw_shape_error(py::handle o, int ndim_expected);

template <class Traits>
SeqFromPy<Traits> seq_from_py(py::handle o, int ndim) {
    using T = typename Traits::value_type;
    using Seq = typename Traits::seq_type;
    SeqFromPy<Traits> r;
    if constexpr (Traits::kind == Kind::Numeric) {
        if (PyUnicode_Check(o.ptr())) throw_type_error(o, "a sequence of numbers");
        py::object src = py::reinterpret_borrow<py::object>(o);
        if constexpr (std::is_same_v<T, Tango::DevUChar>) {
            // bytes and bytearray are sequences of octets
            if (PyBytes_Check(o.ptr()) || PyByteArray_Check(o.ptr()))
                src = py::module_::import("numpy").attr("frombuffer")(o, "uint8");
        }
        auto arr = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(src);
        if (!arr) {
            // An integer out of range is an OverflowError (numpy's message); anything else that
            // is not numbers, a TypeError.
            try {
                py::module_::import("numpy").attr("asarray")(src, py::dtype::of<T>());
            } catch (py::error_already_set &err) {
                if (err.matches(PyExc_OverflowError)) throw;
            }
            throw_type_error(o, "a sequence of numbers");
        }
        if (arr.ndim() != ndim && !(arr.size() == 0 && arr.ndim() <= ndim)) throw_shape_error(o, ndim);
        if (ndim == 2 && arr.ndim() == 2)
            r.shape = {static_cast<long>(arr.shape(1)), static_cast<long>(arr.shape(0)), true};
        else
            r.shape = {static_cast<long>(arr.size()), 0, ndim == 2};
        const auto len = static_cast<CORBA::ULong>(arr.size());
        // Lend the array's buffer: the sequence does not own it (release = false).
        r.seq.reset(new Seq(len, len, const_cast<T *>(arr.data()), false));
        r.keep = std::move(arr);
    } else if constexpr (Traits::kind == Kind::String || Traits::kind == Kind::State) {
        if (PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr()))
            throw_type_error(o, "a sequence of strings");
        std::vector<py::object> items;
        long rows = 0, cols = -1;
        auto collect_row = [&](py::handle row) {
            if (PyUnicode_Check(row.ptr()) || PyBytes_Check(row.ptr()) || !PySequence_Check(row.ptr()))
                throw_shape_error(o, ndim);
            long n = 0;
            for (auto item : py::iter(row)) {
                items.push_back(py::reinterpret_borrow<py::object>(item));
                ++n;
            }
            if (cols >= 0 && n != cols) throw py::value_error("image rows must all have the same length");
            cols = n;
            ++rows;
        };
        if (!PySequence_Check(o.ptr()) && !py::isinstance<py::array>(o)) throw_type_error(o, "a sequence");
        if (ndim == 2) {
            for (auto row : py::iter(o)) collect_row(row);
            r.shape = {cols < 0 ? 0 : cols, rows, true};
        } else {
            for (auto item : py::iter(o)) items.push_back(py::reinterpret_borrow<py::object>(item));
            r.shape = {static_cast<long>(items.size()), 0, false};
        }
        const auto len = static_cast<CORBA::ULong>(items.size());
        r.seq.reset(new Seq(len));
        r.seq->length(len);
        for (CORBA::ULong i = 0; i < len; ++i) {
            if constexpr (Traits::kind == Kind::String) {
                if (!PyUnicode_Check(items[i].ptr()) && !PyBytes_Check(items[i].ptr()))
                    throw_type_error(items[i], "a str");
                (*r.seq)[i] = CORBA::string_dup(bytes_from_py(items[i]).c_str());
            } else {
                (*r.seq)[i] = scalar_from_py<T>(items[i]);
            }
        }
    } else {
        throw py::type_error("DevEncoded values are scalars only");
    }
    return r;
}

// A one-element sequence, for scalars, so that scalars and arrays share one write path.
template <class Traits>
std::unique_ptr<typename Traits::seq_type> seq_of_one(py::handle o) {
    using T = typename Traits::value_type;
    using Seq = typename Traits::seq_type;
    auto seq = std::make_unique<Seq>(1);
    seq->length(1);
    if constexpr (Traits::kind == Kind::String) {
        (*seq)[0] = CORBA::string_dup(bytes_from_py(o).c_str());
    } else if constexpr (Traits::kind == Kind::Encoded) {
        encoded_from_py(o, (*seq)[0]);
    } else {
        (*seq)[0] = scalar_from_py<T>(o);
    }
    return seq;
}

} // namespace pt
