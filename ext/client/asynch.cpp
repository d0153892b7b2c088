// The asynchronous request API: polling model (an id, then *_reply) and callback model (a
// one-shot CallBack, called by cppTango in PUSH mode or inside get_asynch_replies in PULL mode).
#include "pytango.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_map>
#include "client/callbacks.hpp"
#include "client/connection.hpp"
#include "client/database.hpp"
#include "client/device_proxy.hpp"
#include "types/device_data.hpp"
#include "convert/any.hpp"
#include "convert/device_attribute.hpp"
#include "convert/exceptions.hpp"

namespace pt {

namespace {

// What the callback model hands to Python, as PyTango names them.
struct AsynchEvent {
    py::object device = py::none();
    py::object argout = py::none();
    bool err = false;
    py::object errors = py::tuple();
};
struct CmdDoneEvent : AsynchEvent {
    std::string cmd_name;
    bool no_data = false; // a failed command: reading argout raises, as extracting cppTango's empty DeviceData
};
struct AttrReadEvent : AsynchEvent {
    std::vector<std::string> attr_names;
};
struct AttrWrittenEvent : AsynchEvent {
    std::vector<std::string> attr_names;
};

py::list attributes_to_py(std::vector<Tango::DeviceAttribute> &v, ExtractAs ex) {
    py::list out;
    for (auto &da : v) out.append(attribute_to_py(da, ex));
    return out;
}

// The callback model, PUSH and PULL.
//
// cppTango 9.3 cannot be trusted with its own PULL model: switching from PUSH back to PULL leaves
// its callback thread running, and that thread and a get_asynch_replies() caller then deliver
// the same reply twice (seen in gdb: a double free inside the callback); its get_asynch_replies
// also erases entries of the map it iterates. So cppTango always runs in PUSH mode here (its
// callback thread receives every reply) and the PULL model is ours: in PULL mode a reply is
// converted on arrival and queued, and get_asynch_replies() runs the queued callbacks in the
// calling thread, as PULL users expect.
struct Delivery {
    py::object callable;
    const char *method;
    py::object event;
    const void *device;
};

struct CallbackReplies {
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<Delivery> queue;                  // PULL mode: replies waiting for a pull
    std::unordered_map<const void *, long> pending; // per device: requested, callback not run yet
    long total = 0;
    bool pull = true;                            // the model users asked for (cppTango's default)
};

CallbackReplies &replies() {
    static auto *r = new CallbackReplies; // never destroyed: cppTango's thread may outlive main
    return *r;
}

void ensure_cpptango_push_model() {
    static std::once_flag once;
    std::call_once(once, [] { Tango::ApiUtil::instance()->set_asynch_cb_sub_model(Tango::PUSH_CALLBACK); });
}

void add_pending(const void *device, long n) {
    auto &r = replies();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.pending[device] += n;
    r.total += n;
    if (r.pending[device] == 0) r.pending.erase(device);
    if (n < 0) r.arrived.notify_all();
}

long pending_count(const void *device) {
    auto &r = replies();
    std::lock_guard<std::mutex> lock(r.mutex);
    if (device == nullptr) return r.total;
    auto it = r.pending.find(device);
    return it == r.pending.end() ? 0 : it->second;
}

// Runs the queued callbacks of one device (nullptr: all), waiting as cppTango's timeouts say:
// t < 0 only what has arrived, t == 0 until no request is pending, t > 0 at most t ms, then
// AsynReplyNotArrived if requests are still pending. Called with the GIL; waits without it.
void pull_replies(const void *device, long t) {
    auto &r = replies();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(t > 0 ? t : 0);
    for (;;) {
        std::vector<Delivery> batch;
        without_gil([&] {
            std::unique_lock<std::mutex> lock(r.mutex);
            auto mine = [&](const Delivery &d) { return device == nullptr || d.device == device; };
            auto have = [&] { return std::any_of(r.queue.begin(), r.queue.end(), mine); };
            auto still = [&] {
                if (device == nullptr) return r.total > 0;
                auto it = r.pending.find(device);
                return it != r.pending.end() && it->second > 0;
            };
            if (t == 0) r.arrived.wait(lock, [&] { return have() || !still(); });
            else if (t > 0) r.arrived.wait_until(lock, deadline, [&] { return have() || !still(); });
            for (auto it = r.queue.begin(); it != r.queue.end();) {
                if (mine(*it)) {
                    batch.push_back(std::move(*it)); // moves: no reference count touched
                    it = r.queue.erase(it);
                } else ++it;
            }
        });
        for (auto &d : batch) {
            try {
                invoke_callback(callback_target(d.callable, d.method), d.event);
            } catch (py::error_already_set &e) {
                report_callback_error(e);
            }
            add_pending(d.device, -1);
        }
        batch.clear(); // with the GIL: the callables and events are released here
        if (t < 0 || pending_count(device) == 0) return;
        if (t > 0 && std::chrono::steady_clock::now() >= deadline) {
            Tango::ApiAsynNotThereExcept::throw_exception(
                "API_AsynReplyNotArrived", "Still some reply(ies) for asynchronous callback call(s) to be received",
                "ApiUtil::get_asynch_replies");
        }
    }
}

// Deletes itself once its one reply has been delivered (cppTango does not touch it afterwards).
class AsynchCallBack : public Tango::CallBack {
public:
    AsynchCallBack(py::object callable, py::object device, ExtractAs ex, const void *key)
        : callable_(std::move(callable)), device_(std::move(device)), ex_(ex), key_(key) {
        ensure_cpptango_push_model();
        add_pending(key_, 1);
    }

