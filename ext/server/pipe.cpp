// Pipes of Python devices: one PyPipe per declared pipe and device, whose read, write and
// is_allowed call the Python device through call_up().
#include "pytango.hpp"
#include "convert/pipe_blob.hpp"
#include "server/device.hpp"

namespace pt {

namespace {

// What a pipe spec (tango/server/pipe.py) says about calling Python.
struct PipeCalls {
    std::string read;       // method names on the device
    std::string write;      // "" for a read-only pipe
    std::string is_allowed; // "" when always allowed
};

std::string str_or_empty(py::handle spec, const char *name) {
    py::object v = spec.attr(name);
    return v.is_none() ? std::string() : v.cast<std::string>();
}

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
Tango::Pipe *make_pipe(py::handle spec) {
    PipeCalls calls{str_or_empty(spec, "read_method"), str_or_empty(spec, "write_method"),
                    str_or_empty(spec, "is_allowed_method")};
    const std::string name = spec.attr("name").cast<std::string>();
    const auto level = spec.attr("display_level").cast<Tango::DispLevel>();
    const auto access = spec.attr("access").cast<Tango::PipeWriteType>();

    Tango::Pipe *pipe = nullptr;
    if (access == Tango::PIPE_READ_WRITE) pipe = new PyWPipe(calls, name, level);
    else pipe = new PyPipe<Tango::Pipe>(calls, name, level, Tango::PIPE_READ);

    Tango::UserDefaultPipeProp props;
    const std::string label = str_or_empty(spec, "label");
    const std::string description = str_or_empty(spec, "description");
    if (!label.empty()) props.set_label(label);
    if (!description.empty()) props.set_description(description);
    pipe->set_default_properties(props);
    return pipe;
}

} // namespace pt
