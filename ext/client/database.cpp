// Database: cppTango's client of the Tango database (a Connection to sys/database/2), every call
// made without the GIL. Arguments and results are cppTango's records (DbDatum, DbDevInfo...,
// types/db_structs.cpp); the Python forms PyTango accepts (str, list, dict of properties) are
// made into them in tango/db.py, once, before the call.
#include "pytango.hpp"
#include "gil.hpp"
#include "client/connection.hpp"
#include "client/database.hpp"
#include "client/device_proxy.hpp"
#include "convert/any.hpp"

namespace pt {

namespace {

using Db = Tango::Database;
using Holder = std::unique_ptr<Db, ReleaseGilDeleter>;
using Strings = std::vector<std::string>;

// A call that fills a DbData given the names to look up: the filled copy is returned.
template <void (Db::*Fn)(std::string, Tango::DbData &)>
Tango::DbData filled(Db &db, std::string name, Tango::DbData data) {
    without_gil([&] { (db.*Fn)(name, data); });
    return data;
}

// The common get, properties named by str, straight to {name: [str, ...]}: no DbDatum made or
// walked in Python (make bench: get_device_property against a C++ client).
template <void (Db::*Fn)(std::string, Tango::DbData &)>
py::dict by_names(Db &db, std::string name, const Strings &names) {
    Tango::DbData data;
    data.reserve(names.size());
    for (const auto &n : names) data.emplace_back(n);
    without_gil([&] { (db.*Fn)(name, data); });
    py::dict out;
    for (auto &datum : data) {
        py::list values(datum.value_string.size());
        for (size_t i = 0; i < datum.value_string.size(); ++i) values[i] = py::str(datum.value_string[i]);
        out[py::str(datum.name)] = std::move(values);
    }
    return out;
}

template <void (Db::*Fn)(std::string, compat::DbDataArg)>
void with_data(Db &db, std::string name, Tango::DbData data) {
    without_gil([&] { (db.*Fn)(name, data); });
}

// tango.Database, the Python class whose methods give the property calls their Python forms:
// handed over once by tango.db (kept for the process's life, never released at exit).
py::object &database_class() {
    static auto *cls = new py::object();
    return *cls;
}

} // namespace

long database_arg_type(py::handle value) {
    if (value.is_none()) return Tango::DEV_VOID;
    if (py::isinstance<py::str>(value)) return Tango::DEV_STRING;
    if (py::isinstance<py::tuple>(value) && py::len(value) == 2 && !py::isinstance<py::str>(value[py::int_(0)]))
        return Tango::DEVVAR_LONGSTRINGARRAY;
    if (py::isinstance<py::sequence>(value)) return Tango::DEVVAR_STRINGARRAY;
    if (py::isinstance<py::bool_>(value)) return Tango::DEV_BOOLEAN;
    if (py::isinstance<py::int_>(value)) return Tango::DEV_LONG;
    throw py::type_error("a database command takes a str, a sequence of str, or (ints, strs); got " +
                         py::str(py::type::of(value)).cast<std::string>());
}

py::object python_database(Tango::Database &db) {
    py::object &cls = database_class();
    if (!cls) throw std::runtime_error("tango.db has not handed its Database class over (import tango first)");
    std::string file;
    try {
        file = db.get_file_name(); // cppTango throws for a database that is not a file
    } catch (const Tango::DevFailed &) {
    }
    if (!file.empty()) return cls(file);
    return cls(db.get_db_host(), db.get_db_port_num());
}

void register_database(py::module_ &m) {
    m.def("_set_database_class", [](py::object cls) { database_class() = std::move(cls); },
          "Configuration (tango.db, at import): the class that Util.get_database() returns.");
    DatabaseClass cls(m, "Database", py::dynamic_attr());
    bind_connection_calls<Db>(cls); // command_inout and its asynch forms, as every connection
    cls.def(py::init([] { return Holder(without_gil([] { return new Db(); })); }))
        .def(py::init([](std::string host, int port) {
                 return Holder(without_gil([&] { return new Db(host, port); }));
             }),
             py::arg("host"), py::arg("port"))
        .def(py::init([](std::string filename) { return Holder(without_gil([&] { return new Db(filename); })); }),
             py::arg("filename"))
        .def("get_info", [](Db &db) { return without_gil([&] { return db.get_info(); }); })
        .def("get_file_name", [](Db &db) { return db.get_file_name(); })
        .def("is_multi_tango_host", [](Db &db) { return db.is_multi_tango_host(); })
        .def("is_control_access_checked", [](Db &db) { return db.is_control_access_checked(); })
        .def("set_access_checked", [](Db &db, bool v) { db.set_access_checked(v); }, py::arg("val"))
        .def("get_access_except_errors", [](Db &db) {
            const Tango::DevErrorList &errors = db.get_access_except_errors();
            std::vector<Tango::DevError> out;
            for (CORBA::ULong i = 0; i < errors.length(); ++i) out.push_back(errors[i]);
            return out;
        })
        .def("check_tango_host", [](Db &db, std::string th) { without_gil([&] { db.check_tango_host(th.c_str()); }); },
             py::arg("tango_host_env"))
        .def("check_access_control", [](Db &db, std::string dev) {
            return without_gil([&] { return db.check_access_control(dev); });
        }, py::arg("dev_name"))
        .def("write_filedatabase", [](Db &db) { without_gil([&] { db.write_filedatabase(); }); })
        .def("reread_filedatabase", [](Db &db) { without_gil([&] { db.reread_filedatabase(); }); })
        // Devices
        .def("add_device", [](Db &db, Tango::DbDevInfo info) { without_gil([&] { db.add_device(info); }); },
             py::arg("dev_info"))
        .def("delete_device", [](Db &db, std::string name) { without_gil([&] { db.delete_device(name); }); },
             py::arg("dev_name"))
        .def("import_device", [](Db &db, std::string name) { return without_gil([&] { return db.import_device(name); }); },
             py::arg("dev_name"))
        .def("export_device", [](Db &db, Tango::DbDevExportInfo info) { without_gil([&] { db.export_device(info); }); },
             py::arg("dev_export"))
        .def("unexport_device", [](Db &db, std::string name) { without_gil([&] { db.unexport_device(name); }); },
             py::arg("dev_name"))
        .def("get_device_info", [](Db &db, std::string name) { return without_gil([&] { return db.get_device_info(name); }); },
             py::arg("dev_name"))
        .def("get_class_for_device", [](Db &db, std::string name) {
            return without_gil([&] { return db.get_class_for_device(name); });
        }, py::arg("dev_name"))
        .def("get_class_inheritance_for_device", [](Db &db, std::string name) {
            return without_gil([&] { return db.get_class_inheritance_for_device(name); });
        }, py::arg("dev_name"))
        // Servers
        .def("add_server", [](Db &db, std::string server, Tango::DbDevInfos devs) {
            without_gil([&] { db.add_server(server, devs); });
        }, py::arg("servname"), py::arg("dev_info"))
        .def("delete_server", [](Db &db, std::string server) { without_gil([&] { db.delete_server(server); }); },
             py::arg("servname"))
        .def("export_server", [](Db &db, Tango::DbDevExportInfos devs) { without_gil([&] { db.export_server(devs); }); },
             py::arg("dev_info"))
        .def("unexport_server", [](Db &db, std::string server) { without_gil([&] { db.unexport_server(server); }); },
             py::arg("servname"))
        .def("rename_server", [](Db &db, std::string old_name, std::string new_name) {
            without_gil([&] { db.rename_server(old_name, new_name); });
        }, py::arg("old_ds_name"), py::arg("new_ds_name"))
        .def("get_server_info", [](Db &db, std::string server) { return without_gil([&] { return db.get_server_info(server); }); },
             py::arg("server"))
        .def("put_server_info", [](Db &db, Tango::DbServerInfo info) { without_gil([&] { db.put_server_info(info); }); },
             py::arg("info"))
        .def("delete_server_info", [](Db &db, std::string server) { without_gil([&] { db.delete_server_info(server); }); },
             py::arg("server"))
        .def("export_event", [](Db &db, Strings event_data) {
            Tango::DevVarStringArray arr;
            arr.length(static_cast<CORBA::ULong>(event_data.size()));
            for (size_t i = 0; i < event_data.size(); ++i) arr[i] = Tango::string_dup(event_data[i].c_str());
            without_gil([&] { db.export_event(&arr); });
        }, py::arg("event_data"))
        .def("unexport_event", [](Db &db, std::string event) { without_gil([&] { db.unexport_event(event); }); },
             py::arg("event"))
        // Services
        .def("get_services", [](Db &db, std::string service, std::string instance) {
            return without_gil([&] { return db.get_services(service, instance); });
        }, py::arg("serv_name"), py::arg("inst_name"))
        .def("get_device_service_list", [](Db &db, std::string dev) {
            return without_gil([&] { return db.get_device_service_list(dev); });
        }, py::arg("dev_name"))
        .def("register_service", [](Db &db, std::string service, std::string instance, std::string dev) {
            without_gil([&] { db.register_service(service, instance, dev); });
        }, py::arg("serv_name"), py::arg("inst_name"), py::arg("dev_name"))
        .def("unregister_service", [](Db &db, std::string service, std::string instance) {
            without_gil([&] { db.unregister_service(service, instance); });
        }, py::arg("serv_name"), py::arg("inst_name"))
        // Properties (DbData in, filled DbData out: tango/db.py gives them their Python forms)
        .def("_get_property", &filled<&Db::get_property>)
        .def("_get_property_by_names", &by_names<&Db::get_property>)
        .def("_get_property_forced", [](Db &db, std::string obj, Tango::DbData data) {
            without_gil([&] { db.get_property_forced(obj, data); });
            return data;
        })
        .def("_put_property", &with_data<&Db::put_property>)
        .def("_delete_property", &with_data<&Db::delete_property>)
        .def("_get_device_property", &filled<&Db::get_device_property>)
        .def("_get_device_property_by_names", &by_names<&Db::get_device_property>)
        .def("_put_device_property", &with_data<&Db::put_device_property>)
        .def("_delete_device_property", &with_data<&Db::delete_device_property>)
        .def("_get_device_attribute_property", &filled<&Db::get_device_attribute_property>)
        .def("_put_device_attribute_property", &with_data<&Db::put_device_attribute_property>)
        .def("_delete_device_attribute_property", &with_data<&Db::delete_device_attribute_property>)
        .def("_get_device_pipe_property", &filled<&Db::get_device_pipe_property>)
        .def("_put_device_pipe_property", &with_data<&Db::put_device_pipe_property>)
        .def("_delete_device_pipe_property", &with_data<&Db::delete_device_pipe_property>)
        .def("_get_class_property", &filled<&Db::get_class_property>)
        .def("_get_class_property_by_names", &by_names<&Db::get_class_property>)
        .def("_put_class_property", &with_data<&Db::put_class_property>)
        .def("_delete_class_property", &with_data<&Db::delete_class_property>)
        .def("_get_class_attribute_property", &filled<&Db::get_class_attribute_property>)
        .def("_put_class_attribute_property", &with_data<&Db::put_class_attribute_property>)
        .def("_delete_class_attribute_property", &with_data<&Db::delete_class_attribute_property>)
        .def("_get_class_pipe_property", &filled<&Db::get_class_pipe_property>)
        .def("_put_class_pipe_property", &with_data<&Db::put_class_pipe_property>)
        .def("_delete_class_pipe_property", &with_data<&Db::delete_class_pipe_property>)
        // Property lists and histories
        .def("get_device_property_list", [](Db &db, std::string dev, std::string wildcard) {
            return without_gil([&] { return db.get_device_property_list(dev, wildcard); });
        }, py::arg("dev_name"), py::arg("wildcard") = "*")
        .def("get_class_property_list", [](Db &db, std::string cls) {
            return without_gil([&] { return db.get_class_property_list(cls); });
        }, py::arg("class_name"))
        .def("get_object_property_list", [](Db &db, std::string obj, std::string wildcard) {
            return without_gil([&] { return db.get_object_property_list(obj, wildcard); });
        }, py::arg("obj_name"), py::arg("wildcard") = "*")
        .def("get_device_attribute_list", [](Db &db, std::string dev) {
            Strings out;
            without_gil([&] { db.get_device_attribute_list(dev, out); });
            return out;
        }, py::arg("dev_name"))
        .def("get_device_pipe_list", [](Db &db, std::string dev) {
            Strings out;
            without_gil([&] { db.get_device_pipe_list(dev, out); });
            return out;
        }, py::arg("dev_name"))
        .def("get_class_attribute_list", [](Db &db, std::string cls, std::string wildcard) {
            return without_gil([&] { return db.get_class_attribute_list(cls, wildcard); });
        }, py::arg("class_name"), py::arg("wildcard") = "*")
        .def("get_class_pipe_list", [](Db &db, std::string cls, std::string wildcard) {
            return without_gil([&] { return db.get_class_pipe_list(cls, wildcard); });
        }, py::arg("class_name"), py::arg("wildcard") = "*")
        .def("get_property_history", [](Db &db, std::string obj, std::string prop) {
            return without_gil([&] { return db.get_property_history(obj, prop); });
        }, py::arg("obj_name"), py::arg("prop_name"))
        .def("get_device_property_history", [](Db &db, std::string dev, std::string prop) {
            return without_gil([&] { return db.get_device_property_history(dev, prop); });
        }, py::arg("dev_name"), py::arg("prop_name"))
        .def("get_device_attribute_property_history", [](Db &db, std::string dev, std::string att, std::string prop) {
            // cppTango's header names them (dev, prop, att); it sends them as (dev, att, prop)
            return without_gil([&] { return db.get_device_attribute_property_history(dev, att, prop); });
        }, py::arg("dev_name"), py::arg("attr_name"), py::arg("prop_name"))
        .def("get_device_pipe_property_history", [](Db &db, std::string dev, std::string pipe, std::string prop) {
            return without_gil([&] { return db.get_device_pipe_property_history(dev, pipe, prop); });
        }, py::arg("dev_name"), py::arg("pipe_name"), py::arg("prop_name"))
        .def("get_class_property_history", [](Db &db, std::string cls, std::string prop) {
            return without_gil([&] { return db.get_class_property_history(cls, prop); });
        }, py::arg("class_name"), py::arg("prop_name"))
        .def("get_class_attribute_property_history", [](Db &db, std::string cls, std::string att, std::string prop) {
            return without_gil([&] { return db.get_class_attribute_property_history(cls, att, prop); });
        }, py::arg("class_name"), py::arg("attr_name"), py::arg("prop_name"))
        .def("get_class_pipe_property_history", [](Db &db, std::string cls, std::string pipe, std::string prop) {
            return without_gil([&] { return db.get_class_pipe_property_history(cls, pipe, prop); });
        }, py::arg("class_name"), py::arg("pipe_name"), py::arg("prop_name"))
        // Aliases
        .def("get_device_from_alias", [](Db &db, std::string alias) {
            std::string out;
            without_gil([&] { db.get_device_from_alias(alias, out); });
            return out;
        }, py::arg("alias"))
        .def("get_alias_from_device", [](Db &db, std::string dev) {
            std::string out;
            without_gil([&] { db.get_alias_from_device(dev, out); });
            return out;
        }, py::arg("dev_name"))
        .def("put_device_alias", [](Db &db, std::string dev, std::string alias) {
            without_gil([&] { db.put_device_alias(dev, alias); });
        }, py::arg("dev_name"), py::arg("alias"))
        .def("delete_device_alias", [](Db &db, std::string alias) { without_gil([&] { db.delete_device_alias(alias); }); },
             py::arg("alias"))
        .def("get_attribute_from_alias", [](Db &db, std::string alias) {
            std::string out;
            without_gil([&] { db.get_attribute_from_alias(alias, out); });
            return out;
        }, py::arg("alias"))
        .def("get_alias_from_attribute", [](Db &db, std::string attr) {
            std::string out;
            without_gil([&] { db.get_alias_from_attribute(attr, out); });
            return out;
        }, py::arg("attr_name"))
        .def("put_attribute_alias", [](Db &db, std::string attr, std::string alias) {
            without_gil([&] { db.put_attribute_alias(attr, alias); });
        }, py::arg("attr_name"), py::arg("alias"))
        .def("delete_attribute_alias", [](Db &db, std::string alias) {
            without_gil([&] { db.delete_attribute_alias(alias); });
        }, py::arg("alias"))
        .def("get_device_alias_list", [](Db &db, std::string filter) {
            return without_gil([&] { return db.get_device_alias_list(filter); });
        }, py::arg("filter") = "*")
        .def("get_attribute_alias_list", [](Db &db, std::string filter) {
            return without_gil([&] { return db.get_attribute_alias_list(filter); });
        }, py::arg("filter") = "*")
        // Names, with wildcards
        .def("get_host_list", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_host_list(wildcard); });
        }, py::arg("wildcard") = "*")
        .def("get_server_class_list", [](Db &db, std::string server) {
            return without_gil([&] { return db.get_server_class_list(server); });
        }, py::arg("server"))
        .def("get_server_name_list", [](Db &db) {
            return without_gil([&] { return db.get_server_name_list(); });
        })
        .def("get_instance_name_list", [](Db &db, std::string server) {
            return without_gil([&] { return db.get_instance_name_list(server); });
        }, py::arg("serv_name"))
        .def("get_server_list", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_server_list(wildcard); });
        }, py::arg("wildcard") = "*")
        .def("get_host_server_list", [](Db &db, std::string host) {
            return without_gil([&] { return db.get_host_server_list(host); });
        }, py::arg("host_name"))
        .def("get_device_name", [](Db &db, std::string server, std::string cls) {
            return without_gil([&] { return db.get_device_name(server, cls); });
        }, py::arg("serv_name"), py::arg("class_name"))
        .def("get_device_exported", [](Db &db, std::string filter) {
            return without_gil([&] { return db.get_device_exported(filter); });
        }, py::arg("filter"))
        .def("get_device_domain", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_device_domain(wildcard); });
        }, py::arg("wildcard"))
        .def("get_device_family", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_device_family(wildcard); });
        }, py::arg("wildcard"))
        .def("get_device_member", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_device_member(wildcard); });
        }, py::arg("wildcard"))
        .def("get_device_class_list", [](Db &db, std::string server) {
            return without_gil([&] { return db.get_device_class_list(server); });
        }, py::arg("server"))
        .def("get_device_exported_for_class", [](Db &db, std::string cls) {
            return without_gil([&] { return db.get_device_exported_for_class(cls); });
        }, py::arg("class_name"))
        .def("get_object_list", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_object_list(wildcard); });
        }, py::arg("wildcard"))
        .def("get_class_list", [](Db &db, std::string wildcard) {
            return without_gil([&] { return db.get_class_list(wildcard); });
        }, py::arg("wildcard"));
}

} // namespace pt
