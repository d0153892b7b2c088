"""What the asynchronous calls hand back: the events of the callback model (a command that
failed, an attribute that failed, a call that timed out) in both callback models, the reply
timeouts of the polling model, asynchronous calls of an asyncio proxy, and a callback that
raises."""

import asyncio
import threading

import pytest

import tango
from _event_checks import GatedDevice
from conftest import wait_for
from tango import DevFailed, GreenMode
from tango.server import attribute, command
from tango.test_context import MultiDeviceTestContext

CLIENT_TIMEOUT_MS = 300


class AsynchPeer(GatedDevice):
    _written = 0

    @command(dtype_in=int, dtype_out=int)
    def echo(self, value):
        return value

    @command(dtype_in=int, dtype_out=int)
    def refuse(self, value):
        raise ValueError(f"refused {value}")

    @attribute(dtype=int)
    def good(self):
        return 7 + self._written

    @good.setter
    def good(self, value):
        self._written = value

    @attribute(dtype=int)
    def broken(self):
        raise ValueError("broken read")

    @broken.setter
    def broken(self, value):
        raise ValueError(f"broken write {value}")

    @attribute(dtype=int)
    def gated(self):
        self._wait_gate("read")
        return 1

    @gated.setter
    def gated(self, value):
        self._wait_gate("write")


@pytest.fixture(scope="module")
def peers():
    # In a child process: a call to a server in the client's own process is collocated (no
    # network), and omniORB applies no client timeout to it.
    devices = [{"class": AsynchPeer, "devices": [{"name": "test/asynch/peer"}, {"name": "test/asynch/keeper"}]}]
    with MultiDeviceTestContext(devices, debug=0, process=True) as ctx:
        yield ctx.get_device("test/asynch/peer"), ctx.get_device("test/asynch/keeper"), \
            ctx.get_device_access("test/asynch/peer")


@pytest.fixture
def peer(peers):
    proxy = peers[0]
    proxy.set_timeout_millis(CLIENT_TIMEOUT_MS)
    proxy.good = 0
    yield proxy
    proxy.set_timeout_millis(3000)


@pytest.fixture
def keeper(peers):
    return peers[1]


@pytest.fixture
def model(callback_model):
    return callback_model


def one_event(start, model, keeper=None, gate=None):
    """Starts a call with a callback and returns the one event it delivered (pulled in the
    pull model); a gated call is let go once the event of its timeout arrived."""
    events = []
    start(events.append)
    if model == tango.cb_sub_model.PULL_CALLBACK:
        assert events == []  # nothing before a pull
        tango.ApiUtil.instance().get_asynch_replies(5000)
    assert wait_for(lambda: events)
    if gate is not None:
        assert wait_for(lambda: keeper.open_gate(gate))
    assert len(events) == 1
    return events[0]


def reasons(errors):
    return [e.reason for e in errors]


def test_command_event_of_a_reply(peer, model):
    event = one_event(lambda cb: peer.command_inout_asynch("echo", 5, cb), model)
    assert (event.cmd_name, event.err, event.argout, event.errors) == ("echo", False, 5, ())
    assert event.device is peer


def test_command_event_of_a_failed_command_has_no_argout(peer, model):
    event = one_event(lambda cb: peer.command_inout_asynch("refuse", 3, cb), model)
    assert event.err is True
    assert reasons(event.errors)[0] == "PyDs_PythonError"
    assert "ValueError: refused 3" in event.errors[0].desc
    with pytest.raises(DevFailed) as raised:
        event.argout
    assert raised.value.args[0].reason == "API_EmptyDeviceData"
    assert peer.command_inout("echo", 1) == 1  # the device serves on


def test_command_event_of_a_timed_out_command(peer, keeper, model):
    event = one_event(lambda cb: peer.command_inout_asynch("wait_gate", "read", cb), model, keeper, "read")
    assert event.err is True
    assert "API_DeviceTimedOut" in reasons(event.errors)
    with pytest.raises(DevFailed, match="API_EmptyDeviceData"):
        event.argout


def test_read_event_of_a_reply(peer, model):
    event = one_event(lambda cb: peer.read_attributes_asynch(["good", "State"], cb), model)
    assert (list(event.attr_names), event.err, event.errors) == (["good", "State"], False, ())
    assert [(a.name, a.value, a.has_failed) for a in event.argout] == [("good", 7, False),
                                                                       ("State", tango.DevState.UNKNOWN, False)]
    assert event.device is peer


