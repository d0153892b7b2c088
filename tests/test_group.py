"""tango.Group on cppTango's Tango::Group: members by name, list and sub-group, requests to every
device at once with plain Python arguments, per-device arguments and replies, against real
servers (one of which refuses or is not there)."""

import numpy as np
import pytest

import tango
from tango import (AttrWriteType, DevFailed, DeviceData, DeviceDataList, DevState, Group, GroupAttrReply,
                   GroupAttrReplyList, GroupCmdReply, GroupCmdReplyList, GroupReply, GroupReplyList,
                   StdStringVector)
from tango.server import Device, attribute, command
from tango.test_context import MultiDeviceTestContext

from conftest import free_loopback_port

NAMES = ["test/grp/1", "test/grp/2", "test/grp/3"]


class Member(Device):
    """Device n: level n at start; device 3 refuses writes and fails its command."""

    def init_device(self):
        super().init_device()
        self.number = int(self.get_name()[-1])
        self._level = float(self.number)
        self.set_state(DevState.ON)

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def level(self):
        return self._level

    def write_level(self, value):
        self._level = value

    def is_level_allowed(self, request):
        return request == tango.AttReqType.READ_REQ or self.number != 3

    @attribute(dtype=str)
    def who(self):
        return self.get_name()

    @command(dtype_in=int, dtype_out=int)
    def times_n(self, value):
        if self.number == 3:
            raise ValueError("device 3 does not multiply")
        return value * self.number

    @command(dtype_in=(float,), dtype_out=(float,))
    def scaled(self, values):
        return [v * self.number for v in values]

    @command(dtype_out=str)
    def name_of(self):
        return self.get_name()


@pytest.fixture(scope="module")
def context():
    devices = [{"class": Member, "devices": [{"name": n} for n in NAMES]}]
    with MultiDeviceTestContext(devices, debug=0, process=True) as ctx:
        yield ctx


@pytest.fixture
def group(context):
    group = Group("members")
    group.add([context.get_device_access(n) for n in NAMES[:2]])
    group.add(context.get_device_access(NAMES[2]))
    group.write_attribute("level", 0.0)  # back to a known value for 1 and 2 (3 refuses)
    return group


def values(replies):
    return [None if r.has_failed() else r.get_data() for r in replies]


def test_members_by_name_list_and_vector(context):
    trls = [context.get_device_access(n) for n in NAMES]
    vector = StdStringVector()
    for trl in trls:
        vector.append(trl)
    for how in (trls, tuple(trls), vector):
        group = Group("g")
        group.add(how)
        assert group.get_size() == len(group) == 3
        assert group.get_device_list() == trls
        assert all(trl in group for trl in trls)
    assert group.get_name() == "g"
    assert "tango://127.0.0.1:1/no/such/device#dbase=no" not in group


def test_get_device_by_name_and_position(context, group):
    first = group.get_device(1)
    assert isinstance(first, tango.DeviceProxy)
    assert first.who == NAMES[0]
    assert group[3].who == NAMES[2]
    assert group.get_device(context.get_device_access(NAMES[1])).who == NAMES[1]
    with pytest.raises(KeyError, match="some/wrong/device"):
        group.get_device("some/wrong/device")
    with pytest.raises(KeyError, match="some/wrong/device"):
        group["some/wrong/device"]
    with pytest.raises(IndexError, match="has no device 4"):
        group.get_device(4)


def test_command_with_one_argument_for_all(group):
    replies = group.command_inout("times_n", 5)
    assert isinstance(replies, GroupCmdReplyList)
    assert all(isinstance(r, GroupCmdReply) for r in replies)
    assert [r.dev_name() for r in replies] == group.get_device_list()
    assert [r.obj_name() for r in replies] == ["times_n"] * 3
    # device 3 fails; the others' results are all there
    assert [r.has_failed() for r in replies] == [False, False, True]
    assert replies.has_failed()
    assert [replies[0].get_data(), replies[1].get_data()] == [5, 10]
    assert replies[0].get_data() == 5  # a result is read as often as wanted
    error = replies[2].get_err_stack()[0]
    assert error.reason == "PyDs_PythonError"
    assert "device 3 does not multiply" in error.desc
    with pytest.raises(DevFailed) as info:
        replies[2].get_data()
    assert "device 3 does not multiply" in info.value.args[0].desc
    assert replies[0].get_err_stack() == ()


