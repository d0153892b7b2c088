"""AttributeProxy's whole API against a real server: polling and its history, asynchronous
reads and writes, events (callbacks and the pull model), green modes, bad input."""

import concurrent.futures
import threading
import time

import pytest

import tango
from tango import AttrWriteType, DevFailed, EventType, GreenMode
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

from _scripts import objects_left_in_traceback


class Echo(Device):
    def init_device(self):
        super().init_device()
        self._value = 1
        self.set_change_event("value", True, False)

    @attribute(dtype=int, access=AttrWriteType.READ_WRITE)
    def value(self):
        return self._value

    @value.write
    def value(self, v):
        self._value = v

    @command(dtype_in=int)
    def push(self, v):
        self._value = v
        self.push_change_event("value", v)


@pytest.fixture(scope="module")
def context():
    with DeviceTestContext(Echo, device_name="test/attrproxy/1", process=True) as proxy:
        yield proxy


@pytest.fixture
def attr(context):
    proxy = tango.AttributeProxy(context.get_full_name().replace("#dbase=no", "/value#dbase=no"))
    proxy.write(1)
    return proxy


def until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        threading.Event().wait(0.02)  # polling a condition, not a sleep standing for one


def history_values(attr):
    try:
        return [h.value for h in attr.history(10)]
    except DevFailed as exc:
        assert exc.args[0].reason == "API_NoDataYet"  # polled, but not read yet
        return []


def test_polling_and_its_history(attr):
    assert not attr.is_polled()
    assert attr.get_poll_period() == 0
    attr.poll(50)
    try:
        assert attr.is_polled()
        assert attr.get_poll_period() == 50
        for v in (11, 12, 13):
            attr.write(v)
            until(lambda v=v: v in history_values(attr))
        history = attr.history(10)
        assert all(type(h) is tango.DeviceAttributeHistory for h in history)  # a DeviceAttribute subtype
        assert all(isinstance(h, tango.DeviceAttribute) and not h.has_failed for h in history)
        times = [h.time.totime() for h in history]
        assert times == sorted(times)
        assert [h.value for h in history if h.value in (11, 12, 13)][-3:] == [11, 12, 13]
    finally:
        attr.stop_poll()
    assert not attr.is_polled()


def test_asynchronous_read_and_write(attr):
    wid = attr.write_asynch(21)
    attr.write_reply(wid, 5000)
    rid = attr.read_asynch()
    reading = attr.read_reply(rid, 5000)
    assert reading.name == "value" and reading.value == 21
    done = threading.Event()
    got = []

    class Callback:
        def attr_read(self, event):
            got.append(event.argout[0].value)
            done.set()

    attr.read_asynch(Callback())
    attr.get_device_proxy().get_asynch_replies(5000)  # the pull callback model delivers here
    assert done.wait(5) and got == [21]


def test_events_by_callback_and_by_queue(attr):
    seen, cond = [], threading.Condition()

    def callback(event):
        with cond:
            seen.append(None if event.err else event.attr_value.value)
            cond.notify_all()

    eid = attr.subscribe_event(EventType.CHANGE_EVENT, callback)
    try:
        with cond:
            assert cond.wait_for(lambda: len(seen) >= 1, 10)  # the value at subscription
        device = attr.get_device_proxy()
        device.push(-1)
        device.push(31)
        with cond:  # the first push after a subscription may be lost (tests/_event_checks.py)
            assert cond.wait_for(lambda: 31 in seen, 10)
    finally:
        attr.unsubscribe_event(eid)
    qid = attr.subscribe_event(EventType.CHANGE_EVENT, 10)
    try:
        until(lambda: attr.event_queue_size(qid) >= 1)
        assert not attr.is_event_queue_empty(qid)
        assert isinstance(attr.get_last_event_date(qid), tango.TimeVal)
        events = attr.get_events(qid)
        assert events and events[-1].attr_value.value == 31
        assert attr.is_event_queue_empty(qid)
    finally:
        attr.unsubscribe_event(qid)


def test_green_calls_follow_the_proxys_mode(attr, context):
    name = context.get_full_name().replace("#dbase=no", "/value#dbase=no")
    futures = tango.AttributeProxy(name, green_mode=GreenMode.Futures)
    assert futures.get_green_mode() == GreenMode.Futures
    pending = futures.is_polled(wait=False)
    assert isinstance(pending, concurrent.futures.Future) and pending.result(5) is False
    assert isinstance(futures.read(wait=False), concurrent.futures.Future)
    shared = tango.AttributeProxy(attr.get_device_proxy(), "value")
    assert shared.get_green_mode() == GreenMode.Synchronous
    shared.set_green_mode(GreenMode.Futures)
    assert isinstance(shared.read(wait=False), concurrent.futures.Future)
    assert attr.get_device_proxy().get_green_mode() == GreenMode.Synchronous  # its device unchanged


def test_bad_names_and_a_proxy_that_could_not_connect():
    with pytest.raises(TypeError, match="must be a str"):
        tango.AttributeProxy(42)
    with pytest.raises(tango.WrongNameSyntax):
        tango.AttributeProxy("a/b")
    with pytest.raises(TypeError):
        tango.AttributeProxy("a/b/c/d", "e", "f")
    half_built = objects_left_in_traceback(
        lambda: tango.AttributeProxy("tango://127.0.0.1:1/no/such/device/attr"),  # a database that is not there
        tango.AttributeProxy)
    assert half_built  # a traceback report shows it, and its text does not fail
    assert repr(half_built[0]) == str(half_built[0]) == (
        "AttributeProxy(<Unknown attribute: the proxy was not fully initialized>)")
