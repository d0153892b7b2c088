// The cppTango CallBack objects that bring events and asynchronous replies into Python.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"
#include "convert/types.hpp"

#include <atomic>

namespace pt {

// How deep the current thread is in a callback delivery: an unsubscription made from inside a
// callback is completed later by cppTango, so its callback object must not be deleted now.
int &callback_depth();

// Calls `callable(event)` or `callable.push_event(event)`; an exception raised by the callback
// is reported (sys.unraisablehook) and delivery goes on.
void invoke_callback(py::handle callable, const char *method, py::handle event);

class EventCallBack : public Tango::CallBack {
public:
    EventCallBack(py::object callable, py::object device_ref, ExtractAs ex)
        : callable_(std::move(callable)), device_ref_(std::move(device_ref)), ex_(ex) {}

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

    PyRef callable_;
    PyRef device_ref_; // weakref.ref to the Python DeviceProxy
    ExtractAs ex_;
    std::atomic<bool> active_{true};
};

} // namespace pt
