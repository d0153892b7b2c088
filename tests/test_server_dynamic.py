"""Dynamic attributes and commands of Python devices (Device.add_attribute & co.), in every
server green mode: added by initialize_dynamic_attributes or later by a command, different per
device, read and written by real clients, removed; bad input refused with the device serving."""

import pytest

import tango
from tango import AttrWriteType, DevFailed, EventType, GreenMode
from tango.server import attribute, command

from _green_server import (GreenDeviceTestContext, GreenModeProbe, GreenMultiDeviceTestContext,
                           seen_green_mode)
from conftest import wait_for


class DynamicDevice(GreenModeProbe):
    def initialize_dynamic_attributes(self):
        self._set_point = 0.0
        self._counts = {}
        suffix = self.get_name().rsplit("/", 1)[-1]
        # one name, a different handler per device: each returns its own device's number
        self.add_attribute(attribute(name="number", dtype=int), r_meth=self._number_of(suffix))
        self.add_attribute(attribute(name="returned", dtype=float), r_meth=self.read_returned)
        self.add_attribute(attribute(name="set_by_attr", dtype=str), r_meth=self.read_set_by_attr)
        self.add_attribute(
            attribute(name="set_point", dtype=float, access=AttrWriteType.READ_WRITE, unit="mm"),
            r_meth=self.read_set_point, w_meth=self.write_set_point)
        self.add_attribute(attribute(name="guarded", dtype=int), r_meth=self.read_returned_int,
                           is_allo_meth=self.is_guarded_allowed)
        self.add_attribute(attribute(name="seen_mode", dtype=str, fget=lambda dev: seen_green_mode()))

    def _number_of(self, suffix):
        number = int(suffix)

        def read_number(dev):  # a function: called with the device
            assert dev is self
            return number

        return read_number

    def read_returned(self):
        return 2.5

    def read_returned_int(self):
        return 7

    def read_set_by_attr(self, attr):
        attr.set_value("from attr.set_value")

    def read_set_point(self, attr):
        attr.set_value(self._set_point)

    def write_set_point(self, attr):
        self._set_point = attr.get_write_value()

    def is_guarded_allowed(self, req_type):
        return False

    @command
    def AddClassic(self):
        props = tango.UserDefaultAttrProp()
        props.set_unit("V")
        props.set_label("Levels")
        props.set_event_abs_change(0.5)
        levels = tango.SpectrumAttr("levels", tango.DevDouble, AttrWriteType.READ_WRITE, 4)
        levels.set_default_properties(props)
        self._levels = [1.0, 2.0]
        self.add_attribute(levels, r_meth=self.read_levels, w_meth=self.write_levels)
        self.add_attribute(tango.ImageAttr("plane", tango.DevShort, AttrWriteType.READ, 3, 2))
        self.add_attribute(tango.Attr("scalar_classic", tango.DevLong, AttrWriteType.READ))

    def read_levels(self, attr):
        attr.set_value(self._levels)

    def write_levels(self, attr):
        self._levels = list(attr.get_write_value())

    def read_plane(self, attr):  # found by its conventional name
        attr.set_value([[1, 2, 3], [4, 5, 6]])

    def read_scalar_classic(self, attr):
        return 12  # returned: taken as the value, as PyTango does

    @command
    def AddFaulty(self):
        def raises(dev):
            raise RuntimeError("sensor unplugged")

        self.add_attribute(attribute(name="raising", dtype=int, fget=raises))
        self.add_attribute(attribute(name="wrong_type", dtype=int, fget=lambda dev: "not a number"))

    @command(dtype_in=str)
    def AddCounter(self, name):
        self._counts[name] = 0

        def read_counter(dev):
            dev._counts[name] += 1
            return dev._counts[name]

        self.add_attribute(attribute(name=name, dtype=int, fget=read_counter))

    @command(dtype_in=str)
    def Remove(self, name):
        self.remove_attribute(name)

    @command(dtype_in=str)
    def AddBadDtype(self, name):
        self.add_attribute(attribute(name=name, dtype="no_such_type"))

    @command(dtype_in=str)
    def AddAsString(self, name):
        self.add_attribute(attribute(name=name, dtype=str, fget=lambda dev: "x"))

    @command(dtype_in=str)
    def AddTwice(self, name):
        self.add_attribute(attribute(name=name, dtype=int, fget=lambda dev: 1))
        self.add_attribute(attribute(name=name, dtype=int, fget=lambda dev: 2))

    @command(dtype_in=str)
    def AddTripler(self, name):
        def triple(dev, value: int) -> int:
            return 3 * value

        triple.__name__ = name
        self.add_command(command(f=triple))

    @command(dtype_in=str)
    def AddSeenModeCommand(self, name):
        def seen(dev) -> str:
            return seen_green_mode()

        seen.__name__ = name
        self.add_command(command(f=seen))

    @command(dtype_in=str)
    def RemoveCommand(self, name):
        self.remove_command(name)


