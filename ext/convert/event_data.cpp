#include "pytango.hpp"
#include "convert/device_attribute.hpp"
#include "convert/event_data.hpp"
#include "convert/exceptions.hpp"
#include "convert/pipe_blob.hpp"

namespace pt {

py::handle StrCache::get(const std::string &text) {
    if (!str_ || text != text_) {
        str_.set(py::str(text));
        text_ = text;
    }
    return str_.get();
}

namespace {

py::object borrow(py::handle h) { return py::reinterpret_borrow<py::object>(h); }

template <class Out, class In>
void fill_base(Out &o, In &e, py::handle device_ref, EventStrings &s) {
    o.device = WeakField{borrow(device_ref), true};
    o.event = borrow(s.event.get(e.event));
    o.err = e.err;
    if (e.err) o.errors = errors_to_py(e.errors);
    o.reception_date = e.get_date();
}

// errors = a DevFailed keeps its error stack (its args); any other iterable, as a tuple.
template <class T>
int set_errors(PyObject *self, PyObject *value, void *) {
    if (value == nullptr) {
        PyErr_SetString(PyExc_AttributeError, "record fields cannot be deleted");
        return -1;
    }
    return guarded<int>(-1, [&] {
        auto v = py::reinterpret_borrow<py::object>(value);
        record_of<T>(self).errors = is_devfailed(v) ? py::tuple(v.attr("args")) : py::tuple(v);
        return 0;
    });
}

// The fields every event record has, then its own, for make_record_type.
template <class T>
std::vector<PyGetSetDef> event_fields(std::vector<PyGetSetDef> own) {
    std::vector<PyGetSetDef> f{
        field<T, &T::device>("device"),
        field<T, &T::event>("event"),
        field<T, &T::event_reason>("event_reason"),
        field<T, &T::err>("err"),
        {"errors", &get_field<T, &T::errors>, &set_errors<T>, nullptr, nullptr},
        field<T, &T::reception_date>("reception_date"),
    };
    f.insert(f.end(), own.begin(), own.end());
    return f;
}

template <class T>
std::vector<PyMethodDef> event_methods() {
    return {field_getter<T, &T::reception_date>("get_date")};
}

// repr from a list of field names, one function per record type.
template <class T>
struct Repr {
    static inline const char *name = nullptr;
    static inline std::vector<const char *> fields;
    static PyObject *repr(PyObject *self) {
        return guarded<PyObject *>(nullptr, [&] { return record_repr(self, name, fields).release().ptr(); });
    }
};

template <class T>
void register_event(py::module_ &m, const char *name, std::vector<PyGetSetDef> own,
                    std::vector<const char *> repr_fields, const char *doc) {
    Repr<T>::name = name;
    Repr<T>::fields = std::move(repr_fields);
    make_record_type<T>(m, name, event_fields<T>(std::move(own)), event_methods<T>(), &Repr<T>::repr, doc);
}

// Python constructors of the event records, as PyTango's: T(event) copies an event; otherwise
// every argument is a keyword (device_proxy may come first), None meaning "left as made", and
// each sets the field of that name (device_proxy: device, event_name: event).
template <class T>
struct EventInit {
    static inline const char *name = nullptr;
    static inline std::vector<const char *> keywords;

    static PyObject *make(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
        return guarded<PyObject *>(nullptr, [&] { return make_unguarded(type, args, kwargs); });
    }

    static PyObject *make_unguarded(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
        const Py_ssize_t nargs = PyTuple_GET_SIZE(args);
        if (nargs == 1 && (kwargs == nullptr || PyDict_GET_SIZE(kwargs) == 0) &&
            PyObject_TypeCheck(PyTuple_GET_ITEM(args, 0), record_type<T>))
            return record_copy<T>(type, PyTuple_GET_ITEM(args, 0));
        if (nargs > 1) {
            PyErr_Format(PyExc_TypeError, "%s() takes at most 1 positional argument (%zd given)", name, nargs);
            return nullptr;
        }
        PyObject *o = type->tp_alloc(type, 0);
        if (o == nullptr) return nullptr;
        new (&record_of<T>(o)) T();
        auto owner = py::reinterpret_steal<py::object>(o);
        if constexpr (std::is_same_v<T, DataReadyEventData>) {
            record_of<T>(o).attr_name = py::str("Unknown"); // PyTango's, for one made in Python
        }
        if (nargs == 1 && set(o, "device_proxy", PyTuple_GET_ITEM(args, 0)) < 0) return nullptr;
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (kwargs != nullptr && PyDict_Next(kwargs, &pos, &key, &value)) {
            const char *k = PyUnicode_AsUTF8(key);
            if (k == nullptr) return nullptr;
            if (nargs == 1 && std::string(k) == "device_proxy") {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument 'device_proxy'", name);
                return nullptr;
            }
            if (set(o, k, value) < 0) return nullptr;
        }
        return owner.release().ptr();
    }

