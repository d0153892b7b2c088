// DeviceProxy: every call converts its arguments with the GIL, releases it around cppTango,
// and converts the result with the GIL again.
#include "pytango.hpp"
#include "client/device_proxy.hpp"
#include "client/async_call.hpp"
#include "convert/device_attribute.hpp"
#include "convert/any.hpp"
#include "convert/exceptions.hpp"
#include "convert/scalar.hpp"

#include <algorithm>
#include <optional>

namespace pt {

AttrType DeviceProxy::attr_type(const std::string &name) {
    return types_.attr(name, [&] {
        Tango::AttributeInfoEx info = get_attribute_config(name);
        return AttrType{info.data_type, info.data_format};
    });
}

CmdType DeviceProxy::cmd_type(const std::string &name) {
    return types_.cmd(name, [&] {
        Tango::CommandInfo info = command_query(name);
        return CmdType{info.in_type, info.out_type};
    });
}

// See PYTANGO_NODB_READ_ONLY_COMMAND_CRASH (compat.hpp): a read-only proxy without a database
// has no list of allowed commands to check against, so on cppTango 10 its commands are refused.
void check_read_only_command(Tango::DeviceProxy &dev, const std::string &name) {
#if PYTANGO_NODB_READ_ONLY_COMMAND_CRASH
    if (dev.get_access_control() == Tango::ACCESS_READ && !dev.is_dbase_used()) {
        Tango::Except::throw_exception(
            "API_ReadOnlyMode",
            "Command " + name + " on device " + dev.dev_name() +
                " is not authorized: the proxy is read-only and, without a database, has no list of allowed commands",
            "DeviceProxy::command_inout");
    }
#else
    (void)dev;
    (void)name;
#endif
}

namespace {

using Holder = std::unique_ptr<DeviceProxy, ReleaseGilDeleter>;

// A Tango::DeviceAttribute ready to be written: name, converted value, and what it borrows.
struct ToWrite {
    Tango::DeviceAttribute da;
    py::object keep;
};

// Forgets the attribute's type and asks the device again: whether it changed.
bool attr_type_changed(DeviceProxy &dev, const std::string &name, AttrType known) {
    dev.forget_attr(name);
    AttrType fresh = dev.attr_type(name); // DevFailed if the attribute is gone
    return fresh.type != known.type || fresh.format != known.format;
}

void prepare_write(DeviceProxy &dev, std::string name, py::handle value, ToWrite &w) {
    auto fill = [&](AttrType t) {
        w = ToWrite{};
        w.da.set_name(name);
        attribute_from_py(w.da, t.type, t.format, value, w.keep);
    };
    AttrType t = dev.attr_type(name);
    // A value that does not fit the type known so far: the device may have made the attribute
    // again with another type. It is asked once more; the same type means the value is wrong.
    try {
        return fill(t);
    } catch (const py::builtin_exception &) {
        if (!attr_type_changed(dev, name, t)) throw;
    } catch (const py::error_already_set &) {
        if (!attr_type_changed(dev, name, t)) throw;
    }
    fill(dev.attr_type(name));
}

// cppTango sends no type with an empty spectrum or image: the attribute's configuration has it.
DeviceAttribute with_empty_value(DeviceProxy &dev, DeviceAttribute r, ExtractAs ex) {
    if (r.is_empty && !r.has_failed && r.quality != Tango::ATTR_INVALID && r.type == Tango::DATA_TYPE_UNKNOWN &&
        (r.data_format == Tango::SPECTRUM || r.data_format == Tango::IMAGE)) {
        AttrType t = dev.attr_type(r.name.cast<std::string>());
        r.type = static_cast<Tango::CmdArgType>(t.type);
        r.value = empty_value(t.type, r.data_format, ex);
        r.w_value = empty_value(t.type, r.data_format, ex); // the write part is empty too
    }
    return r;
}

py::list attributes_to_py(DeviceProxy &dev, std::vector<Tango::DeviceAttribute> &v, ExtractAs ex) {
    py::list out;
    for (auto &da : v) out.append(with_empty_value(dev, attribute_to_py(da, ex), ex));
    return out;
}

// The type caches may be stale if the device changed its interface: forget on failure.
template <class F>
auto forgetting_attr(DeviceProxy &dev, const std::string &name, F &&f) {
    try {
        return f();
    } catch (const Tango::DevFailed &) {
        dev.forget_attr(name);
        throw;
    }
}


// The arguments of read_attribute(attr_name, extract_as, green_mode, wait, timeout), given by
// position or by keyword (borrowed; null when not given).
struct ReadArgs {
    PyObject *name = nullptr;
    PyObject *extract_as = nullptr;
    PyObject *green_mode = nullptr;
    PyObject *wait = nullptr;
    PyObject *timeout = nullptr;
    PyObject *unexpected = nullptr; // a keyword that is none of them, or one given twice
};

ReadArgs read_args(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    ReadArgs r;
    PyObject **slots[] = {&r.name, &r.extract_as, &r.green_mode, &r.wait, &r.timeout};
    for (Py_ssize_t i = 0; i < nargs && i < 5; ++i) *slots[i] = args[i];
    static const char *names[] = {"attr_name", "extract_as", "green_mode", "wait", "timeout"};
    const Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < nkw && r.unexpected == nullptr; ++i) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, i);
        int k = 0;
        while (k < 5 && PyUnicode_CompareWithASCIIString(key, names[k]) != 0) ++k;
        if (k == 5 || *slots[k] != nullptr) r.unexpected = key;
        else *slots[k] = args[nargs + i];
    }
    return r;
}

