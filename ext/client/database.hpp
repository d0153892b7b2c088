// The Python form of a cppTango Database (client/database.cpp).
#pragma once

#include "pytango.hpp"
#include "client/connection.hpp"
#include "client/device_proxy.hpp"

namespace pt {

using DatabaseClass = py::class_<Tango::Database, Tango::Connection, std::unique_ptr<Tango::Database, ReleaseGilDeleter>>;

// The type of a database command's argument, read off the Python value: a str, a sequence of
// str, or (ints, strs) for a DevVarLongStringArray; None for none. TypeError otherwise.
long database_arg_type(py::handle value);

// The database's commands are typed by their argument; the result by the reply.
template <>
struct CommandTyping<Tango::Database> {
    static CmdType types(Tango::Database &, const std::string &, py::handle arg) {
        return CmdType{database_arg_type(arg), -1};
    }
    static void failed(Tango::Database &, const std::string &) {}
};

// A tango.Database (the Python class handed over by tango.db at import, through
// _tango._set_database_class) connected where `db` is: the same host and port, or the same file.
py::object python_database(Tango::Database &db);

} // namespace pt
