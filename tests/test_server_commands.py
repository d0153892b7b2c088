"""Commands of Python devices with every argument type, in and out."""

import enum

import numpy as np
import pytest

import tango
from tango import CmdArgType, DevState
from tango.server import command
from tango.test_utils import COMMAND_TYPED_VALUES, GENERAL_TYPED_VALUES, assert_close, repr_type

from _green_server import GreenDeviceTestContext, GreenModeProbe

T = CmdArgType

# id, dtype form, Tango type, value sent, numpy dtype of arrays (None: not a numeric array)
CASES = [
    ("bool", bool, T.DevBoolean, True, None),
    ("int", int, T.DevLong64, -(2**62), None),
    ("float", float, T.DevDouble, -2.5e-300, None),
    ("str", str, T.DevString, "une chaîne", None),
    ("DevState", DevState, T.DevState, DevState.DISABLE, None),
    ("np.uint8", np.uint8, T.DevUChar, 255, None),
    ("np.int16", np.int16, T.DevShort, -32768, None),
    ("np.uint16", np.uint16, T.DevUShort, 65535, None),
    ("np.int32", np.int32, T.DevLong, -(2**31), None),
    ("np.uint32", np.uint32, T.DevULong, 2**32 - 1, None),
    ("np.int64", np.int64, T.DevLong64, 2**63 - 1, None),
    ("np.uint64", np.uint64, T.DevULong64, 2**64 - 1, None),
    ("np.float32", np.float32, T.DevFloat, 0.125, None),
    ("'DevDouble'", "DevDouble", T.DevDouble, 1e300, None),
    ("'DevLong'", "DevLong", T.DevLong, 123, None),
    ("'DevULong64'", "DevULong64", T.DevULong64, 2**63, None),
    ("CmdArgType.DevShort", T.DevShort, T.DevShort, -5, None),
    ("(bool,)", (bool,), T.DevVarBooleanArray, [True, False, True], np.bool_),
    ("(int,)", (int,), T.DevVarLong64Array, [1, -(2**62)], np.int64),
    ("(float,)", (float,), T.DevVarDoubleArray, [0.5, -1e10], np.float64),
    ("(str,)", (str,), T.DevVarStringArray, ["a", "", "é"], None),
    ("(np.uint8,)", (np.uint8,), T.DevVarCharArray, [0, 255], np.uint8),
    ("(np.int16,)", (np.int16,), T.DevVarShortArray, [-32768, 32767], np.int16),
    ("(np.uint16,)", (np.uint16,), T.DevVarUShortArray, [0, 65535], np.uint16),
    ("(np.int32,)", (np.int32,), T.DevVarLongArray, [-(2**31), 1], np.int32),
    ("(np.uint32,)", (np.uint32,), T.DevVarULongArray, [2**32 - 1], np.uint32),
    ("(np.uint64,)", (np.uint64,), T.DevVarULong64Array, [2**64 - 1, 0], np.uint64),
    ("(np.float32,)", (np.float32,), T.DevVarFloatArray, [1.5, -0.25], np.float32),
    ("'DevVarDoubleArray'", "DevVarDoubleArray", T.DevVarDoubleArray, [1.0], np.float64),
    ("list[float] hint form", list[float], T.DevVarDoubleArray, [2.0, 3.0], np.float64),
    ("'DevVarLongStringArray'", "DevVarLongStringArray", T.DevVarLongStringArray,
     ([1, -2, 3], ["x", "y"]), None),
    ("'DevVarDoubleStringArray'", "DevVarDoubleStringArray", T.DevVarDoubleStringArray,
     ([1.5], ["x", "y", "z"]), None),
    ("'DevEncoded'", "DevEncoded", T.DevEncoded, ("raw", b"\x00\x01\xfe\xff"), None),
    ("(DevState,)", (DevState,), T.DevVarStateArray, [DevState.ON, DevState.FAULT], None),
]
PYTHON_SCALAR = {T.DevBoolean: bool, T.DevDouble: float, T.DevFloat: float, T.DevString: str,
                 T.DevState: DevState}


def _echo(key):
    def echo(self, value):
        self._received[key] = value
        return value

    return echo


def _keep(key):
    def keep(self, value):
        self._received[key] = value

    return keep


IN_KEYS = len(CASES)  # in_{i} keeps what it received under IN_KEYS + i, echo_{i} under i


def _plain(value):
    """The value with its enum members as ints, for the text of received() (the checks compare
    the type names apart; an IntEnum member equals its int)."""
    return int(value) if isinstance(value, enum.Enum) else value


def _make_device():
    namespace = {"init_device": lambda self: setattr(self, "_received", {})}
    for i, (_, dtype, _, _, _) in enumerate(CASES):
        namespace[f"echo_{i}"] = command(_echo(i), dtype_in=dtype, dtype_out=dtype)
        namespace[f"in_{i}"] = command(_keep(IN_KEYS + i), dtype_in=dtype)

    def received(self, key):
        value = self._received[key]
        if isinstance(value, np.ndarray):
            return repr(("ndarray", value.dtype.name, value.tolist()))
        if isinstance(value, (list, tuple)):
            return repr((type(value).__name__, [type(v).__name__ for v in value],
                         [v.tolist() if isinstance(v, np.ndarray) else _plain(v) for v in value]))
        return repr((type(value).__name__, _plain(value)))

    namespace["received"] = command(received, dtype_in=int, dtype_out=str)
    return type("CommandDevice", (GreenModeProbe,), namespace)


