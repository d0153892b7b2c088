// The attribute configuration structs of the Tango IDL (AttributeConfig, AttributeConfig_2, _3,
// _5 and the alarm and event parts they hold), bound in place on cppTango's own structs under
// PyTango's names: what a device reads with get_attribute_config* is the CORBA struct itself, so
// it is changed field by field and given back to set_attribute_config* without a conversion step.
//
// Fields are what the IDL says: CORBA strings are str (Latin-1), string sequences lists of str
// (a new list on each read: assign the whole list to change it), the enums Python enums,
// data_type an int, nested structs references into their parent (config.att_alarm.min_alarm = "1"
// changes config). As in PyTango they print in its struct formats, compare by identity and do not
// pickle; copy.copy and copy.deepcopy make an independent copy.
#include "pytango.hpp"
#include "convert/record.hpp"
#include "convert/scalar.hpp"
#include "types/attribute_config.hpp"

namespace pt {

py::list string_array_to_py(const Tango::DevVarStringArray &seq) {
    py::list out(seq.length());
    for (CORBA::ULong i = 0; i < seq.length(); ++i) out[i] = latin1_to_py(seq[i].in());
    return out;
}

Tango::DevVarStringArray string_array_from_py(py::handle o, const char *what) {
    if (PyUnicode_Check(o.ptr()) || PyBytes_Check(o.ptr()) || !py::isinstance<py::iterable>(o)) {
        throw py::type_error(py::str("{} must be a list of str, not {}")
                                 .format(what, py::type::handle_of(o).attr("__name__"))
                                 .cast<std::string>());
    }
    std::vector<std::string> items;
    for (auto item : o) items.push_back(bytes_from_py(item, "a str"));
    Tango::DevVarStringArray out;
    out.length(static_cast<CORBA::ULong>(items.size()));
    for (size_t i = 0; i < items.size(); ++i) out[static_cast<CORBA::ULong>(i)] = CORBA::string_dup(items[i].c_str());
    return out;
}

namespace {

template <class T>
class Fields {
public:
    Fields(py::module_ &m, const char *name, const char *doc) : cls_(m, name, doc) {
        cls_.def(py::init<>());
        // the copy constructor of a CORBA struct duplicates its strings and sequences
        cls_.def("__copy__", [](const T &s) { return T(s); });
        cls_.def("__deepcopy__", [](const T &s, py::handle) { return T(s); }, py::arg("memo"));
    }

    Fields &str(const char *name, CORBA::String_member T::*field) {
        cls_.def_property(
            name, [field](const T &s) { return latin1_to_py((s.*field).in()); },
            [field](T &s, py::handle v) { s.*field = CORBA::string_dup(bytes_from_py(v, "a str").c_str()); });
        return *this;
    }

    Fields &strings(const char *name, Tango::DevVarStringArray T::*field) {
        cls_.def_property(
            name, [field](const T &s) { return string_array_to_py(s.*field); },
            [field, name](T &s, py::handle v) { s.*field = string_array_from_py(v, name); });
        return *this;
    }

    // enums, booleans, nested structs (a reference into the parent)
    template <class V>
    Fields &plain(const char *name, V T::*field) {
        cls_.def_readwrite(name, field);
        return *this;
    }

    // The fields every AttributeConfig* has.
    Fields &common() {
        str("name", &T::name);
        plain("writable", &T::writable);
        plain("data_format", &T::data_format);
        plain("data_type", &T::data_type);
        plain("max_dim_x", &T::max_dim_x);
        plain("max_dim_y", &T::max_dim_y);
        str("description", &T::description);
        str("label", &T::label);
        str("unit", &T::unit);
        str("standard_unit", &T::standard_unit);
        str("display_unit", &T::display_unit);
        str("format", &T::format);
        str("min_value", &T::min_value);
        str("max_value", &T::max_value);
        str("writable_attr_name", &T::writable_attr_name);
        strings("extensions", &T::extensions);
        return *this;
    }

