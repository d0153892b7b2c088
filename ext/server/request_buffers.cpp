// Per-thread read buffers (request_buffers.hpp).
#include "server/request_buffers.hpp"

#include <deque>

namespace pt {

namespace {

thread_local unsigned long current_request = 0;

struct ThreadBuffers {
    std::deque<ReadBuffer> buffers; // grows to the most values one request of this thread lent
    size_t used = 0;                // taken by the current request
    unsigned long request = 0;      // which request `used` counts for

    ~ThreadBuffers() {
        // An ORB thread ends (its client went): the arrays it still holds are released with
        // the GIL, or left to the process's end when Python is gone.
        if (python_alive()) {
            py::gil_scoped_acquire gil;
            buffers.clear();
        } else {
            for (auto &b : buffers) b.array.release();
        }
    }
};

} // namespace

void new_request() { ++current_request; }

ReadBuffer &request_buffer() {
    thread_local ThreadBuffers tb;
    if (tb.request != current_request) {
        tb.request = current_request;
        tb.used = 0;
    }
    if (tb.used == tb.buffers.size()) tb.buffers.emplace_back();
    return tb.buffers[tb.used++];
}

} // namespace pt
