#include "pytango.hpp"
#include "convert/server_attribute.hpp"
#include "convert/sequence.hpp"
#include "types/encoded_attribute.hpp"

namespace pt {

namespace {

Tango::TimeVal timeval_of(py::handle t) {
    if (py::isinstance<Tango::TimeVal>(t)) return t.cast<Tango::TimeVal>();
    double ts = t.cast<double>();
    Tango::TimeVal tv;
    double sec = std::floor(ts);
    tv.tv_sec = static_cast<CORBA::Long>(sec);
    tv.tv_usec = static_cast<CORBA::Long>((ts - sec) * 1e6);
    tv.tv_nsec = 0;
    return tv;
}

} // namespace

void set_attribute_value(Tango::Attribute &att, py::handle value, ReadBuffer &buf) {
    // None sets no value: the client gets cppTango's API_AttrValueNotSet, as with PyTango.
    if (value.is_none()) return;
    const auto format = att.get_data_format();
    visit_element_type(att.get_data_type(), [&](auto t) {
        using Traits = decltype(t);
        using T = typename Traits::value_type;
        if constexpr (Traits::kind == Kind::Encoded) {
            if (!encoded_attribute_value(value, buf.encoded, att.get_name())) encoded_from_py(value, buf.encoded);
            att.set_value(&buf.encoded);
        } else if (format == Tango::SCALAR) {
            if constexpr (Traits::kind == Kind::String) {
                buf.strings.assign(1, bytes_from_py(value));
                buf.string_ptrs.assign(1, const_cast<char *>(buf.strings[0].c_str()));
                att.set_value(buf.string_ptrs.data());
            } else {
                static_assert(sizeof(T) <= sizeof(buf.scalar), "scalar buffer too small");
                T *slot = reinterpret_cast<T *>(buf.scalar);
                *slot = scalar_from_py<T>(value);
                att.set_value(slot);
            }
        } else {
            const int ndim = format == Tango::IMAGE ? 2 : 1;
            if constexpr (Traits::kind == Kind::Numeric) {
                if (PyUnicode_Check(value.ptr())) throw_type_error(value, "a sequence of numbers");
                auto arr = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(value);
                if (!arr) throw_type_error(value, "a sequence of numbers");
                if (arr.ndim() != ndim && !(arr.size() == 0 && arr.ndim() <= ndim)) throw_shape_error(value, ndim);
                long x = static_cast<long>(arr.size()), y = 0;
                if (ndim == 2) {
                    x = arr.ndim() == 2 ? static_cast<long>(arr.shape(1)) : 0;
                    y = arr.ndim() == 2 ? static_cast<long>(arr.shape(0)) : 0;
                }
                T *data = const_cast<T *>(arr.data());
                buf.array = std::move(arr);
                att.set_value(data, x, y, false);
            } else {
                auto r = seq_from_py<Traits>(value, ndim);
                const CORBA::ULong n = r.seq->length();
                if constexpr (Traits::kind == Kind::String) {
                    buf.strings.clear();
                    buf.string_ptrs.clear();
                    buf.strings.reserve(n);
                    for (CORBA::ULong i = 0; i < n; ++i) buf.strings.emplace_back((*r.seq)[i].in());
                    for (auto &s : buf.strings) buf.string_ptrs.push_back(const_cast<char *>(s.c_str()));
                    att.set_value(buf.string_ptrs.data(), r.shape.x, ndim == 2 ? r.shape.y : 0, false);
                } else {
                    buf.states.assign(r.seq->get_buffer(), r.seq->get_buffer() + n);
                    att.set_value(buf.states.data(), r.shape.x, ndim == 2 ? r.shape.y : 0, false);
                }
            }
        }
    });
}

void set_attribute_result(Tango::Attribute &att, py::handle result, ReadBuffer &buf) {
    // (value, time, quality): recognised by its quality, so a spectrum of three numbers is not
    // mistaken for it. A DevEncoded one may also be flat: (format, data, time, quality).
    const Py_ssize_t size = PyTuple_Check(result.ptr()) ? PyTuple_GET_SIZE(result.ptr()) : 0;
    const bool flat_encoded = size == 4 && att.get_data_type() == Tango::DEV_ENCODED;
    if (size == 3 || flat_encoded) {
        py::handle quality = PyTuple_GET_ITEM(result.ptr(), size - 1);
        if (py::isinstance(quality, py::type::handle_of(py::cast(Tango::ATTR_VALID)))) {
            py::object value = flat_encoded
                                   ? py::object(py::make_tuple(py::handle(PyTuple_GET_ITEM(result.ptr(), 0)), py::handle(PyTuple_GET_ITEM(result.ptr(), 1))))
                                   : py::reinterpret_borrow<py::object>(PyTuple_GET_ITEM(result.ptr(), 0));
            auto q = quality.cast<Tango::AttrQuality>();
            Tango::TimeVal tv = timeval_of(PyTuple_GET_ITEM(result.ptr(), size - 2));
            if (q == Tango::ATTR_INVALID) {
                att.set_quality(q);
                att.set_date(tv);
                return;
            }
            set_attribute_value(att, value, buf);
            att.set_date(tv);
            att.set_quality(q);
            return;
        }
    }
    set_attribute_value(att, result, buf);
}

namespace {

// cppTango's copies of the last written value (kept after the write request ended), one getter
// per sequence type.
const Tango::DevVarShortArray *last_written(Tango::WAttribute &a, Tango::DevVarShortArray *) { return a.get_last_written_sh(); }
const Tango::DevVarLongArray *last_written(Tango::WAttribute &a, Tango::DevVarLongArray *) { return a.get_last_written_lg(); }
const Tango::DevVarDoubleArray *last_written(Tango::WAttribute &a, Tango::DevVarDoubleArray *) { return a.get_last_written_db(); }
const Tango::DevVarStringArray *last_written(Tango::WAttribute &a, Tango::DevVarStringArray *) { return a.get_last_written_str(); }
const Tango::DevVarFloatArray *last_written(Tango::WAttribute &a, Tango::DevVarFloatArray *) { return a.get_last_written_fl(); }
const Tango::DevVarBooleanArray *last_written(Tango::WAttribute &a, Tango::DevVarBooleanArray *) { return a.get_last_written_boo(); }
const Tango::DevVarUShortArray *last_written(Tango::WAttribute &a, Tango::DevVarUShortArray *) { return a.get_last_written_ush(); }
const Tango::DevVarCharArray *last_written(Tango::WAttribute &a, Tango::DevVarCharArray *) { return a.get_last_written_uch(); }
const Tango::DevVarLong64Array *last_written(Tango::WAttribute &a, Tango::DevVarLong64Array *) { return a.get_last_written_lg64(); }
const Tango::DevVarULong64Array *last_written(Tango::WAttribute &a, Tango::DevVarULong64Array *) { return a.get_last_written_ulg64(); }
const Tango::DevVarULongArray *last_written(Tango::WAttribute &a, Tango::DevVarULongArray *) { return a.get_last_written_ulg(); }
const Tango::DevVarStateArray *last_written(Tango::WAttribute &a, Tango::DevVarStateArray *) { return a.get_last_written_state(); }

} // namespace

py::object write_value_to_py(Tango::WAttribute &att, bool after_write) {
    const auto format = att.get_data_format();
    return visit_element_type(att.get_data_type(), [&](auto t) -> py::object {
        using Traits = decltype(t);
        using T = typename Traits::value_type;
        if constexpr (Traits::kind != Kind::Encoded) {
            if (after_write) {
                // Outside the write request (a read method asking for the set point):
                // get_write_value's pointer is into the freed request buffer (garbage was read
                // back), so the value comes from cppTango's copy of the last written data.
                using Seq = typename Traits::seq_type;
                const Seq *seq = last_written(att, static_cast<Seq *>(nullptr));
                const size_t n = seq->length();
                if (format == Tango::SCALAR) {
                    if (n == 0) return py::none();
                    if constexpr (Traits::kind == Kind::String) return latin1_to_py((*seq)[0]);
                    else return scalar_to_py(static_cast<T>((*seq)[0]));
                }
                Shape s{att.get_w_dim_x(), att.get_w_dim_y(), format == Tango::IMAGE};
                if (s.size() != n) s = Shape{static_cast<long>(n), 0, false};
                if constexpr (Traits::kind == Kind::String) {
                    std::vector<const char *> p(n);
                    for (size_t i = 0; i < n; ++i) p[i] = (*seq)[i];
                    return nested(p.data(), s, true);
                } else {
                    return array_to_py<Traits>(n ? seq->get_buffer() : nullptr, s, ExtractAs::Numpy, py::handle());
                }
            }
        }
        if constexpr (Traits::kind == Kind::String) {
            const Tango::ConstDevString *p = nullptr;
            att.get_write_value(p);
            if (format == Tango::SCALAR) return p ? latin1_to_py(p[0]) : py::str("");
            Shape s{att.get_w_dim_x(), att.get_w_dim_y(), format == Tango::IMAGE};
            return nested(p, s, true);
        } else {
            const T *p = nullptr;
            att.get_write_value(p);
            if constexpr (Traits::kind == Kind::Encoded) {
                return p ? scalar_to_py(*p) : py::none();
            } else {
                if (format == Tango::SCALAR) return p ? scalar_to_py(p[0]) : py::none();
                Shape s{att.get_w_dim_x(), att.get_w_dim_y(), format == Tango::IMAGE};
                if (s.size() == 0) p = nullptr;
                // A copy: the written buffer belongs to the request.
                return array_to_py<Traits>(p, s, ExtractAs::Numpy, py::handle());
            }
        }
    });
}

} // namespace pt
