// Enumerations that cppTango 9.3 and 10.0 do not have but PyTango 10.3 exposes (cppTango 10.1
// added them): defined here with PyTango's values, so that tango.EventSubMode and
// tango.EventReason exist on every cppTango line. The calls that use them are the events'.
#pragma once

namespace pt {

enum class EventSubMode { Sync = 1, SyncRead = 2, Async = 3, AsyncRead = 4, Stateless = 5 };

enum class EventReason { Unknown = 0, SubFail = 1, SubSuccess = 2, Update = 3 };

} // namespace pt
