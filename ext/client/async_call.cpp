// The compiled call of an asyncio green proxy's read_attribute: the `_tango_call` of the
// TangoFuture it returns (tango/_asyncio_calls.py, where PyCall is the same for the other
// methods, in Python). The future starts it when first awaited or watched:
// - awaited, on a loop with nothing else ready, and the same read was quick last time: in
//   place, on the loop's thread (a sequential `await dev.read_attribute(...)` then costs what a
//   synchronous read costs);
// - otherwise on the C++ pool threads (client/async_pool.cpp), or on the Python workers for a
//   loop that cannot watch a file.
#include "client/async_call.hpp"
#include "gil.hpp"

#include <structmember.h>

namespace pt {
namespace {

struct AsyncCall {
    PyObject_HEAD
    AsyncJob *job;    // the call (owned) until it is started
    PyObject *loop;
    PyObject *table;  // dict: True for a key whose last call was quick, False for a slow one
    PyObject *key;
    PyObject *fn;     // fn(*job->python_args()): the same call in Python, for the Python workers
    double limit;
};

PyTypeObject async_call_type = {PyVarObject_HEAD_INIT(nullptr, 0)};

// What the calls need of tango._asyncio_calls, handed over once (configure_async_calls) and
// kept for the process.
struct Refs {
    PyObject *loop_port = nullptr, *submit = nullptr;
} refs_;

// (make_async_call, the only way to a call, refuses to make one before they are handed over)
const Refs &refs() { return refs_; }

// The object a weak reference refers to (new reference), or NULL when it is gone.
PyObject *weak_target(PyObject *ref) {
#if PY_VERSION_HEX >= 0x030D0000
    PyObject *o = nullptr;
    if (PyWeakref_GetRef(ref, &o) < 0) PyErr_Clear();
    return o;
#else
    PyObject *o = PyWeakref_GET_OBJECT(ref);
    if (o == Py_None) return nullptr;
    Py_INCREF(o);
    return o;
#endif
}

// What is kept of the last loop that handed a call over: its port (tango._asyncio_calls.
// loop_port) and its queue of ready callbacks. A Python call and a WeakKeyDictionary look-up per
// read handed over were a tenth of the loop's own work; the loop and the port are held weakly.
struct LoopCache {
    PyObject *loop = nullptr, *port = nullptr; // weak references
    PyObject *ready = nullptr;                 // the loop's _ready deque, or null
} last;

bool is_last(PyObject *loop) {
    if (last.loop == nullptr) return false;
    PyObject *cached = weak_target(last.loop);
    Py_XDECREF(cached); // only compared: `loop` is alive, held by the caller
    return cached == loop;
}

// The loop's port (new reference; None for a loop without one).
PyObject *port_for(PyObject *loop) {
    if (is_last(loop)) {
        PyObject *port = weak_target(last.port);
        if (port != nullptr) return port;
    }
    PyObject *port = PyObject_CallOneArg(refs().loop_port, loop);
    if (port == nullptr || port == Py_None) return port;
    static PyObject *ready_name = PyUnicode_InternFromString("_ready");
    PyObject *loop_ref = PyWeakref_NewRef(loop, nullptr), *port_ref = PyWeakref_NewRef(port, nullptr);
    if (loop_ref != nullptr && port_ref != nullptr) {
        PyObject *ready = PyObject_GetAttr(loop, ready_name);
        if (ready == nullptr) PyErr_Clear();
        Py_XSETREF(last.loop, loop_ref);
        Py_XSETREF(last.port, port_ref);
        Py_XSETREF(last.ready, ready);
    } else { // not weakly referable: no cache
        PyErr_Clear();
        Py_XDECREF(loop_ref);
        Py_XDECREF(port_ref);
    }
    return port;
}

// Nothing else ready to run on the loop (CPython's queue of ready callbacks is empty).
bool loop_idle(PyObject *loop) {
    static PyObject *ready_name = PyUnicode_InternFromString("_ready");
    const bool cached = is_last(loop) && last.ready != nullptr;
    PyObject *ready = cached ? last.ready : PyObject_GetAttr(loop, ready_name);
    if (ready == nullptr) {
        PyErr_Clear();
        return false;
    }
    const Py_ssize_t n = PyObject_Length(ready);
    if (!cached) Py_DECREF(ready);
    if (n < 0) PyErr_Clear();
    return n == 0;
}

// Where awaited reads run, as tango._asyncio_calls.set_placement says (a user's choice for the
// process, read with the GIL): AUTO decides per call as above, IN_PLACE runs every awaited read
// in place, WORKERS none.
enum Placement { AUTO = 0, IN_PLACE = 1, WORKERS = 2 };
Placement placement = AUTO;

// How many reads were started in place, on the pool threads and on the Python workers (counted
// with the GIL; tango._asyncio_calls.call_counts reports them).
struct Counts {
    unsigned long long in_place = 0, pool = 0, workers = 0;
} counts;

bool quick_last_time(AsyncCall *self) {
    PyObject *last = PyDict_GetItemWithError(self->table, self->key); // borrowed
    if (last == nullptr) PyErr_Clear();
    return last == Py_True;
}

// On a loop without a port: the Python workers make the Python form of the call (they keep no
// verdict: such a loop's calls never run in place).
PyObject *to_python_workers(AsyncCall *self, AsyncJob &job, PyObject *future) {
    PyObject *args = job.python_args();
    PyObject *kwargs = args ? PyDict_New() : nullptr;
    PyObject *r = kwargs ? PyObject_CallFunctionObjArgs(refs().submit, self->loop, self->fn, args, kwargs, future,
                                                        nullptr)
                         : nullptr;
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    return r;
}

// Makes the call, once; its result goes to `future`. New reference (None), or NULL.
PyObject *start(AsyncCall *self, PyObject *future, bool in_place) {
    if (self->job == nullptr) Py_RETURN_NONE; // started already
    std::unique_ptr<AsyncJob> job(self->job);
    self->job = nullptr;
    // TangoFuture.cancel drops a call not started yet through here: the job goes, unmade and
    // without a warning. (An await comes with the call still on the future: not cancelled.)
    if (!in_place && future_done(future)) Py_RETURN_NONE;
    job->time_into(self->table, self->key, self->limit);
    if (in_place && placement != WORKERS &&
        (placement == IN_PLACE || (quick_last_time(self) && loop_idle(self->loop)))) {
        ++counts.in_place;
        job->started();
        without_gil([&] { job->run(); });
        job->record();
        settle_future(future, job->result());
        Py_RETURN_NONE;
    }
    PyObject *port = port_for(self->loop);
    if (port == nullptr) return nullptr;
    if (port == Py_None) {
        Py_DECREF(port);
        ++counts.workers;
        return to_python_workers(self, *job, future);
    }
    const bool ok = submit_job(port, future, std::move(job));
    Py_DECREF(port);
    if (!ok) return nullptr;
    ++counts.pool;
    Py_RETURN_NONE;
}

// start(future, in_place)
PyObject *call_start(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "start(future, in_place) takes 2 arguments");
        return nullptr;
    }
    const int in_place = PyObject_IsTrue(args[1]);
    if (in_place < 0) return nullptr;
    return start(reinterpret_cast<AsyncCall *>(self), args[0], in_place != 0);
}

