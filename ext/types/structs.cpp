// Passive data structures of the client API, bound straight onto cppTango's own structs so that
// what is read can be modified and written back (get/set_attribute_config) without a copy step.
#include "pytango.hpp"

#include <chrono>

namespace pt {

namespace {

// repr listing the named fields, e.g. CommandInfo(cmd_name='Init', ...).
auto fields_repr(std::string type_name, std::vector<std::string> fields) {
    return [type_name, fields](py::handle self) {
        std::string s = type_name + "(";
        for (size_t i = 0; i < fields.size(); ++i) {
            if (i) s += ", ";
            s += fields[i] + "=" + py::repr(self.attr(fields[i].c_str())).cast<std::string>();
        }
        return s + ")";
    };
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
    py::class_<Tango::TimeVal>(m, "TimeVal")
        .def(py::init([](long sec, long usec, long nsec) {
                 Tango::TimeVal t;
                 t.tv_sec = sec; t.tv_usec = usec; t.tv_nsec = nsec;
                 return t;
             }),
             py::arg("tv_sec") = 0, py::arg("tv_usec") = 0, py::arg("tv_nsec") = 0)
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
        .def("__eq__", [](const Tango::TimeVal &a, const Tango::TimeVal &b) {
            return a.tv_sec == b.tv_sec && a.tv_usec == b.tv_usec && a.tv_nsec == b.tv_nsec;
        })
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
        .def("__repr__", fields_repr("TimeVal", {"tv_sec", "tv_usec", "tv_nsec"}))
        .def("__str__", [](const Tango::TimeVal &t) {
            return py::str(py::module_::import("datetime").attr("datetime").attr("fromtimestamp")(timeval_seconds(t)));
        });

    py::class_<Tango::DeviceInfo>(m, "DeviceInfo")
        .def(py::init<>())
        .def_readwrite("dev_class", &Tango::DeviceInfo::dev_class)
        .def_readwrite("server_id", &Tango::DeviceInfo::server_id)
        .def_readwrite("server_host", &Tango::DeviceInfo::server_host)
        .def_readwrite("server_version", &Tango::DeviceInfo::server_version)
        .def_readwrite("doc_url", &Tango::DeviceInfo::doc_url)
        .def_readwrite("dev_type", &Tango::DeviceInfo::dev_type)
        .def("__repr__", fields_repr("DeviceInfo", {"dev_class", "server_id", "server_host",
                                                    "server_version", "doc_url", "dev_type"}));

    py::class_<Tango::LockerInfo>(m, "LockerInfo")
        .def(py::init<>())
        .def_readwrite("ll", &Tango::LockerInfo::ll)
        .def_property_readonly("li", [](const Tango::LockerInfo &l) -> py::object {
            if (l.ll == Tango::CPP) return py::int_(l.li.LockerPid);
            py::list uuid;
            for (int i = 0; i < 4; ++i) uuid.append(l.li.UUID[i]);
            return py::tuple(uuid);
        })
        .def_readwrite("locker_host", &Tango::LockerInfo::locker_host)
        .def_readwrite("locker_class", &Tango::LockerInfo::locker_class)
        .def("__repr__", fields_repr("LockerInfo", {"ll", "li", "locker_host", "locker_class"}));

    py::class_<Tango::AttributeDimension>(m, "AttributeDimension")
        .def(py::init<>())
        .def_readwrite("dim_x", &Tango::AttributeDimension::dim_x)
        .def_readwrite("dim_y", &Tango::AttributeDimension::dim_y)
        .def("__repr__", fields_repr("AttributeDimension", {"dim_x", "dim_y"}));

    py::class_<Tango::DevCommandInfo>(m, "DevCommandInfo")
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

    py::class_<Tango::CommandInfo, Tango::DevCommandInfo>(m, "CommandInfo")
        .def(py::init<>())
        .def_readwrite("disp_level", &Tango::CommandInfo::disp_level)
        .def("__repr__", fields_repr("CommandInfo", {"cmd_name", "cmd_tag", "in_type", "out_type",
                                                     "in_type_desc", "out_type_desc", "disp_level"}));

    py::class_<Tango::DeviceAttributeConfig>(m, "DeviceAttributeConfig")
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

    py::class_<Tango::AttributeInfo, Tango::DeviceAttributeConfig>(m, "AttributeInfo")
        .def(py::init<>())
        .def_readwrite("disp_level", &Tango::AttributeInfo::disp_level);

    py::class_<Tango::AttributeAlarmInfo>(m, "AttributeAlarmInfo")
        .def(py::init<>())
        .def_readwrite("min_alarm", &Tango::AttributeAlarmInfo::min_alarm)
        .def_readwrite("max_alarm", &Tango::AttributeAlarmInfo::max_alarm)
        .def_readwrite("min_warning", &Tango::AttributeAlarmInfo::min_warning)
        .def_readwrite("max_warning", &Tango::AttributeAlarmInfo::max_warning)
        .def_readwrite("delta_t", &Tango::AttributeAlarmInfo::delta_t)
        .def_readwrite("delta_val", &Tango::AttributeAlarmInfo::delta_val)
        .def_readwrite("extensions", &Tango::AttributeAlarmInfo::extensions)
        .def("__repr__", fields_repr("AttributeAlarmInfo", {"min_alarm", "max_alarm", "min_warning",
                                                            "max_warning", "delta_t", "delta_val"}));

    py::class_<Tango::ChangeEventInfo>(m, "ChangeEventInfo")
        .def(py::init<>())
        .def_readwrite("rel_change", &Tango::ChangeEventInfo::rel_change)
        .def_readwrite("abs_change", &Tango::ChangeEventInfo::abs_change)
        .def_readwrite("extensions", &Tango::ChangeEventInfo::extensions)
        .def("__repr__", fields_repr("ChangeEventInfo", {"rel_change", "abs_change"}));

    py::class_<Tango::PeriodicEventInfo>(m, "PeriodicEventInfo")
        .def(py::init<>())
        .def_readwrite("period", &Tango::PeriodicEventInfo::period)
        .def_readwrite("extensions", &Tango::PeriodicEventInfo::extensions)
        .def("__repr__", fields_repr("PeriodicEventInfo", {"period"}));

    py::class_<Tango::ArchiveEventInfo>(m, "ArchiveEventInfo")
        .def(py::init<>())
        .def_readwrite("archive_rel_change", &Tango::ArchiveEventInfo::archive_rel_change)
        .def_readwrite("archive_abs_change", &Tango::ArchiveEventInfo::archive_abs_change)
        .def_readwrite("archive_period", &Tango::ArchiveEventInfo::archive_period)
        .def_readwrite("extensions", &Tango::ArchiveEventInfo::extensions)
        .def("__repr__", fields_repr("ArchiveEventInfo", {"archive_rel_change", "archive_abs_change",
                                                          "archive_period"}));

    py::class_<Tango::AttributeEventInfo>(m, "AttributeEventInfo")
        .def(py::init<>())
        .def_readwrite("ch_event", &Tango::AttributeEventInfo::ch_event)
        .def_readwrite("per_event", &Tango::AttributeEventInfo::per_event)
        .def_readwrite("arch_event", &Tango::AttributeEventInfo::arch_event)
        .def("__repr__", fields_repr("AttributeEventInfo", {"ch_event", "per_event", "arch_event"}));

    py::native_enum<Tango::AttrMemorizedType>(m, "AttrMemorizedType", "tango._enum_base.TangoEnum")
        .value("NOT_KNOWN", Tango::NOT_KNOWN).value("NONE", Tango::NONE)
        .value("MEMORIZED", Tango::MEMORIZED).value("MEMORIZED_WRITE_INIT", Tango::MEMORIZED_WRITE_INIT)
        .finalize();

    py::class_<Tango::AttributeInfoEx, Tango::AttributeInfo>(m, "AttributeInfoEx")
        .def(py::init<>())
        .def_readwrite("root_attr_name", &Tango::AttributeInfoEx::root_attr_name)
        .def_readwrite("memorized", &Tango::AttributeInfoEx::memorized)
        .def_readwrite("enum_labels", &Tango::AttributeInfoEx::enum_labels)
        .def_readwrite("alarms", &Tango::AttributeInfoEx::alarms)
        .def_readwrite("events", &Tango::AttributeInfoEx::events)
        .def_readwrite("sys_extensions", &Tango::AttributeInfoEx::sys_extensions)
        .def("__repr__", fields_repr("AttributeInfoEx", {
            "name", "writable", "data_format", "data_type", "max_dim_x", "max_dim_y", "description",
            "label", "unit", "standard_unit", "display_unit", "format", "min_value", "max_value",
            "min_alarm", "max_alarm", "writable_attr_name", "disp_level", "root_attr_name",
            "memorized", "enum_labels", "alarms", "events"}));

    py::class_<Tango::PipeInfo>(m, "PipeInfo")
        .def(py::init<>())
        .def_readwrite("name", &Tango::PipeInfo::name)
        .def_readwrite("description", &Tango::PipeInfo::description)
        .def_readwrite("label", &Tango::PipeInfo::label)
        .def_readwrite("disp_level", &Tango::PipeInfo::disp_level)
        .def_readwrite("writable", &Tango::PipeInfo::writable)
        .def_readwrite("extensions", &Tango::PipeInfo::extensions);
}

} // namespace pt
