"""Pipes end to end: a Python server with read and read/write pipes, a Python client reading,
writing and subscribing to them."""

import threading

import numpy
import pytest

import tango
from _event_checks import CPPTANGO_93, assert_first_push_not_doubled, first_push_count, first_push_counts
from tango import CmdArgType as T
from tango import DevFailed, DevState, DispLevel, EventType, PipeWriteType
from tango.server import Device, command, pipe
from tango.test_context import DeviceTestContext

# Every type a data element can have: (name, dtype, value sent, value read back).
SCALARS = [
    ("bool", T.DevBoolean, True),
    ("uchar", T.DevUChar, 200),
    ("short", T.DevShort, -32000),
    ("ushort", T.DevUShort, 65000),
    ("long", T.DevLong, -2_000_000_000),
    ("ulong", T.DevULong, 4_000_000_000),
    ("long64", T.DevLong64, -(2**62)),
    ("ulong64", T.DevULong64, 2**64 - 1),
    ("float", T.DevFloat, 1.5),
    ("double", T.DevDouble, -2.25e300),
    ("string", T.DevString, "h\xe9llo \xff"),
    ("state", T.DevState, DevState.MOVING),
    ("encoded", T.DevEncoded, ("fmt", b"\x00\x01\xff")),
]
NUMPY_ARRAYS = [
    ("bool_array", T.DevVarBooleanArray, numpy.array([True, False, True])),
    ("uchar_array", T.DevVarCharArray, numpy.array([0, 128, 255], dtype=numpy.uint8)),
    ("short_array", T.DevVarShortArray, numpy.array([-3, 0, 3], dtype=numpy.int16)),
    ("ushort_array", T.DevVarUShortArray, numpy.array([0, 1, 65535], dtype=numpy.uint16)),
    ("long_array", T.DevVarLongArray, numpy.array([-(2**31), 0, 2**31 - 1], dtype=numpy.int32)),
    ("ulong_array", T.DevVarULongArray, numpy.array([0, 7, 2**32 - 1], dtype=numpy.uint32)),
    ("long64_array", T.DevVarLong64Array, numpy.array([-(2**63), 0, 2**63 - 1], dtype=numpy.int64)),
    ("ulong64_array", T.DevVarULong64Array, numpy.array([0, 1, 2**64 - 1], dtype=numpy.uint64)),
    ("float_array", T.DevVarFloatArray, numpy.array([0.5, -1.5, 3.25], dtype=numpy.float32)),
    ("double_array", T.DevVarDoubleArray, numpy.array([1e-300, 0.0, -1e300])),
]
LIST_ARRAYS = [
    ("string_array", T.DevVarStringArray, ["a", "", "\xe9t\xe9"]),
    ("state_array", T.DevVarStateArray, [DevState.ON, DevState.FAULT, DevState.ALARM]),
]
ALL_TYPES = SCALARS + NUMPY_ARRAYS + LIST_ARRAYS


def element(name, dtype, value):
    return {"name": name, "dtype": dtype, "value": value}


def assert_elements(got, expected):
    """Exact comparison of read elements with (name, dtype, value) triples."""
    assert [e["name"] for e in got] == [name for name, _, _ in expected]
    for e, (name, dtype, value) in zip(got, expected):
        assert e["dtype"] == dtype, name
        assert type(e["dtype"]) is T
        if isinstance(value, numpy.ndarray):
            assert isinstance(e["value"], numpy.ndarray), name
            assert e["value"].dtype == value.dtype, name
            numpy.testing.assert_array_equal(e["value"], value)
        else:
            assert e["value"] == value, name
            assert type(e["value"]) is type(value), name


