// The server spec structs (spec.hpp) bound as Python classes built with keywords only: each
// field is declared once, here, with its C++ member; an unknown keyword, a missing required one
// or a value of the wrong type is a TypeError when tango/server builds the spec (at class
// creation), never a surprise when cppTango registers the class.
#include "pytango.hpp"
#include "server/spec.hpp"

#include <functional>
#include <memory>

namespace pt {

const std::map<std::string, AttrPropertySetter> &attr_property_setters() {
    using P = Tango::UserDefaultAttrProp;
    static const std::map<std::string, AttrPropertySetter> setters = {
        {"label", &P::set_label},
        {"description", &P::set_description},
        {"unit", &P::set_unit},
        {"standard_unit", &P::set_standard_unit},
        {"display_unit", &P::set_display_unit},
        {"format", &P::set_format},
        {"min_value", &P::set_min_value},
        {"max_value", &P::set_max_value},
        {"min_alarm", &P::set_min_alarm},
        {"max_alarm", &P::set_max_alarm},
        {"min_warning", &P::set_min_warning},
        {"max_warning", &P::set_max_warning},
        {"delta_t", &P::set_delta_t},
        {"delta_val", &P::set_delta_val},
        {"abs_change", &P::set_event_abs_change},
        {"rel_change", &P::set_event_rel_change},
        {"period", &P::set_event_period},
        {"archive_abs_change", &P::set_archive_event_abs_change},
        {"archive_rel_change", &P::set_archive_event_rel_change},
        {"archive_period", &P::set_archive_event_period},
    };
    return setters;
}

namespace {

// Binds T with its fields and a keyword-only constructor that accepts exactly those fields.
template <class T>
class SpecClass {
public:
    SpecClass(py::module_ &m, const char *name, const char *doc) : cls_(m, name, doc), name_(name) {}

    template <class F>
    SpecClass &field(const char *name, F T::*member) {
        cls_.def_readwrite(name, member);
        fields_->push_back({name, [member](T &t, py::handle v) { t.*member = v.cast<F>(); }});
        return *this;
    }

    // A field whose setter checks the value (check throws a Python exception).
    template <class F, class Check>
    SpecClass &checked_field(const char *name, F T::*member, Check check) {
        auto set = [member, check](T &t, const F &v) {
            check(v);
            t.*member = v;
        };
        cls_.def_property(name, [member](const T &t) { return t.*member; }, set);
        fields_->push_back({name, [set](T &t, py::handle v) { set(t, v.cast<F>()); }});
        return *this;
    }

