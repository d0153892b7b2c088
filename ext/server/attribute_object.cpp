// tango.Attribute, tango.WAttribute, tango.MultiAttribute and tango.MultiAttrProp: a device's
// own attributes, reached from its methods (self.get_device_attr()) or handed to
// `read_x(self, attr)` / `write_x(self, attr)`.
#include "pytango.hpp"
#include "server/attribute_object.hpp"
#include "server/request_buffers.hpp"
#include "convert/exceptions.hpp"
#include "convert/sequence.hpp"
#include "convert/server_attribute.hpp"

#include <optional>

namespace pt {

namespace {

[[noreturn]] void throw_gone(const std::string &name) {
    Tango::Except::throw_exception("PyDs_DeviceDeleted",
                                   "The device of attribute " + name + " no longer exists (an Attribute object "
                                   "is valid as long as its device)",
                                   "pytango Attribute");
}

bool is_writable_object(Tango::Attribute &att) { return dynamic_cast<Tango::WAttribute *>(&att) != nullptr; }

// cppTango's attribute configuration monitor, as cppTango takes it in its own getters and setters
// (not while the server or the device is starting: then no request can run).
Tango::TangoMonitor *att_conf_monitor(PyDevice &dev) {
    Tango::Util *tg = Tango::Util::instance();
    std::string name = dev.get_name();
    if (tg->is_svr_starting() || tg->is_device_restarting(name)) return nullptr;
    return &dev.get_att_conf_monitor();
}

} // namespace

PyDevice &AttributeRef::device() const {
    if (!life || life->dev == nullptr) throw_gone(name);
    return *life->dev;
}

Tango::Attribute &AttributeRef::get() {
    PyDevice &dev = device();
    if (att == nullptr || generation != life->generation) {
        // An attribute of the device was removed since: this one may be gone, or made again.
        Tango::Attribute &found = dev.get_device_attr()->get_attr_by_name(name.c_str());
        if (writable && !is_writable_object(found)) {
            Tango::Except::throw_exception("API_AttrNotWritable",
                                           "Attribute " + name + " was made again, not writable",
                                           "pytango WAttribute");
        }
        att = &found;
        generation = life->generation;
    }
    return *att;
}

AttributeRef &attribute_object(PyDevice &dev, Tango::Attribute &att, AttrSlot &slot) {
    if (slot.ref == nullptr || slot.ref->att != &att) {
        const bool writable = is_writable_object(att);
        if (slot.ref == nullptr || slot.ref->writable != writable) {
            if (writable) {
                slot.view = py::cast(WAttributeRef{});
                slot.ref = &slot.view.cast<WAttributeRef &>();
            } else {
                slot.view = py::cast(AttributeRef{});
                slot.ref = &slot.view.cast<AttributeRef &>();
            }
            slot.ref->life = dev.life();
            slot.ref->name = att.get_name();
            slot.ref->writable = writable;
            slot.ref->slot_ptr = &slot;
        }
        slot.ref->att = &att;
    }
    slot.ref->generation = dev.life()->generation;
    return *slot.ref;
}

py::object attribute_view(PyDevice &dev, Tango::Attribute &att) {
    AttrSlot &slot = dev.slot(att.get_name());
    attribute_object(dev, att, slot);
    return slot.view;
}

namespace {

// ---- typed limits: min/max alarm and warning (Attribute), min/max value (WAttribute) ----

enum class Limit { MinAlarm, MaxAlarm, MinWarning, MaxWarning, MinValue, MaxValue };

template <class T>
void get_limit(Tango::Attribute &att, Limit which, T &v) {
    switch (which) {
    case Limit::MinAlarm: att.get_min_alarm(v); break;
    case Limit::MaxAlarm: att.get_max_alarm(v); break;
    case Limit::MinWarning: att.get_min_warning(v); break;
    case Limit::MaxWarning: att.get_max_warning(v); break;
    case Limit::MinValue: static_cast<Tango::WAttribute &>(att).get_min_value(v); break;
    case Limit::MaxValue: static_cast<Tango::WAttribute &>(att).get_max_value(v); break;
    }
}

template <class T>
void set_limit(Tango::Attribute &att, Limit which, const T &v) {
    switch (which) {
    case Limit::MinAlarm: att.set_min_alarm(v); break;
    case Limit::MaxAlarm: att.set_max_alarm(v); break;
    case Limit::MinWarning: att.set_min_warning(v); break;
    case Limit::MaxWarning: att.set_max_warning(v); break;
    case Limit::MinValue: static_cast<Tango::WAttribute &>(att).set_min_value(v); break;
    case Limit::MaxValue: static_cast<Tango::WAttribute &>(att).set_max_value(v); break;
    }
}

// The types cppTango keeps limits for.
template <class Traits>
constexpr bool has_limits = Traits::kind == Kind::Numeric && !std::is_same_v<typename Traits::value_type, bool>;

[[noreturn]] void throw_no_limits(Tango::Attribute &att) {
    Tango::Except::throw_exception(
        "API_AttrNotAllowed",
        "Attribute " + att.get_name() + " is of type " +
            py::str(py::cast(static_cast<Tango::CmdArgType>(att.get_data_type()))).cast<std::string>() +
            ", which has no alarm, warning or value limits",
        "pytango Attribute");
}

py::object limit_to_py(AttributeRef &a, Limit which) {
    Tango::Attribute &att = a.get();
    return visit_element_type(att.get_data_type(), [&](auto t) -> py::object {
        using Traits = decltype(t);
        if constexpr (has_limits<Traits>) {
            typename Traits::value_type v{};
            get_limit(att, which, v);
            return scalar_to_py(v);
        } else {
            throw_no_limits(att);
        }
    });
}

void limit_from_py(AttributeRef &a, Limit which, py::handle value) {
    Tango::Attribute &att = a.get();
    if (PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr())) {
        std::string s = bytes_from_py(value);
        set_limit(att, which, s.c_str());
        return;
    }
    visit_element_type(att.get_data_type(), [&](auto t) {
        using Traits = decltype(t);
        if constexpr (has_limits<Traits>) {
            set_limit(att, which, scalar_from_py<typename Traits::value_type>(value));
        } else {
            throw_no_limits(att);
        }
    });
}

// ---- MultiAttrProp: the attribute properties as strings, PyTango's form ----

struct MultiAttrPropData {
    std::string label, description, unit, standard_unit, display_unit, format, min_value, max_value, min_alarm,
        max_alarm, min_warning, max_warning, delta_t, delta_val, event_period, archive_period, rel_change,
        abs_change, archive_rel_change, archive_abs_change;
};

using PropField = std::string MultiAttrPropData::*;
struct PropFieldDef {
    const char *name;
    PropField field;
};
// Declared once: the binding, the repr and equality are made from this table.
const PropFieldDef prop_fields[] = {
    {"label", &MultiAttrPropData::label},
    {"description", &MultiAttrPropData::description},
    {"unit", &MultiAttrPropData::unit},
    {"standard_unit", &MultiAttrPropData::standard_unit},
    {"display_unit", &MultiAttrPropData::display_unit},
    {"format", &MultiAttrPropData::format},
    {"min_value", &MultiAttrPropData::min_value},
    {"max_value", &MultiAttrPropData::max_value},
    {"min_alarm", &MultiAttrPropData::min_alarm},
    {"max_alarm", &MultiAttrPropData::max_alarm},
    {"min_warning", &MultiAttrPropData::min_warning},
    {"max_warning", &MultiAttrPropData::max_warning},
    {"delta_t", &MultiAttrPropData::delta_t},
    {"delta_val", &MultiAttrPropData::delta_val},
    {"event_period", &MultiAttrPropData::event_period},
    {"archive_period", &MultiAttrPropData::archive_period},
    {"rel_change", &MultiAttrPropData::rel_change},
    {"abs_change", &MultiAttrPropData::abs_change},
    {"archive_rel_change", &MultiAttrPropData::archive_rel_change},
    {"archive_abs_change", &MultiAttrPropData::archive_abs_change},
};

// The same fields in cppTango's AttributeConfig_5, which get_properties/set_properties go through
// for every data type (cppTango's typed MultiAttrProp<T> does the same inside).
CORBA::String_member &config_field(Tango::AttributeConfig_5 &c, PropField f) {
    if (f == &MultiAttrPropData::label) return c.label;
    if (f == &MultiAttrPropData::description) return c.description;
    if (f == &MultiAttrPropData::unit) return c.unit;
    if (f == &MultiAttrPropData::standard_unit) return c.standard_unit;
    if (f == &MultiAttrPropData::display_unit) return c.display_unit;
    if (f == &MultiAttrPropData::format) return c.format;
    if (f == &MultiAttrPropData::min_value) return c.min_value;
    if (f == &MultiAttrPropData::max_value) return c.max_value;
    if (f == &MultiAttrPropData::min_alarm) return c.att_alarm.min_alarm;
    if (f == &MultiAttrPropData::max_alarm) return c.att_alarm.max_alarm;
    if (f == &MultiAttrPropData::min_warning) return c.att_alarm.min_warning;
    if (f == &MultiAttrPropData::max_warning) return c.att_alarm.max_warning;
    if (f == &MultiAttrPropData::delta_t) return c.att_alarm.delta_t;
    if (f == &MultiAttrPropData::delta_val) return c.att_alarm.delta_val;
    if (f == &MultiAttrPropData::event_period) return c.event_prop.per_event.period;
    if (f == &MultiAttrPropData::archive_period) return c.event_prop.arch_event.period;
    if (f == &MultiAttrPropData::rel_change) return c.event_prop.ch_event.rel_change;
    if (f == &MultiAttrPropData::abs_change) return c.event_prop.ch_event.abs_change;
    if (f == &MultiAttrPropData::archive_rel_change) return c.event_prop.arch_event.rel_change;
    return c.event_prop.arch_event.abs_change;
}

Tango::AttributeConfig_5 read_config(AttributeRef &a) {
    Tango::Attribute &att = a.get();
    PyDevice &dev = a.device();
    Tango::AttributeConfig_5 conf;
    without_gil([&] {
        Tango::AutoTangoMonitor sync(att_conf_monitor(dev));
        att.get_properties(conf);
    });
    return conf;
}

MultiAttrPropData &checked_props(py::handle cfg) {
    if (!py::isinstance<MultiAttrPropData>(cfg)) throw py::type_error("attr_cfg must be an instance of MultiAttrProp");
    return cfg.cast<MultiAttrPropData &>();
}

py::object get_properties(AttributeRef &a, py::object cfg) {
    if (cfg.is_none()) cfg = py::cast(MultiAttrPropData{});
    MultiAttrPropData &props = checked_props(cfg);
    Tango::AttributeConfig_5 conf = read_config(a);
    for (const auto &f : prop_fields) {
        const char *v = config_field(conf, f.field).in();
        props.*f.field = v ? v : "";
    }
    return cfg;
}

void set_properties(AttributeRef &a, py::handle cfg) {
    const MultiAttrPropData props = checked_props(cfg); // a copy: used without the GIL
    Tango::Attribute &att = a.get();
    PyDevice &dev = a.device();
    if (att.is_fwd_att()) {
        Tango::Except::throw_exception("API_NotSupported",
                                       "set_properties is not supported for the forwarded attribute " + att.get_name(),
                                       "pytango Attribute.set_properties");
    }
    without_gil([&] {
        Tango::TangoMonitor *mon = att_conf_monitor(dev);
        Tango::AutoTangoMonitor sync(mon);
        Tango::AttributeConfig_5 conf;
        att.get_properties(conf);
        for (const auto &f : prop_fields) config_field(conf, f.field) = CORBA::string_dup((props.*f.field).c_str());
        std::string dev_name = dev.get_name();
        att.set_upd_properties(conf, dev_name, true);
        if (mon != nullptr) dev.push_att_conf_event(&att);
    });
}

// ---- values ----

ReadBuffer &value_buffer(AttributeRef &a, Tango::Attribute &att) {
    // In the attribute's read: a buffer of this request, as a returned value would use.
    // Elsewhere (a command, a thread, before fire_change_event): the buffer of pushed values.
    AttrSlot &slot = *a.slot_ptr;
    return slot.reading ? request_buffer() : a.device().push_buffer(att.get_name());
}

void check_value_args(Tango::Attribute &att, const py::args &args, size_t extra, const char *what) {
    if (args.size() < 1 + extra) throw py::type_error(std::string(what) + " needs a value");
    for (auto arg : args) {
        if (arg.is_none()) throw py::type_error(std::string(what) + " method cannot be called with None");
    }
    const size_t most = (att.get_data_type() == Tango::DEV_ENCODED ? 2 : 1) + extra;
    if (args.size() > most) {
        throw py::type_error(std::string(what) + ": too many arguments. Note, that dim_x and dim_y arguments are "
                             "no longer supported: the shape is the value's");
    }
}

void set_value(AttributeRef &a, const py::args &args) {
    Tango::Attribute &att = a.get();
    check_value_args(att, args, 0, "set_value");
    py::object value = args.size() == 2 ? py::make_tuple(args[0], args[1]) : py::reinterpret_borrow<py::object>(args[0]);
    set_attribute_value(att, value, value_buffer(a, att));
}

void set_value_date_quality(AttributeRef &a, const py::args &args) {
    Tango::Attribute &att = a.get();
    check_value_args(att, args, 2, "set_value_date_quality");
    const size_t n = args.size();
    py::object value = n == 4 ? py::make_tuple(args[0], args[1]) : py::reinterpret_borrow<py::object>(args[0]);
    py::object q = args[n - 1];
    if (!py::isinstance(q, py::type::handle_of(py::cast(Tango::ATTR_VALID))))
        q = py::cast(static_cast<Tango::AttrQuality>(q.cast<int>()));
    set_attribute_result(att, py::make_tuple(value, args[n - 2], q), value_buffer(a, att));
}

py::object get_write_value(WAttributeRef &a, py::object extract_as) {
    Tango::WAttribute &att = a.wget();
    py::object v = write_value_to_py(att, !a.slot_ptr->writing);
    if (!extract_as.is_none() && py::hasattr(v, "tolist")) {
        const int ex = extract_as.cast<int>();
        if (ex == static_cast<int>(ExtractAs::List)) return v.attr("tolist")();
        if (ex == static_cast<int>(ExtractAs::Tuple)) {
            py::object l = v.attr("tolist")();
            if (att.get_data_format() == Tango::IMAGE) {
                py::list rows;
                for (auto row : l) rows.append(py::tuple(py::reinterpret_borrow<py::object>(row)));
                return py::tuple(rows);
            }
            return py::tuple(l);
        }
    }
    return v;
}

void set_write_value(WAttributeRef &a, py::handle value, py::object dim_x, py::object dim_y) {
    Tango::WAttribute &att = a.wget();
    const auto format = att.get_data_format();
    visit_element_type(att.get_data_type(), [&](auto t) {
        using Traits = decltype(t);
        using T = typename Traits::value_type;
        if constexpr (Traits::kind == Kind::Encoded) {
            throw py::type_error("set_write_value is not available for DevEncoded attributes");
        } else if (format == Tango::SCALAR) {
            if constexpr (Traits::kind == Kind::String) {
                std::string s = bytes_from_py(value);
                att.set_write_value(s);
            } else {
                att.set_write_value(scalar_from_py<T>(value));
            }
        } else {
            const int ndim = format == Tango::IMAGE ? 2 : 1;
            auto r = seq_from_py<Traits>(value, ndim);
            long x = dim_x.is_none() ? r.shape.x : dim_x.cast<long>();
            long y = dim_y.is_none() ? (ndim == 2 ? r.shape.y : 0) : dim_y.cast<long>();
            if (static_cast<size_t>(x) * static_cast<size_t>(y > 0 ? y : 1) != r.seq->length() &&
                r.seq->length() != 0) {
                throw py::value_error("dim_x and dim_y do not match the number of values");
            }
            if constexpr (Traits::kind == Kind::String) {
                std::vector<Tango::DevString> p(r.seq->length());
                for (CORBA::ULong i = 0; i < r.seq->length(); ++i) p[i] = const_cast<char *>((*r.seq)[i].in());
                att.set_write_value(p.data(), x, y);
            } else {
                att.set_write_value(r.seq->get_buffer(), x, y);
            }
        }
    });
}

bool event_subscribed(Tango::Attribute &att, Tango::EventType type) {
    switch (type) {
    case Tango::CHANGE_EVENT: return att.change_event_subscribed();
    case Tango::PERIODIC_EVENT: return att.periodic_event_subscribed();
    case Tango::ARCHIVE_EVENT: return att.archive_event_subscribed();
    case Tango::USER_EVENT: return att.user_event_subscribed();
    case Tango::ATTR_CONF_EVENT: return att.attr_conf_event_subscribed();
    case Tango::DATA_READY_EVENT: return att.data_ready_event_subscribed();
#if PYTANGO_HAS_ALARM_EVENT
    case Tango::ALARM_EVENT: return att.alarm_event_subscribed();
#endif
    default: return false;
    }
}

// fire_*_event: the value set with set_value (or an error) to the subscribers. No device
// monitor is taken: it is called from the device's own methods, whose request holds it (in a
// green server the request thread holds it for the worker, which would wait for it forever).
template <class Fire>
void fire(AttributeRef &a, py::handle error, Fire &&f) {
    Tango::Attribute &att = a.get();
    std::optional<Tango::DevFailed> df;
    if (!error.is_none()) df.emplace(errors_from_py(error.attr("args")));
    without_gil([&] { f(att, df ? &*df : nullptr); });
}

struct MultiAttributeRef {
    std::shared_ptr<DeviceLife> life;
    PyDevice &device() const {
        if (!life || life->dev == nullptr) throw_gone("list");
        return *life->dev;
    }
    Tango::MultiAttribute &get() const { return *device().get_device_attr(); }
};

Tango::Attribute &by_index(Tango::MultiAttribute &m, long ind) {
    if (ind < 0 || static_cast<unsigned long>(ind) >= m.get_attr_nb()) throw py::index_error("attribute index out of range");
    return m.get_attr_by_ind(ind);
}

Tango::WAttribute &writable(Tango::Attribute &att) {
    if (!is_writable_object(att)) {
        Tango::Except::throw_exception("API_AttrNotWritable", "Attribute " + att.get_name() + " is not writable",
                                       "pytango MultiAttribute");
    }
    return static_cast<Tango::WAttribute &>(att);
}

} // namespace

