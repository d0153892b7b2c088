// A device's attribute configuration from its own code, in the IDL structs
// (types/attribute_config.cpp): DeviceImpl.get_attribute_config / _2 / _3 / _5 and
// set_attribute_config / _3 / _5, which call cppTango's operations of the same names (a set
// updates the database and sends the attribute configuration event, as a client's would), and
// Attribute.set_upd_properties.
//
// cppTango's set_attribute_config* take the device monitor, and every one of these takes the
// attribute configuration monitor. They are called from device code, whose request holds the
// device monitor already: re-entered on the request's own thread (a synchronous server), but in
// a green server that code runs on the worker while the request thread holds the monitors and
// waits. So the cppTango call is made on that waiting thread (tango.server.green.relay_call, the
// path add_attribute takes), or in place when no request waits (synchronous server, other
// threads). The arguments are converted before, on the caller's thread, with the GIL; cppTango
// runs without it.
#include "pytango.hpp"
#include "gil.hpp"
#include "convert/scalar.hpp"
#include "server/attribute_object.hpp"
#include "server/device.hpp"
#include "types/attribute_config.hpp"


namespace pt {

namespace {

// fn() on the thread that holds the monitors of the current request of a green server, else here.
py::object on_request_thread(std::function<py::object()> fn) {
    py::object relay = py::module_::import("tango.server.green").attr("relay_call");
    return relay(py::cpp_function(std::move(fn)));
}

std::string type_name(py::handle o) { return py::str(py::type::handle_of(o).attr("__name__")); }

// A str (one name) or an iterable of str.
Tango::DevVarStringArray names_from_py(py::handle names) {
    if (PyUnicode_Check(names.ptr()) || PyBytes_Check(names.ptr())) {
        Tango::DevVarStringArray out;
        out.length(1);
        out[0] = CORBA::string_dup(bytes_from_py(names).c_str());
        return out;
    }
    return string_array_from_py(names, "attr_names");
}

template <class Seq>
py::list configs_to_py(const Seq &seq) {
    py::list out(seq.length());
    for (CORBA::ULong i = 0; i < seq.length(); ++i) out[i] = py::cast(seq[i]); // a copy each
    return out;
}

// One struct of type Elem or an iterable of them (nothing else: a wrong item is a TypeError that
// says which).
template <class Seq, class Elem>
Seq configs_from_py(py::handle conf, const char *elem_name) {
    Seq out;
    if (py::isinstance<Elem>(conf)) {
        out.length(1);
        out[0] = conf.cast<const Elem &>();
        return out;
    }
    if (PyUnicode_Check(conf.ptr()) || PyBytes_Check(conf.ptr()) || !py::isinstance<py::iterable>(conf)) {
        throw py::type_error(std::string("new_conf must be a list of ") + elem_name + " (or one), not " +
                             type_name(conf));
    }
    std::vector<py::object> items;
    for (auto item : conf) {
        if (!py::isinstance<Elem>(item)) {
            throw py::type_error(std::string("new_conf[") + std::to_string(items.size()) + "] is a " +
                                 type_name(item) + ", not a " + elem_name);
        }
        items.push_back(py::reinterpret_borrow<py::object>(item));
    }
    out.length(static_cast<CORBA::ULong>(items.size()));
    for (size_t i = 0; i < items.size(); ++i) out[static_cast<CORBA::ULong>(i)] = items[i].cast<const Elem &>();
    return out;
}

// get_attribute_config*: `get(dev, names)` returns the list cppTango allocated (ours to free).
template <class Get>
py::object get_config(py::object self, py::handle names, Get get) {
    self.cast<DeviceHandle &>().get(); // a detached device is refused here, before any relay
    auto wanted = std::make_shared<Tango::DevVarStringArray>(names_from_py(names));
    if (wanted->length() == 0) return py::list(); // cppTango reads the first name unchecked
    return on_request_thread([self, wanted, get]() -> py::object {
        PyDevice &dev = self.cast<DeviceHandle &>().get();
        auto *found = without_gil([&] { return get(dev, *wanted); });
        std::unique_ptr<std::remove_pointer_t<decltype(found)>> owned(found);
        return configs_to_py(*owned);
    });
}

// set_attribute_config*: `set(dev, list)` with the list converted here.
template <class Seq, class Elem, class Set>
void set_config(py::object self, py::handle conf, const char *elem_name, Set set) {
    self.cast<DeviceHandle &>().get();
    auto list = std::make_shared<Seq>(configs_from_py<Seq, Elem>(conf, elem_name));
    if (list->length() == 0) return; // nothing to set (and cppTango reads the first one unchecked)
    on_request_thread([self, list, set]() -> py::object {
        PyDevice &dev = self.cast<DeviceHandle &>().get();
        without_gil([&] { set(dev, *list); });
        return py::none();
    });
}

// Each attribute of the list set as cppTango sets it inside its set_attribute_config operations:
// the new configuration checked and stored (set_upd_properties, the database too), then the
// configuration event, under the attribute configuration monitor. cppTango's operations
// themselves are not called from device code: cppTango 10.0's set_attribute_config_3 crashes the
// server (a segfault, seen here) when a client is subscribed to the configuration events.
// As there, the device's list of attributes with alarm limits (which State reads) is made again
// afterwards, also after an error, and an attribute in ALARM whose limits were all removed is
// VALID again.
void rebuild_alarm_list(Tango::MultiAttribute &attrs) {
    std::vector<long> &alarmed = attrs.get_alarm_list();
    alarmed.clear();
    const long n = attrs.get_attr_nb();
    for (long j = 0; j < n; ++j) {
        Tango::Attribute &att = attrs.get_attr_by_ind(j);
        if (att.is_alarmed().any() && att.get_writable() != Tango::WRITE) alarmed.push_back(j);
    }
}

template <class Seq>
void set_each(PyDevice &dev, const Seq &list) {
    std::string dev_name = dev.get_name();
    Tango::Util *tg = Tango::Util::instance();
    const bool starting = tg->is_svr_starting() || tg->is_device_restarting(dev_name);
    Tango::MultiAttribute &attrs = *dev.get_device_attr();
    struct Rebuild {
        Tango::MultiAttribute &attrs;
        ~Rebuild() { rebuild_alarm_list(attrs); }
    } rebuild{attrs};
    for (CORBA::ULong i = 0; i < list.length(); ++i) {
        Tango::Attribute &att = attrs.get_attr_by_name(list[i].name.in());
        Tango::AutoTangoMonitor sync(starting ? nullptr : &dev.get_att_conf_monitor());
        const bool had_alarm = att.is_alarmed().any();
        att.set_upd_properties(list[i], dev_name, true);
        if (att.get_quality() == Tango::ATTR_ALARM && had_alarm && !att.is_alarmed().any())
            att.set_quality(Tango::ATTR_VALID);
        if (!starting) dev.push_att_conf_event(&att);
    }
}

template <class Conf>
void set_upd_properties(AttributeRef &a, py::handle cfg, py::handle dev_name) {
    const Conf conf = cfg.cast<const Conf &>(); // a copy: used without the GIL
    Tango::Attribute &att = a.get();
    if (dev_name.is_none()) {
        without_gil([&] { att.set_upd_properties(conf); });
    } else {
        std::string name = bytes_from_py(dev_name, "a device name (str)");
        without_gil([&] { att.set_upd_properties(conf, name); });
    }
}

} // namespace

void bind_device_config(py::class_<DeviceHandle> &cls) {
    cls.def("get_attribute_config", [](py::object self, py::handle names) {
           return get_config(self, names, [](PyDevice &d, const Tango::DevVarStringArray &n) {
               return d.get_attribute_config(n);
           });
       }, py::arg("attr_names"),
       "The configuration of the attributes named (a str or a list of str) as a list of AttributeConfig.")
        .def("get_attribute_config_2", [](py::object self, py::handle names) {
            return get_config(self, names, [](PyDevice &d, const Tango::DevVarStringArray &n) {
                return d.get_attribute_config_2(n);
            });
        }, py::arg("attr_names"), "get_attribute_config in the IDL 2 form: a list of AttributeConfig_2.")
        .def("get_attribute_config_3", [](py::object self, py::handle names) {
            return get_config(self, names, [](PyDevice &d, const Tango::DevVarStringArray &n) {
                return d.get_attribute_config_3(n);
            });
        }, py::arg("attr_names"), "get_attribute_config in the IDL 3 form: a list of AttributeConfig_3.")
        .def("get_attribute_config_5", [](py::object self, py::handle names) {
            return get_config(self, names, [](PyDevice &d, const Tango::DevVarStringArray &n) {
                return d.get_attribute_config_5(n);
            });
        }, py::arg("attr_names"), "get_attribute_config in the IDL 5 form: a list of AttributeConfig_5.")
        .def("set_attribute_config", [](py::object self, py::handle conf) {
            set_config<Tango::AttributeConfigList, Tango::AttributeConfig>(
                self, conf, "AttributeConfig",
                [](PyDevice &d, const Tango::AttributeConfigList &l) { set_each(d, l); });
        }, py::arg("new_conf"),
           "Sets the configuration of attributes (a list of AttributeConfig, or one), in the device and in the "
           "database; subscribers get the attribute configuration event.")
        .def("set_attribute_config_3", [](py::object self, py::handle conf) {
            set_config<Tango::AttributeConfigList_3, Tango::AttributeConfig_3>(
                self, conf, "AttributeConfig_3",
                [](PyDevice &d, const Tango::AttributeConfigList_3 &l) { set_each(d, l); });
        }, py::arg("new_conf"), "set_attribute_config in the IDL 3 form (a list of AttributeConfig_3, or one).")
        .def("set_attribute_config_5", [](py::object self, py::handle conf) {
            set_config<Tango::AttributeConfigList_5, Tango::AttributeConfig_5>(
                self, conf, "AttributeConfig_5",
                [](PyDevice &d, const Tango::AttributeConfigList_5 &l) { set_each(d, l); });
        }, py::arg("new_conf"), "set_attribute_config in the IDL 5 form (a list of AttributeConfig_5, or one).");
}

void register_attribute_config_setters(py::module_ &m) {
    auto attr = py::reinterpret_borrow<py::class_<AttributeRef>>(m.attr("Attribute"));
    attr.def("set_upd_properties", [](AttributeRef &a, py::handle cfg, py::handle dev_name) {
        if (py::isinstance<Tango::AttributeConfig_3>(cfg)) set_upd_properties<Tango::AttributeConfig_3>(a, cfg, dev_name);
        else if (py::isinstance<Tango::AttributeConfig>(cfg)) set_upd_properties<Tango::AttributeConfig>(a, cfg, dev_name);
        else if (py::isinstance<Tango::AttributeConfig_5>(cfg)) set_upd_properties<Tango::AttributeConfig_5>(a, cfg, dev_name);
        else
            throw py::type_error(std::string("attr_cfg must be an AttributeConfig, AttributeConfig_3 or "
                                             "AttributeConfig_5, not ") + type_name(cfg));
    }, py::arg("attr_cfg"), py::arg("dev_name") = py::none(),
       "Sets the attribute's configuration from an AttributeConfig_3 (or AttributeConfig, AttributeConfig_5) and "
       "stores it in the database under dev_name (its own device by default). No event is sent.");
}

} // namespace pt
