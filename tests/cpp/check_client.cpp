// An independent client of the Python device servers: plain cppTango, no Python involved.
//   check_client <device name>
// Talks to the CheckTarget device of tests/test_server_cpp_client.py and prints one line per
// result, "key=value", for the test to compare with what the Python side expects.
#include <tango/tango.h>

#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace {

void print_errors(const std::string &key, const Tango::DevFailed &e) {
    std::cout << key << ".reason=" << e.errors[0].reason.in() << "\n";
}

} // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        std::cerr << "usage: check_client <device name>\n";
        return 2;
    }
    std::cout << std::setprecision(17);
    try {
        Tango::DeviceProxy dev(argv[1]);

        // a double attribute: read, write, read back (value and set point)
        Tango::DeviceAttribute da = dev.read_attribute("voltage");
        Tango::DevDouble voltage = 0;
        da >> voltage;
        std::cout << "voltage.read=" << voltage << "\n";
        Tango::DevDouble new_voltage = 2.75;
        Tango::DeviceAttribute to_write("voltage", new_voltage);
        dev.write_attribute(to_write);
        da = dev.read_attribute("voltage");
        std::vector<Tango::DevDouble> read_and_set;
        da.extract_read(read_and_set);
        std::vector<Tango::DevDouble> set_point;
        da.extract_set(set_point);
        std::cout << "voltage.after_write=" << read_and_set[0] << "\n";
        std::cout << "voltage.set_point=" << set_point[0] << "\n";

        // commands with an argument
        Tango::DeviceData in;
        in << static_cast<Tango::DevDouble>(1.5);
        Tango::DeviceData out = dev.command_inout("scale", in);
        Tango::DevDouble scaled = 0;
        out >> scaled;
        std::cout << "scale=" << scaled << "\n";
        Tango::DeviceData name_in;
        std::string name("cpp");
        name_in << name;
        std::string greeting;
        dev.command_inout("greet", name_in) >> greeting;
        std::cout << "greet=" << greeting << "\n";
        Tango::DeviceData array_in;
        std::vector<Tango::DevLong> numbers{3, 4, 5};
        array_in << numbers;
        Tango::DevLong64 total = 0;
        dev.command_inout("total", array_in) >> total;
        std::cout << "total=" << total << "\n";

        // a spectrum, the state and status, the configuration
        std::vector<Tango::DevDouble> trace;
        dev.read_attribute("trace") >> trace;
        std::cout << "trace=";
        for (size_t i = 0; i < trace.size(); ++i) std::cout << (i ? "," : "") << trace[i];
        std::cout << "\n";
        std::cout << "state=" << Tango::DevStateName[dev.state()] << "\n";
        std::cout << "status=" << dev.status() << "\n";
        Tango::AttributeInfoEx info = dev.get_attribute_config("voltage");
        std::cout << "voltage.unit=" << info.unit << "\n";
        std::cout << "voltage.label=" << info.label << "\n";
        std::cout << "voltage.max_value=" << info.max_value << "\n";
        Tango::CommandInfo cmd = dev.command_query("scale");
        std::cout << "scale.in_type=" << cmd.in_type << "\n";
        std::cout << "scale.doc_in=" << cmd.in_type_desc << "\n";

        // errors raised by Python code
        try {
            dev.read_attribute("broken") >> voltage;
            std::cout << "broken.reason=none\n";
        } catch (Tango::DevFailed &e) {
            print_errors("broken", e);
        }
        try {
            dev.command_inout("fail");
            std::cout << "fail.reason=none\n";
        } catch (Tango::DevFailed &e) {
            print_errors("fail", e);
        }
        std::cout << "done=yes" << std::endl;
    } catch (Tango::DevFailed &e) {
        Tango::Except::print_exception(e);
        return 1;
    }
    return 0;
}
