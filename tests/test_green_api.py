"""tango.green's API for code that makes its own green methods: the ``green`` decorator,
``get_object_executor``, ``get_object_green_mode``, on real calls to TangoTest."""

import asyncio
import concurrent.futures
import threading

import pytest

import tango
from tango import GreenMode
from tango.green import get_object_executor, get_object_green_mode, get_synchronous_executor, green


class Reader:
    """A user's class with green methods (as PyTango's own proxies are made)."""

    def __init__(self, name, mode=None):
        self.proxy = tango.DeviceProxy(name)
        self.mode = mode
        self.threads = []

    def get_green_mode(self):
        return self.mode

    @green
    def read(self, attribute):
        self.threads.append(threading.get_ident())
        return self.proxy.read_attribute(attribute).name

    @green(consume_green_mode=False)
    def mode_seen(self, green_mode=None):
        return green_mode


def test_synchronous_and_default_mode(tangotest):
    reader = Reader(tangotest.name)
    assert get_object_green_mode(reader) == tango.get_green_mode() == GreenMode.Synchronous
    assert get_object_executor(reader) is get_synchronous_executor()
    assert reader.read("long_scalar") == "long_scalar"
    assert reader.threads == [threading.get_ident()]
    assert get_object_green_mode(object()) == GreenMode.Synchronous
    # PyTango's executor class, by its tango.green name: calls in place, in the calling thread
    from tango.green import SynchronousExecutor

    executor = SynchronousExecutor()
    assert executor.execute(threading.get_ident) == threading.get_ident()
    assert executor.run(reader.read, ("double_scalar",)) == "double_scalar"


def test_futures_mode(tangotest):
    reader = Reader(tangotest.name, GreenMode.Futures)
    assert reader.read("long_scalar") == "long_scalar"
    future = reader.read("short_scalar", wait=False)
    assert isinstance(future, concurrent.futures.Future)
    assert future.result(30) == "short_scalar"
    assert threading.get_ident() not in reader.threads
    with pytest.raises(tango.DevFailed):
        reader.read("no_such_attribute")
    # green_mode= of one call wins over the object's, and is consumed unless asked otherwise
    assert reader.read("double_scalar", green_mode=GreenMode.Synchronous) == "double_scalar"
    assert reader.threads[-1] == threading.get_ident()
    assert reader.mode_seen(green_mode=GreenMode.Synchronous) == GreenMode.Synchronous


def test_asyncio_mode(tangotest):
    reader = Reader(tangotest.name, GreenMode.Asyncio)

    async def main():
        names = await asyncio.gather(reader.read("long_scalar"), reader.read("short_scalar"))
        return names, await reader.read("double_scalar")

    assert asyncio.run(main()) == (["long_scalar", "short_scalar"], "double_scalar")


def test_gevent_mode(tangotest):
    gevent = pytest.importorskip("gevent", reason="the gevent extra is not installed")
    reader = Reader(tangotest.name, GreenMode.Gevent)
    greenlets = [gevent.spawn(reader.read, n) for n in ("long_scalar", "short_scalar")]
    gevent.joinall(greenlets, timeout=30, raise_error=True)
    assert [g.value for g in greenlets] == ["long_scalar", "short_scalar"]
    assert isinstance(reader.read("double_scalar", wait=False), gevent.event.AsyncResult)
