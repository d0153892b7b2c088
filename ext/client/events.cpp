// Event subscriptions: push model (a callback per subscription, called on cppTango's event
// thread with the GIL taken) and pull model (cppTango queues, get_events drains).
#include "pytango.hpp"
#include "client/admin_guard.hpp"
#include "client/callbacks.hpp"
#include "client/device_proxy.hpp"
#include "convert/event_data.hpp"
#include PYTANGO_EVENTCONSUMER_HEADER // the keep-alive thread ended at exit

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <deque>
#include <condition_variable>
#include <set>
#include <thread>
#include <vector>

namespace pt {

int &callback_depth() {
    thread_local int depth = 0;
    return depth;
}

py::object callback_target(py::handle callable, const char *method) {
    if (py::hasattr(callable, method)) return callable.attr(method);
    return py::reinterpret_borrow<py::object>(callable);
}

void report_callback_error(py::error_already_set &err) {
    // Printed to sys.stderr, as PyTango does: the callback runs on a thread the user does not
    // own, so there is nobody to raise to (sys.unraisablehook is for finalizers, and pytest
    // turns it into a warning of whichever test happens to run next).
    try {
        py::module_ sys = py::module_::import("sys");
        py::object err_out = sys.attr("stderr");
        if (err_out.is_none()) return;
        err_out.attr("write")("tango: a callback raised an exception (delivery goes on):\n");
        py::module_::import("traceback").attr("print_exception")(err.type(), err.value(), err.trace(),
                                                                 py::arg("file") = err_out);
    } catch (py::error_already_set &) {
        // sys.stderr closed or broken: the report is lost, never the process
    }
}

void invoke_callback(py::handle target, py::handle event) {
    PyObject *r = PyObject_CallOneArg(target.ptr(), event.ptr());
    if (r == nullptr) {
        py::error_already_set err;
        report_callback_error(err);
        return;
    }
    Py_DECREF(r);
}

namespace {
std::atomic<int> in_flight{0}; // deliveries between their start and their end
} // namespace

std::atomic<bool> &process_exiting() {
    static std::atomic<bool> exiting{false};
    return exiting;
}

template <class E>
void EventCallBack::deliver(E *e) {
    struct Count {
        Count() { ++in_flight; }
        ~Count() { --in_flight; }
    } count;
    EventSink &sink = *sink_;
    if (!sink.active || process_exiting() || !python_alive()) return;
    const EventReason reason = sink.reason_of(e->err, e->errors);
    try {
        call_up([&] {
            if (!sink.active) return;
            ++callback_depth();
            struct Leave { ~Leave() { --callback_depth(); } } leave;
            py::object event = event_to_py(*e, sink.device_ref.get(), sink.ex, sink.strings, reason);
            invoke_callback(sink.target.get(), event);
        });
    } catch (...) {
        // Nothing may escape into cppTango's event thread; conversion errors were reported.
    }
}

namespace {

// Attribute events are handed to one dispatcher thread of ours, which runs the Python callbacks.
// cppTango's event thread then only copies each event and goes on: it also processes the servers'
// heartbeats, and cppTango 9.3.4's keep-alive thread, finding a heartbeat late behind a backlog
// of slow Python callbacks, "reconnects" a healthy channel and crashes doing so (seen in gdb).
// Both threads work at once, which also raises the rate of events a Python callback receives.
// One thread, one queue: the events of a subscription keep their order.
struct Dispatch {
    std::shared_ptr<EventSink> sink;
    std::unique_ptr<Tango::EventData> event;
    EventReason reason;
};

struct Dispatcher {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Dispatch> queue;
    // Delivered events go back to cppTango's thread, which frees them on its next post: the
    // memory returns to the allocator cache of the thread that allocated it. Freed here, each
    // event would take that thread's malloc arena lock against its next allocations.
    std::vector<std::unique_ptr<Tango::EventData>> spent;
    std::atomic<size_t> queued{0}; // queue.size(), read without the lock while spinning
    bool sleeping = false; // the thread waits for work: only then does a post wake it
    bool started = false;
    std::thread::id thread_id;
    // Events posted and not yet delivered. Past kBacklog (callbacks slower than the events, for
    // long), a post waits for room, up to kRoomWait: cppTango's event thread then slows down and
    // the backlog stays in ZMQ's queue, whose high-water mark (TANGO_EVENT_BUFFER_HWM) bounds it
    // and whose drops cppTango reports (API_MissedEvents). The wait is bounded: a callback that
    // waits for cppTango's event thread (a subscription made inside it) cannot deadlock.
    static constexpr long kBacklog = 10000;
    static constexpr auto kRoomWait = std::chrono::milliseconds(100);
    std::atomic<long> backlog{0};
    std::condition_variable room;
    std::condition_variable delivered; // after each batch (EventCallBack::flush)