    void finish(std::vector<std::string> required) {
        auto fields = fields_;
        std::string cls_name = name_;
        cls_.def(py::init([fields, required, cls_name](py::kwargs kw) {
            T t;
            for (const auto &r : required) {
                if (!kw.contains(r.c_str()))
                    throw py::type_error(cls_name + "() missing required keyword argument '" + r + "'");
            }
            for (auto item : kw) {
                std::string key = item.first.cast<std::string>();
                const Field *f = nullptr;
                for (const auto &candidate : *fields) {
                    if (candidate.name == key) f = &candidate;
                }
                if (f == nullptr) throw py::type_error(cls_name + "() got an unexpected keyword argument '" + key + "'");
                try {
                    f->set(t, item.second);
                } catch (py::cast_error &) {
                    throw py::type_error(cls_name + "." + key + ": a value of type " +
                                         std::string(py::str(py::type::of(item.second).attr("__name__"))) +
                                         " does not fit this field");
                }
            }
            return t;
        }));
        // Pickled as the dict of its fields: device classes travel to test servers with their
        // spec, made where the class was defined (its type hints resolve there).
        cls_.def(py::pickle(
            [fields](py::handle self) {
                py::dict state;
                for (const auto &f : *fields) state[f.name.c_str()] = self.attr(f.name.c_str());
                return state;
            },
            [fields](const py::dict &state) {
                T t;
                for (const auto &f : *fields) {
                    if (state.contains(f.name.c_str())) f.set(t, state[f.name.c_str()]);
                }
                return t;
            }));
        py::list names;
        for (const auto &f : *fields) names.append(f.name);
        cls_.attr("_fields") = py::tuple(names);
        cls_.def("__repr__", [fields, cls_name](py::handle self) {
            std::string out = cls_name + "(";
            bool first = true;
            for (const auto &f : *fields) {
                out += (first ? "" : ", ") + f.name + "=" + std::string(py::repr(self.attr(f.name.c_str())));
                first = false;
            }
            return out + ")";
        });
    }

private:
    struct Field {
        std::string name;
        std::function<void(T &, py::handle)> set;
    };
    py::class_<T> cls_;
    std::string name_;
    std::shared_ptr<std::vector<Field>> fields_ = std::make_shared<std::vector<Field>>();
};

void check_property_names(const std::map<std::string, std::string> &props) {
    const auto &known = attr_property_setters();
    for (const auto &kv : props) {
        if (known.count(kv.first) == 0)
            throw py::type_error("AttrSpec.properties: '" + kv.first + "' is not an attribute property");
    }
}

} // namespace

void register_spec(py::module_ &m) {
    SpecClass<AttrSpec>(m, "AttrSpec", "What the compiled attribute factory builds one attribute from.")
        .field("name", &AttrSpec::name)
        .field("dtype", &AttrSpec::dtype)
        .field("dformat", &AttrSpec::dformat)
        .field("access", &AttrSpec::access)
        .field("display_level", &AttrSpec::display_level)
        .field("max_dim_x", &AttrSpec::max_dim_x)
        .field("max_dim_y", &AttrSpec::max_dim_y)
        .field("read_method", &AttrSpec::read_method)
        .field("write_method", &AttrSpec::write_method)
        .field("is_allowed_method", &AttrSpec::is_allowed_method)
        .field("read_with_attr", &AttrSpec::read_with_attr)
        .field("write_with_attr", &AttrSpec::write_with_attr)
        .checked_field("properties", &AttrSpec::properties, check_property_names)
        .field("enum_labels", &AttrSpec::enum_labels)
        .field("memorized", &AttrSpec::memorized)
        .field("hw_memorized", &AttrSpec::hw_memorized)
        .field("polling_period", &AttrSpec::polling_period)
        .field("change_event_implemented", &AttrSpec::change_event_implemented)
        .field("change_event_detect", &AttrSpec::change_event_detect)
        .field("archive_event_implemented", &AttrSpec::archive_event_implemented)
        .field("archive_event_detect", &AttrSpec::archive_event_detect)
        // (on cppTango 9.3, which has no alarm events, the declaration is kept and does nothing:
        // pushing or subscribing to one names the cppTango it needs)
        .field("alarm_event_implemented", &AttrSpec::alarm_event_implemented)
        .field("alarm_event_detect", &AttrSpec::alarm_event_detect)
        .field("data_ready_event_implemented", &AttrSpec::data_ready_event_implemented)
        .field("forwarded", &AttrSpec::forwarded)
        .field("read_green_mode", &AttrSpec::read_green_mode)
        .field("write_green_mode", &AttrSpec::write_green_mode)
        .field("isallowed_green_mode", &AttrSpec::isallowed_green_mode)
        .finish({"name", "dtype", "dformat", "access"});

    SpecClass<CmdSpec>(m, "CmdSpec", "What the compiled command factory builds one command from.")
        .field("name", &CmdSpec::name)
        .field("dtype_in", &CmdSpec::dtype_in)
        .field("dtype_out", &CmdSpec::dtype_out)
        .field("doc_in", &CmdSpec::doc_in)
        .field("doc_out", &CmdSpec::doc_out)
        .field("display_level", &CmdSpec::display_level)
        .field("method", &CmdSpec::method)
        .field("is_allowed_method", &CmdSpec::is_allowed_method)
        .field("polling_period", &CmdSpec::polling_period)
        .field("cmd_green_mode", &CmdSpec::cmd_green_mode)
        .field("isallowed_green_mode", &CmdSpec::isallowed_green_mode)
        .finish({"name", "dtype_in", "dtype_out", "method"});

    SpecClass<PipeSpec>(m, "PipeSpec", "What the compiled pipe factory builds one pipe from.")
        .field("name", &PipeSpec::name)
        .field("access", &PipeSpec::access)
        .field("display_level", &PipeSpec::display_level)
        .field("label", &PipeSpec::label)
        .field("description", &PipeSpec::description)
        .field("read_method", &PipeSpec::read_method)
        .field("write_method", &PipeSpec::write_method)
        .field("is_allowed_method", &PipeSpec::is_allowed_method)
        .field("read_green_mode", &PipeSpec::read_green_mode)
        .field("write_green_mode", &PipeSpec::write_green_mode)
        .field("isallowed_green_mode", &PipeSpec::isallowed_green_mode)
        .finish({"name", "access", "read_method"});

    SpecClass<ClassSpec>(m, "ClassSpec",
                         "What the compiled class factory reads about one device class (its attributes, "
                         "commands and pipes are lists: assign a new list, appending to the one read changes "
                         "a copy).")
        .field("name", &ClassSpec::name)
        .field("attributes", &ClassSpec::attributes)
        .field("commands", &ClassSpec::commands)
        .field("pipes", &ClassSpec::pipes)
        .field("overrides_always_executed_hook", &ClassSpec::overrides_always_executed_hook)
        .field("overrides_read_attr_hardware", &ClassSpec::overrides_read_attr_hardware)
        .field("overrides_write_attr_hardware", &ClassSpec::overrides_write_attr_hardware)
        .field("overrides_dev_state", &ClassSpec::overrides_dev_state)
        .field("overrides_dev_status", &ClassSpec::overrides_dev_status)
        .finish({"name"});
}

} // namespace pt