class PipeDevice(Device):
    def init_device(self):
        self._stored = ("initial", [element("counter", T.DevLong, 0)])
        self._allowed = True
        self.set_state(DevState.ON)

    @pipe(label="Every type", description="One element of each Tango type", display_level=DispLevel.EXPERT)
    def every_type(self):
        return "types", [element(name, dtype, value) for name, dtype, value in ALL_TYPES]

    @pipe
    def inferred(self):
        """Types from the values."""
        return "inferred", {
            "flag": False,
            "count": 3,
            "ratio": 0.25,
            "text": "x",
            "state": DevState.OFF,
            "bytes": b"\x01\x02",
            "np_int16": numpy.int16(-2),
            "np_float32": numpy.float32(0.5),
            "np_uint8_array": numpy.arange(3, dtype=numpy.uint8),
            "ints": [1, 2, 3],
            "floats": [1, 2.5],
            "texts": ["a", "b"],
            "states": [DevState.ON, DevState.OFF],
            "bools": [True, False],
            "encoded": ("json", b"{}"),
            "nested": ("inner", [("a", 1), ("deeper", ("deepest", {"s": "z"}))]),
        }

    @pipe(access=PipeWriteType.PIPE_READ_WRITE, label="Stored")
    def stored(self):
        return self._stored

    @stored.write
    def stored(self, value):
        self._stored = value

    # Method-name forms: read_<name>, write_<name>, is_<name>_allowed.
    guarded = pipe(access=PipeWriteType.PIPE_READ_WRITE)

    def read_guarded(self):
        return "guarded", {"ok": True}

    def write_guarded(self, value):
        raise ValueError("this write is refused by the device")

    def is_guarded_allowed(self, req_type):
        return self._allowed

    @pipe
    def broken(self):
        raise RuntimeError("the pipe read failed on purpose")

    @pipe
    def wrong_blob(self):
        return "wrong", {"thing": object()}

    @pipe
    def not_a_blob(self):
        return 42

    @command(dtype_in=bool)
    def allow(self, allowed):
        self._allowed = allowed

    @command(dtype_in=int)
    def push(self, n):
        self.push_pipe_event("stored", ("pushed", {"n": n}))

    @command(dtype_in=int)
    def push_many(self, n):
        for i in range(1, n + 1):
            self.push_pipe_event("stored", ("pushed", [("n", i), ("half", i / 2), ("tag", f"#{i}")]))

    @command
    def push_error(self):
        self.push_pipe_event("stored", DevFailed(tango.DevError("Pipe_Broken", "no blob", "test", tango.ErrSeverity.ERR)))

    @command(dtype_in=int)
    def push_from_thread(self, n):
        # Pushes from a thread cppTango did not create. Not joined here: the pushes take the
        # device monitor, which this command holds until it returns.
        def run():
            for i in range(1, n + 1):
                self.push_pipe_event("stored", ("pushed", {"n": i}), 1_700_000_000.5)

        threading.Thread(target=run).start()

    @command(dtype_out=str)
    def push_bad_blob(self):
        try:
            self.push_pipe_event("stored", ("bad", {"x": object()}))
        except TypeError as exc:
            return str(exc)
        return "no error"


@pytest.fixture(scope="module")
def proxy():
    with DeviceTestContext(PipeDevice, debug=0) as p:
        yield p


class Collector:
    """An event callback; wait() blocks on a condition until a predicate holds."""

    def __init__(self):
        self.cond = threading.Condition()
        self.events = []

    def __call__(self, event):
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait(self, predicate, timeout=10.0):
        with self.cond:
            return self.cond.wait_for(lambda: predicate(self.events), timeout)


# -- reading --------------------------------------------------------------------------------


def test_read_every_type(proxy):
    name, data = proxy.read_pipe("every_type")
    assert name == "types"
    assert_elements(data, ALL_TYPES)


def test_read_types_follow_values(proxy):
    name, data = proxy.read_pipe("inferred")
    assert name == "inferred"
    assert_elements(data[:-1], [
        ("flag", T.DevBoolean, False),
        ("count", T.DevLong64, 3),
        ("ratio", T.DevDouble, 0.25),
        ("text", T.DevString, "x"),
        ("state", T.DevState, DevState.OFF),
        ("bytes", T.DevVarCharArray, numpy.array([1, 2], dtype=numpy.uint8)),
        ("np_int16", T.DevShort, -2),
        ("np_float32", T.DevFloat, 0.5),
        ("np_uint8_array", T.DevVarCharArray, numpy.arange(3, dtype=numpy.uint8)),
        ("ints", T.DevVarLong64Array, numpy.array([1, 2, 3], dtype=numpy.int64)),
        ("floats", T.DevVarDoubleArray, numpy.array([1.0, 2.5])),
        ("texts", T.DevVarStringArray, ["a", "b"]),
        ("states", T.DevVarStateArray, [DevState.ON, DevState.OFF]),
        ("bools", T.DevVarBooleanArray, numpy.array([True, False])),
        ("encoded", T.DevEncoded, ("json", b"{}")),
    ])
    nested = data[-1]
    assert nested["name"] == "nested" and nested["dtype"] == T.DevPipeBlob
    inner_name, inner = nested["value"]
    assert inner_name == "inner"
    assert_elements(inner[:1], [("a", T.DevLong64, 1)])
    assert inner[1]["name"] == "deeper" and inner[1]["dtype"] == T.DevPipeBlob
    assert inner[1]["value"][0] == "deepest"
    assert_elements(inner[1]["value"][1], [("s", T.DevString, "z")])


