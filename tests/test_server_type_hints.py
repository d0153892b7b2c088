"""Type hints declare the types of attributes, commands and properties; an explicit dtype wins.

The same declarations under ``from __future__ import annotations`` (hints kept as strings) are
in test_server_future_annotations.py, checked against the tables of this module.
"""

import enum

import numpy as np
import numpy.typing as npt
import pytest

from tango import AttrDataFormat, AttrQuality, AttrWriteType, CmdArgType, DevState
from tango.server import Device, attribute, class_property, command, device_property

from _green_server import GreenDeviceTestContext, GreenModeProbe

T = CmdArgType
SCALAR, SPECTRUM, IMAGE = AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE


class Mode(enum.IntEnum):
    IDLE = 0
    BUSY = 1
    BROKEN = 2


# attribute name: (Tango type, format, access, value read by the client)
ATTRIBUTES = {
    "voltage": (T.DevDouble, SCALAR, AttrWriteType.READ, 1.5),
    "count": (T.DevLong64, SCALAR, AttrWriteType.READ, 42),
    "title": (T.DevString, SCALAR, AttrWriteType.READ, "psu"),
    "flag": (T.DevBoolean, SCALAR, AttrWriteType.READ, True),
    "small": (T.DevUChar, SCALAR, AttrWriteType.READ, 200),
    "condition": (T.DevState, SCALAR, AttrWriteType.READ, DevState.ALARM),
    "mode": (T.DevEnum, SCALAR, AttrWriteType.READ, Mode.BUSY),
    "trace": (T.DevDouble, SPECTRUM, AttrWriteType.READ, [1.0, 2.0, 3.0]),
    "names": (T.DevString, SPECTRUM, AttrWriteType.READ, ["a", "b"]),
    "frame": (T.DevDouble, IMAGE, AttrWriteType.READ, [[1.0, 2.0], [3.0, 4.0]]),
    "int_frame": (T.DevLong64, IMAGE, AttrWriteType.READ, [[1, 2], [3, 4]]),
    "array": (T.DevDouble, SPECTRUM, AttrWriteType.READ, [0.5, 1.5]),
    "array32": (T.DevFloat, SPECTRUM, AttrWriteType.READ, [0.25]),
    "array_image": (T.DevUShort, IMAGE, AttrWriteType.READ, [[1, 2], [3, 4]]),
    "level": (T.DevDouble, SCALAR, AttrWriteType.READ_WRITE, 0.0),
    "target": (T.DevLong64, SCALAR, AttrWriteType.WRITE, 0),
    "explicit": (T.DevShort, SCALAR, AttrWriteType.READ, 3),
    "explicit_spectrum": (T.DevFloat, SPECTRUM, AttrWriteType.READ, [1.0]),
}

# command name: (in type, out type)
COMMANDS = {
    "double_it": (T.DevLong64, T.DevString),
    "total": (T.DevVarDoubleArray, T.DevDouble),
    "split": (T.DevString, T.DevVarStringArray),
    "switch": (T.DevBoolean, T.DevVoid),
    "judge": (T.DevState, T.DevBoolean),
    "ask_mode": (T.DevVoid, T.DevLong64),
    "to_uchar": (T.DevUChar, T.DevVarLongArray),
    "explicit_cmd": (T.DevDouble, T.DevDouble),
    "nothing": (T.DevVoid, T.DevVoid),
}

# property name: value the device sees (defaults, no value given)
PROPERTY_DEFAULTS = {"host": "localhost", "port": 5000, "gains": [1.0, 2.0], "verbose": False,
                     "site": "lab", "explicit_prop": 7}
PROPERTY_VALUES = {"host": "psu.example", "port": "6000", "gains": ["0.5", "1.5"],
                   "verbose": "true", "explicit_prop": "12"}
PROPERTY_SEEN = {"host": "psu.example", "port": 6000, "gains": [0.5, 1.5], "verbose": True,
                 "site": "lab", "explicit_prop": 12}


