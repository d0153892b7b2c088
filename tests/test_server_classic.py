"""The classic (Pogo) server API: a tango.DeviceClass with its tables and a LatestDeviceImpl,
registered as a pair, in test contexts (every server green mode), run() and Util.add_class."""

import os
import subprocess
import sys
import textwrap

import pytest

import tango
from tango import AttrWriteType, CmdArgType, DevFailed, DeviceProxy, DevState, DispLevel
from tango.test_context import DeviceTestContext, MultiDeviceTestContext

from _green_server import seen_green_mode
from conftest import free_loopback_port, start_script_server, wait_for


class PowerSupplyClass(tango.DeviceClass):
    class_property_list = {"Vendor": [tango.DevString, "who made it", "acme"]}
    device_property_list = {
        "Port": [tango.DevString, "the serial line", ["/dev/ttyS0"]],
        "Gains": [tango.DevVarDoubleArray, "the gains", [1.0, 2.0]],
        "Retries": [tango.DevLong, "how many times", 3],
    }
    cmd_list = {
        "On": [[tango.DevVoid, ""], [tango.DevVoid, ""]],
        "Twice": [[tango.DevDouble, "a number"], [tango.DevDouble, "twice the number"],
                  {"Display level": DispLevel.EXPERT}],
        "Settings": [[tango.DevVoid, ""], [tango.DevVarStringArray, "the properties as read"]],
        "SeenMode": [[tango.DevVoid, ""], [tango.DevString, "what ran the command"]],
    }
    attr_list = {
        "Voltage": [[tango.DevDouble, tango.SCALAR, tango.READ_WRITE],
                    {"unit": "V", "label": "Output voltage", "max_value": "30", "format": "%6.2f"}],
        "Wave": [[tango.DevLong, tango.SPECTRUM, tango.READ, 8]],
        "Frame": [[tango.DevShort, tango.IMAGE, tango.READ, 4, 3]],
        "Locked": [[tango.DevBoolean, tango.SCALAR, tango.READ]],
    }

    def __init__(self, name):
        tango.DeviceClass.__init__(self, name)
        self.set_type(name)

    def dyn_attr(self, dev_list):
        for device in dev_list:
            attr = tango.Attr("Counter", tango.DevLong, AttrWriteType.READ)
            device.add_attribute(attr, PowerSupply.read_Counter)


class PowerSupply(tango.LatestDeviceImpl):
    inits = 0

    def __init__(self, cl, name):
        tango.LatestDeviceImpl.__init__(self, cl, name)
        PowerSupply.init_device(self)

    def init_device(self):
        self.get_device_properties(self.get_device_class())
        type(self).inits += 1
        self.voltage = 0.0
        self.counter = type(self).inits
        self.set_state(DevState.OFF)

    def read_Voltage(self, attr):
        attr.set_value(self.voltage)

    def write_Voltage(self, attr):
        self.voltage = attr.get_write_value()

    def read_Wave(self, attr):
        attr.set_value(list(range(5)))

    def read_Frame(self, attr):
        attr.set_value([[r * 10 + c for c in range(4)] for r in range(3)])

    def read_Locked(self, attr):
        attr.set_value(True)

    def is_Locked_allowed(self, req_type):
        return self.get_state() == DevState.ON

    def read_Counter(self, attr):
        attr.set_value(self.counter)

    def On(self):
        self.set_state(DevState.ON)

    def is_On_allowed(self):
        return self.get_state() == DevState.OFF

    def Twice(self, value):
        return 2 * value

    def Settings(self):
        return [repr(self.Port), repr(self.Gains), repr(self.Retries), repr(self.Vendor),
                self.get_device_class().get_name(), self.get_device_class().get_type()]

    def SeenMode(self):
        return seen_green_mode()


@pytest.fixture(scope="module")
def proxy(server_mode):
    with DeviceTestContext(PowerSupply, PowerSupplyClass, properties={"Port": "/dev/ttyUSB1"},
                           class_properties={"Vendor": "bigcorp"}, green_mode=server_mode) as p:
        assert p.SeenMode() == server_mode.name
        yield p


def test_the_tables_make_the_interface(proxy, server_mode):
    assert proxy.info().dev_class == "PowerSupply"
    config = proxy.get_attribute_config("Voltage")
    assert (config.data_type, config.writable, config.unit, config.label, config.max_value,
            config.format) == (CmdArgType.DevDouble, AttrWriteType.READ_WRITE, "V", "Output voltage",
                               "30", "%6.2f")
    wave = proxy.get_attribute_config("Wave")
    assert (wave.data_format, wave.max_dim_x) == (tango.AttrDataFormat.SPECTRUM, 8)
    frame = proxy.get_attribute_config("Frame")
    assert (frame.data_format, frame.max_dim_x, frame.max_dim_y) == (tango.AttrDataFormat.IMAGE, 4, 3)
    twice = proxy.command_query("Twice")
    assert (twice.in_type, twice.out_type, twice.in_type_desc, twice.out_type_desc, twice.disp_level) == (
        CmdArgType.DevDouble, CmdArgType.DevDouble, "a number", "twice the number", DispLevel.EXPERT)
    assert proxy.SeenMode() == server_mode.name


