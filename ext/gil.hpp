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
template <class F>
inline decltype(auto) without_gil(F &&f) {
    ensure_omni_thread();
    py::gil_scoped_release release;
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
template <class F>
decltype(auto) call_up(F &&f) {
    if (!python_alive()) throw_python_gone();
    py::gil_scoped_acquire gil;
    // cppTango's threads are long-lived: keep their Python thread state instead of creating and
    // destroying one per call (that costs more than the call itself).
    thread_local bool keep_thread_state = false;
    if (!keep_thread_state) {
        gil.inc_ref();
        keep_thread_state = true;
    }
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
