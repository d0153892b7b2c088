// The client's type caches and command argument preparation (type_cache.hpp).
#include "client/type_cache.hpp"
#include "convert/any.hpp"

#include <algorithm>

namespace pt {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

void TypeCache::forget_cmd(const std::string &name) {
    std::lock_guard<std::mutex> lock(mutex_);
    cmds_.erase(lower(name));
}

void TypeCache::forget_attr(const std::string &name) {
    std::lock_guard<std::mutex> lock(mutex_);
    attrs_.erase(lower(name));
}

void TypeCache::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    cmds_.clear();
    attrs_.clear();
}

void command_argument(Tango::DeviceData &in, const std::string &name, long in_type, py::handle arg,
                      py::object &keep) {
    if (in_type == Tango::DEV_VOID) return;
    if (arg.is_none()) {
        throw py::type_error("command " + name + " expects an argument of type " +
                             py::str(py::cast(static_cast<Tango::CmdArgType>(in_type))).cast<std::string>());
    }
    // A value that does not convert is a TypeError naming the command, its argument and type,
    // as in PyTango; the conversion's own error is its cause.
    auto message = [&] {
        return "Invalid input argument for command " + name + ": " + py::repr(arg).cast<std::string>() +
               " cannot be converted to type " +
               py::str(py::cast(static_cast<Tango::CmdArgType>(in_type))).cast<std::string>();
    };
    try {
        command_arg_from_py(in, in_type, arg, keep);
    } catch (py::error_already_set &e) {
        if (!e.matches(PyExc_TypeError)) throw;
        const std::string text = message();
        py::raise_from(e, PyExc_TypeError, text.c_str());
        throw py::error_already_set();
    } catch (const py::type_error &e) {
        PyErr_SetString(PyExc_TypeError, e.what());
        py::error_already_set cause;
        const std::string text = message();
        py::raise_from(cause, PyExc_TypeError, text.c_str());
        throw py::error_already_set();
    }
}

} // namespace pt
