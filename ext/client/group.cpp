// Group: cppTango's Tango::Group (its replies, its asynchronous requests to every device at once)
// under a handle that Python can hold safely, and the replies as Python objects. tango/group.py
// gives it PyTango's Python API (names resolved as the proxies resolve them, argument forms).
//
// Ownership: cppTango takes a sub-group it is given (Group::add(Group *)) and deletes it when it
// is removed or when its parent goes. The Python object of that sub-group stays usable while it
// is in the tree (it keeps its parent's Python object alive) and raises once cppTango deleted it:
// the C++ group tells its handle when it dies (TrackedGroup's destructor).
#include "pytango.hpp"
#include "gil.hpp"
#include "client/device_proxy.hpp"
#include "convert/any.hpp"
#include "convert/device_attribute.hpp"
#include "convert/exceptions.hpp"
#include "types/device_data.hpp"

#include <atomic>
#include <map>
#include <mutex>

namespace pt {

namespace {

class TrackedGroup : public Tango::Group {
public:
    explicit TrackedGroup(const std::string &name) : Tango::Group(name), alive_(std::make_shared<std::atomic<bool>>(true)) {}
    ~TrackedGroup() override { *alive_ = false; }
    const std::shared_ptr<std::atomic<bool>> &alive() const { return alive_; }

private:
    std::shared_ptr<std::atomic<bool>> alive_;
};

struct GroupDeleter {
    void operator()(TrackedGroup *g) const { ReleaseGilDeleter()(g); }
};

class GroupHandle {
public:
    explicit GroupHandle(const std::string &name) : owned_(new TrackedGroup(name)) {
        group_ = owned_.get();
        alive_ = owned_->alive();
    }
    GroupHandle(TrackedGroup *g, py::object parent) : group_(g), alive_(g->alive()), parent_(std::move(parent)) {}

    TrackedGroup &get() const {
        if (!*alive_) {
            Tango::Except::throw_exception("API_GroupRemoved",
                                           "this group was removed from the group that held it",
                                           "Group");
        }
        return *group_;
    }
    bool owns() const { return owned_ != nullptr; }
    // Hands the C++ group to `parent` (which cppTango makes its owner).
    TrackedGroup *release_to(py::object parent) {
        if (!owned_) {
            throw py::value_error("group '" + group_->get_name() + "' already belongs to a group");
        }
        parent_ = std::move(parent);
        return owned_.release();
    }
    TypeCache &types() { return *types_; }

private:
    std::unique_ptr<TrackedGroup, GroupDeleter> owned_;
    TrackedGroup *group_ = nullptr;
    std::shared_ptr<std::atomic<bool>> alive_;
    py::object parent_; // keeps the tree (owned by the root's handle) alive while this handle is
    std::shared_ptr<TypeCache> types_ = std::make_shared<TypeCache>();
};

using Strings = std::vector<std::string>;

// --- replies -------------------------------------------------------------------------------

struct GroupReplyValue {
    bool failed = false;
    bool enabled = true;
    std::string dev;
    std::string obj;
    py::object errors = py::tuple();

    explicit GroupReplyValue(const Tango::GroupReply &r)
        : failed(r.has_failed()), enabled(r.group_element_enabled()), dev(r.dev_name()), obj(r.obj_name()) {
        if (failed) errors = errors_to_py(r.get_err_stack());
    }
    virtual ~GroupReplyValue() = default;

    void raise_if_failed() const {
        if (!failed) return;
        Tango::DevErrorList list = errors_from_py(errors);
        throw Tango::DevFailed(list);
    }
};

struct GroupCmdReplyValue : GroupReplyValue {
    std::shared_ptr<Tango::DeviceData> data;

    explicit GroupCmdReplyValue(Tango::GroupCmdReply &r)
        : GroupReplyValue(r), data(std::make_shared<Tango::DeviceData>(r.get_data())) {}

    py::object get_data(ExtractAs ex) {
        raise_if_failed();
        data->reset_exceptions(Tango::DeviceData::isempty_flag);
        if (data->is_empty()) return py::none();
        return command_arg_to_py(*data, data->get_type(), ex);
    }

    DeviceDataValue get_data_raw() { // the DeviceData itself, as PyTango's
        raise_if_failed();
        DeviceDataValue out;
        out.dd = *data;
        out.dd.reset_exceptions(Tango::DeviceData::isempty_flag);
        return out;
    }
};

struct GroupAttrReplyValue : GroupReplyValue {
    std::shared_ptr<Tango::DeviceAttribute> data;
    std::map<int, py::object> converted; // by ExtractAs: a conversion takes the buffers of a copy

