"""Util.fill_attr_polling_buffer / fill_cmd_polling_buffer: a device writes its own history into
the polling buffer of an externally triggered (period 0) attribute or command, and a client
reads exactly that history back."""

import numpy
import pytest

import tango
from tango import AttrQuality, AttrWriteType, DevFailed, TimedAttrData, TimedCmdData
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

T0 = 1_700_000_000.25  # a time stamp with a fraction: tv_usec 250000


def seconds(tv):
    return (tv.tv_sec, tv.tv_usec)


class HistoryDevice(Device):
    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def level(self):
        return 0.0

    @level.setter
    def level(self, value):
        pass

    @attribute(dtype=(numpy.int32,), max_dim_x=16)
    def samples(self):
        return [0]

    @attribute(dtype=str)
    def message(self):
        return ""

    @attribute(dtype=((float,),), max_dim_x=4, max_dim_y=4)
    def frame(self):
        return [[0.0]]

    @attribute(dtype=float)
    def not_polled(self):
        return 0.0

    @command(dtype_out=(str,))
    def names(self):
        return []

    @command(dtype_out=float)
    def reading(self):
        return 0.0

    @command(dtype_out=(float,))
    def readings(self):
        return []

    @command
    def fill_level(self):
        self.fill_attr_polling_buffer("level", [
            TimedAttrData(1.5, w_value=2.5, time_stamp=T0),
            TimedAttrData(2.5, AttrQuality.ATTR_WARNING, time_stamp=T0 + 1),
            TimedAttrData(error=ValueError("sensor unplugged"), time_stamp=T0 + 2),
            TimedAttrData(None, AttrQuality.ATTR_INVALID, time_stamp=T0 + 3),
            TimedAttrData(4.0, AttrQuality.ATTR_ALARM, time_stamp=tango.TimeVal(int(T0) + 4, 500)),
        ])

    @command
    def fill_others(self):
        util = tango.Util.instance()  # the Util form, as in PyTango
        util.fill_attr_polling_buffer(self, "samples", [
            TimedAttrData([1, 2, 3], time_stamp=T0),
            TimedAttrData(numpy.arange(5, dtype=numpy.int32), time_stamp=T0 + 1),
        ])
        util.fill_attr_polling_buffer(self, "message", [
            TimedAttrData("first", time_stamp=T0),
            TimedAttrData("s\xe9cond", time_stamp=T0 + 1),
        ])
        util.fill_attr_polling_buffer(self, "frame", [
            TimedAttrData([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], time_stamp=T0),
        ])

    @command
    def fill_commands(self):
        error = DevFailed(tango.DevError("Cmd_Failed", "it failed", "test", tango.ErrSeverity.ERR))
        self.fill_cmd_polling_buffer("names", [
            TimedCmdData(["a", "b"], time_stamp=T0),
            TimedCmdData(error=error, time_stamp=T0 + 1),
            TimedCmdData([], time_stamp=T0 + 2),
        ])
        self.fill_cmd_polling_buffer("reading", [TimedCmdData(0.5, time_stamp=T0), TimedCmdData(1.5, time_stamp=T0 + 1)])
        self.fill_cmd_polling_buffer("readings", [TimedCmdData(numpy.array([1.0, 2.0]), time_stamp=T0)])

    @command
    def fill_one_record(self):
        # one record, not a list: a history of one (as PyTango takes it)
        self.fill_attr_polling_buffer("message", TimedAttrData("alone", time_stamp=T0 + 7))
        self.fill_cmd_polling_buffer("reading", TimedCmdData(9.5, time_stamp=T0 + 7))

    @command(dtype_in=str)
    def fill_wrong(self, what):
        if what == "not_polled":
            self.fill_attr_polling_buffer("not_polled", [TimedAttrData(1.0)])
        elif what == "too_many":
            self.fill_attr_polling_buffer("level", [TimedAttrData(float(i)) for i in range(1000)])
        elif what == "bad_value":
            self.fill_attr_polling_buffer("level", [TimedAttrData("not a number")])
        elif what == "w_value_on_read_only":
            self.fill_attr_polling_buffer("samples", [TimedAttrData([1], w_value=[2])])
        elif what == "not_a_record":
            self.fill_attr_polling_buffer("level", [1.0])
        elif what == "no_such_attribute":
            self.fill_attr_polling_buffer("nothing", [TimedAttrData(1.0)])
        elif what == "no_such_command":
            self.fill_cmd_polling_buffer("nothing", [TimedCmdData(1.0)])


