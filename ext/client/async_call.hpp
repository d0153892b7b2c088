// The compiled call behind the future of an asyncio green proxy's read_attribute
// (client/async_call.cpp).
#pragma once

#include "pytango.hpp"
#include "client/async_pool.hpp"

namespace pt {

// The `_tango_call` of a TangoFuture (tango/_asyncio_calls.py): start(future, in_place) makes
// `job` once, in place when allowed, `table[key]` is True (the same call took at most `limit`
// seconds last time) and `loop` has nothing else ready, otherwise on the pool threads through
// the loop's port; on a loop without one, tango._asyncio_calls.workers make
// fn(*job.python_args()), the same call in Python. New reference, or NULL with an exception set.
PyObject *make_async_call(std::unique_ptr<AsyncJob> job, PyObject *loop, PyObject *table, PyObject *key,
                          PyObject *fn, double limit);

// Hands the calls what they use of tango._asyncio_calls (once; later calls are ignored):
// loop_port(loop) -> the loop's port or None, and submit(loop, fn, args, kwargs, future), the
// Python workers.
void configure_async_calls(PyObject *loop_port, PyObject *submit);

// Makes `call` the `_tango_call` of `future` (a TangoFuture).
void set_future_call(PyObject *future, PyObject *call);
// Starts the call of `future` now, off the loop (wait=False): 0, or -1 with an error set.
int start_future_now(PyObject *future);

} // namespace pt
