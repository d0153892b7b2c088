// The thread model in one place: the omniORB identity of Python threads, releasing the GIL
// around blocking cppTango calls.
#pragma once

#include "pytango.hpp"

namespace pt {

// cppTango locks (TangoMonitor) and event code call omni_thread::self(); a thread that
// omniORB did not create has none, which crashes cppTango 9.3. Each thread that calls into
// cppTango gets one identity, kept for the thread's life and released when it ends.
class OmniThreadIdentity {
public:
    OmniThreadIdentity() {
#if PYTANGO_HAS_ENSURE_OMNI_THREAD
        guard_ = std::make_unique<Tango::EnsureOmniThread>();
#else
        if (omni_thread::self() == nullptr) {
            dummy_ = omni_thread::create_dummy();
        }
#endif
    }
    ~OmniThreadIdentity() {
#if !PYTANGO_HAS_ENSURE_OMNI_THREAD
        if (dummy_ != nullptr) {
            omni_thread::release_dummy();
        }
#endif
    }
    OmniThreadIdentity(const OmniThreadIdentity &) = delete;
    OmniThreadIdentity &operator=(const OmniThreadIdentity &) = delete;

private:
#if PYTANGO_HAS_ENSURE_OMNI_THREAD
    std::unique_ptr<Tango::EnsureOmniThread> guard_;
#else
    omni_thread *dummy_ = nullptr;
#endif
};

inline void ensure_omni_thread() {
    thread_local OmniThreadIdentity identity;
    (void)identity;
}

// Run a blocking cppTango call without the GIL. Arguments are converted before, results after.
template <class F>
inline decltype(auto) without_gil(F &&f) {
    ensure_omni_thread();
    py::gil_scoped_release release;
    return f();
}

} // namespace pt
