// Logging from Python: log4tango's Logger and Level, cppTango's Logging (targets of the whole
// server), and the log methods of devices (debug_stream ... fatal_stream), which hand cppTango
// the source location of the Python caller.
#include "pytango.hpp"
#include "gil.hpp"
#include "server/device.hpp"

namespace pt {

namespace {

using log4tango::Level;

// Where a message comes from, as cppTango 10 prints it: "(file.py:12)". cppTango 9.3 keeps no
// location, so it is not looked up there.
struct Location {
    std::string file = "python";
    int line = 0;
};

std::string base_name(const std::string &path) {
    const auto slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The directory of the tango package: frames of its own code (TangoStream, the logging handler,
// green wrappers) are not where a message comes from.
const std::string &tango_dir() {
    static const std::string dir = [] {
        py::object os_path = py::module_::import("os.path");
        py::object file = py::module_::import("tango").attr("__file__");
        return os_path.attr("dirname")(file).cast<std::string>() + "/";
    }();
    return dir;
}

// The innermost Python frame outside the tango package.
Location caller_location() {
    PyFrameObject *frame = PyEval_GetFrame(); // borrowed
    Py_XINCREF(frame);
    while (frame != nullptr) {
        PyCodeObject *code = PyFrame_GetCode(frame);
        std::string file = py::handle(code->co_filename).cast<std::string>();
        Py_DECREF(code);
        if (file.compare(0, tango_dir().size(), tango_dir()) != 0) {
            Location loc{base_name(file), PyFrame_GetLineNumber(frame)};
            Py_DECREF(frame);
            return loc;
        }
        PyFrameObject *back = PyFrame_GetBack(frame);
        Py_DECREF(frame);
        frame = back;
    }
    return {};
}

// The definition of a function given as source= (by the LogIt decorators): the function under
// its wrappers (functools.wraps sets __wrapped__), at its first line (its first decorator).
Location function_location(py::handle source) {
    py::object f = py::reinterpret_borrow<py::object>(source);
    for (int depth = 0; depth < 64 && py::hasattr(f, "__wrapped__"); ++depth) f = f.attr("__wrapped__");
    if (py::hasattr(f, "__func__")) f = f.attr("__func__");
    py::object code = py::getattr(f, "__code__", py::none());
    if (code.is_none()) return caller_location();
    return {base_name(code.attr("co_filename").cast<std::string>()), code.attr("co_firstlineno").cast<int>()};
}

// PyTango's stream formatting: msg % args when arguments are given, the text as it is otherwise
// (a lone "%s" stays literal).
std::string format_message(py::handle msg, const py::args &args) {
    if (args.empty()) return py::str(msg).cast<std::string>();
    PyObject *text = PyNumber_Remainder(msg.ptr(), args.ptr());
    if (text == nullptr) throw py::error_already_set();
    return py::str(py::reinterpret_steal<py::object>(text)).cast<std::string>();
}

void log_to(log4tango::Logger *logger, Level::Value level, py::handle msg, const py::args &args,
            py::handle source) {
    if (!logger->is_level_enabled(level)) return; // nothing formatted, nothing looked up
    const std::string text = format_message(msg, args);
    Location loc;
#if PYTANGO_CPPTANGO_AT_LEAST(10, 0)
    loc = source.is_none() ? caller_location() : function_location(source);
#else
    (void)source;
#endif
    // Appenders write files and send to log devices (the same process, maybe): no GIL held.
    without_gil([&] { compat::log_message(logger, level, text, loc.file.c_str(), loc.line); });
}

// Logger methods taking a message and % arguments, at a fixed level.
template <Level::Value L>
void bind_level(py::class_<log4tango::Logger> &cls, const char *name, const char *enabled) {
    cls.def(name, [](log4tango::Logger &l, py::object msg, py::args args) { log_to(&l, L, msg, args, py::none()); },
            py::arg("msg"))
        .def(enabled, [](log4tango::Logger &l) { return l.is_level_enabled(L); });
}

// The device methods of one level: <level>_stream(msg, *args, source=None).
template <Level::Value L>
void bind_stream(py::class_<DeviceHandle> &cls, const char *name) {
    cls.def(name, [](DeviceHandle &h, py::object msg, py::args args, py::object source) {
        log_to(h.get().get_logger(), L, msg, args, source);
    }, py::arg("msg"), py::kw_only(), py::arg("source") = py::none(),
       "Log msg (% args if given) at this level to the device's logging targets.");
}

// A TangoStream (tango.log4tango) on one of the device's streams: print(x, file=self.log_info).
py::object tango_stream(py::handle self, const char *stream) {
    return py::module_::import("tango.log4tango").attr("TangoStream")(self.attr(stream));
}

Tango::DevVarStringArray string_array(const std::vector<std::string> &items) {
    Tango::DevVarStringArray out;
    out.length(static_cast<CORBA::ULong>(items.size()));
    for (CORBA::ULong i = 0; i < items.size(); ++i) out[i] = CORBA::string_dup(items[i].c_str());
    return out;
}

// ["device", "type::name", ...] as the admin device's AddLoggingTarget takes them.
std::vector<std::string> target_args(py::handle arg) {
    if (py::isinstance<py::str>(arg)) {
        throw py::type_error("give the device name and its targets as a sequence: "
                             "[\"a/b/c\", \"file::/tmp/x.log\"]");
    }
    return arg.cast<std::vector<std::string>>();
}

} // namespace

void register_server_logging(py::module_ &m) {
    // log4tango's level values (PyTango's tango._tango.LevelLevel; not exported from tango)
    py::native_enum<Level::LevelLevel>(m, "LevelLevel", "tango._enum_base.TangoEnum")
        .value("OFF", Level::OFF).value("FATAL", Level::FATAL).value("ERROR", Level::ERROR)
        .value("WARN", Level::WARN).value("INFO", Level::INFO).value("DEBUG", Level::DEBUG)
        .finalize();

    py::class_<Level>(m, "Level", "log4tango's levels: names and values (LevelLevel).")
        .def_static("get_name", [](int value) { return Level::get_name(value); }, py::arg("level"))
        .def_static("get_value", [](const std::string &name) {
            // (log4tango 9.3's own get_value is off by one level: "DEBUG" gives INFO's 500)
            for (Level::Value v : {Level::OFF, Level::FATAL, Level::ERROR, Level::WARN, Level::INFO, Level::DEBUG}) {
                if (Level::get_name(v) == name) return v;
            }
            throw py::value_error("unknown log level name: " + name);
        }, py::arg("level_name"));

    py::class_<log4tango::Logger> logger(m, "Logger", "A log4tango logger (a device's: Device.get_logger()).");
    logger.def(py::init<const std::string &, int>(), py::arg("name"), py::arg("level") = int(Level::OFF))
        .def("get_name", &log4tango::Logger::get_name)
        .def("get_level", &log4tango::Logger::get_level)
        .def("set_level", [](log4tango::Logger &l, int level) { l.set_level(level); }, py::arg("level"))
        .def("is_level_enabled", [](log4tango::Logger &l, int level) { return l.is_level_enabled(level); },
             py::arg("level"))
        .def("log", [](log4tango::Logger &l, int level, py::object msg, py::args args) {
            log_to(&l, level, msg, args, py::none());
        }, py::arg("level"), py::arg("msg"))
        .def("log_unconditionally", [](log4tango::Logger &l, int level, py::object msg, py::args args) {
            const std::string text = format_message(msg, args);
            without_gil([&] { compat::log_unconditionally(&l, level, text); });
        }, py::arg("level"), py::arg("msg"));
    bind_level<Level::DEBUG>(logger, "debug", "is_debug_enabled");
    bind_level<Level::INFO>(logger, "info", "is_info_enabled");
    bind_level<Level::WARN>(logger, "warn", "is_warn_enabled");
    bind_level<Level::ERROR>(logger, "error", "is_error_enabled");
    bind_level<Level::FATAL>(logger, "fatal", "is_fatal_enabled");
    logger.attr("warning") = logger.attr("warn");

    py::class_<Tango::Logging, std::unique_ptr<Tango::Logging, py::nodelete>>(
        m, "Logging", "The logging of the whole server (cppTango's Tango::Logging).")
        .def_static("get_core_logger", [] { return Tango::Logging::get_core_logger(); },
                    py::return_value_policy::reference, "The server's own logger (None before Util is made).")
        .def_static("add_logging_target", [](py::handle args) {
            Tango::DevVarStringArray in = string_array(target_args(args));
            without_gil([&] { Tango::Logging::add_logging_target(&in); });
        }, py::arg("targets"), "[device, 'console::cout' | 'file::path' | 'device::name', ...]")
        .def_static("remove_logging_target", [](py::handle args) {
            Tango::DevVarStringArray in = string_array(target_args(args));
            without_gil([&] { Tango::Logging::remove_logging_target(&in); });
        }, py::arg("targets"))
        .def_static("start_logging", [] { without_gil([] { Tango::Logging::start_logging(); }); })
        .def_static("stop_logging", [] { without_gil([] { Tango::Logging::stop_logging(); }); });

    // The log methods of every device (tango.server.Device and the classic implementations).
    auto device = py::reinterpret_borrow<py::class_<DeviceHandle>>(m.attr("DeviceImpl"));
    bind_stream<Level::DEBUG>(device, "debug_stream");
    bind_stream<Level::INFO>(device, "info_stream");
    bind_stream<Level::WARN>(device, "warn_stream");
    bind_stream<Level::ERROR>(device, "error_stream");
    bind_stream<Level::FATAL>(device, "fatal_stream");
    device.def("get_logger", [](DeviceHandle &h) { return h.get().get_logger(); },
               py::return_value_policy::reference, "The device's log4tango Logger.")
        .def("init_logger", [](DeviceHandle &h) { without_gil([&] { h.get().init_logger(); }); })
        .def("start_logging", [](DeviceHandle &h) { without_gil([&] { h.get().start_logging(); }); })
        .def("stop_logging", [](DeviceHandle &h) { without_gil([&] { h.get().stop_logging(); }); })
        .def_property_readonly("log_debug", [](py::handle self) { return tango_stream(self, "debug_stream"); })
        .def_property_readonly("log_info", [](py::handle self) { return tango_stream(self, "info_stream"); })
        .def_property_readonly("log_warn", [](py::handle self) { return tango_stream(self, "warn_stream"); })
        .def_property_readonly("log_error", [](py::handle self) { return tango_stream(self, "error_stream"); })
        .def_property_readonly("log_fatal", [](py::handle self) { return tango_stream(self, "fatal_stream"); });
}

} // namespace pt