def test_command_arguments_per_device(group):
    assert values(group.command_inout("times_n", [1, 2, 3])) == [1, 4, None]
    data = DeviceData()
    data.insert(tango.DevLong64, 7)  # the type of an int command argument
    assert values(group.command_inout("times_n", data)) == [7, 14, None]
    wrong = DeviceData()
    wrong.insert(tango.DevLong, 7)
    assert [r.get_err_stack()[0].reason for r in group.command_inout("times_n", wrong)] == [
        "API_IncompatibleCmdArgumentType"] * 3
    per_device = DeviceDataList()
    for v in (10, 20, 30):
        d = DeviceData()
        d.insert(tango.DevLong64, v)
        per_device.append(d)
    assert values(group.command_inout("times_n", per_device)) == [10, 40, None]
    assert values(group.command_inout("times_n", list(per_device))) == [10, 40, None]


def test_array_command_one_array_or_one_per_device(group):
    replies = group.command_inout("scaled", [1.0, 2.0])  # one array for every device
    assert [list(r.get_data()) for r in replies] == [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]
    replies = group.command_inout("scaled", [[1.0], [1.0, 1.0], np.array([2.0])])  # one each
    assert [list(r.get_data()) for r in replies] == [[1.0], [2.0, 2.0], [6.0]]
    assert isinstance(replies[0].get_data(), np.ndarray)
    assert replies[0].get_data(tango.ExtractAs.List) == [1.0]


def test_command_without_argument_and_bad_arguments(group):
    assert values(group.command_inout("name_of")) == NAMES
    with pytest.raises(TypeError, match="command name_of takes no argument"):
        group.command_inout("name_of", 3)
    with pytest.raises(TypeError):
        group.command_inout("times_n", "not a number")
    replies = group.command_inout("no_such_command")
    assert all(r.has_failed() for r in replies)
    assert replies[0].get_err_stack()[0].reason == "API_CommandNotFound"


def test_read_and_write_attributes(group):
    replies = group.write_attribute("level", 2.5)
    assert isinstance(replies, GroupReplyList)
    assert all(type(r) is GroupReply for r in replies)
    assert [r.has_failed() for r in replies] == [False, False, True]
    assert replies[2].get_err_stack()[0].reason == "API_AttrNotAllowed"
    reads = group.read_attribute("level")
    assert isinstance(reads, GroupAttrReplyList)
    assert all(isinstance(r, GroupAttrReply) for r in reads)
    assert [r.get_data().value for r in reads] == [2.5, 2.5, 3.0]
    assert reads[0].get_data().name == "level"
    assert reads[0].get_data().value == 2.5  # read as often as wanted
    # one value per device; the type given by the attribute's configuration
    info = group.get_device(1).get_attribute_config("level")
    group.write_attribute(info, [7.0, 8.0, 9.0], multi=True)
    assert [r.get_data().value for r in group.read_attribute("level")] == [7.0, 8.0, 3.0]
    both = group.read_attributes(["level", "who"])
    assert [(r.dev_name()[-16:], r.obj_name(), r.get_data().value) for r in both] == [
        ("/test/grp/1#dbase=no"[-16:], "level", 7.0), ("/test/grp/1#dbase=no"[-16:], "who", NAMES[0]),
        ("/test/grp/2#dbase=no"[-16:], "level", 8.0), ("/test/grp/2#dbase=no"[-16:], "who", NAMES[1]),
        ("/test/grp/3#dbase=no"[-16:], "level", 3.0), ("/test/grp/3#dbase=no"[-16:], "who", NAMES[2])]
    with pytest.raises(TypeError):
        group.write_attribute("level", [1.0, 2.0], multi=False)


def test_asynch_requests(group):
    cmd = group.command_inout_asynch("times_n", 3)
    read = group.read_attribute_asynch("who")
    write = group.write_attribute_asynch("level", 4.0)
    assert values(group.command_inout_reply(cmd, 3000)) == [3, 6, None]
    assert [r.get_data().value for r in group.read_attribute_reply(read)] == NAMES
    assert [r.has_failed() for r in group.write_attribute_reply(write)] == [False, False, True]
    reads = group.read_attributes_reply(group.read_attributes_asynch(["level"]))
    assert [r.get_data().value for r in reads] == [4.0, 4.0, 3.0]
    group.command_inout_asynch("name_of", forget=True)  # no reply to collect
    assert group.ping()