// Calls a Python function with self and the method's own arguments.
PyObject *forward_call(PyObject *fn, PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    const Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    std::vector<PyObject *> all(static_cast<size_t>(nargs + nkw + 1));
    all[0] = self;
    std::copy(args, args + nargs + nkw, all.begin() + 1);
    return PyObject_Vectorcall(fn, all.data(), static_cast<size_t>(nargs + 1), kwnames);
}

// The attribute name argument of read_attribute as cppTango wants it.
std::string attr_name_arg(PyObject *name) {
    if (PyUnicode_Check(name)) { // UTF-8 is cached in the str: no conversion after the first
        Py_ssize_t size = 0;
        const char *utf8 = PyUnicode_AsUTF8AndSize(name, &size);
        if (utf8 == nullptr) throw py::error_already_set();
        return std::string(utf8, static_cast<size_t>(size));
    }
    return bytes_from_py(name, "an attribute name (str)");
}

// ExtractAs is an int subclass: read as an int (no enum conversion). Null or None: Numpy.
ExtractAs extract_as_arg(PyObject *extract_as) {
    if (extract_as == nullptr || extract_as == Py_None) return ExtractAs::Numpy;
    const long v = PyLong_AsLong(extract_as);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    return static_cast<ExtractAs>(v);
}

// The record of one attribute read (new reference). One attribute read that failed on the
// server raises, as in PyTango (a failed entry of read_attributes is returned with has_failed
// instead). The caller's str becomes the record's name (no new string per read).
PyObject *read_result(DeviceProxy &d, Tango::DeviceAttribute &da, ExtractAs ex, PyObject *name) {
    if (da.has_failed()) throw Tango::DevFailed(da.get_err_stack());
    return make_record(with_empty_value(d, attribute_to_py(da, ex, name), ex)).release().ptr();
}

// read_attribute of an asyncio green proxy: the cppTango call made in place or on a pool thread
// (client/async_pool.cpp), the conversion on the loop's thread. Holds the proxy object.
class ReadJob : public AsyncJob {
public:
    ReadJob(PyObject *self, PyObject *name, ExtractAs ex)
        : self_(self), name_(name), dev_(&py::handle(self).cast<DeviceProxy &>()), attr_(attr_name_arg(name)),
          ex_(ex) {
        Py_INCREF(self_);
        Py_INCREF(name_);
    }
    ~ReadJob() override {
        Py_DECREF(self_);
        Py_DECREF(name_);
    }
    void run() noexcept override {
        try {
            da_.emplace(dev_->read_attribute(attr_));
            own_buffers(*da_); // converted later, on the loop's thread (see own_buffers)
        } catch (...) {
            error_ = std::current_exception();
        }
    }
    PyObject *result() override {
        try {
            if (error_) std::rethrow_exception(error_);
            return read_result(*dev_, *da_, ex_, name_);
        } catch (...) {
            set_error_from_current_exception();
            return nullptr;
        }
    }
    PyObject *python_args() const override { // DeviceProxy._read_attribute(self, name, extract_as)
        return Py_BuildValue("(OOi)", self_, name_, static_cast<int>(ex_));
    }

private:
    PyObject *self_, *name_;
    DeviceProxy *dev_;
    std::string attr_;
    ExtractAs ex_;
    std::optional<Tango::DeviceAttribute> da_; // made by the read (not a default one, then a move)
    std::exception_ptr error_;
};