def test_methods_found_by_their_classic_names(proxy, server_mode):
    proxy.Init()
    assert proxy.state() == DevState.OFF
    proxy.write_attribute("Voltage", 12.5)
    assert proxy.read_attribute("Voltage").value == 12.5
    assert proxy.read_attribute("Wave").value.tolist() == [0, 1, 2, 3, 4]
    assert proxy.read_attribute("Frame").value.tolist() == [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]
    assert proxy.Twice(2.25) == 4.5
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("Locked")
    assert info.value.args[0].reason == "API_AttrNotAllowed"
    proxy.On()
    assert proxy.state() == DevState.ON
    assert proxy.read_attribute("Locked").value is True
    with pytest.raises(DevFailed) as info:
        proxy.On()
    assert info.value.args[0].reason == "API_CommandNotAllowed"
    assert proxy.SeenMode() == server_mode.name


def test_properties_from_the_database_and_the_tables(proxy):
    # Port from the context's (file) database, Gains and Retries the table's defaults, Vendor
    # the class property in the database
    assert list(proxy.Settings()) == ["'/dev/ttyUSB1'", "[1.0, 2.0]", "3", "'bigcorp'", "PowerSupply",
                                      "PowerSupply"]


def test_init_calls_init_device_again_and_dyn_attr_added_the_attributes(proxy):
    proxy.Init()
    first = proxy.read_attribute("Counter").value
    proxy.write_attribute("Voltage", 3.0)
    proxy.Init()
    assert proxy.read_attribute("Counter").value == first + 1
    assert proxy.read_attribute("Voltage").value == 0.0  # init_device reset it
    assert proxy.get_attribute_config("Counter").data_type == CmdArgType.DevLong


def test_the_test_utils_classic_device():
    from tango.test_utils import ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl

    with DeviceTestContext(ClassicAPISimpleDeviceImpl, ClassicAPISimpleDeviceClass) as proxy:
        assert proxy.attr1 == 100
        assert proxy.info().dev_class == "ClassicAPISimpleDeviceImpl"
    devices_info = [{"class": (ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl),
                     "devices": [{"name": "classic/simple/1"}, {"name": "classic/simple/2"}]},
                    {"class": tango.test_utils.SimpleDevice, "devices": [{"name": "high/level/1"}]}]
    # one server, one API: classic and high-level classes are not mixed (PyTango refuses it too)
    with pytest.raises(ValueError, match="mixes classic"):
        MultiDeviceTestContext(devices_info)
    with MultiDeviceTestContext(devices_info[:1], process=True) as context:
        assert context.get_device("classic/simple/2").attr1 == 100


MIXED_SERVER = """
import sys
from tango.server import run
from tango.test_utils import ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl, SimpleDevice

run([(ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl), SimpleDevice], args=sys.argv[1:])
"""


