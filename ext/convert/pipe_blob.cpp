// Pipe blobs: every data element travels in the IDL value union (AttrValUnion), so both
// directions are the attribute conversions of the type table, reached through the union branch
// (visit_union_type) or the element type (visit_command_type). Nested blobs recurse.
#include "pytango.hpp"
#include "convert/pipe_blob.hpp"
#include "convert/sequence.hpp"

#include <algorithm>
#include <set>

namespace pt {

namespace {

// ---- Tango -> Python ------------------------------------------------------------------------

py::object dtype_obj(long type) { return py::cast(static_cast<Tango::CmdArgType>(type)); }

py::dict element_to_py(const Tango::DevPipeDataElt &elt) {
    py::dict d;
    d["name"] = latin1_to_py(elt.name.in());
    const Tango::AttributeDataType tag = elt.value._d();
    if (elt.inner_blob.length() > 0 || tag == Tango::ATT_NO_DATA) {
        // A nested blob (an empty one has no data either: the union says ATT_NO_DATA).
        d["dtype"] = dtype_obj(Tango::DEV_PIPE_BLOB);
        d["value"] = blob_to_py(elt.inner_blob_name.in(), &elt.inner_blob);
        return d;
    }
    if (tag == Tango::DEVICE_STATE) {
        d["dtype"] = dtype_obj(Tango::DEV_STATE);
        d["value"] = py::cast(elt.value.dev_state_att());
        return d;
    }
    const bool known = visit_union_type(tag, [&](auto t) {
        using Traits = decltype(t);
        const auto &seq = Traits::from_union(elt.value);
        const auto n = static_cast<long>(seq.length());
        if constexpr (Traits::kind == Kind::Encoded) {
            d["dtype"] = dtype_obj(Traits::id);
            if (n == 1) {
                d["value"] = scalar_to_py(seq[0]);
            } else {
                py::list l;
                for (long i = 0; i < n; ++i) l.append(scalar_to_py(seq[i]));
                d["value"] = l;
            }
        } else if (n == 1) {
            d["dtype"] = dtype_obj(Traits::id);
            d["value"] = scalar_to_py(seq[0]);
        } else {
            // Numbers as numpy arrays (a copy: the blob owns its buffers), strings and states as
            // lists, as attribute reads give them.
            d["dtype"] = dtype_obj(Traits::array_id);
            const ExtractAs ex = Traits::kind == Kind::Numeric ? ExtractAs::Numpy : ExtractAs::List;
            d["value"] = array_to_py<Traits>(seq.get_buffer(), Shape{n, 0, false}, ex, py::handle());
        }
    });
    if (!known) {
        Tango::Except::throw_exception("PyDs_WrongDataType",
                                       "Pipe data element " + std::string(elt.name.in()) +
                                           " has a data type pytango does not know (" + std::to_string(tag) + ")",
                                       "pytango");
    }
    return d;
}

// ---- Python -> Tango ------------------------------------------------------------------------

[[noreturn]] void blob_type_error(py::handle o) {
    throw_type_error(o, "a pipe blob (blob_name, data) with data a dict {name: value} or a list of "
                        "{'name': ..., 'value': ...[, 'dtype': ...]} dicts or (name, value[, dtype]) tuples");
}

bool is_str(py::handle o) { return PyUnicode_Check(o.ptr()); }
bool is_list_or_tuple(py::handle o) { return PyList_Check(o.ptr()) || PyTuple_Check(o.ptr()); }

// numpy's dtype of a numeric Tango element type, by kind and size (int64 is 'long' or
// 'long long' depending on the platform: numbers of numpy types would not compare).
template <class T>
bool dtype_matches(char kind, size_t itemsize) {
    if (itemsize != sizeof(T)) return false;
    if constexpr (std::is_floating_point_v<T>) return kind == 'f';
    else if constexpr (std::is_signed_v<T>) return kind == 'i';
    else return kind == 'u';
}

long element_type_of_dtype(const py::dtype &dt) {
    const char kind = dt.kind();
    if (kind == 'b') return Tango::DEV_BOOLEAN;
    if (kind == 'U' || kind == 'S' || kind == 'O') return Tango::DEV_STRING;
    const auto size = static_cast<size_t>(dt.itemsize());
    for (long id : {Tango::DEV_UCHAR, Tango::DEV_SHORT, Tango::DEV_USHORT, Tango::DEV_LONG, Tango::DEV_ULONG,
                    Tango::DEV_LONG64, Tango::DEV_ULONG64, Tango::DEV_FLOAT, Tango::DEV_DOUBLE}) {
        const bool hit = visit_element_type(id, [&](auto t) {
            using Traits = decltype(t);
            if constexpr (Traits::kind == Kind::Numeric) return dtype_matches<typename Traits::value_type>(kind, size);
            else return false;
        });
        if (hit) return id;
    }
    return -1;
}

long array_type_of(long element_type) {
    return visit_element_type(element_type, [](auto t) -> long { return decltype(t)::array_id; });
}

// A data list or dict, as the second half of a blob.
bool is_blob_data(py::handle o) {
    if (PyDict_Check(o.ptr())) return true;
    if (!is_list_or_tuple(o)) return false;
    for (auto item : py::iter(o)) {
        if (PyDict_Check(item.ptr())) continue;
        if (is_list_or_tuple(item) && (py::len(item) == 2 || py::len(item) == 3) &&
            is_str(py::reinterpret_borrow<py::sequence>(item)[0]))
            continue;
        return false;
    }
    return true;
}

// The Tango type a value goes as when no dtype is given.
long infer_type(py::handle v) {
    py::module_ np = py::module_::import("numpy");
    py::object dev_state = py::module_::import("tango._tango").attr("DevState");
    if (py::isinstance(v, dev_state)) return Tango::DEV_STATE;
    if (PyBool_Check(v.ptr())) return Tango::DEV_BOOLEAN;
    if (py::isinstance(v, np.attr("generic"))) {
        long t = element_type_of_dtype(py::reinterpret_borrow<py::object>(v.attr("dtype")));
        if (t < 0) throw_type_error(v, "a numpy value of a Tango type");
        return t;
    }
    if (PyLong_Check(v.ptr())) return Tango::DEV_LONG64;
    if (PyFloat_Check(v.ptr())) return Tango::DEV_DOUBLE;
    if (is_str(v)) return Tango::DEV_STRING;
    if (PyBytes_Check(v.ptr()) || PyByteArray_Check(v.ptr())) return Tango::DEVVAR_CHARARRAY;
    if (py::isinstance<py::array>(v)) {
        auto arr = py::reinterpret_borrow<py::array>(v);
        if (arr.ndim() > 1) throw py::type_error("pipes carry scalars and 1-D arrays, not arrays of " +
                                                 std::to_string(arr.ndim()) + " dimensions");
        long t = element_type_of_dtype(arr.dtype());
        if (t < 0) throw_type_error(v, "a numpy array of a Tango type");
        return arr.ndim() == 0 ? t : array_type_of(t);
    }
    if (is_list_or_tuple(v)) {
        auto seq = py::reinterpret_borrow<py::sequence>(v);
        if (py::len(seq) == 2 && is_str(seq[0])) {
            if (PyBytes_Check(seq[1].ptr()) || PyByteArray_Check(seq[1].ptr())) return Tango::DEV_ENCODED;
            if (is_blob_data(seq[1])) return Tango::DEV_PIPE_BLOB;
        }
        if (py::len(seq) == 0) {
            throw py::type_error("cannot tell the Tango type of an empty sequence in a pipe: give a dtype "
                                 "({'name': ..., 'value': [], 'dtype': ...})");
        }
        bool states = true, strs = true, bools = true, ints = true, numbers = true;
        for (auto item : seq) {
            const bool is_bool = PyBool_Check(item.ptr()) || py::isinstance(item, np.attr("bool_"));
            const bool is_int = !is_bool && (PyLong_Check(item.ptr()) || py::isinstance(item, np.attr("integer")));
            const bool is_float = PyFloat_Check(item.ptr()) || py::isinstance(item, np.attr("floating"));
            states = states && py::isinstance(item, dev_state);
            strs = strs && is_str(item);
            bools = bools && is_bool;
            ints = ints && is_int && !py::isinstance(item, dev_state);
            numbers = numbers && (is_int || is_float) && !py::isinstance(item, dev_state);
        }
        if (states) return Tango::DEVVAR_STATEARRAY;
        if (strs) return Tango::DEVVAR_STRINGARRAY;
        if (bools) return Tango::DEVVAR_BOOLEANARRAY;
        if (ints) return Tango::DEVVAR_LONG64ARRAY;
        if (numbers) return Tango::DEVVAR_DOUBLEARRAY;
        throw_type_error(v, "a sequence of one kind (numbers, str, bool or DevState) in a pipe");
    }
    throw_type_error(v, "a pipe value (a scalar, str, 1-D array, list, DevState or a nested blob)");
}

// An explicit dtype: a CmdArgType (or its number), or any dtype form attributes accept.
long dtype_from_py(py::handle dtype) {
    if (PyLong_Check(dtype.ptr())) return dtype.cast<long>();
    py::object resolved = py::module_::import("tango.server.dtypes").attr("from_dtype")(dtype);
    const long element = resolved.attr("dtype").cast<long>();
    const auto format = resolved.attr("dformat").cast<Tango::AttrDataFormat>();
    if (format == Tango::SCALAR) return element;
    if (format == Tango::SPECTRUM) return array_type_of(element);
    throw py::type_error("pipes carry scalars and 1-D arrays, not images: " + py::repr(dtype).cast<std::string>());
}

void fill_elements(py::handle data, Tango::DevVarPipeDataEltArray &out);

void fill_element(py::handle name, py::handle value, py::handle dtype, Tango::DevPipeDataElt &elt) {
    if (!is_str(name)) throw_type_error(name, "a str data element name");
    elt.name = CORBA::string_dup(bytes_from_py(name).c_str());
    const long type = dtype.is_none() ? infer_type(value) : dtype_from_py(dtype);
    if (type == Tango::DEV_PIPE_BLOB) {
        if (!is_list_or_tuple(value) || py::len(value) != 2) blob_type_error(value);
        auto pair = py::reinterpret_borrow<py::sequence>(value);
        if (!is_str(pair[0])) blob_type_error(value);
        elt.inner_blob_name = CORBA::string_dup(bytes_from_py(pair[0]).c_str());
        fill_elements(pair[1], elt.inner_blob);
        elt.value.union_no_data(true);
        return;
    }
    const auto unsupported = [&] {
        throw py::type_error("data element " + py::str(name).cast<std::string>() + ": " +
                             py::str(dtype_obj(type)).cast<std::string>() + " cannot travel in a pipe");
    };
    visit_command_type(type, [&](auto tag) {
        using Tag = decltype(tag);
        if constexpr (std::is_same_v<Tag, VoidArg> || std::is_same_v<Tag, LongStringArg> ||
                      std::is_same_v<Tag, DoubleStringArg>) {
            unsupported();
        } else if constexpr (std::is_same_v<Tag, ArrayArg<typename Tag::traits>>) {
            using Traits = typename Tag::traits;
            auto r = seq_from_py<Traits>(value, 1);
            Traits::to_union(elt.value, *r.seq); // a copy: the union owns its sequence
        } else {
            using Traits = typename Tag::traits;
            if constexpr (Traits::id == Tango::DEV_ENUM) {
                unsupported(); // no union branch of its own: it would come back as a DevShort
            } else {
                Traits::to_union(elt.value, *seq_of_one<Traits>(value));
            }
        }
    });
}

void fill_elements(py::handle data, Tango::DevVarPipeDataEltArray &out) {
    std::vector<std::tuple<py::object, py::object, py::object>> items;
    if (PyDict_Check(data.ptr())) {
        for (auto kv : py::reinterpret_borrow<py::dict>(data)) {
            items.emplace_back(py::reinterpret_borrow<py::object>(kv.first),
                               py::reinterpret_borrow<py::object>(kv.second), py::none());
        }
    } else if (is_list_or_tuple(data)) {
        for (auto item : py::iter(data)) {
            if (PyDict_Check(item.ptr())) {
                auto d = py::reinterpret_borrow<py::dict>(item);
                if (!d.contains("name") || !d.contains("value")) {
                    throw py::type_error("a pipe data element dict needs 'name' and 'value' keys, got " +
                                         py::repr(item).cast<std::string>());
                }
                items.emplace_back(d["name"], d["value"], d.contains("dtype") ? py::object(d["dtype"]) : py::none());
            } else if (is_list_or_tuple(item) && (py::len(item) == 2 || py::len(item) == 3)) {
                auto s = py::reinterpret_borrow<py::sequence>(item);
                items.emplace_back(s[0], s[1], py::len(item) == 3 ? py::object(s[2]) : py::none());
            } else {
                throw_type_error(item, "a pipe data element: a dict {'name', 'value'[, 'dtype']} or "
                                       "a tuple (name, value[, dtype])");
            }
        }
    } else {
        blob_type_error(data);
    }
    // Names identify elements (case-insensitively, as cppTango reads them by name).
    std::set<std::string> seen;
    for (auto &item : items) {
        if (!is_str(std::get<0>(item))) throw_type_error(std::get<0>(item), "a str data element name");
        std::string lname = std::get<0>(item).cast<std::string>();
        std::transform(lname.begin(), lname.end(), lname.begin(), [](unsigned char c) { return std::tolower(c); });
        if (!seen.insert(lname).second) {
            throw py::value_error("the data element name " + std::get<0>(item).cast<std::string>() +
                                  " appears twice in one blob");
        }
    }
    out.length(static_cast<CORBA::ULong>(items.size()));
    for (CORBA::ULong i = 0; i < out.length(); ++i) {
        fill_element(std::get<0>(items[i]), std::get<1>(items[i]), std::get<2>(items[i]), out[i]);
    }
}

} // namespace

py::object blob_to_py(const std::string &blob_name, const Tango::DevVarPipeDataEltArray *elements) {
    py::list data;
    if (elements != nullptr) {
        for (CORBA::ULong i = 0; i < elements->length(); ++i) data.append(element_to_py((*elements)[i]));
    }
    return py::make_tuple(latin1_to_py(blob_name.data(), blob_name.size()), data);
}

py::object blob_to_py(Tango::DevicePipeBlob &blob) {
    return blob_to_py(blob.get_name(), blob.get_extract_data());
}

void blob_from_py(py::handle value, Tango::DevicePipeBlob &blob) {
    if (!is_list_or_tuple(value) || py::len(value) != 2) blob_type_error(value);
    auto pair = py::reinterpret_borrow<py::sequence>(value);
    if (!is_str(pair[0])) blob_type_error(value);
    const std::string name = bytes_from_py(pair[0]);
    // Convert everything first: an error leaves the blob untouched.
    Tango::DevVarPipeDataEltArray elements;
    fill_elements(pair[1], elements);

    blob.set_name(name);
    // The send side is a heap array that cppTango takes over when it sends the blob (and frees,
    // without always clearing the blob's pointer to it): callers fill fresh blobs only, and a
    // pointer found here is never freed (cppTango may have freed it already).
    blob.set_data_elt_nb(0);
    Tango::DevVarPipeDataEltArray *insert = blob.get_insert_data();
    const CORBA::ULong max = elements.maximum();
    const CORBA::ULong len = elements.length();
    insert->replace(max, len, elements.get_buffer(true), true);
}

} // namespace pt