def test_sub_groups_forward_and_disabled_devices(context, group):
    root = Group("root")
    root.add(group)
    extra = Group("extra")
    extra.add(context.get_device_access(NAMES[0]))
    root.add(extra)
    assert group.get_fully_qualified_name() == "root.members"
    assert root.get_size() == 4
    assert root.get_size(forward=False) == 0
    assert values(root.command_inout("name_of")) == [NAMES[0], NAMES[1], NAMES[2], NAMES[0]]
    assert root.command_inout("name_of", forward=False) == []
    # the sub-group's own object still works, as part of the tree
    assert values(group.command_inout("name_of")) == NAMES
    assert root.get_group("members").get_size() == 3
    assert root.get_group("nothing") is None

    trl2 = context.get_device_access(NAMES[1])
    root.disable(trl2)
    assert not root.is_enabled(trl2)
    replies = root.command_inout("name_of")
    assert [r.group_element_enabled() for r in replies] == [True, False, True, True]
    root.enable(trl2)
    group.disable()  # the group's own switch (cppTango honours it for devices only)
    assert not group.is_enabled()
    group.enable()
    assert group.is_enabled()

    with pytest.raises(ValueError, match="already belongs to a group"):
        Group("other").add(group)
    root.remove("members")
    assert root.get_size() == 1
    with pytest.raises(DevFailed) as info:  # cppTango deleted it with its removal
        group.get_size()
    assert info.value.args[0].reason == "API_GroupRemoved"
    root.remove_all()
    assert root.get_size() == 0


def test_removing_members(context, group):
    group.remove(context.get_device_access(NAMES[0]))
    assert group.get_size() == 2
    assert context.get_device_access(NAMES[0]) not in group
    group.remove_all()
    assert group.get_size() == 0
    assert group.command_inout("name_of") == []


def test_a_member_that_does_not_answer_does_not_hide_the_others(context):
    group = Group("with a dead one")
    dead = f"tango://127.0.0.1:{free_loopback_port()}/no/such/device#dbase=no"
    group.add([context.get_device_access(NAMES[0]), dead, context.get_device_access(NAMES[1])])
    group.set_timeout_millis(1000)
    replies = group.command_inout("name_of")
    assert [r.has_failed() for r in replies] == [False, True, False]
    assert [replies[0].get_data(), replies[2].get_data()] == [NAMES[0], NAMES[1]]
    assert replies[1].get_err_stack()
    assert not group.ping()


def test_short_names_resolve_in_a_test_context_of_this_process():
    devices = [{"class": Member, "devices": [{"name": n} for n in NAMES[:2]]}]
    with MultiDeviceTestContext(devices, debug=0) as ctx:
        group = Group("short")
        group.add(NAMES[:2])
        assert group.get_device_list() == [ctx.get_device_access(n) for n in NAMES[:2]]
        assert values(group.command_inout("times_n", 4)) == [4, 8]
        with pytest.raises(DevFailed):  # a pattern needs a database; a test context has none
            group.add("test/grp/*")


def test_bad_arguments_are_type_errors():
    with pytest.raises(TypeError):
        Group(3)
    group = Group("g")
    with pytest.raises(TypeError):
        group.add(42)
    with pytest.raises(TypeError):
        group.add(["a/b/c", 42])
    with pytest.raises(ValueError, match="cannot be added to itself"):
        group.add(group)
    assert group.command_inout("anything") == []


def test_replies_print_with_their_own_type_name(group):
    cmd = group.command_inout("name_of")[0]
    read = group.read_attribute("level")[0]
    write = group.write_attribute("level", 1.5)[2]  # refused by the third device
    for reply, kind, obj, failed in ((cmd, "GroupCmdReply", "name_of", False),
                                     (read, "GroupAttrReply", "level", False), (write, "GroupReply", "level", True)):
        assert repr(reply) == (f"{kind}(dev_name = '{reply.dev_name()}', obj_name = '{obj}', "
                               f"has_failed = {failed})")
        assert str(reply) == (f"{kind}[\n    dev_name = {reply.dev_name()}\n    obj_name = {obj}\n"
                              f"    has_failed = {failed}\n]")


def test_command_reply_as_device_data(group):
    reply = group.command_inout("times_n", 2)[0]
    raw = reply.get_data_raw()
    assert isinstance(raw, tango.DeviceData)
    assert raw.extract() == reply.get_data() == 2
    failed = group.command_inout("times_n", 2)[2]
    with pytest.raises(DevFailed):
        failed.get_data_raw()