DEVICES = ["test/dynamic/1", "test/dynamic/2"]


@pytest.fixture(scope="module")
def server(server_mode):
    info = [{"class": DynamicDevice, "devices": [{"name": name} for name in DEVICES]}]
    with GreenMultiDeviceTestContext(info, server_mode, debug=0) as context:
        yield context, server_mode


@pytest.fixture
def proxy(server):
    context, _ = server
    return tango.DeviceProxy(context.get_device_access(DEVICES[0]))


def test_attributes_of_initialize_dynamic_attributes(proxy):
    names = set(proxy.get_attribute_list())
    assert {"number", "returned", "set_by_attr", "set_point", "guarded", "seen_mode"} <= names
    assert proxy.read_attribute("returned").value == 2.5
    assert proxy.read_attribute("set_by_attr").value == "from attr.set_value"
    info = proxy.get_attribute_config("set_point")
    assert (info.data_type, info.writable, info.unit) == (
        tango.CmdArgType.DevDouble, AttrWriteType.READ_WRITE, "mm")


def test_handlers_run_in_the_server_green_mode(server, proxy):
    _, mode = server
    assert proxy.read_attribute("seen_mode").value == mode.name


def test_each_device_has_its_own_handler(server):
    context, _ = server
    values = [tango.DeviceProxy(context.get_device_access(name)).read_attribute("number").value
              for name in DEVICES]
    assert values == [1, 2]


def test_write_handler_takes_the_attribute(proxy):
    proxy.write_attribute("set_point", -4.25)
    reply = proxy.read_attribute("set_point")
    assert (reply.value, reply.w_value) == (-4.25, -4.25)


