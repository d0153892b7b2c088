"""PyTango's conventions of DeviceProxy that scripts rely on: the constructor's arguments, the
text of a proxy, the errors of a bad command argument, per-proxy executors."""

import asyncio
import concurrent.futures

import pytest

import tango
from tango import CmdArgType, GreenMode
from tango.test_context import DeviceTestContext

from _scripts import objects_left_in_traceback


def test_constructor_arguments(tangotest):
    checked = tango.DeviceProxy(tangotest.name, True)  # need_check_acc, positional as in PyTango
    unchecked = tango.DeviceProxy(tangotest.name, False)
    assert checked.dev_name() == unchecked.dev_name() == "sys/tg_test/1"
    assert unchecked.command_inout("DevLong", 3) == 3
    copy = tango.DeviceProxy(checked)
    assert copy.dev_name() == "sys/tg_test/1"
    with pytest.raises(TypeError, match="takes 1 or 2 arguments"):
        tango.DeviceProxy()
    with pytest.raises(TypeError, match="takes 1 or 2 arguments"):
        tango.DeviceProxy(tangotest.name, True, 3)
    with pytest.raises(TypeError, match="must be a str"):
        tango.DeviceProxy(42)
    with pytest.raises(TypeError):
        tango.DeviceProxy(tangotest.name, wait=True)  # wait belongs to the green factories


def test_proxy_text_names_the_device_class_and_asks_once(tangotest):
    dev = tango.DeviceProxy(tangotest.name)
    calls = []
    original = type(dev).info

    class Counting(tango.DeviceProxy):
        def info(self):
            calls.append(1)
            return original(self)

    counted = Counting(tangotest.name)
    assert repr(counted) == str(counted) == "TangoTest(sys/tg_test/1)"
    assert repr(counted) == "TangoTest(sys/tg_test/1)"
    assert len(calls) == 1

    class Broken(tango.DeviceProxy):
        def info(self):
            raise RuntimeError("no info")

    assert repr(Broken(tangotest.name)) == "Device(sys/tg_test/1)"


def test_proxy_text_in_a_running_loop_makes_no_pending_call(tangotest):
    async def main():
        dev = tango.DeviceProxy(tangotest.name, green_mode=GreenMode.Asyncio)
        return repr(dev)

    with _no_never_awaited():
        assert asyncio.run(main()) == "TangoTest(sys/tg_test/1)"


class _no_never_awaited:
    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        self.seen = self._catch.__enter__()
        warnings.simplefilter("always")

    def __exit__(self, *exc):
        import gc

        gc.collect()
        self._catch.__exit__(*exc)
        assert not [w for w in self.seen if "never awaited" in str(w.message)]


@pytest.mark.parametrize("command, argument, in_type", [
    ("DevDouble", "123.0", CmdArgType.DevDouble),
    ("DevLong64", [1, 2, 3], CmdArgType.DevLong64),
    ("DevString", [{"invalid": "type"}, 123.0], CmdArgType.DevString),
    ("DevVarStringArray", [1, 2, 3], CmdArgType.DevVarStringArray),
    ("DevVarLong64Array", ["1", 2.0, {3}], CmdArgType.DevVarLong64Array),
])
def test_a_command_argument_that_does_not_convert_is_a_type_error_naming_it(tangotest, command, argument, in_type):
    dev = tango.DeviceProxy(tangotest.name)
    with pytest.raises(TypeError) as raised:
        dev.command_inout(command, argument)
    assert str(raised.value) == (f"Invalid input argument for command {command}: {argument!r} cannot be converted "
                                 f"to type {in_type}")
    assert isinstance(raised.value.__cause__, TypeError)  # the conversion's own words
    assert dev.command_inout("DevDouble", 1.5) == 1.5  # the proxy goes on


class _CountingExecutor:
    """A user's executor of the PyTango kind: run(fn, args, kwargs, wait=, timeout=)."""

    def __init__(self):
        self.calls = []
        self.pool = concurrent.futures.ThreadPoolExecutor(2)

    def run(self, fn, args=(), kwargs=None, wait=None, timeout=None):
        self.calls.append(getattr(fn, "__name__", fn))
        future = self.pool.submit(fn, *args, **(kwargs or {}))
        return future if wait is False else future.result(timeout)


def test_a_proxy_uses_its_own_executor_where_given(tangotest):
    mine = _CountingExecutor()
    dev = tango.DeviceProxy(tangotest.name, green_mode=GreenMode.Futures, executor=mine)
    assert dev.command_inout("DevLong", 5) == 5
    assert dev.read_attribute("long_scalar_w").name == "long_scalar_w"  # the compiled read too
    assert dev.state() == tango.DevState.RUNNING
    assert mine.calls == ["command_inout", "read_attribute", "state"]
    assert isinstance(dev.state(wait=False), concurrent.futures.Future)
    other = tango.DeviceProxy(tangotest.name, green_mode=GreenMode.Futures)
    assert other.state() == tango.DevState.RUNNING
    assert len(mine.calls) == 4  # the other proxy uses the mode's executor
    sync = tango.DeviceProxy(tangotest.name, executor=mine)
    assert sync.state() == tango.DevState.RUNNING  # Synchronous: in place, no executor
    assert len(mine.calls) == 4
    mine.pool.shutdown()


