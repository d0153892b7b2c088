// Util.fill_attr_polling_buffer / fill_cmd_polling_buffer: a device writes its own history into
// the polling buffer of an attribute or command polled "externally triggered" (period 0).
// Records are tango.TimedAttrData / tango.TimedCmdData (or any object with their fields); the
// values are converted with the GIL, then cppTango is called without it, device monitor held.
#include "pytango.hpp"
#include "convert/any.hpp"
#include "convert/exceptions.hpp"
#include "convert/sequence.hpp"
#include "server/device.hpp"

#include <deque>

namespace pt {

namespace {

using UtilClass = py::class_<Tango::Util, std::unique_ptr<Tango::Util, py::nodelete>>;

py::object field(py::handle record, const char *name) {
    if (!py::hasattr(record, name)) {
        throw py::type_error(std::string("a polling history record needs a '") + name + "' field (use " +
                             "tango.TimedAttrData or tango.TimedCmdData), got " +
                             py::repr(record).cast<std::string>());
    }
    return record.attr(name);
}

// Runs cppTango's fill without the GIL, with the device monitor (taken by request threads
// before the GIL: same order, so no deadlock; re-entrant when called from a command).
template <class F>
void fill_unlocked(PyDevice &dev, F &&fill) {
    ensure_omni_thread();
    py::gil_scoped_release release;
    Tango::AutoTangoMonitor sync(&dev);
    fill();
}

// One value of an attribute record: the sequence holding it (lent from numpy when possible).
template <class Traits>
struct AttrPart {
    std::unique_ptr<typename Traits::seq_type> seq;
    py::object keep;
    Shape shape;
    const typename Traits::value_type *data() const {
        return seq ? seq->get_buffer() : nullptr;
    }
};

template <class Traits>
AttrPart<Traits> attr_part(py::handle value, Tango::AttrDataFormat format) {
    AttrPart<Traits> p;
    if (value.is_none()) return p;
    if (format == Tango::SCALAR) {
        p.seq = seq_of_one<Traits>(value);
        p.shape = Shape{1, 0, false};
    } else {
        auto r = seq_from_py<Traits>(value, format == Tango::IMAGE ? 2 : 1);
        p.seq = std::move(r.seq);
        p.keep = std::move(r.keep);
        p.shape = r.shape;
    }
    return p;
}

// A history given as one record (not a list) is a history of one, as in PyTango.
py::list records_of(py::object history) {
    if (py::isinstance<py::list>(history)) return history;
    if (py::isinstance<py::iterable>(history) && !py::isinstance<py::str>(history)) return py::list(history);
    py::list one;
    one.append(history);
    return one;
}

void fill_attr(Tango::Util &util, DeviceHandle &h, std::string name, py::object given) {
    py::list history = records_of(given);
    PyDevice &dev = h.get();
    Tango::Attribute &att = dev.get_device_attr()->get_attr_by_name(name.c_str());
    const Tango::AttrDataFormat format = att.get_data_format();
    const bool writable = att.get_writable() == Tango::READ_WRITE;
    visit_element_type(att.get_data_type(), [&](auto t) {
        using Traits = decltype(t);
        using T = typename Traits::value_type;
        std::deque<AttrPart<Traits>> parts; // stable addresses: cppTango reads them in the fill
        Tango::AttrHistoryStack<T> stack;
        for (auto record : history) {
            const struct timeval when = timeval_from_py(field(record, "time_stamp"));
            py::object error = field(record, "error");
            if (!error.is_none()) {
                Tango::DevErrorList errors = errors_from_exception(error);
                stack.push(Tango::TimedAttrData<T>(errors, when));
                continue;
            }
            const auto quality = field(record, "quality").cast<Tango::AttrQuality>();
            py::object value = field(record, "value");
            if (value.is_none() && quality != Tango::ATTR_INVALID) {
                throw py::value_error("a polling history record without error needs a value (or quality ATTR_INVALID)");
            }
            const AttrPart<Traits> &r = parts.emplace_back(attr_part<Traits>(value, format));
            py::object w_value = field(record, "w_value");
            const AttrPart<Traits> *w = nullptr;
            if (!w_value.is_none()) {
                if (!writable) throw py::value_error("attribute " + name + " is not READ_WRITE: its history has no w_value");
                w = &parts.emplace_back(attr_part<Traits>(w_value, format));
            }
            // cppTango's dimension checks (x and y at least 1) raise DevFailed for empty arrays.
            auto data = format == Tango::SCALAR  ? Tango::TimedAttrData<T>(r.data(), quality, false, when)
                        : format == Tango::IMAGE ? Tango::TimedAttrData<T>(r.data(), r.shape.x, r.shape.y, quality, false, when)
                                                 : Tango::TimedAttrData<T>(r.data(), r.shape.x, quality, false, when);
            if (w != nullptr) {
                data.wr_ptr = w->data();
                data.wr_x = w->shape.x;
                data.wr_y = format == Tango::IMAGE ? w->shape.y : 0;
            }
            stack.push(data);
        }
        fill_unlocked(dev, [&] { util.fill_attr_polling_buffer(&dev, name, stack); });
    });
}

// The C++ type cppTango's command history holds for each kind of command result.
template <class Tag> struct StoredType;
template <class Tr> struct StoredType<ScalarArg<Tr>> {
    using type = typename Tr::value_type;
    using traits = Tr;
    static constexpr bool scalar = true;
};
template <class Tr> struct StoredType<ArrayArg<Tr>> {
    using type = typename Tr::seq_type;
    static constexpr bool scalar = false;
};
template <> struct StoredType<LongStringArg> {
    using type = Tango::DevVarLongStringArray;
    static constexpr bool scalar = false;
};
template <> struct StoredType<DoubleStringArg> {
    using type = Tango::DevVarDoubleStringArray;
    static constexpr bool scalar = false;
};

void fill_cmd(Tango::Util &util, DeviceHandle &h, std::string name, py::object given) {
    py::list history = records_of(given);
    PyDevice &dev = h.get();
    const long out_type = dev.get_device_class()->get_cmd_by_name(name).get_out_type();
    // Each record: its time and either its errors or its value (the value's storage is kind
    // specific; cppTango copies it into the buffer during the fill).
    struct Base {
        struct timeval when;
        bool failed = false;
        Tango::DevErrorList errors;
        py::object value;
    };
    std::vector<Base> records;
    for (auto record : history) {
        Base b;
        b.when = timeval_from_py(field(record, "time_stamp"));
        py::object error = field(record, "error");
        if (!error.is_none()) {
            b.failed = true;
            b.errors = errors_from_exception(error);
        } else {
            b.value = field(record, "value");
        }
        records.push_back(std::move(b));
    }
    visit_command_type(out_type, [&](auto tag) {
        using Tag = decltype(tag);
        if constexpr (std::is_same_v<Tag, VoidArg>) {
            throw py::type_error("command " + name + " returns nothing: it has no polling history to fill");
        } else if constexpr (std::is_same_v<typename StoredType<Tag>::type, Tango::DevVarStateArray>) {
            // libtango instantiates its command history for every result type but this one.
            throw py::type_error("cppTango cannot fill the polling buffer of a DevVarStateArray command");
        } else {
            using T = typename StoredType<Tag>::type;
            std::deque<T> scalars;            // scalar values
            std::deque<std::string> strings;  // the text of DevString values
            std::deque<CORBA::Any> anys;      // arrays and mixed structs, owned by an Any
            Tango::CmdHistoryStack<T> stack;
            for (auto &r : records) {
                if (r.failed) {
                    stack.push(Tango::TimedCmdData<T>(r.errors, r.when));
                    continue;
                }
                if (r.value.is_none()) throw py::value_error("a command history record without error needs a value");
                T *ptr = nullptr;
                if constexpr (StoredType<Tag>::scalar) {
                    using Traits = typename StoredType<Tag>::traits;
                    if constexpr (Traits::kind == Kind::String) {
                        strings.push_back(bytes_from_py(r.value));
                        ptr = &scalars.emplace_back(const_cast<char *>(strings.back().c_str()));
                    } else if constexpr (Traits::kind == Kind::Encoded) {
                        ptr = &scalars.emplace_back();
                        encoded_from_py(r.value, *ptr);
                    } else {
                        ptr = &scalars.emplace_back(scalar_from_py<T>(r.value));
                    }
                } else {
                    // Arrays and mixed structs: converted by the command conversion into an Any
                    // that keeps them; cppTango copies them out of it.
                    CORBA::Any &any = anys.emplace_back();
                    any_from_py(any, out_type, r.value, nullptr);
                    const T *p = nullptr;
                    any >>= p;
                    ptr = const_cast<T *>(p);
                }
                stack.push(Tango::TimedCmdData<T>(ptr, false, r.when));
            }
            fill_unlocked(dev, [&] { util.fill_cmd_polling_buffer(&dev, name, stack); });
        }
    });
}

} // namespace

void bind_polling_buffer(UtilClass &cls) {
    cls.def("fill_attr_polling_buffer", &fill_attr, py::arg("device"), py::arg("attribute_name"),
            py::arg("attr_history_stack"),
            "Fill the polling buffer of an attribute polled externally (polling period 0) with a "
            "list of tango.TimedAttrData, oldest first (or one record).")
        .def("fill_cmd_polling_buffer", &fill_cmd, py::arg("device"), py::arg("command_name"),
             py::arg("cmd_history_stack"),
             "Fill the polling buffer of a command polled externally (polling period 0) with a list "
             "of tango.TimedCmdData, oldest first (or one record).");
}

} // namespace pt
