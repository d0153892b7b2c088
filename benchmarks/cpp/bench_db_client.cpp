// The C++ client of the database and group benchmarks (bench_database.py): the same requests as
// the Python client, over the same cppTango. Prints one JSON object.
//   bench_db_client get_property HOST PORT DEVICE n     Database::get_device_property latency
//   bench_db_client proxy NAME n                         DeviceProxy construction (TANGO_HOST)
//   bench_db_client db_command HOST PORT n CMD ARG...     sys/database/2 command_inout, per second
//                                                        (one ARG: a string; more: a string array)
//   bench_db_client group_command n NAME...              Tango::Group::command_inout("Noop")
#include <tango/tango.h>

#include "bench_timing.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

namespace {

using bench::Clock;
using bench::latency;
using bench::seconds_since;

} // namespace

int main(int argc, char *argv[]) {
    if (argc < 3) {
        std::cerr << "usage: bench_db_client get_property|proxy|db_command|group_command ...\n";
        return 2;
    }
    try {
        const std::string what = argv[1];
        if (what == "get_property" && argc >= 6) {
            std::string host = argv[2];
            Tango::Database db(host, std::atoi(argv[3]));
            std::string dev = argv[4];
            latency("get_property", std::atoi(argv[5]), [&] {
                Tango::DbData data;
                data.push_back(Tango::DbDatum("speed"));
                db.get_device_property(dev, data);
                double v;
                data[0] >> v;
            });
        } else if (what == "proxy" && argc >= 4) {
            std::string name = argv[2];
            latency("proxy", std::atoi(argv[3]), [&] { Tango::DeviceProxy dev(name); });
        } else if (what == "db_command" && argc >= 7) {
            std::string trl = std::string("tango://") + argv[2] + ":" + argv[3] + "/sys/database/2";
            Tango::DeviceProxy db(trl);
            const int n = std::atoi(argv[4]);
            const std::string cmd = argv[5];
            Tango::DeviceData in;
            if (argc == 7) {
                std::string arg = argv[6];
                in << arg;
            } else {
                std::vector<std::string> args(argv + 6, argv + argc);
                in << args;
            }
            std::string name = cmd; // command_inout takes a non-const string on cppTango 9.3
            for (int i = 0; i < 20; ++i) db.command_inout(name, in);
            auto t = Clock::now();
            for (int i = 0; i < n; ++i) db.command_inout(name, in);
            std::cout << "{\"what\": \"db_command\", \"n\": " << n << ", \"per_s\": " << n / seconds_since(t) << "}"
                      << std::endl;
        } else if (what == "group_command" && argc >= 4) {
            Tango::Group group("bench");
            std::vector<std::string> names(argv + 3, argv + argc);
            group.add(names);
            latency("group_command", std::atoi(argv[2]), [&] {
                Tango::GroupCmdReplyList replies = group.command_inout("Noop");
                if (replies.has_failed()) throw std::runtime_error("a device of the group failed");
            });
        } else {
            std::cerr << "unknown measurement or missing arguments: " << what << "\n";
            return 2;
        }
    } catch (const Tango::DevFailed &e) {
        Tango::Except::print_exception(e);
        return 1;
    }
    return 0;
}
