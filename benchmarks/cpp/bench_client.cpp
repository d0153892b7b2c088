// The C++ client of the benchmarks: the same measurements as the Python client, over the same
// cppTango. Prints one JSON object.
//   bench_client <device> scalar_read|command|image_read|image_write|events [n]
//   bench_client <device> attr_read n <attribute>   (a double scalar, by name)
//   bench_client <device> attr_read_forms n <attr>...  (double scalars read in turn, one of
//                                                       each per round: a median for each)
//   bench_client <device> scalar_read_threads n threads   (n reads in flight from `threads`
//                                                         threads sharing one proxy)
#include <tango/tango.h>

#include "bench_timing.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using bench::Clock;
using bench::latency;
using bench::seconds_since;

template <class F>
void throughput(const char *what, int n, double mbytes, F &&f) {
    f(); // warm-up
    auto t = Clock::now();
    for (int i = 0; i < n; ++i) f();
    std::cout << "{\"what\": \"" << what << "\", \"n\": " << n << ", \"mb_per_s\": " << mbytes * n / seconds_since(t)
              << "}" << std::endl;
}

class Counter : public Tango::CallBack {
public:
    explicit Counter(long last) : last_(last) {}
    void push_event(Tango::EventData *e) override {
        if (e->err || e->attr_value == nullptr) return;
        Tango::DevLong v = 0;
        *e->attr_value >> v;
        std::lock_guard<std::mutex> lock(m_);
        if (!armed_ || v < 1 || v > last_) return; // the value sent on subscription
        if (received_ == 0) first_ = Clock::now();
        if (seen_.empty()) seen_.assign(last_ + 1, false);
        if (!seen_[v]) {
            seen_[v] = true;
            ++received_; // distinct values of this burst
        }
        if (v == last_) {
            last_time_ = Clock::now();
            done_ = true;
            cv_.notify_all();
        }
    }
    void arm() {
        std::lock_guard<std::mutex> lock(m_);
        armed_ = true;
    }
    bool wait(double timeout_s) {
        std::unique_lock<std::mutex> lock(m_);
        return cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] { return done_; });
    }
    long received_ = 0;
    Clock::time_point first_, last_time_;

private:
    long last_;
    bool armed_ = false;
    std::vector<bool> seen_;
    bool done_ = false;
    std::mutex m_;
    std::condition_variable cv_;
};

} // namespace

int main(int argc, char *argv[]) {
    if (argc < 3) {
        std::cerr << "usage: bench_client <device> scalar_read|command|image_read|image_write|events [n]\n";
        return 2;
    }
    try {
        Tango::DeviceProxy dev(argv[1]);
        const std::string what = argv[2];
        const int n = argc > 3 ? std::atoi(argv[3]) : 0;
        const double image_mb = 1024.0 * 1024.0 * 8.0 / 1e6;
        if (what == "scalar_read") {
            latency("scalar_read", n ? n : 5000, [&] {
                Tango::DeviceAttribute da = dev.read_attribute("scalar");
                double v;
                da >> v;
            });
        } else if (what == "attr_read") {
            // bench_client <device> attr_read n <attribute>: a double scalar attribute by name
            std::string name = argc > 4 ? argv[4] : "scalar";
            latency("attr_read", n ? n : 5000, [&] {
                Tango::DeviceAttribute da = dev.read_attribute(name);
                double v;
                da >> v;
            });
        } else if (what == "attr_read_forms") {
            // Forms of one read compared within a few per cent: the attributes are read in
            // turn, round after round, so that the machine's drift (frequency, neighbours)
            // falls on all of them alike instead of on whichever ran in a slower second.
            std::vector<std::string> names(argv + 4, argv + argc);
            const int count = n ? n : 5000;
            std::vector<std::vector<double>> us(names.size(), std::vector<double>(count));
            auto read = [&](std::string &name) {
                Tango::DeviceAttribute da = dev.read_attribute(name);
                double v;
                da >> v;
            };
            for (int i = 0; i < count / 10 + 10; ++i)
                for (auto &name : names) read(name); // warm-up
            for (int i = 0; i < count; ++i) {
                for (size_t k = 0; k < names.size(); ++k) {
                    auto t = Clock::now();
                    read(names[k]);
                    us[k][i] = seconds_since(t) * 1e6;
                }
            }
            std::cout << "{\"what\": \"attr_read_forms\", \"n\": " << count;
            for (size_t k = 0; k < names.size(); ++k) {
                std::sort(us[k].begin(), us[k].end());
                std::cout << ", \"" << names[k] << "\": " << us[k][count / 2];
            }
            std::cout << "}" << std::endl;
        } else if (what == "scalar_read_threads") {
            // The C++ reference of asyncio reads in flight: as many reads, made by threads.
            const int count = n ? n : 2000;
            const int threads = argc > 4 ? std::atoi(argv[4]) : 6;
            for (int i = 0; i < 100; ++i) dev.read_attribute("scalar");
            auto t = Clock::now();
            std::vector<std::thread> pool;
            for (int k = 0; k < threads; ++k) {
                pool.emplace_back([&, k] {
                    omni_thread::ensure_self identity; // cppTango wants an omniORB thread
                    for (int i = k; i < count; i += threads) {
                        Tango::DeviceAttribute da = dev.read_attribute("scalar");
                        double v;
                        da >> v;
                    }
                });
            }
            for (auto &th : pool) th.join();
            std::cout << "{\"what\": \"scalar_read_threads\", \"n\": " << count << ", \"threads\": " << threads
                      << ", \"us_per_read\": " << seconds_since(t) / count * 1e6 << "}" << std::endl;
        } else if (what == "command") {
            latency("command", n ? n : 5000, [&] { dev.command_inout("Noop"); });
        } else if (what == "image_read") {
            throughput("image_read", n ? n : 30, image_mb, [&] {
                Tango::DeviceAttribute da = dev.read_attribute("image");
                Tango::DevVarDoubleArray *seq = nullptr;
                da >> seq; // the received buffer, no copy
                delete seq;
            });
        } else if (what == "image_write") {
            std::vector<double> data(1024 * 1024, 2.0);
            throughput("image_write", n ? n : 30, image_mb, [&] {
                // Lend the buffer to the sequence (release = false): no copy.
                auto *seq = new Tango::DevVarDoubleArray(data.size(), data.size(), data.data(), false);
                Tango::DeviceAttribute da;
                da.set_name("image");
                da.insert(seq, 1024, 1024);
                dev.write_attribute(da);
            });
        } else if (what == "events") {
            const long count = n ? n : 5000;
            Counter cb(count);
            int id = dev.subscribe_event("counter", Tango::CHANGE_EVENT, &cb); // delivers the current value
            cb.arm();
            Tango::DeviceData in;
            in << static_cast<Tango::DevLong>(count);
            dev.set_timeout_millis(60000);
            dev.command_inout("PushEvents", in);
            bool ok = cb.wait(30);
            double span = std::chrono::duration<double>(cb.last_time_ - cb.first_).count();
            dev.unsubscribe_event(id);
            std::cout << "{\"what\": \"events\", \"n\": " << count << ", \"received\": " << cb.received_
                      << ", \"lost\": " << count - cb.received_ << ", \"complete\": " << (ok ? "true" : "false")
                      << ", \"per_s\": " << (ok && span > 0 ? cb.received_ / span : 0.0) << "}" << std::endl;
        } else {
            std::cerr << "unknown measurement " << what << "\n";
            return 2;
        }
    } catch (const Tango::DevFailed &e) {
        Tango::Except::print_exception(e);
        return 1;
    }
    return 0;
}
