// The connection family (client/connection.cpp, client/asynch.cpp): DeviceProxy and Database are
// both cppTango Connections. What Tango::Connection itself has (timeouts, source, reconnection,
// access control) is bound once, on the base class. What the family shares beyond it, the
// command calls, synchronous and asynchronous, with their replies and raw forms, is bound by one
// template over the connection class, which returns the class for its own extras (the shape of
// boost-histogram's register_storage). A class says, through CommandTyping, how its commands'
// arguments and results are typed: a DeviceProxy asks the device once (its type cache), a
// Database reads the type off the value (its commands take str, [str] or ([int], [str])).
#pragma once

#include "pytango.hpp"
#include "client/type_cache.hpp"

namespace pt {

// Binds tango._tango.Connection: register it before the classes that derive from it.
void register_connection(py::module_ &m);

// Specialised by each connection class C:
//   static CmdType types(C &, const std::string &cmd, py::handle arg);  // out_type < 0: the
//                                                                       // reply's own type
//   static void failed(C &, const std::string &cmd);  // a call failed: forget what is cached
template <class C>
struct CommandTyping;

// Binds _command_inout, command_inout_raw, _command_inout_asynch, _command_inout_reply,
// command_inout_reply_raw and get_asynch_replies on `cls` (asynch.cpp,
// instantiated for DeviceProxy and Database).
template <class C, class Cls>
Cls &bind_connection_calls(Cls &cls);

} // namespace pt
