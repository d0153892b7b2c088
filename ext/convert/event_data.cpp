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

// The fields every event record has, then its own, for make_record_type.
template <class T>
std::vector<PyGetSetDef> event_fields(std::vector<PyGetSetDef> own) {
    std::vector<PyGetSetDef> f{
        field<T, &T::device>("device"),
        field<T, &T::event>("event"),
        field<T, &T::err>("err"),
        field<T, &T::errors>("errors"),
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

} // namespace

py::object event_to_py(Tango::EventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s) {
    EventData o;
    fill_base(o, e, device_ref, s);
    o.attr_name = borrow(s.attr_name.get(e.attr_name));
    if (!e.err && e.attr_value != nullptr)
        o.attr_value = make_record(attribute_to_py(*e.attr_value, ex, s.value_name.get(e.attr_value->name)));
    return make_record(std::move(o));
}

py::object event_to_py(Tango::AttrConfEventData &e, py::handle device_ref, ExtractAs, EventStrings &s) {
    AttrConfEventData o;
    fill_base(o, e, device_ref, s);
    o.attr_name = borrow(s.attr_name.get(e.attr_name));
    if (!e.err && e.attr_conf != nullptr) o.attr_conf = py::cast(*e.attr_conf);
    return make_record(std::move(o));
}

py::object event_to_py(Tango::DataReadyEventData &e, py::handle device_ref, ExtractAs, EventStrings &s) {
    DataReadyEventData o;
    fill_base(o, e, device_ref, s);
    o.attr_name = borrow(s.attr_name.get(e.attr_name));
    o.attr_data_type = e.attr_data_type;
    o.ctr = e.ctr;
    return make_record(std::move(o));
}

py::object event_to_py(Tango::DevIntrChangeEventData &e, py::handle device_ref, ExtractAs, EventStrings &s) {
    DevIntrChangeEventData o;
    fill_base(o, e, device_ref, s);
    o.device_name = e.device_name;
    o.cmd_list = py::cast(e.cmd_list);
    o.att_list = py::cast(e.att_list);
    o.dev_started = e.dev_started;
    return make_record(std::move(o));
}

py::object event_to_py(Tango::PipeEventData &e, py::handle device_ref, ExtractAs, EventStrings &s) {
    PipeEventData o;
    fill_base(o, e, device_ref, s);
    o.pipe_name = e.pipe_name;
    if (!e.err && e.pipe_value != nullptr) o.pipe_value = blob_to_py(e.pipe_value->get_root_blob());
    return make_record(std::move(o));
}

void register_event_data(py::module_ &m) {
    using ED = EventData;
    register_event<ED>(m, "EventData",
                       {field<ED, &ED::attr_name>("attr_name"), field<ED, &ED::attr_value>("attr_value")},
                       {"device", "attr_name", "event", "attr_value", "err", "errors", "reception_date"},
                       "An attribute event (change, periodic, archive, user...).");
    using AC = AttrConfEventData;
    register_event<AC>(m, "AttrConfEventData",
                       {field<AC, &AC::attr_name>("attr_name"), field<AC, &AC::attr_conf>("attr_conf")},
                       {"device", "attr_name", "event", "attr_conf", "err", "errors"},
                       "An attribute configuration event.");
    using DR = DataReadyEventData;
    register_event<DR>(m, "DataReadyEventData",
                       {field<DR, &DR::attr_name>("attr_name"), field<DR, &DR::attr_data_type>("attr_data_type"),
                        field<DR, &DR::ctr>("ctr")},
                       {"device", "attr_name", "event", "attr_data_type", "ctr", "err", "errors"},
                       "A data ready event.");
    using DI = DevIntrChangeEventData;
    register_event<DI>(m, "DevIntrChangeEventData",
                       {field<DI, &DI::device_name>("device_name"), field<DI, &DI::cmd_list>("cmd_list"),
                        field<DI, &DI::att_list>("att_list"), field<DI, &DI::dev_started>("dev_started")},
                       {"device", "device_name", "event", "dev_started", "err", "errors"},
                       "A device interface change event.");
    using PE = PipeEventData;
    register_event<PE>(m, "PipeEventData",
                       {field<PE, &PE::pipe_name>("pipe_name"), field<PE, &PE::pipe_value>("pipe_value")},
                       {"device", "pipe_name", "event", "pipe_value", "err", "errors", "reception_date"},
                       "A pipe event.");
}

} // namespace pt
