// The threads that make blocking cppTango calls for asyncio loops, and the ports that bring the
// results back to each loop.
//
// Reads gathered at once (hundreds in flight) used to run on Python worker threads: each call
// took the GIL twice on a worker, and the loop's thread and six workers handed the GIL to each
// other thousands of times a second (in a profile, a quarter of the loop thread's time was
// spent in context switches). Here the pool threads are C++ threads that never take the GIL:
// a job's run() is the cppTango call alone. A finished job goes to its loop's port, a list and
// an eventfd that the loop watches (loop.add_reader): the first job of a batch writes the
// eventfd, and the loop's reader callback (AsyncPort.drain) converts every finished job and
// sets its future, with the GIL it holds anyway. One wake-up of the loop per batch, no GIL
// hand-over at all.
//
// Lifetimes: the pool lives to the process's end (its threads wait on a condition variable and
// are never joined). A port is shared by its Python object and the jobs on their way to it; when
// the Python object goes (its loop is closed or gone), jobs that finish later are dropped by the
// pool thread with the GIL (their futures belong to a dead loop), or leaked when Python is gone.
#include "client/async_pool.hpp"
#include "gil.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

namespace pt {
namespace {

struct Port;

// A job on its way: the job, the future its result goes to, and the port that takes it back.
struct Task {
    std::unique_ptr<AsyncJob> job;
    PyObject *future; // strong; touched with the GIL only
    std::shared_ptr<Port> port;
    ~Task() { Py_XDECREF(future); } // with the GIL, as the job's own destructor
};

// Deletes a finished task on a pool thread, whose port is closed: takes the GIL for it.
void drop_on_pool_thread(Task *t) {
    if (!python_alive()) return; // the interpreter is going: leave it to the process's end
    PyGILState_STATE state = PyGILState_Ensure();
    delete t;
    PyGILState_Release(state);
}

struct Port {
    int fd;
    std::mutex mutex; // guards done and closed; never held while waiting for the GIL
    std::vector<Task *> done;
    bool closed = false;

    Port() : fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
        if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    }
    ~Port() { ::close(fd); }

    // A pool thread, without the GIL. The eventfd is written under the lock: the fd cannot be
    // closed meanwhile (it lives as long as this object, which the caller keeps).
    void complete(Task *t) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (!closed) {
                done.push_back(t);
                if (done.size() == 1) {
                    const uint64_t one = 1;
                    ssize_t n = ::write(fd, &one, sizeof one);
                    (void)n; // cannot fail but by overflow, and then the loop is awake anyway
                }
                return;
            }
        }
        drop_on_pool_thread(t);
    }

    // The loop's thread. The eventfd is reset before the list is taken: a job finished after
    // the reset but before the take is taken now, one finished after the take wakes the loop.
    std::vector<Task *> take() {
        uint64_t count;
        ssize_t n = ::read(fd, &count, sizeof count);
        (void)n; // EAGAIN: nothing was signalled
        std::vector<Task *> batch;
        std::lock_guard<std::mutex> lock(mutex);
        batch.swap(done);
        return batch;
    }

    // The loop is gone (with the GIL): finished jobs are dropped, later ones by their thread.
    void close() {
        std::vector<Task *> batch;
        {
            std::lock_guard<std::mutex> lock(mutex);
            closed = true;
            batch.swap(done);
        }
        for (Task *t : batch) delete t;
    }
};

class Pool {
public:
    static Pool &instance() {
        static Pool *pool = new Pool(); // never destroyed: its threads are never joined
        return *pool;
    }

    void push(Task *t) {
        std::unique_lock<std::mutex> lock(mutex_);
        queue_.push_back(t);
        if (idle_ > waking_) { // a sleeping thread that nobody has woken yet
            ++waking_;
            lock.unlock();
            cv_.notify_one();
            return;
        }
        if (threads_ >= max_threads_) return; // the busy threads will take it
        ++threads_;
        lock.unlock();
        try {
            std::thread([this] { work(); }).detach();
        } catch (const std::system_error &) {
            lock.lock();
            --threads_;
            if (threads_ > 0) return; // the other threads will take it
            queue_.pop_back();
            throw;
        }
    }

private:
    // Threads: enough to cover the round trips of a few connections at once. omniORB opens up
    // to five connections to one server for concurrent calls; more threads only wait.
    Pool() {
        const char *env = std::getenv("PYTANGO_ASYNCIO_THREADS");
        if (env != nullptr && std::atoi(env) > 0) max_threads_ = std::atoi(env);
    }

    void work() {
        ensure_omni_thread();
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            while (queue_.empty()) {
                ++idle_;
                cv_.wait(lock);
                --idle_;
                if (waking_ > 0) --waking_;
            }
            Task *t = queue_.front();
            queue_.pop_front();
            lock.unlock();
            t->job->run();
            std::shared_ptr<Port> port = t->port; // t may be gone once the port has it
            port->complete(t);
            lock.lock();
        }
    }

    std::mutex mutex_; // guards the fields below; never held across a call
    std::condition_variable cv_;
    std::deque<Task *> queue_;
    int threads_ = 0, idle_ = 0, waking_ = 0;
    int max_threads_ = 6;
};

PyObject *interned(const char *s) { return PyUnicode_InternFromString(s); }

double monotonic_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A finished task on the loop's thread, with the GIL: its duration is recorded, its result set
// (unless the future was cancelled meanwhile: nobody waits).
void settle(Task *t) {
    t->job->record();
    if (future_done(t->future)) return;
    settle_future(t->future, t->job->result());
}

