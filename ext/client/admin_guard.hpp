// See admin_guard.cpp: keeps cppTango 9.3's keep-alive thread from calling through a deleted
// admin proxy of a server without a database.
#pragma once

#include <vector>

namespace pt {

// Checks cppTango's event channels (and starts the watchdog if some need it). Call without the
// GIL, outside cppTango's locks: after subscribing and before and after unsubscribing.
void guard_event_channels();

// Makes the given cppTango subscriptions again (unsubscribes them all, then subscribes each
// anew, stateless), keeping the ids their users hold. False, doing nothing, when some of them
// are not pytango's. Defined in events.cpp.
bool resubscribe_events(const std::vector<int> &tango_ids);

} // namespace pt
