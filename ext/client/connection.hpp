// The compiled base of every client connection (client/connection.cpp).
#pragma once

#include "pytango.hpp"

namespace pt {

// Binds tango._tango.Connection: register it before the classes that derive from it.
void register_connection(py::module_ &m);

} // namespace pt
