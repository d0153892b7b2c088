"""Errors in device code reach the client as DevFailed, and the device keeps serving."""

import pytest

import tango
from tango import AttrWriteType, DevFailed, DevState
from tango.server import attribute, command

from _green_server import GreenDeviceTestContext, GreenModeProbe


class Faulty(GreenModeProbe):
    def init_device(self):
        self.set_state(DevState.ON)
        self._hook_fails = False

    def always_executed_hook(self):
        if self._hook_fails:
            self._hook_fails = False
            raise RuntimeError("hook failed once")

    @attribute(dtype=float)
    def read_raises(self):
        raise ValueError("sensor unplugged")

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def write_raises(self):
        return 0.0

    @write_raises.setter
    def write_raises(self, value):
        raise RuntimeError(f"cannot write {value} now")

    @command
    def command_raises(self):
        raise KeyError("missing key")

    @command(dtype_in=int, dtype_out=int)
    def command_with_arg_raises(self, x):
        return 1 // x

    @attribute(dtype=float)
    def raises_devfailed(self):
        tango.Except.throw_exception("MyReason", "my description", "Faulty.raises_devfailed")

    @command
    def command_raises_devfailed(self):
        tango.Except.throw_exception("CmdReason", "command description", "Faulty.cmd")

    @attribute(dtype=float)
    def wrong_type(self):
        return "not a number"

    @attribute(dtype=int)
    def wrong_type_int(self):
        return [1, 2]

    @attribute(dtype=(float,), max_dim_x=3)
    def wrong_type_spectrum(self):
        return ["a", "b"]

    @attribute(dtype=(float,), max_dim_x=3)
    def too_long(self):
        return [1.0, 2.0, 3.0, 4.0]

    @attribute(dtype=((float,),), max_dim_x=2, max_dim_y=2)
    def image_too_big(self):
        return [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]

    @attribute(dtype=str)
    def wrong_type_str(self):
        return 12

    @attribute(dtype=float)
    def returns_none(self):
        return None

    @command(dtype_out=int)
    def wrong_result(self):
        return "text"

    @command(dtype_out=(float,))
    def wrong_array_result(self):
        return ["x", "y"]

    @command(dtype_out=str)
    def wrong_str_result(self):
        return object()

    @command(dtype_out=int)
    def none_result(self):
        return None

    @command
    def arm_hook(self):
        self._hook_fails = True

    @attribute(dtype=float)
    def allowed_raises(self):
        return 1.0

    def is_allowed_raises_allowed(self, request):
        raise RuntimeError("is_allowed failed")

    @attribute(dtype=float)
    def healthy(self):
        return 42.0


@pytest.fixture(scope="module")
def proxy(server_mode):
    with GreenDeviceTestContext(Faulty, server_mode, debug=0) as proxy:
        yield proxy


def _still_serving(proxy):
    assert proxy.healthy == 42.0
    assert proxy.state() == DevState.ON


def _first_error(info):
    return info.value.args[0]


@pytest.mark.parametrize("action,exception_text", [
    (lambda p: p.read_raises, "ValueError: sensor unplugged"),
    (lambda p: p.read_attribute("read_raises"), "ValueError: sensor unplugged"),
    (lambda p: setattr(p, "write_raises", 2.0), "RuntimeError: cannot write 2.0 now"),
    (lambda p: p.write_attribute("write_raises", 3.0), "RuntimeError: cannot write 3.0 now"),
    (lambda p: p.command_raises(), "KeyError: 'missing key'"),
    (lambda p: p.command_with_arg_raises(0), "ZeroDivisionError: integer division or modulo by zero"),
], ids=["read", "read_attribute", "write", "write_attribute", "command", "command_with_arg"])
def test_python_exceptions_become_python_errors(proxy, action, exception_text):
    with pytest.raises(DevFailed) as info:
        action(proxy)
    error = _first_error(info)
    assert error.reason == "PyDs_PythonError"
    assert "Traceback (most recent call last)" in error.desc
    assert exception_text in error.desc
    assert "test_server_errors.py" in error.desc  # the frame of the device code
    assert error.severity == tango.ErrSeverity.ERR
    _still_serving(proxy)