class Hinted(GreenModeProbe):
    host: str = device_property(default_value="localhost")
    port: int = device_property(default_value=5000)
    gains: list[float] = device_property(default_value=[1.0, 2.0])
    verbose: bool = device_property(default_value=False)
    site: str = class_property(default_value="lab")
    explicit_prop: str = device_property(dtype=int, default_value=7)

    def init_device(self):
        self._level = 0.0
        self._target = 0

    @attribute
    def voltage(self) -> float:
        return 1.5

    @attribute
    def count(self) -> int:
        return 42

    @attribute
    def title(self) -> str:
        return "psu"

    @attribute
    def flag(self) -> bool:
        return True

    @attribute
    def small(self) -> np.uint8:
        return 200

    @attribute
    def condition(self) -> DevState:
        return DevState.ALARM

    @attribute
    def mode(self) -> Mode:
        return Mode.BUSY

    @attribute(max_dim_x=10)
    def trace(self) -> list[float]:
        return [1.0, 2.0, 3.0]

    @attribute
    def names(self) -> list[str]:
        return ["a", "b"]

    @attribute(max_dim_x=5, max_dim_y=5)
    def frame(self) -> list[list[float]]:
        return [[1.0, 2.0], [3.0, 4.0]]

    @attribute
    def int_frame(self) -> list[list[int]]:
        return [[1, 2], [3, 4]]

    @attribute(dformat=AttrDataFormat.SPECTRUM)  # an array hint does not tell the format
    def array(self) -> npt.NDArray[np.float64]:
        return np.array([0.5, 1.5])

    @attribute(dformat=AttrDataFormat.SPECTRUM)
    def array32(self) -> npt.NDArray[np.float32]:
        return np.array([0.25], dtype=np.float32)

    @attribute(dformat=AttrDataFormat.IMAGE, max_dim_x=4, max_dim_y=4)
    def array_image(self) -> npt.NDArray[np.uint16]:
        return np.array([[1, 2], [3, 4]], dtype=np.uint16)

    @attribute
    def level(self) -> float:
        return self._level

    @level.setter
    def level(self, value: float) -> None:
        self._level = value

    target = attribute(access=AttrWriteType.WRITE)

    def write_target(self, value: int):
        self._target = value

    @attribute(dtype=np.int16)
    def explicit(self) -> float:
        return 3

    @attribute(dtype=(np.float32,))
    def explicit_spectrum(self) -> list[str]:
        return [1.0]

    @command
    def double_it(self, x: int) -> str:
        return str(2 * x)

    @command
    def total(self, values: list[float]) -> float:
        return float(sum(values))

    @command
    def split(self, text: str) -> list[str]:
        return text.split()

    @command
    def switch(self, on: bool) -> None:
        self._level = 1.0 if on else 0.0

    @command
    def judge(self, state: DevState) -> bool:
        return state == DevState.ON

    @command
    def ask_mode(self) -> int:
        return int(Mode.BROKEN)

    @command
    def to_uchar(self, x: np.uint8) -> npt.NDArray[np.int32]:
        return np.array([x, x + 1], dtype=np.int32)

    @command(dtype_in=float, dtype_out=float)
    def explicit_cmd(self, x: int) -> str:
        return x / 2

    @command
    def nothing(self):
        pass

    @attribute(dtype=str)
    def properties_seen(self):
        return repr({name: getattr(self, name) for name in PROPERTY_DEFAULTS})


def check_hinted_device(device_class, server_mode):
    """The checks shared with the `from __future__ import annotations` module."""
    with GreenDeviceTestContext(device_class, server_mode, debug=0) as proxy:
        infos = {info.name: info for info in proxy.attribute_list_query_ex()}
        for name, (tango_type, fmt, access, value) in ATTRIBUTES.items():
            info = infos[name]
            assert (info.data_type, info.data_format, info.writable) == (tango_type, fmt, access), name
            if access == AttrWriteType.WRITE:
                continue
            read = getattr(proxy, name)
            if fmt == SCALAR:
                assert read == value and type(read) is not np.ndarray, name
            else:
                assert np.asarray(read).tolist() == value, name
        assert infos["mode"].enum_labels == ["IDLE", "BUSY", "BROKEN"]
        assert proxy.mode.name == "BUSY"
        assert (infos["trace"].max_dim_x, infos["frame"].max_dim_x, infos["frame"].max_dim_y) == (
            10, 5, 5)
        for name, (in_type, out_type) in COMMANDS.items():
            info = proxy.command_query(name)
            assert (info.in_type, info.out_type) == (in_type, out_type), name
        assert proxy.double_it(21) == "42"
        assert proxy.total([1.5, 2.5]) == 4.0
        assert list(proxy.split("a b c")) == ["a", "b", "c"]
        assert proxy.switch(True) is None
        assert proxy.level == 1.0
        proxy.level = 2.5
        assert proxy.level == 2.5
        assert proxy.judge(DevState.ON) is True
        assert proxy.judge(DevState.OFF) is False
        assert proxy.ask_mode() == 2
        assert proxy.to_uchar(7).tolist() == [7, 8]
        assert proxy.explicit_cmd(3.0) == 1.5
        assert proxy.nothing() is None
        assert eval(proxy.properties_seen) == PROPERTY_DEFAULTS  # noqa: S307
    with GreenDeviceTestContext(device_class, server_mode, properties=PROPERTY_VALUES,
                                debug=0) as proxy:
        assert eval(proxy.properties_seen) == PROPERTY_SEEN  # noqa: S307


