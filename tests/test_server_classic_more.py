"""The classic DeviceClass's link to cppTango (commands, device factory and destroyer, wizard
properties, signals), write_attr_hardware, Device.TangoClassName/TangoClassClass and the module's
class registry (tango.class_list, get_class, get_constructed_class...)."""

import signal

import pytest

import tango
from tango import AttrWriteType, DevFailed, DeviceProxy, DevState
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext


class LampClass(tango.DeviceClass):
    cmd_list = {
        "Commands": [[tango.DevVoid, ""], [tango.DevVarStringArray, "the class's commands"]],
        "CommandNamed": [[tango.DevString, "a name"], [tango.DevString, "as the class spells it"]],
        "Spawn": [[tango.DevString, "a device name"], [tango.DevVarStringArray, "the class's devices"]],
        "SpawnBad": [[tango.DevVoid, ""], [tango.DevString, "what a string list gives"]],
        "Destroy": [[tango.DevString, "a device name"], [tango.DevVarStringArray, "the class's devices"]],
        "Info": [[tango.DevVoid, ""], [tango.DevVarStringArray, "cvs, doc and str"]],
        "Signals": [[tango.DevLong, "a signal number"], [tango.DevString, "what happened"]],
        "Registry": [[tango.DevVoid, ""], [tango.DevVarStringArray, "the registry seen in the server"]],
        "Writes": [[tango.DevVoid, ""], [tango.DevVarLongArray, "the write_attr_hardware calls"]],
    }
    attr_list = {
        "Power": [[tango.DevDouble, tango.SCALAR, tango.READ_WRITE]],
        "Colour": [[tango.DevLong, tango.SCALAR, tango.READ_WRITE]],
    }


class Lamp(tango.LatestDeviceImpl):
    def __init__(self, cl, name):
        tango.LatestDeviceImpl.__init__(self, cl, name)
        self.power = 0.0
        self.colour = 0
        self.written = []
        Lamp.init_device(self)

    def init_device(self):
        self.set_state(DevState.ON)

    def read_Power(self, attr):
        attr.set_value(self.power)

    def write_Power(self, attr):
        self.power = attr.get_write_value()

    def read_Colour(self, attr):
        attr.set_value(self.colour)

    def write_Colour(self, attr):
        self.colour = attr.get_write_value()

    def write_attr_hardware(self, attr_list):
        self.written.append(len(attr_list))

    def Writes(self):
        return self.written

    def Commands(self):
        return sorted(self.get_device_class().get_command_list())

    def CommandNamed(self, name):
        try:
            return self.get_device_class().get_cmd_by_name(name)
        except DevFailed as exc:
            return exc.args[0].reason

    def Spawn(self, name):
        klass = self.get_device_class()
        klass.device_factory([name])
        return [d.get_name() for d in klass.get_device_list()]

    def SpawnBad(self):
        try:
            self.get_device_class().device_factory("test/lamp/x")
        except TypeError:
            return "TypeError"
        return "accepted"

    def Destroy(self, name):
        klass = self.get_device_class()
        try:
            klass.device_destroyer(name)
        except DevFailed as exc:
            return [exc.args[0].reason]
        return [d.get_name() for d in klass.get_device_list()]

    def Info(self):
        klass = self.get_device_class()
        klass.add_wiz_dev_prop("Bulb", "the bulb's type", "E27")
        klass.add_wiz_class_prop("Maker", "who made it")
        wiz = klass._cpp_class()._wiz_dev_prop() + klass._cpp_class()._wiz_class_prop()
        return [klass.get_cvs_tag(), klass.get_cvs_location(), klass.get_doc_url(), str(klass), str(self),
                *wiz]

    def Signals(self, signo):
        out = []
        for target in (self, self.get_device_class()):
            try:
                target.register_signal(signo)
                target.unregister_signal(signo)
                out.append("ok")
            except DevFailed as exc:
                out.append(exc.args[0].reason)
        return ",".join(out)

    def Registry(self):
        klass = tango.get_constructed_class("Lamp")
        entry = tango.get_class("Lamp")
        return [str(klass is self.get_device_class()),
                str(entry is not None and entry[0] is LampClass and entry[1] is Lamp),
                str(any(k is klass for k in tango.get_constructed_classes())),
                str(tango.get_cpp_classes() == [] and tango.get_cpp_class("Lamp") is None),
                str(tango.get_class("NoSuch") is None and tango.get_constructed_class("NoSuch") is None),
                str(tango.get_classes() is tango.class_list),
                ",".join(f"{type(k).__name__}:{k.get_name()}" for k in tango.Util.instance().get_class_list())]


@pytest.fixture(scope="module")
def lamp_context():
    context = DeviceTestContext(Lamp, LampClass, device_name="test/lamp/1")
    with context:
        yield context


@pytest.fixture
def lamp(lamp_context):
    return lamp_context.device


def test_command_list_and_look_up(lamp):
    assert list(lamp.Commands()) == sorted(["Commands", "CommandNamed", "Destroy", "Info", "Init", "Registry",
                                            "Signals", "Spawn", "SpawnBad", "State", "Status", "Writes"])
    assert lamp.CommandNamed("Spawn") == "Spawn"
    assert lamp.CommandNamed("spawn") == "Spawn"
    assert lamp.CommandNamed("NoSuchCommand") == "API_CommandNotFound"
    assert lamp.state() == DevState.ON