@pytest.fixture(scope="module")
def proxy():
    with DeviceTestContext(HistoryDevice, debug=0) as p:
        for name in ("level", "samples", "message", "frame"):
            p.poll_attribute(name, 0)  # externally triggered: the device fills the buffer
        for name in ("names", "reading", "readings"):
            p.poll_command(name, 0)
        yield p


def test_attribute_history_is_what_the_device_filled(proxy):
    proxy.fill_level()
    history = proxy.attribute_history("level", 5)
    assert [seconds(h.time) for h in history] == [
        (int(T0), 250000), (int(T0) + 1, 250000), (int(T0) + 2, 250000), (int(T0) + 3, 250000),
        (int(T0) + 4, 500)]
    assert [h.has_failed for h in history] == [False, False, True, False, False]
    ok = [history[i] for i in (0, 1, 4)]
    assert [h.value for h in ok] == [1.5, 2.5, 4.0]
    assert [h.quality for h in ok] == [AttrQuality.ATTR_VALID, AttrQuality.ATTR_WARNING, AttrQuality.ATTR_ALARM]
    assert history[0].w_value == 2.5
    errors = history[2].get_err_stack()
    assert errors[0].reason == "PyDs_PythonError" and "ValueError: sensor unplugged" in errors[0].desc
    assert history[3].quality == AttrQuality.ATTR_INVALID and history[3].value is None
    # The newest record is what a read from the polling buffer gives.
    proxy.set_source(tango.DevSource.CACHE)
    try:
        reply = proxy.read_attribute("level")
    finally:
        proxy.set_source(tango.DevSource.CACHE_DEV)
    assert reply.value == 4.0 and reply.quality == AttrQuality.ATTR_ALARM


def test_spectrum_string_and_image_histories(proxy):
    proxy.fill_others()
    samples = proxy.attribute_history("samples", 2)
    assert [h.value.tolist() for h in samples] == [[1, 2, 3], [0, 1, 2, 3, 4]]
    assert samples[0].value.dtype == numpy.int32
    assert [seconds(h.time) for h in samples] == [(int(T0), 250000), (int(T0) + 1, 250000)]
    assert [h.value for h in proxy.attribute_history("message", 2)] == ["first", "s\xe9cond"]
    frame = proxy.attribute_history("frame", 1)[0]
    numpy.testing.assert_array_equal(frame.value, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert (frame.dim_x, frame.dim_y) == (2, 3)


def test_command_history_is_what_the_device_filled(proxy):
    proxy.fill_commands()
    names = proxy.command_history("names", 3)
    assert [seconds(h.get_date()) for h in names] == [(int(T0), 250000), (int(T0) + 1, 250000), (int(T0) + 2, 250000)]
    assert [h.has_failed() for h in names] == [False, True, False]
    assert names[0].extract() == ["a", "b"]
    assert names[1].get_err_stack()[0].reason == "Cmd_Failed"
    assert names[2].extract() == []
    assert [h.extract() for h in proxy.command_history("reading", 2)] == [0.5, 1.5]
    numpy.testing.assert_array_equal(proxy.command_history("readings", 1)[0].extract(), [1.0, 2.0])


def test_one_record_is_a_history_of_one(proxy):
    proxy.fill_one_record()
    (last,) = proxy.attribute_history("message", 1)
    assert (last.value, seconds(last.time)) == ("alone", (int(T0) + 7, 250000))
    (cmd,) = proxy.command_history("reading", 1)
    assert (cmd.extract(), seconds(cmd.get_date())) == (9.5, (int(T0) + 7, 250000))


@pytest.mark.parametrize("what, reason, words", [
    ("not_polled", "API_PollObjNotFound", ""),
    ("too_many", "API_DeviceNotPolled", "polling buffer depth"),
    # Conversion errors are Python exceptions in the device's command (traceback in desc).
    ("bad_value", "PyDs_PythonError", "TypeError: expected a number"),
    ("w_value_on_read_only", "PyDs_PythonError", "ValueError: attribute samples is not READ_WRITE"),
    ("not_a_record", "PyDs_PythonError", "TimedAttrData"),
    ("no_such_attribute", "API_AttrNotFound", ""),
    ("no_such_command", "API_CommandNotFound", ""),
])
def test_wrong_fills_raise_and_the_device_goes_on(proxy, what, reason, words):
    with pytest.raises(DevFailed) as info:
        proxy.fill_wrong(what)
    reasons = [e.reason for e in info.value.args]
    assert reason in reasons
    assert words in " ".join(e.desc for e in info.value.args)
    proxy.fill_level()
    assert proxy.attribute_history("level", 1)[0].value == 4.0
