// Records: the plain result objects that every read and every event creates (DeviceAttribute,
// EventData & co.), as light Python types written with the C API instead of pybind11 classes.
//
// Why: a pybind11 instance costs a registered-instance table entry and a heap copy of the
// struct, and each field access goes through pybind11's dispatcher; for a scalar read that was
// a third of the Python client's own work. A record is one Python object holding the C++
// struct T in place; its fields are getset descriptors (plain C calls), and Tango fields that
// readers rarely look at stay C values until asked (enums come from a cache, TimeVal objects
// are made on first access).
//
// A record type is described once by its field list (make_record_type); a pybind11 type caster
// (PYTANGO_RECORD_CASTER) lets the rest of the code return or py::cast the C++ struct as before.
#pragma once

#include "pytango.hpp"
#include "convert/exceptions.hpp"

#include <new>
#include <string>
#include <type_traits>
#include <vector>

namespace pt {

// A TimeVal field: the Python TimeVal is made on first access (most readers never look at the
// date), then kept, so that `da.time.tv_sec = 1` sticks as with a plain attribute.
struct LazyTime {
    Tango::TimeVal value{0, 0, 0};
    py::object obj; // the Python TimeVal once asked for
    LazyTime &operator=(const Tango::TimeVal &t) {
        value = t;
        obj = py::object();
        return *this;
    }
};

// A field that refers to an object through a weakref.ref and reads as the object, or None once
// it is gone. Events refer to their DeviceProxy this way: no call per event to resolve it, and
// an event kept by the user does not keep the proxy alive (nor end up deleting it on cppTango's
// event thread). A value set from Python is kept as a plain (strong) reference.
struct WeakField {
    py::object obj;
    bool weak = false;
};

// The Python member of an enum by value, without a call into Python after the first time (the
// members are singletons; the cache is never freed, like the enum classes themselves).
template <class E>
py::handle enum_member(E v) {
    static std::vector<PyObject *> cache(64, nullptr);
    const auto i = static_cast<long>(v);
    if (i < 0 || i >= static_cast<long>(cache.size())) return py::cast(v).release(); // not cached: new ref
    if (cache[i] == nullptr) cache[i] = py::cast(v).release().ptr();
    return py::handle(cache[i]).inc_ref();
}

// ---- field conversions: C++ value -> new Python reference, Python -> C++ value -----------------

inline PyObject *field_to_py(const py::object &o) { return (o ? py::handle(o) : py::none()).inc_ref().ptr(); }
inline PyObject *field_to_py(bool v) { return PyBool_FromLong(v); }
inline PyObject *field_to_py(WeakField &f) {
    if (!f.obj) Py_RETURN_NONE;
    if (!f.weak) return f.obj.inc_ref().ptr();
#if PY_VERSION_HEX >= 0x030D0000
    PyObject *target = nullptr;
    if (PyWeakref_GetRef(f.obj.ptr(), &target) < 0) return nullptr;
    if (target == nullptr) Py_RETURN_NONE;
    return target;
#else
    PyObject *target = PyWeakref_GetObject(f.obj.ptr()); // borrowed, None when gone
    if (target == nullptr) return nullptr;
    Py_INCREF(target);
    return target;
#endif
}
inline PyObject *field_to_py(LazyTime &t) {
    if (!t.obj) t.obj = py::cast(t.value);
    return t.obj.inc_ref().ptr();
}
template <class T>
PyObject *field_to_py(const T &v) {
    if constexpr (std::is_enum_v<T>) return enum_member(v).ptr();
    else return py::cast(v).release().ptr(); // numbers, strings
}

inline void field_from_py(py::handle v, py::object &out) { out = py::reinterpret_borrow<py::object>(v); }
inline void field_from_py(py::handle v, bool &out) {
    const int r = PyObject_IsTrue(v.ptr());
    if (r < 0) throw py::error_already_set();
    out = r != 0;
}
inline void field_from_py(py::handle v, WeakField &out) { out = {py::reinterpret_borrow<py::object>(v), false}; }
inline void field_from_py(py::handle v, LazyTime &out) { out = v.cast<Tango::TimeVal>(); }
template <class T>
void field_from_py(py::handle v, T &out) {
    out = v.cast<T>();
}

// ---- the Python object --------------------------------------------------------------------

template <class T>
struct RecordObject {
    PyObject_HEAD
    T rec;
};

// The Python type of each record struct, set by make_record_type.
template <class T>
inline PyTypeObject *record_type = nullptr;

template <class T>
T &record_of(PyObject *self) {
    return reinterpret_cast<RecordObject<T> *>(self)->rec;
}

// Runs f with Python errors and C++ exceptions turned into a Python error (C API callbacks).
template <class R, class F>
R guarded(R on_error, F &&f) {
    try {
        return f();
    } catch (...) {
        set_error_from_current_exception();
    }
    return on_error;
}

// A new Python record holding `value` (moved in).
template <class T>
py::object make_record(T &&value) {
    PyTypeObject *type = record_type<T>;
    PyObject *o = type->tp_alloc(type, 0);
    if (o == nullptr) throw py::error_already_set();
    new (&record_of<T>(o)) T(std::move(value));
    return py::reinterpret_steal<py::object>(o);
}

// The same, as an instance of `type`: a subtype of T's record type that adds no fields
// (DeviceAttributeHistory of DeviceAttribute).
template <class T>
py::object make_record_as(PyTypeObject *type, T &&value) {
    PyObject *o = type->tp_alloc(type, 0);
    if (o == nullptr) throw py::error_already_set();
    new (&record_of<T>(o)) T(std::move(value));
    return py::reinterpret_steal<py::object>(o);
}

template <class T>
PyObject *record_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    if (PyTuple_GET_SIZE(args) != 0 || (kwargs != nullptr && PyDict_GET_SIZE(kwargs) != 0)) {
        PyErr_Format(PyExc_TypeError, "%s() takes no arguments", type->tp_name);
        return nullptr;
    }
    PyObject *o = type->tp_alloc(type, 0);
    if (o == nullptr) return nullptr;
    new (&record_of<T>(o)) T();
    return o;
}

