// Events received by a client, as Python records (EventData & co., as PyTango names them; see
// record.hpp). The hot one is EventData: a burst of change events creates one per event.
#pragma once

#include "convert/types.hpp"
#include "convert/record.hpp"
#include "gil.hpp"
#include "types/enums.hpp"

namespace pt {

struct EventBase {
    WeakField device; // the Python DeviceProxy that subscribed (None once gone)
    py::object event = py::str();   // "change", "periodic", ...
    bool err = false;
    py::object errors = py::tuple();
    LazyTime reception_date;
    EventReason event_reason = EventReason::Update; // cppTango 10.1's; Update before it
};

struct EventData : EventBase {
    py::object attr_name = py::str();
    py::object attr_value = py::none();
};

struct AttrConfEventData : EventBase {
    py::object attr_name = py::str();
    py::object attr_conf = py::none();
};

struct DataReadyEventData : EventBase {
    py::object attr_name = py::str();
    int attr_data_type = 0;
    int ctr = 0;
};

struct DevIntrChangeEventData : EventBase {
    std::string device_name;
    py::object cmd_list = py::list();
    py::object att_list = py::list();
    bool dev_started = false;
};

struct PipeEventData : EventBase {
    std::string pipe_name;
    py::object pipe_value = py::none();
};

// The Python str of a text that rarely changes, made again only when the text changes: the
// event type, the attribute name and the value's name are the same for every event of a
// subscription. Used with the GIL held; may be destroyed without it.
class StrCache {
public:
    py::handle get(const std::string &text);

private:
    std::string text_;
    PyRef str_;
};

struct EventStrings {
    StrCache event, attr_name, value_name;
};

// Each converts cppTango's event (its attribute buffers are taken, not copied); `device_ref` is
// a weakref.ref to the Python DeviceProxy.
py::object event_to_py(Tango::EventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s,
                       EventReason reason = EventReason::Update);
py::object event_to_py(Tango::AttrConfEventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s,
                       EventReason reason = EventReason::Update);
py::object event_to_py(Tango::DataReadyEventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s,
                       EventReason reason = EventReason::Update);
py::object event_to_py(Tango::DevIntrChangeEventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s,
                       EventReason reason = EventReason::Update);
py::object event_to_py(Tango::PipeEventData &e, py::handle device_ref, ExtractAs ex, EventStrings &s,
                       EventReason reason = EventReason::Update);

void register_event_data(py::module_ &m);

} // namespace pt

PYTANGO_RECORD_CASTER(pt::EventData, "EventData")
PYTANGO_RECORD_CASTER(pt::AttrConfEventData, "AttrConfEventData")
PYTANGO_RECORD_CASTER(pt::DataReadyEventData, "DataReadyEventData")
PYTANGO_RECORD_CASTER(pt::DevIntrChangeEventData, "DevIntrChangeEventData")
PYTANGO_RECORD_CASTER(pt::PipeEventData, "PipeEventData")
