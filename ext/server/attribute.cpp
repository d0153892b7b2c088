// Attributes of Python devices: one PyAttr per declared attribute, whose read, write and
// is_allowed call the Python device through call_up().
#include "pytango.hpp"
#include "convert/server_attribute.hpp"
#include "server/device.hpp"

namespace pt {

namespace {

// What an attribute spec (tango/server) says about calling Python.
struct AttrCalls {
    MethodName read; // empty if not readable from Python
    MethodName write;
    MethodName is_allowed;
    bool read_with_attr = false;  // read(self, attr) calls attr.set_value(); else returns the value
    bool write_with_attr = false; // write(self, attr) calls attr.get_write_value(); else gets the value
};

// Python view of the Tango::Attribute being read or written, valid during the call only.
struct AttributeView {
    Tango::Attribute *att;
    ReadBuffer *buf;
};

template <class Base>
class PyAttr : public Base {
public:
    template <class... Args>
    PyAttr(AttrCalls calls, Args &&...args) : Base(std::forward<Args>(args)...), calls_(std::move(calls)) {}

    void read(Tango::DeviceImpl *dev, Tango::Attribute &att) override {
        auto *d = static_cast<PyDevice *>(dev);
        if (calls_.read.empty()) return;
        call_up([&] {
            ReadBuffer &buf = d->read_buffer(att.get_name());
            if (calls_.read_with_attr) {
                calls_.read.call(d->self(), py::cast(AttributeView{&att, &buf}));
            } else {
                set_attribute_result(att, calls_.read.call(d->self()), buf);
            }
        });
    }

    void write(Tango::DeviceImpl *dev, Tango::WAttribute &att) override {
        auto *d = static_cast<PyDevice *>(dev);
        if (calls_.write.empty()) return;
        call_up([&] {
            if (calls_.write_with_attr) {
                calls_.write.call(d->self(), py::cast(AttributeView{&att, nullptr}));
            } else {
                calls_.write.call(d->self(), write_value_to_py(att));
            }
        });
    }

