"""tango.Util inside a running server: the devices and classes it knows (the Python device
objects themselves), the admin device, IORs, the server's settings, polling triggers, devices
made and deleted at run time, and the errors of bad requests (the device serving on)."""

import pytest

import tango
from tango import DevFailed, DeviceProxy, DevState
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext, MultiDeviceTestContext


def reason_of(call):
    """The reason of the DevFailed that call() raises ("done" if it raises none)."""
    try:
        call()
    except DevFailed as exc:
        return exc.args[0].reason
    return "done"


class UtilProbe(Device):
    """Asks the server's Util about itself; each answer is checked by the test."""

    @attribute(dtype=int)
    def level(self):
        return 7

    @command(dtype_in=str, dtype_out=[str])
    def DevicesMatching(self, pattern):
        return [d.get_name() for d in tango.Util.instance().get_device_list(pattern)]

    @command(dtype_out=[bool])
    def SameObjects(self):
        util = tango.Util.instance()
        name = self.get_name()
        return [util.get_device_by_name(name) is self,
                any(d is self for d in util.get_device_list_by_class("UtilProbe")),
                any(d is self for d in util.get_device_list("*"))]

    @command(dtype_out=[str])
    def Admin(self):
        util = tango.Util.instance()
        admin = util.get_dserver_device()
        return [type(admin).__name__, admin.get_name(), str(admin.get_state()),
                ",".join(admin.query_class()), ",".join(admin.query_device()),
                str(util.get_device_by_name(admin.get_name()).get_name() == admin.get_name())]

    @command(dtype_out=[str])
    def Iors(self):
        util = tango.Util.instance()
        return [util.get_device_ior(self)[:4], util.get_dserver_ior(util.get_dserver_device())[:4]]

    @command(dtype_out=[str])
    def Settings(self):
        util = tango.Util.instance()
        before = util.get_server_version()
        util.set_server_version("4.5.6")
        after = util.get_server_version()
        level = util.get_trace_level()
        util.set_trace_level(level)
        return [util.get_pid_str(), str(util.get_pid()), after, str(util.get_trace_level() == level),
                str(util.is_device_restarting(self.get_name())), before]

    @command(dtype_out=[str])
    def Classes(self):
        return [f"{type(k).__name__}:{k.get_name()}" for k in tango.Util.instance().get_class_list()]

    @command(dtype_in=str, dtype_out=str)
    def Trigger(self, what):
        util = tango.Util.instance()
        kind, name = what.split(":")
        try:
            if kind == "attr":
                util.trigger_attr_polling(self, name)
            else:
                util.trigger_cmd_polling(self, name)
        except DevFailed as exc:
            return exc.args[0].reason
        return "triggered"

    @command(dtype_out=str)
    def TriggerWithNoDevice(self):
        try:
            tango.Util.instance().trigger_attr_polling("not a device", "level")
        except TypeError:
            return "TypeError"
        return "accepted"

    @command(dtype_in=bool, dtype_out=bool)
    def AutoAlarmRoundTrip(self, enabled):
        util = tango.Util.instance()
        util.set_auto_alarm_on_change_event(enabled)
        return util.is_auto_alarm_on_change_event()

    @command(dtype_out=str)
    def AutoAlarm(self):
        util = tango.Util.instance()
        messages = []
        for call in (util.is_auto_alarm_on_change_event, lambda: util.set_auto_alarm_on_change_event(True)):
            try:
                call()
            except NotImplementedError as exc:
                messages.append(str(exc))
        return "|".join(messages)

    @command(dtype_in=str, dtype_out=str)
    def MakeDevice(self, name):
        self.get_device_class().device_factory([name])
        return tango.Util.instance().get_device_by_name(name).get_name()

    @command(dtype_in=str)
    def DestroyDevice(self, name):
        self.get_device_class().device_destroyer(name)

    @command(dtype_in=str, dtype_out=str)
    def Lookup(self, name):
        return reason_of(lambda: tango.Util.instance().get_device_by_name(name))

    @command(dtype_out=str)
    def CreateUnknownClass(self):
        return reason_of(lambda: tango.Util.instance().create_device("NoSuchClass", "test/nosuch/1"))

    @command(dtype_out=str)
    def CreateWithBadCallback(self):
        return reason_of(lambda: tango.Util.instance().create_device("UtilProbe", "test/probe/9", cb=42))

    @command(dtype_in=str, dtype_out=str)
    def CreateInFileDatabase(self, name):
        return reason_of(lambda: tango.Util.instance().create_device("UtilProbe", name))

    @command(dtype_out=str)
    def DeleteUnknown(self):
        return reason_of(lambda: tango.Util.instance().delete_device("UtilProbe", "test/never/made"))

    @command(dtype_out=[str])
    def Interceptors(self):
        util = tango.Util.instance()
        out = []
        try:
            util.set_interceptors(object())
        except TypeError:
            out.append("TypeError")
        util.set_interceptors(tango.Interceptors())
        out.append("accepted")
        return out


@pytest.fixture(scope="module")
def probe():
    with DeviceTestContext(UtilProbe, device_name="test/probe/1") as proxy:
        yield proxy


def test_device_list_gives_the_devices_by_pattern(probe):
    assert probe.DevicesMatching("test/probe/*") == ["test/probe/1"]
    assert probe.DevicesMatching("nothing/like/this") == []