// What read_attribute is handed by the Python layer, once (_configure_green_reads, called by
// tango/device_proxy.py): the compiled layer imports no Python names of its own. Owned
// references, kept for the process.
struct GreenReads {
    PyObject *default_mode = nullptr;    // () -> the default GreenMode (tango.green.get_green_mode)
    PyObject *synchronous = nullptr;     // GreenMode.Synchronous
    PyObject *asyncio = nullptr;         // GreenMode.Asyncio
    PyObject *green_read = nullptr;      // (self, attr_name, extract_as, green_mode, wait, timeout)
    PyObject *asyncio_support = nullptr; // () -> an AsyncioSupport (tango/device_proxy.py)
    PyObject *mode_key = nullptr;        // the proxy's own mode, in its __dict__ (None: default)
    PyObject *executors_key = nullptr;   // the proxy's own executors, in its __dict__ (if any)
    PyObject *quick_key = nullptr;       // its table of quick reads, in its __dict__
    long synchronous_value = 0, asyncio_value = 0;
    // asked of asyncio_support at the first asyncio read (asyncio is not imported before)
    PyObject *get_loop = nullptr, *future_type = nullptr;
    double inline_limit = 0;
};
GreenReads green_reads;

void configure_green_reads(py::object default_mode, py::object synchronous, py::object asyncio, py::object green_read,
                           py::object asyncio_support, py::str mode_key, py::str executors_key,
                           py::str quick_key) {
    if (green_reads.default_mode != nullptr) throw std::logic_error("_configure_green_reads: configured already");
    for (const py::object *callable : {&default_mode, &green_read, &asyncio_support}) {
        if (!PyCallable_Check(callable->ptr())) throw py::type_error("_configure_green_reads: a callable is needed");
    }
    green_reads.synchronous_value = py::cast<long>(synchronous);
    green_reads.asyncio_value = py::cast<long>(asyncio);
    green_reads.default_mode = default_mode.release().ptr();
    green_reads.synchronous = synchronous.release().ptr();
    green_reads.asyncio = asyncio.release().ptr();
    green_reads.green_read = green_read.release().ptr();
    green_reads.asyncio_support = asyncio_support.release().ptr();
    PyObject *keys[] = {mode_key.release().ptr(), executors_key.release().ptr(), quick_key.release().ptr()};
    for (PyObject *&key : keys) PyUnicode_InternInPlace(&key);
    green_reads.mode_key = keys[0];
    green_reads.executors_key = keys[1];
    green_reads.quick_key = keys[2];
}

