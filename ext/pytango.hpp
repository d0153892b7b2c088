// The header every translation unit includes first (and the precompiled header):
// cppTango, pybind11 with numpy and the STL casters, and the project-wide helpers.
#pragma once

#include <tango/tango.h>

#include <pybind11/pybind11.h>
#include <pybind11/native_enum.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "compat.hpp"

namespace py = pybind11;
