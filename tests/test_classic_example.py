"""examples/classic/RampedSupply.py, the server in the shape Pogo generates: run as its users run
it (`python RampedSupply.py inst ...`, its own main() on tango.Util) and in a test context, in
every server green mode."""

import os
import sys

import pytest

import tango
from tango import AttrQuality, AttrWriteType, CmdArgType, DevFailed, DeviceProxy, DevState, DispLevel
from tango.test_context import DeviceTestContext

from _green_server import seen_green_mode
from conftest import free_loopback_port, start_script_server, wait_for

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "classic")
sys.path.insert(0, EXAMPLE)

from RampedSupply import RampedSupply, RampedSupplyClass  # noqa: E402


def reason_of(info):
    return info.value.args[0].reason


def exercise(proxy, max_current=10.0, resistance=2.0):
    """What a user of the supply does, with the answers the example's code gives."""
    assert proxy.state() == DevState.OFF
    assert proxy.status() == "The output is off"
    with pytest.raises(DevFailed) as info:  # is_Current_allowed: not while OFF
        proxy.Current = 1.0
    assert reason_of(info) == "API_AttrNotAllowed"
    with pytest.raises(DevFailed) as info:  # is_Step_allowed: only while MOVING
        proxy.Step()
    assert reason_of(info) == "API_CommandNotAllowed"

    proxy.On()
    assert proxy.state() == DevState.ON
    proxy.Current = 3.0
    assert proxy.Current == 3.0
    voltage = proxy.read_attribute("Voltage")
    assert (voltage.value, voltage.quality) == (3.0 * resistance, AttrQuality.ATTR_VALID)
    with pytest.raises(DevFailed) as info:  # write_Current throws above MaxCurrent
        proxy.Current = max_current + 1
    assert reason_of(info) == "RampedSupply_AboveMax"
    assert f"above MaxCurrent ({max_current:g} A)" in info.value.args[0].desc
    assert proxy.Current == 3.0

    proxy.Ramp = [1.0, 2.0]
    assert list(proxy.Scale(2.0)) == [2.0, 4.0]
    assert list(proxy.Ramp) == [2.0, 4.0]
    proxy.StartRamp()
    assert proxy.state() == DevState.MOVING
    assert proxy.status() == "Ramping over 2 points"
    with pytest.raises(DevFailed) as info:  # not while MOVING
        proxy.Current = 1.0
    assert reason_of(info) == "API_AttrNotAllowed"
    assert proxy.Step() == 1
    assert proxy.Current == 2.0
    assert proxy.Step() == 0
    assert proxy.Current == 4.0
    # always_executed_hook ends the ramp before the next request is served
    assert proxy.state() == DevState.ON
    assert proxy.status() == "The ramp is done"

    proxy.Off()
    assert (proxy.state(), proxy.Current, proxy.Voltage) == (DevState.OFF, 0.0, 0.0)


def test_the_tables_make_the_interface():
    with DeviceTestContext(RampedSupply, RampedSupplyClass, device_name="test/ramped/1") as proxy:
        assert proxy.info().dev_class == "RampedSupply"
        current = proxy.get_attribute_config("Current")
        assert (current.data_type, current.writable, current.label, current.unit, current.format,
                current.min_value, current.description) == (
            CmdArgType.DevDouble, AttrWriteType.READ_WRITE, "Current", "A", "%6.3f", "0",
            "The current set point")
        voltage = proxy.get_attribute_config("Voltage")
        assert (voltage.writable, voltage.alarms.max_alarm) == (AttrWriteType.READ, "40")
        ramp = proxy.get_attribute_config("Ramp")
        assert (ramp.data_format, ramp.max_dim_x, ramp.writable) == (
            tango.AttrDataFormat.SPECTRUM, 64, AttrWriteType.READ_WRITE)
        scale = proxy.command_query("Scale")
        assert (scale.in_type, scale.out_type, scale.in_type_desc, scale.out_type_desc,
                scale.disp_level) == (CmdArgType.DevDouble, CmdArgType.DevVarDoubleArray,
                                      "the factor", "the new ramp", DispLevel.EXPERT)
        assert proxy.command_query("Step").out_type == CmdArgType.DevLong
        assert sorted(proxy.get_command_list()) == sorted(
            ["Init", "State", "Status", "On", "Off", "StartRamp", "Step", "Scale"])


class ProbedSupplyClass(RampedSupplyClass):
    """The example's class with one command more, which says what ran the device code."""
    cmd_list = dict(RampedSupplyClass.cmd_list, SeenMode=[[tango.DevVoid, ""], [tango.DevString, ""]])


class ProbedSupply(RampedSupply):
    def SeenMode(self):
        return seen_green_mode()


def test_the_example_serves_in_each_green_mode(server_mode):
    properties = {"MaxCurrent": 20.0, "Resistance": 2.5}
    with DeviceTestContext(ProbedSupply, ProbedSupplyClass, properties=properties,
                           green_mode=server_mode) as proxy:
        assert proxy.SeenMode() == server_mode.name
        exercise(proxy, max_current=20.0, resistance=2.5)
        # 18 A through 2.5 ohm is 45 V, above the 'max alarm' of 40 V in attr_list
        proxy.On()
        proxy.Current = 18.0
        assert proxy.read_attribute("Voltage").quality == AttrQuality.ATTR_ALARM
        assert proxy.state() == DevState.ALARM
        proxy.Init()  # init_device again: the device starts OFF, its values reset
        assert (proxy.state(), proxy.Current) == (DevState.OFF, 0.0)
        assert proxy.SeenMode() == server_mode.name


def test_the_example_runs_as_a_script():
    port = free_loopback_port()
    server = start_script_server([os.path.join(EXAMPLE, "RampedSupply.py"), "test", "-nodb",
                                  "-dlist", "test/ramped/1", "-port", str(port)])
    try:
        proxy = DeviceProxy(f"tango://127.0.0.1:{port}/test/ramped/1#dbase=no")
        assert proxy.info().dev_class == "RampedSupply"
        exercise(proxy)  # the defaults of device_property_list: 10 A, 2 ohm
        admin = DeviceProxy(f"tango://127.0.0.1:{port}/dserver/RampedSupply/test#dbase=no")
        assert list(admin.QueryClass()) == ["RampedSupply"]
        assert list(admin.QueryDevice()) == ["RampedSupply::test/ramped/1"]
        admin.Kill()
        assert wait_for(lambda: server.poll() is not None, timeout=20)
        assert server.wait() == 0
    finally:
        server.kill()
        server.wait(20)