    void done() { with_struct_format(cls_); }

private:
    py::class_<T> cls_;
};

} // namespace

void register_attribute_config(py::module_ &m) {
    Fields<Tango::AttributeAlarm>(m, "AttributeAlarm",
                                  "The alarm part of an AttributeConfig_3/_5: alarm and warning limits, RDS "
                                  "alarm (delta_t, delta_val), all as strings.")
        .str("min_alarm", &Tango::AttributeAlarm::min_alarm)
        .str("max_alarm", &Tango::AttributeAlarm::max_alarm)
        .str("min_warning", &Tango::AttributeAlarm::min_warning)
        .str("max_warning", &Tango::AttributeAlarm::max_warning)
        .str("delta_t", &Tango::AttributeAlarm::delta_t)
        .str("delta_val", &Tango::AttributeAlarm::delta_val)
        .strings("extensions", &Tango::AttributeAlarm::extensions)
        .done();

    Fields<Tango::ChangeEventProp>(m, "ChangeEventProp", "The change event criteria of an attribute (strings).")
        .str("rel_change", &Tango::ChangeEventProp::rel_change)
        .str("abs_change", &Tango::ChangeEventProp::abs_change)
        .strings("extensions", &Tango::ChangeEventProp::extensions)
        .done();

    Fields<Tango::PeriodicEventProp>(m, "PeriodicEventProp", "The periodic event period of an attribute (ms, a string).")
        .str("period", &Tango::PeriodicEventProp::period)
        .strings("extensions", &Tango::PeriodicEventProp::extensions)
        .done();

    Fields<Tango::ArchiveEventProp>(m, "ArchiveEventProp", "The archive event criteria and period of an attribute (strings).")
        .str("rel_change", &Tango::ArchiveEventProp::rel_change)
        .str("abs_change", &Tango::ArchiveEventProp::abs_change)
        .str("period", &Tango::ArchiveEventProp::period)
        .strings("extensions", &Tango::ArchiveEventProp::extensions)
        .done();

    Fields<Tango::EventProperties>(m, "EventProperties",
                                   "The event part of an AttributeConfig_3/_5: change, periodic and archive.")
        .plain("ch_event", &Tango::EventProperties::ch_event)
        .plain("per_event", &Tango::EventProperties::per_event)
        .plain("arch_event", &Tango::EventProperties::arch_event)
        .done();

    Fields<Tango::AttributeConfig>(m, "AttributeConfig",
                                   "An attribute's configuration in the first form of the IDL "
                                   "(DeviceImpl.get_attribute_config / set_attribute_config).")
        .common()
        .str("min_alarm", &Tango::AttributeConfig::min_alarm)
        .str("max_alarm", &Tango::AttributeConfig::max_alarm)
        .done();

    Fields<Tango::AttributeConfig_2>(m, "AttributeConfig_2",
                                     "An attribute's configuration in the IDL 2 form: AttributeConfig and the "
                                     "display level (DeviceImpl.get_attribute_config_2).")
        .common()
        .str("min_alarm", &Tango::AttributeConfig_2::min_alarm)
        .str("max_alarm", &Tango::AttributeConfig_2::max_alarm)
        .plain("level", &Tango::AttributeConfig_2::level)
        .done();

    Fields<Tango::AttributeConfig_3>(m, "AttributeConfig_3",
                                     "An attribute's configuration in the IDL 3 form: the alarms in att_alarm, "
                                     "the event criteria in event_prop (DeviceImpl.get_attribute_config_3 / "
                                     "set_attribute_config_3, Attribute.set_upd_properties).")
        .common()
        .plain("level", &Tango::AttributeConfig_3::level)
        .plain("att_alarm", &Tango::AttributeConfig_3::att_alarm)
        .plain("event_prop", &Tango::AttributeConfig_3::event_prop)
        .strings("sys_extensions", &Tango::AttributeConfig_3::sys_extensions)
        .done();

    Fields<Tango::AttributeConfig_5>(m, "AttributeConfig_5",
                                     "An attribute's configuration in the IDL 5 form: AttributeConfig_3 with the "
                                     "memorized flags, the root attribute of a forwarded one and the enum labels.")
        .common()
        .plain("memorized", &Tango::AttributeConfig_5::memorized)
        .plain("mem_init", &Tango::AttributeConfig_5::mem_init)
        .plain("level", &Tango::AttributeConfig_5::level)
        .str("root_attr_name", &Tango::AttributeConfig_5::root_attr_name)
        .strings("enum_labels", &Tango::AttributeConfig_5::enum_labels)
        .plain("att_alarm", &Tango::AttributeConfig_5::att_alarm)
        .plain("event_prop", &Tango::AttributeConfig_5::event_prop)
        .strings("sys_extensions", &Tango::AttributeConfig_5::sys_extensions)
        .done();
}

} // namespace pt