def test_classic_and_high_level_classes_in_one_server(tmp_path):
    # run() serves both kinds in one server (only the test contexts refuse the mix, as PyTango's)
    db = tmp_path / "mixed.db"
    db.write_text('Mixed/one/DEVICE/ClassicAPISimpleDeviceImpl: "classic/mixed/1"\n'
                  'Mixed/one/DEVICE/SimpleDevice: "high/mixed/1"\n')
    port = free_loopback_port()
    server = subprocess.Popen([sys.executable, "-c", MIXED_SERVER, "Mixed", "one", f"-file={db}",
                               "-ORBendPoint", f"giop:tcp:127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        classic = DeviceProxy(f"tango://127.0.0.1:{port}/classic/mixed/1#dbase=no")
        high = DeviceProxy(f"tango://127.0.0.1:{port}/high/mixed/1#dbase=no")

        def answers():
            try:
                return classic.ping() >= 0 and high.ping() >= 0
            except DevFailed:
                return False

        assert wait_for(answers, timeout=30), server.stderr.read1().decode() if server.poll() is not None else ""
        assert classic.attr1 == 100
        assert classic.info().dev_class == "ClassicAPISimpleDeviceImpl"
        assert (high.info().dev_class, high.state()) == ("SimpleDevice", DevState.ON)
    finally:
        server.kill()
        server.wait(10)


# -- bad tables: a clear error at registration, naming what is wrong ----------------------------

def _pair(attr_list=None, cmd_list=None, methods=None):
    klass = type("BadClass", (tango.DeviceClass,), {"attr_list": attr_list or {}, "cmd_list": cmd_list or {}})
    impl = type("Bad", (tango.LatestDeviceImpl,), dict(methods or {}))
    return klass, impl


@pytest.mark.parametrize("attr_list, cmd_list, methods, message", [
    ({"V": [[tango.DevDouble, tango.SCALAR, tango.READ]]}, None, None, "Bad has no read_V"),
    ({"V": [[tango.DevDouble, tango.SCALAR, tango.WRITE]]}, None, None, "Bad has no write_V"),
    ({"V": [[tango.DevDouble, tango.SCALAR]]}, None, {"read_V": lambda s, a: None},
     "Wrong data type for describing mandatory information for attribute V in class Bad"),
    ({"V": [[tango.DevDouble, tango.SCALAR, tango.READ], {"colour": "red"}]}, None,
     {"read_V": lambda s, a: None}, "the object extra information 'colour' is not recognized"),
    ({"V": "double"}, None, None, r"Bad.attr_list\['V'\]: Wrong data type for value for describing attribute V"),
    (None, {"Go": [[tango.DevVoid, ""], [tango.DevVoid, ""]]}, None, r"Bad has no method Go\(\)"),
    (None, {"Go": [[tango.DevVoid, ""]]}, None, r"cmd_list\['Go'\] must be"),
    (None, {"Go": [[tango.DevVoid, ""], [tango.DevVoid, ""], {"speed": 1}]}, {"Go": lambda s: None},
     "unknown command options"),
])
def test_a_bad_table_is_refused_by_name(attr_list, cmd_list, methods, message):
    klass, impl = _pair(attr_list, cmd_list, methods)
    with pytest.raises(TypeError, match=message):
        DeviceTestContext(impl, klass)


def test_a_classic_device_alone_or_a_cpp_class_is_refused():
    from tango.server.run import _specs

    class Alone(tango.LatestDeviceImpl):
        pass

    with pytest.raises(TypeError, match="Alone is a classic device: register it with its DeviceClass"):
        _specs([Alone])
    with pytest.raises(TypeError, match="does not load C\\+\\+ device classes"):
        tango.Util.add_class(None, "TangoTest", "TangoTest", language="c++")


# -- the classic main: Util(sys.argv).add_class(...).server_init()/server_run(), and run() ---

SCRIPT = textwrap.dedent("""
    import sys
    import tango
    from tango.test_utils import ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl

    class Other(ClassicAPISimpleDeviceImpl):
        pass

    if sys.argv[1] == "util":
        util = tango.Util(["Classic.py", "inst", "-nodb", "-dlist", "classic/dev/1", "-port", sys.argv[2]])
        util.add_class(ClassicAPISimpleDeviceClass, Other, "OtherName")
        U = tango.Util.instance()
        U.server_init()
        U.server_run()
    else:
        tango.server.run({"KeyName": (ClassicAPISimpleDeviceClass, Other)},
                         args=["Classic", "inst", "-nodb", "-dlist", "classic/dev/1", "-port", sys.argv[2]])
""")


@pytest.mark.parametrize("how, class_name", [("util", "OtherName"), ("run", "KeyName")])
def test_a_classic_main_serves(tmp_path, how, class_name):
    script = tmp_path / "classic_main.py"
    script.write_text(SCRIPT)
    port = free_loopback_port()
    server = start_script_server([str(script), how, str(port)])
    try:
        proxy = DeviceProxy(f"tango://127.0.0.1:{port}/classic/dev/1#dbase=no")
        assert proxy.attr1 == 100
        assert proxy.info().dev_class == class_name
        admin = DeviceProxy(f"tango://127.0.0.1:{port}/dserver/Classic/inst#dbase=no")
        assert list(admin.QueryClass()) == [class_name]
        admin.Kill()
        assert wait_for(lambda: server.poll() is not None, timeout=20)
    finally:
        server.kill()
        server.wait(20)


def test_the_device_server_module_names_the_classic_bases():
    import tango.device_server as device_server
    from tango.server import green

    assert device_server.LatestDeviceImpl is tango.LatestDeviceImpl is device_server.Device_4Impl
    assert device_server.get_worker is green.get_worker
    # PyTango's executor of the device code: synchronous unless a green server runs here
    assert type(device_server.get_worker()) is tango.green.SynchronousExecutor or green.server_worker() is not None


def test_every_python_device_derives_from_latest_device_impl_as_in_pytango():
    from tango.server import BaseDevice, Device, LatestDeviceImpl

    assert Device.__mro__[1:3] == (BaseDevice, LatestDeviceImpl)
    assert tango.LatestDeviceImpl is LatestDeviceImpl
    assert all(getattr(tango, name) is LatestDeviceImpl for name in
               ("DeviceImpl", "Device_2Impl", "Device_3Impl", "Device_4Impl", "Device_5Impl", "Device_6Impl"))

    class HighLevel(Device):
        pass

    class Empty(tango.DeviceClass):
        pass

    # a high-level device is a LatestDeviceImpl, but not a classic device half
    assert issubclass(HighLevel, LatestDeviceImpl)
    with pytest.raises(TypeError, match="not a high-level tango.server.Device"):
        tango.server.classic.register(Empty, HighLevel, "Empty")
