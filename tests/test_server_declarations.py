"""The keywords of attribute(), command(), device_property() and class_property() as PyTango
10.3 spells them, seen by real clients in every server green mode; keywords PyTango does not
know are a TypeError where the class is written."""

import threading

import pytest

import tango
from _event_checks import assert_first_push_not_doubled, first_push_count
from tango import AttrWriteType, DevFailed, EventType
from tango.server import attribute, class_property, command, device_property

from _green_server import GreenDeviceTestContext, GreenModeProbe, seen_green_mode
from conftest import wait_for

ALL_PROPERTIES = dict(
    label="Position", unit="mm", standard_unit="0.001", display_unit="1000", format="%6.2f",
    description="where it is", min_value=-10, max_value=10, min_alarm=-8, max_alarm=8,
    min_warning=-6, max_warning=6, delta_time=500, delta_val=0.5, abs_change=0.25,
    rel_change=2, period=3000, archive_abs_change=1, archive_rel_change=5, archive_period=7000,
)


def _on_the_worker():
    from tango.server import green

    worker = green.server_worker()
    return worker is not None and threading.current_thread() is worker.thread


class DeclaredDevice(GreenModeProbe):
    position = attribute(dtype=float, access=AttrWriteType.READ_WRITE, **ALL_PROPERTIES)

    pushed = attribute(dtype=int, change_event_implemented=True, change_event_detect=False,
                       archive_event_implemented=True, archive_event_detect=False,
                       data_ready_event_implemented=True)

    remembered = attribute(dtype=int, access=AttrWriteType.READ_WRITE, memorized=True,
                           hw_memorized=True)

    polled = attribute(dtype=int, polling_period=1500, fget="read_polled")

    @attribute(dtype=bool, green_mode=False)
    def on_the_worker(self):
        return _on_the_worker()

    @attribute(dtype=str, read_green_mode=True)
    def on_worker(self):
        return seen_green_mode()

    def init_device(self):
        self._position = 0.0
        self._pushed = 0
        self._remembered = 0

    def read_position(self):
        return self._position

    def write_position(self, value):
        self._position = value

    def read_pushed(self):
        return self._pushed

    def read_remembered(self):
        return self._remembered

    def write_remembered(self, value):
        self._remembered = value

    def read_polled(self):
        return 5

    @command(dtype_in=int)
    def Push(self, value):
        self._pushed = value
        self.push_change_event("pushed", value)
        self.push_archive_event("pushed", value)
        self.push_data_ready_event("pushed", value)

    @command(dtype_out=bool, green_mode=False)
    def OnTheWorker(self):
        return _on_the_worker()


@pytest.fixture(scope="module")
def served(server_mode):
    with GreenDeviceTestContext(DeclaredDevice, server_mode, debug=0) as proxy:
        yield proxy, server_mode


def test_every_configuration_keyword_reaches_the_client(served):
    proxy, _ = served
    info = proxy.get_attribute_config_ex("position")[0]
    assert (info.label, info.unit, info.standard_unit, info.display_unit, info.format,
            info.description) == ("Position", "mm", "0.001", "1000", "%6.2f", "where it is")
    assert (info.min_value, info.max_value) == ("-10", "10")
    assert (info.alarms.min_alarm, info.alarms.max_alarm) == ("-8", "8")
    assert (info.alarms.min_warning, info.alarms.max_warning) == ("-6", "6")
    assert (info.alarms.delta_t, info.alarms.delta_val) == ("500", "0.5")
    change = info.events.ch_event
    assert (change.abs_change, change.rel_change) == ("0.25", "2")
    assert info.events.per_event.period == "3000"
    archive = info.events.arch_event
    assert (archive.archive_abs_change, archive.archive_rel_change, archive.archive_period) == (
        "1", "5", "7000")


def test_memorized_and_polling_period(served):
    proxy, _ = served
    info = proxy.get_attribute_config_ex("remembered")[0]
    assert info.memorized == tango.AttrMemorizedType.MEMORIZED_WRITE_INIT
    assert proxy.get_attribute_poll_period("polled") == 1500


