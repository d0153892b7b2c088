"""DeviceProxy and AttributeProxy API against the C++ TangoTest device, the Pythonic layer on top
of it, and the module-level names (enums, version) that PyTango users rely on."""

import os
import subprocess
import sys

import numpy as np
import pytest

import tango
from tango import (AttrDataFormat, AttrWriteType, CmdArgType, DevFailed, DevState, DispLevel)

# ---------------------------------------------------------------------------------------------
# Identity and interface
# ---------------------------------------------------------------------------------------------


def test_state_status_ping(dev):
    assert dev.state() == DevState.RUNNING
    assert isinstance(dev.state(), DevState)
    assert dev.status() == "The device is in RUNNING state."
    elapsed_us = dev.ping()
    assert isinstance(elapsed_us, int) and elapsed_us > 0


def test_names(dev, tangotest):
    assert dev.name() == "sys/tg_test/1"
    assert dev.dev_name() == "sys/tg_test/1"
    assert dev.adm_name() == f"tango://127.0.0.1:{tangotest.port}/dserver/TangoTest/test#dbase=no"
    assert dev.description() == "A TANGO device"


def test_device_names_are_case_insensitive(tangotest):
    upper = tango.DeviceProxy(tangotest.name.replace("sys/tg_test/1", "SYS/TG_TEST/1"))
    assert upper.dev_name().lower() == "sys/tg_test/1"
    assert upper.state() == DevState.RUNNING


def test_info(dev):
    info = dev.info()
    assert isinstance(info, tango.DeviceInfo)
    assert info.dev_class == "TangoTest"
    assert info.server_id == "TangoTest/test"
    assert info.server_version in (5, 6)  # IDL 5 with cppTango 9.3, 6 with 10.x
    assert isinstance(info.server_host, str) and info.server_host
    assert isinstance(info.doc_url, str)
    assert isinstance(info.dev_type, str)


def test_idl_version(dev):
    assert dev.get_idl_version() in (5, 6)  # IDL 5 with cppTango 9.3, 6 with 10.x


def test_attribute_list(dev):
    names = dev.get_attribute_list()
    expected = {"ampli", "boolean_scalar", "double_scalar", "double_scalar_w", "long_scalar",
                "string_scalar", "throw_exception", "no_value", "short_spectrum",
                "string_image", "ushort_image_ro", "wave", "State", "Status"}
    assert expected <= set(names)
    assert all(type(n) is str for n in names)
    assert len(names) == len(set(names))


def test_command_list(dev):
    names = dev.get_command_list()
    expected = {"DevBoolean", "DevDouble", "DevFloat", "DevLong", "DevLong64", "DevShort",
                "DevString", "DevULong", "DevULong64", "DevUShort", "DevVarCharArray",
                "DevVarDoubleArray", "DevVarDoubleStringArray", "DevVarFloatArray",
                "DevVarLong64Array", "DevVarLongArray", "DevVarLongStringArray",
                "DevVarShortArray", "DevVarStringArray", "DevVarULong64Array",
                "DevVarULongArray", "DevVarUShortArray", "DevVoid", "Init", "State", "Status"}
    assert expected <= set(names)


def test_attribute_query(dev):
    info = dev.attribute_query("double_scalar")
    assert info.name == "double_scalar"
    assert info.data_type == CmdArgType.DevDouble
    assert info.data_format == AttrDataFormat.SCALAR
    assert info.writable == AttrWriteType.READ_WRITE
    assert (info.max_dim_x, info.max_dim_y) == (1, 0)
    assert info.label == "double_scalar"
    assert info.disp_level == DispLevel.OPERATOR
    image = dev.attribute_query("ushort_image")
    assert image.data_format == AttrDataFormat.IMAGE
    assert image.data_type == CmdArgType.DevUShort
    assert (image.max_dim_x, image.max_dim_y) == (251, 251)
    assert dev.attribute_query("short_spectrum_ro").writable == AttrWriteType.READ
    assert dev.attribute_query("double_scalar_w").writable == AttrWriteType.WRITE


