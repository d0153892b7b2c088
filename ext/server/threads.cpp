// Python threads in a server: their omniORB identity (EnsureOmniThread, is_omni_thread), the
// serialisation monitor of devices as context managers (AutoTangoMonitor, AutoTangoAllowThreads),
// and the client of the request a thread serves (DeviceImpl.get_client_ident).
#include "pytango.hpp"
#include "gil.hpp"
#include "server/device.hpp"
#include "server/device_class.hpp"

#include <memory>
#include <optional>

namespace pt {

namespace {

// `with EnsureOmniThread():` gives the thread its omniORB identity. The identity is the one
// every call into cppTango makes anyway (gil.hpp), kept for the thread's life: leaving the block
// does not drop it, so that a proxy or a push made inside, still in use after, stays safe.
struct EnsureOmniThread {};

// `with AutoTangoMonitor(device or device class):` holds the monitor that serialises requests,
// chosen by the server's serial model as cppTango does (none in NO_SYNC). Taken without the GIL:
// the request thread that holds it may be waiting for the GIL.
class MonitorGuard {
public:
    explicit MonitorGuard(py::object target) : target_(std::move(target)) {}

    void enter() {
        if (guard_) throw py::value_error("this AutoTangoMonitor is already held");
        if (py::isinstance<DeviceHandle>(target_)) {
            PyDevice *dev = &target_.cast<DeviceHandle &>().get();
            without_gil([&] { guard_ = std::make_unique<Tango::AutoTangoMonitor>(dev); });
        } else if (py::isinstance<PyDeviceClass>(target_)) {
            PyDeviceClass *cls = target_.cast<PyDeviceClass *>();
            without_gil([&] { guard_ = std::make_unique<Tango::AutoTangoMonitor>(cls); });
        } else {
            throw py::type_error("AutoTangoMonitor takes a device or a device class, not " +
                                 std::string(py::str(py::type::of(target_).attr("__name__"))));
        }
    }
    void exit() {
        without_gil([&] { guard_.reset(); });
    }

private:
    py::object target_;
    std::unique_ptr<Tango::AutoTangoMonitor> guard_;
};

// `with AutoTangoAllowThreads(device):` lets go of the device monitor that this thread holds
// (a command waiting for a thread that pushes events), and takes it back as often at the end.
// Only the device monitor (BY_DEVICE) is reachable: the class and process monitors are private
// to cppTango, as in PyTango.
class MonitorRelease {
public:
    explicit MonitorRelease(DeviceHandle &dev) : dev_(&dev.get()) {}

