"""Enums, structs and their printed forms as PyTango 10.3 has them, on values read from the C++
TangoTest device: enum members and their names/values tables, str/repr of DevFailed, DevError,
DeviceAttribute, event data and the info structs, pickling and equality of the info structs,
the list containers, DeviceData and NamedDevFailed.
"""

import pickle

import numpy as np
import pytest

import tango
from tango import (
    AttrQuality, CmdArgType, DevError, DevFailed, DeviceAttribute, DevState, ErrSeverity, ExtractAs,
)


@pytest.fixture(scope="module")
def proxy(tangotest):
    return tango.DeviceProxy(tangotest.name)


# ---------------------------------------------------------------------------------------------
# Enums
# ---------------------------------------------------------------------------------------------

ENUMS = [
    "AccessControlType", "AttrDataFormat", "AttReqType", "AttrMemorizedType", "AttrQuality",
    "AttrSerialModel", "AttrWriteType", "CmdArgType", "DevSource", "DevState", "DispLevel",
    "ErrSeverity", "EventReason", "EventSubMode", "EventType", "ExtractAs", "GreenMode",
    "KeepAliveCmdCode", "LockCmdCode", "LockerLanguage", "LogLevel", "LogTarget", "MessBoxType",
    "PollCmdCode", "PollObjType", "SerialModel", "alarm_flags", "asyn_req_type", "cb_sub_model",
]


@pytest.mark.parametrize("name", ENUMS)
def test_enum_names_and_values_tables(name):
    enum = getattr(tango, name)
    members = list(enum.__members__.values())
    assert members
    assert enum.names == dict(enum.__members__)
    assert list(enum.values) == [int(m) for m in members]
    assert list(enum.values.values()) == members
    for member in members:
        assert str(member) == member.name
        assert repr(member) == f"<{name}.{member.name}: {int(member)}>"
        assert enum(int(member)) is member
        assert enum[member.name] is member
    # the tables are copies: changing one changes nothing
    enum.names.clear()
    assert enum.names == dict(enum.__members__)


def test_enum_members_spelled_and_numbered_as_pytango():
    assert int(ExtractAs.Nothing) == 7
    assert [m.name for m in ExtractAs] == ["Numpy", "ByteArray", "Bytes", "Tuple", "List", "String", "Nothing"]
    assert int(tango.asyn_req_type.CALLBACK) == 1
    assert not hasattr(tango.asyn_req_type, "CALL_BACK")
    assert int(CmdArgType.Unknown) == 100 and int(CmdArgType.DevVarEncodedArray) == 32
    assert not hasattr(CmdArgType, "DataTypeUnknown")
    assert tango.ArgType is CmdArgType
    assert {m.name: int(m) for m in tango.LockerLanguage} == {"CPP": 0, "JAVA": 1, "CPP_6": 2, "JAVA_6": 3}
    assert {m.name: int(m) for m in tango.EventSubMode} == {
        "Sync": 1, "SyncRead": 2, "Async": 3, "AsyncRead": 4, "Stateless": 5}
    assert {m.name: int(m) for m in tango.EventReason} == {"Unknown": 0, "SubFail": 1, "SubSuccess": 2, "Update": 3}
    assert {m.name: int(m) for m in tango.AttrSerialModel} == {"ATTR_NO_SYNC": 0, "ATTR_BY_KERNEL": 1, "ATTR_BY_USER": 2}
    assert int(tango.PollCmdCode.POLL_REM_HEARTBEAT) == 9
    assert int(tango.alarm_flags.numFlags) == 5


def test_enum_bad_values_raise():
    with pytest.raises(ValueError):
        DevState(99)
    with pytest.raises(KeyError):
        DevState["NO_SUCH_STATE"]


def test_extract_as_nothing_reads_no_value(proxy):
    da = proxy.read_attribute("double_spectrum_ro", extract_as=ExtractAs.Nothing)
    assert da.value is None
    assert da.dim_x > 0 and da.quality == AttrQuality.ATTR_VALID
    assert proxy.state() == DevState.RUNNING