def test_attribute_list_queries(dev):
    names = dev.get_attribute_list()
    basic = dev.attribute_list_query()
    extended = dev.attribute_list_query_ex()
    assert [a.name for a in basic] == names
    assert [a.name for a in extended] == names
    assert all(isinstance(a, tango.AttributeInfo) for a in basic)
    assert all(isinstance(a, tango.AttributeInfoEx) for a in extended)
    assert type(basic) is tango.AttributeInfoList  # PyTango's containers
    assert type(extended) is tango.AttributeInfoListEx
    by_name = {a.name: a for a in extended}
    assert by_name["string_spectrum"].data_type == CmdArgType.DevString
    assert by_name["string_spectrum"].data_format == AttrDataFormat.SPECTRUM
    assert by_name["State"].data_type == CmdArgType.DevState


def test_command_query(dev):
    info = dev.command_query("DevVarLongStringArray")
    assert isinstance(info, tango.CommandInfo)
    assert info.cmd_name == "DevVarLongStringArray"
    assert info.in_type == CmdArgType.DevVarLongStringArray
    assert info.out_type == CmdArgType.DevVarLongStringArray
    assert info.disp_level == DispLevel.OPERATOR
    assert dev.command_query("DevDouble").in_type_desc == "Any DevDouble value"
    assert dev.command_query("DevDouble").out_type_desc == "Echo of the argin value"
    void = dev.command_query("DevVoid")
    assert (void.in_type, void.out_type) == (CmdArgType.DevVoid, CmdArgType.DevVoid)
    state = dev.command_query("State")
    assert state.out_type == CmdArgType.DevState


def test_command_list_query(dev):
    infos = dev.command_list_query()
    assert type(infos) is tango.CommandInfoList
    assert [c.cmd_name for c in infos] == dev.get_command_list()
    by_name = {c.cmd_name: c for c in infos}
    assert by_name["DevVarStringArray"].in_type == CmdArgType.DevVarStringArray
    assert by_name["DevULong64"].out_type == CmdArgType.DevULong64


def test_get_attribute_config(dev):
    one = dev.get_attribute_config("long_scalar")
    assert isinstance(one, tango.AttributeInfoEx)
    assert one.name == "long_scalar"
    assert one.data_type == CmdArgType.DevLong
    assert one.writable_attr_name == "long_scalar"
    several = dev.get_attribute_config(["long_scalar", "double_spectrum"])
    assert [c.name for c in several] == ["long_scalar", "double_spectrum"]
    assert several[1].max_dim_x == 4096
    ex = dev.get_attribute_config_ex(["double_scalar", "string_scalar"])
    assert [c.name for c in ex] == ["double_scalar", "string_scalar"]
    assert all(isinstance(c, tango.AttributeInfoEx) for c in ex)
    assert ex[0].format == "%6.2f"
    assert ex[0].events.per_event.period == "1000"
    assert ex[0].alarms.min_alarm == "Not specified"


def test_rww_config_names_its_write_attribute(dev):
    assert dev.get_attribute_config("double_scalar_rww").writable_attr_name == "double_scalar_w"


def test_timeout_millis(dev, tangotest):
    assert dev.get_timeout_millis() == 3000
    dev.set_timeout_millis(1234)
    assert dev.get_timeout_millis() == 1234
    assert dev.read_attribute("double_scalar_w").quality == tango.AttrQuality.ATTR_VALID
    # the setting belongs to the proxy: another proxy keeps the default
    assert tango.DeviceProxy(tangotest.name).get_timeout_millis() == 3000


def test_black_box(dev):
    dev.ping()
    dev.command_inout("DevLong", 5)
    entries = dev.black_box(3)
    assert len(entries) == 3
    assert all(type(e) is str for e in entries)
    latest = entries[0]  # the newest call comes first
    assert "Operation command_inout" in latest and "(cmd = DevLong)" in latest
    assert f"PID {os.getpid()}" in latest


def test_locking_is_not_available_without_a_database(dev):
    # cppTango keeps the lock of a device in the database: a -nodb device refuses it
    for call in (dev.lock, dev.unlock, dev.is_locked, dev.is_locked_by_me, dev.locking_status):
        with pytest.raises(tango.NonDbDevice) as info:
            call()
        assert info.value.args[0].reason == "API_NonDatabaseDevice"
    assert dev.state() == DevState.RUNNING


# ---------------------------------------------------------------------------------------------
# Attribute configuration, written and read back (Python device: see the note)
# ---------------------------------------------------------------------------------------------
# Debian's TangoTest 9.3.4 started with -nodb dies of a segmentation fault on any
# set_attribute_config (a plain C++ client reproduces it), so the write side of the
# configuration is exercised against a small Python device served by tango.test_context.

