// Pipes of Python devices: one PyPipe per declared pipe and device, whose read, write and
// is_allowed call the Python device through call_up().
#include "pytango.hpp"
#include "convert/pipe_blob.hpp"
#include "server/device.hpp"
#include "server/spec.hpp"

namespace pt {

namespace {

// What a pipe spec (tango/server/pipe.py) says about calling Python.
struct PipeCalls {
    std::string read;       // method names on the device
    std::string write;      // "" for a read-only pipe
    std::string is_allowed; // "" when always allowed
};

template <class Base>
class PyPipe : public Base {
public:
    template <class... Args>
    PyPipe(PipeCalls calls, Args &&...args) : Base(std::forward<Args>(args)...), calls_(std::move(calls)) {}

    // cppTango holds the device monitor and this pipe's mutex; it sends what the blob holds.
    void read(Tango::DeviceImpl *dev) override {
        auto *d = static_cast<PyDevice *>(dev);
        call_up([&] {
            py::object result = d->self().attr(calls_.read.c_str())();
            blob_from_py(result, this->get_blob());
            this->set_value_flag(true);
        });
    }

    bool is_allowed(Tango::DeviceImpl *dev, Tango::PipeReqType type) override {
        if (calls_.is_allowed.empty()) return true;
        auto *d = static_cast<PyDevice *>(dev);
        return call_up([&] { return d->self().attr(calls_.is_allowed.c_str())(type).template cast<bool>(); });
    }

protected:
    // What WPipe::write does (only writable pipes are asked to write).
    void write_python(Tango::DeviceImpl *dev) {
        auto *d = static_cast<PyDevice *>(dev);
        if (calls_.write.empty()) return;
        call_up([&] {
            // The received blob is valid during this call only: converted (copied) now.
            py::object value = blob_to_py(this->get_blob());
            d->self().attr(calls_.write.c_str())(value);
        });
    }

    PipeCalls calls_;
};

class PyWPipe : public PyPipe<Tango::WPipe> {
public:
    using PyPipe<Tango::WPipe>::PyPipe;
    void write(Tango::DeviceImpl *dev) override { write_python(dev); }
};

} // namespace

// Builds the cppTango pipe described by a tango.server pipe spec.
Tango::Pipe *make_pipe(const PipeSpec &spec) {
    PipeCalls calls{spec.read_method, spec.write_method, spec.is_allowed_method};
    Tango::Pipe *pipe = nullptr;
    if (spec.access == Tango::PIPE_READ_WRITE) pipe = new PyWPipe(calls, spec.name, spec.display_level);
    else pipe = new PyPipe<Tango::Pipe>(calls, spec.name, spec.display_level, Tango::PIPE_READ);

    Tango::UserDefaultPipeProp props;
    if (!spec.label.empty()) props.set_label(spec.label);
    if (!spec.description.empty()) props.set_description(spec.description);
    pipe->set_default_properties(props);
    return pipe;
}

} // namespace pt