template <class T>
void record_dealloc(PyObject *self) {
    PyTypeObject *type = Py_TYPE(self);
    record_of<T>(self).~T();
    type->tp_free(self);
    Py_DECREF(type); // instances of heap types own a reference to their type
}

// Field `Member` of T as a read-write attribute, and as a get_<name>() style method.
template <class T, auto Member>
PyObject *get_field(PyObject *self, void *) {
    return guarded<PyObject *>(nullptr, [&] { return field_to_py(record_of<T>(self).*Member); });
}
template <class T, auto Member>
int set_field(PyObject *self, PyObject *value, void *) {
    if (value == nullptr) {
        PyErr_SetString(PyExc_AttributeError, "record fields cannot be deleted");
        return -1;
    }
    return guarded<int>(-1, [&] {
        field_from_py(value, record_of<T>(self).*Member);
        return 0;
    });
}
template <class T, auto Member>
PyObject *field_method(PyObject *self, PyObject *) {
    return get_field<T, Member>(self, nullptr);
}

template <class T, auto Member>
PyGetSetDef field(const char *name) {
    return {name, &get_field<T, Member>, &set_field<T, Member>, nullptr, nullptr};
}
template <class T, auto Member>
PyMethodDef field_getter(const char *name) {
    return {name, &field_method<T, Member>, METH_NOARGS, nullptr};
}

// "Name(field=repr, ...)" from the attributes named in `fields`.
py::str record_repr(py::handle self, const char *name, const std::vector<const char *> &fields);

// PyTango's print formats of its structs and records, made from the object's public attributes
// that are not callable, in dir() order (an attribute that raises AttributeError is left out):
//   repr: "Name(field = repr(value), ...)"
//   str:  "Name[\n    field = value\n    ...\n]", strings in double quotes, nested structs in
//         their own str, indented.
// Run only when an object is printed.
py::str struct_repr(py::handle self);
py::str struct_str(py::handle self);
// Nested in another struct's str, instances of `type` print with their (multi-line) str.
void mark_struct_type(py::handle type);
// Every type marked so far (tango.pytango_pprint._STRUCT_TYPES), in marking order.
py::tuple struct_type_list();
// textwrap.indent(text.strip(), 4 spaces) (lines with only spaces stay empty), then stripped
// again when strip_outer.
std::string indented(const std::string &text, bool strip_outer);
// The same as C API slots, for records.
PyObject *struct_repr_slot(PyObject *self);
PyObject *struct_str_slot(PyObject *self);

