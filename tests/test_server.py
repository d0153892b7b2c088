"""Device servers written in Python, tested through DeviceTestContext (no database)."""

import enum
import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import numpy.typing as npt
import pytest

import tango
from tango import AttrDataFormat, AttrWriteType, CmdArgType, DevFailed, DevState, DispLevel
from tango.server import Device, attribute, class_property, command, device_property
from tango.test_context import DeviceTestContext, MultiDeviceTestContext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Color(enum.IntEnum):
    RED = 0
    GREEN = 1
    BLUE = 2


# dtype form, expected Tango type, expected format, a value to write and read back
DTYPES = [
    (float, CmdArgType.DevDouble, AttrDataFormat.SCALAR, 2.5),
    (int, CmdArgType.DevLong64, AttrDataFormat.SCALAR, -(2**40)),
    (bool, CmdArgType.DevBoolean, AttrDataFormat.SCALAR, True),
    (str, CmdArgType.DevString, AttrDataFormat.SCALAR, "héllo"),
    (np.uint8, CmdArgType.DevUChar, AttrDataFormat.SCALAR, 200),
    (np.int16, CmdArgType.DevShort, AttrDataFormat.SCALAR, -300),
    (np.uint16, CmdArgType.DevUShort, AttrDataFormat.SCALAR, 60000),
    (np.int32, CmdArgType.DevLong, AttrDataFormat.SCALAR, -70000),
    (np.uint32, CmdArgType.DevULong, AttrDataFormat.SCALAR, 4_000_000_000),
    (np.uint64, CmdArgType.DevULong64, AttrDataFormat.SCALAR, 2**63 + 5),
    (np.float32, CmdArgType.DevFloat, AttrDataFormat.SCALAR, 1.5),
    ("DevDouble", CmdArgType.DevDouble, AttrDataFormat.SCALAR, -1.25),
    ("int16", CmdArgType.DevShort, AttrDataFormat.SCALAR, 12),
    (CmdArgType.DevULong, CmdArgType.DevULong, AttrDataFormat.SCALAR, 7),
    (DevState, CmdArgType.DevState, AttrDataFormat.SCALAR, DevState.MOVING),
    ((float,), CmdArgType.DevDouble, AttrDataFormat.SPECTRUM, [1.0, 2.0, 3.5]),
    ((np.int32,), CmdArgType.DevLong, AttrDataFormat.SPECTRUM, [1, -2, 3]),
    ((bool,), CmdArgType.DevBoolean, AttrDataFormat.SPECTRUM, [True, False]),
    ((str,), CmdArgType.DevString, AttrDataFormat.SPECTRUM, ["a", "é", ""]),
    (("uint16",), CmdArgType.DevUShort, AttrDataFormat.SPECTRUM, [0, 65535]),
    (((float,),), CmdArgType.DevDouble, AttrDataFormat.IMAGE, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
    (((np.int32,),), CmdArgType.DevLong, AttrDataFormat.IMAGE, [[1, 2], [3, 4]]),
    (((str,),), CmdArgType.DevString, AttrDataFormat.IMAGE, [["a", "b"], ["c", "d"]]),
    (((np.uint8,),), CmdArgType.DevUChar, AttrDataFormat.IMAGE, [[0, 255]]),
]


def _other(sample):
    """A value of the type and shape of ``sample`` that differs from it."""
    if isinstance(sample, list):  # rows and elements reversed (no sample is a palindrome)
        return [_other(v) if isinstance(v, list) else v for v in reversed(sample)]
    if isinstance(sample, bool):
        return not sample
    if isinstance(sample, DevState):
        return DevState.ON if sample != DevState.ON else DevState.OFF
    if isinstance(sample, int):
        return sample - 1
    if isinstance(sample, float):
        return sample / 2
    return sample[::-1]


def _same(value, expected):
    if isinstance(value, np.ndarray):
        return value.tolist() == expected
    if isinstance(value, tuple):
        return [list(v) if isinstance(v, tuple) else v for v in value] == expected
    return value == expected


@pytest.mark.parametrize("dtype,tango_type,fmt,sample", DTYPES, ids=[str(d[0]) for d in DTYPES])
def test_every_dtype_form_as_read_write_attribute(dtype, tango_type, fmt, sample):
    class TypedDevice(Device):
        def init_device(self):
            self._value = None

        value = attribute(dtype=dtype, access=AttrWriteType.READ_WRITE, max_dim_x=8, max_dim_y=8)

        def read_value(self):
            return self._value if self._value is not None else sample

        def write_value(self, value):
            self._value = value

        @attribute(dtype=dtype, max_dim_x=8, max_dim_y=8)
        def read_only(self):
            return sample

        write_only = attribute(dtype=dtype, access=AttrWriteType.WRITE, max_dim_x=8, max_dim_y=8)

        def write_write_only(self, value):
            self._value = value

    with DeviceTestContext(TypedDevice, debug=0) as proxy:
        config = proxy.get_attribute_config("value")
        assert config.data_type == tango_type
        assert config.data_format == fmt
        assert config.writable == AttrWriteType.READ_WRITE
        assert _same(proxy.read_only, sample)
        proxy.value = sample
        assert _same(proxy.value, sample)
        assert _same(proxy.read_attribute("value").w_value, sample)
        other = _other(sample)
        assert not _same(proxy.value, other)
        proxy.write_only = other
        assert _same(proxy.value, other)
        assert proxy.get_attribute_config("write_only").writable == AttrWriteType.WRITE


def test_enum_and_encoded_attributes():
    class EnumDevice(Device):
        def init_device(self):
            self._color = Color.GREEN
            self._mode = 1

        @attribute(dtype=Color, access=AttrWriteType.READ_WRITE)
        def color(self):
            return self._color

        @color.setter
        def color(self, value):
            self._color = Color(value)

        mode = attribute(dtype="DevEnum", enum_labels=["AUTO", "MANUAL"], access=AttrWriteType.READ_WRITE)

        def read_mode(self):
            return self._mode

        def write_mode(self, value):
            self._mode = value

        @attribute(dtype="DevEncoded")
        def blob(self):
            return "jpeg", b"\x00\xffdata"

    with DeviceTestContext(EnumDevice, debug=0) as proxy:
        assert proxy.get_attribute_config("color").enum_labels == ["RED", "GREEN", "BLUE"]
        assert proxy.color == Color.GREEN and proxy.color.name == "GREEN"
        proxy.color = Color.BLUE
        assert proxy.read_attribute("color").value == 2
        assert proxy.get_attribute_config("mode").enum_labels == ["AUTO", "MANUAL"]
        proxy.mode = 0
        assert proxy.mode.name == "AUTO"
        assert proxy.blob == ("jpeg", b"\x00\xffdata")


def test_type_hints_and_explicit_dtype_wins():
    class HintedDevice(Device):
        host: str = device_property(default_value="localhost")

        @attribute
        def voltage(self) -> float:
            return 1.5

        @attribute
        def spectrum(self) -> list[float]:
            return [1.0, 2.0]

        @attribute
        def image(self) -> list[list[int]]:
            return [[1, 2], [3, 4]]

        @attribute(dformat=AttrDataFormat.SPECTRUM, max_dim_x=4)
        def array(self) -> npt.NDArray[np.float32]:
            return np.ones(3, dtype=np.float32)

        @attribute
        def color(self) -> Color:
            return Color.RED

        @attribute(dtype=np.int16)
        def explicit(self) -> float:
            return 3

        @command
        def twice(self, x: int) -> str:
            return str(2 * x)

        @command(dtype_in=float, dtype_out=float)
        def half(self, x: int) -> int:
            return x / 2

        @attribute
        def where(self) -> str:
            return self.host

    with DeviceTestContext(HintedDevice, debug=0) as proxy:
        types = {i.name: (i.data_type, i.data_format) for i in proxy.attribute_list_query_ex()}
        assert types["voltage"] == (CmdArgType.DevDouble, AttrDataFormat.SCALAR)
        assert types["spectrum"] == (CmdArgType.DevDouble, AttrDataFormat.SPECTRUM)
        assert types["image"] == (CmdArgType.DevLong64, AttrDataFormat.IMAGE)
        assert types["array"] == (CmdArgType.DevFloat, AttrDataFormat.SPECTRUM)
        assert types["color"] == (CmdArgType.DevEnum, AttrDataFormat.SCALAR)
        assert types["explicit"] == (CmdArgType.DevShort, AttrDataFormat.SCALAR)
        assert proxy.image.tolist() == [[1, 2], [3, 4]]
        assert proxy.twice(21) == "42"
        info = proxy.command_query("twice")
        assert (info.in_type, info.out_type) == (CmdArgType.DevLong64, CmdArgType.DevString)
        assert proxy.half(3.0) == 1.5
        assert proxy.where == "localhost"


def test_options_land_in_the_configuration():
    class OptionsDevice(Device):
        value = attribute(
            dtype=float, access=AttrWriteType.READ_WRITE, label="Value", unit="mm",
            standard_unit="1e-3", display_unit="0.001", format="%5.2f", doc="a documented value",
            min_value=-10, max_value=10, min_alarm=-8, max_alarm=8, min_warning=-6, max_warning=6,
            display_level=DispLevel.EXPERT, abs_change=0.5, rel_change=2, period=500,
            archive_abs_change=1, archive_rel_change=3, archive_period=1000, polling_period=250,
            memorized=True)

        def read_value(self):
            return 1.0

        def write_value(self, value):
            pass

        @command(dtype_in=float, doc_in="how far", dtype_out=str, doc_out="what happened",
                 display_level=DispLevel.EXPERT)
        def move(self, distance):
            return "moved"

        @command
        def documented(self, x: float) -> float:
            """Doubles its argument."""
            return 2 * x

    with DeviceTestContext(OptionsDevice, debug=0) as proxy:
        c = proxy.get_attribute_config("value")
        assert (c.label, c.unit, c.standard_unit, c.display_unit, c.format) == (
            "Value", "mm", "1e-3", "0.001", "%5.2f")
        assert c.description == "a documented value"
        assert (c.min_value, c.max_value) == ("-10", "10")
        assert (c.alarms.min_alarm, c.alarms.max_alarm) == ("-8", "8")
        assert (c.alarms.min_warning, c.alarms.max_warning) == ("-6", "6")
        assert c.disp_level == DispLevel.EXPERT
        assert (c.events.ch_event.abs_change, c.events.ch_event.rel_change) == ("0.5", "2")
        assert c.events.per_event.period == "500"
        assert (c.events.arch_event.archive_abs_change, c.events.arch_event.archive_rel_change,
                c.events.arch_event.archive_period) == ("1", "3", "1000")
        assert c.memorized != tango.AttrMemorizedType.NONE
        assert proxy.get_attribute_poll_period("value") == 250
        with pytest.raises(DevFailed):
            proxy.value = 20  # above max_value
        move = proxy.command_query("move")
        assert (move.in_type_desc, move.out_type_desc, move.disp_level) == (
            "how far", "what happened", DispLevel.EXPERT)
        assert "Doubles" in proxy.command_query("documented").in_type_desc


@pytest.mark.parametrize("dtype_in,value", [
    (bool, True), (int, -5), (float, 2.5), (str, "été"), (np.uint16, 9), ((float,), [1.0, 2.0]),
    ((int,), [1, 2]), ((str,), ["a", "b"]), ("DevVarLongStringArray", ([1, 2], ["x"])),
    ("DevVarDoubleStringArray", ([1.5], ["y", "z"])), (DevState, DevState.ALARM),
])
def test_commands_in_and_out(dtype_in, value):
    class CommandDevice(Device):
        @command(dtype_in=dtype_in, dtype_out=dtype_in)
        def echo(self, x):
            return x

        @command
        def void(self):
            self._called = True

    with DeviceTestContext(CommandDevice, debug=0) as proxy:
        result = proxy.echo(value)
        if isinstance(result, np.ndarray):
            result = result.tolist()
        if isinstance(value, tuple):
            value = tuple(list(v) for v in value)
            result = tuple(list(v) for v in result)
        assert result == value
        assert proxy.void() is None


class PropertyDevice(Device):
    host = device_property(dtype=str, default_value="localhost")
    port: int = device_property(default_value=5000)
    gains = device_property(dtype=(float,), default_value=[1.0])
    enabled = device_property(dtype=bool, default_value=False)
    site = class_property(dtype=str, default_value="lab")
    required = device_property(dtype=str, mandatory=False)

    @attribute(dtype=str)
    def summary(self):
        return json.dumps([self.host, self.port, self.gains, self.enabled, self.site, self.required])


def test_properties_defaults_and_values():
    with DeviceTestContext(PropertyDevice, debug=0) as proxy:
        assert json.loads(proxy.summary) == ["localhost", 5000, [1.0], False, "lab", None]
    props = {"host": "sim.local", "port": 7000, "gains": [0.5, 2.5], "enabled": True}
    with DeviceTestContext(PropertyDevice, properties=props, debug=0) as proxy:
        assert json.loads(proxy.summary) == ["sim.local", 7000, [0.5, 2.5], True, "lab", None]


def test_mandatory_property_missing_fails_to_start():
    class Strict(Device):
        needed = device_property(dtype=str, mandatory=True)

    with pytest.raises(DevFailed, match="Device property needed is mandatory"):  # the server's error
        with DeviceTestContext(Strict, debug=0, timeout=15):
            pass
    with DeviceTestContext(Strict, properties={"needed": "yes"}, debug=0) as proxy:
        assert proxy.state() is not None


class LifecycleDevice(Device):
    def init_device(self):
        self._counts = {"init": getattr(self, "_counts", {}).get("init", 0) + 1,
                        "delete": getattr(self, "_counts", {}).get("delete", 0),
                        "hook": 0, "hardware": 0}
        self.set_state(DevState.STANDBY)
        self.set_status("waiting")

    def delete_device(self):
        self._counts["delete"] += 1

    def always_executed_hook(self):
        self._counts["hook"] += 1

    def read_attr_hardware(self, attr_list):
        self._counts["hardware"] += 1

    @attribute(dtype=str)
    def counts(self):
        return json.dumps(self._counts)

    @command
    def start(self):
        self.set_state(DevState.RUNNING)

    def is_start_allowed(self):
        return self.get_state() == DevState.STANDBY

    @attribute(dtype=float)
    def guarded(self):
        return 1.0

    def is_guarded_allowed(self, request):
        return self.get_state() == DevState.RUNNING

    @command
    def log_everything(self):
        self.debug_stream("debug %d", 1)
        self.info_stream("info")
        self.warn_stream("warn")
        self.error_stream("error")
        self.fatal_stream("fatal")


def test_lifecycle_and_state_machine():
    with DeviceTestContext(LifecycleDevice, debug=0) as proxy:
        assert proxy.state() == DevState.STANDBY
        assert proxy.status() == "waiting"
        with pytest.raises(DevFailed) as info:
            proxy.guarded
        assert info.value.args[0].reason == "API_AttrNotAllowed"
        proxy.start()
        assert proxy.state() == DevState.RUNNING
        assert proxy.guarded == 1.0
        with pytest.raises(DevFailed) as info:
            proxy.start()
        assert info.value.args[0].reason == "API_CommandNotAllowed"
        proxy.log_everything()
        counts = json.loads(proxy.counts)
        assert counts["init"] == 1 and counts["hook"] >= 3 and counts["hardware"] >= 1
        proxy.Init()
        counts = json.loads(proxy.counts)
        assert (counts["init"], counts["delete"]) == (2, 1)
        assert proxy.state() == DevState.STANDBY


def test_dev_state_and_dev_status_overrides():
    class Computed(Device):
        def dev_state(self):
            return DevState.FAULT

        def dev_status(self):
            return "computed status"

    with DeviceTestContext(Computed, debug=0) as proxy:
        assert proxy.state() == DevState.FAULT
        assert proxy.status() == "computed status"


class Faulty(Device):
    @attribute(dtype=float)
    def broken(self):
        raise ValueError("sensor unplugged")

    @attribute(dtype=float)
    def wrong_type(self):
        return "not a number"

    @attribute(dtype=(float,), max_dim_x=3)
    def too_long(self):
        return [1.0, 2.0, 3.0, 4.0]

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def bad_write(self):
        return 0.0

    @bad_write.setter
    def bad_write(self, value):
        raise RuntimeError("cannot write now")

    @command(dtype_out=int)
    def bad_result(self):
        return "text"

    @command
    def crash(self):
        raise KeyError("missing")

    @attribute(dtype=float)
    def invalid(self):
        return 0.0, time.time(), tango.AttrQuality.ATTR_INVALID

    @attribute(dtype=float)
    def warning(self):
        return 4.0, time.time(), tango.AttrQuality.ATTR_WARNING


def test_python_errors_reach_the_client_and_the_device_keeps_serving():
    with DeviceTestContext(Faulty, debug=0) as proxy:
        with pytest.raises(DevFailed) as info:
            proxy.broken
        assert info.value.args[0].reason == "PyDs_PythonError"
        assert "ValueError: sensor unplugged" in info.value.args[0].desc
        assert "Traceback" in info.value.args[0].desc
        for name in ("wrong_type", "too_long"):
            with pytest.raises(DevFailed):
                proxy.read_attribute(name)
        with pytest.raises(DevFailed) as info:
            proxy.bad_write = 1.0
        assert "cannot write now" in str(info.value)
        with pytest.raises(DevFailed):
            proxy.bad_result()
        with pytest.raises(DevFailed) as info:
            proxy.crash()
        assert "KeyError" in info.value.args[0].desc
        assert proxy.read_attribute("invalid").value is None
        assert proxy.read_attribute("invalid").quality == tango.AttrQuality.ATTR_INVALID
        warning = proxy.read_attribute("warning")
        assert (warning.value, warning.quality) == (4.0, tango.AttrQuality.ATTR_WARNING)
        assert proxy.state() is not None  # still serving


def test_multi_device_context():
    class Other(Device):
        who = device_property(dtype=str, default_value="nobody")

        @attribute(dtype=str)
        def name_prop(self):
            return self.who

    devices_info = [
        {"class": PropertyDevice, "devices": [
            {"name": "test/prop/1", "properties": {"host": "one"}},
            {"name": "test/prop/2", "properties": {"host": "two"}},
        ]},
        {"class": Other, "devices": [{"name": "test/other/1", "properties": {"who": "me"}}]},
    ]
    with MultiDeviceTestContext(devices_info, debug=0) as ctx:
        assert json.loads(ctx.get_device("test/prop/1").summary)[0] == "one"
        assert json.loads(ctx.get_device("test/prop/2").summary)[0] == "two"
        assert ctx.get_device("test/other/1").name_prop == "me"
        assert tango.DeviceProxy(ctx.get_server_access()).state() == DevState.ON
        # server_name is the admin device's name, as PyTango's (tests reach the admin through it;
        # RestartServer through it: tests/test_server_running.py)
        assert ctx.server_name == "dserver/PropertyDevice/propertydevice"
        assert ctx.get_device(ctx.server_name).command_inout("QueryClass") == ["PropertyDevice", "Other"]


def test_test_context_command_line(tmp_path):
    module = tmp_path / "cli_device.py"
    module.write_text(
        "from tango.server import Device, attribute, device_property\n"
        "class CliDevice(Device):\n"
        "    level = device_property(dtype=int, default_value=0)\n"
        "    @attribute(dtype=int)\n"
        "    def value(self):\n"
        "        return self.level\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tango.test_context", "cli_device.CliDevice", "--host", "127.0.0.1",
         "--prop", '{"level": 7}'],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(l.startswith("Server access") for l in lines):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
        assert "Ready to accept request" in lines
        access = [l for l in lines if l.startswith("Device access: ")][0].split(": ", 1)[1]
        assert tango.DeviceProxy(access).value == 7
    finally:
        proc.kill()
        proc.wait(10)


def test_run_server_help_prints_usage():
    script = ("from tango.server import Device\n"
              "class Helped(Device):\n    pass\n"
              "Helped.run_server(['helped', '--help'])\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "usage:" in result.stdout and "-nodb" in result.stdout


@pytest.mark.parametrize("class_field, dev_class", [
    ("tango.test_utils.SimpleDevice", "SimpleDevice"),
    (("tango.test_utils.ClassicAPISimpleDeviceClass", "tango.test_utils.ClassicAPISimpleDeviceImpl"),
     "ClassicAPISimpleDeviceImpl"),
])
def test_a_test_context_class_named_by_its_dotted_path(class_field, dev_class):
    devices_info = ({"class": class_field, "devices": [{"name": "test/dotted/1"}]},)
    with MultiDeviceTestContext(devices_info, debug=0) as ctx:
        assert ctx.get_device("test/dotted/1").info().dev_class == dev_class


@pytest.mark.parametrize("name", ["NoDots", "tango.test_utils.NoSuchDevice", "no_such_module.Device"])
def test_a_bad_dotted_class_path_is_a_clear_error(name):
    with pytest.raises(ValueError, match="NoDots|no such device class"):
        MultiDeviceTestContext(({"class": name, "devices": [{"name": "test/dotted/1"}]},))