// The green mode of one read (new reference): the call's, else the proxy's own, else the default.
py::object read_mode(PyObject *given, PyObject *dict) {
    if (given != nullptr && given != Py_None) return py::reinterpret_borrow<py::object>(given);
    PyObject *own = PyDict_GetItemWithError(dict, green_reads.mode_key); // borrowed
    if (own == nullptr && PyErr_Occurred()) throw py::error_already_set();
    if (own != nullptr && own != Py_None) return py::reinterpret_borrow<py::object>(own);
    PyObject *mode = PyObject_CallNoArgs(green_reads.default_mode);
    if (mode == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(mode);
}

// Whether a mode is `expected` (given as GreenMode, an int subclass; -1: not an int at all).
bool is_mode(PyObject *mode, PyObject *expected, long value) {
    if (mode == expected) return true;
    if (!PyLong_Check(mode)) return false;
    const long v = PyLong_AsLong(mode);
    if (v == -1 && PyErr_Occurred()) PyErr_Clear();
    return v == value;
}

// The synchronous read: in place, the GIL released around cppTango.
PyObject *sync_read(PyObject *self, PyObject *name, PyObject *extract_as) {
    if (name == nullptr) throw py::type_error("read_attribute() missing required argument 'attr_name'");
    std::string attr = attr_name_arg(name);
    const ExtractAs ex = extract_as_arg(extract_as);
    DeviceProxy &d = py::handle(self).cast<DeviceProxy &>();
    Tango::DeviceAttribute da = without_gil([&] { return d.read_attribute(attr); });
    return read_result(d, da, ex, name);
}

// The asyncio read in a running loop: a TangoFuture (tango/_asyncio_calls.py) whose call is
// compiled (client/async_call.cpp). Null when there is no running loop (no exception set).
PyObject *asyncio_read(PyObject *self, PyObject *dict, const ReadArgs &a) {
    if (green_reads.get_loop == nullptr) {
        py::object support = py::reinterpret_steal<py::object>(PyObject_CallNoArgs(green_reads.asyncio_support));
        if (!support) throw py::error_already_set();
        // an AsyncioSupport (tango/device_proxy.py): a missing field fails here, at the first use
        green_reads.inline_limit = py::cast<double>(support.attr("inline_limit"));
        configure_async_calls(py::object(support.attr("loop_port")).ptr(), py::object(support.attr("submit")).ptr());
        green_reads.future_type = py::object(support.attr("future_type")).release().ptr();
        green_reads.get_loop = py::object(support.attr("get_running_loop")).release().ptr();
    }
    py::object loop = py::reinterpret_steal<py::object>(PyObject_CallNoArgs(green_reads.get_loop));
    if (!loop) throw py::error_already_set();
    if (loop.is_none()) return nullptr; // no running loop: the call is made at once
    // Whether this proxy's compiled reads were quick last time, by attribute name (the Python
    // path keeps its durations, by (method, name), in _green_durations).
    PyObject *table = PyDict_GetItemWithError(dict, green_reads.quick_key); // borrowed
    if (table == nullptr && PyErr_Occurred()) throw py::error_already_set();
    py::object new_table;
    if (table == nullptr) {
        new_table = py::dict();
        if (PyDict_SetItem(dict, green_reads.quick_key, new_table.ptr()) < 0) throw py::error_already_set();
        table = new_table.ptr();
    }
    static PyObject *plain_read = nullptr; // DeviceProxy._read_attribute, our own compiled method
    if (plain_read == nullptr) {
        plain_read = PyObject_GetAttrString(reinterpret_cast<PyObject *>(Py_TYPE(self)), "_read_attribute");
        if (plain_read == nullptr) throw py::error_already_set();
    }
    auto job = std::make_unique<ReadJob>(self, a.name, extract_as_arg(a.extract_as));
    py::object call = py::reinterpret_steal<py::object>(
        make_async_call(std::move(job), loop.ptr(), table, a.name, plain_read, green_reads.inline_limit));
    if (!call) throw py::error_already_set();
    // TangoFuture(): asyncio.Future takes the running loop, `loop`, by itself
    PyObject *future = PyObject_CallNoArgs(green_reads.future_type);
    if (future == nullptr) throw py::error_already_set();
    set_future_call(future, call.ptr());
    if (a.wait != nullptr && a.wait != Py_None) { // wait=False: started now, on the pool
        const int wait = PyObject_IsTrue(a.wait);
        if (wait < 0 || (wait == 0 && start_future_now(future) < 0)) {
            Py_DECREF(future);
            throw py::error_already_set();
        }
    }
    return future;
}

// DeviceProxy.read_attribute(attr_name, extract_as=ExtractAs.Numpy, green_mode=None, wait=None,
// timeout=None): the hot path of every client, so a plain C API method (METH_FASTCALL) rather
// than a pybind11 function: pybind11's dispatcher, its argument loaders and the **kwargs dict
// were a tenth of the instructions of a whole scalar read. Green by itself: a synchronous read
// is made in place (wait and timeout ignored); an asyncio one without timeout in a running loop
// is an awaitable made here; anything else goes to the configured Python green_read, which also
// reports bad arguments.
PyObject *read_attribute(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    try {
        if (green_reads.default_mode == nullptr) throw std::logic_error("read_attribute: green reads not configured");
        if (nargs > 5) throw py::type_error("read_attribute() takes at most 5 arguments");
        const ReadArgs a = read_args(args, nargs, kwnames);
        if (a.unexpected != nullptr) {
            throw py::type_error(py::str("read_attribute() got an unexpected or repeated keyword argument {!r}")
                                     .format(py::handle(a.unexpected)).cast<std::string>());
        }
        py::object dict = py::reinterpret_steal<py::object>(PyObject_GenericGetDict(self, nullptr));
        if (!dict) throw py::error_already_set();
        py::object mode = read_mode(a.green_mode, dict.ptr());
        if (is_mode(mode.ptr(), green_reads.synchronous, green_reads.synchronous_value)) {
            return sync_read(self, a.name, a.extract_as);
        }
        if (is_mode(mode.ptr(), green_reads.asyncio, green_reads.asyncio_value) && a.name != nullptr &&
            PyUnicode_Check(a.name) && (a.timeout == nullptr || a.timeout == Py_None) &&
            !PyDict_Contains(dict.ptr(), green_reads.executors_key)) { // (its own executor: Python's)
            PyObject *future = asyncio_read(self, dict.ptr(), a);
            if (future != nullptr) return future;
        }
        // the executor of the mode (tango/device_proxy.py, _green_read_attribute)
        PyObject *none = Py_None;
        PyObject *call_args[] = {self, a.name ? a.name : none, a.extract_as ? a.extract_as : none, mode.ptr(),
                                 a.wait ? a.wait : none, a.timeout ? a.timeout : none};
        if (a.name == nullptr) throw py::type_error("read_attribute() missing required argument 'attr_name'");
        return PyObject_Vectorcall(green_reads.green_read, call_args, 6, nullptr);
    } catch (...) {
        set_error_from_current_exception();
        return nullptr;
    }
}

// DeviceProxy._read_attribute(attr_name, extract_as=ExtractAs.Numpy): the synchronous read
// alone, what the green executors run.
PyObject *plain_read_attribute(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    try {
        if (nargs > 2 || (kwnames != nullptr && PyTuple_GET_SIZE(kwnames) > 0)) {
            throw py::type_error("_read_attribute(attr_name, extract_as) takes 2 positional arguments");
        }
        return sync_read(self, nargs > 0 ? args[0] : nullptr, nargs > 1 ? args[1] : nullptr);
    } catch (...) {
        set_error_from_current_exception();
        return nullptr;
    }
}

} // namespace