    void enter() {
        if (Tango::Util::instance()->get_serial_model() != Tango::BY_DEVICE) return;
        ensure_omni_thread();
        Tango::TangoMonitor &mon = dev_->get_dev_monitor();
        const int self = omni_thread::self()->id();
        while (mon.get_locking_ctr() > 0 && mon.get_locking_thread_id() == self) {
            mon.rel_monitor();
            ++released_;
        }
    }
    void exit() {
        if (released_ == 0) return;
        Tango::TangoMonitor &mon = dev_->get_dev_monitor();
        without_gil([&] {
            for (; released_ > 0; --released_) mon.get_monitor();
        });
    }

private:
    PyDevice *dev_;
    int released_ = 0;
};

// In a green server the device code runs on the worker while cppTango's request thread, which
// waits for it, holds the device monitor: the monitor is taken or let go there
// (tango.server.green.relay_call), in place on any other thread.
template <class F>
void on_monitor_thread(F &&f) {
    py::module_::import("tango.server.green").attr("relay_call")(py::cpp_function(std::forward<F>(f)));
}

// The client of the request this thread serves, a copy (None off a request thread: cppTango keeps
// it in the thread's omniORB data).
std::optional<Tango::client_addr> client_ident(DeviceHandle &h) {
    if (omni_thread::self() == nullptr) return std::nullopt;
    Tango::client_addr *ca = h.get().get_client_ident();
    if (ca == nullptr) return std::nullopt;
    return *ca;
}

} // namespace

void register_server_threads(py::module_ &m) {
    py::class_<EnsureOmniThread>(m, "EnsureOmniThread",
                                 "with EnsureOmniThread(): a thread of yours becomes an omniORB thread "
                                 "(needed by cppTango for pushes, proxies and monitors).")
        .def(py::init<>())
        .def("__enter__", [](py::object self) {
            ensure_omni_thread();
            return self;
        })
        .def("__exit__", [](EnsureOmniThread &, py::args) { return false; });
    m.def("is_omni_thread", [] { return omni_thread::self() != nullptr; },
          "True if this thread has an omniORB identity (threads of omniORB, the main thread, "
          "EnsureOmniThread blocks, threads that called into cppTango).");

    py::class_<MonitorGuard>(m, "AutoTangoMonitor",
                             "with AutoTangoMonitor(device): the code runs under the device's "
                             "serialisation monitor (the class's or the process's, by serial model).")
        .def(py::init<py::object>(), py::arg("device"))
        .def("__enter__", [](py::object self) {
            MonitorGuard &g = self.cast<MonitorGuard &>();
            on_monitor_thread([&g] { g.enter(); });
            return self;
        })
        .def("__exit__", [](MonitorGuard &g, py::args) {
            on_monitor_thread([&g] { g.exit(); });
            return false;
        });

    py::class_<MonitorRelease>(m, "AutoTangoAllowThreads",
                               "with AutoTangoAllowThreads(device): the device monitor held by this "
                               "thread is let go for the block (other threads may push and serve).")
        .def(py::init<DeviceHandle &>(), py::arg("device"), py::keep_alive<1, 2>())
        .def("__enter__", [](py::object self) {
            MonitorRelease &r = self.cast<MonitorRelease &>();
            on_monitor_thread([&r] { r.enter(); });
            return self;
        })
        .def("__exit__", [](MonitorRelease &r, py::args) {
            on_monitor_thread([&r] { r.exit(); });
            return false;
        });

    py::class_<Tango::client_addr>(m, "ClientAddr", "The client of a request (DeviceImpl.get_client_ident()).")
        .def(py::init([](const std::string &ip) {
                 // cppTango copies the text into a fixed buffer: a longer one is refused here
                 if (ip.size() >= sizeof(Tango::client_addr::client_ip) || ip.find('\0') != std::string::npos) {
                     throw py::value_error("ClientAddr: not an IP address: '" + ip + "'");
                 }
                 return Tango::client_addr(ip.c_str());
             }),
             py::arg("addr"))
        .def_readonly("client_ident", &Tango::client_addr::client_ident)
        .def_readonly("client_lang", &Tango::client_addr::client_lang)
        .def_readonly("client_pid", &Tango::client_addr::client_pid)
        .def_readonly("java_main_class", &Tango::client_addr::java_main_class)
        .def_property_readonly("client_ip", [](const Tango::client_addr &c) { return std::string(c.client_ip); })
        .def_property_readonly("java_ident", [](const Tango::client_addr &c) {
            return py::make_tuple(c.java_ident[0], c.java_ident[1]);
        })
        .def("get_client_hostname", [](const Tango::client_addr &c) {
            std::string host;
            if (c.client_ip_2_client_name(host) == -1) throw py::value_error(std::string("cannot parse client_ip ") + c.client_ip);
            return host;
        })
        .def("__eq__", [](Tango::client_addr &a, Tango::client_addr &b) { return a == b; }, py::is_operator())
        .def("__ne__", [](Tango::client_addr &a, Tango::client_addr &b) { return a != b; }, py::is_operator())
        .def("__repr__", [](const Tango::client_addr &c) {
            std::ostringstream s;
            s << "ClientAddr(" << c.client_ip << ", pid " << c.client_pid << ")";
            return s.str();
        })
        .def("__str__", [](const Tango::client_addr &c) { // cppTango's own text
            std::ostringstream s;
            s << c;
            return s.str();
        });

    auto device = py::reinterpret_borrow<py::class_<DeviceHandle>>(m.attr("DeviceImpl"));
    device.def("get_client_ident", &client_ident,
               "The client of the request being served (a ClientAddr), or None off a request thread.");
}

} // namespace pt
