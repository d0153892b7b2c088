// The server spec: what tango/server hands the compiled class factories, as typed C++ structs
// bound with declared fields (spec.cpp). Python builds them with keywords, so a misspelt or
// missing field fails when the Device class is created, and the C++ reads struct members, so a
// renamed field fails to compile; nothing is looked up by name at registration or per request.
#pragma once

#include "pytango.hpp"

#include <map>

namespace pt {

// One attribute: its type, the methods to call and its default configuration.
struct AttrSpec {
    std::string name;
    long dtype = Tango::DEV_DOUBLE;
    Tango::AttrDataFormat dformat = Tango::SCALAR;
    Tango::AttrWriteType access = Tango::READ;
    Tango::DispLevel display_level = Tango::OPERATOR;
    long max_dim_x = 1;
    long max_dim_y = 0;
    std::string read_method;        // method names on the device; "" for none
    std::string write_method;
    std::string is_allowed_method;
    bool read_with_attr = false;    // read(self, attr) calls attr.set_value(); else returns the value
    bool write_with_attr = false;   // write(self, attr) calls attr.get_write_value(); else gets it
    // The default configuration, by Tango property name (the keys of attr_property_setters()).
    std::map<std::string, std::string> properties;
    std::vector<std::string> enum_labels;
    bool memorized = false;
    bool hw_memorized = false;
    long polling_period = 0;
    bool change_event_implemented = false;
    bool change_event_detect = true;
    bool archive_event_implemented = false;
    bool archive_event_detect = true;
    bool alarm_event_implemented = false; // cppTango 10 only (refused on 9.3 when declared)
    bool alarm_event_detect = true;
    bool data_ready_event_implemented = false;
    bool forwarded = false;         // a forwarded attribute: its root comes from __root_att
    // Whether each method runs on the green worker (False: on cppTango's thread, in place).
    bool read_green_mode = true;
    bool write_green_mode = true;
    bool isallowed_green_mode = true;
};

// One command.
struct CmdSpec {
    std::string name;
    Tango::CmdArgType dtype_in = Tango::DEV_VOID;
    Tango::CmdArgType dtype_out = Tango::DEV_VOID;
    std::string doc_in = "Uninitialised";
    std::string doc_out = "Uninitialised";
    Tango::DispLevel display_level = Tango::OPERATOR;
    std::string method;             // the method name on the device
    std::string is_allowed_method;  // "" when always allowed
    long polling_period = 0;
    bool cmd_green_mode = true;
    bool isallowed_green_mode = true;
};

// One pipe.
struct PipeSpec {
    std::string name;
    Tango::PipeWriteType access = Tango::PIPE_READ;
    Tango::DispLevel display_level = Tango::OPERATOR;
    std::string label;              // "" for Tango's default
    std::string description;
    std::string read_method;
    std::string write_method;       // "" for a read-only pipe
    std::string is_allowed_method;
    bool read_green_mode = true;
    bool write_green_mode = true;
    bool isallowed_green_mode = true;
};

// One device class: tango.server.device.ClassSpec derives from it and adds the Python side
// (the class, its properties, new_device()).
struct ClassSpec {
    std::string name;
    std::vector<AttrSpec> attributes;
    std::vector<CmdSpec> commands;
    std::vector<PipeSpec> pipes;
    // Which Device hooks the class overrides: the others are not called up at all.
    bool overrides_always_executed_hook = false;
    bool overrides_read_attr_hardware = false;
    bool overrides_write_attr_hardware = false;
    bool overrides_dev_state = false;
    bool overrides_dev_status = false;
};

using AttrPropertySetter = void (Tango::UserDefaultAttrProp::*)(const char *);
// The attribute properties a spec may give, by Tango property name, and their setters.
const std::map<std::string, AttrPropertySetter> &attr_property_setters();

Tango::Attr *make_attr(const AttrSpec &spec);
Tango::Command *make_command(const CmdSpec &spec);
Tango::Pipe *make_pipe(const PipeSpec &spec);

} // namespace pt
