// A guard against a crash of cppTango 9.3's keep-alive thread, for servers without a database.
//
// When a server's heartbeat is late (the server was down, suspended or overloaded for 10 s), the
// keep-alive thread reconnects its event channel: it deletes the channel's admin proxy and builds
// a new one from the channel name. For a server without a database that name lacks "#dbase=no",
// so the new proxy cannot be built: the channel keeps the deleted pointer, and the next
// keep-alive round (10 s later) calls through it and crashes (seen in gdb: the vtable read from
// freed memory). Unsubscribing in between would free it twice.
//
// The guard gives each such channel an admin proxy of ours, whose destructor records that
// cppTango deleted it. A check (after each subscription change, and once a second by a
// watchdog thread while guarded channels exist) puts a fresh copy back where cppTango left a
// deleted one, under cppTango's own map lock. cppTango would never reconnect such a channel, so
// the watchdog then makes its subscriptions again (resubscribe_events): events resume once the
// server is back. cppTango 10 rebuilds the proxy correctly: no guard there.
#include "pytango.hpp"
#include "compat.hpp"
#include "client/admin_guard.hpp"
#include "client/device_proxy.hpp"
#include "gil.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace pt {

#if PYTANGO_NODB_RECONNECT_CRASH

} // namespace pt
#include <tango/eventconsumer.h> // cppTango 9.3's channel table (not part of tango.h)
namespace pt {

namespace {

// cppTango's channel table is a protected static member of EventConsumer; so is its list of
// stateless subscriptions not connected yet, which its keep-alive thread connects later,
// making channels of its own.
struct ChannelTable : Tango::EventConsumer {
    static std::map<std::string, Tango::EventChannelStruct> &get() { return channel_map; }
    static bool pending() { return !event_not_connected.empty(); }
};

struct Guard {
    std::unique_ptr<Tango::DeviceProxy> spare; // a copy kept to rebuild from
    const void *given = nullptr;               // the proxy of ours the channel holds
    bool deleted = false;                      // cppTango deleted `given`
};

// A leaf lock: taken under cppTango's map lock (in a destructor cppTango runs), never around it.
std::mutex guards_mutex;
std::set<std::string> stale; // channels cppTango failed to reconnect (guards_mutex)
std::map<std::string, Guard> &guards() {
    static auto *g = new std::map<std::string, Guard>; // used by cppTango threads until the end
    return *g;
}

class GuardedAdmin : public Tango::DeviceProxy {
public:
    explicit GuardedAdmin(const Tango::DeviceProxy &source) : Tango::DeviceProxy(source) {}
    ~GuardedAdmin() override {
        std::lock_guard<std::mutex> lock(guards_mutex);
        for (auto &[name, g] : guards()) {
            if (g.given == this) g.deleted = true;
        }
    }
};

// Returns whether guarded channels (or stateless subscriptions still to connect) remain. Called
// without the GIL and outside cppTango's locks.
bool check_channels() {
    std::vector<std::unique_ptr<Tango::DeviceProxy>> drop; // deleted after the locks
    bool any = false;
    ::ReadersWritersLock &map_lock = Tango::EventConsumer::get_map_modification_lock();
    map_lock.writerIn();
    try {
        auto &channels = ChannelTable::get();
        any = ChannelTable::pending(); // the watchdog waits for them to guard their channels
        std::lock_guard<std::mutex> lock(guards_mutex);
        for (auto it = guards().begin(); it != guards().end();) {
            if (channels.count(it->first)) {
                ++it;
            } else { // the channel is gone (last unsubscription): cppTango deleted our proxy
                drop.push_back(std::move(it->second.spare));
                stale.erase(it->first);
                it = guards().erase(it);
            }
        }
        for (auto &[name, channel] : channels) {
            Tango::DeviceProxy *admin = channel.adm_device_proxy;
            if (channel.channel_type != Tango::ZMQ || admin == nullptr) continue;
            if (channel.full_adm_name.find(MODIFIER_DBASE_NO) != std::string::npos) continue;
            auto found = guards().find(name);
            if (found != guards().end() && found->second.given == admin) {
                if (found->second.deleted) { // the dangling pointer: put a live proxy back
                    auto *fresh = new GuardedAdmin(*found->second.spare);
                    channel.adm_device_proxy = fresh;
                    found->second.given = fresh;
                    found->second.deleted = false;
                    stale.insert(name);
                }
                any = true;
                continue;
            }
            if (admin->is_dbase_used()) continue; // cppTango can rebuild a proxy through the database
            Guard g;
            g.spare = std::make_unique<Tango::DeviceProxy>(*admin);
            auto *fresh = new GuardedAdmin(*admin);
            drop.emplace_back(admin); // cppTango's own proxy, replaced
            channel.adm_device_proxy = fresh;
            g.given = fresh;
            if (found != guards().end()) drop.push_back(std::move(found->second.spare));
            guards()[name] = std::move(g);
            any = true;
        }
    } catch (...) {
        // A copy failed (out of memory): the channel keeps what it had.
    }
    map_lock.writerOut();
    drop.clear();
    return any;
}

// cppTango's ids of the subscriptions on a channel.
struct CallbackTable : Tango::EventConsumer {
    static std::map<std::string, Tango::EventCallBackStruct> &get() { return event_callback_map; }
};

std::vector<int> channel_event_ids(const std::string &channel) {
    std::vector<int> ids;
    ::ReaderLock lock(Tango::EventConsumer::get_map_modification_lock());
    for (auto &[key, event] : CallbackTable::get()) {
        if (event.channel_name != channel) continue;
        for (auto &s : event.callback_list) {
            if (s.id > 0) ids.push_back(s.id);
        }
    }
    return ids;
}

// The channels cppTango failed to reconnect get their events made anew: once they are all
// unsubscribed cppTango drops the channel, and the new subscriptions build a correct one.
void recover_stale_channels() {
    std::set<std::string> names;
    {
        std::lock_guard<std::mutex> lock(guards_mutex);
        names = stale;
    }
    for (const auto &name : names) {
        std::vector<int> ids = channel_event_ids(name);
        if (ids.empty() || resubscribe_events(ids)) {
            std::lock_guard<std::mutex> lock(guards_mutex);
            stale.erase(name);
        }
    }
}

std::mutex watchdog_mutex;
std::condition_variable watchdog_wake;
bool watchdog_running = false;

// While guarded channels exist, looks once a second: the keep-alive thread next uses the
// channel's proxy 10 s after leaving it deleted.
void run_watchdog() {
    ensure_omni_thread(); // cppTango 9.3 wants an omniORB identity on threads calling it
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(watchdog_mutex);
            watchdog_wake.wait_for(lock, std::chrono::seconds(1));
        }
        if (process_exiting()) return;
        bool guarded = check_channels();
        recover_stale_channels();
        if (!guarded) {
            std::lock_guard<std::mutex> lock(watchdog_mutex);
            watchdog_running = false;
            return;
        }
    }
}

} // namespace

void guard_event_channels() {
    if (process_exiting()) return;
    if (!check_channels()) return;
    std::lock_guard<std::mutex> lock(watchdog_mutex);
    if (!watchdog_running) {
        watchdog_running = true;
        std::thread(run_watchdog).detach();
    }
}

#else

void guard_event_channels() {}

#endif

} // namespace pt