int call_traverse(PyObject *self_obj, visitproc visit, void *arg) {
    auto *self = reinterpret_cast<AsyncCall *>(self_obj);
    Py_VISIT(self->loop);
    Py_VISIT(self->table);
    Py_VISIT(self->key);
    Py_VISIT(self->fn);
    return 0;
}

int call_clear(PyObject *self_obj) {
    auto *self = reinterpret_cast<AsyncCall *>(self_obj);
    delete self->job; // with the GIL: it holds Python references
    self->job = nullptr;
    Py_CLEAR(self->loop);
    Py_CLEAR(self->table);
    Py_CLEAR(self->key);
    Py_CLEAR(self->fn);
    return 0;
}

// A call never started: its future was never awaited, as a coroutine never awaited, it warns.
void call_finalize(PyObject *self_obj) {
    auto *self = reinterpret_cast<AsyncCall *>(self_obj);
    if (self->job == nullptr) return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *args = self->job->python_args();
    PyObject *name = args && PyTuple_GET_SIZE(args) > 1 ? PyTuple_GET_ITEM(args, 1) : Py_None;
    if (args == nullptr ||
        PyErr_WarnFormat(PyExc_RuntimeWarning, 1, "the tango call read_attribute(%R) was never awaited: it was not made",
                         name) < 0) {
        PyErr_WriteUnraisable(self_obj);
    }
    Py_XDECREF(args);
    PyErr_Restore(type, value, tb);
}

