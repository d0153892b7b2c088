"""A quick end-to-end pass: the C++ TangoTest device and one Python device, basic round trips."""

import os
import socket
import subprocess
import time

import numpy as np
import pytest

import tango
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

TANGOTEST = "/usr/lib/tango/TangoTest"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tangotest_name():
    if not os.path.exists(TANGOTEST):
        pytest.skip("Debian's tango-test package is not installed (make test installs it)")
    port = _free_port()
    proc = subprocess.Popen([TANGOTEST, "test", "-nodb", "-dlist", "sys/tg_test/1",
                             "-ORBendPoint", f"giop:tcp:127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name = f"tango://127.0.0.1:{port}/sys/tg_test/1#dbase=no"
    deadline = time.monotonic() + 30
    while True:
        try:
            tango.DeviceProxy(name).ping()
            break
        except tango.DevFailed:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.02)
    yield name
    proc.terminate()
    proc.wait(10)


def test_tangotest_scalar_and_spectrum_round_trip(tangotest_name):
    dev = tango.DeviceProxy(tangotest_name)
    assert dev.state() == tango.DevState.RUNNING
    dev.double_scalar_w = 3.25
    assert dev.read_attribute("double_scalar_w").w_value == 3.25
    dev.long_spectrum = [1, 2, 3]
    value = dev.read_attribute("long_spectrum").value
    assert value.dtype == np.int32
    assert value.tolist() == [1, 2, 3]
    assert dev.DevString("café") == "café"
    assert dev.DevVarDoubleArray([1.5, 2.5]).tolist() == [1.5, 2.5]


def test_python_device_round_trip():
    class Smoke(Device):
        def init_device(self):
            self._value = 1.5
            self.set_state(tango.DevState.ON)

        @attribute(dtype=float)
        def value(self):
            return self._value

        @value.setter
        def value(self, v):
            self._value = v

        @command(dtype_in=(float,), dtype_out=float)
        def total(self, values):
            return float(sum(values))

    with DeviceTestContext(Smoke, debug=0) as proxy:
        assert proxy.state() == tango.DevState.ON
        assert proxy.value == 1.5
        proxy.value = 4.0
        assert proxy.value == 4.0
        assert proxy.total([1.0, 2.0, 3.5]) == 6.5