# -- writing --------------------------------------------------------------------------------


def test_write_read_round_trip_every_type(proxy):
    sent = [element(name, dtype, value) for name, dtype, value in ALL_TYPES]
    proxy.write_pipe("stored", ("all", sent))
    name, data = proxy.read_pipe("stored")
    assert name == "all"
    assert_elements(data, ALL_TYPES)


@pytest.mark.parametrize("data", [
    {"a": 1, "b": "two"},
    [("a", 1), ("b", "two")],
    [{"name": "a", "value": 1}, {"name": "b", "value": "two"}],
    [("a", 1, "int64"), ("b", "two", str)],
], ids=["dict", "tuples", "dicts", "tuples-with-dtype"])
def test_write_forms(proxy, data):
    proxy.write_pipe("stored", ("forms", data))
    assert_elements(proxy.read_pipe("stored")[1], [("a", T.DevLong64, 1), ("b", T.DevString, "two")])


def test_write_dtype_forms_and_empty_arrays(proxy):
    proxy.write_pipe("stored", ("dtypes", [
        ("as_long", 5, T.DevLong),
        ("as_float", 2, "float32"),
        ("spectrum", [1, 2], (numpy.int16,)),
        ("empty_doubles", [], T.DevVarDoubleArray),
        ("empty_strings", [], T.DevVarStringArray),
        ("empty_blob", ("nothing", []), T.DevPipeBlob),
    ]))
    name, data = proxy.read_pipe("stored")
    assert_elements(data[:5], [
        ("as_long", T.DevLong, 5),
        ("as_float", T.DevFloat, 2.0),
        ("spectrum", T.DevVarShortArray, numpy.array([1, 2], dtype=numpy.int16)),
        ("empty_doubles", T.DevVarDoubleArray, numpy.array([], dtype=numpy.float64)),
        ("empty_strings", T.DevVarStringArray, []),
    ])
    assert data[5] == {"name": "empty_blob", "dtype": T.DevPipeBlob, "value": ("nothing", [])}


def test_one_element_array_reads_as_scalar(proxy):
    # On the wire a scalar is an array of one: cppTango cannot tell them apart.
    proxy.write_pipe("stored", ("one", [("x", [7], T.DevVarLongArray)]))
    assert_elements(proxy.read_pipe("stored")[1], [("x", T.DevLong, 7)])


def test_write_read_pipe(proxy):
    name, data = proxy.write_read_pipe("stored", ("wr", {"v": 1.5}))
    assert name == "wr"
    assert_elements(data, [("v", T.DevDouble, 1.5)])


def test_the_received_blob_is_what_the_write_method_gets(proxy):
    # The write method stores what it received; reading gives it back: the write method got the
    # read form, (name, [{"name", "dtype", "value"}]), which is valid input for a read method.
    proxy.write_pipe("stored", ("got", [("s", "text"), ("a", numpy.array([1.5, 2.5]))]))
    assert_elements(proxy.read_pipe("stored")[1],
                    [("s", T.DevString, "text"), ("a", T.DevVarDoubleArray, numpy.array([1.5, 2.5]))])


# -- configuration --------------------------------------------------------------------------


