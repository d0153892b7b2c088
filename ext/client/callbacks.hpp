// The cppTango CallBack objects that bring events and asynchronous replies into Python.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"
#include "convert/types.hpp"
#include "convert/event_data.hpp"

#include <atomic>

namespace pt {

// How deep the current thread is in a callback delivery: an unsubscription made from inside a
// callback is completed later by cppTango, so its callback object must not be deleted now.
int &callback_depth();

// What to call for an event: `callable.<method>` if it has one, else `callable` itself. Looked up
// once per subscription, not per event (a failed attribute lookup costs an exception).
py::object callback_target(py::handle callable, const char *method);

// Calls `target(event)`; an exception raised by the callback is reported (sys.unraisablehook)
// and delivery goes on.
void invoke_callback(py::handle target, py::handle event);

class EventCallBack : public Tango::CallBack {
public:
    EventCallBack(py::handle callable, py::object device_ref, ExtractAs ex)
        : target_(callback_target(callable, "push_event")), device_ref_(std::move(device_ref)), ex_(ex) {}

    void push_event(Tango::EventData *e) override { deliver(e); }
    void push_event(Tango::AttrConfEventData *e) override { deliver(e); }
    void push_event(Tango::DataReadyEventData *e) override { deliver(e); }
    void push_event(Tango::DevIntrChangeEventData *e) override { deliver(e); }
    void push_event(Tango::PipeEventData *e) override { deliver(e); }

    void deactivate() { active_ = false; }
    void release_python(); // with the GIL

private:
    template <class E>
    void deliver(E *e);

    PyRef target_;     // the callable or its push_event method
    PyRef device_ref_; // weakref.ref to the Python DeviceProxy
    ExtractAs ex_;
    EventStrings strings_; // only used on cppTango's event thread, with the GIL
    std::atomic<bool> active_{true};
};

} // namespace pt
