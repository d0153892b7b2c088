// The database's records, bound on cppTango's own structs: DbDatum (a property: a name and its
// values as strings), DbDevInfo, DbDevImportInfo, DbDevFullInfo, DbDevExportInfo, DbServerInfo,
// DbHistory. Passive data: the calls that fill them are in client/database.cpp.
#include "pytango.hpp"
#include "convert/record.hpp"

#include <algorithm>
#include <sstream>

namespace pt {

namespace {

std::string quoted(const std::string &s) { return py::repr(py::str(s)).cast<std::string>(); }

// "Name(field = value, ...)", the fields in alphabetical order, as PyTango prints its structs.
template <class T>
std::string record_repr(const char *type, std::initializer_list<std::pair<const char *, std::string>> fields) {
    std::ostringstream out;
    out << type << "(";
    bool first = true;
    for (const auto &f : fields) {
        out << (first ? "" : ", ") << f.first << " = " << f.second;
        first = false;
    }
    out << ")";
    return out.str();
}

std::string list_repr(const std::vector<std::string> &v) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quoted(v[i]);
    return out + "]";
}

std::string datum_repr(const Tango::DbDatum &d) {
    return record_repr<Tango::DbDatum>("DbDatum", {{"name", quoted(d.name)}, {"value_string", list_repr(d.value_string)}});
}

// One property value: a str, bytes (Latin-1 text, as PyTango's users encode them), or anything
// else as its str(). Stored as the str's UTF-8, as every other property string.
std::string one_string(py::handle v) {
    if (py::isinstance<py::str>(v)) return v.cast<std::string>();
    if (py::isinstance<py::bytes>(v)) return v.attr("decode")("latin-1").cast<std::string>();
    return py::str(v).cast<std::string>();
}

// A Python value as the strings of a property: a str is one value, other sequences one string
// per element, anything else its str().
std::vector<std::string> property_strings(py::handle value) {
    std::vector<std::string> out;
    if (py::isinstance<py::str>(value)) {
        out.push_back(value.cast<std::string>());
    } else if (py::isinstance<py::bytes>(value)) {
        out.push_back(one_string(value));
    } else if (py::isinstance<py::sequence>(value) || py::hasattr(value, "__iter__")) {
        for (py::handle item : py::iter(value)) out.push_back(one_string(item));
    } else {
        out.push_back(py::str(value).cast<std::string>());
    }
    return out;
}

Py_ssize_t datum_index(const Tango::DbDatum &d, Py_ssize_t i) {
    const auto n = static_cast<Py_ssize_t>(d.value_string.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw py::index_error("DbDatum index out of range");
    return i;
}

// DbDatum.value_string: the datum's own list of strings, changed in place (append, extend,
// item assignment...), as PyTango's StdStringVector reference is. It keeps its DbDatum alive.
struct DatumStrings {
    py::object owner;
    std::vector<std::string> &values() const { return owner.cast<Tango::DbDatum &>().value_string; }
};


Py_ssize_t list_index(const std::vector<std::string> &v, Py_ssize_t i) {
    const auto n = static_cast<Py_ssize_t>(v.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw py::index_error("value_string index out of range");
    return i;
}

void bind_datum_strings(py::module_ &m) {
    py::class_<DatumStrings>(m, "DbDatumValues", "A DbDatum's values (value_string), a list of str changed in place.")
        .def("__len__", [](const DatumStrings &s) { return s.values().size(); })
        .def("__getitem__", [](const DatumStrings &s, Py_ssize_t i) {
            auto &v = s.values();
            return v[list_index(v, i)];
        })
        .def("__getitem__", [](const DatumStrings &s, py::slice sl) {
            py::list all = py::cast(s.values()); // kept: the item accessor does not own it
            return py::object(all[sl]);
        })
        .def("__setitem__", [](DatumStrings &s, Py_ssize_t i, py::handle value) {
            auto &v = s.values();
            v[list_index(v, i)] = one_string(value);
        })
        .def("__delitem__", [](DatumStrings &s, Py_ssize_t i) {
            auto &v = s.values();
            v.erase(v.begin() + list_index(v, i));
        })
        .def("__iter__", [](const DatumStrings &s) { return py::iter(py::cast(s.values())); })
        .def("__contains__", [](const DatumStrings &s, py::handle x) {
            if (!py::isinstance<py::str>(x) && !py::isinstance<py::bytes>(x)) return false;
            auto &v = s.values();
            return std::find(v.begin(), v.end(), x.cast<std::string>()) != v.end();
        })
        .def("__eq__", [](const DatumStrings &s, py::handle other) -> py::object {
            if (py::isinstance<DatumStrings>(other)) return py::bool_(s.values() == other.cast<DatumStrings &>().values());
            if (!py::isinstance<py::list>(other) && !py::isinstance<py::tuple>(other)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::cast(s.values()).attr("__eq__")(py::list(py::reinterpret_borrow<py::object>(other)));
        })
        .def("__repr__", [](const DatumStrings &s) { return list_repr(s.values()); })
        .def("append", [](DatumStrings &s, py::handle value) { s.values().push_back(one_string(value)); })
        .def("extend", [](DatumStrings &s, py::iterable seq) {
            std::vector<std::string> more;
            for (auto item : seq) more.push_back(one_string(item));
            auto &v = s.values();
            v.insert(v.end(), more.begin(), more.end());
        })
        .def("insert", [](DatumStrings &s, Py_ssize_t i, py::handle value) {
            auto &v = s.values();
            const auto n = static_cast<Py_ssize_t>(v.size());
            if (i < 0) i = std::max<Py_ssize_t>(0, i + n);
            v.insert(v.begin() + std::min(i, n), one_string(value));
        })
        .def("pop", [](DatumStrings &s, Py_ssize_t i) {
            auto &v = s.values();
            i = list_index(v, i);
            std::string out = v[i];
            v.erase(v.begin() + i);
            return out;
        }, py::arg("index") = -1)
        .def("clear", [](DatumStrings &s) { s.values().clear(); })
        .def("count", [](const DatumStrings &s, const std::string &x) {
            auto &v = s.values();
            return std::count(v.begin(), v.end(), x);
        });
    // never hashed: it changes
    py::setattr(m.attr("DbDatumValues"), "__hash__", py::none());
}

} // namespace

void register_db_structs(py::module_ &m) {
    bind_datum_strings(m);
    py::class_<Tango::DbDatum>(m, "DbDatum", "A property: its name and its values, as strings.")
        .def(py::init([] { return Tango::DbDatum(std::string()); }))
        .def(py::init([](std::string name) { return Tango::DbDatum(name); }), py::arg("name"))
        .def(py::init([](std::string name, py::handle values) {
                 Tango::DbDatum d(name);
                 d.value_string = property_strings(values);
                 return d;
             }),
             py::arg("name"), py::arg("value"))
        .def(py::init([](const Tango::DbDatum &other) { return Tango::DbDatum(other); }))
        .def_readwrite("name", &Tango::DbDatum::name)
        .def_property(
            "value_string", [](py::object self) { return DatumStrings{self}; },
            [](Tango::DbDatum &d, py::handle v) {
                // a copy first: the value may be this datum's own view
                std::vector<std::string> values = py::isinstance<DatumStrings>(v)
                                                      ? v.cast<DatumStrings &>().values()
                                                      : property_strings(v);
                d.value_string = std::move(values);
            },
            "The values: a list of str changed in place (append, extend...), or assigned anew.")
        .def("size", [](const Tango::DbDatum &d) { return d.value_string.size(); })
        .def("is_empty", [](const Tango::DbDatum &d) { return d.value_string.empty(); })
        .def("append", [](Tango::DbDatum &d, py::handle s) { d.value_string.push_back(one_string(s)); })
        .def("extend", [](Tango::DbDatum &d, py::handle seq) {
            for (auto &s : property_strings(seq)) d.value_string.push_back(std::move(s));
        })
        .def("__len__", [](const Tango::DbDatum &d) { return d.value_string.size(); })
        .def("__getitem__", [](const Tango::DbDatum &d, Py_ssize_t i) { return d.value_string[datum_index(d, i)]; })
        .def("__setitem__", [](Tango::DbDatum &d, Py_ssize_t i, std::string s) {
            d.value_string[datum_index(d, i)] = std::move(s);
        })
        .def("__delitem__", [](Tango::DbDatum &d, Py_ssize_t i) {
            d.value_string.erase(d.value_string.begin() + datum_index(d, i));
        })
        .def("__contains__", [](const Tango::DbDatum &d, const std::string &s) {
            return std::find(d.value_string.begin(), d.value_string.end(), s) != d.value_string.end();
        })
        .def("__iter__", [](const Tango::DbDatum &d) { return py::iter(py::cast(d.value_string)); })
        .def("__eq__", [](const Tango::DbDatum &a, const Tango::DbDatum &b) {
            return a.name == b.name && a.value_string == b.value_string;
        })
        .def("__add__", [](const Tango::DbDatum &d, py::list values) { // its values, then those
            py::list out = py::cast(d.value_string);
            for (auto v : values) out.append(v);
            return out;
        }, py::arg("values"))
        .def("__repr__", &datum_repr)
        .def("__str__", &datum_repr)
        .def(py::pickle([](const Tango::DbDatum &d) { return py::make_tuple(d.name, d.value_string); },
                        [](py::tuple t) {
                            Tango::DbDatum d(t[0].cast<std::string>());
                            d.value_string = t[1].cast<std::vector<std::string>>();
                            return d;
                        }));

    py::class_<Tango::DbDevInfo>(m, "DbDevInfo", "A device to add to the database: name, class, server.")
        .def(py::init([](std::string name, std::string klass, std::string server) {
                 Tango::DbDevInfo i;
                 i.name = std::move(name);
                 i._class = std::move(klass);
                 i.server = std::move(server);
                 return i;
             }),
             py::arg("name") = "", py::arg("klass") = "", py::arg("server") = "")
        .def_readwrite("name", &Tango::DbDevInfo::name)
        .def_readwrite("klass", &Tango::DbDevInfo::_class)
        .def_readwrite("_class", &Tango::DbDevInfo::_class)
        .def_readwrite("server", &Tango::DbDevInfo::server)
        .def("__str__", [](py::handle self) { return struct_str(self); }) // PyTango's block of fields
        .def("__repr__", [](const Tango::DbDevInfo &i) {
            return record_repr<Tango::DbDevInfo>("DbDevInfo", {{"klass", quoted(i._class)}, {"name", quoted(i.name)},
                                                               {"server", quoted(i.server)}});
        })
        .def(py::pickle([](const Tango::DbDevInfo &i) { return py::make_tuple(i.name, i._class, i.server); },
                        [](py::tuple t) {
                            Tango::DbDevInfo i;
                            i.name = t[0].cast<std::string>();
                            i._class = t[1].cast<std::string>();
                            i.server = t[2].cast<std::string>();
                            return i;
                        }));

    py::class_<Tango::DbDevImportInfo>(m, "DbDevImportInfo", "What the database knows to reach a device.")
        .def(py::init<>())
        .def_readwrite("name", &Tango::DbDevImportInfo::name)
        .def_readwrite("exported", &Tango::DbDevImportInfo::exported)
        .def_readwrite("ior", &Tango::DbDevImportInfo::ior)
        .def_readwrite("version", &Tango::DbDevImportInfo::version)
        .def("__str__", [](py::handle self) { return struct_str(self); }) // PyTango's block of fields
        .def("__repr__", [](const Tango::DbDevImportInfo &i) {
            return record_repr<Tango::DbDevImportInfo>(
                "DbDevImportInfo", {{"exported", std::to_string(i.exported)}, {"ior", quoted(i.ior)},
                                    {"name", quoted(i.name)}, {"version", quoted(i.version)}});
        });

    py::class_<Tango::DbDevFullInfo, Tango::DbDevImportInfo>(m, "DbDevFullInfo",
                                                             "A device's whole database record.")
        .def(py::init<>())
        .def_readwrite("class_name", &Tango::DbDevFullInfo::class_name)
        .def_readwrite("ds_full_name", &Tango::DbDevFullInfo::ds_full_name)
        .def_readwrite("host", &Tango::DbDevFullInfo::host)
        .def_readwrite("started_date", &Tango::DbDevFullInfo::started_date)
        .def_readwrite("stopped_date", &Tango::DbDevFullInfo::stopped_date)
        .def_readwrite("pid", &Tango::DbDevFullInfo::pid)
        .def("__str__", [](py::handle self) { return struct_str(self); }) // PyTango's block of fields
        .def("__repr__", [](const Tango::DbDevFullInfo &i) {
            return record_repr<Tango::DbDevFullInfo>(
                "DbDevFullInfo",
                {{"class_name", quoted(i.class_name)}, {"ds_full_name", quoted(i.ds_full_name)},
                 {"exported", std::to_string(i.exported)}, {"host", quoted(i.host)}, {"ior", quoted(i.ior)},
                 {"name", quoted(i.name)}, {"pid", std::to_string(i.pid)}, {"started_date", quoted(i.started_date)},
                 {"stopped_date", quoted(i.stopped_date)}, {"version", quoted(i.version)}});
        });

    py::class_<Tango::DbDevExportInfo>(m, "DbDevExportInfo", "A device exported by its server.")
        .def(py::init([](std::string name, std::string ior, std::string host, std::string version, int pid) {
                 Tango::DbDevExportInfo i;
                 i.name = std::move(name);
                 i.ior = std::move(ior);
                 i.host = std::move(host);
                 i.version = std::move(version);
                 i.pid = pid;
                 return i;
             }),
             py::arg("name") = "", py::arg("ior") = "", py::arg("host") = "", py::arg("version") = "",
             py::arg("pid") = 0)
        .def_readwrite("name", &Tango::DbDevExportInfo::name)
        .def_readwrite("ior", &Tango::DbDevExportInfo::ior)
        .def_readwrite("host", &Tango::DbDevExportInfo::host)
        .def_readwrite("version", &Tango::DbDevExportInfo::version)
        .def_readwrite("pid", &Tango::DbDevExportInfo::pid)
        .def("__str__", [](py::handle self) { return struct_str(self); }) // PyTango's block of fields
        .def("__repr__", [](const Tango::DbDevExportInfo &i) {
            return record_repr<Tango::DbDevExportInfo>(
                "DbDevExportInfo", {{"host", quoted(i.host)}, {"ior", quoted(i.ior)}, {"name", quoted(i.name)},
                                    {"pid", std::to_string(i.pid)}, {"version", quoted(i.version)}});
        });

    py::class_<Tango::DbServerInfo>(m, "DbServerInfo", "A server's start-up record (Starter): host, mode, level.")
        .def(py::init([](std::string name, std::string host, int mode, int level) {
                 Tango::DbServerInfo i;
                 i.name = std::move(name);
                 i.host = std::move(host);
                 i.mode = mode;
                 i.level = level;
                 return i;
             }),
             py::arg("name") = "", py::arg("host") = "", py::arg("mode") = 0, py::arg("level") = 0)
        .def_readwrite("name", &Tango::DbServerInfo::name)
        .def_readwrite("host", &Tango::DbServerInfo::host)
        .def_readwrite("mode", &Tango::DbServerInfo::mode)
        .def_readwrite("level", &Tango::DbServerInfo::level)
        .def("__str__", [](py::handle self) { return struct_str(self); }) // PyTango's block of fields
        .def("__repr__", [](const Tango::DbServerInfo &i) {
            return record_repr<Tango::DbServerInfo>("DbServerInfo",
                                                    {{"host", quoted(i.host)}, {"level", std::to_string(i.level)},
                                                     {"mode", std::to_string(i.mode)}, {"name", quoted(i.name)}});
        });

    // cppTango reads the date as a MySQL date (YYYY-MM-DD hh:mm:ss...): a shorter text is refused
    // before it reads past its end
    auto history_date = [](const std::string &date) {
        if (date.size() < 12) throw py::value_error("DbHistory: the date must be a MySQL date, not '" + date + "'");
        return date;
    };
    py::class_<Tango::DbHistory>(m, "DbHistory", "One change of a property, from the database's history.")
        .def(py::init([history_date](std::string name, std::string date, std::vector<std::string> values) {
                 return Tango::DbHistory(name, history_date(date), values);
             }),
             py::arg("name"), py::arg("date"), py::arg("values"))
        .def(py::init([history_date](std::string name, std::string attr, std::string date,
                                     std::vector<std::string> values) {
                 return Tango::DbHistory(name, attr, history_date(date), values);
             }),
             py::arg("name"), py::arg("attr_name"), py::arg("date"), py::arg("values"))
        .def("get_name", &Tango::DbHistory::get_name)
        .def("get_attribute_name", &Tango::DbHistory::get_attribute_name)
        .def("get_date", &Tango::DbHistory::get_date)
        .def("get_value", &Tango::DbHistory::get_value)
        .def("is_deleted", &Tango::DbHistory::is_deleted)
        .def("__repr__", [](Tango::DbHistory &h) {
            Tango::DbDatum v = h.get_value();
            return record_repr<Tango::DbHistory>(
                "DbHistory", {{"attribute_name", quoted(h.get_attribute_name())}, {"date", quoted(h.get_date())},
                              {"deleted", h.is_deleted() ? "True" : "False"}, {"name", quoted(h.get_name())},
                              {"value", list_repr(v.value_string)}});
        });
}

} // namespace pt