    // A request that could not be sent: nothing will arrive.
    void cancel() {
        add_pending(key_, -1);
        delete this;
    }

    void cmd_ended(Tango::CmdDoneEvent *e) override {
        deliver("cmd_ended", [&] {
            CmdDoneEvent ev;
            ev.cmd_name = e->cmd_name;
            ev.err = e->err;
            if (e->err) {
                ev.errors = errors_to_py(e->errors);
                ev.no_data = true;
            } else {
                e->argout.reset_exceptions(Tango::DeviceData::isempty_flag);
                ev.argout = e->argout.is_empty() ? py::none() : any_to_py(e->argout.any.in(), e->argout.get_type(), ex_);
            }
            return fill(std::move(ev));
        });
    }

    void attr_read(Tango::AttrReadEvent *e) override {
        deliver("attr_read", [&] {
            AttrReadEvent ev;
            ev.attr_names = e->attr_names;
            // A read that failed for some attributes failed (as cppTango 10.3 says, not 9.3):
            // err, and errors are those attributes' stacks after any of the call itself.
            Tango::DevErrorList all = e->errors;
            std::unique_ptr<std::vector<Tango::DeviceAttribute>> values(e->argout); // the callback owns them
            e->argout = nullptr;
            if (values) {
                for (auto &da : *values) {
                    if (!da.has_failed()) continue;
                    const Tango::DevErrorList &stack = da.get_err_stack();
                    for (CORBA::ULong i = 0; i < stack.length(); ++i) {
                        all.length(all.length() + 1);
                        all[all.length() - 1] = stack[i];
                    }
                }
            }
            ev.err = e->err || all.length() > 0;
            if (ev.err) ev.errors = errors_to_py(all);
            // no values (a timeout, a dead device): an empty list, not None
            ev.argout = values ? py::object(attributes_to_py(*values, ex_)) : py::object(py::list());
            return fill(std::move(ev));
        });
    }

    void attr_written(Tango::AttrWrittenEvent *e) override {
        deliver("attr_written", [&] {
            AttrWrittenEvent ev;
            ev.attr_names = e->attr_names;
            // cppTango 9.3 sets err only when the whole call failed (its
            // NamedDevFailedList::call_failed, fixed in 10.x): a write refused for some
            // attributes came with err false, telling the callback a failed write had succeeded.
            // errors is the NamedDevFailedList: err_list per attribute, args the call's errors.
            ev.err = e->err || !e->errors.err_list.empty();
            ev.errors = named_failed_to_py(e->errors);
            return fill(std::move(ev));
        });
    }

private:
    template <class Ev>
    py::object fill(Ev &&ev) {
        ev.device = py::reinterpret_borrow<py::object>(device_.get());
        return py::cast(std::move(ev));
    }

    template <class Make>
    void deliver(const char *method, Make &&make) {
        bool queued = false;
        if (python_alive()) {
            try {
                call_up([&] {
                    py::object event;
                    try {
                        event = make();
                    } catch (py::error_already_set &err) {
                        report_callback_error(err); // a value that cannot be converted
                        return;
                    }
                    auto &r = replies();
                    {
                        std::lock_guard<std::mutex> lock(r.mutex);
                        if (r.pull) {
                            r.queue.push_back({py::reinterpret_borrow<py::object>(callable_.get()), method,
                                               std::move(event), key_});
                            queued = true;
                        }
                    }
                    if (queued) r.arrived.notify_all();
                    else invoke_callback(callback_target(callable_.get(), method), event);
                });
            } catch (...) {
            }
        }
        if (!queued) add_pending(key_, -1);
        delete this;
    }