def test_is_allowed_handler_refuses_the_read(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("guarded")
    assert info.value.args[0].reason == "API_AttrNotAllowed"


def test_added_by_a_command_then_removed(proxy):
    proxy.AddCounter("hits")
    assert "hits" in proxy.get_attribute_list()
    assert [proxy.read_attribute("hits").value for _ in range(3)] == [1, 2, 3]
    proxy.Remove("hits")
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("hits")
    assert info.value.args[0].reason == "API_AttrNotFound"
    proxy.AddCounter("hits")  # added again, anew
    assert proxy.read_attribute("hits").value == 1
    proxy.Remove("hits")


def test_the_client_sees_the_interface_change(proxy):
    seen = []
    event_id = proxy.subscribe_event(EventType.INTERFACE_CHANGE_EVENT, seen.append)
    try:
        assert wait_for(lambda: seen, timeout=10)  # the first event: the interface as it is
        assert "announced" not in {a.name for a in seen[-1].att_list}
        proxy.AddCounter("announced")
        assert wait_for(lambda: "announced" in {a.name for a in seen[-1].att_list}, timeout=10)
        proxy.Remove("announced")
        assert wait_for(lambda: "announced" not in {a.name for a in seen[-1].att_list}, timeout=10)
    finally:
        proxy.unsubscribe_event(event_id)


def test_dynamic_commands(server, proxy):
    _, mode = server
    proxy.AddTripler("Triple")
    assert proxy.command_inout("Triple", 14) == 42
    info = proxy.command_query("Triple")
    assert (info.in_type, info.out_type) == (tango.CmdArgType.DevLong64, tango.CmdArgType.DevLong64)
    proxy.AddSeenModeCommand("SeenMode")
    assert proxy.command_inout("SeenMode") == mode.name
    proxy.RemoveCommand("Triple")
    proxy.RemoveCommand("SeenMode")
    assert "Triple" not in proxy.get_command_list()
    with pytest.raises(DevFailed):
        proxy.command_inout("Triple", 1)


def test_bad_input_is_refused_and_the_device_serves(proxy):
    with pytest.raises(DevFailed, match="is not a Tango data type"):
        proxy.AddBadDtype("bad")
    assert "bad" not in proxy.get_attribute_list()
    with pytest.raises(DevFailed) as info:  # the name of a declared attribute
        proxy.AddAsString("green_mode_seen")
    assert "API_AttrAlreadyExists" in str(info.value)
    proxy.AddCounter("twice")
    with pytest.raises(DevFailed) as info:  # the same name with another type
        proxy.AddAsString("twice")
    assert "already exists with another type" in str(info.value)
    proxy.Remove("twice")
    with pytest.raises(DevFailed) as info:
        proxy.Remove("never_added")
    assert "never_added" in info.value.args[0].desc
    with pytest.raises(DevFailed) as info:
        proxy.RemoveCommand("NoSuchCommand")
    assert "NoSuchCommand" in str(info.value)
    assert proxy.read_attribute("returned").value == 2.5  # still serving


def test_the_same_attribute_added_twice_keeps_the_last_handler(proxy):
    proxy.AddTwice("again")
    assert proxy.read_attribute("again").value == 2
    proxy.Remove("again")


def test_classic_attr_objects(proxy):
    proxy.AddClassic()
    info = proxy.get_attribute_config("levels")
    assert (info.data_format, info.max_dim_x, info.unit, info.label, info.writable) == (
        tango.AttrDataFormat.SPECTRUM, 4, "V", "Levels", AttrWriteType.READ_WRITE)
    assert proxy.get_attribute_config_ex("levels")[0].events.ch_event.abs_change == "0.5"
    assert proxy.read_attribute("levels").value.tolist() == [1.0, 2.0]
    proxy.write_attribute("levels", [3.0, 4.0, 5.0])
    assert proxy.read_attribute("levels").value.tolist() == [3.0, 4.0, 5.0]
    plane = proxy.read_attribute("plane")
    assert (plane.type, plane.value.tolist()) == (tango.CmdArgType.DevShort, [[1, 2, 3], [4, 5, 6]])
    assert proxy.read_attribute("scalar_classic").value == 12
    for name in ("levels", "plane", "scalar_classic"):
        proxy.Remove(name)


def test_handlers_that_raise_or_return_the_wrong_type(proxy):
    proxy.AddFaulty()
    with pytest.raises(DevFailed, match="sensor unplugged"):
        proxy.read_attribute("raising")
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("wrong_type")
    assert info.value.args[0].reason == "PyDs_WrongPythonDataType"
    assert proxy.read_attribute("returned").value == 2.5  # still serving
    proxy.Remove("raising")
    proxy.Remove("wrong_type")


class AsyncDynamic(GreenModeProbe):
    green_mode = GreenMode.Asyncio

    @command(dtype_in=str)
    async def Add(self, name):
        async def read(dev):
            return seen_green_mode()

        await self.async_add_attribute(attribute(name=name, dtype=str, fget=read))

    @command(dtype_in=str)
    async def Remove(self, name):
        await self.async_remove_attribute(name)


def test_async_add_and_remove_in_an_asyncio_server():
    with GreenDeviceTestContext(AsyncDynamic, GreenMode.Asyncio, debug=0) as proxy:
        proxy.Add("coroutine_read")
        assert proxy.read_attribute("coroutine_read").value == "Asyncio"
        proxy.Remove("coroutine_read")
        assert "coroutine_read" not in proxy.get_attribute_list()
