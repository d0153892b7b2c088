// Attributes of Python devices: one PyAttr per declared attribute, whose read, write and
// is_allowed call the Python device through call_up().
#include "pytango.hpp"
#include "convert/server_attribute.hpp"
#include "server/attribute_object.hpp"
#include "server/request_buffers.hpp"
#include "server/device.hpp"
#include "server/spec.hpp"

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

template <class Base>
class PyAttr : public Base {
public:
    template <class... Args>
    PyAttr(AttrCalls calls, Args &&...args) : Base(std::forward<Args>(args)...), calls_(std::move(calls)) {}

    void read(Tango::DeviceImpl *dev, Tango::Attribute &att) override {
        auto *d = static_cast<PyDevice *>(dev);
        if (calls_.read.empty()) return;
        call_up([&] {
            AttrSlot &slot = d->slot(att.get_name());
            if (calls_.read_with_attr) {
                // read(self, attr): attr.set_value(v), or a value returned (as PyTango takes it)
                attribute_object(*d, att, slot);
                py::object r;
                {
                    SlotFlag reading(slot.reading);
                    r = calls_.read.call(d->self(), slot.view);
                }
                if (!r.is_none() && !att.get_value_flag()) set_attribute_result(att, r, request_buffer());
            } else {
                set_attribute_result(att, calls_.read.call(d->self()), request_buffer());
            }
        });
    }

    void write(Tango::DeviceImpl *dev, Tango::WAttribute &att) override {
        auto *d = static_cast<PyDevice *>(dev);
        if (calls_.write.empty()) return;
        call_up([&] {
            if (calls_.write_with_attr) {
                AttrSlot &slot = d->slot(att.get_name());
                attribute_object(*d, att, slot);
                SlotFlag writing(slot.writing);
                calls_.write.call(d->self(), slot.view);
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

} // namespace

// Builds the cppTango attribute described by a tango.server attribute spec.
Tango::Attr *make_attr(const AttrSpec &spec) {
    if (spec.forwarded) {
        // The root attribute comes from the __root_att attribute property (database).
        auto *fwd = new Tango::FwdAttr(spec.name);
        auto label = spec.properties.find("label");
        if (label != spec.properties.end()) {
            Tango::UserDefaultFwdAttrProp props;
            props.set_label(label->second);
            fwd->set_default_properties(props);
        }
        return fwd;
    }
    AttrCalls calls{MethodName(spec.read_method), MethodName(spec.write_method), MethodName(spec.is_allowed_method),
                    spec.read_with_attr, spec.write_with_attr};
    const char *name = spec.name.c_str();
    Tango::Attr *attr = nullptr;
    switch (spec.dformat) {
    case Tango::SPECTRUM:
        attr = new PyAttr<Tango::SpectrumAttr>(calls, name, spec.dtype, spec.access, spec.max_dim_x,
                                               spec.display_level);
        break;
    case Tango::IMAGE:
        attr = new PyAttr<Tango::ImageAttr>(calls, name, spec.dtype, spec.access, spec.max_dim_x, spec.max_dim_y,
                                            spec.display_level);
        break;
    default:
        attr = new PyAttr<Tango::Attr>(calls, name, spec.dtype, spec.display_level, spec.access);
        break;
    }

    // Default configuration: every property given in the declaration (names checked by AttrSpec).
    Tango::UserDefaultAttrProp props;
    const auto &setters = attr_property_setters();
    for (const auto &[key, value] : spec.properties) (props.*setters.at(key))(value.c_str());
    if (!spec.enum_labels.empty()) {
        std::vector<std::string> labels = spec.enum_labels;
        props.set_enum_labels(labels);
    }
    attr->set_default_properties(props);

    if (spec.memorized) {
        attr->set_memorized();
        attr->set_memorized_init(spec.hw_memorized);
    }
    if (spec.polling_period > 0) attr->set_polling_period(spec.polling_period);
    if (spec.change_event_implemented) attr->set_change_event(true, spec.change_event_detect);
    if (spec.archive_event_implemented) attr->set_archive_event(true, spec.archive_event_detect);
#if PYTANGO_HAS_ALARM_EVENT
    if (spec.alarm_event_implemented) attr->set_alarm_event(true, spec.alarm_event_detect);
#endif
    if (spec.data_ready_event_implemented) attr->set_data_ready_event(true);
    return attr;
}

} // namespace pt
