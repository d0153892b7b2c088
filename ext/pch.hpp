// The precompiled header: only what is not ours (cppTango, pybind11 with numpy and the STL
// casters). None of the project's headers belongs here: ccache caches the precompiled header by
// its preprocessed text (sloppiness pch_defines), in which a #define leaves no trace, so a
// project macro changed in a fresh clone (ext/compat.hpp) would come back with its old value
// from an earlier clone's cached header, and the build would silently compile the wrong branch.
#pragma once

#include <tango/tango.h>

#include <pybind11/pybind11.h>
#include <pybind11/native_enum.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>
