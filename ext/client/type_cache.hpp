// The types a client converts its arguments with, kept per connection: a command's argument
// types and an attribute's type and format are asked of the device once (command_query,
// get_attribute_config), then every call converts without a round trip. DeviceProxy keeps one
// per proxy, Group one per group (its devices share an interface); a failed call forgets the
// entry, so a device that changed its interface is asked again. The command argument itself
// is prepared here too (command_argument), the same way for all of them.
#pragma once

#include "pytango.hpp"
#include "gil.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

namespace pt {

struct AttrType {
    long type;
    Tango::AttrDataFormat format;
};

struct CmdType {
    long in_type;
    long out_type;
};

std::string lower(std::string s);

class TypeCache {
public:
    // The cached type, else query() (called without the GIL, may throw DevFailed) kept.
    template <class Query>
    CmdType cmd(const std::string &name, Query &&query) {
        return find_or_ask(cmds_, name, query);
    }
    template <class Query>
    AttrType attr(const std::string &name, Query &&query) {
        return find_or_ask(attrs_, name, query);
    }
    void forget_cmd(const std::string &name);
    void forget_attr(const std::string &name);
    void clear();

private:
    template <class T, class Query>
    T find_or_ask(std::unordered_map<std::string, T> &map, const std::string &name, Query &query) {
        const std::string key = lower(name);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = map.find(key);
            if (it != map.end()) return it->second;
        }
        T t = without_gil([&] { return query(); });
        std::lock_guard<std::mutex> lock(mutex_);
        map[key] = t;
        return t;
    }

    std::mutex mutex_; // guards the maps only, never held across a call or the GIL
    std::unordered_map<std::string, CmdType> cmds_;
    std::unordered_map<std::string, AttrType> attrs_;
};

// The argument of command `name` whose input type is `in_type`, into `in` (what the converted
// value borrows into `keep`): none for a DevVoid command, a TypeError naming the expected type
// for a missing one.
void command_argument(Tango::DeviceData &in, const std::string &name, long in_type, py::handle arg,
                      py::object &keep);

} // namespace pt