    // Waits until `sink` has no event queued, up to `limit`; at once on the dispatcher's own
    // thread (a callback that unsubscribes cannot wait for itself).
    void wait_delivered(EventSink &sink, std::chrono::milliseconds limit) {
        std::unique_lock<std::mutex> lock(mutex);
        if (std::this_thread::get_id() == thread_id) return;
        delivered.wait_for(lock, limit, [&] { return sink.queued.load() == 0; });
    }

    void post(std::shared_ptr<EventSink> sink, std::unique_ptr<Tango::EventData> event, EventReason reason) {
        std::vector<std::unique_ptr<Tango::EventData>> drop;
        bool wake_up;
        {
            std::unique_lock<std::mutex> lock(mutex);
            if (backlog.load(std::memory_order_relaxed) >= kBacklog && std::this_thread::get_id() != thread_id) {
                room.wait_for(lock, kRoomWait, [&] { return backlog.load() < kBacklog; });
            }
            ++backlog;
            ++in_flight; // until delivered or dropped: interpreter exit waits for it
            ++sink->queued;
            queue.push_back({std::move(sink), std::move(event), reason});
            queued.store(queue.size(), std::memory_order_relaxed);
            drop.swap(spent);
            wake_up = sleeping;
            sleeping = false;
            if (!started) {
                started = true;
                std::thread([this] {
                    {
                        std::lock_guard<std::mutex> lock(mutex);
                        thread_id = std::this_thread::get_id();
                    }
                    run();
                }).detach(); // lives as long as the process
            }
        }
        if (wake_up) wake.notify_one();
        // `drop` frees the delivered events here, outside the lock
    }