@pytest.fixture(scope="module")
def config_device():
    from tango.server import Device, attribute
    from tango.test_context import DeviceTestContext

    class Configurable(Device):
        @attribute(dtype=float, label="Voltage", unit="V", format="%6.3f")
        def voltage(self):
            return 1.5

        @attribute(dtype=int)
        def counter(self):
            return 7

    context = DeviceTestContext(Configurable, host="127.0.0.1", process=True, debug=0)
    with context as proxy:
        yield proxy, context.get_device_access().replace("#dbase=no", "/voltage#dbase=no")


def test_set_attribute_config_round_trip(config_device):
    dev, _ = config_device
    original = dev.get_attribute_config("voltage")
    assert (original.label, original.unit) == ("Voltage", "V")
    changed = dev.get_attribute_config("voltage")
    changed.label, changed.unit = "Tension", "mV"
    dev.set_attribute_config(changed)
    try:
        again = dev.get_attribute_config("voltage")
        assert (again.label, again.unit) == ("Tension", "mV")
        assert dev.get_attribute_config_ex(["voltage"])[0].label == "Tension"
        assert dev.read_attribute("voltage").value == 1.5
    finally:
        dev.set_attribute_config(original)
    restored = dev.get_attribute_config("voltage")
    assert (restored.label, restored.unit, restored.format) == ("Voltage", "V", "%6.3f")


def test_set_attribute_config_with_a_list(config_device):
    dev, _ = config_device
    configs = dev.get_attribute_config(["voltage", "counter"])
    originals = [(c.label, c.description) for c in configs]
    configs[0].description = "first"
    configs[1].description = "second"
    dev.set_attribute_config(configs)
    try:
        assert [c.description for c in dev.get_attribute_config(["voltage", "counter"])] == [
            "first", "second"]
    finally:
        for config, (label, description) in zip(configs, originals):
            config.label, config.description = label, description
        dev.set_attribute_config(configs)


def test_attribute_proxy_set_config(config_device):
    dev, full_name = config_device
    proxy = tango.AttributeProxy(full_name)
    config = proxy.get_config()
    original_unit = config.unit
    config.unit = "kV"
    proxy.set_config(config)
    try:
        assert proxy.get_config().unit == "kV"
        assert dev.get_attribute_config("voltage").unit == "kV"
    finally:
        config.unit = original_unit
        proxy.set_config(config)
    assert proxy.get_config().unit == original_unit


# ---------------------------------------------------------------------------------------------
# The Pythonic layer
# ---------------------------------------------------------------------------------------------

def test_attribute_access_as_python_attributes(dev):
    dev.double_scalar_w = 2.0
    assert dev.double_scalar_w == 2.0
    assert type(dev.double_scalar_w) is float
    dev.double_scalar = 3.25  # TangoTest generates the read value; the set point is what we wrote
    assert dev.read_attribute("double_scalar").w_value == 3.25
    dev.short_spectrum = [1, 2, 3]
    assert isinstance(dev.short_spectrum, np.ndarray)
    assert dev.short_spectrum.tolist() == [1, 2, 3]
    dev.string_scalar = "pythonic"
    assert dev.string_scalar == "pythonic"


def test_item_access(dev):
    dev["long_scalar_w"] = 1234
    da = dev["long_scalar_w"]
    assert isinstance(da, tango.DeviceAttribute)  # PyTango: __getitem__ is read_attribute
    assert da.value == 1234
    assert da.name == "long_scalar_w"


def test_membership_is_about_attributes(proxy):
    assert "double_scalar" in proxy
    assert "DOUBLE_SCALAR" in proxy
    assert "no_such_attribute" not in proxy
    assert "DevDouble" not in proxy  # commands are not attributes


def test_names_are_case_insensitive(dev):
    dev.DOUBLE_SCALAR_W = 6.5
    assert dev.double_scalar_w == 6.5
    assert dev.Double_Scalar_W == 6.5
    assert dev.devdouble(1.5) == 1.5
    assert dev.DEVSTRING("x") == "x"
    assert dev.read_attribute("DOUBLE_SCALAR_W").value == 6.5
    assert dev.command_inout("devlong", 3) == 3


def test_commands_as_methods(dev):
    assert dev.DevDouble(3.5) == 3.5
    assert dev.DevVoid() is None
    assert dev.DevVarLongArray([1, 2]).tolist() == [1, 2]


