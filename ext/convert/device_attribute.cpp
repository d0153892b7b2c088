#include "pytango.hpp"
#include "convert/device_attribute.hpp"
#include "convert/exceptions.hpp"
#include "convert/sequence.hpp"

namespace pt {

namespace {

// A DevEncoded read with ExtractAs.String (the data decoded as UTF-8: UnicodeDecodeError if it
// is not) or ExtractAs.ByteArray; the other forms give bytes.
py::object encoded_as(const Tango::DevEncoded &v, ExtractAs ex) {
    const char *data = reinterpret_cast<const char *>(v.encoded_data.get_buffer());
    const size_t n = v.encoded_data.length();
    py::object payload = ex == ExtractAs::String ? py::object(py::str(data, n)) : py::object(py::bytearray(data, n));
    return py::make_tuple(latin1_to_py(v.encoded_format.in()), payload);
}

// The read part then the write part of a received sequence, as Python values.
template <class Traits>
void values_from_seq(DeviceAttribute &r, typename Traits::seq_type &seq, ExtractAs ex) {
    using T = typename Traits::value_type;
    const size_t len = seq.length();
    const bool image = r.data_format == Tango::IMAGE;
    const Shape rs{r.dim_x, r.dim_y, image};
    const Shape ws{r.w_dim_x, r.w_dim_y, image};
    const size_t n_read = r.data_format == Tango::SCALAR ? 1 : rs.size();
    const size_t n_written = r.data_format == Tango::SCALAR ? (r.nb_written > 0 ? 1 : 0) : ws.size();
    // The write part follows the read part; a WRITE attribute sends one part, both at once.
    const bool has_write = n_written > 0 && (len >= n_read + n_written || (len == n_read && n_read == n_written));
    const size_t w_offset = len >= n_read + n_written ? n_read : 0;

    if (ex == ExtractAs::Nothing) return; // dims and quality only
    if constexpr (Traits::kind == Kind::Encoded) {
        if (ex == ExtractAs::String || ex == ExtractAs::ByteArray) {
            const T *buf = seq.get_buffer();
            if (len >= 1) r.value = encoded_as(buf[0], ex);
            if (has_write) r.w_value = encoded_as(buf[w_offset], ex);
            return;
        }
    }
    if (r.data_format == Tango::SCALAR) {
        const T *buf = seq.get_buffer();
        if (len >= 1) r.value = scalar_to_py(buf[0]);
        if (has_write) r.w_value = scalar_to_py(buf[w_offset]);
        return;
    }
    if constexpr (Traits::kind == Kind::Numeric) {
        if (ex == ExtractAs::Bytes || ex == ExtractAs::ByteArray || ex == ExtractAs::String) {
            // The raw bytes of the read part, and of the write part, as PyTango 10 gives them (a
            // WRITE attribute's one part is both).
            const T *buf = seq.get_buffer();
            const size_t nr = std::min(len, n_read);
            const size_t nw = has_write ? n_written : 0;
            r.value = array_to_py<Traits>(buf, Shape{static_cast<long>(nr), 0, false}, ex, py::handle());
            r.w_value = array_to_py<Traits>(nw ? buf + w_offset : nullptr, Shape{static_cast<long>(nw), 0, false}, ex,
                                            py::handle());
            return;
        }
        if (ex == ExtractAs::Numpy && len > 0) {
            // Zero copy: numpy views on the buffer taken from the sequence.
            void *data = nullptr;
            py::capsule owner = orphan_buffer(seq, data);
            const T *buf = static_cast<const T *>(data);
            r.value = array_to_py<Traits>(buf, rs, ex, owner);
            // No write part (a READ attribute, nothing written): an empty array, as PyTango's
            r.w_value = has_write ? array_to_py<Traits>(buf + w_offset, ws, ex, owner)
                                  : array_to_py<Traits>(static_cast<const T *>(nullptr), Shape{0, 0, image}, ex, py::handle());
            return;
        }
    }
    const T *buf = seq.get_buffer();
    r.value = array_to_py<Traits>(len >= n_read ? buf : nullptr, len >= n_read ? rs : Shape{0, 0, image}, ex, py::handle());
    r.w_value = has_write ? array_to_py<Traits>(buf + w_offset, ws, ex, py::handle())
                          : array_to_py<Traits>(static_cast<const T *>(nullptr), Shape{0, 0, image}, ex, py::handle());
}

} // namespace

py::object empty_value(long type, Tango::AttrDataFormat format, ExtractAs ex) {
    if (format != Tango::SPECTRUM && format != Tango::IMAGE) return py::none();
    return visit_element_type(type, [&](auto t) -> py::object {
        using Traits = decltype(t);
        if constexpr (Traits::kind == Kind::Encoded) {
            return py::none();
        } else {
            return array_to_py<Traits>(static_cast<const typename Traits::value_type *>(nullptr),
                                       Shape{0, 0, format == Tango::IMAGE}, ex, py::handle());
        }
    });
}

DeviceAttribute attribute_to_py(Tango::DeviceAttribute &da, ExtractAs ex, py::handle name) {
    DeviceAttribute r;
    da.reset_exceptions(Tango::DeviceAttribute::isempty_flag);
    da.reset_exceptions(Tango::DeviceAttribute::failed_flag);
    da.reset_exceptions(Tango::DeviceAttribute::wrongtype_flag);
    if (name && PyUnicode_Check(name.ptr()) && PyUnicode_CompareWithASCIIString(name.ptr(), da.name.c_str()) == 0)
        r.name = py::reinterpret_borrow<py::object>(name);
    else
        r.name = py::str(da.name);
    r.quality = da.get_quality();
    r.time = da.get_date();
    r.has_failed = da.has_failed();
    if (r.has_failed) {
        r.errors = errors_to_py(da.get_err_stack());
        r.is_empty = true;
        r.time = Tango::TimeVal{0, 0, 0}; // not set by cppTango for a failed read
        return r;
    }
    r.is_empty = da.is_empty();
    r.data_format = da.data_format;
    int type = da.get_type();
    r.type = static_cast<Tango::CmdArgType>(type);
    const auto rdim = da.get_r_dimension();
    const auto wdim = da.get_w_dimension();
    r.dim_x = rdim.dim_x; r.dim_y = rdim.dim_y;
    r.w_dim_x = wdim.dim_x; r.w_dim_y = wdim.dim_y;
    r.nb_read = da.get_nb_read();
    r.nb_written = da.get_nb_written();
    if (r.is_empty || type < 0 || type == Tango::DATA_TYPE_UNKNOWN) {
        // No data. INVALID quality reads None, as in PyTango; an empty spectrum or image reads
        // as an empty array, never None.
        if (r.quality != Tango::ATTR_INVALID && type >= 0 && type != Tango::DATA_TYPE_UNKNOWN) {
            r.value = empty_value(type, r.data_format, ex);
            r.w_value = empty_value(type, r.data_format, ex); // the write part is empty too
        }
        return r;
    }
    visit_element_type(type, [&](auto t) {
        using Traits = decltype(t);
        using Seq = typename Traits::seq_type;
        Seq *raw = nullptr;
        if (!(da >> raw) || raw == nullptr) {
            if constexpr (Traits::kind == Kind::State) {
                // The State attribute comes as one DevState, not a sequence.
                Tango::DevState st;
                if (r.data_format == Tango::SCALAR && (da >> st)) r.value = py::cast(st);
            }
            return;
        }
        std::unique_ptr<Seq> seq(raw);
        if (!seq->release()) seq.reset(new Seq(*seq)); // borrowed from a server of this process
        if constexpr (Traits::kind == Kind::Encoded) {
            if (ex == ExtractAs::Nothing) { // kept for EncodedAttribute.decode_*
                r.encoded = std::move(seq);
                return;
            }
        }
        values_from_seq<Traits>(r, *seq, ex);
    });
    return r;
}

namespace {

template <class Var>
void own(Var &seq) {
    using Seq = std::remove_reference_t<decltype(seq.in())>;
    if (seq.operator->() != nullptr && !seq->release()) seq = new std::remove_const_t<Seq>(seq.in());
}

} // namespace

void own_buffers(Tango::DeviceAttribute &da) {
    own(da.LongSeq);
    own(da.ShortSeq);
    own(da.DoubleSeq);
    own(da.StringSeq);
    own(da.FloatSeq);
    own(da.BooleanSeq);
    own(da.UShortSeq);
    own(da.UCharSeq);
    own(da.Long64Seq);
    own(da.ULongSeq);
    own(da.ULong64Seq);
    own(da.StateSeq);
    own(da.EncodedSeq);
}

void attribute_from_py(Tango::DeviceAttribute &da, long type, Tango::AttrDataFormat format,
                       py::handle value, py::object &keep) {
    da.data_format = format;
    visit_element_type(type, [&](auto t) {
        using Traits = decltype(t);
        if constexpr (Traits::kind == Kind::Encoded) {
            Tango::DevEncoded enc;
            encoded_from_py(value, enc);
            da << enc;
        } else if (format == Tango::SCALAR) {
            auto seq = seq_of_one<Traits>(value);
            da.insert(seq.release(), 1, 0);
        } else {
            auto r = seq_from_py<Traits>(value, format == Tango::IMAGE ? 2 : 1);
            keep = std::move(r.keep);
            da.insert(r.seq.release(), r.shape.x, r.shape.y);
        }
    });
    da.data_format = format;
}

namespace {

using DA = DeviceAttribute;

template <auto Member>
PyGetSetDef da_field(const char *name) { return field<DA, Member>(name); }
template <auto Member>
PyMethodDef da_getter(const char *name) { return field_getter<DA, Member>(name); }

// r_dimension and w_dimension: AttributeDimension structs made on access.
template <long DA::*X, long DA::*Y>
PyObject *dimension(PyObject *self, void * = nullptr) {
    return guarded<PyObject *>(nullptr, [&] {
        const DA &d = record_of<DA>(self);
        return py::cast(Tango::AttributeDimension{d.*X, d.*Y}).release().ptr();
    });
}
template <long DA::*X, long DA::*Y>
PyObject *dimension_method(PyObject *self, PyObject *) { return dimension<X, Y>(self); }

template <long DA::*Member>
PyObject *set_long(PyObject *self, PyObject *value) {
    return guarded<PyObject *>(nullptr, [&] {
        field_from_py(value, record_of<DA>(self).*Member);
        return py::none().release().ptr();
    });
}

// value, w_value, type, has_failed and is_empty: AttributeError while unset (see DA::unset).
template <auto Member, unsigned char Bit>
PyObject *get_settable(PyObject *self, void *) {
    if (record_of<DA>(self).unset & Bit) {
        PyErr_Format(PyExc_AttributeError, "'%s' object has no attribute '%s'", Py_TYPE(self)->tp_name,
                     Bit == kUnsetValue ? "value" : Bit == kUnsetWValue ? "w_value" : Bit == kUnsetType ? "type"
                     : Bit == kUnsetHasFailed ? "has_failed" : "is_empty");
        return nullptr;
    }
    return get_field<DA, Member>(self, nullptr);
}
template <auto Member, unsigned char Bit>
int set_settable(PyObject *self, PyObject *value, void *) {
    const int r = set_field<DA, Member>(self, value, nullptr);
    if (r == 0) record_of<DA>(self).unset &= static_cast<unsigned char>(~Bit);
    return r;
}
template <auto Member, unsigned char Bit>
PyGetSetDef settable(const char *name) {
    return {name, &get_settable<Member, Bit>, &set_settable<Member, Bit>, nullptr, nullptr};
}

// DeviceAttribute(da=None): an empty one as PyTango makes it, or a copy of `da` (its values
// deep-copied, so that changing one does not change the other).
PyObject *da_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static const char *kwlist[] = {"da", nullptr};
    PyObject *src = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:DeviceAttribute", const_cast<char **>(kwlist), &src))
        return nullptr;
    if (src != Py_None && !PyObject_TypeCheck(src, record_type<DA>)) {
        PyErr_Format(PyExc_TypeError, "DeviceAttribute(da): da must be a DeviceAttribute, not %s",
                     Py_TYPE(src)->tp_name);
        return nullptr;
    }
    if (src != Py_None) {
        PyObject *o = record_copy<DA>(type, src);
        if (o == nullptr) return nullptr;
        return guarded<PyObject *>(nullptr, [&] {
            auto owner = py::reinterpret_steal<py::object>(o);
            DA &d = record_of<DA>(o);
            auto deepcopy = py::module_::import("copy").attr("deepcopy");
            d.value = deepcopy(d.value);
            d.w_value = deepcopy(d.w_value);
            return owner.release().ptr();
        });
    }
    PyObject *o = type->tp_alloc(type, 0);
    if (o == nullptr) return nullptr;
    new (&record_of<DA>(o)) DA();
    return guarded<PyObject *>(nullptr, [&] {
        auto owner = py::reinterpret_steal<py::object>(o);
        DA &d = record_of<DA>(o);
        d.name = py::str("Name not set");
        d.quality = Tango::ATTR_INVALID;
        d.unset = kUnsetAll;
        return owner.release().ptr();
    });
}

} // namespace

