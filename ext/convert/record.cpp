#include "pytango.hpp"
#include "convert/record.hpp"

namespace pt {

py::str record_repr(py::handle self, const char *name, const std::vector<const char *> &fields) {
    std::string s = std::string(name) + "(";
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ", ";
        s += std::string(fields[i]) + "=" + py::repr(self.attr(fields[i])).cast<std::string>();
    }
    return py::str(s + ")");
}

namespace {

// The types whose instances print nested with their own str (kept for the process's life).
std::vector<PyObject *> &struct_types() {
    static std::vector<PyObject *> types;
    return types;
}

bool is_struct_type(PyObject *type) {
    for (PyObject *t : struct_types())
        if (t == type) return true;
    return false;
}

std::string text_of(py::handle s) { return py::str(s).cast<std::string>(); }

// (name, value) of the public, non-callable attributes, sorted by name (dir() sorts).
std::vector<std::pair<std::string, py::object>> public_fields(py::handle self) {
    std::vector<std::pair<std::string, py::object>> out;
    auto names = py::reinterpret_steal<py::object>(PyObject_Dir(self.ptr()));
    if (!names) throw py::error_already_set();
    for (auto n : names) {
        std::string name = n.cast<std::string>();
        if (name.empty() || name[0] == '_' || name == "except_flags") continue;
        PyObject *v = PyObject_GetAttr(self.ptr(), n.ptr());
        if (v == nullptr) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError)) throw py::error_already_set();
            PyErr_Clear(); // a field that is not set (DeviceAttribute().value)
            continue;
        }
        auto value = py::reinterpret_steal<py::object>(v);
        if (PyCallable_Check(v)) continue;
        if (name == "data_type" && PyLong_CheckExact(v)) {
            // a bare number prints as the CmdArgType member it stands for
            try {
                value = py::module_::import("tango._tango").attr("CmdArgType")(value);
            } catch (py::error_already_set &) {
            }
        }
        out.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

std::string nested_text(py::handle v) {
    if (PyUnicode_Check(v.ptr())) return "\"" + v.cast<std::string>() + "\"";
    if (is_struct_type(reinterpret_cast<PyObject *>(Py_TYPE(v.ptr())))) return text_of(v);
    if (PyDict_Check(v.ptr())) {
        try {
            return py::module_::import("json")
                .attr("dumps")(v, py::arg("indent") = 4, py::arg("sort_keys") = true)
                .cast<std::string>();
        } catch (py::error_already_set &e) {
            if (!e.matches(PyExc_TypeError)) throw;
        }
    }
    return py::repr(v).cast<std::string>();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string stripped(const std::string &s) {
    size_t b = 0, e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return s.substr(b, e - b);
}

} // namespace

std::string indented(const std::string &text, bool strip_outer) {
    const std::string s = stripped(text);
    std::string out;
    size_t start = 0;
    while (start < s.size()) {
        size_t end = s.find('\n', start);
        end = end == std::string::npos ? s.size() : end + 1;
        const std::string line = s.substr(start, end - start);
        if (!stripped(line).empty()) out += "    ";
        out += line;
        start = end;
    }
    return strip_outer ? stripped(out) : out;
}

void mark_struct_type(py::handle type) {
    if (!is_struct_type(type.ptr())) struct_types().push_back(type.inc_ref().ptr());
}

py::tuple struct_type_list() {
    py::tuple out(struct_types().size());
    for (size_t i = 0; i < struct_types().size(); ++i) out[i] = py::handle(struct_types()[i]);
    return out;
}

py::str struct_repr(py::handle self) {
    std::string s = text_of(py::type::handle_of(self).attr("__name__")) + "(";
    bool first = true;
    for (auto &[name, value] : public_fields(self)) {
        if (!first) s += ", ";
        first = false;
        s += name + " = " + py::repr(value).cast<std::string>();
    }
    return py::str(s + ")");
}

py::str struct_str(py::handle self) {
    std::string details;
    bool first = true;
    for (auto &[name, value] : public_fields(self)) {
        if (!first) details += "\n";
        first = false;
        details += name + " = " + nested_text(value);
    }
    return py::str(text_of(py::type::handle_of(self).attr("__name__")) + "[\n" + indented(details, false) + "\n]");
}

PyObject *struct_repr_slot(PyObject *self) {
    return guarded<PyObject *>(nullptr, [&] { return struct_repr(self).release().ptr(); });
}

PyObject *struct_str_slot(PyObject *self) {
    return guarded<PyObject *>(nullptr, [&] { return struct_str(self).release().ptr(); });
}

} // namespace pt