def test_devices_are_the_python_device_objects(probe):
    assert list(probe.SameObjects()) == [True, True, True]


def test_admin_device(probe):
    kind, name, state, classes, devices, found = probe.Admin()
    assert kind == "DServer"
    assert name.startswith("dserver/")
    assert state == "ON"
    assert classes == "UtilProbe"
    assert devices == "UtilProbe::test/probe/1"
    assert found == "True"


def test_iors(probe):
    assert list(probe.Iors()) == ["IOR:", "IOR:"]


def test_server_settings(probe):
    pid_str, pid, version, same_level, restarting, _ = probe.Settings()
    # the server's process (the test's, or a child when a context ran in this one before)
    assert pid_str == pid
    assert int(pid) > 0
    assert version == "4.5.6"
    assert same_level == "True"
    assert restarting == "False"


def test_class_list_names_the_server_classes(probe):
    assert list(probe.Classes()) == ["DeviceClass:UtilProbe"]


def test_triggering_what_is_not_polled_is_a_devfailed(probe):
    assert probe.Trigger("attr:level") == "API_DeviceNotPolled"
    assert probe.Trigger("cmd:State") == "API_DeviceNotPolled"
    assert probe.Trigger("attr:no_such_attr") != "triggered"
    assert probe.state() == DevState.UNKNOWN


def test_trigger_with_a_non_device_is_a_type_error(probe):
    assert probe.TriggerWithNoDevice() == "TypeError"
    assert probe.level == 7


def test_auto_alarm_on_change_event_needs_cpptango_10(probe):
    if tango.constants.TANGO_VERSION_MAJOR >= 10:
        pytest.skip("built with cppTango 10")
    messages = probe.AutoAlarm().split("|")
    assert len(messages) == 2
    for message in messages:
        assert "cppTango 10" in message
        assert "9.3" in message


def test_auto_alarm_on_change_event_on_cpptango_10(probe):
    if tango.constants.TANGO_VERSION_MAJOR < 10:
        pytest.skip("cppTango 9.3 has no automatic alarm events: test_auto_alarm_on_change_event_needs_cpptango_10")
    assert probe.AutoAlarmRoundTrip(True) is True
    assert probe.AutoAlarmRoundTrip(False) is False


def test_device_made_and_destroyed_at_run_time(probe):
    assert probe.MakeDevice("test/probe/2") == "test/probe/2"
    assert probe.DevicesMatching("test/probe/*") == ["test/probe/1", "test/probe/2"]
    assert probe.Lookup("test/probe/2") == "done"
    probe.DestroyDevice("test/probe/2")
    assert probe.Lookup("test/probe/2") == "API_DeviceNotFound"
    assert probe.DevicesMatching("test/probe/*") == ["test/probe/1"]


def test_destroying_an_unknown_device_is_a_devfailed(probe):
    with pytest.raises(DevFailed):
        probe.DestroyDevice("test/never/made")
    assert probe.level == 7


def test_create_and_delete_errors(probe):
    assert probe.CreateUnknownClass() == "PyAPI_UnknownDeviceClass"
    assert probe.CreateWithBadCallback() == "PyAPI_InvalidParameter"
    # a test context's server has a file database, which keeps no device list
    assert probe.DeleteUnknown() == "PyAPI_NoDatabase"
    assert probe.CreateInFileDatabase("test/probe/7") == "PyAPI_NoDatabase"
    assert probe.DevicesMatching("test/probe/*") == ["test/probe/1"]
    assert probe.level == 7


def test_set_interceptors_takes_an_interceptors(probe):
    assert list(probe.Interceptors()) == ["TypeError", "accepted"]


def test_interceptors_class_and_static_init():
    assert callable(tango.Interceptors().create_thread)
    assert tango.Interceptors().delete_thread() is None
    assert isinstance(tango.Util.__dict__["init"], staticmethod)


class Other(Device):
    @command(dtype_out=[str])
    def Everything(self):
        util = tango.Util.instance()
        return sorted(d.get_name() for d in util.get_device_list("*"))

    @command(dtype_in=str, dtype_out=[str])
    def ByClass(self, name):
        try:
            return [d.get_name() for d in tango.Util.instance().get_device_list_by_class(name)]
        except DevFailed as exc:
            return [exc.args[0].reason]


def test_device_lists_of_a_multi_device_server():
    devices_info = [
        {"class": UtilProbe, "devices": [{"name": "test/multi/a"}]},
        {"class": Other, "devices": [{"name": "test/multi/b"}, {"name": "test/multi/c"}]},
    ]
    with MultiDeviceTestContext(devices_info) as context:
        proxy = DeviceProxy(context.get_device_access("test/multi/b"))
        everything = list(proxy.Everything())
        assert [n for n in everything if not n.startswith("dserver/")] == [
            "test/multi/a", "test/multi/b", "test/multi/c"]
        assert len(everything) == 4
        assert list(proxy.ByClass("Other")) == ["test/multi/b", "test/multi/c"]
        assert list(proxy.ByClass("UtilProbe")) == ["test/multi/a"]
        assert list(proxy.ByClass("NoSuchClass")) == ["API_ClassNotFound"]
        assert proxy.state() == DevState.UNKNOWN
