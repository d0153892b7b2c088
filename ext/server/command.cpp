// Commands of Python devices: execute and is_allowed call the Python device through call_up().
#include "pytango.hpp"
#include "convert/any.hpp"
#include "server/device.hpp"

namespace pt {

namespace {

class PyCommand : public Tango::Command {
public:
    PyCommand(const std::string &name, Tango::CmdArgType in, Tango::CmdArgType out, const std::string &in_desc,
              const std::string &out_desc, Tango::DispLevel level, std::string method, std::string is_allowed)
        : Tango::Command(name.c_str(), in, out, in_desc.c_str(), out_desc.c_str(), level),
          method_(method), is_allowed_(is_allowed) {}

    CORBA::Any *execute(Tango::DeviceImpl *dev, const CORBA::Any &in) override {
        auto *d = static_cast<PyDevice *>(dev);
        return call_up([&] {
            py::object result = in_type == Tango::DEV_VOID ? method_.call(d->self())
                                                           : method_.call(d->self(), any_to_py(in, in_type));
            auto out = std::make_unique<CORBA::Any>();
            if (out_type != Tango::DEV_VOID) any_from_py(*out, out_type, result, nullptr);
            return out.release();
        });
    }

    bool is_allowed(Tango::DeviceImpl *dev, const CORBA::Any &) override {
        if (is_allowed_.empty()) return true;
        auto *d = static_cast<PyDevice *>(dev);
        return call_up([&] { return is_allowed_.call(d->self()).cast<bool>(); });
    }

private:
    MethodName method_;
    MethodName is_allowed_;
};

} // namespace

Tango::Command *make_command(py::handle spec) {
    auto opt = [&](const char *name) {
        py::object v = spec.attr(name);
        return v.is_none() ? std::string() : v.cast<std::string>();
    };
    auto *cmd = new PyCommand(spec.attr("name").cast<std::string>(), spec.attr("dtype_in").cast<Tango::CmdArgType>(),
                              spec.attr("dtype_out").cast<Tango::CmdArgType>(), opt("doc_in"), opt("doc_out"),
                              spec.attr("display_level").cast<Tango::DispLevel>(), opt("method"),
                              opt("is_allowed_method"));
    const long polling = spec.attr("polling_period").cast<long>();
    if (polling > 0) cmd->set_polling_period(polling);
    return cmd;
}

} // namespace pt
