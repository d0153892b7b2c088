// Commands of Python devices: execute and is_allowed call the Python device through call_up().
#include "pytango.hpp"
#include "convert/any.hpp"
#include "server/device.hpp"
#include "server/spec.hpp"

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

Tango::Command *make_command(const CmdSpec &spec) {
    auto *cmd = new PyCommand(spec.name, spec.dtype_in, spec.dtype_out, spec.doc_in, spec.doc_out, spec.display_level,
                              spec.method, spec.is_allowed_method);
    if (spec.polling_period > 0) cmd->set_polling_period(spec.polling_period);
    return cmd;
}

} // namespace pt