def test_an_asyncio_proxy_with_its_own_executor_reads_through_it(tangotest):
    seen = []

    class LoopExecutor:
        def run(self, fn, args=(), kwargs=None, wait=None, timeout=None):
            seen.append(fn.__name__)
            loop = asyncio.get_running_loop()
            return loop.run_in_executor(None, lambda: fn(*args, **(kwargs or {})))

    async def main():
        dev = tango.DeviceProxy(tangotest.name, green_mode=GreenMode.Asyncio, asyncio_executor=LoopExecutor())
        return (await dev.read_attribute("long_scalar_w")).name

    assert asyncio.run(main()) == "long_scalar_w"
    assert seen == ["read_attribute"]


def test_api_util_answers_what_cpptango_knows(monkeypatch):
    api = tango.ApiUtil.instance()
    monkeypatch.setenv("PYTANGO_TEST_SETTING", "abc")
    assert tango.ApiUtil.get_env_var("PYTANGO_TEST_SETTING") == "abc"
    assert tango.ApiUtil.get_env_var("PYTANGO_TEST_NOT_SET") is None
    addresses = api.get_ip_from_if()
    assert addresses and all(isinstance(a, str) and a.count(".") == 3 for a in addresses)
    assert isinstance(api.get_user_connect_timeout(), int)
    assert isinstance(api.in_server(), bool)
    assert isinstance(api.is_zmq_event_consumer_created(), bool)
    assert api.is_notifd_event_consumer_created() is False
    for call in (api.query_event_system, api.enable_event_system_perf_mon):
        with pytest.raises(tango.DevFailed, match="needs cppTango 10.1"):
            call()


def test_import_info_of_a_device_without_a_database_is_a_devfailed(tangotest):
    dev = tango.DeviceProxy(tangotest.name)
    with pytest.raises(tango.DevFailed):
        dev.import_info()
    assert dev.state() == tango.DevState.RUNNING


def test_telemetry_calls_exist_and_say_it_is_off(tangotest):
    dev = tango.DeviceProxy(tangotest.name)
    assert dev.is_telemetry_enabled() is False
    assert tango.constants.TELEMETRY_SUPPORTED is tango._tango._telemetry.TELEMETRY_ENABLED is False
    for call in (dev.start_telemetry, dev.get_telemetry_topics, dev.get_telemetry_logging_endpoints):
        with pytest.raises(tango.NonSupportedFeature, match="telemetry is off"):
            call()
    with pytest.raises(tango.NonSupportedFeature, match="set_telemetry_tracing: telemetry is off"):
        dev.set_telemetry_tracing(True)


def test_a_device_answers_its_telemetry_questions_as_without_telemetry():
    from tango.server import Device, command

    class Quiet(Device):
        @command(dtype_out=(str,))
        def answers(self):
            tracer = self.get_telemetry_tracer()
            with tracer.start_as_current_span("work"):
                pass
            return [str(self._is_telemetry_enabled()), str(self._check_telemetry_topic("all")),
                    str(self._is_telemetry_tracing_enabled()), str(self._get_telemetry_tracing_endpoints())]

    with DeviceTestContext(Quiet) as proxy:
        assert list(proxy.answers()) == ["False", "False", "False", "[]"]


def test_a_pickled_proxy_reconnects_by_its_full_name(tangotest):
    import pickle

    dev = tango.DeviceProxy(tangotest.name)
    assert dev.__getstate__() == {"name": dev.get_full_name()}
    again = pickle.loads(pickle.dumps(dev))
    assert again.dev_name() == dev.dev_name() and again.state() == tango.DevState.RUNNING


def test_raise_asynch_exception_reaches_another_thread():
    import threading

    class Stop(Exception):
        pass

    started, caught = threading.Event(), []

    def work():
        started.set()
        try:
            while True:
                threading.Event().wait(0.01)
        except Stop:
            caught.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    assert started.wait(5)
    assert tango.raise_asynch_exception(thread.ident, Stop) == 1
    thread.join(5)
    assert caught == [True] and not thread.is_alive()
    assert tango.raise_asynch_exception(2 ** 40, Stop) == 0  # no such thread
    with pytest.raises(TypeError, match="exception class"):
        tango.raise_asynch_exception(thread.ident, "Stop")


def test_std_named_dev_failed_vector_is_a_list_of_named_dev_failed():
    failed = tango.NamedDevFailed("level", 0, [tango.DevError()])
    vector = tango.StdNamedDevFailedVector([failed])
    assert vector[0].name == "level" and len(vector) == 1
    assert repr(vector).startswith("[") and repr(vector).endswith("]")


def test_a_proxy_whose_creation_failed_is_safe_to_look_at():
    import pickle

    # a traceback report (pytest's) shows the half-built proxy: as PyTango, it is there...
    half_built = objects_left_in_traceback(
        lambda: tango.DeviceProxy("tango://127.0.0.1:1/no/such/device"),  # a database that is not there
        tango.DeviceProxy)
    assert half_built
    proxy = half_built[0]
    # ...its text says what it is, and nothing done with it can crash the process
    assert repr(proxy) == str(proxy) == "DeviceProxy<Unknown Device>(<object was not fully initialized>)"
    for touch in (lambda: dir(proxy), lambda: proxy.anything, lambda: setattr(proxy, "anything", 1),
                  lambda: proxy["anything"], lambda: proxy.__setitem__("anything", 1), lambda: "anything" in proxy,
                  lambda: pickle.dumps(proxy)):
        with pytest.raises(RuntimeError, match="not fully initialized"):
            touch()
    for call in (proxy.state, proxy.ping, lambda: proxy.read_attribute("anything"), proxy.info):
        with pytest.raises(tango.DevFailed):  # its compiled side reaches no device
            call()