def test_unknown_python_attribute_raises_attribute_error(proxy):
    with pytest.raises(AttributeError):
        proxy.no_such_attribute_or_command
    assert not hasattr(proxy, "no_such_attribute_or_command")


def test_frozen_interface(tangotest):
    dev = tango.DeviceProxy(tangotest.name)
    assert dev.is_dynamic_interface_frozen()
    with pytest.raises(AttributeError):
        dev.my_note = "hello"
    with pytest.warns(tango.PyTangoUserWarning, match="unfrozen"):
        dev.unfreeze_dynamic_interface()
    assert not dev.is_dynamic_interface_frozen()
    dev.my_note = "hello"
    assert dev.my_note == "hello"
    dev.double_scalar_w = 8.0  # device attributes are still written to the device
    assert dev.read_attribute("double_scalar_w").value == 8.0
    dev.freeze_dynamic_interface()
    assert dev.is_dynamic_interface_frozen()
    with pytest.raises(AttributeError):
        dev.another_note = 1


def test_setting_a_command_raises_type_error(proxy):
    with pytest.raises(TypeError):
        proxy.DevDouble = 1.0


def test_dir_lists_attributes_and_commands(proxy):
    names = dir(proxy)
    for name in ("double_scalar", "string_spectrum", "State", "DevDouble", "DevVoid",
                 "read_attribute", "command_inout", "devdouble", "state"):
        assert name in names
    assert names == sorted(names)


def test_repr_and_str(dev, tangotest):
    assert repr(dev) == "TangoTest(sys/tg_test/1)"
    assert str(dev) == "TangoTest(sys/tg_test/1)"
    dev.write_attribute("double_scalar_w", 1.5)
    da = dev.read_attribute("double_scalar_w")
    text = repr(da)
    assert "double_scalar_w" in text and "1.5" in text
    assert "double_scalar_w" in str(da)
    assert "DevDouble" in repr(dev.command_query("DevDouble"))
    error = pytest.raises(DevFailed, dev.read_attribute, "throw_exception").value
    assert "exception test" in str(error) and "exception test" in repr(error)
    assert str(DevState.ON) == "ON"


# ---------------------------------------------------------------------------------------------
# AttributeProxy
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def attr_proxy(tangotest):
    tangotest.ensure_running()
    return tango.AttributeProxy(tangotest.attribute_name("double_scalar_w"))


def test_attribute_proxy_read_write(attr_proxy):
    assert attr_proxy.name() == "double_scalar_w"
    attr_proxy.write(4.5)
    da = attr_proxy.read()
    assert isinstance(da, tango.DeviceAttribute)
    assert da.value == 4.5 and da.w_value == 4.5
    assert da.name == "double_scalar_w"
    both = attr_proxy.write_read(-2.25)
    assert both.value == -2.25


def test_attribute_proxy_of_a_spectrum(tangotest):
    proxy = tango.AttributeProxy(tangotest.attribute_name("long_spectrum"))
    proxy.write(np.array([4, 5, 6], dtype=np.int32))
    value = proxy.read().value
    assert value.dtype == np.int32 and value.tolist() == [4, 5, 6]


def test_attribute_proxy_config_and_device(attr_proxy):
    config = attr_proxy.get_config()
    assert isinstance(config, tango.AttributeInfoEx)
    assert config.name == "double_scalar_w"
    assert config.writable == AttrWriteType.WRITE
    device = attr_proxy.get_device_proxy()
    assert isinstance(device, tango.DeviceProxy)
    assert device.dev_name() == "sys/tg_test/1"
    assert attr_proxy.get_device_proxy() is device


def test_attribute_proxy_device_calls(attr_proxy):
    assert attr_proxy.ping() > 0
    assert attr_proxy.state() == DevState.RUNNING
    assert attr_proxy.status() == "The device is in RUNNING state."


def test_attribute_proxy_repr(attr_proxy):
    assert repr(attr_proxy) == "AttributeProxy(double_scalar_w)"
    assert str(attr_proxy) == "AttributeProxy(double_scalar_w)"


def test_attribute_proxy_from_device_proxy(dev):
    # (dev is the proxy used as its green mode's users use it: tests/_green_client.py)
    proxy = dev.wrap(tango.AttributeProxy(dev.proxy, "long_scalar_w"))
    proxy.write(99)
    assert proxy.read().value == 99
    assert proxy.name() == "long_scalar_w"


# ---------------------------------------------------------------------------------------------
# Module-level names
# ---------------------------------------------------------------------------------------------