void register_device_attribute(py::module_ &m) {
    using R = PyObject *(*)(PyObject *, void *);
    make_record_type<DA>(
        m, "DeviceAttribute",
        {
            da_field<&DA::name>("name"),
            settable<&DA::value, kUnsetValue>("value"),
            settable<&DA::w_value, kUnsetWValue>("w_value"),
            da_field<&DA::quality>("quality"),
            da_field<&DA::time>("time"),
            da_field<&DA::dim_x>("dim_x"),
            da_field<&DA::dim_y>("dim_y"),
            da_field<&DA::w_dim_x>("w_dim_x"),
            da_field<&DA::w_dim_y>("w_dim_y"),
            da_field<&DA::nb_read>("nb_read"),
            da_field<&DA::nb_written>("nb_written"),
            settable<&DA::type, kUnsetType>("type"),
            da_field<&DA::data_format>("data_format"),
            settable<&DA::has_failed, kUnsetHasFailed>("has_failed"),
            settable<&DA::is_empty, kUnsetIsEmpty>("is_empty"),
            {"r_dimension", static_cast<R>(&dimension<&DA::dim_x, &DA::dim_y>), nullptr, nullptr, nullptr},
            {"w_dimension", static_cast<R>(&dimension<&DA::w_dim_x, &DA::w_dim_y>), nullptr, nullptr, nullptr},
        },
        {
            da_getter<&DA::time>("get_date"),
            da_getter<&DA::name>("get_name"),
            da_getter<&DA::quality>("get_quality"),
            da_getter<&DA::type>("get_type"),
            da_getter<&DA::data_format>("get_data_format"),
            da_getter<&DA::dim_x>("get_dim_x"),
            da_getter<&DA::dim_y>("get_dim_y"),
            da_getter<&DA::w_dim_x>("get_written_dim_x"),
            da_getter<&DA::w_dim_y>("get_written_dim_y"),
            da_getter<&DA::nb_read>("get_nb_read"),
            da_getter<&DA::nb_written>("get_nb_written"),
            da_getter<&DA::errors>("get_err_stack"),
            {"get_r_dimension", &dimension_method<&DA::dim_x, &DA::dim_y>, METH_NOARGS, nullptr},
            {"get_w_dimension", &dimension_method<&DA::w_dim_x, &DA::w_dim_y>, METH_NOARGS, nullptr},
            {"set_w_dim_x", &set_long<&DA::w_dim_x>, METH_O, nullptr},
            {"set_w_dim_y", &set_long<&DA::w_dim_y>, METH_O, nullptr},
        },
        &struct_repr_slot, "The value of one attribute read (or received in an event), with its quality and date.",
        &da_new, &struct_str_slot);
    // PyTango's class attributes of DeviceAttribute
    py::object type = m.attr("DeviceAttribute");
    type.attr("ExtractAs") = m.attr("ExtractAs");
    py::native_enum<Tango::DeviceAttribute::except_flags>(type, "except_flags", "enum.IntEnum")
        .value("isempty_flag", Tango::DeviceAttribute::isempty_flag)
        .value("wrongtype_flag", Tango::DeviceAttribute::wrongtype_flag)
        .value("failed_flag", Tango::DeviceAttribute::failed_flag)
        .value("unknown_format_flag", Tango::DeviceAttribute::unknown_format_flag)
        .value("numFlags", Tango::DeviceAttribute::numFlags)
        .finalize();
}

namespace {
PyTypeObject *history_type = nullptr; // DeviceAttributeHistory, kept for the process
} // namespace

void register_device_attribute_history(py::module_ &m) { // after DeviceAttribute, its base
    py::dict body;
    body["__slots__"] = py::tuple(); // the base's layout, no __dict__: make_record_as fills it
    body["__module__"] = "tango._tango";
    body["__doc__"] = "One reading of an attribute's polling buffer (DeviceProxy.attribute_history).";
    py::object type = py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject *>(&PyType_Type))(
        "DeviceAttributeHistory", py::make_tuple(m.attr("DeviceAttribute")), body);
    m.attr("DeviceAttributeHistory") = type;
    history_type = reinterpret_cast<PyTypeObject *>(type.release().ptr());
}

py::object history_record(DeviceAttribute &&value) { return make_record_as(history_type, std::move(value)); }

} // namespace pt