def test_read_event_of_a_failed_attribute(peer, model):
    event = one_event(lambda cb: peer.read_attributes_asynch(["good", "broken"], cb), model)
    assert event.err is True  # one attribute failed: the read did
    good, broken = event.argout
    assert (good.value, good.has_failed) == (7, False)
    assert (broken.name, broken.value, broken.has_failed) == ("broken", None, True)
    assert "ValueError: broken read" in event.errors[0].desc
    assert list(event.errors) == list(broken.get_err_stack())


def test_read_event_of_a_timed_out_read_has_no_values(peer, keeper, model):
    event = one_event(lambda cb: peer.read_attribute_asynch("gated", cb), model, keeper, "read")
    assert (event.err, event.argout) == (True, [])
    assert "API_DeviceTimedOut" in reasons(event.errors)


def test_write_event_of_a_reply(peer, model):
    event = one_event(lambda cb: peer.write_attributes_asynch([("good", 2)], cb), model)
    assert (list(event.attr_names), event.err) == (["good"], False)
    assert isinstance(event.errors, tango.NamedDevFailedList)
    assert (event.errors.err_list, event.errors.args) == ([], ())
    assert peer.good == 9


def test_write_event_of_a_refused_attribute_names_it(peer, model):
    event = one_event(lambda cb: peer.write_attributes_asynch([("good", 1), ("broken", 4)], cb), model)
    assert event.err is True
    (failed,) = event.errors.err_list
    assert (failed.name, failed.idx_in_call) == ("broken", 1)
    assert "ValueError: broken write 4" in failed.err_stack[0].desc
    assert peer.good == 8  # the other attribute was written


def test_write_event_of_a_timed_out_write(peer, keeper, model):
    event = one_event(lambda cb: peer.write_attribute_asynch("gated", 1, cb), model, keeper, "write")
    assert event.err is True
    assert event.errors.err_list == []
    assert "API_DeviceTimedOut" in reasons(event.errors.args)


def test_a_callback_that_raises_is_reported_and_the_next_ones_run(peer, model, capfd):
    def raising(event):
        raise RuntimeError("callback bug")

    got = []
    peer.command_inout_asynch("echo", 1, raising)
    peer.command_inout_asynch("echo", 2, lambda event: got.append(event.argout))
    if model == tango.cb_sub_model.PULL_CALLBACK:
        tango.ApiUtil.instance().get_asynch_replies(5000)
    assert wait_for(lambda: got)
    assert got == [2]
    err = capfd.readouterr().err
    assert "tango: a callback raised an exception" in err
    assert "RuntimeError: callback bug" in err


def test_reply_poll_timeout(peer, keeper):
    rid = peer.read_attribute_asynch("broken")
    with pytest.raises(DevFailed) as raised:
        peer.read_attribute_reply(rid, poll_timeout=5000)
    assert "ValueError: broken read" in raised.value.args[0].desc
    rid = peer.read_attributes_asynch(["good", "broken"])
    good, broken = peer.read_attributes_reply(rid, poll_timeout=5000)
    assert (good.value, good.has_failed, broken.has_failed) == (7, False, True)
    wid = peer.write_attribute_asynch("good", 3)
    peer.write_attribute_reply(wid, poll_timeout=5000)
    assert peer.good == 10
    # a reply still on its way: None does not wait, a poll timeout waits that long
    rid = peer.read_attribute_asynch("gated")
    assert wait_for(lambda: keeper.gates_waiting == "read")
    with pytest.raises(tango.AsynReplyNotArrived):
        peer.read_attribute_reply(rid)
    with pytest.raises(tango.AsynReplyNotArrived):
        peer.read_attribute_reply(rid, poll_timeout=20)
    # 0 waits for ever, here until the client's own timeout
    with pytest.raises(DevFailed, match="API_DeviceTimedOut"):
        peer.read_attribute_reply(rid, poll_timeout=0)
    assert keeper.open_gate("read")


def test_asynch_calls_of_an_asyncio_proxy(peers):
    access = peers[2]

    async def calls():
        proxy = await tango.get_device_proxy(access, green_mode=GreenMode.Asyncio)
        assert proxy.get_green_mode() == GreenMode.Asyncio
        wid = await proxy.write_attribute_asynch("good", 4)
        await proxy.write_attribute_reply(wid, 5000)
        rid = await proxy.read_attributes_asynch(["good"])
        (value,) = await proxy.read_attributes_reply(rid, 5000)
        # green_mode= given to one call: synchronous, an id at once
        sid = proxy.read_attribute_asynch("good", green_mode=GreenMode.Synchronous)
        assert isinstance(sid, int)
        single = proxy.read_attribute_reply(sid, 5000, green_mode=GreenMode.Synchronous)
        return value.value, single.value, threading.current_thread() is threading.main_thread()

    assert asyncio.run(calls()) == (11, 11, True)