void call_dealloc(PyObject *self) {
    if (PyObject_CallFinalizerFromDealloc(self) < 0) return; // resurrected
    PyObject_GC_UnTrack(self);
    call_clear(self);
    Py_TYPE(self)->tp_free(self);
}

PyMethodDef call_methods[] = {
    {"start", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&call_start)), METH_FASTCALL,
     "start(future, in_place): make the call, once (in place when allowed and quick); its result "
     "goes to the future."},
    {nullptr, nullptr, 0, nullptr},
};

// -- TangoFuture's own methods, in C: __await__ is on the path of every sequential await, and
// add_done_callback of every gathered call (a Python method there cost a frame each time).

struct FutureMethods {
    Py_ssize_t call_offset = 0;           // of the _tango_call slot in a TangoFuture
    unaryfunc base_await = nullptr;       // asyncio.Future's
    PyObject *base_add_done_callback = nullptr; // asyncio.Future.add_done_callback (unbound)
    PyObject *start_name = nullptr;
} future_methods;

PyObject *&call_slot(PyObject *future) {
    return *reinterpret_cast<PyObject **>(reinterpret_cast<char *>(future) + future_methods.call_offset);
}

// Starts the future's call if it has not started: 0, or -1 with an error set.
int start_pending(PyObject *future, bool in_place) {
    PyObject *call = call_slot(future);
    if (call == nullptr || call == Py_None) return 0;
    call_slot(future) = nullptr; // the reference is ours now
    PyObject *r;
    if (Py_TYPE(call) == &async_call_type) {
        r = start(reinterpret_cast<AsyncCall *>(call), future, in_place);
    } else { // a PyCall
        PyObject *args[] = {call, future, in_place ? Py_True : Py_False};
        r = PyObject_VectorcallMethod(future_methods.start_name, args, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, nullptr);
    }
    Py_DECREF(call);
    Py_XDECREF(r);
    return r != nullptr ? 0 : -1;
}

PyObject *future_await(PyObject *self, PyObject *) {
    if (start_pending(self, true) < 0) return nullptr;
    return future_methods.base_await(self);
}

PyObject *future_add_done_callback(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    if (start_pending(self, false) < 0) return nullptr;
    const Py_ssize_t n = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    std::vector<PyObject *> all(static_cast<size_t>(n + 1));
    all[0] = self;
    std::copy(args, args + n, all.begin() + 1);
    return PyObject_Vectorcall(future_methods.base_add_done_callback, all.data(), static_cast<size_t>(nargs + 1),
                               kwnames);
}

PyMethodDef future_method_defs[] = {
    {"__await__", future_await, METH_NOARGS, "Start the call (in place when that is quick), then wait for it."},
    {"__iter__", future_await, METH_NOARGS, "Start the call (in place when that is quick), then wait for it."},
    {"add_done_callback", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&future_add_done_callback)),
     METH_FASTCALL | METH_KEYWORDS, "Start the call (on the workers), then add the callback."},
};

