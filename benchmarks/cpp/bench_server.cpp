// The C++ reference device server of the benchmarks: the limit our Python binding is measured
// against. One class, BenchDevice: scalar (double, read-write), image (1024x1024 double,
// read-write), counter (long, change events pushed by code), Noop and PushEvents(n).
//   bench_server <instance> -nodb -dlist bench/cpp/1 -ORBendPoint giop:tcp:127.0.0.1:PORT
#include <tango/tango.h>

#include <vector>

namespace bench {

constexpr long kSide = 1024;

class BenchDevice : public Tango::Device_5Impl {
public:
    BenchDevice(Tango::DeviceClass *cl, std::string &name) : Tango::Device_5Impl(cl, name) { init_device(); }
    void init_device() override {
        image_.assign(kSide * kSide, 0.5);
        set_change_event("counter", true, false);
        set_state(Tango::ON);
    }
    double scalar_ = 1.5;
    std::vector<double> image_;
    Tango::DevLong counter_ = 0;
};

class ScalarAttr : public Tango::Attr {
public:
    ScalarAttr() : Tango::Attr("scalar", Tango::DEV_DOUBLE, Tango::READ_WRITE) {}
    void read(Tango::DeviceImpl *d, Tango::Attribute &att) override {
        att.set_value(&static_cast<BenchDevice *>(d)->scalar_);
    }
    void write(Tango::DeviceImpl *d, Tango::WAttribute &att) override {
        att.get_write_value(static_cast<BenchDevice *>(d)->scalar_);
    }
};

class ImageAttr : public Tango::ImageAttr {
public:
    ImageAttr() : Tango::ImageAttr("image", Tango::DEV_DOUBLE, Tango::READ_WRITE, kSide, kSide) {}
    void read(Tango::DeviceImpl *d, Tango::Attribute &att) override {
        auto *dev = static_cast<BenchDevice *>(d);
        att.set_value(dev->image_.data(), kSide, kSide, false); // no copy
    }
    void write(Tango::DeviceImpl *d, Tango::WAttribute &att) override {
        auto *dev = static_cast<BenchDevice *>(d);
        const Tango::DevDouble *p = nullptr;
        att.get_write_value(p);
        const long n = att.get_write_value_length();
        if (p != nullptr && n == kSide * kSide) std::copy(p, p + n, dev->image_.begin());
    }
};

class CounterAttr : public Tango::Attr {
public:
    CounterAttr() : Tango::Attr("counter", Tango::DEV_LONG, Tango::READ) {}
    void read(Tango::DeviceImpl *d, Tango::Attribute &att) override {
        att.set_value(&static_cast<BenchDevice *>(d)->counter_);
    }
};

class NoopCmd : public Tango::Command {
public:
    NoopCmd() : Tango::Command("Noop", Tango::DEV_VOID, Tango::DEV_VOID) {}
    CORBA::Any *execute(Tango::DeviceImpl *, const CORBA::Any &) override { return insert(); }
};

class PushEventsCmd : public Tango::Command {
public:
    PushEventsCmd() : Tango::Command("PushEvents", Tango::DEV_LONG, Tango::DEV_VOID) {}
    CORBA::Any *execute(Tango::DeviceImpl *d, const CORBA::Any &in) override {
        auto *dev = static_cast<BenchDevice *>(d);
        Tango::DevLong n = 0;
        extract(in, n);
        for (Tango::DevLong i = 1; i <= n; ++i) {
            dev->counter_ = i;
            dev->push_change_event("counter", &dev->counter_);
        }
        return insert();
    }
};

class BenchDeviceClass : public Tango::DeviceClass {
public:
    explicit BenchDeviceClass(std::string &name) : Tango::DeviceClass(name) {}
    void command_factory() override {
        command_list.push_back(new NoopCmd());
        command_list.push_back(new PushEventsCmd());
    }
    void attribute_factory(std::vector<Tango::Attr *> &list) override {
        list.push_back(new ScalarAttr());
        list.push_back(new ImageAttr());
        list.push_back(new CounterAttr());
    }
    void device_factory(const Tango::DevVarStringArray *names) override {
        for (CORBA::ULong i = 0; i < names->length(); ++i) {
            std::string name = (*names)[i].in();
            auto *dev = new BenchDevice(this, name);
            device_list.push_back(dev);
            export_device(dev, dev->get_name().c_str());
        }
    }
};

void class_factory(Tango::DServer *ds) {
    std::string name = "BenchDevice";
    ds->_add_class(new BenchDeviceClass(name));
}

} // namespace bench

int main(int argc, char *argv[]) {
    try {
        Tango::DServer::register_class_factory(&bench::class_factory);
        Tango::Util *tg = Tango::Util::init(argc, argv);
        tg->server_init(false);
        std::cout << "Ready to accept request" << std::endl;
        tg->server_run();
        tg->server_cleanup();
    } catch (const Tango::DevFailed &e) {
        Tango::Except::print_exception(e);
        return 1;
    }
    return 0;
}
