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
    command_arg_from_py(in, in_type, arg, keep);
}

} // namespace pt
