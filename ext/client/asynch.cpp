// The asynchronous request API: polling model (an id, then *_reply) and callback model (a
// one-shot CallBack, called by cppTango in PUSH mode or inside get_asynch_replies in PULL mode).
#include "pytango.hpp"
#include "client/callbacks.hpp"
#include "client/device_proxy.hpp"
#include "convert/any.hpp"
#include "convert/device_attribute.hpp"
#include "convert/exceptions.hpp"

#include <chrono>
#include <thread>

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

// Deletes itself once its one reply has been delivered.
class AsynchCallBack : public Tango::CallBack {
public:
    AsynchCallBack(py::object callable, py::object device, ExtractAs ex)
        : callable_(std::move(callable)), device_(std::move(device)), ex_(ex) {}

    void cmd_ended(Tango::CmdDoneEvent *e) override {
        deliver("cmd_ended", [&] {
            CmdDoneEvent ev;
            ev.cmd_name = e->cmd_name;
            ev.err = e->err;
            if (e->err) ev.errors = errors_to_py(e->errors);
            else {
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
            ev.err = e->err;
            if (e->err) ev.errors = errors_to_py(e->errors);
            if (e->argout != nullptr) {
                ev.argout = attributes_to_py(*e->argout, ex_);
                delete e->argout; // the callback owns the values (cppTango's contract)
                e->argout = nullptr;
            }
            return fill(std::move(ev));
        });
    }

    void attr_written(Tango::AttrWrittenEvent *e) override {
        deliver("attr_written", [&] {
            AttrWrittenEvent ev;
            ev.attr_names = e->attr_names;
            ev.err = e->err;
            if (e->err) ev.errors = errors_to_py(e->errors.errors);
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
        if (python_alive()) {
            try {
                call_up([&] {
                    py::object event = make();
                    invoke_callback(callback_target(callable_.get(), method), event);
                });
            } catch (...) {
            }
        }
        delete this;
    }

    PyRef callable_;
    PyRef device_;
    ExtractAs ex_;
};

// cppTango's PUSH-model callback thread is only asked to stop: it notices when it next wakes
// up. A request sent before that is served by it, on its thread, while get_asynch_replies (PULL
// model) serves the same request table on ours: both walk and erase the same map (a crash seen
// in the tests). So switching to PULL waits until that thread has ended (5 s at most: it may be
// waiting for the replies of requests sent before the switch).
struct CallBackThreadOf : Tango::ApiUtil {
    // The thread is a protected member: reached through this derived class, never instantiated.
    static Tango::CallBackThread *Tango::ApiUtil::*member() { return &CallBackThreadOf::cb_thread_ptr; }
};

void wait_for_callback_thread_end(Tango::ApiUtil &a) {
    omni_thread *thread = a.*CallBackThreadOf::member();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (thread != nullptr && thread->state() != omni_thread::STATE_TERMINATED &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// Reply timeouts are in milliseconds, as in cppTango and PyTango: None does not wait (raises
// AsynReplyNotArrived), 0 waits for ever.
long timeout_arg(py::handle t) {
    if (t.is_none()) return -1;
    return static_cast<long>(t.cast<double>());
}

template <class T>
void bind_event_record(py::module_ &m, const char *name) {
    py::class_<T>(m, name)
        .def_readwrite("device", &T::device)
        .def_readwrite("argout", &T::argout)
        .def_readwrite("err", &T::err)
        .def_readwrite("errors", &T::errors);
}

} // namespace

void register_asynch_types(py::module_ &m) {
    bind_event_record<CmdDoneEvent>(m, "CmdDoneEvent");
    py::class_<CmdDoneEvent>(m.attr("CmdDoneEvent")).def_readwrite("cmd_name", &CmdDoneEvent::cmd_name);
    bind_event_record<AttrReadEvent>(m, "AttrReadEvent");
    py::class_<AttrReadEvent>(m.attr("AttrReadEvent")).def_readwrite("attr_names", &AttrReadEvent::attr_names);
    bind_event_record<AttrWrittenEvent>(m, "AttrWrittenEvent");
    py::class_<AttrWrittenEvent>(m.attr("AttrWrittenEvent")).def_readwrite("attr_names", &AttrWrittenEvent::attr_names);

    py::class_<Tango::ApiUtil, std::unique_ptr<Tango::ApiUtil, py::nodelete>>(m, "ApiUtil")
        .def_static("instance", [] { return Tango::ApiUtil::instance(); }, py::return_value_policy::reference)
        .def("set_asynch_cb_sub_model", [](Tango::ApiUtil &a, Tango::cb_sub_model model) {
            without_gil([&] {
                const bool stopping = a.get_asynch_cb_sub_model() == Tango::PUSH_CALLBACK &&
                                      model == Tango::PULL_CALLBACK;
                a.set_asynch_cb_sub_model(model);
                if (stopping) wait_for_callback_thread_end(a);
            });
        })
        .def("get_asynch_cb_sub_model", [](Tango::ApiUtil &a) { return a.get_asynch_cb_sub_model(); })
        .def("get_asynch_replies", [](Tango::ApiUtil &a, py::handle timeout) {
            long t = timeout_arg(timeout);
            without_gil([&] { if (t < 0) a.get_asynch_replies(); else a.get_asynch_replies(t); });
        }, py::arg("timeout") = py::none())
        .def("pending_asynch_call", [](Tango::ApiUtil &a, Tango::asyn_req_type type) {
            return a.pending_asynch_call(type);
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
            auto *callback = new AsynchCallBack(cb, py::reinterpret_borrow<py::object>(self), ex);
            try {
                without_gil([&] { d.read_attributes_asynch(names, *callback); });
            } catch (...) {
                delete callback;
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
            auto *callback = new AsynchCallBack(cb, py::reinterpret_borrow<py::object>(self), ExtractAs::Numpy);
            try {
                without_gil([&] { d.write_attributes_asynch(das, *callback); });
            } catch (...) {
                delete callback;
                throw;
            }
            return py::none();
        })
        .def("_write_attributes_reply", [](DeviceProxy &d, long id, py::handle timeout) {
            long t = timeout_arg(timeout);
            without_gil([&] { if (t < 0) d.write_attributes_reply(id); else d.write_attributes_reply(id, t); });
        })
        .def("_command_inout_asynch", [](py::handle self, std::string name, py::handle arg, bool forget,
                                         py::object cb) -> py::object {
            auto &d = self.cast<DeviceProxy &>();
            CmdType t = d.cmd_type(name);
            Tango::DeviceData in;
            py::object keep;
            if (t.in_type != Tango::DEV_VOID) {
                if (arg.is_none()) throw py::type_error("command " + name + " expects an argument");
                any_from_py(in.any.inout(), t.in_type, arg, &keep);
            }
            if (cb.is_none()) return py::int_(without_gil([&] { return d.command_inout_asynch(name, in, forget); }));
            auto *callback = new AsynchCallBack(cb, py::reinterpret_borrow<py::object>(self), ExtractAs::Numpy);
            try {
                without_gil([&] { d.command_inout_asynch(name, in, *callback); });
            } catch (...) {
                delete callback;
                throw;
            }
            return py::none();
        })
        .def("_command_inout_reply", [](DeviceProxy &d, long id, py::handle timeout, ExtractAs ex) -> py::object {
            long t = timeout_arg(timeout);
            Tango::DeviceData out = without_gil([&] {
                return t < 0 ? d.command_inout_reply(id) : d.command_inout_reply(id, t);
            });
            out.reset_exceptions(Tango::DeviceData::isempty_flag);
            if (out.is_empty()) return py::none();
            return any_to_py(out.any.in(), out.get_type(), ex);
        })
        .def("pending_asynch_call", [](DeviceProxy &d, Tango::asyn_req_type type) { return d.pending_asynch_call(type); })
        .def("get_asynch_replies", [](DeviceProxy &d, py::handle timeout) {
            long t = timeout_arg(timeout);
            without_gil([&] { if (t < 0) d.get_asynch_replies(); else d.get_asynch_replies(t); });
        }, py::arg("timeout") = py::none());
}

} // namespace pt