CommandDevice = _make_device()


@pytest.fixture(scope="module")
def proxy(server_mode):
    with GreenDeviceTestContext(CommandDevice, server_mode, debug=0) as proxy:
        yield proxy


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_command_in_and_out(proxy, index):
    _, _, tango_type, value, np_dtype = CASES[index]
    info = proxy.command_query(f"echo_{index}")
    assert (info.in_type, info.out_type) == (tango_type, tango_type)
    info = proxy.command_query(f"in_{index}")
    assert (info.in_type, info.out_type) == (tango_type, T.DevVoid)

    result = proxy.command_inout(f"echo_{index}", value)
    received = _received(proxy, index)
    if np_dtype is not None:
        assert isinstance(result, np.ndarray) and result.dtype == np_dtype
        assert result.tolist() == list(value)
        assert received == ("ndarray", np.dtype(np_dtype).name, list(value))
    elif tango_type in (T.DevVarLongStringArray, T.DevVarDoubleStringArray):
        numbers, strings = result
        assert_close(numbers, value[0])
        assert list(strings) == value[1]
        assert received[2][0] == value[0] and list(received[2][1]) == value[1]
    elif tango_type == T.DevEncoded:
        assert tuple(result) == value
        assert received[2] == list(value) and received[1] == ["str", "bytes"]
    elif tango_type in (T.DevVarStringArray, T.DevVarStateArray):
        assert list(result) == value
        assert all(type(r) is type(v) for r, v in zip(result, value))
        assert received[2] == value
    else:
        assert result == value
        assert type(result) is PYTHON_SCALAR.get(tango_type, int)
        assert received == (PYTHON_SCALAR.get(tango_type, int).__name__, value)
    # the input-only command gets exactly what the echo got (its own record: nothing was kept
    # under its key before this call)
    assert proxy.command_inout(f"in_{index}", value) is None
    assert _received(proxy, IN_KEYS + index) == received


def _received(proxy, key):
    """What the device's command kept under key: (type, value) or (type, item types, items)."""
    return eval(proxy.received(key), {"DevState": DevState, "tango": tango})  # noqa: S307


def test_command_typed_values_table(proxy):
    """The values of tango.test_utils go through commands unchanged."""
    ids = [c[0] for c in CASES]
    forms = {dtype: ids.index(repr_type(dtype)) for dtype in GENERAL_TYPED_VALUES}
    for dtype, values in GENERAL_TYPED_VALUES.items():
        for value in values:
            result = proxy.command_inout(f"echo_{forms[dtype]}", value)
            expected = [v.decode("latin-1") if isinstance(v, bytes) else v for v in value] if \
                isinstance(dtype, tuple) else value.decode("latin-1") if isinstance(value, bytes) else value
            assert_close(result, expected)
    for dtype, values in COMMAND_TYPED_VALUES.items():
        index = ids.index(repr(repr_type(dtype)))
        for value in values:
            numbers, strings = proxy.command_inout(f"echo_{index}", value)
            assert_close(numbers, value[0])
            assert list(strings) == value[1]


class VoidDevice(GreenModeProbe):
    def init_device(self):
        self._calls = []

    @command
    def void(self):
        self._calls.append("void")

    @command(dtype_in=None, dtype_out=None)
    def explicit_void(self):
        self._calls.append("explicit_void")
        return None

    @command(dtype_out=(str,))
    def calls(self):
        return self._calls

    @command(dtype_in="DevVoid", dtype_out="DevVoid")
    def named_void(self):
        self._calls.append("named_void")


def test_void_commands(server_mode):
    with GreenDeviceTestContext(VoidDevice, server_mode, debug=0) as proxy:
        for name in ("void", "explicit_void", "named_void"):
            info = proxy.command_query(name)
            assert (info.in_type, info.out_type) == (T.DevVoid, T.DevVoid)
            assert proxy.command_inout(name) is None
            assert getattr(proxy, name)() is None
        assert list(proxy.calls()) == ["void", "void", "explicit_void", "explicit_void",
                                       "named_void", "named_void"]


def test_client_side_argument_errors(proxy):
    index = [c[0] for c in CASES].index("np.int16")
    with pytest.raises((TypeError, ValueError, OverflowError, tango.DevFailed)):
        proxy.command_inout(f"echo_{index}", 2**20)  # does not fit a DevShort
    with pytest.raises((TypeError, tango.DevFailed)):
        proxy.command_inout(f"echo_{index}", "not a number")
    assert proxy.command_inout(f"echo_{index}", 12) == 12  # still serving
    with pytest.raises(tango.DevFailed) as info:
        proxy.command_inout("no_such_command")
    assert info.value.args[0].reason == "API_CommandNotFound"
