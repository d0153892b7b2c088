"""Events end to end between a Python server and a Python client, and the asynchronous API."""

import gc
import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import tango
from _event_checks import (
    CPPTANGO_93, GatedDevice, assert_first_push_not_doubled, first_push_count, first_push_counts, wait_for,
)
from tango import DevFailed, DevState, EventType
from tango.server import attribute, command
from tango.test_context import DeviceTestContext, MultiDeviceTestContext


class Collector:
    """A thread-safe event callback that keeps values and errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []

    def __call__(self, event):
        with self.lock:
            self.events.append(event)

    def values(self):
        with self.lock:
            return [e.attr_value.value for e in self.events if not e.err and getattr(e, "attr_value", None)]

    def errors(self):
        with self.lock:
            return [e for e in self.events if e.err]


class EventDevice(GatedDevice):
    def init_device(self):
        self._value = 0
        self._polled = 0.0
        self.set_change_event("counter", True, False)
        self.set_archive_event("counter", True, False)
        self.set_data_ready_event("counter", True)
        self.set_state(DevState.ON)

    @attribute(dtype=int)
    def counter(self):
        return self._value

    @attribute(dtype=float, polling_period=50, abs_change=1.0, period=100)
    def polled(self):
        return self._polled

    @polled.setter
    def polled(self, value):
        self._polled = value

    @command(dtype_in=int)
    def push(self, n):
        for i in range(1, n + 1):
            self._value = i
            self.push_change_event("counter", i)

    @command(dtype_in=int)
    def push_value(self, value):
        self._value = value
        self.push_change_event("counter", value)

    @command(dtype_in=float)
    def sleep(self, seconds):
        time.sleep(seconds)

    @command(dtype_in=int)
    def push_archive(self, n):
        for i in range(1, n + 1):
            self.push_archive_event("counter", i)

    @command(dtype_in=int)
    def push_user(self, n):
        for i in range(1, n + 1):
            self.push_event("counter", [], [], i)

    @command(dtype_in=int)
    def push_data_ready(self, ctr):
        self.push_data_ready_event("counter", ctr)

    @command
    def push_conf(self):
        self.push_att_conf_event("counter")

    @command
    def push_error(self):
        self.push_change_event("counter", DevFailed(tango.DevError("Sensor_Broken", "no signal", "test")))

    @command(dtype_in=int)
    def push_with_quality(self, value):
        self.push_change_event("counter", value, time.time(), tango.AttrQuality.ATTR_WARNING)

    @command
    def push_python_exception(self):
        self.push_change_event("counter", ValueError("sensor unplugged"))

    @command(dtype_out=str)
    def refused_pushes(self):
        """The answers to pushes PyTango 10 refuses, one line each."""
        answers = []
        for call in (lambda: self.push_change_event("counter", 1, 2),
                     lambda: self.push_change_event("counter", 1, 2, 3),
                     lambda: self.push_change_event("counter", 1, dim_x=2),
                     lambda: self.push_change_event("counter", 1, time.time(), tango.AttrQuality.ATTR_VALID, 2),
                     lambda: self.push_change_event("counter"),
                     lambda: self.push_event("counter", [], [])):
            try:
                call()
                answers.append("pushed")
            except TypeError as exc:
                answers.append(f"TypeError: {exc}")
            except DevFailed as exc:
                answers.append(f"{exc.args[0].reason}: {exc.args[0].desc}")
        self.push_change_event("State")  # State and Status need no data
        return "\n".join(answers)


@pytest.fixture(scope="module")
def servers():
    devices = [{"class": EventDevice, "devices": [{"name": "test/nodb/eventdevice"},
                                                  {"name": "test/nodb/keeper"}]}]
    with MultiDeviceTestContext(devices, debug=0) as ctx:
        yield ctx.get_device("test/nodb/eventdevice"), ctx.get_device("test/nodb/keeper")


@pytest.fixture(scope="module")
def server(servers):
    return servers[0]


@pytest.fixture(scope="module")
def keeper(servers):
    """The other device of the server's process: it opens the gates of the server's calls."""
    return servers[1]


def _first_push_counts(server, trials):
    return first_push_counts(
        lambda cb: server.subscribe_event("counter", EventType.CHANGE_EVENT, cb), server.unsubscribe_event,
        server.push_value, lambda events: [e.attr_value.value for e in events if not e.err], trials)


@pytest.mark.skipif(CPPTANGO_93, reason="cppTango 9.3.4 doubles it too: "
                    "test_first_change_event_after_subscribing_may_be_lost_or_doubled_on_cpptango_93")
def test_first_change_event_after_subscribing_may_be_lost_never_doubled_on_cpptango_10(server):
    # cppTango gives no guarantee for it (its subscription waits a fixed 10 ms for ZMQ,
    # cppTango#524): idle, 20 of 20 arrive; on a loaded machine 1 in 20 was lost. Never doubled.
    counts = _first_push_counts(server, 20)
    print("deliveries of the first event after subscribing (times: trials):", dict(counts))
    assert sum(counts.values()) == 20 and set(counts) <= {0, 1} and counts[1] > 0


@pytest.mark.skipif(not CPPTANGO_93, reason="cppTango 9.3.4 only: "
                    "test_first_change_event_after_subscribing_may_be_lost_never_doubled_on_cpptango_10")
def test_first_change_event_after_subscribing_may_be_lost_or_doubled_on_cpptango_93(server):
    # Seen here: about 1 in 60 lost, 1 in 60 doubled. The event after it always arrives once.
    counts = _first_push_counts(server, 20)
    print("deliveries of the first event after subscribing (times: trials):", dict(counts))
    assert sum(counts.values()) == 20 and set(counts) <= {0, 1, 2}


def test_change_events_are_delivered_in_order(server):
    cb = Collector()
    eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, cb)
    try:
        assert wait_for(lambda: len(cb.events) >= 1)  # the value on subscription
        first = len(cb.values())
        server.push(100)
        assert wait_for(lambda: len(cb.values()) >= first + 100)
        assert cb.values()[first:] == list(range(1, 101))
        event = cb.events[-1]
        assert event.event == "change"
        assert "/eventdevice/counter" in event.attr_name
        assert event.device is not None and event.device.dev_name() == server.dev_name()
        assert isinstance(event.reception_date, tango.TimeVal)
        assert event.attr_value.quality == tango.AttrQuality.ATTR_VALID
    finally:
        server.unsubscribe_event(eid)


def test_archive_user_and_quality_events(server):
    archive, user, change = Collector(), Collector(), Collector()
    ids = [
        server.subscribe_event("counter", EventType.ARCHIVE_EVENT, archive),
        server.subscribe_event("counter", EventType.USER_EVENT, user),
        server.subscribe_event("counter", EventType.CHANGE_EVENT, change),
    ]
    try:
        server.push_archive(3)
        server.push_user(2)
        server.push_with_quality(7)
        assert wait_for(lambda: archive.values()[-3:] == [1, 2, 3])
        assert wait_for(lambda: user.values()[-2:] == [1, 2])
        assert wait_for(lambda: 7 in change.values())
        warned = [e for e in change.events if not e.err and e.attr_value.value == 7][0]
        assert warned.attr_value.quality == tango.AttrQuality.ATTR_WARNING
        assert archive.events[-1].event == "archive"
        assert user.events[-1].event == "user_event"
    finally:
        for eid in ids:
            server.unsubscribe_event(eid)


def test_error_event_reaches_the_callback(server):
    cb = Collector()
    eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, cb)
    try:
        server.push_error()
        assert wait_for(lambda: cb.errors())
        error = cb.errors()[0]
        assert error.attr_value is None
        assert error.errors[0].reason == "Sensor_Broken"
        assert error.errors[0].desc == "no signal"
    finally:
        server.unsubscribe_event(eid)


def test_data_ready_and_attribute_configuration_events(server):
    ready, conf = [], []
    id_ready = server.subscribe_event("counter", EventType.DATA_READY_EVENT, ready.append)
    id_conf = server.subscribe_event("counter", EventType.ATTR_CONF_EVENT, conf.append)
    try:
        server.push_data_ready(42)
        assert wait_for(lambda: any(e.ctr == 42 for e in ready))
        event = [e for e in ready if e.ctr == 42][0]
        assert event.attr_data_type == tango.CmdArgType.DevLong64
        assert wait_for(lambda: len(conf) >= 1)  # the configuration on subscription
        before = len(conf)
        info = server.get_attribute_config("counter")
        info.label = "Counter label"
        server.set_attribute_config(info)
        assert wait_for(lambda: any(e.attr_conf is not None and e.attr_conf.label == "Counter label"
                                    for e in conf[before:]))
        server.push_conf()
        assert wait_for(lambda: len(conf) >= before + 2)
    finally:
        server.unsubscribe_event(id_ready)
        server.unsubscribe_event(id_conf)


def test_periodic_events_and_change_threshold_from_polling(server):
    periodic = Collector()
    change = Collector()
    id_periodic = server.subscribe_event("polled", EventType.PERIODIC_EVENT, periodic)
    id_change = server.subscribe_event("polled", EventType.CHANGE_EVENT, change)
    try:
        assert wait_for(lambda: len(periodic.values()) >= 3, timeout=10)
        assert periodic.events[-1].event == "periodic"
        server.polled = 0.0
        assert wait_for(lambda: periodic.values()[-1:] == [0.0], timeout=10)
        server.polled = 0.5  # below abs_change = 1: no change event
        # polled (a periodic event carries it) before it is overwritten
        assert wait_for(lambda: periodic.values()[-1:] == [0.5], timeout=10)
        server.polled = 2.0  # above: a change event
        assert wait_for(lambda: 2.0 in change.values(), timeout=10)
        assert 0.5 not in change.values()  # it would have come before 2.0
    finally:
        server.unsubscribe_event(id_periodic)
        server.unsubscribe_event(id_change)


def test_interface_change_event_on_subscription(server):
    events = []
    eid = server.subscribe_event(EventType.INTERFACE_CHANGE_EVENT, events.append)
    try:
        assert wait_for(lambda: events)
        event = events[0]
        assert not event.err
        assert "push" in [c.cmd_name for c in event.cmd_list]
        assert "counter" in [a.name for a in event.att_list]
    finally:
        server.unsubscribe_event(eid)


def test_pull_model(server):
    eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, 50)
    try:
        # the channel made live first: the first push after a subscription may be lost
        # (tests/_event_checks.py); the queue is read as it fills
        got = []

        def values():
            got.extend(e.attr_value.value for e in server.get_events(eid) if not e.err)
            return got

        assert_first_push_not_doubled(first_push_count(server.push_value, values, -1, -2))
        server.push(5)
        assert wait_for(lambda: server.event_queue_size(eid) >= 5)
        assert not server.is_event_queue_empty(eid)
        assert isinstance(server.get_last_event_date(eid), tango.TimeVal)
        events = server.get_events(eid)
        assert [e.attr_value.value for e in events] == [1, 2, 3, 4, 5]
        assert server.is_event_queue_empty(eid)
        server.push(2)
        assert wait_for(lambda: server.event_queue_size(eid) >= 2)
        seen = []
        server.get_events(eid, lambda e: seen.append(e.attr_value.value))
        assert seen == [1, 2]
    finally:
        server.unsubscribe_event(eid)


def test_object_with_push_event_and_event_callback_helper(server):
    class Receiver:
        def __init__(self):
            self.values = []

        def push_event(self, event):
            if not event.err:
                self.values.append(event.attr_value.value)

    receiver = Receiver()
    helper = tango.utils.EventCallback(fd=open("/dev/null", "w"))
    ids = [server.subscribe_event("counter", EventType.CHANGE_EVENT, receiver),
           server.subscribe_event("counter", EventType.CHANGE_EVENT, helper)]
    try:
        server.push(3)
        assert wait_for(lambda: receiver.values[-3:] == [1, 2, 3])
        assert wait_for(lambda: [e.attr_value.value for e in helper.get_events()][-3:] == [1, 2, 3])
    finally:
        for eid in ids:
            server.unsubscribe_event(eid)


def test_callback_that_raises_does_not_stop_delivery(server):
    received = []

    def callback(event):
        if not event.err:
            received.append(event.attr_value.value)
            if event.attr_value.value == 2:
                raise RuntimeError("a bug in the callback")

    eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, callback)
    try:
        assert wait_for(lambda: len(received) >= 1)  # the value on subscription
        assert_first_push_not_doubled(first_push_count(server.push_value, lambda: received, -1, -2))
        server.push(4)
        assert wait_for(lambda: received[-4:] == [1, 2, 3, 4])
    finally:
        server.unsubscribe_event(eid)


def test_callback_may_call_devices_and_unsubscribe_itself(server):
    other = tango.DeviceProxy(server.get_full_name())
    states = []
    ids = []

    def callback(event):
        states.append(other.state())  # a call into a device from the event thread
        if len(states) == 3:
            other.unsubscribe_event(ids[0])  # unsubscribing from inside the callback

    witness = Collector()  # every event of the channel, on another subscription
    witness_id = server.subscribe_event("counter", EventType.CHANGE_EVENT, witness)
    ids.append(other.subscribe_event("counter", EventType.CHANGE_EVENT, callback))
    try:
        server.push(10)
        assert wait_for(lambda: len(states) >= 3)
        server.push_value(-5)
        # the witness has seen the last push: any event the callback still gets is in by now
        assert wait_for(lambda: witness.values()[-1:] == [-5])
        assert server.state() == DevState.ON
        assert 3 <= len(states) <= 4  # one may be on its way while the callback unsubscribes
        assert all(s == DevState.ON for s in states)
    finally:
        server.unsubscribe_event(witness_id)


def test_proxy_dropped_while_events_arrive(server):
    for _ in range(3):
        proxy = tango.DeviceProxy(server.get_full_name())
        seen = []
        proxy.subscribe_event("counter", EventType.CHANGE_EVENT, lambda e: seen.append(e.err))
        thread = threading.Thread(target=server.push, args=(500,))
        thread.start()
        del proxy
        gc.collect()
        thread.join(30)
        assert not thread.is_alive()
    assert server.state() == DevState.ON


def test_interpreter_exit_with_live_subscriptions(server):
    script = textwrap.dedent(f"""
        import tango, threading
        dev = tango.DeviceProxy({server.get_full_name()!r})
        seen = threading.Event()
        dev.subscribe_event("counter", tango.EventType.CHANGE_EVENT, lambda e: seen.set())
        assert seen.wait(10)
        pusher = tango.DeviceProxy({server.get_full_name()!r})
        pusher.command_inout_asynch("push", 2000)
        print("exiting")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "exiting" in result.stdout


