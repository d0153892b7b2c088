// See signals.hpp.
#include "server/signals.hpp"
#include "gil.hpp"

#include <chrono>
#include PYTANGO_DSERVERSIGNAL_HEADER

namespace pt {

namespace {

// The pending-request flags are protected members of DServerSignal: a derived class may name
// them, and the pointers to member it forms are read on the real instance.
struct SignalThreadFlags : Tango::DServerSignal {
    static bool Tango::DServerSignal::*install() { return &SignalThreadFlags::sig_to_install; }
    static bool Tango::DServerSignal::*remove() { return &SignalThreadFlags::sig_to_remove; }
};

void wait_for_signal_thread() {
    Tango::DServerSignal *ds = Tango::DServerSignal::instance();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    omni_mutex_lock lock(*ds); // the mutex the signal thread clears a flag under (then signals)
    while ((ds->*SignalThreadFlags::install()) || (ds->*SignalThreadFlags::remove())) {
        if (std::chrono::steady_clock::now() >= deadline) return;
        ds->wait(20);
    }
}

} // namespace

void signal_registration(const std::function<void()> &call) {
    without_gil([&] {
        call();
        wait_for_signal_thread();
    });
}

} // namespace pt