def test_pipe_list_and_config(proxy):
    assert sorted(proxy.get_pipe_list()) == sorted(
        ["every_type", "inferred", "stored", "guarded", "broken", "wrong_blob", "not_a_blob"])
    info = proxy.get_pipe_config("every_type")
    assert isinstance(info, tango.PipeInfo)
    assert info.name == "every_type"
    assert info.label == "Every type"
    assert info.description == "One element of each Tango type"
    assert info.disp_level == DispLevel.EXPERT
    assert info.writable == PipeWriteType.PIPE_READ
    stored = proxy.get_pipe_config("stored")
    assert stored.writable == PipeWriteType.PIPE_READ_WRITE
    assert stored.label == "Stored" and stored.disp_level == DispLevel.OPERATOR
    # The read method's docstring is the description; without label the label is the name.
    inferred = proxy.get_pipe_config("inferred")
    assert inferred.description == "Types from the values."
    assert inferred.label == "inferred"
    assert [i.name for i in proxy.get_pipe_config(["stored", "inferred"])] == ["stored", "inferred"]
    assert len(proxy.get_pipe_config()) == 7


# -- errors ---------------------------------------------------------------------------------


def test_python_error_in_read_reaches_the_client(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.read_pipe("broken")
    err = info.value.args[0]
    assert err.reason == "PyDs_PythonError"
    assert "RuntimeError: the pipe read failed on purpose" in err.desc
    # The server goes on serving.
    assert proxy.read_pipe("guarded") == ("guarded", [{"name": "ok", "dtype": T.DevBoolean, "value": True}])
    assert proxy.state() == DevState.ON


@pytest.mark.parametrize("pipe_name", ["wrong_blob", "not_a_blob"])
def test_bad_blob_from_a_read_method(proxy, pipe_name):
    with pytest.raises(DevFailed) as info:
        proxy.read_pipe(pipe_name)
    assert info.value.args[0].reason == "PyDs_WrongPythonDataType"
    assert "pipe" in info.value.args[0].desc
    assert proxy.read_pipe("guarded")[0] == "guarded"


def test_unknown_pipe(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.read_pipe("no_such_pipe")
    assert info.value.args[0].reason == "API_PipeNotFound"
    with pytest.raises(DevFailed):
        proxy.write_pipe("no_such_pipe", ("x", {"a": 1}))
    with pytest.raises(DevFailed):
        proxy.get_pipe_config("no_such_pipe")


@pytest.mark.parametrize("blob, error, words", [
    (5, TypeError, "pipe blob"),
    (("only a name",), TypeError, "pipe blob"),
    ((1, {"a": 1}), TypeError, "pipe blob"),
    (("x", 5), TypeError, "pipe blob"),
    (("x", {"a": object()}), TypeError, "pipe value"),
    (("x", {1: 2}), TypeError, "name"),
    (("x", [("a",)]), TypeError, "data element"),
    (("x", [{"value": 1}]), TypeError, "'name'"),
    (("x", {"a": []}), TypeError, "empty sequence"),
    (("x", {"a": [1, "b"]}), TypeError, "one kind"),
    (("x", {"a": numpy.zeros((2, 2))}), TypeError, "1-D"),
    (("x", {"a": 1, "A": 2}), ValueError, "twice"),
    (("x", [("a", "text", T.DevLong)]), TypeError, "integer"),
    (("x", [("a", 300, T.DevUChar)]), OverflowError, "out of range"),
    (("x", [("a", 1, T.DevEnum)]), TypeError, "cannot travel in a pipe"),
    (("x", [("a", 1, T.DevVarLongStringArray)]), TypeError, "cannot travel in a pipe"),
    (("x", [("a", [[1]], ((int,),))]), TypeError, "images"),
    (("x", [("a", 1, "no such type")]), TypeError, "not a Tango data type"),
])
def test_bad_blob_written(proxy, blob, error, words):
    proxy.write_pipe("stored", ("before", {"kept": 1}))
    with pytest.raises(error) as info:
        proxy.write_pipe("stored", blob)
    assert words in str(info.value)
    # Nothing was sent: the device still has the previous blob and answers.
    assert proxy.read_pipe("stored")[0] == "before"


def test_write_refused_and_not_writable(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.write_pipe("guarded", ("x", {"a": 1}))
    assert info.value.args[0].reason == "PyDs_PythonError"
    assert "this write is refused by the device" in info.value.args[0].desc
    with pytest.raises(DevFailed) as info:
        proxy.write_pipe("every_type", ("x", {"a": 1}))
    assert info.value.args[0].reason == "API_PipeNotWritable"


def test_is_allowed(proxy):
    proxy.allow(False)
    try:
        with pytest.raises(DevFailed) as info:
            proxy.read_pipe("guarded")
        assert info.value.args[0].reason == "API_PipeNotAllowed"
    finally:
        proxy.allow(True)
    assert proxy.read_pipe("guarded")[0] == "guarded"


def test_push_of_a_bad_blob_raises_in_the_device(proxy):
    assert "pipe value" in proxy.push_bad_blob()


# -- events ---------------------------------------------------------------------------------


def pushed_values(events):
    """The n of each received pushed blob, in order, repeats included."""
    return [e.pipe_value[1][0]["value"] for e in events
            if not e.err and e.pipe_value is not None and e.pipe_value[0] == "pushed"]


def settle(proxy, cb):
    """After a subscription (its first event received): a first push and its sentinel make sure
    the channel is live (the first may be lost, tests/_event_checks.py). Returns the number of
    events received so far: what the test pushes next comes after them, none lost."""
    assert_first_push_not_doubled(first_push_count(proxy.push, lambda: pushed_values(cb.events), -1, -2))
    return len(cb.events)


def _first_push_counts(proxy, trials):
    return first_push_counts(
        lambda cb: proxy.subscribe_event("stored", EventType.PIPE_EVENT, cb), proxy.unsubscribe_event,
        proxy.push, pushed_values, trials)


@pytest.mark.skipif(CPPTANGO_93, reason="cppTango 9.3.4 doubles it too: "
                    "test_first_pipe_event_after_subscribing_may_be_lost_or_doubled_on_cpptango_93")
def test_first_pipe_event_after_subscribing_may_be_lost_never_doubled_on_cpptango_10(proxy):
    # as for change events (test_events.py): no guarantee from cppTango, never doubled
    counts = _first_push_counts(proxy, 20)
    print("deliveries of the first pipe event after subscribing (times: trials):", dict(counts))
    assert sum(counts.values()) == 20 and set(counts) <= {0, 1} and counts[1] > 0


@pytest.mark.skipif(not CPPTANGO_93, reason="cppTango 9.3.4 only: "
                    "test_first_pipe_event_after_subscribing_may_be_lost_never_doubled_on_cpptango_10")
def test_first_pipe_event_after_subscribing_may_be_lost_or_doubled_on_cpptango_93(proxy):
    # Seen here: about 1 in 12 lost. The event after it always arrives, once.
    counts = _first_push_counts(proxy, 20)
    print("deliveries of the first pipe event after subscribing (times: trials):", dict(counts))
    assert sum(counts.values()) == 20 and set(counts) <= {0, 1, 2}


def test_push_pipe_event(proxy):
    cb = Collector()
    proxy.write_pipe("stored", ("current", {"n": -1}))
    eid = proxy.subscribe_event("stored", EventType.PIPE_EVENT, cb)
    try:
        # The subscription delivers the current value first.
        assert cb.wait(lambda evs: len(evs) >= 1)
        first = cb.events[0]
        assert first.pipe_value == ("current", [{"name": "n", "dtype": T.DevLong64, "value": -1}])
        before = settle(proxy, cb)
        proxy.push_many(20)
        assert cb.wait(lambda evs: pushed_values(evs)[-1:] == [20])
        assert pushed_values(cb.events[before:]) == list(range(1, 21))
        event = cb.events[-1]
        assert isinstance(event, tango.PipeEventData)
        assert event.event == "pipe"
        assert event.pipe_name.endswith("/stored#dbase=no")
        assert event.err is False and event.errors == ()
        assert event.device is not None and event.device.dev_name() == proxy.dev_name()
        assert isinstance(event.reception_date, tango.TimeVal) and event.reception_date.tv_sec > 0
        assert_elements(event.pipe_value[1], [("n", T.DevLong64, 20), ("half", T.DevDouble, 10.0),
                                              ("tag", T.DevString, "#20")])
    finally:
        proxy.unsubscribe_event(eid)


def test_push_pipe_error_event(proxy):
    cb = Collector()
    eid = proxy.subscribe_event("stored", EventType.PIPE_EVENT, cb)
    try:
        assert cb.wait(lambda evs: len(evs) >= 1)
        before = settle(proxy, cb)
        proxy.push_error()
        assert cb.wait(lambda evs: any(e.err for e in evs))
        assert [e.err for e in cb.events[before:]] == [True]
        event = next(e for e in cb.events if e.err)
        assert event.pipe_value is None
        assert event.errors[0].reason == "Pipe_Broken"
        assert event.errors[0].desc == "no blob"
        # Events go on after an error.
        proxy.push(5)
        assert cb.wait(lambda evs: 5 in pushed_values(evs))
        assert pushed_values(cb.events[before:]) == [5]
    finally:
        proxy.unsubscribe_event(eid)


def test_push_pipe_event_with_object_callback(proxy):
    cb = Collector()

    class Callback:
        def push_event(self, event):
            cb(event)

    eid = proxy.subscribe_event("stored", EventType.PIPE_EVENT, Callback())
    try:
        assert cb.wait(lambda evs: len(evs) >= 1)  # the value on subscription
        before = settle(proxy, cb)
        proxy.push(1)
        assert cb.wait(lambda evs: 1 in pushed_values(evs[before:]))
        assert pushed_values(cb.events[before:]) == [1]
    finally:
        proxy.unsubscribe_event(eid)


# -- declarations ---------------------------------------------------------------------------


def test_declaration_errors():
    with pytest.raises(TypeError, match="unknown options"):
        pipe(unit="V")

    class NoRead(Device):
        orphan = pipe()

    with pytest.raises(TypeError, match="no read method"):
        NoRead._tango_spec()

    class NoWrite(Device):
        half = pipe(access=PipeWriteType.PIPE_READ_WRITE)

        def read_half(self):
            return "x", {}

    with pytest.raises(TypeError, match="needs a write method"):
        NoWrite._tango_spec()


def test_pipes_of_several_devices_are_their_own():
    from tango.test_context import MultiDeviceTestContext

    class Owned(Device):
        def init_device(self):
            self._blob = ("blob", {"who": self.get_name()})

        @pipe(access=PipeWriteType.PIPE_READ_WRITE)
        def mine(self):
            return self._blob

        @mine.write
        def mine(self, value):
            self._blob = value

    devices = [{"class": Owned, "devices": [{"name": "test/owned/1"}, {"name": "test/owned/2"}]}]
    with MultiDeviceTestContext(devices, debug=0) as ctx:
        one, two = ctx.get_device("test/owned/1"), ctx.get_device("test/owned/2")
        one.write_pipe("mine", ("written", {"x": 1}))
        assert one.read_pipe("mine")[0] == "written"
        assert two.read_pipe("mine") == ("blob", [{"name": "who", "dtype": T.DevString, "value": "test/owned/2"}])


def test_push_from_a_python_thread(proxy):
    # (with a time stamp argument, which the pushes accept: a client sees no time of a pipe
    # event's value, PipeEventData has only its reception_date)
    cb = Collector()
    eid = proxy.subscribe_event("stored", EventType.PIPE_EVENT, cb)
    try:
        assert cb.wait(lambda evs: len(evs) >= 1)
        before = settle(proxy, cb)
        proxy.push_from_thread(10)
        assert cb.wait(lambda evs: pushed_values(evs)[-1:] == [10])
        assert pushed_values(cb.events[before:]) == list(range(1, 11))
    finally:
        proxy.unsubscribe_event(eid)


def test_concurrent_client_reads_and_writes(proxy):
    errors = []

    def worker(k):
        try:
            for i in range(30):
                assert proxy.read_pipe("every_type")[0] == "types"
                proxy.write_pipe("stored", ("t", {"k": k, "i": i}))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_pipes_survive_init(proxy):
    proxy.write_pipe("stored", ("before init", {"a": 1}))
    proxy.Init()
    assert proxy.read_pipe("stored") == ("initial", [{"name": "counter", "dtype": T.DevLong, "value": 0}])
    assert proxy.read_pipe("every_type")[0] == "types"