def test_a_blocked_callback_holds_back_a_long_burst_without_loss(server):
    # More events than pytango queues for a callback (10000) while the callback is blocked: the
    # rest waits in cppTango's own queue (its high-water mark is raised for the tests), and every
    # event arrives, in order, once the callback goes on.
    release = threading.Event()
    received = []

    def callback(event):
        if event.err:
            return
        release.wait(30)
        received.append(event.attr_value.value)

    eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, callback)
    try:
        received.clear()
        server.set_timeout_millis(30000)
        server.push(12000)
        release.set()
        assert wait_for(lambda: len(received) >= 12001, timeout=60), len(received)
        assert received[1:] == list(range(1, 12001))  # after the value sent on subscription
    finally:
        release.set()
        server.unsubscribe_event(eid)


# A client and its server at the high-water marks the environment gives them (a child process:
# the client reads TANGO_EVENT_BUFFER_HWM at its first subscription, and this test process
# raised it, tests/conftest.py). It prints every event after the one on subscription, for a
# burst of 500 and a burst of `n`, each followed by sentinels (-1, then -2...) pushed once the
# burst was handed to the server's queue, until one arrives: when the burst still fills the
# queue, a sentinel is dropped as any event is (and its loss reported like theirs).
_BURST_CLIENT = textwrap.dedent("""
    import json, sys, threading
    import tango
    from tango.server import Device, attribute, command
    from tango.test_context import DeviceTestContext

    class Burst(Device):
        def init_device(self):
            self.set_change_event("counter", True, False)

        @attribute(dtype=int)
        def counter(self):
            return 0

        @command(dtype_in=int)
        def push(self, n):
            for i in range(1, n + 1):
                self.push_change_event("counter", i)

        @command(dtype_in=int)
        def push_value(self, value):
            self.push_change_event("counter", value)

    seen, cond = [], threading.Condition()

    def callback(event):
        with cond:
            seen.append(event.errors[0].reason if event.err else event.attr_value.value)
            cond.notify_all()

    def until(value):
        with cond:
            assert cond.wait_for(lambda: value in seen, 60), value

    # process=True: the server in its own process, its ZMQ queue apart from the client's (in a
    # thread of this one, the two would share the GIL and the losses would not be the queues')
    with DeviceTestContext(Burst, debug=0, process=True) as proxy:
        proxy.set_timeout_millis(60000)
        proxy.subscribe_event("counter", tango.EventType.CHANGE_EVENT, callback)
        until(0)  # the value on subscription
        # the channel is live once a sentinel pushed after a first push arrived (that first push
        # may be lost: tests/_event_checks.py); the bursts come after it
        proxy.push_value(-2)
        with cond:
            cond.wait_for(lambda: -2 in seen, 3)
        proxy.push_value(-3)
        until(-3)
        bursts = {}
        for n in (500, int(sys.argv[1])):
            del seen[:]
            proxy.push(n)
            for k in range(1, 31):
                proxy.push_value(-k)  # a sentinel: it follows the whole burst
                with cond:
                    if cond.wait_for(lambda: any(isinstance(v, int) and v < 0 for v in seen), 5):
                        break
            until_any = [v for v in seen if isinstance(v, int) and v < 0]
            assert until_any, "no sentinel arrived"
            bursts[n] = list(seen)
        print(json.dumps(bursts))
""")


