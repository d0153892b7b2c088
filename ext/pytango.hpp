// The header every translation unit includes first: cppTango, pybind11 with numpy and the STL
// casters (the precompiled ext/pch.hpp), and the project-wide helpers.
#pragma once

#include "pch.hpp"

#include "compat.hpp"

namespace py = pybind11;
