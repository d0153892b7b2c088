// Versions and constants of the cppTango the module was built with.
#include "pytango.hpp"

namespace pt {

void register_constants(py::module_ &m) {
    auto c = m.def_submodule("constants", "Constants of the cppTango the module was built with.");
    c.attr("TgLibVers") = Tango::TgLibVers;
    c.attr("TgLibMajorVers") = Tango::TgLibMajorVers;
    c.attr("TgLibVersNb") = Tango::TgLibVersNb;
    c.attr("TANGO_VERSION_MAJOR") = TANGO_VERSION_MAJOR;
    c.attr("TANGO_VERSION_MINOR") = TANGO_VERSION_MINOR;
    c.attr("TANGO_VERSION_PATCH") = TANGO_VERSION_PATCH;
    c.attr("DevVersion") = Tango::DevVersion;
    c.attr("DefaultDocUrl") = Tango::DefaultDocUrl;
    c.attr("DEFAULT_LOCK_VALIDITY") = Tango::DEFAULT_LOCK_VALIDITY;
    c.attr("DEFAULT_TIMEOUT") = Tango::CLNT_TIMEOUT;
    c.attr("AlrmValueNotSpec") = Tango::AlrmValueNotSpec;
    c.attr("AssocWritNotSpec") = Tango::AssocWritNotSpec;
    c.attr("DescNotSpec") = Tango::DescNotSpec;
    c.attr("FormatNotSpec") = Tango::FormatNotSpec;
    c.attr("LabelNotSpec") = Tango::LabelNotSpec;
    c.attr("UnitNotSpec") = Tango::UnitNotSpec;
    c.attr("StdUnitNotSpec") = Tango::StdUnitNotSpec;
    c.attr("DispUnitNotSpec") = Tango::DispUnitNotSpec;
    c.attr("NotANumber") = Tango::NotANumber;
    m.attr("__cpptango_version__") = Tango::TgLibVers;
}

} // namespace pt