    void run() {
        for (;;) {
            std::deque<Dispatch> batch;
            // In a burst the next event is microseconds away: look for it a little while before
            // sleeping, since waking this thread costs the posting thread a system call.
            const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
            while (queued.load(std::memory_order_relaxed) == 0 && std::chrono::steady_clock::now() < spin_until) {
                std::this_thread::yield();
            }
            {
                std::unique_lock<std::mutex> lock(mutex);
                while (queue.empty()) {
                    sleeping = true;
                    // Without new events for a while, the spent ones are freed here after all.
                    if (!wake.wait_for(lock, std::chrono::milliseconds(200), [&] { return !queue.empty(); })) {
                        sleeping = false;
                        auto drop = std::move(spent);
                        spent.clear();
                        lock.unlock();
                        drop.clear();
                        lock.lock();
                    }
                }
                sleeping = false;
                batch.swap(queue);
                queued.store(0, std::memory_order_relaxed);
            }
            const long n = static_cast<long>(batch.size());
            if (!process_exiting() && python_alive()) {
                try {
                    call_up([&] {
                        for (auto &d : batch) {
                            EventSink &sink = *d.sink;
                            if (!sink.active || process_exiting()) continue;
                            ++callback_depth();
                            struct Leave { ~Leave() { --callback_depth(); } } leave;
                            try {
                                py::object event =
                                    event_to_py(*d.event, sink.device_ref.get(), sink.ex, sink.strings, d.reason);
                                invoke_callback(sink.target.get(), event);
                            } catch (py::error_already_set &err) {
                                report_callback_error(err);
                            }
                        }
                    });
                } catch (...) {
                }
            }
            {
                std::lock_guard<std::mutex> lock(mutex);
                for (auto &d : batch) {
                    spent.push_back(std::move(d.event));
                    --d.sink->queued;
                }
                if (backlog.fetch_sub(n) >= kBacklog && backlog.load() < kBacklog) room.notify_all();
            }
            delivered.notify_all();
            batch.clear(); // without the GIL: a last reference to a sink takes it to let go
            in_flight -= n;
        }
    }
};

Dispatcher &dispatcher() {
    static auto *d = new Dispatcher; // never destroyed: its thread runs until the process ends
    return *d;
}

} // namespace

void EventCallBack::push_event(Tango::EventData *e) {
    if (!sink_->active || process_exiting()) return;
    // cppTango deletes its event after this call: the dispatcher gets its own copy.
    const EventReason reason = sink_->reason_of(e->err, e->errors); // here: in the events' order
    dispatcher().post(sink_, std::make_unique<Tango::EventData>(*e), reason);
}

void EventCallBack::release_python() {
    sink_->target.reset();
    sink_->device_ref.reset();
}

namespace {

// Proxies with live subscriptions, so that interpreter exit can unsubscribe them all before
// Python goes away (no callback may run into a finalising interpreter).
std::recursive_mutex registry_mutex; // recursive: see resubscribe_events
std::set<DeviceProxy *> &registry() {
    static std::set<DeviceProxy *> r;
    return r;
}

} // namespace

// At interpreter exit (atexit, GIL released): no callback may start any more, and the ones
// running finish. cppTango is not asked to unsubscribe (its teardown with servers already gone
// is fragile); the process is ending.
void shutdown_subscriptions() {
    process_exiting() = true;
    std::set<DeviceProxy *> proxies;
    {
        std::lock_guard<std::recursive_mutex> lock(registry_mutex);
        proxies = registry();
    }
    for (auto *p : proxies) p->deactivate_all();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // cppTango's keep-alive thread wakes every few seconds; woken while the C++ exit handlers
    // destroy the consumer's statics (its monitor among them) it crashes the exit: it is ended
    // here, as the consumer's own shutdown ends it.
    Tango::ApiUtil *api = Tango::ApiUtil::instance();
    if (api->is_zmq_event_consumer_created()) {
        try {
            api->get_zmq_event_consumer()->shutdown_keep_alive_thread();
        } catch (...) {  // the process is ending: nothing is left to report it to
        }
    }
}

void DeviceProxy::deactivate_all() {
    std::lock_guard<std::mutex> lock(sub_mutex_);
    for (auto &[id, sub] : subs_) {
        if (auto *cb = dynamic_cast<EventCallBack *>(sub.callback.get())) cb->deactivate();
    }
}

// Inside a callback a cppTango thread may hold its map lock: the watchdog checks instead.
static void guard_channels_here() {
    if (callback_depth() == 0) guard_event_channels();
}

DeviceProxy::~DeviceProxy() {
    unsubscribe_all();
    std::lock_guard<std::recursive_mutex> lock(registry_mutex);
    registry().erase(this);
}

int DeviceProxy::add_subscription(SubscribeFn subscribe, bool stateless, std::unique_ptr<Tango::CallBack> callback,
                                  Tango::EventType type) {
#if !PYTANGO_HAS_ALARM_EVENT
    if (type == compat::ALARM_EVENT) {
        Tango::Except::throw_exception("API_UnsupportedFeature",
                                       "ALARM_EVENT needs cppTango 10.0 or newer; this pytango is built on cppTango " +
                                           std::string(Tango::TgLibVers),
                                       "DeviceProxy::subscribe_event");
    }
#endif
    Tango::CallBack *cb = callback.get();
    // The first event may be delivered inside subscribe_event, on this thread: no GIL here.
    int id = without_gil([&] {
        {
            std::lock_guard<std::recursive_mutex> lock(registry_mutex);
            registry().insert(this);
        }
        int n = subscribe(cb, stateless);
        guard_channels_here();
        return n;
    });
    std::lock_guard<std::mutex> lock(sub_mutex_);
    subs_[id] = Subscription{std::move(callback), type, id, std::move(subscribe)};
    return id;
}

void DeviceProxy::remove_subscription(int id) {
    Subscription sub;
    EventCallBack *cb = nullptr;
    without_gil([&] {
        { // the events cppTango already gave the callback are delivered first (the initial one
          // included): unsubscribing loses none. Outside every lock of ours, and bounded: a
          // callback that waits for this thread must not hang it.
            std::shared_ptr<EventSink> pending;
            {
                std::lock_guard<std::mutex> lock(sub_mutex_);
                auto it = subs_.find(id);
                if (it != subs_.end()) {
                    if (auto *c = dynamic_cast<EventCallBack *>(it->second.callback.get())) pending = c->sink();
                }
            }
            if (pending && pending->queued.load() > 0) {
                dispatcher().wait_delivered(*pending, std::chrono::milliseconds(2000));
            }
        }
        std::lock_guard<std::recursive_mutex> resub(resub_mutex_);
        int tango_id = id; // unknown to us: cppTango says what it thinks of it
        {
            std::lock_guard<std::mutex> lock(sub_mutex_);
            auto it = subs_.find(id);
            if (it != subs_.end()) {
                tango_id = it->second.tango_id;
                sub = std::move(it->second);
                subs_.erase(it);
            }
        }
        cb = dynamic_cast<EventCallBack *>(sub.callback.get());
        if (cb) cb->deactivate();
        guard_channels_here();
        unsubscribe_event(tango_id);
        guard_channels_here();
    });
    if (cb && callback_depth() > 0) {
        // cppTango finishes this unsubscription later, on another thread, and may still use
        // the callback object: keep it (without its Python references).
        cb->release_python();
        (void)sub.callback.release();
    }
}

void DeviceProxy::unsubscribe_all() {
    std::map<int, Subscription> subs;
    {
        std::lock_guard<std::recursive_mutex> resub(resub_mutex_);
        {
            std::lock_guard<std::mutex> lock(sub_mutex_);
            subs.swap(subs_);
        }
        if (!subs.empty()) guard_channels_here();
        for (auto &[id, sub] : subs) {
            if (auto *cb = dynamic_cast<EventCallBack *>(sub.callback.get())) cb->deactivate();
            try {
                unsubscribe_event(sub.tango_id);
            } catch (...) {
                // The device may be gone; the subscription is dropped all the same.
            }
        }
        if (!subs.empty()) guard_channels_here();
    }
    if (!subs.empty() && python_alive()) {
        py::gil_scoped_acquire gil;
        for (auto &[id, sub] : subs) {
            if (auto *cb = dynamic_cast<EventCallBack *>(sub.callback.get())) cb->release_python();
        }
    }
    if (callback_depth() > 0) {
        // The proxy is deleted inside an event callback (its last reference was an event's
        // `device`): cppTango is running one of these callbacks on this very thread and
        // finishes the unsubscriptions later on another: keep the callback objects, as
        // remove_subscription does.
        for (auto &[id, sub] : subs) (void)sub.callback.release();
    }
}

// Runs on the guard's watchdog thread, without the GIL, outside cppTango's locks. The registry
// lock keeps the proxies alive (a destructor waits for it); it is recursive because a callback
// that cppTango runs inside a subscription, on this thread, may itself subscribe.
bool resubscribe_events(const std::vector<int> &tango_ids) {
    std::lock_guard<std::recursive_mutex> reg(registry_mutex);
    struct Item {
        DeviceProxy *proxy;
        int id;
    };
    std::vector<Item> items;
    std::set<DeviceProxy *> proxies;
    for (auto *p : registry()) {
        std::lock_guard<std::mutex> lock(p->sub_mutex_);
        for (auto &[id, sub] : p->subs_) {
            if (std::find(tango_ids.begin(), tango_ids.end(), sub.tango_id) != tango_ids.end()) {
                items.push_back({p, id});
                proxies.insert(p);
            }
        }
    }
    // cppTango rebuilds the channel only once all its subscriptions are gone.
    if (items.size() != tango_ids.size()) return false;
    std::vector<std::unique_lock<std::recursive_mutex>> held;
    for (auto *p : proxies) held.emplace_back(p->resub_mutex_); // in registry order
    auto find = [](const Item &item) -> Subscription * {
        auto it = item.proxy->subs_.find(item.id);
        return it == item.proxy->subs_.end() ? nullptr : &it->second;
    };
    for (auto &item : items) {
        int tango_id;
        {
            std::lock_guard<std::mutex> lock(item.proxy->sub_mutex_);
            Subscription *sub = find(item);
            if (sub == nullptr) continue;
            tango_id = sub->tango_id;
        }
        try {
            item.proxy->unsubscribe_event(tango_id);
        } catch (...) {
        }
    }
    for (auto &item : items) {
        if (!registry().count(item.proxy)) continue; // deleted by a callback meanwhile
        SubscribeFn subscribe;
        Tango::CallBack *cb;
        {
            std::lock_guard<std::mutex> lock(item.proxy->sub_mutex_);
            Subscription *sub = find(item);
            if (sub == nullptr) continue;
            subscribe = sub->subscribe;
            cb = sub->callback.get();
        }
        int fresh;
        try {
            fresh = subscribe(cb, true); // stateless: retried by cppTango while the server is away
        } catch (...) {
            continue;
        }
        std::lock_guard<std::mutex> lock(item.proxy->sub_mutex_);
        if (Subscription *sub = find(item)) sub->tango_id = fresh;
    }
    return true;
}

int DeviceProxy::tango_event_id(int id) {
    std::lock_guard<std::mutex> lock(sub_mutex_);
    auto it = subs_.find(id);
    return it == subs_.end() ? id : it->second.tango_id;
}

Tango::EventType DeviceProxy::subscription_type(int id) {
    std::lock_guard<std::mutex> lock(sub_mutex_);
    auto it = subs_.find(id);
    if (it == subs_.end()) {
        Tango::Except::throw_exception("API_EventNotFound", "No subscription with id " + std::to_string(id),
                                       "DeviceProxy.get_events");
    }
    return it->second.type;
}

namespace {

py::object weak_ref(py::handle self) {
    PyObject *ref = PyWeakref_NewRef(self.ptr(), nullptr);
    if (ref == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(ref);
}

// Drains a pull-model queue of one event data type into Python objects (or a callback).
template <class List>
py::object drain(DeviceProxy &d, int id, py::handle self, py::handle callback, ExtractAs ex) {
    List list;
    without_gil([&] { d.with_event_id(id, [&](int tid) { d.get_events(tid, list); }); });
    py::list out;
    py::object target = callback.is_none() ? py::object() : callback_target(callback, "push_event");
    EventStrings strings;
    py::object device_ref = weak_ref(self);
    for (auto *e : list) {
        py::object ev = event_to_py(*e, device_ref, ex, strings);
        if (target) invoke_callback(target, ev);
        else out.append(ev);
    }
    return callback.is_none() ? py::object(out) : py::object(py::none());
}

} // namespace

void bind_events(ProxyClass &cls) {
    cls.def("_subscribe_event",
            [](py::handle self, std::string attr, Tango::EventType type, py::object cb, bool stateless,
               ExtractAs ex) {
                auto &d = self.cast<DeviceProxy &>();
                auto callback = std::make_unique<EventCallBack>(cb, weak_ref(self), ex);
                DeviceProxy *p = &d;
                return d.add_subscription(
                    [p, attr, type](Tango::CallBack *c, bool sl) { return p->subscribe_event(attr, type, c, sl); },
                    stateless, std::move(callback), type);
            },
            py::arg("attr_name"), py::arg("event_type"), py::arg("callback"), py::arg("stateless") = false,
            py::arg("extract_as") = ExtractAs::Numpy)
        .def("_subscribe_event_queue",
             [](DeviceProxy &d, std::string attr, Tango::EventType type, int size, bool stateless) {
                 DeviceProxy *p = &d;
                 return d.add_subscription(
                     [p, attr, type, size](Tango::CallBack *, bool sl) { return p->subscribe_event(attr, type, size, sl); },
                     stateless, nullptr, type);
             })
        .def("_subscribe_device_event",
             [](py::handle self, Tango::EventType type, py::object cb, bool stateless) {
                 auto &d = self.cast<DeviceProxy &>();
                 auto callback = std::make_unique<EventCallBack>(cb, weak_ref(self), ExtractAs::Numpy);
                 DeviceProxy *p = &d;
                 return d.add_subscription(
                     [p, type](Tango::CallBack *c, bool sl) { return p->subscribe_event(type, c, sl); }, stateless,
                     std::move(callback), type);
             })
        .def("_subscribe_device_event_queue",
             [](DeviceProxy &d, Tango::EventType type, int size, bool stateless) {
                 DeviceProxy *p = &d;
                 return d.add_subscription(
                     [p, type, size](Tango::CallBack *, bool sl) { return p->subscribe_event(type, size, sl); },
                     stateless, nullptr, type);
             })
        .def("unsubscribe_event", [](DeviceProxy &d, int id) { d.remove_subscription(id); }, py::arg("event_id"))
        .def("_get_events",
             [](py::handle self, int id, py::handle callback, ExtractAs ex) -> py::object {
                 auto &d = self.cast<DeviceProxy &>();
                 switch (d.subscription_type(id)) {
                 case Tango::ATTR_CONF_EVENT: return drain<Tango::AttrConfEventDataList>(d, id, self, callback, ex);
                 case Tango::DATA_READY_EVENT: return drain<Tango::DataReadyEventDataList>(d, id, self, callback, ex);
                 case Tango::INTERFACE_CHANGE_EVENT:
                     return drain<Tango::DevIntrChangeEventDataList>(d, id, self, callback, ex);
                 case Tango::PIPE_EVENT: return drain<Tango::PipeEventDataList>(d, id, self, callback, ex);
                 default: return drain<Tango::EventDataList>(d, id, self, callback, ex);
                 }
             },
             py::arg("event_id"), py::arg("callback") = py::none(), py::arg("extract_as") = ExtractAs::Numpy)
        .def("event_queue_size", [](DeviceProxy &d, int id) { return without_gil([&] { return d.with_event_id(id, [&](int tid) { return d.event_queue_size(tid); }); }); },
             py::arg("event_id"))
        .def("get_last_event_date",
             [](DeviceProxy &d, int id) {
                 return without_gil([&] { return d.with_event_id(id, [&](int tid) { return d.get_last_event_date(tid); }); });
             },
             py::arg("event_id"))
        .def("is_event_queue_empty",
             [](DeviceProxy &d, int id) {
                 return without_gil([&] { return d.with_event_id(id, [&](int tid) { return d.is_event_queue_empty(tid); }); });
             },
             py::arg("event_id"));
}

} // namespace pt
