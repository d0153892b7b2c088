"""Helpers for testing Tango devices with pytest, as PyTango's tango.test_utils.

    from tango.test_utils import DeviceTestContext, assert_close

Fixtures (import them into a conftest.py, or use ``pytest -p tango.test_utils``): ``state``,
``typed_values``, ``server_green_mode``, ``client_green_mode``.
"""

import enum
import sys

import numpy as np

from . import DevState, GreenMode
from .test_context import DeviceTestContext, MultiDeviceTestContext

__all__ = [
    "DeviceTestContext", "MultiDeviceTestContext", "assert_close", "TYPED_VALUES", "IMAGE_VALUES",
    "GENERAL_TYPED_VALUES", "EXTRA_NUMPY_VALUES", "state", "typed_values", "server_green_mode",
    "client_green_mode", "GREEN_MODES",
]

# Example values per dtype form: scalars, then spectra, as tests write and read them.
TYPED_VALUES = {
    int: (1, 2, -65535, 23),
    float: (2.71, 3.14, -34.678e-10, 12.678e15),
    str: ("hey hey", "my my", "café", ""),
    bool: (False, True, True, False),
    (int,): ([1, 2, 3], [9, 8, 7], [-65535, 2224], [0, 0]),
    (float,): ([0.1, 0.2, 0.3], [0.9, 0.8, 0.7], [-34.678e-10, 12.678e15], [0.0]),
    (str,): (["ab", "cd", "ef"], ["gh", "ij", "kl"], ["café"], [""]),
    (bool,): ([False, False, True], [True, False, False], [True], [False]),
}

IMAGE_VALUES = {
    ((int,),): ([[1, 2], [3, 4]], [[-65535, 2224], [-65535, 2224]]),
    ((float,),): ([[0.1, 0.2], [0.3, 0.4]], [[-34.678e-10, 12.678e15], [0.0, 1.0]]),
    ((str,),): ([["ab", "cd"], ["ef", "gh"]], [["café", ""], ["x", "y"]]),
    ((bool,),): ([[False, True], [True, False]], [[True, True], [False, False]]),
}

EXTRA_NUMPY_VALUES = {
    np.uint8: (0, 255), np.int16: (-32768, 32767), np.uint16: (0, 65535),
    np.int32: (-(2**31), 2**31 - 1), np.uint32: (0, 2**32 - 1), np.int64: (-(2**63), 2**63 - 1),
    np.uint64: (0, 2**64 - 1), np.float32: (-1.5, 3.25), np.float64: (-1.5e300, 2.5),
}

GENERAL_TYPED_VALUES = dict(TYPED_VALUES)
GENERAL_TYPED_VALUES.update(IMAGE_VALUES)

GREEN_MODES = (GreenMode.Synchronous,)  # the other modes come with the green-modes work


def assert_close(a, b):
    """Assert that two values are equal, numbers approximately, whatever their container.

    Scalars, strings, sequences, nested sequences and numpy arrays are compared element by
    element; floats with numpy's default tolerances.
    """
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        assert a == b, f"{a!r} != {b!r}"
        return
    if isinstance(a, enum.Enum) or isinstance(b, enum.Enum):
        assert a == b, f"{a!r} != {b!r}"
        return
    if _is_sequence(a) or _is_sequence(b):
        a_arr, b_arr = _as_array(a), _as_array(b)
        assert a_arr.shape == b_arr.shape, f"shape {a_arr.shape} != {b_arr.shape}"
        if a_arr.dtype.kind in "fc" or b_arr.dtype.kind in "fc":
            np.testing.assert_allclose(a_arr.astype(float), b_arr.astype(float))
        else:
            assert (a_arr == b_arr).all(), f"{a!r} != {b!r}"
        return
    if isinstance(a, float) or isinstance(b, float):
        np.testing.assert_allclose(a, b)
        return
    assert a == b, f"{a!r} != {b!r}"


def _is_sequence(value):
    return isinstance(value, (list, tuple, np.ndarray))


def _as_array(value):
    if isinstance(value, np.ndarray):
        return value
    return np.array(value, dtype=object if _has_strings(value) else None)


def _has_strings(value):
    if isinstance(value, str):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_strings(v) for v in value)
    return False


def _pytest():
    return sys.modules.get("pytest") or __import__("pytest")


try:
    import pytest as _pt

    @_pt.fixture(params=list(DevState))
    def state(request):
        """Every DevState value."""
        return request.param

    @_pt.fixture(params=list(GENERAL_TYPED_VALUES.items()), ids=lambda item: str(item[0]))
    def typed_values(request):
        """(dtype, example values) for every dtype form of TYPED_VALUES and IMAGE_VALUES."""
        return request.param

    @_pt.fixture(params=GREEN_MODES, ids=lambda mode: mode.name)
    def server_green_mode(request):
        """The green modes servers are tested in."""
        return request.param

    @_pt.fixture(params=GREEN_MODES, ids=lambda mode: mode.name)
    def client_green_mode(request):
        """The green modes clients are tested in."""
        return request.param
except ImportError:  # pytest is only needed for the fixtures
    pass