// The Python side of a port: tango._asyncio_calls.loop_port makes one per loop and watches its
// fileno. The futures of finished calls wait in the port for the loop: the port is a GC
// container over them (the loop holds the port through its reader, each future holds the loop:
// a cycle the garbage collector must see to free a loop that is gone).
struct PortHandle {
    std::shared_ptr<Port> port = std::make_shared<Port>();
    PortHandle() = default;
    PortHandle(const PortHandle &) = delete;
    ~PortHandle() { port->close(); }
};

int port_traverse(PyObject *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    if (!py::detail::is_holder_constructed(self)) return 0;
    Port &port = *py::cast<PortHandle &>(py::handle(self)).port;
    std::lock_guard<std::mutex> lock(port.mutex);
    for (Task *t : port.done) Py_VISIT(t->future);
    return 0;
}

int port_clear(PyObject *self) {
    if (py::detail::is_holder_constructed(self)) py::cast<PortHandle &>(py::handle(self)).port->close();
    return 0;
}

} // namespace

bool future_done(PyObject *future) {
    static PyObject *done_name = interned("done");
    PyObject *done = PyObject_CallMethodNoArgs(future, done_name);
    const int is_done = done != nullptr ? PyObject_IsTrue(done) : -1;
    Py_XDECREF(done);
    if (is_done < 0) PyErr_WriteUnraisable(future);
    return is_done != 0;
}

AsyncJob::~AsyncJob() {
    Py_XDECREF(table_);
    Py_XDECREF(key_);
}

void AsyncJob::time_into(PyObject *table, PyObject *key, double limit) {
    Py_INCREF(table);
    Py_INCREF(key);
    Py_XSETREF(table_, table);
    Py_XSETREF(key_, key);
    limit_ = limit;
}

void AsyncJob::started() { start_ = monotonic_seconds(); }

// A singleton for the verdict, written only when it changes: no object, no dict write per call.
void AsyncJob::record() {
    if (table_ == nullptr) return;
    PyObject *quick = monotonic_seconds() - start_ <= limit_ ? Py_True : Py_False;
    PyObject *last = PyDict_GetItemWithError(table_, key_); // borrowed
    if (last != quick && PyDict_SetItem(table_, key_, quick) < 0) PyErr_Clear();
    if (last == nullptr) PyErr_Clear();
}

void settle_future(PyObject *future, PyObject *value) {
    // asyncio.Future's own set_result and set_exception, called unbound: no attribute look-up
    static PyObject *set_result = nullptr, *set_exception = nullptr; // kept for the process
    if (set_result == nullptr) { // (the error being set, when value is NULL, is kept meanwhile)
        PyObject *type, *exc, *tb;
        PyErr_Fetch(&type, &exc, &tb);
        PyObject *asyncio = PyImport_ImportModule("asyncio"); // imported already: a loop runs
        PyObject *base = asyncio ? PyObject_GetAttrString(asyncio, "Future") : nullptr;
        set_result = base ? PyObject_GetAttrString(base, "set_result") : nullptr;
        set_exception = base ? PyObject_GetAttrString(base, "set_exception") : nullptr;
        Py_XDECREF(asyncio);
        Py_XDECREF(base);
        if (set_result == nullptr || set_exception == nullptr) {
            PyErr_WriteUnraisable(future);
            Py_CLEAR(set_result);
            Py_CLEAR(set_exception);
            PyErr_Restore(type, exc, tb);
            PyErr_Clear();
            Py_XDECREF(value);
            return;
        }
        PyErr_Restore(type, exc, tb);
    }
    PyObject *r;
    if (value != nullptr) {
        PyObject *args[] = {future, value};
        r = PyObject_Vectorcall(set_result, args, 2, nullptr);
        Py_DECREF(value);
    } else {
        PyObject *type, *exc, *tb;
        PyErr_Fetch(&type, &exc, &tb);
        PyErr_NormalizeException(&type, &exc, &tb);
        if (tb != nullptr) PyException_SetTraceback(exc, tb);
        PyObject *args[] = {future, exc};
        r = PyObject_Vectorcall(set_exception, args, 2, nullptr);
        Py_XDECREF(type);
        Py_XDECREF(exc);
        Py_XDECREF(tb);
    }
    if (r == nullptr) PyErr_WriteUnraisable(future);
    Py_XDECREF(r);
}

bool submit_job(PyObject *port_obj, PyObject *future, std::unique_ptr<AsyncJob> job) {
    try {
        std::shared_ptr<Port> port = py::handle(port_obj).cast<PortHandle &>().port;
        Py_INCREF(future);
        auto *t = new Task{std::move(job), future, std::move(port)};
        t->job->started();
        try {
            Pool::instance().push(t);
        } catch (...) {
            delete t;
            throw;
        }
        return true;
    } catch (py::error_already_set &e) {
        e.restore();
    } catch (const std::exception &e) {
        PyErr_SetString(PyExc_RuntimeError, e.what());
    }
    return false;
}

void register_async_pool(py::module_ &m) {
    py::class_<PortHandle>(m, "AsyncPort",
                           py::custom_type_setup([](PyHeapTypeObject *heap_type) {
                               auto *type = &heap_type->ht_type;
                               type->tp_flags |= Py_TPFLAGS_HAVE_GC;
                               type->tp_traverse = port_traverse;
                               type->tp_clear = port_clear;
                           }),
                           "Where the asyncio pool threads return finished calls to one loop "
                           "(tango._asyncio_calls.loop_port).")
        .def(py::init<>())
        .def("fileno", [](PortHandle &h) { return h.port->fd; })
        .def(
            "drain",
            [](PortHandle &h) {
                std::vector<Task *> batch = h.port->take();
                for (Task *t : batch) {
                    settle(t);
                    delete t;
                }
            },
            "Set the futures of the calls finished since the last drain (the loop's reader).");
}

} // namespace pt
