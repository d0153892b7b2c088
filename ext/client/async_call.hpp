// The awaitable of a call made through an asyncio green proxy (client/async_call.cpp).
#pragma once

#include "pytango.hpp"

namespace pt {

// An awaitable that, when awaited, calls fn(*args) in place (when `table[key]`, the duration of
// the same call last time, is at most `limit` seconds and `loop` has nothing else ready) or
// hands it to submit(loop, fn, args, {}) and awaits that future. `table` may be None (never in
// place). New reference, or NULL with an exception set.
PyObject *make_async_call(PyObject *fn, PyObject *args, PyObject *table, PyObject *key, PyObject *loop,
                          PyObject *submit, double limit);

} // namespace pt
