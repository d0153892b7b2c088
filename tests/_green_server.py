"""Test servers in a given green mode, and the proof that their device code runs in it.

A server suite runs in every server green mode through the module-scoped ``server_mode`` fixture
of conftest.py: a module's server fixtures take it as a parameter and start their servers with
``GreenDeviceTestContext(cls, server_mode, ...)`` (or ``GreenMultiDeviceTestContext``), which
pass ``green_mode=`` to the test context and, once the server is up, ask every device where its
code ran. The device classes derive from ``GreenModeProbe``, whose attribute and command report,
from inside the server, what runs them: a cppTango request thread (Synchronous), the Futures
worker thread, a task of the Asyncio worker's running loop, or a greenlet of the Gevent worker's
hub (tango/server/green.py). A server whose device code does not run where its mode says fails
its fixture, so every test of the module fails with it.
"""

import sys
import threading

from tango import DeviceProxy, GreenMode
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext, MultiDeviceTestContext

SERVER_MODES = list(GreenMode)


def seen_green_mode():
    """The name of the green mode whose worker runs the calling device code, as this code sees
    it (the thread, the running asyncio loop and task, the current greenlet), or a description
    of what runs it when that matches no mode."""
    from tango.server import green

    worker = green.server_worker()
    thread = threading.current_thread()
    asyncio = sys.modules.get("asyncio")
    loop = asyncio._get_running_loop() if asyncio is not None else None
    task = asyncio.current_task(loop) if loop is not None else None
    gevent = sys.modules.get("gevent")
    current = gevent.getcurrent() if gevent is not None else None
    greenlet = current if gevent is not None and isinstance(current, gevent.Greenlet) else None
    on_worker = worker is not None and thread is worker.thread
    if worker is None and loop is None and greenlet is None:
        return GreenMode.Synchronous.name  # in place, on the cppTango thread of the request
    if on_worker and worker.mode == GreenMode.Futures and loop is None and greenlet is None:
        return GreenMode.Futures.name
    if on_worker and worker.mode == GreenMode.Asyncio and loop is worker.loop and task is not None:
        return GreenMode.Asyncio.name
    if on_worker and worker.mode == GreenMode.Gevent and greenlet is not None \
            and greenlet.parent is worker.hub:
        return GreenMode.Gevent.name
    return (f"no mode: worker {getattr(worker, 'mode', None)}, thread {thread.name}, "
            f"loop {loop!r}, task {task!r}, greenlet {current!r}")


class GreenModeProbe(Device):
    """The base of the device classes of the server suites: the device tells which green mode
    runs its attribute reads and its commands."""

    @attribute(dtype=str)
    def green_mode_seen(self):
        return seen_green_mode()

    @command(dtype_out=str)
    def GreenModeSeen(self):
        return seen_green_mode()


def assert_runs_in(proxy, mode):
    """The device behind ``proxy`` runs its reads and commands in green mode ``mode``."""
    seen = (proxy.read_attribute("green_mode_seen").value, proxy.command_inout("GreenModeSeen"))
    assert seen == (mode.name, mode.name), (
        f"{proxy.dev_name()} of a {mode.name} server: its read ran in {seen[0]!r}, its command "
        f"in {seen[1]!r}")


class _ChecksGreenMode:
    """A test context of a green mode that checks, once its server is up, that every device's
    code runs in that mode."""

    def _check_classes(self, green_mode):
        if green_mode is None:
            raise TypeError("give the green mode the server must run in")
        for info in self.devices_info:
            if not issubclass(info["class"], GreenModeProbe):
                raise TypeError(f"{info['class'].__name__} must derive from GreenModeProbe: the "
                                "server suites check the green mode of every device")

    def start(self):
        super().start()
        try:
            for info in self.devices_info:
                for device in info["devices"]:
                    assert_runs_in(DeviceProxy(self.get_device_access(device["name"])),
                                   GreenMode(self.green_mode))
        except BaseException:
            self.stop()
            raise
        return self


class GreenDeviceTestContext(_ChecksGreenMode, DeviceTestContext):
    """DeviceTestContext(device, green_mode=mode, ...) whose device proves it runs in mode."""

    def __init__(self, device, green_mode, **kwargs):
        super().__init__(device, green_mode=green_mode, **kwargs)
        self._check_classes(green_mode)


class GreenMultiDeviceTestContext(_ChecksGreenMode, MultiDeviceTestContext):
    """MultiDeviceTestContext(devices_info, green_mode=mode, ...) whose devices prove they run
    in mode."""

    def __init__(self, devices_info, green_mode, **kwargs):
        super().__init__(devices_info, green_mode=green_mode, **kwargs)
        self._check_classes(green_mode)
