// Every difference between cppTango 9.3.x (Debian 12) and 10.x (Debian 13) lives here.
#pragma once

#include <tango/tango.h>

#define PYTANGO_CPPTANGO_AT_LEAST(maj, min) \
    (TANGO_VERSION_MAJOR > (maj) || (TANGO_VERSION_MAJOR == (maj) && TANGO_VERSION_MINOR >= (min)))

namespace pt::compat {

// Values cppTango 10 dropped from its enums (kept by number for PyTango compatibility).
constexpr auto DEV_INT = static_cast<Tango::CmdArgType>(27);
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
#define PYTANGO_HAS_ALARM_EVENT 1
constexpr auto ALARM_EVENT = Tango::ALARM_EVENT;
#else
#define PYTANGO_HAS_ALARM_EVENT 0
// cppTango 10's number: EventType.ALARM_EVENT exists on 9.3 too (PyTango 10.3's enum), and
// subscribing with it says which cppTango it needs (client/events.cpp)
constexpr auto ALARM_EVENT = static_cast<Tango::EventType>(9);
#endif

// cppTango 9.3's keep-alive thread rebuilds the admin proxy of a no-database server from a name
// without "#dbase=no", fails, and keeps the deleted pointer (client/admin_guard.cpp).
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
#define PYTANGO_NODB_RECONNECT_CRASH 0
#else
#define PYTANGO_NODB_RECONNECT_CRASH 1
#endif

// cppTango 10 checks each command of a read-only proxy (ACCESS_READ) against the database's
// list of allowed commands through a database object that a proxy without a database does not
// have: Database::is_command_allowed crashes (FileDatabase::DbGetProperty on a dangling object).
// cppTango 9.3 runs such commands. On 10 they are refused instead (client/device_proxy.cpp).
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
#define PYTANGO_NODB_READ_ONLY_COMMAND_CRASH 1
#else
#define PYTANGO_NODB_READ_ONLY_COMMAND_CRASH 0
#endif

// log4tango: cppTango 10 records the source file and line of every message (9.3 keeps none).
inline void log_message(log4tango::Logger *logger, log4tango::Level::Value level, const std::string &msg,
                        const char *file = "python", int line = 0) {
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
    logger->log(file, line, level, msg);
#else
    (void)file;
    (void)line;
    logger->log(level, msg);
#endif
}

// The DbData argument of Tango::Database's put_* and delete_* calls: const from cppTango 10.
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
using DbDataArg = const Tango::DbData &;
#else
using DbDataArg = Tango::DbData &;
#endif

// JPEG decoding: cppTango 9.3's own decoder is broken on 64-bit hosts (it copies 8-byte longs
// where it means 4 bytes: a gray image comes back with 4 columns wrong in 7 rows of every 8, a
// colour one wrong or refused) and trusts the stream it is given (a corrupted header makes it
// write out of bounds). There pytango decodes JPEG itself with libjpeg, as cppTango 10 does
// (types/jpeg.cpp; CMakeLists.txt links libjpeg for cppTango < 10).
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
#define PYTANGO_OWN_JPEG_DECODING 0
#else
#define PYTANGO_OWN_JPEG_DECODING 1
#endif

inline void log_unconditionally(log4tango::Logger *logger, log4tango::Level::Value level, const std::string &msg,
                                const char *file = "python", int line = 0) {
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
    logger->log_unconditionally(file, line, level, msg);
#else
    (void)file;
    (void)line;
    logger->log_unconditionally(level, msg);
#endif
}

// The newest device implementation cppTango has: IDL 6 from cppTango 10 (its DeviceInfo carries
// the device's version information), IDL 5 before.
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
using LatestDeviceImpl = Tango::Device_6Impl;
#else
using LatestDeviceImpl = Tango::Device_5Impl;
#endif

inline const char *cpptango_version() { return Tango::TgLibVers; }

} // namespace pt::compat

// The event consumer's declaration is not part of tango.h; cppTango 10 moved it under client/.
#if __has_include(<tango/client/eventconsumer.h>)
#define PYTANGO_EVENTCONSUMER_HEADER <tango/client/eventconsumer.h>
#else
#define PYTANGO_EVENTCONSUMER_HEADER <tango/eventconsumer.h>
#endif

// The signal thread's declaration (DServerSignal) is not part of tango.h either: cppTango 10
// moved it under server/.
#if __has_include(<tango/server/dserversignal.h>)
#define PYTANGO_DSERVERSIGNAL_HEADER <tango/server/dserversignal.h>
#else
#define PYTANGO_DSERVERSIGNAL_HEADER <tango/dserversignal.h>
#endif