def _burst_losses(events, pushed):
    """The number of events of a burst (1..pushed, then sentinels -1, -2...: the last one
    received ends it) that were lost, checking that cppTango reported each run of lost events
    with one API_MissedEvents error event, in its place, and nothing else."""
    values = [e for e in events if not isinstance(e, str)]
    sentinel = -values[-1]
    assert sentinel >= 1 and [v for v in values if v < 0] == [-sentinel], events[-5:]
    prev, reported, lost = 0, 0, 0
    for e in events:
        if isinstance(e, str):
            assert e == "API_MissedEvents"
            reported += 1
            continue
        value = pushed - e if e < 0 else e  # sentinel -k was the (pushed + k)th push
        assert value > prev, (prev, value)  # in order, none twice
        gap = value - prev - 1
        assert reported == (1 if gap else 0), (prev, value, reported)
        lost += gap
        prev, reported = value, 0
    assert len(values) - 1 + lost == pushed + sentinel - 1  # every push, lost sentinels included
    return lost


@pytest.mark.parametrize("marks", ["default", "raised"])
def test_burst_losses_are_reported_one_error_per_gap(marks):
    """cppTango's event queues hold 1000 events by default (ZMQ high-water marks, server and
    client): a burst of 500 always arrives whole; of a larger burst, what is lost is reported,
    each run of lost events by one API_MissedEvents error event where they would have been.
    With the marks raised (TANGO_EVENT_BUFFER_HWM, TANGO_DS_EVENT_BUFFER_HWM; README.md) none is
    lost."""
    n = 20000
    env = {k: v for k, v in os.environ.items() if k not in ("TANGO_EVENT_BUFFER_HWM", "TANGO_DS_EVENT_BUFFER_HWM")}
    if marks == "raised":
        env.update(TANGO_EVENT_BUFFER_HWM="30000", TANGO_DS_EVENT_BUFFER_HWM="30000")
    result = subprocess.run([sys.executable, "-c", _BURST_CLIENT, str(n)], capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    bursts = json.loads(result.stdout.strip().splitlines()[-1])
    assert bursts["500"] == list(range(1, 501)) + [-1]  # within the marks: nothing lost
    lost = _burst_losses(bursts[str(n)], n)
    print(f"{marks} high-water marks: {lost} of a burst of {n} events lost, each run reported")
    if marks == "raised":
        assert lost == 0


def test_stress_events_with_callbacks_calling_other_devices():
    devices_info = [{"class": EventDevice, "devices": [{"name": "test/ev/1"}, {"name": "test/ev/2"}]}]
    with MultiDeviceTestContext(devices_info, debug=0) as ctx:
        source = ctx.get_device("test/ev/1")
        other_name = ctx.get_device_access("test/ev/2")
        local = threading.local()

        def other():
            if not hasattr(local, "proxy"):
                local.proxy = tango.DeviceProxy(other_name)
            return local.proxy

        for _round in range(2):
            received = []
            lock = threading.Lock()

            def callback(event):
                if event.err:
                    return
                other().state()  # every event calls into another device
                with lock:
                    received.append(event.attr_value.value)

            eid = source.subscribe_event("counter", EventType.CHANGE_EVENT, callback)
            assert wait_for(lambda: received)
            received.clear()
            stop = threading.Event()
            failures = []

            def worker(i):
                proxy = tango.DeviceProxy(other_name)
                try:
                    while not stop.is_set():
                        proxy.polled = float(i)
                        proxy.read_attribute("counter")
                except Exception as exc:  # reported below
                    failures.append(exc)

            workers = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
            for w in workers:
                w.start()
            source.set_timeout_millis(30000)
            source.push(2000)
            complete = wait_for(lambda: len(received) >= 2000, timeout=60)
            stop.set()
            for w in workers:
                w.join(30)
            source.unsubscribe_event(eid)
            assert not failures
            assert complete, f"{len(received)} events of 2000, missing {sorted(set(range(1, 2001)) - set(received))[:10]}"
            assert received == list(range(1, 2001))


def test_asynch_polling_model(server):
    rid = server.read_attribute_asynch("counter")
    value = None
    deadline = time.monotonic() + 10
    while value is None:
        try:
            value = server.read_attribute_reply(rid)
        except tango.AsynReplyNotArrived:
            assert time.monotonic() < deadline
            time.sleep(0.005)
    assert value.name == "counter"
    cid = server.command_inout_asynch("push", 3)
    assert server.command_inout_reply(cid, 5000) is None
    wid = server.write_attribute_asynch("polled", 4.5)
    server.write_attribute_reply(wid, 5000)
    # "polled" is read from the polling buffer (source CACHE_DEV), refreshed every 50 ms
    assert wait_for(lambda: server.polled == 4.5, timeout=5)
    rid = server.read_attributes_asynch(["counter", "polled"])
    values = server.read_attributes_reply(rid, 5000)
    assert [v.name for v in values] == ["counter", "polled"]
    assert values[1].value == 4.5


@pytest.mark.parametrize("model", [tango.cb_sub_model.PUSH_CALLBACK, tango.cb_sub_model.PULL_CALLBACK])
def test_asynch_callback_model(server, model):
    api = tango.ApiUtil.instance()
    api.set_asynch_cb_sub_model(model)
    try:
        results = {}
        done = threading.Event()

        class Callback:
            def attr_read(self, event):
                results["read"] = [v.value for v in event.argout]

            def attr_written(self, event):
                results["written"] = event.err

            def cmd_ended(self, event):
                results["cmd"] = (event.cmd_name, event.argout, event.err)
                done.set()

        cb = Callback()
        server.read_attributes_asynch(["polled"], cb)
        server.write_attribute_asynch("polled", 1.25, cb)
        server.command_inout_asynch("push", 1, cb)
        if model == tango.cb_sub_model.PULL_CALLBACK:
            deadline = time.monotonic() + 10
            while len(results) < 3 and time.monotonic() < deadline:
                api.get_asynch_replies(100)
        assert done.wait(10)
        assert wait_for(lambda: len(results) == 3)
        assert results["written"] is False
        assert results["cmd"] == ("push", None, False)
        assert len(results["read"]) == 1
    finally:
        api.set_asynch_cb_sub_model(tango.cb_sub_model.PULL_CALLBACK)


def test_asynch_pull_model_runs_callbacks_in_the_pulling_thread(server, tangotest):
    api = tango.ApiUtil.instance()
    api.set_asynch_cb_sub_model(tango.cb_sub_model.PULL_CALLBACK)
    calls = []

    class Callback:
        def cmd_ended(self, event):
            calls.append((threading.current_thread(), event.cmd_name, event.err))

    other = tango.DeviceProxy(tangotest.name)
    for _ in range(5):
        server.command_inout_asynch("push", 1, Callback())
    other.command_inout_asynch("DevVoid", Callback())
    assert server.pending_asynch_call(tango.asyn_req_type.CALLBACK) == 5
    assert api.pending_asynch_call(tango.asyn_req_type.CALLBACK) == 6
    server.get_asynch_replies(0)  # this device's replies only, waiting for all of them
    assert calls == [(threading.current_thread(), "push", False)] * 5
    assert server.pending_asynch_call(tango.asyn_req_type.CALLBACK) == 0
    api.get_asynch_replies(0)
    assert calls[-1] == (threading.current_thread(), "DevVoid", False)
    assert api.pending_asynch_call(tango.asyn_req_type.ALL_ASYNCH) == 0


def test_asynch_pull_reply_timeout(server, keeper):
    # (how long get_asynch_replies waits: benchmarks/bench_timing.py)
    api = tango.ApiUtil.instance()
    api.set_asynch_cb_sub_model(tango.cb_sub_model.PULL_CALLBACK)
    done = []
    server.command_inout_asynch("wait_gate", "pull", lambda event: done.append((event.err, event.argout)))
    assert wait_for(lambda: "pull" in keeper.gates_waiting.split(","))  # in progress
    with pytest.raises(tango.AsynReplyNotArrived):
        api.get_asynch_replies(50)
    assert done == []
    assert keeper.open_gate("pull") is True
    api.get_asynch_replies(0)
    assert done == [(False, True)]


def test_asynch_callback_models_switched_repeatedly(server):
    """cppTango 9.3's own PULL model crashes when switched back from PUSH (two threads deliver
    the same reply): ours keeps one delivery path."""
    api = tango.ApiUtil.instance()
    try:
        for i in range(40):
            model = tango.cb_sub_model.PUSH_CALLBACK if i % 2 else tango.cb_sub_model.PULL_CALLBACK
            api.set_asynch_cb_sub_model(model)
            got = []
            for _ in range(3):
                server.command_inout_asynch("push", 1, lambda event: got.append(event.err))
            if model == tango.cb_sub_model.PULL_CALLBACK:
                api.get_asynch_replies(0)
            assert wait_for(lambda: len(got) == 3)
            assert got == [False] * 3
    finally:
        api.set_asynch_cb_sub_model(tango.cb_sub_model.PULL_CALLBACK)


def test_stateless_subscription_to_a_device_not_yet_up():
    from tango.test_context import get_server_host_port

    host, port = get_server_host_port()
    name = f"tango://{host}:{port}/test/stateless/1#dbase=no"
    proxy = tango.DeviceProxy(name)
    cb = Collector()
    eid = proxy.subscribe_event("counter", EventType.CHANGE_EVENT, cb, stateless=True)
    assert wait_for(lambda: cb.errors(), timeout=5)
    with DeviceTestContext(EventDevice, device_name="test/stateless/1", server_name="Stateless",
                           host=host, port=port, debug=0) as server:
        # cppTango's keep-alive thread retries every 10 s
        assert wait_for(lambda: cb.values(), timeout=30)
        # a subscription the keep-alive thread made: its first push may be lost, as after any
        # subscription (tests/_event_checks.py); none after the sentinel
        assert_first_push_not_doubled(first_push_count(server.push_value, cb.values, -1, -2))
        server.push(3)
        assert wait_for(lambda: cb.values()[-4:] == [-2, 1, 2, 3], timeout=10)
        # Unsubscribed while the server runs: cppTango 9.3.4 may crash when a stateless
        # subscription is dropped after its server died (see docs/architecture.md).
        proxy.unsubscribe_event(eid)


def test_stateless_subscription_connected_later_survives_a_server_restart():
    # cppTango's keep-alive thread connects this subscription itself once the server is up; with
    # cppTango 9.3 pytango's watchdog then guards that channel too (ext/client/admin_guard.cpp)
    from tango.test_context import get_server_host_port

    host, port = get_server_host_port()
    kwargs = dict(device_name="test/stateless/2", server_name="Stateless2", host=host, port=port, debug=0,
                  process=True)
    proxy = tango.DeviceProxy(f"tango://{host}:{port}/test/stateless/2#dbase=no")
    cb = Collector()
    eid = proxy.subscribe_event("counter", EventType.CHANGE_EVENT, cb, stateless=True)
    with DeviceTestContext(EventDevice, **kwargs):
        assert wait_for(lambda: cb.values(), timeout=30)
    errors = len(cb.errors())
    assert wait_for(lambda: len(cb.errors()) > errors, timeout=30)
    with DeviceTestContext(EventDevice, **kwargs) as server:
        before = len(cb.values())
        assert wait_for(lambda: len(cb.values()) > before, timeout=45)
        assert_first_push_not_doubled(first_push_count(server.push_value, cb.values, -1, -2))
        server.push(2)
        assert wait_for(lambda: cb.values()[-3:] == [-2, 1, 2], timeout=10)
        proxy.unsubscribe_event(eid)


@pytest.mark.parametrize("model", ["callback", "queue"])
def test_server_killed_while_subscribed_and_restarted(model):
    from tango.test_context import get_server_host_port

    host, port = get_server_host_port()
    # process=True: the server restarts on its port (a first context of a process run in a
    # thread of it would keep the port when stopped: tango/test_context.py)
    kwargs = dict(device_name="test/restart/1", server_name="Restart", host=host, port=port, debug=0,
                  process=True)
    cb = Collector()
    first = DeviceTestContext(EventDevice, **kwargs)
    first.start()
    proxy = tango.DeviceProxy(first.get_device_access())
    eid = proxy.subscribe_event("counter", EventType.CHANGE_EVENT, cb if model == "callback" else 100)

    def received(check):
        def predicate():
            if model == "queue":
                for event in proxy.get_events(eid):  # the id stays valid across the restart
                    cb(event)
            return check()
        return predicate

    try:
        # the first push after the subscription may be lost (tests/_event_checks.py): once its
        # sentinel arrived, none is
        values = received(lambda: cb.values())
        assert_first_push_not_doubled(first_push_count(first.device.push_value, values, -1, -2))
        first.device.push(2)
        assert wait_for(lambda: values()[-3:] == [-2, 1, 2])
        first.stop()
        # cppTango's keep-alive thread notices the missing heartbeat (about 10 s)
        assert wait_for(received(lambda: cb.errors()), timeout=30)
        with DeviceTestContext(EventDevice, **kwargs) as server:
            before = len(cb.values())
            # ... and subscribes again once the server is back (about 10 s more; with cppTango
            # 9.3 pytango makes the subscription again: ext/client/admin_guard.cpp)
            assert wait_for(received(lambda: len(cb.values()) > before), timeout=40)
            # the first push after that new subscription may be lost, as after any subscription
            # (tests/_event_checks.py): once its sentinel arrived, none is. Values not pushed
            # before the restart: the count looks at this server's events only.
            values = received(lambda: cb.values())
            assert_first_push_not_doubled(first_push_count(server.push_value, values, -3, -4))
            server.push(3)
            assert wait_for(lambda: values()[-4:] == [-4, 1, 2, 3], timeout=10)
            proxy.unsubscribe_event(eid)
    finally:
        first.stop()


# ---------------------------------------------------------------------------------------------
# PyTango 10.3's subscription forms: sub modes, keywords, event reasons
# ---------------------------------------------------------------------------------------------


def test_sub_modes_the_cpptango_here_gives(server):
    from conftest import wait_for

    from tango import EventReason, EventSubMode

    sync_read, stateless = Collector(), Collector()
    a = server.subscribe_event("counter", EventType.CHANGE_EVENT, cb=sync_read, sub_mode=EventSubMode.SyncRead)
    b = server.subscribe_event("counter", EventType.CHANGE_EVENT, stateless, EventSubMode.Stateless,
                               tango.ExtractAs.List)
    try:
        for got in (sync_read, stateless):  # the value on subscription: SubSuccess
            assert wait_for(lambda got=got: got.events)
            assert got.events[0].event_reason == EventReason.SubSuccess and not got.events[0].err
        server.push_value(-7)
        server.push_value(41)  # (the first push after a subscription may be lost: its sentinel)
        for got in (sync_read, stateless):
            assert wait_for(lambda got=got: 41 in got.values())
            assert all(e.event_reason == EventReason.Update for e in got.events[1:])
    finally:
        server.unsubscribe_event(a)
        server.unsubscribe_event(b)


def test_sub_modes_cpptango_10_1_has_are_refused_naming_it(server):
    from tango import EventSubMode

    for mode in (EventSubMode.Sync, EventSubMode.Async, EventSubMode.AsyncRead):
        with pytest.raises(tango.NonSupportedFeature, match=f"EventSubMode.{mode.name} needs cppTango 10.1"):
            server.subscribe_event("counter", EventType.CHANGE_EVENT, Collector(), sub_mode=mode)
    with pytest.raises(ValueError, match="not an EventSubMode"):
        server.subscribe_event("counter", EventType.CHANGE_EVENT, Collector(), sub_mode=42)
    with pytest.raises(TypeError, match="sub_mode or stateless"):
        server.subscribe_event("counter", EventType.CHANGE_EVENT, Collector(), sub_mode=EventSubMode.SyncRead,
                               stateless=True)
    assert server.state() == DevState.ON


def test_a_failed_subscription_by_sub_mode(server):
    from conftest import wait_for

    from tango import EventReason, EventSubMode

    with pytest.raises(DevFailed, match="API_AttrNotFound"):
        server.subscribe_event("no_such_attr", EventType.CHANGE_EVENT, cb=Collector(), sub_mode=EventSubMode.SyncRead)
    got = Collector()
    eid = server.subscribe_event("no_such_attr", EventType.CHANGE_EVENT, cb=got, sub_mode=EventSubMode.Stateless)
    try:
        assert wait_for(lambda: got.events, timeout=15)  # Stateless: an error event instead
        assert got.events[0].err and got.events[0].event_reason == EventReason.SubFail
        assert got.events[0].attr_value is None
    finally:
        server.unsubscribe_event(eid)


def test_subscription_argument_errors_say_what_is_wrong(server):
    with pytest.raises(TypeError, match="only for Interface Change Events"):
        server.subscribe_event(EventType.CHANGE_EVENT)
    with pytest.raises(IndexError, match="Expected parameter 'cb'"):
        server.subscribe_event(EventType.INTERFACE_CHANGE_EVENT)
    with pytest.raises(IndexError, match="Expected parameter 'cb' as either positional arg 3"):
        server.subscribe_event("counter", EventType.CHANGE_EVENT)
    with pytest.raises(TypeError, match="Parameter 'cb' must be callable"):
        server.subscribe_event("counter", EventType.CHANGE_EVENT, cb=None)
    with pytest.raises(TypeError, match="callable or have push_event"):
        server.subscribe_event("counter", EventType.CHANGE_EVENT, "not a callback")
    with pytest.raises(TypeError, match="unexpected arguments"):
        server.subscribe_event("counter", EventType.CHANGE_EVENT, Collector(), [], False, tango.ExtractAs.List, 9)
    with pytest.raises(TypeError, match="must be a str"):
        server.subscribe_event(3, EventType.CHANGE_EVENT, Collector())
    queue = server.subscribe_event("counter", EventType.CHANGE_EVENT, queuesize=5)  # the pull model, by keyword
    server.unsubscribe_event(queue)


def test_a_python_exception_pushed_reaches_subscribers_as_an_error(server):
    from conftest import wait_for

    got = Collector()
    eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, got)
    try:
        assert wait_for(lambda: got.events)
        server.push_value(-11)
        server.push_python_exception()
        assert wait_for(lambda: got.errors())
        error = got.errors()[-1].errors[0]
        assert (error.reason, error.desc) == ("PyDs_PythonError", "ValueError: sensor unplugged\n")
    finally:
        server.unsubscribe_event(eid)


