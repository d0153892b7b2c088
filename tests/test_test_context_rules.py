"""What a test context refuses, and how it stores what a file database cannot hold: bad
devices_info, a property that is an empty list, empty strings, a server that does not stop."""

import time

import numpy as np
import pytest

from tango import GreenMode
from tango.server import Device, attribute, device_property
from tango.test_context import DeviceTestContext, MultiDeviceTestContext
from tango.test_utils import ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl


class First(Device):
    pass


class Second(Device):
    pass


@pytest.mark.parametrize("devices_info, error, words", [
    ((), IndexError, "empty"),
    (({"klass": First, "devices": [{"name": "a/b/1"}]},), KeyError, "class"),
    (({"class": First, "device": [{"name": "a/b/1"}]},), KeyError, "devices"),
    (({"class": First, "devices": [{"nam": "a/b/1"}]},), KeyError, "name"),
    (({"class": First, "devices": [{"name": "a/b/1"}]}, {"class": First, "devices": [{"name": "a/b/2"}]}),
     ValueError, "appears twice"),
    (({"class": First, "devices": [{"name": "a/b/1"}]},
      {"class": (ClassicAPISimpleDeviceClass, ClassicAPISimpleDeviceImpl), "devices": [{"name": "a/b/2"}]}),
     ValueError, "mixes classic"),
], ids=["empty", "no class", "no devices", "no name", "twice", "classic and high-level"])
def test_bad_devices_info_is_refused_before_any_server_starts(devices_info, error, words):
    with pytest.raises(error, match=words):
        MultiDeviceTestContext(devices_info)


def test_two_classes_of_one_kind_are_served():
    devices_info = ({"class": First, "devices": [{"name": "a/first/1"}]},
                    {"class": Second, "devices": [{"name": "a/second/1"}]})
    with MultiDeviceTestContext(devices_info, process=True) as context:
        assert [context.get_device(n).info().dev_class for n in ("a/first/1", "a/second/1")] == ["First", "Second"]


class Texts(Device):
    one = device_property(dtype=str)
    many = device_property(dtype=(str,))

    @attribute(dtype=str)
    def read_one(self):
        return self.one

    @attribute(dtype=(str,), max_dim_x=4)
    def read_many(self):
        return self.many


@pytest.mark.parametrize("many", [["", "x"], ("", "x"), np.array(["", "x"])], ids=["list", "tuple", "numpy"])
def test_empty_strings_are_stored_as_one_space(many):
    # a file database has no empty string: it reads back as one space, as with PyTango
    with DeviceTestContext(Texts, properties={"one": "", "many": many}, process=True) as proxy:
        assert proxy.read_one == " "
        assert proxy.read_many == (" ", "x")


def test_an_empty_list_property_is_refused_clearly():
    with pytest.raises(RuntimeError, match="property many of .*empty list cannot be stored in the FileDatabase"):
        DeviceTestContext(Texts, properties={"many": []}, process=True).start()


class StuckOnExit(Device):
    def delete_device(self):
        while True:
            time.sleep(0.05)


def test_a_child_server_that_does_not_stop_is_killed_and_reported():
    context = DeviceTestContext(StuckOnExit, process=True)
    context.start()
    assert context.thread.is_alive() and not context.thread.daemon
    context.timeout = 0.5
    with pytest.raises(RuntimeError, match="failed to exit cleanly within 0.5 s.*kill subprocess"):
        context.stop()
    assert not context.thread.is_alive()


class AsyncReader(Device):
    @attribute(dtype=int)
    async def value(self):
        return 3


@pytest.mark.filterwarnings("error")
def test_a_synchronous_device_run_in_asyncio_mode_is_deprecated():
    with pytest.warns(DeprecationWarning, match="First is run in Asyncio green mode but has no async methods"):
        with DeviceTestContext(First, green_mode=GreenMode.Asyncio, process=True) as proxy:
            proxy.ping()
    # a class with coroutines, or one that names its own mode, is not warned about
    with DeviceTestContext(AsyncReader, green_mode=GreenMode.Asyncio, process=True) as proxy:
        assert proxy.value == 3


def test_the_worker_is_pytangos_executor_of_the_device_code():
    from tango.device_server import get_worker
    from tango.green import SynchronousExecutor
    from tango.server.green import server_worker

    # (a green server may run in this process: the first test context runs in a thread of it)
    if server_worker() is None:
        assert type(get_worker()) is SynchronousExecutor
    assert get_worker() is get_worker()
