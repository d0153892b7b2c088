"""PyTango's executor API (tango.asyncio_executor, tango.futures_executor,
tango.gevent_executor): executors that run real Tango calls the way their green mode does."""

import asyncio
import os
import threading
import time
import warnings

import pytest

import tango
from tango import asyncio_executor, futures_executor


@pytest.fixture(autouse=True)
def fresh_global_executors():
    saved = asyncio_executor._GLOBAL._executor, futures_executor._GLOBAL._executor
    yield
    asyncio_executor._GLOBAL._executor, futures_executor._GLOBAL._executor = saved


def test_asyncio_executor_as_ophyd_async_uses_it(tangotest):
    # The pattern of ophyd-async's Tango transport: make sure the global executor belongs to
    # the running loop, then make calls.
    async def main():
        current = asyncio_executor.get_global_executor()
        if not current.in_executor_context() or current.loop is not asyncio.get_running_loop():
            asyncio_executor.set_global_executor(asyncio_executor.AsyncioExecutor())
        executor = asyncio_executor.get_global_executor()
        assert executor.loop is asyncio.get_running_loop() and executor.in_executor_context()
        proxy = tango.DeviceProxy(tangotest.name)
        attr = await executor.delegate(proxy.read_attribute, "double_scalar")
        loop_thread = threading.get_ident()

        async def on_loop(value):
            return value * 2, threading.get_ident() == loop_thread

        # submit from another thread: the coroutine runs on the loop
        doubled = await asyncio.get_running_loop().run_in_executor(
            None, lambda: executor.submit(on_loop, 21).result(10))
        return attr.name, doubled, await executor.execute(on_loop, 1)

    name, doubled, executed = asyncio.run(main())
    assert name == "double_scalar" and doubled == (42, True) and executed == (2, True)


def test_asyncio_executor_run_outside_the_loop(tangotest):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # new_event_loop as the thread's loop
        executor = asyncio_executor.AsyncioExecutor()
    try:
        proxy = tango.DeviceProxy(tangotest.name)
        future = executor.run(proxy.read_attribute, ("short_scalar",))  # default: no wait
        assert isinstance(future, asyncio.Future)
        assert executor.access(future, timeout=30).name == "short_scalar"
        assert executor.run(proxy.ping, wait=True) > 0
        with pytest.raises(tango.DevFailed):
            executor.run(proxy.read_attribute, ("no_such_attribute",), wait=True)
        # a plain function handed to the loop is deprecated, as in PyTango, and still runs
        def plain_function_for_the_asyncio_executor():
            return 5

        with pytest.warns(DeprecationWarning, match="async def"):
            assert executor.loop.run_until_complete(
                executor.execute(plain_function_for_the_asyncio_executor)) == 5
    finally:
        executor.loop.close()
        asyncio.set_event_loop(None)


def test_futures_executor(tangotest):
    executor = futures_executor.get_global_executor()
    assert isinstance(executor, futures_executor.FuturesExecutor)
    assert futures_executor.get_global_executor() is executor
    proxy = tango.DeviceProxy(tangotest.name)
    assert executor.run(proxy.read_attribute, ("long_scalar",)).name == "long_scalar"
    future = executor.run(proxy.read_attribute, ("double_scalar",), wait=False)
    assert executor.access(future, timeout=30).name == "double_scalar"
    with pytest.raises(tango.DevFailed):
        executor.run(proxy.command_inout, ("NoSuchCommand",))
    # outside the thread that made it, an executor calls in place
    other = []
    thread = threading.Thread(target=lambda: other.append(executor.run(threading.get_ident)))
    thread.start()
    thread.join(10)
    assert other == [thread.ident]
    mine = futures_executor.FuturesExecutor(max_workers=2)
    futures_executor.set_global_executor(mine)
    assert futures_executor.get_global_executor() is mine


def test_gevent_executor(tangotest):
    gevent = pytest.importorskip("gevent", reason="the gevent extra is not installed")
    from tango import gevent_executor

    executor = gevent_executor.GeventExecutor()
    proxy = tango.DeviceProxy(tangotest.name)
    assert executor.run(proxy.read_attribute, ("long_scalar",)).name == "long_scalar"
    result = executor.run(proxy.read_attribute, ("short_scalar",), wait=False)
    assert isinstance(result, gevent.event.AsyncResult)
    assert executor.access(result, timeout=30).name == "short_scalar"
    # execute from another thread: runs in the hub's thread while the hub runs here
    hub_thread = threading.get_ident()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(executor.execute(threading.get_ident)))
    thread.start()
    deadline = time.monotonic() + 30
    while thread.is_alive() and time.monotonic() < deadline:
        gevent.sleep(0.01)  # the hub runs the handed call meanwhile
    assert seen == [hub_thread]


@pytest.mark.parametrize("mode", list(tango.GreenMode))
def test_client_executors_have_pytangos_executor_attributes(mode):
    executor = tango.green.get_executor(mode)
    assert executor.asynchronous is (mode != tango.GreenMode.Synchronous)
    # PyTango's defaults: an asyncio call gives its future, the others wait for the value
    assert executor.default_wait is (mode != tango.GreenMode.Asyncio)
    # Unless a green server of this mode runs in this process (the first test context of the
    # process may have run in it), no thread owns the mode's calls: every thread drives its own.
    from tango.server.green import server_worker

    worker = server_worker()
    owned = worker is not None and worker.mode == mode
    seen = []
    thread = threading.Thread(target=lambda: seen.append(executor.in_executor_context()))
    thread.start()
    thread.join()
    assert seen == [not owned] and executor.in_executor_context() is (not owned)
    assert executor.get_ident() == ((worker.thread.ident if owned else threading.get_ident()), os.getpid())