// _install_future_methods(TangoFuture, asyncio.Future): puts the methods above on the class.
void install_future_methods(py::handle cls, py::handle base) {
    auto *type = reinterpret_cast<PyTypeObject *>(cls.ptr());
    auto *base_type = reinterpret_cast<PyTypeObject *>(base.ptr());
    py::object slot = py::reinterpret_borrow<py::dict>(type->tp_dict)["_tango_call"];
    if (Py_TYPE(slot.ptr()) != &PyMemberDescr_Type) throw py::type_error("TangoFuture needs a _tango_call slot");
    future_methods.call_offset = reinterpret_cast<PyMemberDescrObject *>(slot.ptr())->d_member->offset;
    if (base_type->tp_as_async == nullptr || base_type->tp_as_async->am_await == nullptr) {
        throw py::type_error("asyncio.Future has no __await__");
    }
    future_methods.base_await = base_type->tp_as_async->am_await;
    future_methods.base_add_done_callback = py::object(base.attr("add_done_callback")).release().ptr();
    future_methods.start_name = PyUnicode_InternFromString("start");
    for (PyMethodDef &def : future_method_defs) {
        py::object descr = py::reinterpret_steal<py::object>(PyDescr_NewMethod(type, &def));
        if (!descr || PyObject_SetAttrString(cls.ptr(), def.ml_name, descr.ptr()) < 0) throw py::error_already_set();
    }
}

} // namespace

void configure_async_calls(PyObject *loop_port, PyObject *submit) {
    if (refs_.loop_port != nullptr) return; // once for the process
    Py_INCREF(loop_port);
    Py_INCREF(submit);
    refs_.loop_port = loop_port;
    refs_.submit = submit;
}

int start_future_now(PyObject *future) { return start_pending(future, false); }

void set_future_call(PyObject *future, PyObject *call) {
    Py_INCREF(call);
    Py_XSETREF(call_slot(future), call);
}

PyObject *make_async_call(std::unique_ptr<AsyncJob> job, PyObject *loop, PyObject *table, PyObject *key,
                          PyObject *fn, double limit) {
    if (refs_.loop_port == nullptr) {
        PyErr_SetString(PyExc_RuntimeError, "asyncio calls made before configure_async_calls");
        return nullptr;
    }
    auto *self = PyObject_GC_New(AsyncCall, &async_call_type);
    if (self == nullptr) return nullptr;
    auto keep = [](PyObject *o) {
        Py_INCREF(o);
        return o;
    };
    self->job = job.release();
    self->loop = keep(loop);
    self->table = keep(table);
    self->key = keep(key);
    self->fn = keep(fn);
    self->limit = limit;
    PyObject_GC_Track(self);
    return reinterpret_cast<PyObject *>(self);
}

void register_async_call(py::module_ &m) {
    m.def("_install_future_methods", &install_future_methods,
          "Give tango._asyncio_calls.TangoFuture its compiled __await__ and add_done_callback.");
    m.def(
        "_set_asyncio_read_placement",
        [](int p) {
            if (p < AUTO || p > WORKERS) throw py::value_error("placement: 0 (auto), 1 (in place) or 2 (workers)");
            placement = static_cast<Placement>(p);
        },
        "Where awaited compiled reads run: 0 auto, 1 in place, 2 workers (tango._asyncio_calls.set_placement).");
    m.def(
        "_asyncio_read_counts", [] { return py::make_tuple(counts.in_place, counts.pool, counts.workers); },
        "How many compiled reads started in place, on the pool threads, on the Python workers.");
    async_call_type.tp_name = "tango._tango.AsyncCall";
    async_call_type.tp_basicsize = sizeof(AsyncCall);
    async_call_type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC;
    async_call_type.tp_doc = "The call of an asyncio green proxy's read_attribute (its future's _tango_call).";
    async_call_type.tp_dealloc = call_dealloc;
    async_call_type.tp_finalize = call_finalize;
    async_call_type.tp_traverse = call_traverse;
    async_call_type.tp_clear = call_clear;
    async_call_type.tp_methods = call_methods;
    if (PyType_Ready(&async_call_type) < 0) throw py::error_already_set();
}

} // namespace pt
