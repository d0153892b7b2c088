// The compiled DeviceProxy: cppTango's proxy plus its type cache (client/type_cache.hpp), which
// lets a write or a command convert its argument without asking the device for the type on
// every call, and its event subscriptions.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"
#include "client/connection.hpp"
#include "client/type_cache.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace pt {

// Throws API_ReadOnlyMode where cppTango would crash checking a command (compat.hpp).
void check_read_only_command(Tango::DeviceProxy &dev, const std::string &name);

// Subscribes with cppTango (the callback, or null for a queue; stateless or not): returns
// cppTango's event id.
using SubscribeFn = std::function<int(Tango::CallBack *, bool stateless)>;

// One event subscription: the callback cppTango calls (null in the pull model), cppTango's id for
// it, and how to make it again. Its id for the user stays the first cppTango id even when it is
// made again (resubscribe_events, for cppTango 9.3: client/admin_guard.cpp).
struct Subscription {
    std::unique_ptr<Tango::CallBack> callback;
    Tango::EventType type;
    int tango_id = 0;
    SubscribeFn subscribe;
};

class DeviceProxy : public Tango::DeviceProxy {
public:
    explicit DeviceProxy(std::string name) : Tango::DeviceProxy(name) {}
    DeviceProxy(std::string name, bool need_check_access) : Tango::DeviceProxy(name, need_check_access) {}
    DeviceProxy(const DeviceProxy &other) : Tango::DeviceProxy(other) {}
    // Unsubscribes before the callbacks (our members) die: cppTango's own destructor would do
    // it only after them.
    ~DeviceProxy() override;

    // Events (client/events.cpp). Called with the GIL held; they release it around cppTango.
    int add_subscription(SubscribeFn subscribe, bool stateless, std::unique_ptr<Tango::CallBack> callback,
                         Tango::EventType type);
    void remove_subscription(int id);
    void unsubscribe_all();     // called without the GIL
    void deactivate_all();      // no more callbacks (interpreter exit)
    Tango::EventType subscription_type(int id);
    int tango_event_id(int id); // cppTango's id of the user's subscription `id`
    // Runs f(cppTango's id of `id`) while no resubscription is under way. Without the GIL.
    template <class F>
    auto with_event_id(int id, F &&f) {
        std::lock_guard<std::recursive_mutex> lock(resub_mutex_);
        return f(tango_event_id(id));
    }

    AttrType attr_type(const std::string &name);   // may call the device (GIL released)
    CmdType cmd_type(const std::string &name);     // idem
    void forget_attr(const std::string &name) { types_.forget_attr(name); }
    void forget_cmd(const std::string &name) { types_.forget_cmd(name); }
    void forget_types() { types_.clear(); } // invalidate_attribute_config_cache

private:
    TypeCache types_;
    std::mutex sub_mutex_; // guards subs_ only
    std::map<int, Subscription> subs_;
    // Held (without the GIL) while subscriptions are removed or made again: a removal never
    // meets a subscription half remade. Recursive: a callback run during a resubscription may
    // unsubscribe on the same thread.
    std::recursive_mutex resub_mutex_;
    friend bool resubscribe_events(const std::vector<int> &tango_ids);
};


// True from the moment the interpreter starts exiting (tango's atexit hook).
std::atomic<bool> &process_exiting();

// Deleting a proxy may talk to the device (unsubscribe): never with the GIL held. At exit
// proxies are left to the process's end instead (cppTango teardown then is fragile).
struct ReleaseGilDeleter {
    template <class T>
    void operator()(T *p) const {
        if (process_exiting()) return;
        if (PyGILState_Check()) {
            py::gil_scoped_release release;
            delete p;
        } else {
            delete p;
        }
    }
};

using ProxyClass = py::class_<DeviceProxy, Tango::Connection, std::unique_ptr<DeviceProxy, ReleaseGilDeleter>>;

// A proxy's commands are typed by the device (asked once, kept in the type cache; forgotten when
// a call fails, in case the device changed its interface).
template <>
struct CommandTyping<DeviceProxy> {
    static CmdType types(DeviceProxy &d, const std::string &cmd, py::handle) {
        check_read_only_command(d, cmd);
        return d.cmd_type(cmd);
    }
    static void failed(DeviceProxy &d, const std::string &cmd) { d.forget_cmd(cmd); }
};

void bind_events(ProxyClass &cls);
void bind_asynch(ProxyClass &cls);
void bind_polling(ProxyClass &cls);
void bind_pipes(ProxyClass &cls);

} // namespace pt
