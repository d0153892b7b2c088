// Events received by a client, as Python records (EventData & co., as PyTango names them).
#pragma once

#include "convert/types.hpp"

namespace pt {

struct EventBase {
    py::object device = py::none(); // the Python DeviceProxy that subscribed (None if gone)
    std::string event;
    bool err = false;
    py::object errors = py::tuple();
    Tango::TimeVal reception_date{0, 0, 0};
};

struct EventData : EventBase {
    std::string attr_name;
    py::object attr_value = py::none();
};

struct AttrConfEventData : EventBase {
    std::string attr_name;
    py::object attr_conf = py::none();
};

struct DataReadyEventData : EventBase {
    std::string attr_name;
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

// Each converts cppTango's event (its attribute buffers are taken, not copied).
py::object event_to_py(Tango::EventData &e, py::handle device, ExtractAs ex);
py::object event_to_py(Tango::AttrConfEventData &e, py::handle device, ExtractAs ex);
py::object event_to_py(Tango::DataReadyEventData &e, py::handle device, ExtractAs ex);
py::object event_to_py(Tango::DevIntrChangeEventData &e, py::handle device, ExtractAs ex);
py::object event_to_py(Tango::PipeEventData &e, py::handle device, ExtractAs ex);

void register_event_data(py::module_ &m);

} // namespace pt
