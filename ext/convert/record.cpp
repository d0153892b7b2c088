#include "pytango.hpp"
#include "convert/record.hpp"

namespace pt {

py::str record_repr(py::handle self, const char *name, const std::vector<const char *> &fields) {
    std::string s = std::string(name) + "(";
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ", ";
        s += std::string(fields[i]) + "=" + py::repr(self.attr(fields[i])).cast<std::string>();
    }
    return py::str(s + ")");
}

} // namespace pt