def test_device_factory_and_destroyer(lamp):
    assert list(lamp.Spawn("test/lamp/2")) == ["test/lamp/1", "test/lamp/2"]
    assert list(lamp.Destroy("test/lamp/2")) == ["test/lamp/1"]
    assert list(lamp.Destroy("test/lamp/2")) == ["PyAPI_CantDestroyDevice"]
    assert lamp.state() == DevState.ON


def test_device_factory_refuses_a_string(lamp):
    assert lamp.SpawnBad() == "TypeError"
    assert lamp.state() == DevState.ON


def test_class_information_and_wizard_properties(lamp):
    tag, location, url, text, device_text, *wiz = lamp.Info()
    assert (tag, location) == ("", "")
    assert isinstance(url, str)
    assert text == "LampClass(Lamp)"
    assert device_text == "Lamp(test/lamp/1)"
    assert wiz[:3] == ["Bulb", "the bulb's type", "E27"]
    assert wiz[3:5] == ["Maker", "who made it"]


def test_signals_register_and_unregister(lamp):
    assert lamp.Signals(int(signal.SIGUSR2)) == "ok,ok"
    assert lamp.Signals(100000) == "API_SignalOutOfRange,API_SignalOutOfRange"
    assert lamp.state() == DevState.ON


def test_back_to_back_signal_registrations_leave_the_server_serving(lamp):
    # cppTango serves each (un)registration with one SIGINT to its signal thread; two pending
    # at once used to merge, and the thread then took a later one for Ctrl-C and shut the
    # server down (its devices gone, OBJECT_NOT_EXIST). Each is now served before the next.
    for _ in range(30):
        assert lamp.Signals(int(signal.SIGUSR2)) == "ok,ok"
    assert lamp.state() == DevState.ON
    assert list(lamp.Spawn("test/lamp/4")) == ["test/lamp/1", "test/lamp/4"]
    assert list(lamp.Destroy("test/lamp/4")) == ["test/lamp/1"]


def test_registry_seen_in_the_server(lamp):
    *flags, classes = lamp.Registry()
    assert flags == ["True"] * 6
    assert classes == "LampClass:Lamp"


def test_write_attr_hardware_called_once_per_write_request(lamp):
    before = len(lamp.Writes())
    lamp.write_attribute("Power", 2.5)
    lamp.write_attributes([("Power", 3.5), ("Colour", 4)])
    calls = list(lamp.Writes())[before:]
    assert calls == [1, 2]
    assert lamp.Power == 3.5
    assert lamp.Colour == 4


class Bulb(Device):
    writes = []

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def power(self):
        return self._power

    @power.write
    def power(self, value):
        self._power = value

    def init_device(self):
        self._power = 0.0

    def write_attr_hardware(self, attr_list):
        type(self).writes.append(list(attr_list))

    @command(dtype_out=[int])
    def Writes(self):
        return [len(w) for w in type(self).writes]

    @command(dtype_out=str)
    def Named(self):
        return f"{self.TangoClassName}|{self.TangoClassClass.__name__}|{str(self)}"


def test_high_level_device_write_attr_hardware_and_class_names():
    # (the server may run in another process: what it saw is asked through a command)
    with DeviceTestContext(Bulb, device_name="test/bulb/1") as proxy:
        before = len(proxy.Writes())
        proxy.power = 1.5
        assert proxy.power == 1.5
        assert list(proxy.Writes())[before:] == [1]
        assert proxy.Named() == "Bulb|BulbClass|Bulb(test/bulb/1)"
    assert Bulb.TangoClassName == "Bulb"
    assert issubclass(Bulb.TangoClassClass, tango.DeviceClass)
    assert Bulb.TangoClassClass is Bulb.TangoClassClass


def test_module_registry_outside_a_server():
    assert tango.get_class("NeverRegistered") is None
    assert tango.get_cpp_class("NeverRegistered") is None
    saved_classes, saved_constructed = list(tango.class_list), list(tango.constructed_class)
    try:
        tango.class_list.append((LampClass, Lamp, "Lamp"))
        assert tango.get_class("Lamp") == (LampClass, Lamp, "Lamp")
        tango.delete_class_list()
        assert tango.get_constructed_classes() == []
        tango.class_factory()
        made = tango.get_constructed_class("Lamp")
        assert isinstance(made, LampClass)
        tango.class_list.clear()
        tango.delete_class_list()
        with pytest.raises(SystemExit):
            tango.class_factory()
    finally:
        tango.class_list[:] = saved_classes
        tango.constructed_class[:] = saved_constructed


def test_poll_device_and_dserver_names():
    poll = tango.PollDevice()
    poll.dev_name = "a/b/c"
    poll.ind_list = [1, 2]
    assert (poll.dev_name, poll.ind_list) == ("a/b/c", [1, 2])
    assert tango.DServer.__name__ == "DServer"
    with pytest.raises(TypeError):
        tango.DServer()


def test_classic_device_destroyed_by_its_class_is_gone_for_clients(lamp_context, lamp):
    lamp.Spawn("test/lamp/3")
    name = lamp_context.get_device_access("test/lamp/3")
    other = DeviceProxy(name)
    assert other.state() == DevState.ON
    lamp.Destroy("test/lamp/3")
    with pytest.raises(DevFailed):
        DeviceProxy(name).state()
    assert lamp.state() == DevState.ON