void register_device_proxy(py::module_ &m) {
    m.def("_configure_green_reads", &configure_green_reads, py::kw_only(), py::arg("default_mode"),
          py::arg("synchronous"), py::arg("asyncio"), py::arg("green_read"), py::arg("asyncio_support"),
          py::arg("mode_key"), py::arg("executors_key"), py::arg("quick_key"),
          "Hand DeviceProxy.read_attribute the Python objects it uses (once, by tango.device_proxy).");
    ProxyClass cls(m, "DeviceProxy", py::dynamic_attr());
    cls.def(py::init([](std::string name) {
                 return Holder(without_gil([&] { return new DeviceProxy(name); }));
             }),
             py::arg("dev_name"))
        .def(py::init([](std::string name, bool need_check_access) {
                 return Holder(without_gil([&] { return new DeviceProxy(name, need_check_access); }));
             }),
             py::arg("dev_name"), py::arg("need_check_acc"))
        .def(py::init([](DeviceProxy &other) {
                 return Holder(without_gil([&] { return new DeviceProxy(other); }));
             }),
             py::arg("device_proxy"))
        // Identity and state
        .def("name", [](DeviceProxy &d) { return without_gil([&] { return d.name(); }); })
        .def("adm_name", [](DeviceProxy &d) { return without_gil([&] { return d.adm_name(); }); })
        .def("alias", [](DeviceProxy &d) { return without_gil([&] { return d.alias(); }); })
        .def("description", [](DeviceProxy &d) { return without_gil([&] { return d.description(); }); })
        .def("info", [](DeviceProxy &d) { return without_gil([&] { return d.info(); }); })
        .def("state", [](DeviceProxy &d) { return without_gil([&] { return d.state(); }); })
        .def("status", [](DeviceProxy &d) { return without_gil([&] { return d.status(); }); })
        .def("ping", [](DeviceProxy &d) { return without_gil([&] { return d.ping(); }); })
        .def("black_box", [](DeviceProxy &d, int n) {
            std::unique_ptr<std::vector<std::string>> v(without_gil([&] { return d.black_box(n); }));
            return *v;
        }, py::arg("n"))
        .def("get_tango_lib_version", [](DeviceProxy &d) { return without_gil([&] { return d.get_tango_lib_version(); }); })
        .def("import_info", [](DeviceProxy &d) { return without_gil([&] { return d.import_info(); }); },
             "The device's entry in the database (DbDevImportInfo); a device without one has none.")
        // Interface
        .def("get_attribute_list", [](DeviceProxy &d) {
            std::unique_ptr<std::vector<std::string>> v(without_gil([&] { return d.get_attribute_list(); }));
            return *v;
        })
        .def("get_command_list", [](DeviceProxy &d) {
            std::unique_ptr<std::vector<std::string>> v(without_gil([&] { return d.get_command_list(); }));
            return *v;
        })
        .def("command_query", [](DeviceProxy &d, std::string cmd) {
            return without_gil([&] { return d.command_query(cmd); });
        }, py::arg("command"))
        .def("command_list_query", [](DeviceProxy &d) {
            std::unique_ptr<Tango::CommandInfoList> v(without_gil([&] { return d.command_list_query(); }));
            return *v;
        })
        .def("get_command_config", [](DeviceProxy &d, std::string cmd) {
            return without_gil([&] { return d.get_command_config(cmd); });
        }, py::arg("command"))
        .def("get_command_config", [](DeviceProxy &d, std::vector<std::string> cmds) {
            std::unique_ptr<Tango::CommandInfoList> v(without_gil([&] { return d.get_command_config(cmds); }));
            return *v;
        }, py::arg("commands"))
        .def("attribute_query", [](DeviceProxy &d, std::string attr) {
            return without_gil([&] { return d.attribute_query(attr); });
        }, py::arg("attr_name"))
        .def("attribute_list_query", [](DeviceProxy &d) {
            std::unique_ptr<Tango::AttributeInfoList> v(without_gil([&] { return d.attribute_list_query(); }));
            return *v;
        })
        .def("attribute_list_query_ex", [](DeviceProxy &d) {
            std::unique_ptr<Tango::AttributeInfoListEx> v(without_gil([&] { return d.attribute_list_query_ex(); }));
            return *v;
        })
        .def("_forget_types", &DeviceProxy::forget_types) // invalidate_attribute_config_cache
        .def("get_attribute_config", [](DeviceProxy &d, std::string attr) {
            return without_gil([&] { return d.get_attribute_config(attr); });
        }, py::arg("attr_name"))
        .def("get_attribute_config", [](DeviceProxy &d, std::vector<std::string> attrs) {
            std::unique_ptr<Tango::AttributeInfoListEx> v(without_gil([&] { return d.get_attribute_config_ex(attrs); }));
            return *v;
        }, py::arg("attr_names"))
        .def("get_attribute_config_ex", [](DeviceProxy &d, std::vector<std::string> attrs) {
            std::unique_ptr<Tango::AttributeInfoListEx> v(without_gil([&] { return d.get_attribute_config_ex(attrs); }));
            return *v;
        }, py::arg("attr_names"))
        .def("set_attribute_config", [](DeviceProxy &d, Tango::AttributeInfoListEx infos) {
            without_gil([&] { d.set_attribute_config(infos); });
            for (auto &i : infos) d.forget_attr(i.name);
        }, py::arg("attr_info_list"))
        .def("set_attribute_config", [](DeviceProxy &d, Tango::AttributeInfoList infos) {
            without_gil([&] { d.set_attribute_config(infos); });
            for (auto &i : infos) d.forget_attr(i.name);
        }, py::arg("attr_info_list"))
        // Attributes
        .def("_read_attributes", [](DeviceProxy &d, std::vector<std::string> names, ExtractAs ex) {
            std::unique_ptr<std::vector<Tango::DeviceAttribute>> v(
                without_gil([&] { return d.read_attributes(names); }));
            return attributes_to_py(d, *v, ex);
        }, py::arg("attr_names"), py::arg("extract_as") = ExtractAs::Numpy)
        .def("_write_attribute", [](DeviceProxy &d, std::string name, py::handle value) {
            ToWrite w;
            prepare_write(d, name, value, w);
            forgetting_attr(d, name, [&] { without_gil([&] { d.write_attribute(w.da); }); return 0; });
        }, py::arg("attr_name"), py::arg("value"))
        .def("_write_attributes", [](DeviceProxy &d, std::vector<std::pair<std::string, py::object>> nv) {
            std::vector<ToWrite> ws(nv.size());
            for (size_t i = 0; i < nv.size(); ++i) prepare_write(d, nv[i].first, nv[i].second, ws[i]);
            std::vector<Tango::DeviceAttribute> das;
            das.reserve(ws.size());
            for (auto &w : ws) das.push_back(std::move(w.da));
            without_gil([&] { d.write_attributes(das); });
        }, py::arg("name_values"))
        .def("_write_read_attribute", [](DeviceProxy &d, std::string name, py::handle value, ExtractAs ex) {
            ToWrite w;
            prepare_write(d, name, value, w);
            Tango::DeviceAttribute da = forgetting_attr(d, name, [&] {
                return without_gil([&] { return d.write_read_attribute(w.da); });
            });
            return with_empty_value(d, attribute_to_py(da, ex), ex);
        }, py::arg("attr_name"), py::arg("value"), py::arg("extract_as") = ExtractAs::Numpy)
        .def("_write_read_attributes", [](DeviceProxy &d, std::vector<std::pair<std::string, py::object>> nv,
                                          std::vector<std::string> read_names, ExtractAs ex) {
            std::vector<ToWrite> ws(nv.size());
            for (size_t i = 0; i < nv.size(); ++i) prepare_write(d, nv[i].first, nv[i].second, ws[i]);
            std::vector<Tango::DeviceAttribute> das;
            das.reserve(ws.size());
            for (auto &w : ws) das.push_back(std::move(w.da));
            std::unique_ptr<std::vector<Tango::DeviceAttribute>> v(
                without_gil([&] { return d.write_read_attributes(das, read_names); }));
            return attributes_to_py(d, *v, ex);
        }, py::arg("name_values"), py::arg("attr_names"), py::arg("extract_as") = ExtractAs::Numpy)
        // Commands
        // Logging (through the device's admin server)
        .def("get_logging_level", [](DeviceProxy &d) { return without_gil([&] { return d.get_logging_level(); }); })
        .def("set_logging_level", [](DeviceProxy &d, int level) { without_gil([&] { d.set_logging_level(level); }); },
             py::arg("level"))
        .def("get_logging_target", [](DeviceProxy &d) { return without_gil([&] { return d.get_logging_target(); }); })
        .def("add_logging_target", [](DeviceProxy &d, std::string target) {
            without_gil([&] { d.add_logging_target(target); });
        }, py::arg("target_type_target_name"))
        .def("remove_logging_target", [](DeviceProxy &d, std::string target) {
            without_gil([&] { d.remove_logging_target(target); });
        }, py::arg("target_type_target_name"))
        // Locking
        .def("lock", [](DeviceProxy &d, int validity) { without_gil([&] { d.lock(validity); }); },
             py::arg("lock_validity") = Tango::DEFAULT_LOCK_VALIDITY)
        .def("unlock", [](DeviceProxy &d, bool force) { without_gil([&] { d.unlock(force); }); },
             py::arg("force") = false)
        .def("is_locked", [](DeviceProxy &d) { return without_gil([&] { return d.is_locked(); }); })
        .def("is_locked_by_me", [](DeviceProxy &d) { return without_gil([&] { return d.is_locked_by_me(); }); })
        .def("locking_status", [](DeviceProxy &d) { return without_gil([&] { return d.locking_status(); }); })
        .def("get_locker", [](DeviceProxy &d, Tango::LockerInfo &li) {
            return without_gil([&] { return d.get_locker(li); });
        }, py::arg("lockinfo"));
    // Plain C API methods (METH_FASTCALL): see read_attribute for why.
    static PyMethodDef fast_methods[] = {
        {"read_attribute", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&read_attribute)),
         METH_FASTCALL | METH_KEYWORDS,
         "read_attribute(attr_name, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None) -> "
         "DeviceAttribute\n\nRead one attribute, as the call's green mode (else the proxy's) makes calls."},
        {"_read_attribute", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&plain_read_attribute)),
         METH_FASTCALL | METH_KEYWORDS, "_read_attribute(attr_name, extract_as) -> DeviceAttribute: the synchronous read"},
    };
    for (auto &def : fast_methods) {
        PyObject *descr = PyDescr_NewMethod(reinterpret_cast<PyTypeObject *>(cls.ptr()), &def);
        if (descr == nullptr) throw py::error_already_set();
        cls.attr(def.ml_name) = py::reinterpret_steal<py::object>(descr);
    }
    bind_events(cls);
    bind_asynch(cls);
    bind_polling(cls);
    bind_pipes(cls);
}

} // namespace pt
