// PyTango's list containers (StdStringVector, CommandInfoList, AttributeInfoListEx...): typed,
// mutable lists users build and pass around (event data made in Python, their own tables),
// printed as lists ("[CommandInfo(...), ...]", "[]").
//
// Each is its own C++ type derived from the std::vector, so that it is a bound class while the
// plain std::vector<T> keeps pybind11's list conversion everywhere else (the client calls still
// return and accept plain Python lists).
#include "pytango.hpp"
#include "convert/record.hpp"

#include <pybind11/stl_bind.h>

namespace pt {

namespace {

template <class T>
struct TypedList : std::vector<T> {
    using std::vector<T>::vector;
};

struct StdStringVector : TypedList<std::string> {};
struct StdLongVector : TypedList<long> {};
struct StdDoubleVector : TypedList<double> {};
struct CommandInfoList : TypedList<Tango::CommandInfo> {};
struct AttributeInfoList : TypedList<Tango::AttributeInfo> {};
struct AttributeInfoListEx : TypedList<Tango::AttributeInfoEx> {};

py::str list_text(py::handle self) {
    std::string s = "[";
    bool first = true;
    for (auto item : self) {
        if (!first) s += ", ";
        first = false;
        s += py::repr(item).cast<std::string>();
    }
    return py::str(s + "]");
}

template <class V>
void bind_list(py::module_ &m, const char *name) {
    auto cls = py::bind_vector<V>(m, name);
    // bind_vector's own repr ("Name[...]") replaced, not overloaded: PyTango prints a list
    cls.attr("__repr__") = py::cpp_function(&list_text, py::is_method(cls), py::name("__repr__"));
    cls.attr("__str__") = py::cpp_function(&list_text, py::is_method(cls), py::name("__str__"));
}

} // namespace

void register_containers(py::module_ &m) {
    bind_list<StdStringVector>(m, "StdStringVector");
    bind_list<StdLongVector>(m, "StdLongVector");
    bind_list<StdDoubleVector>(m, "StdDoubleVector");
    bind_list<CommandInfoList>(m, "CommandInfoList");
    bind_list<AttributeInfoList>(m, "AttributeInfoList");
    bind_list<AttributeInfoListEx>(m, "AttributeInfoListEx");
}

} // namespace pt