// .def("__repr__") and .def("__str__") of a pybind11 class in those formats (`with_str` false:
// the class defines its own str).
template <class Cls>
Cls &with_struct_format(Cls &cls, bool with_str = true) {
    cls.def("__repr__", [](py::handle self) { return struct_repr(self); });
    if (with_str) cls.def("__str__", [](py::handle self) { return struct_str(self); });
    mark_struct_type(cls);
    return cls;
}

// Creates the Python type of record T and adds it to module m. The tables are kept for the
// process's life (the type points into them).
// `tp_new`, when given, replaces record_new<T> (constructors with arguments); `str` is tp_str.
template <class T>
void make_record_type(py::module_ &m, const char *name, std::vector<PyGetSetDef> fields,
                      std::vector<PyMethodDef> methods, reprfunc repr, const char *doc,
                      newfunc tp_new = nullptr, reprfunc str = nullptr) {
    fields.push_back({nullptr, nullptr, nullptr, nullptr, nullptr});
    methods.push_back({nullptr, nullptr, 0, nullptr});
    auto *getset = new std::vector<PyGetSetDef>(std::move(fields));
    auto *meths = new std::vector<PyMethodDef>(std::move(methods));
    auto *qualname = new std::string("tango._tango." + std::string(name));
    auto *slots = new std::vector<PyType_Slot>{
        {Py_tp_new, reinterpret_cast<void *>(tp_new != nullptr ? tp_new : &record_new<T>)},
        {Py_tp_dealloc, reinterpret_cast<void *>(&record_dealloc<T>)},
        {Py_tp_getset, getset->data()},
        {Py_tp_methods, meths->data()},
        {Py_tp_repr, reinterpret_cast<void *>(repr)},
        {Py_tp_doc, const_cast<char *>(doc)},
    };
    if (str != nullptr) slots->push_back({Py_tp_str, reinterpret_cast<void *>(str)});
    slots->push_back({0, nullptr});
    auto *spec = new PyType_Spec{qualname->c_str(), static_cast<int>(sizeof(RecordObject<T>)), 0,
                                 Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots->data()};
    PyObject *type = PyType_FromSpec(spec);
    if (type == nullptr) throw py::error_already_set();
    record_type<T> = reinterpret_cast<PyTypeObject *>(type);
    m.add_object(name, py::handle(type)); // the module owns the reference
    if (repr == &struct_repr_slot) mark_struct_type(type);
}

// A new record of `type` (a subclass maybe) as a copy of `src`, for copy constructors.
template <class T>
PyObject *record_copy(PyTypeObject *type, PyObject *src) {
    PyObject *o = type->tp_alloc(type, 0);
    if (o == nullptr) return nullptr;
    new (&record_of<T>(o)) T(record_of<T>(src));
    return o;
}

// pybind11 conversions: returning a T (or py::cast(T)) makes a record; loading copies one out.
template <class T>
struct record_caster {
    T value;
    bool load(py::handle src, bool) {
        if (record_type<T> == nullptr || !PyObject_TypeCheck(src.ptr(), record_type<T>)) return false;
        value = record_of<T>(src.ptr());
        return true;
    }
    static py::handle cast(T &&src, py::return_value_policy, py::handle) {
        return make_record(std::move(src)).release();
    }
    static py::handle cast(const T &src, py::return_value_policy, py::handle) {
        return make_record(T(src)).release();
    }
    template <class U>
    using cast_op_type = pybind11::detail::movable_cast_op_type<U>;
    operator T *() { return &value; }
    operator T &() { return value; }
    operator T &&() && { return std::move(value); }
};

} // namespace pt

// Declares the pybind11 caster of a record struct (at global scope, after the struct).
#define PYTANGO_RECORD_CASTER(T, NAME)                                                       \
    namespace pybind11::detail {                                                             \
    template <>                                                                              \
    struct type_caster<T> : pt::record_caster<T> {                                           \
        static constexpr auto name = const_name(NAME);                                       \
    };                                                                                       \
    }