# ---------------------------------------------------------------------------------------------
# DevFailed and DevError
# ---------------------------------------------------------------------------------------------

def test_dev_error_defaults_and_formats():
    err = DevError()
    assert (err.reason, err.desc, err.origin, err.severity) == ("", "", "", ErrSeverity.WARN)
    assert repr(err) == "DevError(desc = '', origin = '', reason = '', severity = <ErrSeverity.WARN: 0>)"
    assert str(err) == "DevError[\n    desc = \n    origin = \n    reason = \n    severity = WARN\n]"
    # a description on several lines stays under its name
    err = DevError("R", "first\nsecond", "here", ErrSeverity.PANIC)
    assert str(err) == ("DevError[\n    desc = first\n        second\n    origin = here\n    reason = R\n"
                        "    severity = PANIC\n]")
    assert pickle.loads(pickle.dumps(err)) == err


def test_dev_failed_formats():
    assert str(DevFailed()) == "DevFailed[\n\n]"
    assert repr(DevFailed()) == "DevFailed(args = ())"
    with pytest.raises(DevFailed) as info:
        tango.Except.throw_exception("MyReason", "my description", "my_origin()")
    assert str(info.value) == ("DevFailed[\n    DevError[\n        desc = my description\n"
                               "        origin = my_origin()\n        reason = MyReason\n"
                               "        severity = ERR\n    ]\n]")
    assert repr(info.value) == ("DevFailed(args = (DevError(desc = 'my description', origin = 'my_origin()', "
                                "reason = 'MyReason', severity = <ErrSeverity.ERR: 1>),))")


