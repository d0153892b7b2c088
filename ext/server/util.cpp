// The server process: Util (cppTango's singleton) with the class factory that creates one
// PyDeviceClass per Python class spec. The ORB loop runs with the GIL released.
#include "pytango.hpp"
#include "client/database.hpp"
#include "server/device_class.hpp"
#include "server/device.hpp"

namespace pt {

void bind_polling_buffer(py::class_<Tango::Util, std::unique_ptr<Tango::Util, py::nodelete>> &cls);
void bind_sub_dev_diag(py::module_ &m, py::class_<Tango::Util, std::unique_ptr<Tango::Util, py::nodelete>> &cls);

namespace {

// Called by cppTango inside server_init(): the specs were stored on the module by Python.
void class_factory(Tango::DServer *ds) {
    call_up([&] {
        py::object specs = py::module_::import("tango._tango").attr("_class_specs");
        for (auto spec : specs) {
            std::string name = spec.cast<const ClassSpec &>().name;
            ds->_add_class(new PyDeviceClass(name, py::reinterpret_borrow<py::object>(spec)));
        }
    });
}

// Property values (as strings) from the database or the -file database; {} without one.
template <class Get>
py::dict read_properties(Tango::Util &u, const std::vector<std::string> &names, Get &&get) {
    py::dict out;
    Tango::Database *db = u.get_database();
    if (!Tango::Util::_UseDb || db == nullptr || names.empty()) return out;
    Tango::DbData data;
    for (auto &n : names) data.push_back(Tango::DbDatum(n));
    without_gil([&] { get(db, data); });
    for (auto &d : data) {
        if (d.is_empty()) continue;
        std::vector<std::string> v;
        d >> v;
        out[py::str(d.name)] = py::cast(v);
    }
    return out;
}

// run()'s event_loop=: cppTango's server loop calls it whenever no request is pending; a true
// result ends the loop. Kept for the process's life, as cppTango keeps the pointer.
py::object &event_loop_callable() {
    static auto *f = new py::object();
    return *f;
}

bool call_event_loop() {
    // An exception must not leave through cppTango's server loop (the process aborted with an
    // uncaught CORBA::OBJECT_NOT_EXIST): it is printed and stops the server, as a true result.
    try {
        return call_up([] { return PyObject_IsTrue(event_loop_callable()().ptr()) == 1; });
    } catch (Tango::DevFailed &e) {
        Tango::Except::print_exception(e);
    } catch (...) {
    }
    return true;
}


// The Python object of a cppTango device of this server: the Python device itself, or the
// admin device (a DServer, which cppTango owns and keeps for the server's life).
py::object python_device(Tango::DeviceImpl *dev) {
    if (dev == nullptr) return py::none();
    if (auto *py_dev = dynamic_cast<PyDevice *>(dev)) return py::reinterpret_borrow<py::object>(py_dev->self());
    if (auto *admin = dynamic_cast<Tango::DServer *>(dev)) return py::cast(admin, py::return_value_policy::reference);
    Tango::Except::throw_exception("PyDs_UnknownDevice", "The device " + dev->get_name() +
                                   " is not a Python device of this server", "Util");
    return py::none();
}

py::list python_devices(const std::vector<Tango::DeviceImpl *> &devs) {
    py::list out;
    for (Tango::DeviceImpl *dev : devs) out.append(python_device(dev));
    return out;
}

py::list string_list(Tango::DevVarStringArray *arr) {
    std::unique_ptr<Tango::DevVarStringArray> owned(arr);
    py::list out;
    for (CORBA::ULong i = 0; i < arr->length(); ++i) out.append(py::str((*arr)[i].in()));
    return out;
}

std::string object_ior(Tango::Util &u, Tango::DeviceImpl *dev) {
    CORBA::String_var ior = u.get_orb()->object_to_string(dev->get_d_var());
    return std::string(ior.in());
}

Tango::DeviceImpl &device_of(py::handle dev) {
    // a Python device (its handle) or the admin device
    if (py::isinstance<Tango::DServer>(dev)) return *dev.cast<Tango::DServer *>();
    if (!py::isinstance<DeviceHandle>(dev)) {
        throw py::type_error("a device of this server was expected, not " + py::repr(dev).cast<std::string>());
    }
    return dev.cast<DeviceHandle &>().get();
}

// Util.set_interceptors: cppTango calls these when it makes and ends the threads that serve
// requests. Kept for the process's life, as cppTango keeps the pointer.
class PyInterceptors : public Tango::Interceptors {
public:
    explicit PyInterceptors(py::object target) : target_(std::move(target)) {}
    void create_thread() override { up("create_thread"); }
    void delete_thread() override { up("delete_thread"); }

private:
    void up(const char *name) {
        if (!python_alive()) return;
        try {
            call_up([&] { target_.get().attr(name)(); });
        } catch (Tango::DevFailed &e) {
            Tango::Except::print_exception(e); // never into omniORB's thread code
        } catch (...) {
        }
    }
    PyRef target_;
};

} // namespace

void bind_dserver(py::module_ &m) {
    py::class_<Tango::PollDevice>(m, "PollDevice", "The polled objects of one device: dev_name and ind_list.")
        .def(py::init<>())
        .def_readwrite("dev_name", &Tango::PollDevice::dev_name)
        .def_readwrite("ind_list", &Tango::PollDevice::ind_list)
        .def("__repr__", [](const Tango::PollDevice &p) {
            return "PollDevice(dev_name=" + py::repr(py::str(p.dev_name)).cast<std::string>() + ", ind_list=" +
                   py::repr(py::cast(p.ind_list)).cast<std::string>() + ")";
        });
    // The admin device (dserver/<server>/<instance>), as Util.get_dserver_device() gives it.
    py::class_<Tango::DServer, std::unique_ptr<Tango::DServer, py::nodelete>>(m, "DServer")
        .def("get_name", [](Tango::DServer &d) { return d.get_name(); })
        .def("get_state", [](Tango::DServer &d) { return d.get_state(); })
        .def("get_status", [](Tango::DServer &d) { return d.get_status(); })
        .def("query_class", [](Tango::DServer &d) { return string_list(without_gil([&] { return d.query_class(); })); },
             "The Tango classes of the server.")
        .def("query_device", [](Tango::DServer &d) { return string_list(without_gil([&] { return d.query_device(); })); },
             "The devices of the server, each as 'Class::device/name'.")
        .def("query_sub_device", [](Tango::DServer &d) {
            return string_list(without_gil([&] { return d.query_sub_device(); }));
        })
        .def("polled_device", [](Tango::DServer &d) { return string_list(without_gil([&] { return d.polled_device(); })); })
        .def("dev_poll_status", [](Tango::DServer &d, std::string name) {
            return string_list(without_gil([&] { return d.dev_poll_status(name); }));
        }, py::arg("dev_name"))
        .def("get_process_name", [](Tango::DServer &d) { return d.get_process_name(); })
        .def("get_personal_name", [](Tango::DServer &d) { return d.get_personal_name(); })
        .def("get_instance_name", [](Tango::DServer &d) { return d.get_instance_name(); })
        .def("get_full_name", [](Tango::DServer &d) { return d.get_full_name(); })
        .def("get_fqdn", [](Tango::DServer &d) { return d.get_fqdn(); })
        .def("get_poll_th_pool_size", [](Tango::DServer &d) { return d.get_poll_th_pool_size(); })
        .def("__repr__", [](Tango::DServer &d) { return "DServer(" + d.get_name() + ")"; })
        .def("__str__", [](Tango::DServer &d) { return "DServer(" + d.get_name() + ")"; });
}

namespace {
} // namespace

void register_util(py::module_ &m) {
    bind_dserver(m);
    m.attr("_class_specs") = py::list();
    py::class_<Tango::Util, std::unique_ptr<Tango::Util, py::nodelete>> util(m, "Util");
    bind_polling_buffer(util);
    bind_sub_dev_diag(m, util);
    util.def(py::init([](std::vector<std::string> args) {
                 // cppTango keeps argv for the life of the process.
                 static std::vector<std::string> keep;
                 static std::vector<char *> argv;
                 keep = std::move(args);
                 argv.clear();
                 for (auto &a : keep) argv.push_back(const_cast<char *>(a.c_str()));
                 argv.push_back(nullptr);
                 ensure_omni_thread();
                 return std::unique_ptr<Tango::Util, py::nodelete>(
                     without_gil([&] { return Tango::Util::init(static_cast<int>(keep.size()), argv.data()); }));
             }),
             py::arg("args"))
        .def_static("instance", [](bool exit) { return Tango::Util::instance(exit); },
                    py::arg("exit") = true, py::return_value_policy::reference)
        .def("_server_init", [](Tango::Util &u, py::list specs) {
            py::module_::import("tango._tango").attr("_class_specs") = specs;
            Tango::DServer::register_class_factory(&class_factory);
            Tango::Database *before = u.get_database();
            without_gil([&] { u.server_init(false); });
            // With a file database (-file=, test contexts) the admin device's init_device
            // replaces the server's Database (Util::reset_filedatabase) but leaves the deleted
            // one in ApiUtil's list, where every later proxy made with a database host looks
            // (get_db_ind: a use after free, a crash in a client of the same process).
            Tango::Database *after = u.get_database();
            if (before != nullptr && after != before) {
                for (Tango::Database *&db : Tango::ApiUtil::instance()->get_db_vect()) {
                    if (db == before) db = after;
                }
            }
        })
        .def("server_run", [](Tango::Util &u) { without_gil([&] { u.server_run(); }); })
        .def("server_set_event_loop", [](Tango::Util &u, py::object f) {
            if (f.is_none()) {
                u.server_set_event_loop(nullptr);
                return;
            }
            event_loop_callable() = std::move(f);
            u.server_set_event_loop(&call_event_loop);
        }, py::arg("event_loop"), "A callable run between requests by server_run (True stops the server).")
        .def("_python_devices", [](Tango::Util &u) {
            // The Python devices of the server, class by class (server_init_hook, restarts).
            py::list out;
            const std::vector<Tango::DeviceClass *> *classes = u.get_class_list();
            if (classes == nullptr) return out;
            for (Tango::DeviceClass *cls : *classes) {
                for (Tango::DeviceImpl *dev : cls->get_device_list()) {
                    if (auto *py_dev = dynamic_cast<PyDevice *>(dev)) out.append(py_dev->self());
                }
            }
            return out;
        })
        .def("get_device_list", [](Tango::Util &u, const std::string &name) {
            return python_devices(without_gil([&] { return u.get_device_list(name); }));
        }, py::arg("name"), "The devices of the server whose name matches name (* a wildcard).")
        .def("get_device_list_by_class", [](Tango::Util &u, const std::string &class_name) {
            return python_devices(without_gil([&] { return u.get_device_list_by_class(class_name); }));
        }, py::arg("class_name"))
        .def("get_device_by_name", [](Tango::Util &u, const std::string &name) {
            return python_device(without_gil([&] { return u.get_device_by_name(name); }));
        }, py::arg("dev_name"))
        .def("get_dserver_device", [](Tango::Util &u) { return python_device(u.get_dserver_device()); })
        .def("_device_classes", [](Tango::Util &u) {
            py::list out;
            const std::vector<Tango::DeviceClass *> *classes = u.get_class_list();
            if (classes == nullptr) return out;
            for (Tango::DeviceClass *cls : *classes) {
                if (auto *py_cls = dynamic_cast<PyDeviceClass *>(cls)) {
                    out.append(py::cast(py_cls, py::return_value_policy::reference));
                }
            }
            return out;
        }, "cppTango's Python device classes of the server (Util.get_class_list maps them).")
        .def("get_dserver_ior", [](Tango::Util &u, py::handle admin) {
            if (!py::isinstance<Tango::DServer>(admin)) {
                throw py::type_error("the admin device (a DServer) was expected, not " + py::repr(admin).cast<std::string>());
            }
            return object_ior(u, admin.cast<Tango::DServer *>());
        }, py::arg("device_server"))
        .def("get_device_ior", [](Tango::Util &u, py::handle dev) { return object_ior(u, &device_of(dev)); },
             py::arg("device"))
        .def("get_pid_str", [](Tango::Util &u) { return u.get_pid_str(); })
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
        .def("is_auto_alarm_on_change_event", [](Tango::Util &u) { return u.is_auto_alarm_on_change_event(); })
        .def("set_auto_alarm_on_change_event", [](Tango::Util &u, bool on) { u.set_auto_alarm_on_change_event(on); },
             py::arg("enabled"))
#endif
        .def("get_server_version", [](Tango::Util &u) { return u.get_server_version(); })
        .def("set_server_version", [](Tango::Util &u, const std::string &v) { u.set_server_version(v.c_str()); },
             py::arg("vers"))
        .def("get_trace_level", [](Tango::Util &u) { return u.get_trace_level(); })
        .def("set_trace_level", [](Tango::Util &u, int level) { u.set_trace_level(level); }, py::arg("level"))
        .def("is_device_restarting", [](Tango::Util &u, std::string name) { return u.is_device_restarting(name); },
             py::arg("dev_name"))
        .def("trigger_attr_polling", [](Tango::Util &u, py::handle dev, const std::string &name) {
            Tango::DeviceImpl &d = device_of(dev);
            without_gil([&] { u.trigger_attr_polling(&d, name); });
        }, py::arg("dev"), py::arg("name"))
        .def("trigger_cmd_polling", [](Tango::Util &u, py::handle dev, const std::string &name) {
            Tango::DeviceImpl &d = device_of(dev);
            without_gil([&] { u.trigger_cmd_polling(&d, name); });
        }, py::arg("dev"), py::arg("name"))
        .def_static("set_use_db", [](bool use) { Tango::Util::_UseDb = use; }, py::arg("use_db"))
        .def("connect_db", [](Tango::Util &u) { without_gil([&] { u.connect_db(); }); })
        .def("reset_filedatabase", [](Tango::Util &u) { without_gil([&] { u.reset_filedatabase(); }); })
        .def("unregister_server", [](Tango::Util &u) { without_gil([&] { u.unregister_server(); }); })
        .def("orb_run", [](Tango::Util &u) { without_gil([&] { u.get_orb()->run(); }); },
             "Serve requests (the ORB's loop) until the ORB shuts down.")
        .def("_set_interceptors", [](Tango::Util &u, py::object target) {
            static std::vector<PyInterceptors *> kept; // cppTango may still call an older one
            auto *in = new PyInterceptors(std::move(target));
            kept.push_back(in);
            u.set_interceptors(in);
        })
        .def("server_cleanup", [](Tango::Util &u) { without_gil([&] { u.server_cleanup(); }); })
        .def("_shutdown_orb", [](Tango::Util &u) {
            // server_run returns (the ORB stops serving and calling): at the exit of a process
            // whose server ran in a thread, before the C++ exit handlers free what it waits on.
            // The polling threads go first, as a server's shutdown stops them: the heartbeat
            // one would otherwise push an event through the supplier those handlers destroy.
            without_gil([&] {
                u.stop_all_polling_threads();
                u.stop_heartbeat_thread();
                u.clr_heartbeat_th_ptr();
                u.get_orb()->shutdown(true);
            });
        })
        .def("_delete_devices", [](Tango::Util &u) {
            // Every device and class of the server deleted (delete_device run), as a restart
            // does before making them again; the admin device and the ORB go on. Ends a test
            // context's server run in a thread of the test process, whose ORB its client uses.
            without_gil([&] {
                Tango::DServer *admin = u.get_dserver_device();
                Tango::AutoTangoMonitor guard(admin, true);
                admin->stop_polling();
                admin->delete_devices();
                // Util keeps its own copy of the class list, which local proxies search
                // (DeviceProxy::local_import): without this it still points at the deleted
                // classes, and the next proxy made in this process reads freed memory.
                u.set_class_list(&admin->get_class_list());
            });
        })
        .def("shutdown_ds", [](Tango::Util &u) { without_gil([&] { u.shutdown_ds(); }); })
        .def("get_database", [](Tango::Util &u) -> py::object {
            // a server run with -nodb has none; -file= gives a file database
            if (!Tango::Util::_UseDb && !Tango::Util::_FileDb) return py::none();
            Tango::Database *db = u.get_database();
            return db == nullptr ? py::object(py::none()) : python_database(*db);
        }, "The server's database, as a tango.Database (None without one).")
        .def("get_ds_name", [](Tango::Util &u) { return u.get_ds_name(); })
        .def("get_ds_exec_name", [](Tango::Util &u) { return u.get_ds_exec_name(); })
        .def("get_ds_inst_name", [](Tango::Util &u) { return u.get_ds_inst_name(); })
        .def("get_host_name", [](Tango::Util &u) { return u.get_host_name(); })
        .def("get_pid", [](Tango::Util &u) { return static_cast<long>(u.get_pid()); })
        .def("get_version_str", [](Tango::Util &u) { return u.get_version_str(); })
        .def("get_tango_lib_release", [](Tango::Util &u) { return u.get_tango_lib_release(); })
        .def("set_serial_model", [](Tango::Util &u, Tango::SerialModel s) { u.set_serial_model(s); })
        .def("get_serial_model", [](Tango::Util &u) { return u.get_serial_model(); })
        .def("set_polling_threads_pool_size", [](Tango::Util &u, unsigned long n) { u.set_polling_threads_pool_size(n); })
        .def("get_polling_threads_pool_size", [](Tango::Util &u) { return u.get_polling_threads_pool_size(); })
        .def("is_svr_starting", [](Tango::Util &u) { return u.is_svr_starting(); })
        .def("is_svr_shutting_down", [](Tango::Util &u) { return u.is_svr_shutting_down(); })
        .def("_device_property", [](Tango::Util &u, std::string dev_name, std::vector<std::string> names) {
            return read_properties(u, names, [&](Tango::Database *db, Tango::DbData &data) {
                db->get_device_property(dev_name, data);
            });
        })
        .def("_class_property", [](Tango::Util &u, std::string class_name, std::vector<std::string> names) {
            return read_properties(u, names, [&](Tango::Database *db, Tango::DbData &data) {
                db->get_class_property(class_name, data);
            });
        });
}

} // namespace pt
