// The Python form of a cppTango Database (client/database.cpp).
#pragma once

#include "pytango.hpp"

namespace pt {

// A tango.Database (the Python class handed over by tango.db at import, through
// _tango._set_database_class) connected where `db` is: the same host and port, or the same file.
py::object python_database(Tango::Database &db);

} // namespace pt