def test_dev_failed_of_a_real_failing_call(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("no_such_attr")
    first, second = info.value.args
    assert first.reason == "API_AttrNotFound" and second.reason == "API_AttributeFailed"
    assert str(info.value) == (
        "DevFailed[\n"
        "    DevError[\n"
        "        desc = no_such_attr attribute not found\n"
        f"        origin = {first.origin}\n"
        "        reason = API_AttrNotFound\n"
        "        severity = ERR\n"
        "    ],\n"
        "    DevError[\n"
        f"        desc = {second.desc}\n"
        f"        origin = {second.origin}\n"
        "        reason = API_AttributeFailed\n"
        "        severity = ERR\n"
        "    ]\n"
        "]")
    assert repr(info.value) == f"DevFailed(args = ({first!r}, {second!r}))"
    # a subclass prints the same way, as in PyTango
    assert str(tango.ConnectionFailed(first)).startswith("DevFailed[\n    DevError[\n")
    assert proxy.state() == DevState.RUNNING


# ---------------------------------------------------------------------------------------------
# DeviceAttribute and event data
# ---------------------------------------------------------------------------------------------

def test_device_attribute_read_formats(proxy):
    proxy.write_attribute("double_scalar_w", 2.5)
    da = proxy.read_attribute("double_scalar_w")
    t = da.time
    dims = "AttributeDimension(dim_x = 1, dim_y = 0)"
    assert repr(da) == (
        "DeviceAttribute(data_format = <AttrDataFormat.SCALAR: 0>, dim_x = 1, dim_y = 0, has_failed = False, "
        "is_empty = False, name = 'double_scalar_w', nb_read = 1, nb_written = 1, "
        f"quality = <AttrQuality.ATTR_VALID: 0>, r_dimension = {dims}, "
        f"time = TimeVal(tv_nsec = {t.tv_nsec}, tv_sec = {t.tv_sec}, tv_usec = {t.tv_usec}), "
        f"type = <CmdArgType.DevDouble: 5>, value = 2.5, w_dim_x = 1, w_dim_y = 0, w_dimension = {dims}, "
        "w_value = 2.5)")
    lines = str(da).split("\n")
    assert lines[0] == "DeviceAttribute["
    assert lines[-1] == "]"
    assert '    name = "double_scalar_w"' in lines
    assert lines[lines.index("    r_dimension = AttributeDimension["):][:4] == [
        "    r_dimension = AttributeDimension[", "        dim_x = 1", "        dim_y = 0", "    ]"]


def test_device_attribute_made_in_python():
    da = DeviceAttribute()
    assert da.name == "Name not set" and da.quality == AttrQuality.ATTR_INVALID
    for unset in ("value", "w_value", "type", "has_failed", "is_empty"):
        with pytest.raises(AttributeError, match=unset):
            getattr(da, unset)
    assert repr(da).startswith("DeviceAttribute(data_format = <AttrDataFormat.FMT_UNKNOWN: 3>, dim_x = 0, ")
    assert "value" not in repr(da)
    da.value = np.arange(3.0)
    copy = DeviceAttribute(da)
    copy.value[0] = 99.0
    assert da.value[0] == 0.0  # a deep copy
    assert "value = array([0., 1., 2.])" in repr(da)
    with pytest.raises(TypeError):
        DeviceAttribute(42)


def test_event_data_made_in_python(proxy):
    event = tango.EventData(proxy, attr_name="double_scalar", event_name="change",
                            event_reason=tango.EventReason.SubSuccess)
    assert event.device is proxy and event.event_reason == tango.EventReason.SubSuccess
    assert repr(event) == (
        f"EventData(attr_name = 'double_scalar', attr_value = None, device = {proxy!r}, err = False, "
        "errors = (), event = 'change', event_reason = <EventReason.SubSuccess: 2>, "
        "reception_date = TimeVal(tv_nsec = 0, tv_sec = 0, tv_usec = 0))")
    event.errors = DevFailed(DevError())
    assert len(event.errors) == 1 and isinstance(event.errors[0], DevError)
    assert tango.EventData().event_reason == tango.EventReason.Update
    assert tango.DataReadyEventData().attr_name == "Unknown"
    with pytest.raises(TypeError, match="no_such"):
        tango.EventData(no_such=1)


# ---------------------------------------------------------------------------------------------
# Info structs: formats, equality, pickling
# ---------------------------------------------------------------------------------------------

def test_command_info_of_a_real_command(proxy):
    info = proxy.command_query("DevDouble")
    assert repr(info) == (
        "CommandInfo(cmd_name = 'DevDouble', cmd_tag = 0, disp_level = <DispLevel.OPERATOR: 0>, "
        f"in_type = <CmdArgType.DevDouble: 5>, in_type_desc = {info.in_type_desc!r}, "
        f"out_type = <CmdArgType.DevDouble: 5>, out_type_desc = {info.out_type_desc!r})")
    assert str(info).split("\n")[:3] == ["CommandInfo[", '    cmd_name = "DevDouble"', "    cmd_tag = 0"]
    assert pickle.loads(pickle.dumps(info)) == info
    with pytest.raises(TypeError):
        hash(info)  # mutable, compared by value: unhashable


def test_attribute_info_ex_of_a_real_attribute(proxy):
    info = proxy.get_attribute_config_ex(["double_scalar_w"])[0]
    back = pickle.loads(pickle.dumps(info))
    assert back == info
    assert repr(back) == repr(info)
    assert repr(info).startswith("AttributeInfoEx(alarms = AttributeAlarmInfo(delta_t = ")
    lines = str(info).split("\n")
    assert lines[:2] == ["AttributeInfoEx[", "    alarms = AttributeAlarmInfo["]
    assert '    name = "double_scalar_w"' in lines
    assert "    data_type = <CmdArgType.DevDouble: 5>" in lines
    back.label = "another"
    assert back != info


STRUCTS = [
    "AttributeDimension", "DevCommandInfo", "CommandInfo", "DeviceAttributeConfig", "AttributeInfo",
    "AttributeAlarmInfo", "ChangeEventInfo", "PeriodicEventInfo", "ArchiveEventInfo",
    "AttributeEventInfo", "AttributeInfoEx", "PipeInfo", "DeviceInfo", "TimeVal",
]


@pytest.mark.parametrize("name", STRUCTS)
def test_struct_pickle_round_trip(name):
    struct = getattr(tango, name)()
    for field in dir(struct):
        if not field.startswith("_") and isinstance(getattr(struct, field), str):
            setattr(struct, field, f"the {field}")
    back = pickle.loads(pickle.dumps(struct))
    assert type(back) is type(struct)
    assert back == struct
    assert repr(back) == repr(struct)
    assert "\n" not in repr(struct) and repr(struct).startswith(name + "(")


def test_nested_struct_pickle_keeps_every_level():
    info = tango.AttributeInfoEx()
    info.enum_labels = ["A", "BB"]
    info.memorized = tango.AttrMemorizedType.MEMORIZED_WRITE_INIT
    info.events.ch_event.abs_change = "0.5"
    info.alarms.extensions = ["x"]
    back = pickle.loads(pickle.dumps(info))
    assert back.enum_labels == ["A", "BB"]
    assert back.memorized == tango.AttrMemorizedType.MEMORIZED_WRITE_INIT
    assert back.events.ch_event.abs_change == "0.5"
    assert back.alarms.extensions == ["x"]


def test_struct_pickle_from_another_layout_fails_cleanly():
    state = tango.ChangeEventInfo().__getstate__()
    broken = tango.ChangeEventInfo.__new__(tango.ChangeEventInfo)
    with pytest.raises(ValueError, match="expected 3 fields, got 1"):
        broken.__setstate__(state[:1])


# ---------------------------------------------------------------------------------------------
# Containers, DeviceData, NamedDevFailed
# ---------------------------------------------------------------------------------------------

def test_containers_are_typed_lists(proxy):
    names = tango.StdStringVector(["a", "b"])
    assert repr(names) == str(names) == "['a', 'b']"
    assert repr(tango.StdLongVector()) == "[]"
    with pytest.raises(TypeError):
        names.append(1)
    commands = tango.CommandInfoList(proxy.command_list_query())
    assert len(commands) > 10
    assert repr(commands) == "[" + ", ".join(repr(c) for c in commands) + "]"
    event = tango.DevIntrChangeEventData(cmd_list=commands)
    assert repr(event.cmd_list) == repr(commands)


@pytest.mark.parametrize("dtype,value", [
    (CmdArgType.DevDouble, 1.5),
    (CmdArgType.DevString, "text"),
    (CmdArgType.DevVarLongArray, np.array([1, 2, 3], dtype=np.int32)),
])
def test_device_data_round_trip(proxy, dtype, value):
    data = tango.DeviceData()
    assert data.is_empty() and data.get_type() == CmdArgType.Unknown and data.extract() is None
    assert repr(data) == "DeviceData()"
    data.insert(dtype, value)
    assert not data.is_empty() and data.get_type() == dtype
    np.testing.assert_array_equal(data.extract(), value)
    # the same value as the device echoes it
    echo = {CmdArgType.DevDouble: "DevDouble", CmdArgType.DevString: "DevString",
            CmdArgType.DevVarLongArray: "DevVarLongArray"}[dtype]
    np.testing.assert_array_equal(proxy.command_inout(echo, value), tango.DeviceData(data).extract())


def test_device_data_bad_value():
    data = tango.DeviceData()
    with pytest.raises(TypeError):
        data.insert(CmdArgType.DevDouble, "not a number")
    assert data.is_empty()


def test_named_dev_failed_of_a_real_write(proxy):
    with pytest.raises(tango.NamedDevFailedList) as info:
        proxy.write_attributes([("double_scalar_w", 1.0), ("double_scalar_rww", 2.0)])
    (failed,) = info.value.err_list
    assert isinstance(failed, tango.NamedDevFailed)
    assert (failed.name, failed.idx_in_call) == ("double_scalar_rww", 1)
    assert failed.err_stack[0].reason == "API_AttrNotWritable"
    with pytest.raises(AttributeError):
        failed.name = "other"
    assert proxy.read_attribute("double_scalar_w").w_value == 1.0


def test_pprint_module_lists_the_struct_and_sequence_types(proxy):
    from tango import pytango_pprint
    for name in set(STRUCTS) - {"TimeVal"} | {"DevError"}:
        assert getattr(tango, name) in pytango_pprint._STRUCT_TYPES, name
    # TimeVal keeps its own str (a date), as in PyTango
    assert tango.TimeVal not in pytango_pprint._STRUCT_TYPES
    # every listed struct prints as "Name[" ... "]" with one field per line
    info = proxy.command_query("DevDouble")
    assert type(info) in pytango_pprint._STRUCT_TYPES
    assert str(info).startswith("CommandInfo[\n") and str(info).endswith("]")
    assert tango.StdStringVector in pytango_pprint._SEQUENCE_TYPES
    assert tango.DbData in pytango_pprint._SEQUENCE_TYPES
    assert not set(pytango_pprint._STRUCT_TYPES) & set(pytango_pprint._SEQUENCE_TYPES)


# ---------------------------------------------------------------------------------------------
# Constructors PyTango scripts use
# ---------------------------------------------------------------------------------------------


def test_time_val_from_seconds_and_datetimes():
    import datetime

    t = tango.TimeVal(100.2003004)
    assert (t.tv_sec, t.tv_usec, t.tv_nsec) == (100, 200300, 400)
    assert (tango.TimeVal(100).tv_sec, tango.TimeVal(1, 2, 3).tv_nsec) == (100, 3)
    now = datetime.datetime.now()
    assert tango.TimeVal(now).todatetime() == now
    assert tango.TimeVal(-0.5).totime() == -0.5  # before the epoch: the fraction stays positive
    with pytest.raises(ValueError, match="finite"):
        tango.TimeVal(float("nan"))
    with pytest.raises(TypeError, match="takes seconds"):
        tango.TimeVal("yesterday")


def test_client_addr_made_from_an_address():
    addr = tango.ClientAddr("127.0.0.1")
    assert str(addr) == "Client identification not available"
    assert repr(addr) == "ClientAddr(127.0.0.1, pid 0)"
    assert addr.client_ip == "127.0.0.1" and not addr.client_ident
    with pytest.raises(ValueError, match="not an IP address"):
        tango.ClientAddr("1" * 200)  # cppTango's buffer is smaller: refused, not overrun


def test_command_history_records_are_device_data():
    record = tango.DeviceDataHistory()
    assert isinstance(record, tango.DeviceData)
    assert record.is_empty() and not record.has_failed() and record.value is None
    assert record.get_type() == CmdArgType.Unknown
    record.insert(CmdArgType.DevLong, 5)
    assert (record.value, record.extract(), record.get_type()) == (5, 5, CmdArgType.DevLong)
    records = tango.DeviceDataHistoryList()
    records.append(record)
    assert records[0].value == 5
    assert tango.DeviceData.except_flags.isempty_flag == 0


def test_db_history_made_by_hand():
    entry = tango.DbHistory("speed", "2026-12-04 10:00:00", ["1.5"])
    assert (entry.get_name(), entry.get_value().value_string) == ("speed", ["1.5"])
    with_attr = tango.DbHistory("unit", "speed", "2026-12-04 10:00:00", tango.StdStringVector(["mm"]))
    assert with_attr.get_attribute_name() == "speed"
    with pytest.raises(ValueError, match="MySQL date"):
        tango.DbHistory("speed", "today", [])


@pytest.mark.skipif(tango.constants.TANGO_VERSION_MAJOR >= 10,
                    reason="cppTango 10 has alarm events: test_server_device_polling subscribes to them")
def test_alarm_event_subscription_names_the_cpptango_it_needs(proxy):
    assert tango.EventType.ALARM_EVENT == 9  # PyTango 10.3's member, on every cppTango
    with pytest.raises(DevFailed) as raised:
        proxy.subscribe_event("double_scalar", tango.EventType.ALARM_EVENT, lambda event: None)
    assert raised.value.args[0].reason == "API_UnsupportedFeature"
    assert "needs cppTango 10.0" in raised.value.args[0].desc
    assert proxy.state() == DevState.RUNNING  # the proxy goes on
