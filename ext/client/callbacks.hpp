// The cppTango CallBack objects that bring events and asynchronous replies into Python.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"
#include "convert/types.hpp"
#include "convert/event_data.hpp"

#include <atomic>
#include <memory>

namespace pt {

// How deep the current thread is in a callback delivery: an unsubscription made from inside a
// callback is completed later by cppTango, so its callback object must not be deleted now.
int &callback_depth();

// What to call for an event: `callable.<method>` if it has one, else `callable` itself. Looked up
// once per subscription, not per event (a failed attribute lookup costs an exception).
py::object callback_target(py::handle callable, const char *method);

// Calls `target(event)`; an exception raised by the callback is reported (its traceback on
// sys.stderr) and delivery goes on.
void invoke_callback(py::handle target, py::handle event);

// Reports an exception of a callback, or of making its event (with the GIL).
void report_callback_error(py::error_already_set &err);

// What an event subscription delivers to: shared by its CallBack object and the attribute events
// waiting in the dispatcher's queue (which may outlive an unsubscription).
struct EventSink {
    PyRef target;     // the callable or its push_event method
    PyRef device_ref; // weakref.ref to the Python DeviceProxy
    ExtractAs ex;
    EventStrings strings; // used with the GIL, by one thread at a time
    std::atomic<bool> active{true};
    std::atomic<long> queued{0}; // events handed to the dispatcher and not delivered yet
    // cppTango 10.1 says why each event came (EventReason); the cppTango lines here do not,
    // so it is told from the events themselves, in their order, on cppTango's event thread:
    // the first one with data after subscribing or after a lost channel is SubSuccess, an error
    // before it or a lost channel (API_EventTimeout) SubFail, any other Update.
    bool connected = false;
    EventReason reason_of(bool err, const Tango::DevErrorList &errors) {
        if (err) {
            const bool lost = errors.length() > 0 && std::string(errors[0].reason.in()) == "API_EventTimeout";
            if (!connected || lost) {
                connected = false;
                return EventReason::SubFail;
            }
            return EventReason::Update; // an error the device sent
        }
        if (!connected) {
            connected = true;
            return EventReason::SubSuccess;
        }
        return EventReason::Update;
    }
};

class EventCallBack : public Tango::CallBack {
public:
    EventCallBack(py::handle callable, py::object device_ref, ExtractAs ex) : sink_(std::make_shared<EventSink>()) {
        sink_->target.set(callback_target(callable, "push_event"));
        sink_->device_ref.set(std::move(device_ref));
        sink_->ex = ex;
    }

    // Attribute events (the stream) go through the dispatcher thread; the rare others are
    // delivered on cppTango's thread.
    void push_event(Tango::EventData *e) override;
    void push_event(Tango::AttrConfEventData *e) override { deliver(e); }
    void push_event(Tango::DataReadyEventData *e) override { deliver(e); }
    void push_event(Tango::DevIntrChangeEventData *e) override { deliver(e); }
    void push_event(Tango::PipeEventData *e) override { deliver(e); }

    void deactivate() { sink_->active = false; }
    std::shared_ptr<EventSink> sink() const { return sink_; }
    void release_python(); // with the GIL

private:
    template <class E>
    void deliver(E *e);

    std::shared_ptr<EventSink> sink_;
};

} // namespace pt
