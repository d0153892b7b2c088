// Registering a device or a class on a signal (DeviceImpl/DeviceClass register_signal and
// unregister_signal), made safe against cppTango's signal-thread handshake.
#pragma once

#include "pytango.hpp"

namespace pt {

// Run one (un)registration without the GIL, then wait until cppTango's signal thread took it.
//
// Why: cppTango (9.3 and 10.0) hands each (un)registration to its signal thread as a SIGINT
// sent to that thread, with a flag saying "install" or "remove". Two requests made back to
// back can both be pending when the thread wakes: the two SIGINTs merge into one (a standard
// signal does not queue), the thread serves one flag, and a later SIGINT finds a stale flag
// or none, which the thread takes for a real Ctrl-C: it shuts the server down, its devices
// vanish (OBJECT_NOT_EXIST) while the process lives on. Serving each request before the next
// is made keeps one SIGINT per flag. The wait is bounded (2 s), so it can never hang.
void signal_registration(const std::function<void()> &call);

} // namespace pt
