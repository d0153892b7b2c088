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

// DeviceProxy.read_attribute(attr_name, extract_as=ExtractAs.Numpy, green_mode=None, wait=True,
// timeout=None): the hot path of every client, so a plain C API method (METH_FASTCALL) rather
// than a pybind11 function: pybind11's dispatcher, its argument loaders and the **kwargs dict
// were a tenth of the instructions of a whole scalar read. A green_mode other than
// Synchronous hands the call to tango.device_proxy._green_read_attribute (wait and timeout are
// for it); otherwise they are ignored (a synchronous call).
PyObject *read_attribute(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    try {
        if (nargs > 5) throw py::type_error("read_attribute() takes at most 5 arguments");
        const ReadArgs a = read_args(args, nargs, kwnames);
        if (a.unexpected != nullptr) {
            throw py::type_error(py::str("read_attribute() got an unexpected or repeated keyword argument {!r}")
                                     .format(py::handle(a.unexpected)).cast<std::string>());
        }
        if (a.green_mode != nullptr && a.green_mode != Py_None &&
            !(PyLong_Check(a.green_mode) && PyLong_AsLong(a.green_mode) == 0)) {
            static PyObject *green = nullptr; // looked up once, kept for the process
            if (green == nullptr) {
                green = py::object(py::module_::import("tango.device_proxy").attr("_green_read_attribute")).release().ptr();
            }
            return forward_call(green, self, args, nargs, kwnames);
        }
        if (a.name == nullptr) throw py::type_error("read_attribute() missing required argument 'attr_name'");
        std::string attr = attr_name_arg(a.name);
        const ExtractAs ex = extract_as_arg(a.extract_as);
        DeviceProxy &d = py::handle(self).cast<DeviceProxy &>();
        Tango::DeviceAttribute da = without_gil([&] { return d.read_attribute(attr); });
        return read_result(d, da, ex, a.name);
    } catch (...) {
        set_error_from_current_exception();
        return nullptr;
    }
}

// DeviceProxy._green_read_attribute: read_attribute of a green proxy (tango.device_proxy's
// _set_green_class installs it when the proxy's class keeps the base read_attribute). In
// Asyncio mode, without timeout, in a running loop: a TangoFuture (tango/_asyncio_calls.py)
// whose call is compiled (client/async_call.cpp). Anything else goes to the Python wrapper
// that the other green methods use (_GreenProxy.read_attribute), which also reports errors.
PyObject *green_read_attribute(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    try {
        struct Refs {
            PyObject *slow, *get_loop, *green, *read, *future_type, *mode_name, *default_name, *table_name;
            double limit;
        };
        static Refs refs = [] { // looked up once, kept for the process
            py::module_ dp = py::module_::import("tango.device_proxy");
            py::module_ calls = py::module_::import("tango._asyncio_calls");
            return Refs{py::object(dp.attr("_GreenProxy").attr("read_attribute")).release().ptr(),
                        py::object(py::module_::import("asyncio").attr("_get_running_loop")).release().ptr(),
                        py::module_::import("tango.green").release().ptr(),
                        py::object(dp.attr("DeviceProxy").attr("_read_attribute")).release().ptr(),
                        py::object(calls.attr("TangoFuture")).release().ptr(),
                        PyUnicode_InternFromString("_green_mode"),
                        PyUnicode_InternFromString("_default_green_mode"),
                        PyUnicode_InternFromString("_green_read_quick"),
                        py::cast<double>(calls.attr("INLINE_LIMIT"))};
        }();
        auto slow_path = [&] { return forward_call(refs.slow, self, args, nargs, kwnames); };
        if (nargs > 2) return slow_path();
        const ReadArgs a = read_args(args, nargs, kwnames);
        // a timeout, or something for the wrapper to complain about: the Python path
        if (a.unexpected != nullptr || (a.timeout != nullptr && a.timeout != Py_None)) return slow_path();
        PyObject *name = a.name;
        PyObject *extract_as = a.extract_as;
        PyObject *mode = a.green_mode == Py_None ? nullptr : a.green_mode;
        if (name == nullptr || !PyUnicode_Check(name)) return slow_path();
        py::object dict = py::reinterpret_steal<py::object>(PyObject_GenericGetDict(self, nullptr));
        if (!dict) throw py::error_already_set();
        py::object own_mode;
        if (mode == nullptr) {
            PyObject *m = PyDict_GetItemWithError(dict.ptr(), refs.mode_name); // borrowed
            if (m == nullptr && PyErr_Occurred()) throw py::error_already_set();
            if (m == nullptr || m == Py_None) {
                own_mode = py::reinterpret_steal<py::object>(PyObject_GetAttr(refs.green, refs.default_name));
                if (!own_mode) throw py::error_already_set();
                m = own_mode.ptr();
            }
            mode = m;
        }
        const long mode_value = PyLong_Check(mode) ? PyLong_AsLong(mode) : -1;
        if (mode_value != 3) return slow_path(); // GreenMode.Asyncio
        py::object loop = py::reinterpret_steal<py::object>(PyObject_CallNoArgs(refs.get_loop));
        if (!loop) throw py::error_already_set();
        if (loop.is_none()) return slow_path(); // no running loop: the call is made at once
        // Whether this proxy's compiled reads were quick last time, by attribute name (the
        // Python path keeps its durations, by (method, name), in _green_durations).
        PyObject *table = PyDict_GetItemWithError(dict.ptr(), refs.table_name); // borrowed
        if (table == nullptr && PyErr_Occurred()) throw py::error_already_set();
        py::object new_table;
        if (table == nullptr) {
            new_table = py::dict();
            if (PyDict_SetItem(dict.ptr(), refs.table_name, new_table.ptr()) < 0) {
                throw py::error_already_set();
            }
            table = new_table.ptr();
        }
        auto job = std::make_unique<ReadJob>(self, name, extract_as_arg(extract_as));
        py::object call = py::reinterpret_steal<py::object>(
            make_async_call(std::move(job), loop.ptr(), table, name, refs.read, refs.limit));
        if (!call) throw py::error_already_set();
        // TangoFuture(): asyncio.Future takes the running loop, `loop`, by itself
        PyObject *future = PyObject_CallNoArgs(refs.future_type);
        if (future == nullptr) throw py::error_already_set();
        set_future_call(future, call.ptr());
        if (a.wait != nullptr) { // wait=False: started now, on the pool
            const int wait = PyObject_IsTrue(a.wait);
            if (wait < 0 || (wait == 0 && start_future_now(future) < 0)) {
                Py_DECREF(future);
                throw py::error_already_set();
            }
        }
        return future;
    } catch (...) {
        set_error_from_current_exception();
        return nullptr;
    }
}

} // namespace

void register_device_proxy(py::module_ &m) {
    ProxyClass cls(m, "DeviceProxy", py::dynamic_attr());
    cls.def(py::init([](std::string name) {
                 return Holder(without_gil([&] { return new DeviceProxy(name); }));
             }),
             py::arg("dev_name"))
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
        {"_read_attribute", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&read_attribute)),
         METH_FASTCALL | METH_KEYWORDS, "read_attribute(attr_name, extract_as=ExtractAs.Numpy) -> DeviceAttribute"},
        {"_green_read_attribute", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&green_read_attribute)),
         METH_FASTCALL | METH_KEYWORDS, "read_attribute of a green proxy: awaitable in Asyncio mode (see tango.green)"},
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
