"""Shared fixtures: the C++ TangoTest device server, started without a database."""

import os
import socket
import subprocess
import time

import pytest

import tango

TANGOTEST = "/usr/lib/tango/TangoTest"


def wait_for(predicate, timeout=10.0, interval=0.01):
    """Poll a condition until it holds or the deadline passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TangoTestServer:
    """Debian's C++ TangoTest on a loopback port; can be killed and started again."""

    def __init__(self):
        self.port = _free_port()
        self.name = f"tango://127.0.0.1:{self.port}/sys/tg_test/1#dbase=no"
        self.proc = None

    def start(self, timeout=30):
        self.proc = subprocess.Popen(
            [TANGOTEST, "test", "-nodb", "-dlist", "sys/tg_test/1", "-ORBendPoint",
             f"giop:tcp:127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def answers():
            if self.proc.poll() is not None:
                raise RuntimeError(f"TangoTest exited with {self.proc.returncode}")
            try:
                tango.DeviceProxy(self.name).ping()
                return True
            except tango.DevFailed:
                return False

        if not wait_for(answers, timeout):
            self.stop()
            raise RuntimeError("TangoTest did not answer in time")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None


@pytest.fixture(scope="session")
def tangotest():
    if not os.path.exists(TANGOTEST):
        pytest.skip("Debian's tango-test package is not installed (make test installs it)")
    server = TangoTestServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def dev(tangotest):
    return tango.DeviceProxy(tangotest.name)


# The fixtures PyTango users import from tango.test_utils.
from tango.test_utils import client_green_mode, server_green_mode, state, typed_values  # noqa: E402,F401