    PyRef callable_;
    PyRef device_;
    ExtractAs ex_;
    const void *key_;
};

// Reply timeouts are in milliseconds, as in cppTango and PyTango: None does not wait (raises
// AsynReplyNotArrived), 0 waits for ever.
long timeout_arg(py::handle t) {
    if (t.is_none()) return -1;
    return static_cast<long>(t.cast<double>());
}

template <class T>
py::class_<T> bind_event_record(py::module_ &m, const char *name) {
    py::class_<T> cls(m, name);
    cls.def_readwrite("device", &T::device).def_readwrite("err", &T::err).def_readwrite("errors", &T::errors);
    return cls;
}

} // namespace

void register_asynch_types(py::module_ &m) {
    bind_event_record<CmdDoneEvent>(m, "CmdDoneEvent")
        .def_readwrite("cmd_name", &CmdDoneEvent::cmd_name)
        .def_property(
            "argout",
            [](const CmdDoneEvent &ev) {
                if (ev.no_data) {
                    Tango::Except::throw_exception("API_EmptyDeviceData",
                                                   "Cannot extract, no data in DeviceData object (the command failed)",
                                                   "CmdDoneEvent.argout");
                }
                return ev.argout;
            },
            [](CmdDoneEvent &ev, py::object v) {
                ev.argout = std::move(v);
                ev.no_data = false;
            });
    bind_event_record<AttrReadEvent>(m, "AttrReadEvent")
        .def_readwrite("attr_names", &AttrReadEvent::attr_names)
        .def_readwrite("argout", &AttrReadEvent::argout);
    bind_event_record<AttrWrittenEvent>(m, "AttrWrittenEvent")
        .def_readwrite("attr_names", &AttrWrittenEvent::attr_names)
        .def_readwrite("argout", &AttrWrittenEvent::argout);

    py::class_<Tango::ApiUtil, std::unique_ptr<Tango::ApiUtil, py::nodelete>>(m, "ApiUtil")
        .def_static("instance", [] { return Tango::ApiUtil::instance(); }, py::return_value_policy::reference)
        .def("set_asynch_cb_sub_model", [](Tango::ApiUtil &, Tango::cb_sub_model model) {
            auto &r = replies();
            std::lock_guard<std::mutex> lock(r.mutex);
            r.pull = model == Tango::PULL_CALLBACK; // replies already queued wait for a pull
        })
        .def("get_asynch_cb_sub_model", [](Tango::ApiUtil &) {
            auto &r = replies();
            std::lock_guard<std::mutex> lock(r.mutex);
            return r.pull ? Tango::PULL_CALLBACK : Tango::PUSH_CALLBACK;
        })
        .def("get_asynch_replies", [](Tango::ApiUtil &, py::handle timeout) {
            pull_replies(nullptr, timeout_arg(timeout));
        }, py::arg("timeout") = py::none())
        .def("pending_asynch_call", [](Tango::ApiUtil &a, Tango::asyn_req_type type) {
            long n = type == Tango::CALL_BACK ? 0 : a.pending_asynch_call(Tango::POLLING);
            return n + (type == Tango::POLLING ? 0 : pending_count(nullptr));
        })
        // what cppTango reads of its environment: the process's, else the tangorc files
        .def_static("get_env_var", [](const std::string &name) -> py::object {
            std::string value;
            const int found = without_gil([&] { return Tango::ApiUtil::get_env_var(name.c_str(), value); });
            if (found != 0) return py::none();
            return py::str(value);
        }, py::arg("name"), "The value cppTango sees for an environment variable (the environment, else the "
                            "tangorc files), or None.")
        .def("get_ip_from_if", [](Tango::ApiUtil &a) {
            std::vector<std::string> ips;
            without_gil([&] { a.get_ip_from_if(ips); });
            return ips;
        }, "The IP addresses of this host's network interfaces.")
        .def("get_user_connect_timeout", &Tango::ApiUtil::get_user_connect_timeout,
             "The connection timeout set by TANGOconnectTimeout (ms), or -1.")
        .def("in_server", [](Tango::ApiUtil &a) { return a.in_server(); },
             "Whether this process is a device server.")
        .def("is_notifd_event_consumer_created", &Tango::ApiUtil::is_notifd_event_consumer_created)
        .def("is_zmq_event_consumer_created", &Tango::ApiUtil::is_zmq_event_consumer_created)
        // cppTango 10.1's event system statistics: not in the cppTango lines pytango builds on
        .def("query_event_system", [](Tango::ApiUtil &, py::args, py::kwargs) {
            Tango::Except::throw_exception("API_UnsupportedFeature",
                                           std::string("query_event_system needs cppTango 10.1 or newer; this pytango "
                                                       "is built on cppTango ") + Tango::TgLibVers,
                                           "ApiUtil::query_event_system");
        })
        .def("enable_event_system_perf_mon", [](Tango::ApiUtil &, py::args, py::kwargs) {
            Tango::Except::throw_exception("API_UnsupportedFeature",
                                           std::string("enable_event_system_perf_mon needs cppTango 10.1 or newer; "
                                                       "this pytango is built on cppTango ") + Tango::TgLibVers,
                                           "ApiUtil::enable_event_system_perf_mon");
        });
}

void bind_asynch(ProxyClass &cls) {
    cls.def("_read_attributes_asynch", [](DeviceProxy &d, std::vector<std::string> names) {
           return without_gil([&] { return d.read_attributes_asynch(names); });
       })
        .def("_read_attribute_reply", [](DeviceProxy &d, long id, py::handle timeout, ExtractAs ex) {
            long t = timeout_arg(timeout);
            std::unique_ptr<Tango::DeviceAttribute> da(without_gil([&] {
                return t < 0 ? d.read_attribute_reply(id) : d.read_attribute_reply(id, t);
            }));
            if (da->has_failed()) throw Tango::DevFailed(da->get_err_stack());
            return attribute_to_py(*da, ex);
        })
        .def("_read_attributes_reply", [](DeviceProxy &d, long id, py::handle timeout, ExtractAs ex) {
            long t = timeout_arg(timeout);
            std::unique_ptr<std::vector<Tango::DeviceAttribute>> v(without_gil([&] {
                return t < 0 ? d.read_attributes_reply(id) : d.read_attributes_reply(id, t);
            }));
            return attributes_to_py(*v, ex);
        })
        .def("_read_attributes_asynch_cb", [](py::handle self, std::vector<std::string> names, py::object cb,
                                              ExtractAs ex) {
            auto &d = self.cast<DeviceProxy &>();
            auto *callback = new AsynchCallBack(cb, py::reinterpret_borrow<py::object>(self), ex, &d);
            try {
                without_gil([&] { d.read_attributes_asynch(names, *callback); });
            } catch (...) {
                callback->cancel();
                throw;
            }
        })
        .def("_write_attributes_asynch", [](DeviceProxy &d, std::vector<std::pair<std::string, py::object>> nv,
                                            py::object cb, py::handle self) -> py::object {
            std::vector<Tango::DeviceAttribute> das(nv.size());
            std::vector<py::object> keep(nv.size());
            for (size_t i = 0; i < nv.size(); ++i) {
                AttrType t = d.attr_type(nv[i].first);
                das[i].set_name(nv[i].first);
                attribute_from_py(das[i], t.type, t.format, nv[i].second, keep[i]);
            }
            if (cb.is_none()) return py::int_(without_gil([&] { return d.write_attributes_asynch(das); }));
            auto *callback = new AsynchCallBack(cb, py::reinterpret_borrow<py::object>(self), ExtractAs::Numpy, &d);
            try {
                without_gil([&] { d.write_attributes_asynch(das, *callback); });
            } catch (...) {
                callback->cancel();
                throw;
            }
            return py::none();
        })
        .def("_write_attributes_reply", [](DeviceProxy &d, long id, py::handle timeout) {
            long t = timeout_arg(timeout);
            without_gil([&] { if (t < 0) d.write_attributes_reply(id); else d.write_attributes_reply(id, t); });
        });
    cls.def("pending_asynch_call", [](DeviceProxy &d, Tango::asyn_req_type type) {
        long n = type == Tango::CALL_BACK ? 0 : d.pending_asynch_call(Tango::POLLING);
        return n + (type == Tango::POLLING ? 0 : pending_count(&d));
    });
    bind_connection_calls<DeviceProxy>(cls);
}

namespace {

// A command's result as Python: out_type < 0 takes the reply's own type (and None when empty).
py::object command_result(Tango::DeviceData &out, long out_type, ExtractAs ex) {
    if (out_type >= 0) return command_arg_to_py(out, out_type, ex);
    out.reset_exceptions(Tango::DeviceData::isempty_flag);
    if (out.is_empty()) return py::none();
    return command_arg_to_py(out, out.get_type(), ex);
}

} // namespace

template <class C, class Cls>
Cls &bind_connection_calls(Cls &cls) {
    using Typing = CommandTyping<C>;
    // The argument, from a DeviceData given as it is or a value of the command's type.
    auto argument = [](C &c, const std::string &name, py::handle arg, DeviceDataValue &in) {
        if (py::isinstance<DeviceDataValue>(arg)) {
            in = arg.cast<DeviceDataValue &>();
            return CmdType{Tango::DEV_VOID, -1};
        }
        CmdType t = Typing::types(c, name, arg);
        command_argument(in.dd, name, t.in_type, arg, in.keep);
        return t;
    };
    auto call = [](C &c, std::string &name, Tango::DeviceData &in) {
        try {
            return without_gil([&] { return c.command_inout(name, in); });
        } catch (const Tango::DevFailed &) {
            Typing::failed(c, name);
            throw;
        }
    };
    cls.def("_command_inout", [](C &c, std::string name, py::handle arg, ExtractAs ex) -> py::object {
            // the hot path: no DeviceData value made, the cached types used as they are
            CmdType t = Typing::types(c, name, arg);
            Tango::DeviceData in;
            py::object keep;
            command_argument(in, name, t.in_type, arg, keep);
            Tango::DeviceData out;
            try {
                out = without_gil([&] { return c.command_inout(name, in); });
            } catch (const Tango::DevFailed &) {
                Typing::failed(c, name);
                throw;
            }
            return command_result(out, t.out_type, ex);
        }, py::arg("cmd_name"), py::arg("cmd_param") = py::none(), py::arg("extract_as") = ExtractAs::Numpy)
        .def("command_inout_raw", [argument, call](C &c, std::string name, py::handle arg) {
            DeviceDataValue in;
            argument(c, name, arg, in);
            DeviceDataValue out;
            out.dd = call(c, name, in.dd);
            return out;
        }, py::arg("cmd_name"), py::arg("cmd_param") = py::none(),
           "Run a command: its result as a DeviceData (cmd_param: a value, or a DeviceData).")
        .def("_command_inout_asynch", [argument](py::handle self, std::string name, py::handle arg, bool forget,
                                                 py::object cb) -> py::object {
            auto &c = self.cast<C &>();
            DeviceDataValue in;
            argument(c, name, arg, in);
            if (cb.is_none()) return py::int_(without_gil([&] { return c.command_inout_asynch(name, in.dd, forget); }));
            auto *callback = new AsynchCallBack(cb, py::reinterpret_borrow<py::object>(self), ExtractAs::Numpy, &c);
            try {
                without_gil([&] { c.command_inout_asynch(name, in.dd, *callback); });
            } catch (...) {
                callback->cancel();
                throw;
            }
            return py::none();
        })
        .def("_command_inout_reply", [](C &c, long id, py::handle timeout, ExtractAs ex) -> py::object {
            long t = timeout_arg(timeout);
            Tango::DeviceData out = without_gil([&] {
                return t < 0 ? c.command_inout_reply(id) : c.command_inout_reply(id, t);
            });
            return command_result(out, -1, ex);
        })
        .def("command_inout_reply_raw", [](C &c, long id, py::handle timeout) {
            long t = timeout_arg(timeout);
            DeviceDataValue out;
            out.dd = without_gil([&] { return t < 0 ? c.command_inout_reply(id) : c.command_inout_reply(id, t); });
            return out;
        }, py::arg("id"), py::arg("timeout") = py::none(),
           "The reply of command_inout_asynch as a DeviceData (timeout in ms: None does not wait, 0 waits for ever).")
        .def("get_asynch_replies", [](C &c, py::handle timeout) {
            pull_replies(&c, timeout_arg(timeout));
        }, py::arg("timeout") = py::none());
    return cls;
}

template ProxyClass &bind_connection_calls<DeviceProxy>(ProxyClass &);
template DatabaseClass &bind_connection_calls<Tango::Database>(DatabaseClass &);

} // namespace pt