def test_dev_state():
    expected = ["ON", "OFF", "CLOSE", "OPEN", "INSERT", "EXTRACT", "MOVING", "STANDBY", "FAULT",
                "INIT", "RUNNING", "ALARM", "DISABLE", "UNKNOWN"]
    for number, name in enumerate(expected):
        state = getattr(DevState, name)
        assert int(state) == number
        assert str(state) == name
        assert DevState(number) == state
    assert DevState.ON != DevState.OFF
    assert tango.DevState is DevState


@pytest.mark.parametrize("enum_name,members", [
    ("AttrQuality", {"ATTR_VALID": 0, "ATTR_INVALID": 1, "ATTR_ALARM": 2, "ATTR_CHANGING": 3,
                     "ATTR_WARNING": 4}),
    ("AttrWriteType", {"READ": 0, "READ_WITH_WRITE": 1, "WRITE": 2, "READ_WRITE": 3}),
    ("AttrDataFormat", {"SCALAR": 0, "SPECTRUM": 1, "IMAGE": 2, "FMT_UNKNOWN": 3}),
    ("DispLevel", {"OPERATOR": 0, "EXPERT": 1}),
    ("ErrSeverity", {"WARN": 0, "ERR": 1, "PANIC": 2}),
    ("SerialModel", {"BY_DEVICE": 0, "BY_CLASS": 1, "BY_PROCESS": 2, "NO_SYNC": 3}),
    ("LockerLanguage", {"CPP": 0, "JAVA": 1}),
    ("EventType", {"CHANGE_EVENT": 0, "PERIODIC_EVENT": 2, "ARCHIVE_EVENT": 3,
                   "USER_EVENT": 4, "ATTR_CONF_EVENT": 5, "DATA_READY_EVENT": 6,
                   "INTERFACE_CHANGE_EVENT": 7, "PIPE_EVENT": 8}),
    ("GreenMode", {"Synchronous": 0, "Futures": 1, "Gevent": 2, "Asyncio": 3}),
    ("ExtractAs", {"Numpy": 0, "ByteArray": 1, "Bytes": 2, "Tuple": 3, "List": 4,
                   "String": 5, "Nothing": 7}),
])
def test_enum_values(enum_name, members):
    enum = getattr(tango, enum_name)
    for name, number in members.items():
        member = getattr(enum, name)
        assert int(member) == number, name
        assert str(member) == name


CMD_ARG_TYPES = {
    "DevVoid": 0, "DevBoolean": 1, "DevShort": 2, "DevLong": 3, "DevFloat": 4, "DevDouble": 5,
    "DevUShort": 6, "DevULong": 7, "DevString": 8, "DevVarCharArray": 9,
    "DevVarShortArray": 10, "DevVarLongArray": 11, "DevVarFloatArray": 12,
    "DevVarDoubleArray": 13, "DevVarUShortArray": 14, "DevVarULongArray": 15,
    "DevVarStringArray": 16, "DevVarLongStringArray": 17, "DevVarDoubleStringArray": 18,
    "DevState": 19, "ConstDevString": 20, "DevVarBooleanArray": 21, "DevUChar": 22,
    "DevLong64": 23, "DevULong64": 24, "DevVarLong64Array": 25, "DevVarULong64Array": 26,
    "DevEncoded": 28, "DevEnum": 29,
}


@pytest.mark.parametrize("name,number", sorted(CMD_ARG_TYPES.items()))
def test_cmd_arg_type_and_top_level_aliases(name, number):
    member = getattr(CmdArgType, name)
    assert int(member) == number
    if name != "DevState":  # tango.DevState is the enumeration of device states
        assert getattr(tango, name) == member  # tango.DevDouble is CmdArgType.DevDouble
    assert str(member) == name


def test_version():
    assert isinstance(tango.__version__, str)
    info = tango.__version_info__
    assert isinstance(info, tuple) and len(info) >= 3
    assert all(isinstance(part, int) for part in info[:3])
    assert tango.__version__.startswith(".".join(str(part) for part in info[:3]))


def test_import_stays_light():
    # (how long `import tango` takes, target 0.1 s: benchmarks/bench_timing.py, `make bench`)
    heavy = ("asyncio", "gevent", "concurrent.futures", "cloudpickle", "tango._asyncio_calls",
             "tango.test_context")
    probe = f"import sys, tango; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"  # imported when first used
