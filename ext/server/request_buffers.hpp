// The buffers a read lends its value from (server/request_buffers.cpp).
#pragma once

#include "pytango.hpp"
#include "server/device.hpp"

namespace pt {

// A read lends its value to cppTango without a copy. Over the network that is safe with a
// buffer per attribute: cppTango holds the attribute's lock until the reply is marshalled. A
// client in the server's own process (a DeviceTestContext in a thread) is answered without
// marshalling: its thread runs the read and then reads the lent buffer itself, after the locks
// are released, while another thread's read of the same attribute may be replacing it. So each
// thread lends from buffers of its own, reused only once the thread has started its next
// request (new_request, called by the device's always_executed_hook and read_attr_hardware):
// by then its caller has what it read (a client that converts later copies it first:
// own_buffers, convert/device_attribute.hpp).
void new_request(); // any thread, no GIL needed

// A buffer for one value of the current request of this thread (with the GIL).
ReadBuffer &request_buffer();

} // namespace pt