void bind_device_attributes(py::class_<DeviceHandle> &device) {
    device.def("get_device_attr", [](DeviceHandle &h) { return MultiAttributeRef{h.get().life()}; },
               "The device's attributes (a MultiAttribute).");
}

void register_attribute_objects(py::module_ &m) {
    py::class_<MultiAttrPropData> props(m, "MultiAttrProp",
                                        "An attribute's configuration as strings (Attribute.get_properties / "
                                        "set_properties).");
    props.def(py::init([](py::kwargs kw) {
        MultiAttrPropData p;
        for (auto [key, value] : kw) {
            const std::string k = py::str(key);
            bool found = false;
            for (const auto &f : prop_fields) {
                if (k == f.name) {
                    p.*f.field = py::str(value);
                    found = true;
                }
            }
            if (!found) throw py::type_error("MultiAttrProp() got an unexpected keyword argument '" + k + "'");
        }
        return p;
    }));
    for (const auto &f : prop_fields) {
        const PropField field = f.field;
        props.def_property(
            f.name, [field](const MultiAttrPropData &p) { return p.*field; },
            [field](MultiAttrPropData &p, py::handle v) { p.*field = py::str(v); });
    }
    props.def("__repr__", [](const MultiAttrPropData &p) {
        std::string s = "MultiAttrProp(";
        bool first = true;
        for (const auto &f : prop_fields) {
            s += (first ? "" : ", ") + std::string(f.name) + "=" + py::repr(py::str(p.*f.field)).cast<std::string>();
            first = false;
        }
        return s + ")";
    });
    props.def("__eq__", [](const MultiAttrPropData &a, py::handle b) {
        if (!py::isinstance<MultiAttrPropData>(b)) return false;
        const auto &o = b.cast<const MultiAttrPropData &>();
        for (const auto &f : prop_fields) {
            if (a.*f.field != o.*f.field) return false;
        }
        return true;
    });
    props.attr("__hash__") = py::none();

    py::class_<AttributeRef> attr(m, "Attribute", "One attribute of a device, as the device sees it.");
    attr.def("__repr__", [](AttributeRef &a) { return "Attribute(" + a.name + ")"; })
        .def("__str__", [](AttributeRef &a) { return "Attribute(" + a.name + ")"; })
        .def("get_name", [](AttributeRef &a) { return a.get().get_name(); })
        .def("get_data_type", [](AttributeRef &a) { return static_cast<Tango::CmdArgType>(a.get().get_data_type()); })
        .def("get_data_format", [](AttributeRef &a) { return a.get().get_data_format(); })
        .def("get_writable", [](AttributeRef &a) { return a.get().get_writable(); })
        .def("get_data_size", [](AttributeRef &a) { return a.get().get_data_size(); })
        .def("get_x", [](AttributeRef &a) { return a.get().get_x(); })
        .def("get_y", [](AttributeRef &a) { return a.get().get_y(); })
        .def("get_max_dim_x", [](AttributeRef &a) { return a.get().get_max_dim_x(); })
        .def("get_max_dim_y", [](AttributeRef &a) { return a.get().get_max_dim_y(); })
        .def("get_label", [](AttributeRef &a) { return a.get().get_label(); })
        .def("get_disp_level", [](AttributeRef &a) { return a.get().get_disp_level(); })
        .def("get_assoc_name", [](AttributeRef &a) { return a.get().get_assoc_name(); })
        .def("get_assoc_ind", [](AttributeRef &a) { return a.get().get_assoc_ind(); })
        .def("set_assoc_ind", [](AttributeRef &a, long ind) { a.get().set_assoc_ind(ind); }, py::arg("index"))
        .def("is_write_associated", [](AttributeRef &a) { return a.get().is_writ_associated(); })
        .def("get_polling_period", [](AttributeRef &a) { return a.get().get_polling_period(); })
        .def("is_polled", [](AttributeRef &a) {
            Tango::Attribute &att = a.get();
            return without_gil([&] { return att.is_polled(); });
        })
        .def("get_quality", [](AttributeRef &a) { return a.get().get_quality(); })
        .def("set_quality", [](AttributeRef &a, Tango::AttrQuality q, bool send_event) {
            Tango::Attribute &att = a.get();
            if (send_event) without_gil([&] { att.set_quality(q, true); });
            else att.set_quality(q, false);
        }, py::arg("quality"), py::arg("send_event") = false)
        .def("get_date", [](AttributeRef &a) { return a.get().get_date(); })
        .def("set_date", [](AttributeRef &a, py::handle t) {
            Tango::Attribute &att = a.get();
            if (py::isinstance<Tango::TimeVal>(t)) {
                Tango::TimeVal tv = t.cast<Tango::TimeVal>();
                att.set_date(tv);
            } else {
                struct timeval tv = timeval_from_py(t);
                att.set_date(tv);
            }
        }, py::arg("new_date"))
        .def("value_is_set", [](AttributeRef &a) { return a.get().get_value_flag(); })
        .def("reset_value", [](AttributeRef &a) { a.get().set_value_flag(false); })
        .def("set_value", &set_value, "set_value(data) or, for DevEncoded, set_value(format, data).")
        .def("set_value_date_quality", &set_value_date_quality,
             "set_value_date_quality(data, time, quality) or, for DevEncoded, (format, data, time, quality).")
        .def("check_alarm", [](AttributeRef &a) { return a.get().check_alarm(); })
        .def("is_min_alarm", [](AttributeRef &a) { return a.get().is_min_alarm(); })
        .def("is_max_alarm", [](AttributeRef &a) { return a.get().is_max_alarm(); })
        .def("is_min_warning", [](AttributeRef &a) { return a.get().is_min_warning(); })
        .def("is_max_warning", [](AttributeRef &a) { return a.get().is_max_warning(); })
        .def("is_rds_alarm", [](AttributeRef &a) { return a.get().is_rds_alarm(); })
        .def("get_min_alarm", [](AttributeRef &a) { return limit_to_py(a, Limit::MinAlarm); })
        .def("get_max_alarm", [](AttributeRef &a) { return limit_to_py(a, Limit::MaxAlarm); })
        .def("get_min_warning", [](AttributeRef &a) { return limit_to_py(a, Limit::MinWarning); })
        .def("get_max_warning", [](AttributeRef &a) { return limit_to_py(a, Limit::MaxWarning); })
        .def("set_min_alarm", [](AttributeRef &a, py::handle v) { limit_from_py(a, Limit::MinAlarm, v); }, py::arg("min_alarm"))
        .def("set_max_alarm", [](AttributeRef &a, py::handle v) { limit_from_py(a, Limit::MaxAlarm, v); }, py::arg("max_alarm"))
        .def("set_min_warning", [](AttributeRef &a, py::handle v) { limit_from_py(a, Limit::MinWarning, v); }, py::arg("min_warning"))
        .def("set_max_warning", [](AttributeRef &a, py::handle v) { limit_from_py(a, Limit::MaxWarning, v); }, py::arg("max_warning"))
        .def("get_properties", &get_properties, py::arg("attr_cfg") = py::none(),
             "The configuration as a MultiAttrProp (filled in and returned when given).")
        .def("set_properties", [](AttributeRef &a, py::handle cfg, py::handle) { set_properties(a, cfg); },
             py::arg("attr_cfg"), py::arg("dev") = py::none(),
             "Sets the configuration from a MultiAttrProp (stored in the database, clients told).")
        .def("get_attr_serial_model", [](AttributeRef &a) { return a.get().get_attr_serial_model(); })
        .def("set_attr_serial_model", [](AttributeRef &a, Tango::AttrSerialModel m) { a.get().set_attr_serial_model(m); },
             py::arg("ser_model"))
        .def("is_change_event", [](AttributeRef &a) { return a.get().is_change_event(); })
        .def("is_check_change_criteria", [](AttributeRef &a) { return a.get().is_check_change_criteria(); })
        .def("is_archive_event", [](AttributeRef &a) { return a.get().is_archive_event(); })
        .def("is_check_archive_criteria", [](AttributeRef &a) { return a.get().is_check_archive_criteria(); })
        .def("is_data_ready_event", [](AttributeRef &a) { return a.get().is_data_ready_event(); })
        .def("set_change_event", [](AttributeRef &a, bool impl, bool detect) { a.get().set_change_event(impl, detect); },
             py::arg("implemented"), py::arg("detect") = true)
        .def("set_archive_event", [](AttributeRef &a, bool impl, bool detect) { a.get().set_archive_event(impl, detect); },
             py::arg("implemented"), py::arg("detect") = true)
        .def("set_data_ready_event", [](AttributeRef &a, bool impl) { a.get().set_data_ready_event(impl); },
             py::arg("implemented"))
        .def("change_event_subscribed", [](AttributeRef &a) { return a.get().change_event_subscribed(); })
        .def("periodic_event_subscribed", [](AttributeRef &a) { return a.get().periodic_event_subscribed(); })
        .def("archive_event_subscribed", [](AttributeRef &a) { return a.get().archive_event_subscribed(); })
        .def("user_event_subscribed", [](AttributeRef &a) { return a.get().user_event_subscribed(); })
        .def("is_event_subscribed", [](AttributeRef &a, Tango::EventType t) { return event_subscribed(a.get(), t); },
             py::arg("event_type"))
        .def("use_notifd_event", [](AttributeRef &a) { return a.get().use_notifd_event(); })
        .def("use_zmq_event", [](AttributeRef &a) { return a.get().use_zmq_event(); })
        .def("remove_configuration", [](AttributeRef &a) {
            Tango::Attribute &att = a.get();
            without_gil([&] { att.remove_configuration(); });
        })
        .def("fire_change_event", [](AttributeRef &a, py::handle error) {
            fire(a, error, [](Tango::Attribute &att, Tango::DevFailed *df) { att.fire_change_event(df); });
        }, py::arg("except") = py::none(), "Sends the value set with set_value (or the error given) as a change event.")
        .def("fire_archive_event", [](AttributeRef &a, py::handle error) {
            fire(a, error, [](Tango::Attribute &att, Tango::DevFailed *df) { att.fire_archive_event(df); });
        }, py::arg("except") = py::none());
#if PYTANGO_HAS_ALARM_EVENT
    attr.def("is_alarm_event", [](AttributeRef &a) { return a.get().is_alarm_event(); })
        .def("is_check_alarm_criteria", [](AttributeRef &a) { return a.get().is_check_alarm_criteria(); })
        .def("set_alarm_event", [](AttributeRef &a, bool impl, bool detect) { a.get().set_alarm_event(impl, detect); },
             py::arg("implemented"), py::arg("detect") = true)
        .def("alarm_event_subscribed", [](AttributeRef &a) { return a.get().alarm_event_subscribed(); })
        .def("fire_alarm_event", [](AttributeRef &a, py::handle error) {
            fire(a, error, [](Tango::Attribute &att, Tango::DevFailed *df) { att.fire_alarm_event(df); });
        }, py::arg("except") = py::none());
#else
    // cppTango 9.3 has no alarm events: an attribute has none and none is subscribed; a call
    // that would set or send one names the cppTango it needs
    auto needs_10 = [](const char *what) {
        PyErr_SetString(PyExc_NotImplementedError, (std::string(what) + " needs cppTango 10.0 or newer; this server "
                                                    "runs cppTango " + compat::cpptango_version()).c_str());
        throw py::error_already_set();
    };
    attr.def("is_alarm_event", [](AttributeRef &) { return false; })
        .def("alarm_event_subscribed", [](AttributeRef &) { return false; })
        .def("is_check_alarm_criteria", [needs_10](AttributeRef &) { needs_10("is_check_alarm_criteria"); })
        .def("set_alarm_event", [needs_10](AttributeRef &, bool, bool) { needs_10("set_alarm_event (alarm events)"); },
             py::arg("implemented"), py::arg("detect") = true)
        .def("fire_alarm_event", [needs_10](AttributeRef &, py::handle) { needs_10("fire_alarm_event (alarm events)"); },
             py::arg("except") = py::none());
#endif

    py::class_<WAttributeRef, AttributeRef>(m, "WAttribute", "A writable attribute of a device, as the device sees it.")
        .def("__repr__", [](WAttributeRef &a) { return "WAttribute(" + a.name + ")"; })
        .def("__str__", [](WAttributeRef &a) { return "WAttribute(" + a.name + ")"; })
        .def("get_write_value", &get_write_value, py::arg("extract_as") = py::none(),
             "The value written by the client (in the write method), else the last one written.")
        .def("get_write_value_length", [](WAttributeRef &a) { return a.wget().get_write_value_length(); })
        .def("set_write_value", &set_write_value, py::arg("value"), py::arg("dim_x") = py::none(),
             py::arg("dim_y") = py::none())
        .def("is_min_value", [](WAttributeRef &a) { return a.wget().is_min_value(); })
        .def("is_max_value", [](WAttributeRef &a) { return a.wget().is_max_value(); })
        .def("get_min_value", [](WAttributeRef &a) { return limit_to_py(a, Limit::MinValue); })
        .def("get_max_value", [](WAttributeRef &a) { return limit_to_py(a, Limit::MaxValue); })
        .def("set_min_value", [](WAttributeRef &a, py::handle v) { limit_from_py(a, Limit::MinValue, v); }, py::arg("min_value"))
        .def("set_max_value", [](WAttributeRef &a, py::handle v) { limit_from_py(a, Limit::MaxValue, v); }, py::arg("max_value"));

    py::class_<MultiAttributeRef>(m, "MultiAttribute", "A device's attributes (Device.get_device_attr()).")
        .def("get_attr_by_name", [](MultiAttributeRef &r, const std::string &name) {
            return attribute_view(r.device(), r.get().get_attr_by_name(name.c_str()));
        }, py::arg("attr_name"))
        .def("get_attr_by_ind", [](MultiAttributeRef &r, long ind) {
            return attribute_view(r.device(), by_index(r.get(), ind));
        }, py::arg("ind"))
        .def("get_w_attr_by_name", [](MultiAttributeRef &r, const std::string &name) {
            return attribute_view(r.device(), writable(r.get().get_attr_by_name(name.c_str())));
        }, py::arg("attr_name"))
        .def("get_w_attr_by_ind", [](MultiAttributeRef &r, long ind) {
            return attribute_view(r.device(), writable(by_index(r.get(), ind)));
        }, py::arg("ind"))
        .def("get_attr_ind_by_name", [](MultiAttributeRef &r, const std::string &name) {
            return r.get().get_attr_ind_by_name(name.c_str());
        }, py::arg("attr_name"))
        .def("get_attr_nb", [](MultiAttributeRef &r) { return r.get().get_attr_nb(); })
        .def("get_attribute_list", [](MultiAttributeRef &r) {
            PyDevice &dev = r.device();
            std::vector<Tango::Attribute *> &list = r.get().get_attribute_list();
            py::tuple t(list.size());
            for (size_t i = 0; i < list.size(); ++i) t[i] = attribute_view(dev, *list[i]);
            return t;
        })
        .def("get_alarm_list", [](MultiAttributeRef &r) { return r.get().get_alarm_list(); })
        .def("check_alarm", [](MultiAttributeRef &r, py::handle which) {
            Tango::MultiAttribute &m = r.get();
            if (which.is_none()) return m.check_alarm();
            if (py::isinstance<py::str>(which)) return m.check_alarm(which.cast<std::string>().c_str());
            return by_index(m, which.cast<long>()).check_alarm();
        }, py::arg("attr") = py::none(),
           "Whether an attribute (by name or index; all with alarm limits when not given) is in alarm.")
        .def("read_alarm", [](MultiAttributeRef &r, std::string status) {
            r.get().read_alarm(status);
            return status;
        }, py::arg("status"), "The status with the attributes' alarm messages added.");
}

} // namespace pt
