// Blocking cppTango calls made for asyncio loops on C++ threads that never take the GIL
// (client/async_pool.cpp).
#pragma once

#include "pytango.hpp"

#include <memory>

namespace pt {

// One blocking call: run() on a pool thread without the GIL (it keeps its result or its
// exception), result() then on the loop's thread with the GIL. A job may hold Python
// references: it is created and destroyed with the GIL.
class AsyncJob {
public:
    virtual ~AsyncJob();
    virtual void run() noexcept = 0;
    // The call's value (new reference), or NULL with the Python error set.
    virtual PyObject *result() = 0;
    // The arguments of the same call made in Python (new reference), or NULL with an error.
    virtual PyObject *python_args() const = 0;

    // Where the call's speed goes once it is done: table[key] = True when it took at most
    // `limit` seconds, else False (whether the same call may run in place next time). With
    // the GIL.
    void time_into(PyObject *table, PyObject *key, double limit);
    void started(); // the clock starts (any thread)
    void record();  // with the GIL

private:
    PyObject *table_ = nullptr, *key_ = nullptr;
    double limit_ = 0, start_ = 0;
};

// future.done(), with the GIL (an error asking is reported, and counts as done).
bool future_done(PyObject *future);

// Sets `value` (a new reference, stolen) as the result of `future`, or, when it is NULL, the
// Python error being raised as its exception. Errors of the future itself are reported
// (sys.unraisablehook), never raised. With the GIL.
void settle_future(PyObject *future, PyObject *value);

// Hands `job` to the pool threads. `port` is the loop's port (tango._asyncio_calls.loop_port,
// an AsyncPort): the result is set on `future` (held until then) on the loop's thread. Returns
// false with a Python error set when the job could not be handed over.
bool submit_job(PyObject *port, PyObject *future, std::unique_ptr<AsyncJob> job);

} // namespace pt