def test_devfailed_raised_by_the_device_keeps_its_reason(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.raises_devfailed
    reasons = [e.reason for e in info.value.args]
    assert reasons[0] == "MyReason"
    assert info.value.args[0].desc == "my description"
    assert info.value.args[0].origin == "Faulty.raises_devfailed"
    with pytest.raises(DevFailed) as info:
        proxy.command_raises_devfailed()
    assert (info.value.args[0].reason, info.value.args[0].desc) == ("CmdReason", "command description")
    _still_serving(proxy)


@pytest.mark.parametrize("name,reason,text", [
    ("wrong_type", "PyDs_WrongPythonDataType", "'not a number'"),
    ("wrong_type_int", "PyDs_WrongPythonDataType", "[1, 2]"),
    ("wrong_type_spectrum", "PyDs_WrongPythonDataType", "['a', 'b']"),
    ("wrong_type_str", "PyDs_WrongPythonDataType", "12"),
    ("too_long", "API_AttrOptProp", "exceeds"),
    ("image_too_big", "API_AttrOptProp", "exceeds"),
])
def test_read_of_the_wrong_type_is_an_error_and_the_server_keeps_serving(proxy, name, reason, text):
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute(name)
    assert [e.reason for e in info.value.args] == [reason, "API_AttributeFailed"]
    assert text in info.value.args[0].desc
    with pytest.raises(DevFailed):
        getattr(proxy, name)
    _still_serving(proxy)


def test_read_returning_none_gives_no_value(proxy):
    with pytest.raises(DevFailed) as info:
        proxy.returns_none
    assert info.value.args[0].reason == "API_AttrValueNotSet"
    _still_serving(proxy)


@pytest.mark.parametrize("name", ["wrong_result", "wrong_array_result", "wrong_str_result",
                                  "none_result"])
def test_command_result_of_the_wrong_type_is_an_error(proxy, name):
    with pytest.raises(DevFailed) as info:
        proxy.command_inout(name)
    assert [e.reason for e in info.value.args] == ["PyDs_WrongPythonDataType", "API_CommandFailed"]
    _still_serving(proxy)


def test_errors_in_hooks_and_is_allowed(proxy):
    proxy.arm_hook()
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("healthy")
    assert "hook failed once" in str(info.value)
    _still_serving(proxy)
    with pytest.raises(DevFailed) as info:
        proxy.allowed_raises
    assert "is_allowed failed" in str(info.value)
    _still_serving(proxy)


def test_many_errors_in_a_row_do_not_wear_the_server(proxy):
    for _ in range(200):
        with pytest.raises(DevFailed):
            proxy.read_raises
        with pytest.raises(DevFailed):
            proxy.wrong_result()
    _still_serving(proxy)


def test_error_in_init_device_and_in_init_command(server_mode):
    class BrokenInit(GreenModeProbe):
        def init_device(self):
            raise RuntimeError("no hardware")

    with pytest.raises(DevFailed, match="RuntimeError: no hardware"):  # the server's start-up error
        with GreenDeviceTestContext(BrokenInit, server_mode, debug=0, timeout=20):
            pass

    class BrokenReinit(GreenModeProbe):
        def init_device(self):
            self._inits = getattr(self, "_inits", 0) + 1
            if self._inits > 1:
                raise RuntimeError("second init fails")
            self.set_state(DevState.ON)

        @attribute(dtype=int)
        def inits(self):
            return self._inits

    with GreenDeviceTestContext(BrokenReinit, server_mode, debug=0) as proxy:
        with pytest.raises(DevFailed) as info:
            proxy.Init()
        assert "second init fails" in str(info.value)
        assert proxy.inits == 2  # the device object is still there and answers


def test_error_in_dev_state(server_mode):
    class BadState(GreenModeProbe):
        def dev_state(self):
            raise RuntimeError("cannot tell")

        @attribute(dtype=int)
        def value(self):
            return 1

    with GreenDeviceTestContext(BadState, server_mode, debug=0) as proxy:
        for ask in (lambda: proxy.command_inout("State"), lambda: proxy.read_attribute("State")):
            with pytest.raises(DevFailed) as info:
                ask()
            assert info.value.args[0].reason == "PyDs_PythonError"
            assert "RuntimeError: cannot tell" in info.value.args[0].desc
        with pytest.raises(DevFailed):
            proxy.state()  # cppTango's CORBA state attribute: an IMP_LIMIT system exception
        assert proxy.value == 1
