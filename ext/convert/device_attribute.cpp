#include "pytango.hpp"
#include "convert/device_attribute.hpp"
#include "convert/exceptions.hpp"
#include "convert/sequence.hpp"

namespace pt {

namespace {

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
    if (r.data_format == Tango::SCALAR) {
        const T *buf = seq.get_buffer();
        if (len >= 1) r.value = scalar_to_py(buf[0]);
        if (has_write) r.w_value = scalar_to_py(buf[w_offset]);
        return;
    }
    if constexpr (Traits::kind == Kind::Numeric) {
        if (ex == ExtractAs::Bytes || ex == ExtractAs::ByteArray || ex == ExtractAs::String) {
            // The raw reply buffer, read part then write part, as PyTango gives it.
            r.value = array_to_py<Traits>(seq.get_buffer(), Shape{static_cast<long>(len), 0, false}, ex, py::handle());
            return;
        }
        if (ex == ExtractAs::Numpy && len > 0) {
            // Zero copy: numpy views on the buffer taken from the sequence.
            void *data = nullptr;
            py::capsule owner = orphan_buffer(seq, data);
            const T *buf = static_cast<const T *>(data);
            r.value = array_to_py<Traits>(buf, rs, ex, owner);
            r.w_value = has_write ? array_to_py<Traits>(buf + w_offset, ws, ex, owner) : py::none();
            return;
        }
    }
    const T *buf = seq.get_buffer();
    r.value = array_to_py<Traits>(len >= n_read ? buf : nullptr, len >= n_read ? rs : Shape{0, 0, image}, ex, py::handle());
    r.w_value = has_write ? array_to_py<Traits>(buf + w_offset, ws, ex, py::handle()) : py::none();
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

DeviceAttribute attribute_to_py(Tango::DeviceAttribute &da, ExtractAs ex) {
    DeviceAttribute r;
    da.reset_exceptions(Tango::DeviceAttribute::isempty_flag);
    da.reset_exceptions(Tango::DeviceAttribute::failed_flag);
    da.reset_exceptions(Tango::DeviceAttribute::wrongtype_flag);
    r.name = da.get_name();
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
        if (r.quality != Tango::ATTR_INVALID && type >= 0 && type != Tango::DATA_TYPE_UNKNOWN)
            r.value = empty_value(type, r.data_format, ex);
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
        values_from_seq<Traits>(r, *seq, ex);
    });
    return r;
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

void register_device_attribute(py::module_ &m) {
    using DA = DeviceAttribute;
    py::class_<DA>(m, "DeviceAttribute")
        .def(py::init<>())
        .def_readwrite("name", &DA::name)
        .def_readwrite("value", &DA::value)
        .def_readwrite("w_value", &DA::w_value)
        .def_readwrite("quality", &DA::quality)
        .def_readwrite("time", &DA::time)
        .def_readwrite("dim_x", &DA::dim_x)
        .def_readwrite("dim_y", &DA::dim_y)
        .def_readwrite("w_dim_x", &DA::w_dim_x)
        .def_readwrite("w_dim_y", &DA::w_dim_y)
        .def_readwrite("nb_read", &DA::nb_read)
        .def_readwrite("nb_written", &DA::nb_written)
        .def_readwrite("type", &DA::type)
        .def_readwrite("data_format", &DA::data_format)
        .def_readwrite("has_failed", &DA::has_failed)
        .def_readwrite("is_empty", &DA::is_empty)
        .def_property_readonly("r_dimension", [](const DA &d) { return Tango::AttributeDimension{d.dim_x, d.dim_y}; })
        .def_property_readonly("w_dimension", [](const DA &d) { return Tango::AttributeDimension{d.w_dim_x, d.w_dim_y}; })
        .def("get_date", [](const DA &d) { return d.time; })
        .def("get_name", [](const DA &d) { return d.name; })
        .def("get_quality", [](const DA &d) { return d.quality; })
        .def("get_type", [](const DA &d) { return d.type; })
        .def("get_data_format", [](const DA &d) { return d.data_format; })
        .def("get_dim_x", [](const DA &d) { return d.dim_x; })
        .def("get_dim_y", [](const DA &d) { return d.dim_y; })
        .def("get_written_dim_x", [](const DA &d) { return d.w_dim_x; })
        .def("get_written_dim_y", [](const DA &d) { return d.w_dim_y; })
        .def("get_nb_read", [](const DA &d) { return d.nb_read; })
        .def("get_nb_written", [](const DA &d) { return d.nb_written; })
        .def("get_r_dimension", [](const DA &d) { return Tango::AttributeDimension{d.dim_x, d.dim_y}; })
        .def("get_w_dimension", [](const DA &d) { return Tango::AttributeDimension{d.w_dim_x, d.w_dim_y}; })
        .def("get_err_stack", [](const DA &d) { return d.errors; })
        .def("set_w_dim_x", [](DA &d, long v) { d.w_dim_x = v; })
        .def("set_w_dim_y", [](DA &d, long v) { d.w_dim_y = v; })
        .def("__repr__", [](py::handle self) {
            const char *fields[] = {"name", "value", "w_value", "quality", "type", "data_format",
                                    "dim_x", "dim_y", "w_dim_x", "w_dim_y", "time", "has_failed",
                                    "is_empty"};
            std::string s = "DeviceAttribute(";
            bool first = true;
            for (const char *f : fields) {
                if (!first) s += ", ";
                first = false;
                s += std::string(f) + "=" + py::repr(self.attr(f)).cast<std::string>();
            }
            return s + ")";
        });
}

} // namespace pt
