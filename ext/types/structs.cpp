// Passive data structures of the client API, bound straight onto cppTango's own structs so that
// what is read can be modified and written back (get/set_attribute_config) without a copy step.
//
// Every struct prints in PyTango's formats (convert/record.hpp: struct_repr, struct_str), and
// the info structs compare by value and pickle (value_semantics).
#include "pytango.hpp"

#include <cmath>
#include "convert/record.hpp"

#include <chrono>

namespace pt {

namespace {

// __eq__ over the named fields (so __hash__ is None: the structs are mutable), and pickling as
// the tuple of those fields, restored by setting them on a new T in order.
template <class T, class Cls>
Cls &value_semantics(Cls &cls, std::vector<const char *> fields, bool formats = true) {
    cls.def("__eq__", [fields](py::handle a, py::handle b) -> py::object {
        if (!py::isinstance(b, py::type::handle_of(a))) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
        for (const char *f : fields)
            if (!a.attr(f).equal(b.attr(f))) return py::bool_(false);
        return py::bool_(true);
    }, py::is_operator());
    cls.def(py::pickle(
        [fields](py::handle self) {
            py::tuple state(fields.size());
            for (size_t i = 0; i < fields.size(); ++i) state[i] = self.attr(fields[i]);
            return state;
        },
        [fields](py::tuple state) {
            if (state.size() != fields.size())
                throw py::value_error("cannot unpickle " + py::type::of<T>().attr("__name__").template cast<std::string>() +
                                      ": expected " + std::to_string(fields.size()) + " fields, got " +
                                      std::to_string(state.size()));
            py::object o = py::cast(T{});
            for (size_t i = 0; i < fields.size(); ++i) o.attr(fields[i]) = state[i];
            return o.template cast<T>();
        }));
    return formats ? with_struct_format(cls) : cls;
}

const std::vector<const char *> kAttrConfigFields = {
    "name", "writable", "data_format", "data_type", "max_dim_x", "max_dim_y", "description", "label", "unit",
    "standard_unit", "display_unit", "format", "min_value", "max_value", "min_alarm", "max_alarm",
    "writable_attr_name", "extensions"};

std::vector<const char *> plus(std::vector<const char *> a, const std::vector<const char *> &b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

double timeval_seconds(const Tango::TimeVal &t) {
    return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6 + t.tv_nsec * 1e-9;
}

Tango::TimeVal timeval_from_seconds(double ts) {
    Tango::TimeVal t;
    double sec = std::floor(ts);
    t.tv_sec = static_cast<CORBA::Long>(sec);
    t.tv_usec = static_cast<CORBA::Long>(std::llround((ts - sec) * 1e6));
    if (t.tv_usec >= 1000000) { t.tv_sec += 1; t.tv_usec -= 1000000; }
    t.tv_nsec = 0;
    return t;
}

} // namespace

void register_structs(py::module_ &m) {
    py::class_<Tango::TimeVal> time_val(m, "TimeVal");
    time_val
        .def(py::init([](long sec, long usec, long nsec) {
                 Tango::TimeVal t;
                 t.tv_sec = sec; t.tv_usec = usec; t.tv_nsec = nsec;
                 return t;
             }),
             py::arg("tv_sec") = 0, py::arg("tv_usec") = 0, py::arg("tv_nsec") = 0)
        // seconds since the epoch as a float (the fraction down to the nanosecond), or a
        // datetime (naive: local time), as PyTango's
        .def(py::init([](double seconds) {
                 if (!std::isfinite(seconds)) throw py::value_error("TimeVal: the time must be finite");
                 Tango::TimeVal t;
                 const double whole = std::floor(seconds);
                 const long long ns = std::llround((seconds - whole) * 1e9);
                 t.tv_sec = static_cast<long>(whole) + static_cast<long>(ns / 1000000000);
                 t.tv_usec = static_cast<long>((ns % 1000000000) / 1000);
                 t.tv_nsec = static_cast<long>(ns % 1000);
                 return t;
             }),
             py::arg("seconds"))
        .def(py::init([](py::object dt) {
                 py::module_ datetime = py::module_::import("datetime");
                 if (!py::isinstance(dt, datetime.attr("datetime"))) {
                     throw py::type_error("TimeVal() takes seconds (int, float), a datetime, or (tv_sec, tv_usec, tv_nsec)");
                 }
                 Tango::TimeVal t;
                 t.tv_sec = static_cast<long>(std::floor(dt.attr("replace")(py::arg("microsecond") = 0)
                                                             .attr("timestamp")().cast<double>()));
                 t.tv_usec = dt.attr("microsecond").cast<long>();
                 t.tv_nsec = 0;
                 return t;
             }),
             py::arg("dt"))
        .def_readwrite("tv_sec", &Tango::TimeVal::tv_sec)
        .def_readwrite("tv_usec", &Tango::TimeVal::tv_usec)
        .def_readwrite("tv_nsec", &Tango::TimeVal::tv_nsec)
        .def("totime", &timeval_seconds, "Seconds since the epoch, as a float.")
        .def("todatetime", [](const Tango::TimeVal &t) {
            return py::module_::import("datetime").attr("datetime").attr("fromtimestamp")(timeval_seconds(t));
        }, "A naive local datetime.datetime.")
        .def("isoformat", [](const Tango::TimeVal &t, const std::string &sep) {
            return py::module_::import("datetime").attr("datetime").attr("fromtimestamp")(timeval_seconds(t))
                .attr("isoformat")(sep);
        }, py::arg("sep") = "T")
        .def("strftime", [](const Tango::TimeVal &t, const std::string &fmt) {
            return py::module_::import("datetime").attr("datetime").attr("fromtimestamp")(timeval_seconds(t))
                .attr("strftime")(fmt);
        }, py::arg("format"))
        .def("__float__", &timeval_seconds)
        .def("__lt__", [](const Tango::TimeVal &a, const Tango::TimeVal &b) {
            return timeval_seconds(a) < timeval_seconds(b);
        })
        .def_static("fromtimestamp", &timeval_from_seconds, py::arg("ts"))
        .def_static("fromdatetime", [](py::handle dt) {
            return timeval_from_seconds(dt.attr("timestamp")().cast<double>());
        }, py::arg("dt"))
        .def_static("now", [] {
            auto now = std::chrono::system_clock::now().time_since_epoch();
            auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
            Tango::TimeVal t;
            t.tv_sec = static_cast<CORBA::Long>(us / 1000000);
            t.tv_usec = static_cast<CORBA::Long>(us % 1000000);
            t.tv_nsec = 0;
            return t;
        })
        ;
    // str is the date (as PyTango's); nested in a struct's str it prints with its repr
    value_semantics<Tango::TimeVal>(time_val, {"tv_sec", "tv_usec", "tv_nsec"}, false);
    time_val.def("__repr__", [](py::handle self) { return struct_repr(self); });
    time_val.def("__str__", [](const Tango::TimeVal &t) {
        return py::str(py::module_::import("datetime").attr("datetime").attr("fromtimestamp")(timeval_seconds(t)));
    });

    py::class_<Tango::DeviceInfo> device_info(m, "DeviceInfo");
    device_info
        .def(py::init<>())
        .def_readwrite("dev_class", &Tango::DeviceInfo::dev_class)
        .def_readwrite("server_id", &Tango::DeviceInfo::server_id)
        .def_readwrite("server_host", &Tango::DeviceInfo::server_host)
        .def_readwrite("server_version", &Tango::DeviceInfo::server_version)
        .def_readwrite("doc_url", &Tango::DeviceInfo::doc_url)
        .def_readwrite("dev_type", &Tango::DeviceInfo::dev_type)
        .def_property_readonly("version_info", [](const Tango::DeviceInfo &i) {
            // the versions a server declares (cppTango 10's add_version_info); none before it
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
            return py::dict(py::cast(i.version_info));
#else
            (void)i;
            return py::dict();
#endif
        });
    value_semantics<Tango::DeviceInfo>(device_info, {"dev_class", "server_id", "server_host", "server_version",
                                                     "doc_url", "dev_type"});

    py::class_<Tango::LockerInfo> locker_info(m, "LockerInfo");
    locker_info
        .def(py::init<>())
        .def_readwrite("ll", &Tango::LockerInfo::ll)
        .def_property_readonly("li", [](const Tango::LockerInfo &l) -> py::object {
            if (l.ll == Tango::CPP) return py::int_(l.li.LockerPid);
            py::list uuid;
            for (int i = 0; i < 4; ++i) uuid.append(l.li.UUID[i]);
            return py::tuple(uuid);
        })
        .def_readwrite("locker_host", &Tango::LockerInfo::locker_host)
        .def_readwrite("locker_class", &Tango::LockerInfo::locker_class);
    with_struct_format(locker_info);

    py::class_<Tango::AttributeDimension> dimension(m, "AttributeDimension");
    dimension
        .def(py::init<>())
        .def_readwrite("dim_x", &Tango::AttributeDimension::dim_x)
        .def_readwrite("dim_y", &Tango::AttributeDimension::dim_y);
    value_semantics<Tango::AttributeDimension>(dimension, {"dim_x", "dim_y"});

    py::class_<Tango::DevCommandInfo> dev_command_info(m, "DevCommandInfo");
    dev_command_info
        .def(py::init<>())
        .def_readwrite("cmd_name", &Tango::DevCommandInfo::cmd_name)
        .def_readwrite("cmd_tag", &Tango::DevCommandInfo::cmd_tag)
        .def_property("in_type",
                      [](const Tango::DevCommandInfo &c) { return static_cast<Tango::CmdArgType>(c.in_type); },
                      [](Tango::DevCommandInfo &c, Tango::CmdArgType t) { c.in_type = t; })
        .def_property("out_type",
                      [](const Tango::DevCommandInfo &c) { return static_cast<Tango::CmdArgType>(c.out_type); },
                      [](Tango::DevCommandInfo &c, Tango::CmdArgType t) { c.out_type = t; })
        .def_readwrite("in_type_desc", &Tango::DevCommandInfo::in_type_desc)
        .def_readwrite("out_type_desc", &Tango::DevCommandInfo::out_type_desc);
    const std::vector<const char *> command_fields = {"cmd_name", "cmd_tag", "in_type", "out_type",
                                                      "in_type_desc", "out_type_desc"};
    value_semantics<Tango::DevCommandInfo>(dev_command_info, command_fields);

    py::class_<Tango::CommandInfo, Tango::DevCommandInfo> command_info(m, "CommandInfo");
    command_info
        .def(py::init<>())
        .def_readwrite("disp_level", &Tango::CommandInfo::disp_level);
    value_semantics<Tango::CommandInfo>(command_info, plus(command_fields, {"disp_level"}));

    py::class_<Tango::DeviceAttributeConfig> attr_config(m, "DeviceAttributeConfig");
    attr_config
        .def(py::init<>())
        .def_readwrite("name", &Tango::DeviceAttributeConfig::name)
        .def_readwrite("writable", &Tango::DeviceAttributeConfig::writable)
        .def_readwrite("data_format", &Tango::DeviceAttributeConfig::data_format)
        .def_property("data_type",
                      [](const Tango::DeviceAttributeConfig &c) { return static_cast<Tango::CmdArgType>(c.data_type); },
                      [](Tango::DeviceAttributeConfig &c, int t) { c.data_type = t; })
        .def_readwrite("max_dim_x", &Tango::DeviceAttributeConfig::max_dim_x)
        .def_readwrite("max_dim_y", &Tango::DeviceAttributeConfig::max_dim_y)
        .def_readwrite("description", &Tango::DeviceAttributeConfig::description)
        .def_readwrite("label", &Tango::DeviceAttributeConfig::label)
        .def_readwrite("unit", &Tango::DeviceAttributeConfig::unit)
        .def_readwrite("standard_unit", &Tango::DeviceAttributeConfig::standard_unit)
        .def_readwrite("display_unit", &Tango::DeviceAttributeConfig::display_unit)
        .def_readwrite("format", &Tango::DeviceAttributeConfig::format)
        .def_readwrite("min_value", &Tango::DeviceAttributeConfig::min_value)
        .def_readwrite("max_value", &Tango::DeviceAttributeConfig::max_value)
        .def_readwrite("min_alarm", &Tango::DeviceAttributeConfig::min_alarm)
        .def_readwrite("max_alarm", &Tango::DeviceAttributeConfig::max_alarm)
        .def_readwrite("writable_attr_name", &Tango::DeviceAttributeConfig::writable_attr_name)
        .def_readwrite("extensions", &Tango::DeviceAttributeConfig::extensions);
    value_semantics<Tango::DeviceAttributeConfig>(attr_config, kAttrConfigFields);

    py::class_<Tango::AttributeInfo, Tango::DeviceAttributeConfig> attr_info(m, "AttributeInfo");
    attr_info
        .def(py::init<>())
        .def_readwrite("disp_level", &Tango::AttributeInfo::disp_level);
    value_semantics<Tango::AttributeInfo>(attr_info, plus(kAttrConfigFields, {"disp_level"}));

    py::class_<Tango::AttributeAlarmInfo> alarm_info(m, "AttributeAlarmInfo");
    alarm_info
        .def(py::init<>())
        .def_readwrite("min_alarm", &Tango::AttributeAlarmInfo::min_alarm)
        .def_readwrite("max_alarm", &Tango::AttributeAlarmInfo::max_alarm)
        .def_readwrite("min_warning", &Tango::AttributeAlarmInfo::min_warning)
        .def_readwrite("max_warning", &Tango::AttributeAlarmInfo::max_warning)
        .def_readwrite("delta_t", &Tango::AttributeAlarmInfo::delta_t)
        .def_readwrite("delta_val", &Tango::AttributeAlarmInfo::delta_val)
        .def_readwrite("extensions", &Tango::AttributeAlarmInfo::extensions);
    value_semantics<Tango::AttributeAlarmInfo>(alarm_info, {"min_alarm", "max_alarm", "min_warning", "max_warning",
                                                            "delta_t", "delta_val", "extensions"});

    py::class_<Tango::ChangeEventInfo> change_info(m, "ChangeEventInfo");
    change_info
        .def(py::init<>())
        .def_readwrite("rel_change", &Tango::ChangeEventInfo::rel_change)
        .def_readwrite("abs_change", &Tango::ChangeEventInfo::abs_change)
        .def_readwrite("extensions", &Tango::ChangeEventInfo::extensions);
    value_semantics<Tango::ChangeEventInfo>(change_info, {"rel_change", "abs_change", "extensions"});

    py::class_<Tango::PeriodicEventInfo> periodic_info(m, "PeriodicEventInfo");
    periodic_info
        .def(py::init<>())
        .def_readwrite("period", &Tango::PeriodicEventInfo::period)
        .def_readwrite("extensions", &Tango::PeriodicEventInfo::extensions);
    value_semantics<Tango::PeriodicEventInfo>(periodic_info, {"period", "extensions"});

    py::class_<Tango::ArchiveEventInfo> archive_info(m, "ArchiveEventInfo");
    archive_info
        .def(py::init<>())
        .def_readwrite("archive_rel_change", &Tango::ArchiveEventInfo::archive_rel_change)
        .def_readwrite("archive_abs_change", &Tango::ArchiveEventInfo::archive_abs_change)
        .def_readwrite("archive_period", &Tango::ArchiveEventInfo::archive_period)
        .def_readwrite("extensions", &Tango::ArchiveEventInfo::extensions);
    value_semantics<Tango::ArchiveEventInfo>(archive_info, {"archive_rel_change", "archive_abs_change",
                                                            "archive_period", "extensions"});

    py::class_<Tango::AttributeEventInfo> event_info(m, "AttributeEventInfo");
    event_info
        .def(py::init<>())
        .def_readwrite("ch_event", &Tango::AttributeEventInfo::ch_event)
        .def_readwrite("per_event", &Tango::AttributeEventInfo::per_event)
        .def_readwrite("arch_event", &Tango::AttributeEventInfo::arch_event);
    value_semantics<Tango::AttributeEventInfo>(event_info, {"ch_event", "per_event", "arch_event"});

    py::native_enum<Tango::AttrMemorizedType>(m, "AttrMemorizedType", "tango._enum_base.TangoEnum")
        .value("NOT_KNOWN", Tango::NOT_KNOWN).value("NONE", Tango::NONE)
        .value("MEMORIZED", Tango::MEMORIZED).value("MEMORIZED_WRITE_INIT", Tango::MEMORIZED_WRITE_INIT)
        .finalize();

    py::class_<Tango::AttributeInfoEx, Tango::AttributeInfo> attr_info_ex(m, "AttributeInfoEx");
    attr_info_ex
        .def(py::init<>())
        .def_readwrite("root_attr_name", &Tango::AttributeInfoEx::root_attr_name)
        .def_readwrite("memorized", &Tango::AttributeInfoEx::memorized)
        .def_readwrite("enum_labels", &Tango::AttributeInfoEx::enum_labels)
        .def_readwrite("alarms", &Tango::AttributeInfoEx::alarms)
        .def_readwrite("events", &Tango::AttributeInfoEx::events)
        .def_readwrite("sys_extensions", &Tango::AttributeInfoEx::sys_extensions);
    value_semantics<Tango::AttributeInfoEx>(attr_info_ex, plus(kAttrConfigFields, {
        "disp_level", "root_attr_name", "memorized", "enum_labels", "alarms", "events", "sys_extensions"}));

    py::class_<Tango::PipeInfo> pipe_info(m, "PipeInfo");
    pipe_info
        .def(py::init<>())
        .def_readwrite("name", &Tango::PipeInfo::name)
        .def_readwrite("description", &Tango::PipeInfo::description)
        .def_readwrite("label", &Tango::PipeInfo::label)
        .def_readwrite("disp_level", &Tango::PipeInfo::disp_level)
        .def_readwrite("writable", &Tango::PipeInfo::writable)
        .def_readwrite("extensions", &Tango::PipeInfo::extensions);
    value_semantics<Tango::PipeInfo>(pipe_info, {"name", "description", "label", "disp_level", "writable",
                                                 "extensions"});

    m.def("_struct_types", &struct_type_list,
          "The types printed as structs (PyTango's pytango_pprint._STRUCT_TYPES), once the module is loaded.");
}

} // namespace pt
