"""Failures seen from a client of the C++ TangoTest device: bad names, bad values, server-side
exceptions, timeouts, a server killed and restarted under a live proxy, and the exception API.

After every bad input the device must keep answering: ``assert_still_serving`` checks that with
a real round trip.
"""

import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import tango
from tango import DevError, DevFailed, ErrSeverity

from conftest import device_url, free_loopback_port, wait_for


def assert_still_serving(dev, value=12.5):
    dev.write_attribute("double_scalar_w", value)
    assert dev.read_attribute("double_scalar_w").value == value
    assert dev.state() == tango.DevState.RUNNING


def reasons(error):
    return [e.reason for e in error.args]


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

def test_unknown_device_on_a_running_server(tangotest):
    with pytest.raises(tango.ConnectionFailed) as info:
        tango.DeviceProxy(device_url(tangotest.port, "sys/tg_test/99")).ping()
    assert "API_DeviceNotDefined" in reasons(info.value)
    assert isinstance(info.value, DevFailed)


def test_no_server_listening():
    name = device_url(free_loopback_port())
    with pytest.raises(DevFailed) as info:
        tango.DeviceProxy(name).ping()
    assert info.value.args  # a non-empty error stack
    assert all(isinstance(e, DevError) for e in info.value.args)


@pytest.mark.parametrize("name", ["a/b", "tango://127.0.0.1:1/a/b/c/d#dbase=no",
                                  "tango://127.0.0.1/a/b/c#dbase=no"])
def test_wrong_name_syntax(name):
    with pytest.raises(tango.WrongNameSyntax) as info:
        tango.DeviceProxy(name)
    assert reasons(info.value)[0] == "API_WrongDeviceNameSyntax"


