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

} // namespace

void register_util(py::module_ &m) {
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
