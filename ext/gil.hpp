// The thread model in one place: the omniORB identity of Python threads, releasing the GIL
// around blocking cppTango calls.
#pragma once

#include "pytango.hpp"

namespace pt {

// cppTango locks (TangoMonitor) and event code call omni_thread::self(); a thread that
// omniORB did not create has none, which crashes cppTango. Each thread that calls into cppTango
// gets a dummy identity, kept for the thread's life and released when it ends.
class OmniThreadIdentity {
public:
    OmniThreadIdentity() {
        if (omni_thread::self() == nullptr) dummy_ = omni_thread::create_dummy();
    }
    ~OmniThreadIdentity() {
        if (dummy_ != nullptr) omni_thread::release_dummy();
    }
    OmniThreadIdentity(const OmniThreadIdentity &) = delete;
    OmniThreadIdentity &operator=(const OmniThreadIdentity &) = delete;

private:
    omni_thread *dummy_ = nullptr;
};

inline void ensure_omni_thread() {
    thread_local OmniThreadIdentity identity;
    (void)identity;
}

// Run a blocking cppTango call without the GIL. Arguments are converted before, results after.
// CPython's own calls (pybind11's gil_scoped_release looks its tables up first: a few hundred
// instructions per call on the hot read path).
class GilRelease {
public:
    GilRelease() : state_(PyEval_SaveThread()) {}
    ~GilRelease() { PyEval_RestoreThread(state_); }
    GilRelease(const GilRelease &) = delete;
    GilRelease &operator=(const GilRelease &) = delete;

    // The GIL again inside a GilRelease scope (after taking a lock that must come first).
    class Reacquire {
    public:
        explicit Reacquire(GilRelease &r) { PyEval_RestoreThread(r.state_); }
        ~Reacquire() { PyEval_SaveThread(); }
        Reacquire(const Reacquire &) = delete;
        Reacquire &operator=(const Reacquire &) = delete;
    };

private:
    PyThreadState *state_;
};

template <class F>
inline decltype(auto) without_gil(F &&f) {
    ensure_omni_thread();
    GilRelease release;
    return f();
}

} // namespace pt

namespace pt {

// True while Python can run code: not before initialisation, not during finalisation.
inline bool python_alive() {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsInitialized() && !Py_IsFinalizing();
#else
    return Py_IsInitialized() && !_Py_IsFinalizing();
#endif
}

[[noreturn]] void throw_python_gone();
// Turns the Python error being handled into a DevFailed (traceback in desc) and throws it.
[[noreturn]] void rethrow_as_devfailed(py::error_already_set &err);
[[noreturn]] void rethrow_as_devfailed(const std::exception &err);

// Every entry from a cppTango thread into Python goes through here: take the GIL, run f, and
// make any Python or conversion error a DevFailed for cppTango. DevFailed passes unchanged.
//
// The GIL is taken with CPython's own calls on a thread state kept per thread: cppTango's
// threads are long-lived, and creating and destroying a thread state per call cost more than
// the call itself; keeping it also makes taking the GIL two plain calls (pybind11's
// gil_scoped_acquire looked the state up in its own tables on every call: a tenth of the cost
// of delivering an event).
class UpcallGil {
public:
    UpcallGil() {
        thread_local PyThreadState *state = nullptr;
        if (state != nullptr && PyGILState_GetThisThreadState() == state && !PyGILState_Check()) {
            PyEval_RestoreThread(state);
            release_ = true;
        } else if (!PyGILState_Check()) {
            // First up-call of this thread: a thread state that is never given back (the
            // Ensure is not matched by a Release), or the thread's own one for a Python thread.
            PyGILState_Ensure();
            state = PyThreadState_Get();
            release_ = true;
        } // else: this thread already holds the GIL (an up-call made inside a call into cppTango)
    }
    ~UpcallGil() {
        if (release_) PyEval_SaveThread();
    }
    UpcallGil(const UpcallGil &) = delete;
    UpcallGil &operator=(const UpcallGil &) = delete;

private:
    bool release_ = false;
};

template <class F>
decltype(auto) call_up(F &&f) {
    if (!python_alive()) throw_python_gone();
    UpcallGil gil;
    try {
        return f();
    } catch (py::error_already_set &err) {
        rethrow_as_devfailed(err);
    } catch (const Tango::DevFailed &) {
        throw;
    } catch (const py::builtin_exception &err) {
        rethrow_as_devfailed(err);
    } catch (const std::exception &err) {
        rethrow_as_devfailed(err);
    }
}

// A strong reference that may be dropped by cppTango from any thread, GIL held or not.
class PyRef {
public:
    PyRef() = default;
    explicit PyRef(py::object o) : obj_(o.release().ptr()) {}
    PyRef(const PyRef &) = delete;
    PyRef &operator=(const PyRef &) = delete;
    ~PyRef() { reset(); }
    py::handle get() const { return obj_; }
    void set(py::object o) { // with the GIL
        reset();
        obj_ = o.release().ptr();
    }
    explicit operator bool() const { return obj_ != nullptr; }
    void reset() {
        PyObject *o = obj_;
        obj_ = nullptr;
        if (o == nullptr || !python_alive()) return; // at exit the interpreter frees everything
        py::gil_scoped_acquire gil;
        Py_DECREF(o);
    }

private:
    PyObject *obj_ = nullptr;
};

} // namespace pt
