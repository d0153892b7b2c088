"""Type hints as strings (``from __future__ import annotations``) declare types as well.

The device below repeats test_server_type_hints.Hinted under postponed annotations; the expected
types and values are that module's tables.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tango import AttrDataFormat, AttrQuality, AttrWriteType, CmdArgType, DevState
from tango.server import attribute, class_property, command, device_property

from _green_server import GreenDeviceTestContext, GreenModeProbe
from test_server_type_hints import PROPERTY_DEFAULTS, Mode, check_hinted_device


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

    @attribute(dformat=AttrDataFormat.SPECTRUM)
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


def test_postponed_annotations_declare_the_types(server_mode):
    assert Hinted.voltage.fget.__annotations__["return"] == "float"  # really postponed
    check_hinted_device(Hinted, server_mode)


def test_postponed_hints_in_a_class_made_inside_a_function(server_mode):
    class Local(GreenModeProbe):
        level: float = device_property(default_value=0.5)

        @attribute
        def reading(self) -> list[list[np.float32]]:
            return [[self.level]]

        @command
        def greet(self, who: str) -> str:
            return f"hello {who}"

    with GreenDeviceTestContext(Local, server_mode, properties={"level": 2.25}, debug=0) as proxy:
        info = proxy.get_attribute_config("reading")
        assert (info.data_type, info.data_format) == (CmdArgType.DevFloat, AttrDataFormat.IMAGE)
        assert proxy.reading.tolist() == [[2.25]]
        assert proxy.greet("you") == "hello you"
        cmd = proxy.command_query("greet")
        assert (cmd.in_type, cmd.out_type) == (CmdArgType.DevString, CmdArgType.DevString)


class Annotated(GreenModeProbe):
    """Attributes assigned with an annotation take their type from it (as PyTango's)."""

    def init_device(self):
        self._value = None

    scalar: int = attribute(access=AttrWriteType.READ_WRITE, fget="read_value", fset="write_value")
    with_quality: tuple[int, float, AttrQuality] = attribute(fget="read_with_quality")
    spectrum: tuple[int, int, int] = attribute(access=AttrWriteType.READ_WRITE, fget="read_value",
                                               fset="write_value")
    listed: list[float] = attribute(access=AttrWriteType.READ_WRITE, max_dim_x=3, fget="read_value",
                                    fset="write_value")
    image: tuple[tuple[int, int], tuple[int, int]] = attribute(access=AttrWriteType.READ_WRITE,
                                                               fget="read_value", fset="write_value")
    image_quality: list[list[list[float]], float, AttrQuality] = attribute(fget="read_image_with_quality")
    explicit: int = attribute(dtype=str, fget="read_text")  # dtype wins over the annotation

    def read_value(self):
        return self._value

    def write_value(self, value):
        self._value = value

    def read_with_quality(self):
        return 5, 12.0, AttrQuality.ATTR_WARNING

    def read_text(self):
        return "text"

    def read_image_with_quality(self):
        return [[1.5, 2.5]], 13.0, AttrQuality.ATTR_ALARM


def test_attributes_typed_by_their_annotation(server_mode):
    with GreenDeviceTestContext(Annotated, server_mode, debug=0) as proxy:
        types = {name: (proxy.get_attribute_config(name).data_type, proxy.get_attribute_config(name).data_format)
                 for name in ("scalar", "with_quality", "spectrum", "listed", "image", "image_quality", "explicit")}
        assert types == {
            "scalar": (CmdArgType.DevLong64, AttrDataFormat.SCALAR),
            "with_quality": (CmdArgType.DevLong64, AttrDataFormat.SCALAR),
            "spectrum": (CmdArgType.DevLong64, AttrDataFormat.SPECTRUM),
            "listed": (CmdArgType.DevDouble, AttrDataFormat.SPECTRUM),
            "image": (CmdArgType.DevLong64, AttrDataFormat.IMAGE),
            "image_quality": (CmdArgType.DevDouble, AttrDataFormat.IMAGE),
            "explicit": (CmdArgType.DevString, AttrDataFormat.SCALAR),
        }
        reply = proxy.read_attribute("with_quality")
        assert (reply.value, reply.quality, reply.time.totime()) == (5, AttrQuality.ATTR_WARNING, 12.0)
        reply = proxy.read_attribute("image_quality")
        assert (reply.value.tolist(), reply.quality) == ([[1.5, 2.5]], AttrQuality.ATTR_ALARM)
        proxy.spectrum = [1, 2, 3]
        assert list(proxy.spectrum) == [1, 2, 3]
        proxy.image = [[1, 2], [3, 4]]
        assert proxy.image.tolist() == [[1, 2], [3, 4]]
        assert proxy.explicit == "text"