    explicit GroupAttrReplyValue(Tango::GroupAttrReply &r)
        : GroupReplyValue(r), data(std::make_shared<Tango::DeviceAttribute>(r.get_data())) {}

    py::object get_data(ExtractAs ex) {
        raise_if_failed();
        auto found = converted.find(static_cast<int>(ex));
        if (found != converted.end()) return found->second;
        Tango::DeviceAttribute copy(*data);
        py::object value = py::cast(attribute_to_py(copy, ex));
        converted[static_cast<int>(ex)] = value;
        return value;
    }
};

template <class Reply, class List>
py::list replies_to_py(List &list) {
    py::list out;
    for (auto &r : list) out.append(py::cast(Reply(r)));
    return out;
}

// --- arguments -----------------------------------------------------------------------------

// Calls f on the group's devices in turn until one answers: the type of a command or attribute
// (called without the GIL, by the type cache).
template <class F>
auto ask_first_device(Tango::Group &g, F &&f) -> decltype(f(std::declval<Tango::DeviceProxy &>())) {
    const long n = g.get_size(true);
    std::unique_ptr<Tango::DevFailed> last;
    for (long i = 1; i <= n; ++i) {
        try {
            Tango::DeviceProxy *d = g.get_device(i);
            if (d != nullptr) return f(*d);
        } catch (const Tango::DevFailed &e) {
            last = std::make_unique<Tango::DevFailed>(e);
        }
    }
    if (last) throw *last;
    Tango::Except::throw_exception("API_GroupEmpty", "group '" + g.get_name() + "' has no device to ask",
                                   "Group");
    throw; // not reached
}

// The types a group's arguments are converted with: asked of its first device that answers
// and kept (the devices of one group share their interface).
long command_in_type(GroupHandle &h, const std::string &cmd) {
    return h.types().cmd(cmd, [&] {
        return ask_first_device(h.get(), [&](Tango::DeviceProxy &d) {
            Tango::CommandInfo info = d.command_query(cmd);
            return CmdType{info.in_type, info.out_type};
        });
    }).in_type;
}

AttrType attribute_type(GroupHandle &h, const std::string &attr) {
    return h.types().attr(attr, [&] {
        return ask_first_device(h.get(), [&](Tango::DeviceProxy &d) {
            Tango::AttributeInfoEx info = d.get_attribute_config(attr);
            return AttrType{info.data_type, info.data_format};
        });
    });
}

bool is_sequence_arg(py::handle v) {
    return !py::isinstance<py::str>(v) && !py::isinstance<py::bytes>(v) && py::isinstance<py::sequence>(v);
}

bool is_array_value(py::handle v) {
    return is_sequence_arg(v) || py::hasattr(v, "__array_interface__");
}

bool is_array_type(long type) {
    switch (type) {
    case Tango::DEVVAR_CHARARRAY: case Tango::DEVVAR_SHORTARRAY: case Tango::DEVVAR_LONGARRAY:
    case Tango::DEVVAR_FLOATARRAY: case Tango::DEVVAR_DOUBLEARRAY: case Tango::DEVVAR_USHORTARRAY:
    case Tango::DEVVAR_ULONGARRAY: case Tango::DEVVAR_STRINGARRAY: case Tango::DEVVAR_LONGSTRINGARRAY:
    case Tango::DEVVAR_DOUBLESTRINGARRAY: case Tango::DEVVAR_BOOLEANARRAY: case Tango::DEVVAR_LONG64ARRAY:
    case Tango::DEVVAR_ULONG64ARRAY: case Tango::DEVVAR_STATEARRAY:
        return true;
    default:
        return false;
    }
}

// The per-device arguments of a command, or an empty vector when `arg` is one argument for all.
// Per device: a DeviceDataList or a sequence of DeviceData; for a scalar command a sequence of
// values; for an array command a sequence of sequences, one per device (a flat sequence is the
// one array argument). (ints, strs) commands take per-device arguments as DeviceData only.
std::vector<Tango::DeviceData> per_device_args(GroupHandle &h, const std::string &cmd, py::handle arg,
                                               Tango::DeviceData &single, py::list &keep) {
    std::vector<Tango::DeviceData> many;
    if (py::isinstance<DeviceDataValue>(arg)) {
        single = arg.cast<DeviceDataValue &>().dd;
        return many;
    }
    if (py::isinstance<DeviceDataList>(arg)) {
        for (auto &d : arg.cast<DeviceDataList &>()) many.push_back(d.dd);
        return many;
    }
    if (is_sequence_arg(arg) && py::len(arg) > 0) {
        bool all_dd = true;
        for (auto item : arg) all_dd = all_dd && py::isinstance<DeviceDataValue>(item);
        if (all_dd) {
            for (auto item : arg) many.push_back(item.cast<DeviceDataValue &>().dd);
            return many;
        }
    }
    const long type = command_in_type(h, cmd);
    if (type == Tango::DEV_VOID) {
        throw py::type_error("command " + cmd + " takes no argument");
    }
    bool per_device = false;
    if (is_sequence_arg(arg) && type != Tango::DEVVAR_LONGSTRINGARRAY && type != Tango::DEVVAR_DOUBLESTRINGARRAY) {
        if (!is_array_type(type)) {
            per_device = true;
        } else if (py::len(arg) > 0) {
            per_device = true;
            for (auto item : arg) per_device = per_device && is_array_value(item);
        }
    }
    if (!per_device) {
        py::object k;
        command_arg_from_py(single, type, arg, k);
        if (k) keep.append(k);
        return many;
    }
    for (auto item : arg) {
        Tango::DeviceData dd;
        py::object k;
        command_arg_from_py(dd, type, item, k);
        if (k) keep.append(k);
        many.push_back(dd);
    }
    return many;
}

Tango::DeviceAttribute attribute_arg(GroupHandle &h, const std::string &name, py::handle value, py::list &keep,
                                     py::handle info) {
    AttrType type{};
    if (!info.is_none()) {
        type = AttrType{info.attr("data_type").cast<long>(), info.attr("data_format").cast<Tango::AttrDataFormat>()};
    } else {
        type = attribute_type(h, name);
    }
    Tango::DeviceAttribute da;
    std::string attr_name = name; // set_name takes a non-const string on cppTango 9.3
    da.set_name(attr_name);
    py::object k;
    attribute_from_py(da, type.type, type.format, value, k);
    if (k) keep.append(k);
    return da;
}

// Groups are made into the tree by name, patterns (through the database), or another group.
void add_group(GroupHandle &self, py::object self_obj, GroupHandle &child, int timeout_ms) {
    TrackedGroup &parent = self.get();
    child.get();
    if (&child == &self) throw py::value_error("a group cannot be added to itself");
    if (!child.owns()) {
        throw py::value_error("group '" + child.get().get_name() + "' already belongs to a group");
    }
    TrackedGroup *g = child.release_to(std::move(self_obj));
    without_gil([&] { parent.add(g, timeout_ms); });
}

std::string device_trl(Tango::DeviceProxy &d) {
    if (d.get_from_env_var()) return d.dev_name();
    if (d.is_dbase_used()) return "tango://" + d.get_db_host() + ":" + d.get_db_port() + "/" + d.dev_name();
    return "tango://" + d.get_dev_host() + ":" + d.get_dev_port() + "/" + d.dev_name() + "#dbase=no";
}

} // namespace

void register_group(py::module_ &m) {
    py::class_<GroupReplyValue>(m, "GroupReply", "One device's answer to a group request.")
        .def("has_failed", [](GroupReplyValue &r) { return r.failed; })
        .def("group_element_enabled", [](GroupReplyValue &r) { return r.enabled; },
             "False when the device was disabled in the group (it was not asked).")
        .def("dev_name", [](GroupReplyValue &r) { return r.dev; })
        .def("obj_name", [](GroupReplyValue &r) { return r.obj; }, "The command or attribute name.")
        .def("get_err_stack", [](GroupReplyValue &r) { return r.errors; },
             "The errors of a failed request (a tuple of DevError), () when it did not fail.")
        // PyTango's formats, named for the reply's own type (GroupCmdReply, GroupAttrReply...)
        .def("__repr__", [](py::handle self) {
            auto &r = self.cast<GroupReplyValue &>();
            return py::str(py::type::handle_of(self).attr("__name__")).cast<std::string>() + "(dev_name = '" + r.dev +
                   "', obj_name = '" + r.obj + "', has_failed = " + (r.failed ? "True" : "False") + ")";
        })
        .def("__str__", [](py::handle self) {
            auto &r = self.cast<GroupReplyValue &>();
            return py::str(py::type::handle_of(self).attr("__name__")).cast<std::string>() + "[\n    dev_name = " +
                   r.dev + "\n    obj_name = " + r.obj + "\n    has_failed = " + (r.failed ? "True" : "False") + "\n]";
        });
    py::class_<GroupCmdReplyValue, GroupReplyValue>(m, "GroupCmdReply", "One device's answer to a group command.")
        .def("get_data_raw", &GroupCmdReplyValue::get_data_raw, "The result as a DeviceData.")
        .def("get_data", &GroupCmdReplyValue::get_data, py::arg("extract_as") = ExtractAs::Numpy,
             "The command's result; raises the device's DevFailed when it failed.");
    py::class_<GroupAttrReplyValue, GroupReplyValue>(m, "GroupAttrReply", "One device's answer to a group read.")
        .def("get_data", &GroupAttrReplyValue::get_data, py::arg("extract_as") = ExtractAs::Numpy,
             "The DeviceAttribute read; raises the device's DevFailed when the read failed.");

    py::class_<GroupHandle>(m, "GroupCore", "cppTango's Tango::Group, as tango.Group holds it.")
        .def(py::init<const std::string &>(), py::arg("name"))
        .def("add_names", [](GroupHandle &h, Strings names, int tmo) {
            TrackedGroup &g = h.get();
            without_gil([&] { g.add(names, tmo); });
        }, py::arg("names"), py::arg("timeout_ms") = -1)
        .def("add_group", [](py::object self, GroupHandle &child, int tmo) {
            add_group(self.cast<GroupHandle &>(), self, child, tmo);
        }, py::arg("group"), py::arg("timeout_ms") = -1)
        .def("remove", [](GroupHandle &h, Strings patterns, bool fwd) {
            TrackedGroup &g = h.get();
            without_gil([&] { g.remove(patterns, fwd); });
        }, py::arg("patterns"), py::arg("forward") = true)
        .def("remove_all", [](GroupHandle &h) {
            TrackedGroup &g = h.get();
            without_gil([&] { g.remove_all(); });
        })
        .def("contains", [](GroupHandle &h, const std::string &pattern, bool fwd) {
            TrackedGroup &g = h.get();
            return without_gil([&] { return g.contains(pattern, fwd); });
        }, py::arg("pattern"), py::arg("forward") = true)
        .def("device_trl", [](GroupHandle &h, py::handle key) -> py::object {
            // the TRL of a member device (by name or 1-based index), None when there is none
            TrackedGroup &g = h.get();
            Tango::DeviceProxy *d = nullptr;
            if (py::isinstance<py::int_>(key)) {
                long idx = key.cast<long>();
                d = without_gil([&] { return g.get_device(idx); });
            } else {
                std::string name = key.cast<std::string>();
                d = without_gil([&] { return g.get_device(name); });
            }
            if (d == nullptr) return py::none();
            return py::str(device_trl(*d));
        }, py::arg("name_or_index"))
        .def("get_device_list", [](GroupHandle &h, bool fwd) {
            TrackedGroup &g = h.get();
            return without_gil([&] { return g.get_device_list(fwd); });
        }, py::arg("forward") = true)
        .def("get_size", [](GroupHandle &h, bool fwd) {
            TrackedGroup &g = h.get();
            return without_gil([&] { return g.get_size(fwd); });
        }, py::arg("forward") = true)
        .def("get_group", [](py::object self, const std::string &name) -> py::object {
            TrackedGroup &g = self.cast<GroupHandle &>().get();
            Tango::Group *sub = without_gil([&] { return g.get_group(name); });
            auto *tracked = dynamic_cast<TrackedGroup *>(sub);
            if (tracked == nullptr) return py::none();
            if (tracked == &g) return self;
            return py::cast(GroupHandle(tracked, self));
        }, py::arg("group_name"))
        .def("get_name", [](GroupHandle &h) { return h.get().get_name(); })
        .def("get_fully_qualified_name", [](GroupHandle &h) { return h.get().get_fully_qualified_name(); })
        // the group's own switch (GroupElement's, hidden in Group by the per-device forms)
        .def("enable", [](GroupHandle &h) { static_cast<Tango::GroupElement &>(h.get()).enable(); })
        .def("disable", [](GroupHandle &h) { static_cast<Tango::GroupElement &>(h.get()).disable(); })
        .def("is_enabled", [](GroupHandle &h) { return static_cast<Tango::GroupElement &>(h.get()).is_enabled(); })
        .def("enable_device", [](GroupHandle &h, const std::string &name, bool fwd) {
            TrackedGroup &g = h.get();
            without_gil([&] { g.enable(name, fwd); });
        }, py::arg("device_name"), py::arg("forward") = true)
        .def("disable_device", [](GroupHandle &h, const std::string &name, bool fwd) {
            TrackedGroup &g = h.get();
            without_gil([&] { g.disable(name, fwd); });
        }, py::arg("device_name"), py::arg("forward") = true)
        .def("is_device_enabled", [](GroupHandle &h, const std::string &name, bool fwd) {
            TrackedGroup &g = h.get();
            return without_gil([&] { return g.is_enabled(name, fwd); });
        }, py::arg("device_name"), py::arg("forward") = true)
        .def("name_equals", [](GroupHandle &h, const std::string &n) { return h.get().name_equals(n); })
        .def("name_matches", [](GroupHandle &h, const std::string &n) { return h.get().name_matches(n); })
        .def("ping", [](GroupHandle &h, bool fwd) {
            TrackedGroup &g = h.get();
            return without_gil([&] { return g.ping(fwd); });
        }, py::arg("forward") = true)
        .def("set_timeout_millis", [](GroupHandle &h, int ms) {
            TrackedGroup &g = h.get();
            without_gil([&] { g.set_timeout_millis(ms); });
        }, py::arg("timeout_ms"))
        .def("command_inout_asynch", [](GroupHandle &h, const std::string &cmd, py::handle arg, bool forget,
                                        bool fwd) {
            TrackedGroup &g = h.get();
            if (arg.is_none()) return without_gil([&] { return g.command_inout_asynch(cmd, forget, fwd); });
            Tango::DeviceData single;
            py::list keep;
            std::vector<Tango::DeviceData> many = per_device_args(h, cmd, arg, single, keep);
            if (many.empty()) return without_gil([&] { return g.command_inout_asynch(cmd, single, forget, fwd); });
            return without_gil([&] { return g.command_inout_asynch(cmd, many, forget, fwd); });
        }, py::arg("cmd_name"), py::arg("param") = py::none(), py::arg("forget") = false, py::arg("forward") = true)
        .def("command_inout_reply", [](GroupHandle &h, long id, long tmo) {
            TrackedGroup &g = h.get();
            Tango::GroupCmdReplyList list = without_gil([&] { return g.command_inout_reply(id, tmo); });
            return replies_to_py<GroupCmdReplyValue>(list);
        }, py::arg("req_id"), py::arg("timeout_ms") = 0)
        .def("read_attributes_asynch", [](GroupHandle &h, Strings names, bool fwd) {
            TrackedGroup &g = h.get();
            if (names.size() == 1) return without_gil([&] { return g.read_attribute_asynch(names[0], fwd); });
            return without_gil([&] { return g.read_attributes_asynch(names, fwd); });
        }, py::arg("attr_names"), py::arg("forward") = true)
        .def("read_attributes_reply", [](GroupHandle &h, long id, long tmo) {
            TrackedGroup &g = h.get();
            // read_attribute_reply and read_attributes_reply are one call in cppTango
            Tango::GroupAttrReplyList list = without_gil([&] { return g.read_attributes_reply(id, tmo); });
            return replies_to_py<GroupAttrReplyValue>(list);
        }, py::arg("req_id"), py::arg("timeout_ms") = 0)
        .def("write_attribute_asynch", [](GroupHandle &h, const std::string &name, py::handle value, bool multi,
                                          bool fwd, py::handle info) {
            TrackedGroup &g = h.get();
            py::list keep;
            if (!multi) {
                Tango::DeviceAttribute da = attribute_arg(h, name, value, keep, info);
                return without_gil([&] { return g.write_attribute_asynch(da, fwd); });
            }
            if (!is_sequence_arg(value)) throw py::type_error("multi=True needs one value per device (a sequence)");
            std::vector<Tango::DeviceAttribute> many;
            for (auto item : value) many.push_back(attribute_arg(h, name, item, keep, info));
            return without_gil([&] { return g.write_attribute_asynch(many, fwd); });
        }, py::arg("attr_name"), py::arg("value"), py::arg("multi") = false, py::arg("forward") = true,
           py::arg("info") = py::none())
        .def("write_attribute_reply", [](GroupHandle &h, long id, long tmo) {
            TrackedGroup &g = h.get();
            Tango::GroupReplyList list = without_gil([&] { return g.write_attribute_reply(id, tmo); });
            return replies_to_py<GroupReplyValue>(list);
        }, py::arg("req_id"), py::arg("timeout_ms") = 0);
}

} // namespace pt