def test_events_pushed_by_the_code_without_polling(served):
    proxy, _ = served
    received = {EventType.CHANGE_EVENT: [], EventType.ARCHIVE_EVENT: [],
                EventType.DATA_READY_EVENT: []}
    ids = [proxy.subscribe_event("pushed", kind, received[kind].append) for kind in received]
    try:
        assert wait_for(lambda: received[EventType.CHANGE_EVENT] and received[EventType.ARCHIVE_EVENT])
        # the first push after a subscription may be lost (tests/_event_checks.py): the channels
        # are live once a sentinel pushed after it arrived; the subject comes after
        ready = lambda: [e.ctr for e in received[EventType.DATA_READY_EVENT]]  # noqa: E731
        assert_first_push_not_doubled(first_push_count(proxy.Push, ready, 5, 6))
        del received[EventType.DATA_READY_EVENT][:]
        proxy.Push(11)
        proxy.Push(11)  # the same value again: detect=False sends it anyway
        assert wait_for(lambda: [e.attr_value.value for e in received[EventType.CHANGE_EVENT]
                                 if not e.err][-2:] == [11, 11])
        assert wait_for(lambda: [e.attr_value.value for e in received[EventType.ARCHIVE_EVENT]
                                 if not e.err][-2:] == [11, 11])
        assert wait_for(lambda: [e.ctr for e in received[EventType.DATA_READY_EVENT]] == [11, 11])
    finally:
        for event_id in ids:
            proxy.unsubscribe_event(event_id)


def test_green_mode_false_runs_in_place(served):
    proxy, mode = served
    # on the cppTango thread of the request, not on the worker (a synchronous server has none)
    assert proxy.read_attribute("on_the_worker").value is False
    assert proxy.command_inout("OnTheWorker") is False
    assert proxy.read_attribute("on_worker").value == mode.name


@pytest.mark.parametrize("keywords", [
    {"change_event": True}, {"archive_event": (True, True)}, {"data_ready_event": True},
    {"lable": "x"}, {"unit": "V", "polling": 3},
], ids=lambda kw: ",".join(kw))
def test_unknown_attribute_keyword_is_a_type_error(keywords):
    with pytest.raises(TypeError, match="unknown options"):
        attribute(dtype=float, **keywords)


def test_forwarded_takes_name_and_label_only():
    assert attribute(forwarded=True, label="Root").kwargs["label"] == "Root"
    with pytest.raises(TypeError, match="forwarded attribute takes only name and label"):
        attribute(forwarded=True, dtype=float)


def test_alarm_event_declarations_are_kept_on_every_cppTango():
    # A server written for cppTango 10 runs on 9.3 too: what uses an alarm event there names the
    # cppTango it needs (tests/test_server_device_polling.py, tests/test_enums_structs.py).
    class AlarmDevice(GreenModeProbe):
        level = attribute(dtype=float, alarm_event_implemented=True, alarm_event_detect=False)

        def read_level(self):
            return 1.0

    spec = AlarmDevice._tango_spec().attributes
    assert [(a.alarm_event_implemented, a.alarm_event_detect) for a in spec
            if a.name == "level"] == [(True, False)]


def test_unknown_command_and_property_keywords_are_type_errors():
    with pytest.raises(TypeError):
        command(dtype_in=int, doc="no such keyword")
    with pytest.raises(TypeError):
        device_property(dtype=int, default=3)
    with pytest.raises(TypeError):
        class_property(dtype=int, mandatory=True)  # only device properties are mandatory
    with pytest.raises(ValueError, match="mandatory device property has no default_value"):
        device_property(dtype=int, mandatory=True, default_value=3)


def test_spec_fields_are_declared():
    """The spec is typed: a misspelt field or a value of the wrong type fails when it is made."""
    fields = dict(name="x", dtype=int(tango.CmdArgType.DevDouble), dformat=tango.AttrDataFormat.SCALAR,
                  access=AttrWriteType.READ)
    spec = tango._tango.AttrSpec(**fields)
    assert (spec.name, spec.max_dim_x, spec.change_event_detect) == ("x", 1, True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'read_methd'"):
        tango._tango.AttrSpec(read_methd="read_x", **fields)
    with pytest.raises(TypeError, match="missing required keyword argument 'access'"):
        tango._tango.AttrSpec(name="x", dtype=5, dformat=tango.AttrDataFormat.SCALAR)
    with pytest.raises(TypeError, match="AttrSpec.max_dim_x"):
        tango._tango.AttrSpec(max_dim_x="wide", **fields)
    with pytest.raises(TypeError, match="'lable' is not an attribute property"):
        tango._tango.AttrSpec(properties={"lable": "x"}, **fields)


def test_a_bad_declaration_fails_at_class_creation_and_others_serve(served):
    class Bad(GreenModeProbe):
        broken = attribute(dtype="not_a_type")

    with pytest.raises(TypeError, match="is not a Tango data type"):
        Bad._tango_spec()
    proxy, _ = served
    proxy.write_attribute("position", 1.5)
    assert proxy.read_attribute("position").value == 1.5