def test_pushes_pytango_10_refuses_say_why(server):
    dims = ("TypeError: dim_x and dim_y arguments are no longer supported (PyTango 10): push the value in its "
            "shape (a 2D array for an image)")
    no_data = ("API_PushEventWithoutData: Cannot push event for attribute counter without data. Pushing event "
               "without data parameter is only allowed for State and Status attributes.")
    answers = server.refused_pushes().split("\n")
    assert [a.startswith(dims) for a in answers[:4]] == [True] * 4
    assert answers[4:] == [no_data, no_data]
    assert server.state() == DevState.ON


def test_the_proxy_refers_to_its_callbacks_while_subscribed(server):
    import gc

    def callback(event):
        pass

    before = len(gc.get_referrers(callback))
    ids = [server.subscribe_event("counter", EventType.CHANGE_EVENT, callback) for _ in range(3)]
    assert len(gc.get_referrers(callback)) > before
    for eid in ids:
        server.unsubscribe_event(eid)
    assert len(gc.get_referrers(callback)) == before



def test_unsubscribing_at_once_loses_no_event_already_received(server):
    # The event sent on subscription reaches the callback before unsubscribe_event returns, even
    # when the subscription ends right away (as a device subscribing to itself in a command
    # does) and the callbacks are behind: a slow consumer keeps the delivery thread busy.
    busy, release = threading.Event(), threading.Event()

    def slow(event):
        busy.set()
        release.wait(10)  # a consumer still working when the next subscription comes

    first = server.subscribe_event("counter", EventType.CHANGE_EVENT, slow)
    try:
        got = Collector()
        assert busy.wait(10)
        threading.Timer(0.2, release.set).start()  # the consumer finishes while we unsubscribe
        eid = server.subscribe_event("counter", EventType.CHANGE_EVENT, got)
        server.unsubscribe_event(eid)
        assert len(got.events) == 1 and not got.events[0].err
    finally:
        release.set()
        server.unsubscribe_event(first)