    static int set(PyObject *o, const std::string &keyword, PyObject *value) {
        bool known = false;
        for (const char *k : keywords) known = known || keyword == k;
        if (!known) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%s'", name, keyword.c_str());
            return -1;
        }
        if (value == Py_None) return 0;
        const char *field = keyword == "device_proxy" ? "device" : keyword == "event_name" ? "event" : keyword.c_str();
        return PyObject_SetAttrString(o, field, value);
    }
};

// An event record printed as PyTango prints it (EventData, AttrConfEventData, DataReadyEventData).
template <class T>
void register_printed_event(py::module_ &m, const char *name, std::vector<PyGetSetDef> own,
                            std::vector<const char *> keywords, const char *doc) {
    EventInit<T>::name = name;
    EventInit<T>::keywords = std::move(keywords);
    make_record_type<T>(m, name, event_fields<T>(std::move(own)), event_methods<T>(), &struct_repr_slot, doc,
                        &EventInit<T>::make, &struct_str_slot);
}

} // namespace

py::object event_to_py(Tango::EventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s, EventReason reason) {
    EventData o;
    fill_base(o, e, device_ref, s);
    o.event_reason = reason;
    o.attr_name = borrow(s.attr_name.get(e.attr_name));
    if (!e.err && e.attr_value != nullptr)
        o.attr_value = make_record(attribute_to_py(*e.attr_value, ex, s.value_name.get(e.attr_value->name)));
    return make_record(std::move(o));
}

py::object event_to_py(Tango::AttrConfEventData &e, py::handle device_ref, ExtractAs, EventStrings &s, EventReason reason) {
    AttrConfEventData o;
    fill_base(o, e, device_ref, s);
    o.event_reason = reason;
    o.attr_name = borrow(s.attr_name.get(e.attr_name));
    if (!e.err && e.attr_conf != nullptr) o.attr_conf = py::cast(*e.attr_conf);
    return make_record(std::move(o));
}

py::object event_to_py(Tango::DataReadyEventData &e, py::handle device_ref, ExtractAs, EventStrings &s, EventReason reason) {
    DataReadyEventData o;
    fill_base(o, e, device_ref, s);
    o.event_reason = reason;
    o.attr_name = borrow(s.attr_name.get(e.attr_name));
    o.attr_data_type = e.attr_data_type;
    o.ctr = e.ctr;
    return make_record(std::move(o));
}

py::object event_to_py(Tango::DevIntrChangeEventData &e, py::handle device_ref, ExtractAs, EventStrings &s, EventReason reason) {
    DevIntrChangeEventData o;
    fill_base(o, e, device_ref, s);
    o.event_reason = reason;
    o.device_name = e.device_name;
    o.cmd_list = py::cast(e.cmd_list);
    o.att_list = py::cast(e.att_list);
    o.dev_started = e.dev_started;
    return make_record(std::move(o));
}

py::object event_to_py(Tango::PipeEventData &e, py::handle device_ref, ExtractAs, EventStrings &s, EventReason reason) {
    PipeEventData o;
    fill_base(o, e, device_ref, s);
    o.event_reason = reason;
    o.pipe_name = e.pipe_name;
    if (!e.err && e.pipe_value != nullptr) o.pipe_value = blob_to_py(e.pipe_value->get_root_blob());
    return make_record(std::move(o));
}

void register_event_data(py::module_ &m) {
    using ED = EventData;
    register_printed_event<ED>(m, "EventData",
                               {field<ED, &ED::attr_name>("attr_name"), field<ED, &ED::attr_value>("attr_value")},
                               {"device_proxy", "attr_name", "event_name", "attr_value", "event_reason", "errors"},
                               "An attribute event (change, periodic, archive, user...).");
    using AC = AttrConfEventData;
    register_printed_event<AC>(m, "AttrConfEventData",
                               {field<AC, &AC::attr_name>("attr_name"), field<AC, &AC::attr_conf>("attr_conf")},
                               {"device_proxy", "attr_name", "event_name", "attr_conf", "event_reason", "errors"},
                               "An attribute configuration event.");
    using DR = DataReadyEventData;
    register_printed_event<DR>(m, "DataReadyEventData",
                               {field<DR, &DR::attr_name>("attr_name"),
                                field<DR, &DR::attr_data_type>("attr_data_type"), field<DR, &DR::ctr>("ctr")},
                               {"device_proxy", "event_name", "event_reason", "errors"},
                               "A data ready event.");
    using DI = DevIntrChangeEventData;
    EventInit<DI>::name = "DevIntrChangeEventData";
    EventInit<DI>::keywords = {"device_proxy", "event_name", "device_name", "cmd_list", "att_list", "dev_started",
                               "event_reason", "errors"};
    make_record_type<DI>(m, "DevIntrChangeEventData",
                         event_fields<DI>({field<DI, &DI::device_name>("device_name"),
                                           field<DI, &DI::cmd_list>("cmd_list"), field<DI, &DI::att_list>("att_list"),
                                           field<DI, &DI::dev_started>("dev_started")}),
                         event_methods<DI>(), &Repr<DI>::repr, "A device interface change event.",
                         &EventInit<DI>::make);
    Repr<DI>::name = "DevIntrChangeEventData";
    Repr<DI>::fields = {"device", "device_name", "event", "dev_started", "err", "errors"};
    using PE = PipeEventData;
    register_event<PE>(m, "PipeEventData",
                       {field<PE, &PE::pipe_name>("pipe_name"), field<PE, &PE::pipe_value>("pipe_value")},
                       {"device", "pipe_name", "event", "pipe_value", "err", "errors", "reception_date"},
                       "A pipe event.");
}

} // namespace pt