def test_type_hints_declare_the_types(server_mode):
    check_hinted_device(Hinted, server_mode)


def test_property_types_from_hints():
    props = Hinted._tango_spec().properties
    assert props["port"].convert(["6000"]) == 6000
    assert props["gains"].convert(["0.5", "1.5"]) == [0.5, 1.5]
    assert props["verbose"].convert(["false"]) is False
    assert props["explicit_prop"].convert(["12"]) == 12  # dtype=int wins over the str hint


@pytest.mark.parametrize("hint,expected", [
    (float, (T.DevDouble, SCALAR)),
    (int, (T.DevLong64, SCALAR)),
    (str, (T.DevString, SCALAR)),
    (bool, (T.DevBoolean, SCALAR)),
    (np.int32, (T.DevLong, SCALAR)),
    (list[bool], (T.DevBoolean, SPECTRUM)),
    (list[np.uint16], (T.DevUShort, SPECTRUM)),
    (tuple[float, float, float], (T.DevDouble, SPECTRUM)),
    (list[list[str]], (T.DevString, IMAGE)),
    (tuple[tuple[int, int], tuple[int, int]], (T.DevLong64, IMAGE)),
    (Mode, (T.DevEnum, SCALAR)),
    (DevState, (T.DevState, SCALAR)),
])
def test_more_return_hints(hint, expected):
    class OneHint(Device):
        @attribute(max_dim_x=3, max_dim_y=3)
        def value(self) -> hint:
            return None

    (spec,) = OneHint._tango_spec().attributes
    assert (CmdArgType(spec.dtype), spec.dformat) == expected


@pytest.mark.parametrize("dformat", [SPECTRUM, IMAGE])
@pytest.mark.parametrize("hint,dtype", [(npt.NDArray[np.int64], T.DevLong64),
                                        (npt.NDArray[np.bool_], T.DevBoolean)])
def test_array_hints_take_the_declared_format(hint, dtype, dformat):
    class OneHint(Device):
        @attribute(dformat=dformat, max_dim_x=3, max_dim_y=3)
        def value(self) -> hint:
            return None

    (spec,) = OneHint._tango_spec().attributes
    assert (CmdArgType(spec.dtype), spec.dformat) == (dtype, dformat)


def test_an_array_hint_without_a_format_is_refused():
    # a numpy array hint says nothing of the dimensions: PyTango wants the format declared
    class NoFormat(Device):
        @attribute
        def value(self) -> npt.NDArray[np.int64]:
            return None

    with pytest.raises(RuntimeError, match="attribute value: for numpy.ndarrays AttrDataFormat has to be specified"):
        NoFormat._tango_spec()


@pytest.mark.parametrize("hint,sizes", [
    (tuple[int, int, int], (3, 0)),
    (tuple[tuple[int, int, int], tuple[int, int, int]], (3, 2)),
    (tuple[tuple[float, float, float], float, AttrQuality], (3, 0)),  # (value, time, quality)
    (tuple[int, ...], (2048, 0)),
    (list[int], (2048, 0)),
    (list[list[int]], (2048, 2048)),
    (tuple[tuple[int, ...], tuple[int, ...]], (2048, 2)),
])
def test_tuple_hints_give_the_sizes(hint, sizes):
    class Sized(Device):
        @attribute
        def value(self) -> hint:
            return None

        @attribute(max_dim_x=5, max_dim_y=6)  # given sizes win over the hint's
        def given(self) -> hint:
            return None

    spec, given = Sized._tango_spec().attributes
    assert (spec.max_dim_x, spec.max_dim_y) == sizes
    assert (given.max_dim_x, given.max_dim_y) == (5, 6 if sizes[1] else 0)


def test_hint_errors_are_reported_at_declaration():
    class NoType(Device):
        @command
        def takes(self, x):
            return x

    with pytest.raises(TypeError, match="takes"):
        NoType._tango_spec()
