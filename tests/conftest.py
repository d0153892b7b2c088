"""Fixtures shared by the client tests: Debian's C++ TangoTest device server, run without a
Tango database on a free loopback port, and a deadline-bounded polling helper."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

# The event tests push bursts of thousands of events without pause: cppTango's ZMQ queues (1000
# events by default, on the server and the client) get room for them, as `make test` also says.
# Set before the first subscription or server of the session reads them.
os.environ.setdefault("TANGO_EVENT_BUFFER_HWM", "20000")
os.environ.setdefault("TANGO_DS_EVENT_BUFFER_HWM", "20000")

import tango  # noqa: E402
import tango.test_utils  # noqa: E402

TANGOTEST = "/usr/lib/tango/TangoTest"
DEVICE = "sys/tg_test/1"
START_TIMEOUT = 30.0


def wait_for(predicate, timeout=10.0, interval=0.01):
    """Call ``predicate`` until it returns something truthy or ``timeout`` seconds pass.

    Returns the predicate's last result, so ``assert wait_for(...)`` fails on a timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


# The logging targets every device starts with, as cppTango reports them: a cppTango built with
# OpenTelemetry (10.0 on Debian 13) adds its own appender to each device's logger.
BUILTIN_LOG_TARGETS = frozenset({"telemetry_logs_appender"} if tango._tango._cpptango_has_telemetry else ())


def free_loopback_port():
    """A TCP port the kernel reports free on 127.0.0.1 (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_script_server(argv):
    """Run a server script (``python argv...``) without a database, as its users would, and
    return the process once it prints "Ready to accept request" (its output merged)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    env.pop("TANGO_HOST", None)
    server = subprocess.Popen([sys.executable, *argv], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    for line in server.stdout:  # ends when the server does
        if line.strip() == "Ready to accept request":
            return server
    code = server.wait()
    pytest.fail(f"the server ended with {code} before it was ready")


def _die_with_parent():
    """In the child, before exec: ask Linux to SIGKILL it when the test process dies, so a
    crashed test run (where fixture finalizers never run) leaves no server behind."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))
    except Exception:
        pass


def device_url(port, device=DEVICE):
    return f"tango://127.0.0.1:{port}/{device}#dbase=no"


class TangoTestServer:
    """One TangoTest process; it can be killed and started again on the same port."""

    def __init__(self, port=None):
        self.port = port or free_loopback_port()
        self.name = device_url(self.port)
        self.process = None

    # The old spelling kept by earlier tests of this suite.
    @property
    def proc(self):
        return self.process

    def attribute_name(self, attribute):
        return f"tango://127.0.0.1:{self.port}/{DEVICE}/{attribute}#dbase=no"

    def answers(self):
        """True when a fresh proxy can ping the device."""
        try:
            tango.DeviceProxy(self.name).ping()
            return True
        except tango.DevFailed:
            return False

    def start(self, timeout=START_TIMEOUT):
        """Start the server and wait until it answers. Call it from the main thread: the server
        is bound to the lifetime of the thread that starts it (see _die_with_parent)."""
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("TangoTest is already running")
        self.process = subprocess.Popen(
            [TANGOTEST, "test", "-nodb", "-dlist", DEVICE,
             "-ORBendPoint", f"giop:tcp:127.0.0.1:{self.port}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent)

        def up():
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"TangoTest exited with code {self.process.returncode} while starting")
            return self.answers()

        if not wait_for(up, timeout, interval=0.02):
            self.kill()
            raise RuntimeError(f"TangoTest did not answer on port {self.port} in {timeout} s")

    def kill(self):
        """SIGKILL the server (no clean shutdown) and reap it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.process = None

    stop = kill

    def restart(self, timeout=START_TIMEOUT):
        """Kill the server and start a new one on the same port."""
        self.kill()
        # The port may linger for a moment after the kill; retry the start until the deadline.
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.start(timeout=max(1.0, deadline - time.monotonic()))
                return
            except RuntimeError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def ensure_running(self):
        """Start the server again if a test left it dead (crashed or killed)."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            self.restart()

    def suspend(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)


@pytest.fixture(scope="session")
def tangotest():
    if not os.access(TANGOTEST, os.X_OK):
        pytest.skip(f"{TANGOTEST} is missing: install Debian's tango-test package")
    server = TangoTestServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(scope="session")
def client_loop():
    """A running asyncio loop in a thread of its own: Asyncio clients make their calls there."""
    from _green_client import LoopThread

    loop = LoopThread()
    try:
        yield loop
    finally:
        loop.close()


@pytest.fixture
def proxy(tangotest):
    """A plain (synchronous) proxy to TangoTest, for tests of the proxy's Python interface that
    make no call to the device (names, dir, membership)."""
    tangotest.ensure_running()
    return tango.DeviceProxy(tangotest.name)


@pytest.fixture(params=list(tango.GreenMode), ids=lambda m: f"client-{m}")
def dev(request, tangotest):
    """A proxy to TangoTest in each client green mode, used as that mode's users use it (see
    tests/_green_client.py): Asyncio calls are awaited on a running loop and must give asyncio
    futures, Futures and Gevent calls must go through their executor's pool. A test that takes
    it must make at least one such call: otherwise its name claims a mode it never used."""
    from _green_client import GreenClient

    mode = request.param
    tangotest.ensure_running()
    loop = request.getfixturevalue("client_loop") if mode == tango.GreenMode.Asyncio else None
    client = GreenClient(tango.DeviceProxy(tangotest.name, green_mode=mode), mode, loop)
    yield client
    if client.green_calls == 0:
        pytest.fail(f"{request.node.name} made no call through the {mode} client: take a plain "
                    "proxy (the `proxy` fixture) for a test that is not about green modes")


# Fixtures that PyTango's own test helpers provide to users' test suites.
from tango.test_utils import (  # noqa: E402,F401
    client_green_mode,
    server_green_mode,
    state,
    typed_values,
)


@pytest.fixture(scope="module", params=tango.test_utils.SERVER_GREEN_MODES, ids=lambda m: f"server-{m}")
def server_mode(request):
    """Each server green mode, once per module: a server suite's fixtures and tests take it and
    start their servers in it with tests/_green_server.py's contexts, which check that the
    device code runs in that mode."""
    return request.param


@pytest.fixture(params=[tango.cb_sub_model.PULL_CALLBACK, tango.cb_sub_model.PUSH_CALLBACK],
                ids=["pull", "push"])
def callback_model(request):
    """Each asynchronous callback model in turn, the one before restored after the test."""
    api = tango.ApiUtil.instance()
    before = api.get_asynch_cb_sub_model()
    api.set_asynch_cb_sub_model(request.param)
    assert api.get_asynch_cb_sub_model() == request.param
    yield request.param
    api.set_asynch_cb_sub_model(before)