def test_proxy_left_over_by_a_failed_construction_does_not_crash():
    # A traceback keeps the half-built proxy alive (pytest shows it, so do debuggers); looking at
    # it must raise or answer, never take the interpreter down. Run apart to survive a crash.
    code = textwrap.dedent("""
        import tango
        try:
            tango.DeviceProxy("tango://127.0.0.1:1/a/b/c/d#dbase=no")
        except tango.DevFailed as exc:
            tb = exc.__traceback__
            while tb.tb_next is not None:
                tb = tb.tb_next
            half_built = tb.tb_frame.f_locals.get("self")
        for probe in (repr, str, lambda p: p.dev_name(), lambda p: p.state()):
            try:
                probe(half_built)
            except Exception:
                pass
        print("survived")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"crashed with {result.returncode}: {result.stderr[-500:]}"
    assert result.stdout.strip() == "survived"


def test_unknown_attribute(dev):
    with pytest.raises(DevFailed) as info:
        dev.read_attribute("no_such_attribute")
    assert info.value.args[0].reason == "API_AttrNotFound"
    with pytest.raises(DevFailed) as info:
        dev.write_attribute("no_such_attribute", 1.0)
    assert info.value.args[0].reason == "API_AttrNotFound"
    with pytest.raises(DevFailed) as info:
        dev.attribute_query("no_such_attribute")
    assert info.value.args[0].reason == "API_AttrNotFound"
    with pytest.raises(DevFailed) as info:
        dev.get_attribute_config("no_such_attribute")
    assert info.value.args[0].reason == "API_AttrNotFound"
    assert_still_serving(dev)


def test_unknown_command(dev):
    with pytest.raises(DevFailed) as info:
        dev.command_inout("NoSuchCommand")
    assert info.value.args[0].reason == "API_CommandNotFound"
    with pytest.raises(DevFailed) as info:
        dev.command_query("NoSuchCommand")
    assert info.value.args[0].reason == "API_CommandNotFound"
    assert_still_serving(dev)


def test_unknown_python_name_on_proxy(dev):
    with pytest.raises(AttributeError):
        dev.no_such_thing_here
    assert_still_serving(dev)


# ---------------------------------------------------------------------------------------------
# Bad values
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("attr,value", [
    ("double_scalar", "not a number"),
    ("double_scalar", None),
    ("double_scalar", [1.0, 2.0]),
    ("long_scalar_w", "12"),
    ("boolean_scalar", "yes"),
    ("string_scalar", 12.5),
    ("double_spectrum", "abc"),
    ("long_spectrum", [1, "two", 3]),
    ("double_image", [["a", "b"], ["c", "d"]]),
])
def test_wrong_type_written(dev, attr, value):
    with pytest.raises((TypeError, DevFailed)) as info:
        dev.write_attribute(attr, value)
    assert str(info.value)
    assert_still_serving(dev)


@pytest.mark.parametrize("cmd,value", [
    ("DevDouble", "abc"),
    ("DevLong", None),
    ("DevString", 12),
    ("DevVarLongArray", ["a", "b"]),
    ("DevVarLongStringArray", [1, 2, 3]),
    ("DevVarDoubleStringArray", (["x"], [1.0])),
])
def test_wrong_type_command_argument(dev, cmd, value):
    with pytest.raises((TypeError, DevFailed)) as info:
        dev.command_inout(cmd, value)
    assert str(info.value)
    assert_still_serving(dev)


OUT_OF_RANGE = [
    ("short_scalar_w", 32768),
    ("short_scalar_w", -32769),
    ("ushort_scalar", -1),
    ("uchar_scalar", 256),
    ("long_scalar_w", 2**31),
    ("ulong_scalar", 2**32),
    ("long64_scalar", 2**63),
    ("ulong64_scalar", -1),
]


def test_integer_out_of_range_is_an_overflow(dev):
    # PyTango raises OverflowError ("Value is too large/small") before anything is sent
    for attr, value in OUT_OF_RANGE:
        with pytest.raises(OverflowError):
            dev.write_attribute(attr, value)
    assert_still_serving(dev)


def test_integer_out_of_range_in_commands(dev):
    for cmd, value in (("DevShort", 40000), ("DevULong", -1), ("DevUShort", 70000),
                       ("DevVarShortArray", [1, 40000])):
        with pytest.raises(OverflowError):
            dev.command_inout(cmd, value)
    assert_still_serving(dev)


WRONG_RANK = [
    ("double_spectrum", np.zeros((2, 2))),
    ("double_spectrum", [[1.0], [2.0]]),
    ("long_spectrum", np.zeros((1, 3), dtype=np.int32)),
    ("double_image", np.zeros((2, 2, 2))),
]


def test_wrong_shape(dev):
    # PyTango rejects a value of the wrong rank with a TypeError
    for attr, value in WRONG_RANK:
        with pytest.raises(TypeError) as info:
            dev.write_attribute(attr, value)
        assert str(info.value)
    assert_still_serving(dev)


def test_flat_sequence_to_an_image_and_ragged_image_are_refused(dev):
    for value in ([1.0, 2.0], [[1.0, 2.0], [3.0]]):
        with pytest.raises((TypeError, ValueError, DevFailed)) as info:
            dev.write_attribute("double_image", value)
        assert str(info.value)
    assert_still_serving(dev)


def test_writing_read_only_attributes(dev):
    for attr, value in (("short_scalar_ro", 1), ("double_scalar_rww", 1.0),
                        ("long_spectrum_ro", [1, 2]), ("uchar_image_ro", [[1, 2]])):
        with pytest.raises(DevFailed) as info:
            dev.write_attribute(attr, value)
        assert info.value.args[0].reason == "API_AttrNotWritable"
    assert_still_serving(dev)


def test_spectrum_and_image_over_their_maximum_size(dev):
    with pytest.raises(DevFailed) as info:
        dev.write_attribute("double_spectrum", np.zeros(4097))
    assert info.value.args[0].reason == "API_WAttrOutsideLimit"
    with pytest.raises(DevFailed) as info:
        dev.write_attribute("double_image", np.zeros((252, 10)))
    assert info.value.args[0].reason == "API_WAttrOutsideLimit"
    assert_still_serving(dev)


def test_nan_and_infinity(dev):
    # cppTango refuses NaN and infinities as attribute set points...
    for value in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(DevFailed) as info:
            dev.write_attribute("double_scalar_w", value)
        assert info.value.args[0].reason == "API_WAttrOutsideLimit"
    with pytest.raises(DevFailed):
        dev.write_attribute("double_spectrum", [1.0, float("nan")])
    # ...but commands carry them unchanged
    assert np.isnan(dev.DevDouble(float("nan")))
    assert dev.DevDouble(float("inf")) == float("inf")
    echoed = dev.DevVarDoubleArray([float("nan"), -float("inf"), 1.0])
    assert np.isnan(echoed[0]) and echoed[1] == -float("inf") and echoed[2] == 1.0
    assert np.isnan(dev.DevFloat(np.float32("nan")))
    assert_still_serving(dev)


def test_huge_arrays(dev):
    big = np.arange(2_000_000, dtype=np.float64)
    echoed = dev.DevVarDoubleArray(big)
    assert echoed.dtype == np.float64 and np.array_equal(echoed, big)
    many = [f"item-{i}" for i in range(20_000)]
    assert dev.DevVarStringArray(many) == many
    longs = np.arange(1_000_000, dtype=np.int64) - 500_000
    assert np.array_equal(dev.DevVarLong64Array(longs), longs)
    assert_still_serving(dev)


@pytest.mark.parametrize("text", ["日本語", "price: 5 €", "emoji \U0001F600", "lone \udcff surrogate"])
def test_text_outside_latin1_is_refused_cleanly(dev, text):
    with pytest.raises((ValueError, DevFailed)) as info:
        dev.write_attribute("string_scalar", text)
    assert str(info.value)
    with pytest.raises((ValueError, DevFailed)):
        dev.DevString(text)
    with pytest.raises((ValueError, DevFailed)):
        dev.DevVarStringArray(["fine", text])
    with pytest.raises((ValueError, DevFailed)):
        dev.write_attribute("string_spectrum", ["fine", text])
    assert_still_serving(dev)
    dev.write_attribute("string_scalar", "after")
    assert dev.read_attribute("string_scalar").value == "after"


# ---------------------------------------------------------------------------------------------
# Exceptions raised by the device
# ---------------------------------------------------------------------------------------------

def test_read_of_throw_exception(dev):
    with pytest.raises(DevFailed) as info:
        dev.read_attribute("throw_exception")
    error = info.value
    assert isinstance(error.args, tuple)
    assert len(error.args) >= 2
    assert all(isinstance(e, DevError) for e in error.args)
    first = error.args[0]
    assert first.reason == "exception test"
    assert first.desc == "here is the exception you requested"
    assert first.origin == "TangoTest::read_throw_exception"
    assert first.severity == ErrSeverity.ERR
    assert error.args[-1].reason == "API_AttributeFailed"
    assert_still_serving(dev)


def test_pythonic_read_of_throw_exception(dev):
    with pytest.raises(DevFailed) as info:
        dev.throw_exception
    assert info.value.args[0].reason == "exception test"


def test_attribute_without_value(dev):
    with pytest.raises(DevFailed) as info:
        dev.read_attribute("no_value")
    assert info.value.args[0].reason == "API_AttrValueNotSet"
    assert_still_serving(dev)


def test_dev_failed_subclasses():
    names = ["ConnectionFailed", "CommunicationFailed", "WrongNameSyntax", "NonDbDevice",
             "WrongData", "NonSupportedFeature", "AsynCall", "AsynReplyNotArrived",
             "EventSystemFailed", "DeviceUnlocked", "NotAllowed"]
    for name in names:
        cls = getattr(tango, name)
        assert issubclass(cls, DevFailed), name
        assert issubclass(cls, Exception)
    assert issubclass(DevFailed, Exception)


def test_except_throw_exception():
    with pytest.raises(DevFailed) as info:
        tango.Except.throw_exception("MyReason", "my description", "my_origin()")
    (error,) = info.value.args
    assert (error.reason, error.desc, error.origin) == ("MyReason", "my description", "my_origin()")
    assert error.severity == ErrSeverity.ERR
    with pytest.raises(DevFailed) as info:
        tango.Except.throw_exception("Warned", "d", "o", ErrSeverity.WARN)
    assert info.value.args[0].severity == ErrSeverity.WARN


def test_except_re_throw_exception_appends_to_the_stack():
    with pytest.raises(DevFailed) as first:
        tango.Except.throw_exception("Low", "low level", "low()")
    with pytest.raises(DevFailed) as second:
        tango.Except.re_throw_exception(first.value, "High", "high level", "high()")
    # as in cppTango, the newest error is the last one of the stack
    assert reasons(second.value) == ["Low", "High"]
    assert second.value.args[1].desc == "high level"


def test_except_python_exception_helpers():
    try:
        raise ValueError("boom")
    except ValueError as exc:
        converted = tango.Except.to_dev_failed(type(exc), exc, exc.__traceback__)
    assert isinstance(converted, DevFailed)
    assert converted.args[0].reason == "PyDs_PythonError"
    assert converted.args[0].desc == "ValueError: boom\n"  # the exception's text; its traceback:
    assert converted.args[0].origin.startswith("Traceback (most recent call last):")
    assert converted.args[0].origin.endswith("ValueError: boom\n")
    assert tango.Except.to_dev_failed(None, None, None).args[0].reason == "PyDs_BadPythonException"  # none handled
    with pytest.raises(DevFailed) as info:
        try:
            raise KeyError("missing-key")
        except KeyError:
            tango.Except.throw_python_exception()
    assert info.value.args[0].reason == "PyDs_PythonError"
    assert "missing-key" in info.value.args[0].desc


def test_dev_error_and_dev_failed_construction():
    error = DevError()
    error.reason, error.desc, error.origin = "R", "D", "O"
    error.severity = ErrSeverity.PANIC
    failed = DevFailed(error)
    assert failed.args[0].reason == "R"
    assert failed.args[0].severity == ErrSeverity.PANIC
    with pytest.raises(DevFailed):
        raise failed


# ---------------------------------------------------------------------------------------------
# Timeouts
# ---------------------------------------------------------------------------------------------

def test_command_timeout(tangotest):
    # TangoTest has no slow command; a 32 MB echo cannot make its round trip within 1 ms.
    dev = tango.DeviceProxy(tangotest.name)
    big = np.arange(4_000_000, dtype=np.float64)
    dev.set_timeout_millis(1)  # (how soon it fires: benchmarks/bench_timing.py, `make bench`)
    try:
        with pytest.raises(tango.CommunicationFailed) as info:
            dev.DevVarDoubleArray(big)
        assert "API_DeviceTimedOut" in reasons(info.value)
    finally:
        dev.set_timeout_millis(3000)
    # the same proxy works normally once the timeout is back to its default
    assert wait_for(lambda: _answers(dev), timeout=10)
    assert dev.DevDouble(2.5) == 2.5


def _answers(dev):
    try:
        dev.ping()
        return True
    except DevFailed:
        return False


# ---------------------------------------------------------------------------------------------
# Server killed and restarted under a live proxy
# ---------------------------------------------------------------------------------------------

def test_server_killed_and_restarted_on_the_same_port(tangotest):
    dev = tango.DeviceProxy(tangotest.name)
    dev.write_attribute("double_scalar_w", 3.0)
    assert dev.read_attribute("double_scalar_w").value == 3.0
    port = tangotest.port
    tangotest.kill()
    try:
        with pytest.raises((tango.ConnectionFailed, tango.CommunicationFailed)) as info:
            dev.read_attribute("double_scalar_w")
        assert all(isinstance(e, DevError) for e in info.value.args)
        # further calls keep failing cleanly (cppTango throttles reconnections to one a second)
        for call in (dev.ping, dev.state, lambda: dev.DevDouble(1.0)):
            with pytest.raises(DevFailed):
                call()
    finally:
        tangotest.restart()
    assert tangotest.port == port
    # the very same proxy reconnects by itself
    assert wait_for(lambda: _answers(dev), timeout=30, interval=0.1)
    assert dev.DevDouble(4.5) == 4.5
    dev.write_attribute("double_scalar_w", 6.0)
    assert dev.read_attribute("double_scalar_w").value == 6.0


def test_server_killed_while_a_thread_is_reading(tangotest):
    dev = tango.DeviceProxy(tangotest.name)
    dev.write_attribute("long_scalar_w", 77)
    stop = threading.Event()
    outcomes = {"ok": 0, "devfailed": 0, "other": []}

    def reader():
        for _ in range(100_000):
            if stop.is_set():
                return
            try:
                assert dev.read_attribute("long_scalar_w").value == 77
                outcomes["ok"] += 1
            except DevFailed:
                outcomes["devfailed"] += 1
            except Exception as exc:  # anything else is a failure of the binding
                outcomes["other"].append(repr(exc))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: outcomes["ok"] >= 20, timeout=10)
        tangotest.kill()
        assert wait_for(lambda: outcomes["devfailed"] >= 1, timeout=10)
    finally:
        stop.set()
        thread.join(timeout=15)
        tangotest.restart()
    assert not thread.is_alive()
    assert outcomes["other"] == []
    assert wait_for(lambda: _answers(dev), timeout=30, interval=0.1)
    dev.write_attribute("long_scalar_w", 78)
    assert dev.read_attribute("long_scalar_w").value == 78
