// Every difference between cppTango 9.3.x (Debian 12) and 10.x (Debian 13) lives here.
#pragma once

#include <tango/tango.h>

#define PYTANGO_CPPTANGO_AT_LEAST(maj, min) \
    (TANGO_VERSION_MAJOR > (maj) || (TANGO_VERSION_MAJOR == (maj) && TANGO_VERSION_MINOR >= (min)))

// cppTango 10 gives threads it did not create an omniORB identity with EnsureOmniThread;
// on 9.3 we make a dummy omni_thread ourselves (see gil.hpp).
#if PYTANGO_CPPTANGO_AT_LEAST(9, 4)
#define PYTANGO_HAS_ENSURE_OMNI_THREAD 1
#else
#define PYTANGO_HAS_ENSURE_OMNI_THREAD 0
#endif

namespace pt::compat {

inline const char *cpptango_version() { return Tango::TgLibVers; }

} // namespace pt::compat