    bool is_allowed(Tango::DeviceImpl *dev, Tango::AttReqType type) override {
        if (calls_.is_allowed.empty()) return true;
        auto *d = static_cast<PyDevice *>(dev);
        return call_up([&] { return calls_.is_allowed.call(d->self(), py::cast(type)).template cast<bool>(); });
    }

private:
    AttrCalls calls_;
};

std::string str_or_empty(py::handle spec, const char *name) {
    py::object v = spec.attr(name);
    return v.is_none() ? std::string() : v.cast<std::string>();
}

} // namespace

// Builds the cppTango attribute described by a tango.server attribute spec.
Tango::Attr *make_attr(py::handle spec) {
    AttrCalls calls{MethodName(str_or_empty(spec, "read_method")), MethodName(str_or_empty(spec, "write_method")),
                    MethodName(str_or_empty(spec, "is_allowed_method")), spec.attr("read_with_attr").cast<bool>(),
                    spec.attr("write_with_attr").cast<bool>()};
    const std::string name = spec.attr("name").cast<std::string>();
    const long type = spec.attr("dtype").cast<long>();
    const auto format = spec.attr("dformat").cast<Tango::AttrDataFormat>();
    const auto access = spec.attr("access").cast<Tango::AttrWriteType>();
    const auto level = spec.attr("display_level").cast<Tango::DispLevel>();
    const long max_x = spec.attr("max_dim_x").cast<long>();
    const long max_y = spec.attr("max_dim_y").cast<long>();

    Tango::Attr *attr = nullptr;
    switch (format) {
    case Tango::SPECTRUM:
        attr = new PyAttr<Tango::SpectrumAttr>(calls, name.c_str(), type, access, max_x, level);
        break;
    case Tango::IMAGE:
        attr = new PyAttr<Tango::ImageAttr>(calls, name.c_str(), type, access, max_x, max_y, level);
        break;
    default:
        attr = new PyAttr<Tango::Attr>(calls, name.c_str(), type, level, access);
        break;
    }

    // Default configuration: every property given in the declaration.
    Tango::UserDefaultAttrProp props;
    py::dict p = spec.attr("properties");
    using Setter = void (Tango::UserDefaultAttrProp::*)(const char *);
    const std::pair<const char *, Setter> setters[] = {
        {"label", &Tango::UserDefaultAttrProp::set_label},
        {"description", &Tango::UserDefaultAttrProp::set_description},
        {"unit", &Tango::UserDefaultAttrProp::set_unit},
        {"standard_unit", &Tango::UserDefaultAttrProp::set_standard_unit},
        {"display_unit", &Tango::UserDefaultAttrProp::set_display_unit},
        {"format", &Tango::UserDefaultAttrProp::set_format},
        {"min_value", &Tango::UserDefaultAttrProp::set_min_value},
        {"max_value", &Tango::UserDefaultAttrProp::set_max_value},
        {"min_alarm", &Tango::UserDefaultAttrProp::set_min_alarm},
        {"max_alarm", &Tango::UserDefaultAttrProp::set_max_alarm},
        {"min_warning", &Tango::UserDefaultAttrProp::set_min_warning},
        {"max_warning", &Tango::UserDefaultAttrProp::set_max_warning},
        {"delta_t", &Tango::UserDefaultAttrProp::set_delta_t},
        {"delta_val", &Tango::UserDefaultAttrProp::set_delta_val},
        {"abs_change", &Tango::UserDefaultAttrProp::set_event_abs_change},
        {"rel_change", &Tango::UserDefaultAttrProp::set_event_rel_change},
        {"period", &Tango::UserDefaultAttrProp::set_event_period},
        {"archive_abs_change", &Tango::UserDefaultAttrProp::set_archive_event_abs_change},
        {"archive_rel_change", &Tango::UserDefaultAttrProp::set_archive_event_rel_change},
        {"archive_period", &Tango::UserDefaultAttrProp::set_archive_event_period},
    };
    for (const auto &[key, setter] : setters) {
        if (p.contains(key)) (props.*setter)(p[key].cast<std::string>().c_str());
    }
    if (p.contains("enum_labels")) {
        auto labels = p["enum_labels"].cast<std::vector<std::string>>();
        props.set_enum_labels(labels);
    }
    attr->set_default_properties(props);

    if (spec.attr("memorized").cast<bool>()) {
        attr->set_memorized();
        attr->set_memorized_init(spec.attr("hw_memorized").cast<bool>());
    }
    const long polling = spec.attr("polling_period").cast<long>();
    if (polling > 0) attr->set_polling_period(polling);
    py::object change = spec.attr("change_event");
    if (!change.is_none()) attr->set_change_event(change[py::int_(0)].cast<bool>(), change[py::int_(1)].cast<bool>());
    py::object archive = spec.attr("archive_event");
    if (!archive.is_none()) attr->set_archive_event(archive[py::int_(0)].cast<bool>(), archive[py::int_(1)].cast<bool>());
    if (spec.attr("data_ready_event").cast<bool>()) attr->set_data_ready_event(true);
    return attr;
}

void register_attribute(py::module_ &m) {
    py::class_<AttributeView>(m, "Attribute")
        .def("get_name", [](AttributeView &a) { return a.att->get_name(); })
        .def("get_data_type", [](AttributeView &a) { return static_cast<Tango::CmdArgType>(a.att->get_data_type()); })
        .def("get_data_format", [](AttributeView &a) { return a.att->get_data_format(); })
        .def("get_writable", [](AttributeView &a) { return a.att->get_writable(); })
        .def("get_max_dim_x", [](AttributeView &a) { return a.att->get_max_dim_x(); })
        .def("get_max_dim_y", [](AttributeView &a) { return a.att->get_max_dim_y(); })
        .def("get_quality", [](AttributeView &a) { return a.att->get_quality(); })
        .def("set_quality", [](AttributeView &a, Tango::AttrQuality q, bool send_event) {
            a.att->set_quality(q, send_event);
        }, py::arg("quality"), py::arg("send_event") = false)
        .def("get_date", [](AttributeView &a) { return a.att->get_date(); })
        .def("set_date", [](AttributeView &a, Tango::TimeVal t) { a.att->set_date(t); })
        .def("set_value", [](AttributeView &a, py::handle value) {
            if (a.buf == nullptr) throw py::type_error("set_value is only allowed while reading the attribute");
            set_attribute_value(*a.att, value, *a.buf);
        }, py::arg("value"))
        .def("set_value_date_quality", [](AttributeView &a, py::handle value, py::handle time,
                                          Tango::AttrQuality q) {
            if (a.buf == nullptr) throw py::type_error("set_value is only allowed while reading the attribute");
            set_attribute_result(*a.att, py::make_tuple(value, time, py::cast(q)), *a.buf);
        }, py::arg("value"), py::arg("time"), py::arg("quality"))
        .def("get_write_value", [](AttributeView &a) {
            if (a.att->get_writable() == Tango::READ) throw py::type_error("the attribute is not writable");
            return write_value_to_py(static_cast<Tango::WAttribute &>(*a.att));
        });
}

} // namespace pt
