#include "pytango.hpp"
#include "convert/device_attribute.hpp"
#include "convert/event_data.hpp"
#include "convert/exceptions.hpp"
#include "convert/pipe_blob.hpp"

namespace pt {

namespace {

template <class Out, class In>
void fill_base(Out &o, In &e, py::handle device) {
    o.device = py::reinterpret_borrow<py::object>(device);
    o.event = e.event;
    o.err = e.err;
    if (e.err) o.errors = errors_to_py(e.errors);
    o.reception_date = e.get_date();
}

template <class T>
void bind_base(py::class_<T> &c) {
    c.def_readwrite("device", &T::device)
        .def_readwrite("event", &T::event)
        .def_readwrite("err", &T::err)
        .def_readwrite("errors", &T::errors)
        .def_readwrite("reception_date", &T::reception_date)
        .def("get_date", [](const T &e) { return e.reception_date; });
}

// repr from a list of field names, shared by all event records.
template <class T>
void bind_repr(py::class_<T> &c, const char *name, std::vector<const char *> fields) {
    c.def("__repr__", [name, fields](py::handle self) {
        std::string s = std::string(name) + "(";
        for (size_t i = 0; i < fields.size(); ++i) {
            if (i) s += ", ";
            s += std::string(fields[i]) + "=" + py::repr(self.attr(fields[i])).cast<std::string>();
        }
        return s + ")";
    });
}

} // namespace

py::object event_to_py(Tango::EventData &e, py::handle device, ExtractAs ex) {
    EventData o;
    fill_base(o, e, device);
    o.attr_name = e.attr_name;
    if (!e.err && e.attr_value != nullptr) o.attr_value = py::cast(attribute_to_py(*e.attr_value, ex));
    return py::cast(std::move(o));
}

py::object event_to_py(Tango::AttrConfEventData &e, py::handle device, ExtractAs) {
    AttrConfEventData o;
    fill_base(o, e, device);
    o.attr_name = e.attr_name;
    if (!e.err && e.attr_conf != nullptr) o.attr_conf = py::cast(*e.attr_conf);
    return py::cast(std::move(o));
}

py::object event_to_py(Tango::DataReadyEventData &e, py::handle device, ExtractAs) {
    DataReadyEventData o;
    fill_base(o, e, device);
    o.attr_name = e.attr_name;
    o.attr_data_type = e.attr_data_type;
    o.ctr = e.ctr;
    return py::cast(std::move(o));
}

py::object event_to_py(Tango::DevIntrChangeEventData &e, py::handle device, ExtractAs) {
    DevIntrChangeEventData o;
    fill_base(o, e, device);
    o.device_name = e.device_name;
    o.cmd_list = py::cast(e.cmd_list);
    o.att_list = py::cast(e.att_list);
    o.dev_started = e.dev_started;
    return py::cast(std::move(o));
}

py::object event_to_py(Tango::PipeEventData &e, py::handle device, ExtractAs) {
    PipeEventData o;
    fill_base(o, e, device);
    o.pipe_name = e.pipe_name;
    if (!e.err && e.pipe_value != nullptr) o.pipe_value = blob_to_py(e.pipe_value->get_root_blob());
    return py::cast(std::move(o));
}

void register_event_data(py::module_ &m) {
    py::class_<EventData> ed(m, "EventData");
    ed.def(py::init<>())
        .def_readwrite("attr_name", &EventData::attr_name)
        .def_readwrite("attr_value", &EventData::attr_value);
    bind_base(ed);
    bind_repr(ed, "EventData", {"device", "attr_name", "event", "attr_value", "err", "errors", "reception_date"});

    py::class_<AttrConfEventData> ac(m, "AttrConfEventData");
    ac.def(py::init<>())
        .def_readwrite("attr_name", &AttrConfEventData::attr_name)
        .def_readwrite("attr_conf", &AttrConfEventData::attr_conf);
    bind_base(ac);
    bind_repr(ac, "AttrConfEventData", {"device", "attr_name", "event", "attr_conf", "err", "errors"});

    py::class_<DataReadyEventData> dr(m, "DataReadyEventData");
    dr.def(py::init<>())
        .def_readwrite("attr_name", &DataReadyEventData::attr_name)
        .def_readwrite("attr_data_type", &DataReadyEventData::attr_data_type)
        .def_readwrite("ctr", &DataReadyEventData::ctr);
    bind_base(dr);
    bind_repr(dr, "DataReadyEventData", {"device", "attr_name", "event", "attr_data_type", "ctr", "err", "errors"});

    py::class_<DevIntrChangeEventData> di(m, "DevIntrChangeEventData");
    di.def(py::init<>())
        .def_readwrite("device_name", &DevIntrChangeEventData::device_name)
        .def_readwrite("cmd_list", &DevIntrChangeEventData::cmd_list)
        .def_readwrite("att_list", &DevIntrChangeEventData::att_list)
        .def_readwrite("dev_started", &DevIntrChangeEventData::dev_started);
    bind_base(di);
    bind_repr(di, "DevIntrChangeEventData", {"device", "device_name", "event", "dev_started", "err", "errors"});

    py::class_<PipeEventData> pe(m, "PipeEventData");
    pe.def(py::init<>())
        .def_readwrite("pipe_name", &PipeEventData::pipe_name)
        .def_readwrite("pipe_value", &PipeEventData::pipe_value);
    bind_base(pe);
    bind_repr(pe, "PipeEventData", {"device", "pipe_name", "event", "pipe_value", "err", "errors", "reception_date"});
}

} // namespace pt
