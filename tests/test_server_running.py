"""Running servers: run()/Device.run_server() and their callbacks, the class's initial state,
status and description, server_init_hook, get_client_ident, restarts through the admin device,
and user threads in devices (pushes from threads, the device monitor, omniORB identity), in every
server green mode where it matters."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest

import tango
from tango import (AutoTangoAllowThreads, AutoTangoMonitor, DevFailed, DeviceProxy, DevState,
                   EnsureOmniThread, EventType, GreenMode, is_omni_thread)
from tango.server import attribute, command, pipe
from tango.utils import PyTangoThread

from _green_server import GreenDeviceTestContext, GreenModeProbe
from conftest import free_loopback_port, wait_for


# -- user threads ---------------------------------------------------------------------------

class Pusher(GreenModeProbe):
    """Pushes change events of ``counter`` from threads of its own: a plain threading.Thread, one
    inside EnsureOmniThread, and a PyTangoThread."""

    def init_device(self):
        super().init_device()
        self.set_change_event("counter", True, False)
        self._value = 0
        self._lock = threading.Lock()
        self._threads = []
        self._stop = threading.Event()
        self._omni = {}

    def _push_n(self, n, kind):
        self._omni[kind] = is_omni_thread()
        for _ in range(n):
            with self._lock:
                self._value += 1
                value = self._value
            self.push_change_event("counter", value)

    def _ensured(self, n):
        with EnsureOmniThread():
            self._push_n(n, "ensured")

    @attribute(dtype=int)
    def counter(self):
        return self._value

    @command(dtype_in=int)
    def PushFromThreads(self, n):
        """Start three threads that push n events each, and return (they push while the
        command's request thread is gone)."""
        self._threads = [threading.Thread(target=self._push_n, args=(n, "plain")),
                         threading.Thread(target=self._ensured, args=(n,)),
                         PyTangoThread(target=self._push_n, args=(n, "pytango"))]
        for t in self._threads:
            t.start()

    @command(dtype_in=int, dtype_out=int)
    def PushAndWait(self, n):
        """Push n events from a thread and wait for it inside the command: the thread needs the
        device monitor this request holds, so the wait lets it go (AutoTangoAllowThreads)."""
        worker = threading.Thread(target=self._push_n, args=(n, "waited"))
        worker.start()
        with AutoTangoAllowThreads(self):
            worker.join(30)
        return self._value

    @command(dtype_out=str)
    def ThreadIdentities(self):
        for t in self._threads:
            t.join(30)
        return ",".join(f"{k}={v}" for k, v in sorted(self._omni.items()))

    @command(dtype_in=float)
    def HoldMonitor(self, seconds):
        """Hold the device monitor from a thread of the device for `seconds` (from when this
        command has returned and let it go)."""

        def hold():
            with AutoTangoMonitor(self):
                threading.Event().wait(seconds)

        threading.Thread(target=hold).start()


@pytest.fixture(scope="module")
def pusher(server_mode):
    with GreenDeviceTestContext(Pusher, server_mode) as proxy:
        yield proxy


def _subscribe_counter(proxy):
    received = []
    lock = threading.Lock()

    def cb(event):
        if not event.err:
            with lock:
                received.append(event.attr_value.value)

    eid = proxy.subscribe_event("counter", EventType.CHANGE_EVENT, cb)
    return received, eid


def test_threads_of_the_device_push_events_that_all_arrive(pusher):
    received, eid = _subscribe_counter(pusher)
    try:
        wait_for(lambda: len(received) >= 1)  # the first event of the subscription
        start = pusher.counter
        pusher.PushFromThreads(200)
        wanted = set(range(start + 1, start + 601))
        wait_for(lambda: wanted <= set(received), timeout=30)
        assert pusher.ThreadIdentities() == "ensured=True,plain=False,pytango=True"
    finally:
        pusher.unsubscribe_event(eid)


def test_a_command_waiting_for_a_pushing_thread_lets_the_monitor_go(pusher):
    # (in a green server the request thread that waits for the worker holds the monitor: it is
    # let go there)
    received, eid = _subscribe_counter(pusher)
    try:
        wait_for(lambda: len(received) >= 1)
        start = pusher.counter
        assert pusher.PushAndWait(50) == start + 50
        wait_for(lambda: set(range(start + 1, start + 51)) <= set(received), timeout=30)
    finally:
        pusher.unsubscribe_event(eid)


def test_auto_tango_monitor_serialises_with_requests(pusher):
    pusher.HoldMonitor(2.0)
    pusher.set_timeout_millis(300)
    try:
        # requests wait for the monitor the device's thread holds, then are served again
        wait_for(lambda: not _answers(lambda: pusher.counter), timeout=10)
        wait_for(lambda: _answers(lambda: pusher.counter), timeout=10)
    finally:
        pusher.set_timeout_millis(3000)


def _answers(call):
    try:
        call()
        return True
    except DevFailed:
        return False


def test_omni_thread_identity_in_the_client_process():
    seen = {}

    def plain():
        seen["plain"] = is_omni_thread()
        with EnsureOmniThread():
            seen["ensured"] = is_omni_thread()
        seen["after"] = is_omni_thread()  # the identity is kept for the thread's life

    class Task(PyTangoThread):
        def run(self):
            seen["subclass"] = is_omni_thread()

    for t in (threading.Thread(target=plain), Task()):
        t.start()
        t.join()
    assert is_omni_thread()  # the main thread is omniORB's
    assert seen == {"plain": False, "ensured": True, "after": True, "subclass": True}


def test_monitor_helpers_refuse_what_is_not_a_device():
    with pytest.raises(TypeError, match="AutoTangoMonitor takes a device or a device class"):
        with AutoTangoMonitor(object()):
            pass
    with pytest.raises(TypeError):
        AutoTangoAllowThreads("not a device")


# -- the device's class attributes, hooks and client ------------------------------------------

class Configured(GreenModeProbe):
    """The docstring is not the description when DEVICE_CLASS_DESCRIPTION is given."""

    DEVICE_CLASS_DESCRIPTION = "a configured device"
    DEVICE_CLASS_INITIAL_STATE = DevState.STANDBY
    DEVICE_CLASS_INITIAL_STATUS = "ready to be configured"
    hooks = 0

    def server_init_hook(self):
        type(self).hooks += 1
        self._hook_mode = _where()

    @command(dtype_out=str)
    def HookSeen(self):
        return f"{type(self).hooks} {self._hook_mode}"

    @command(dtype_out=str)
    def ClientIdent(self):
        ident = self.get_client_ident()
        if ident is None:
            return "None"
        same = ident == self.get_client_ident()
        return f"{ident.client_ident} {ident.client_lang} {ident.client_pid} {same}"


_CPPTANGO_MAJOR = int(tango.__cpptango_version__.split(".")[0])


def _where():
    from _green_server import seen_green_mode

    return seen_green_mode()


class Documented(GreenModeProbe):
    """Described by its docstring."""


@pytest.fixture(scope="module")
def configured(server_mode):
    with GreenDeviceTestContext(Configured, server_mode) as proxy:
        yield proxy


def test_class_initial_state_status_and_description(configured):
    assert configured.state() == DevState.STANDBY
    assert configured.status() == "ready to be configured"
    assert configured.description() == "a configured device"


def test_description_from_the_docstring(server_mode):
    with GreenDeviceTestContext(Documented, server_mode) as proxy:
        assert proxy.description() == "Described by its docstring."
        assert proxy.state() == DevState.UNKNOWN
        assert proxy.status() == "The device is in UNKNOWN state."


def test_server_init_hook_runs_once_in_the_green_mode(configured, server_mode):
    assert configured.HookSeen() == f"1 {server_mode.name}"
    configured.Init()
    assert configured.HookSeen() == f"1 {server_mode.name}"


def test_client_ident_of_a_request(configured, server_mode):
    if server_mode == GreenMode.Synchronous:
        # cppTango's request thread knows its client: this process, a C++ client (CPP from
        # cppTango 9.3, CPP_6 from 10 on)
        lang = tango.LockerLanguage.CPP_6 if _CPPTANGO_MAJOR >= 10 else tango.LockerLanguage.CPP
        assert configured.ClientIdent() == f"True {lang} {os.getpid()} True"
    else:
        # the worker thread of a green server serves no request of its own
        assert configured.ClientIdent() == "None"


# -- restarts through the admin device ------------------------------------------------------

class Restartable(GreenModeProbe):
    created = 0

    def init_device(self):
        super().init_device()
        type(self).created += 1
        self._serial = type(self).created
        self.set_state(DevState.ON)

    @attribute(dtype=int)
    def serial(self):
        return self._serial

    # a pipe too: under a file database (the test contexts), cppTango cannot restart a device
    # whose pipes it made itself (it asks the database for their properties)
    @pipe(label="the serial")
    def made(self):
        return "made", {"serial": self._serial}


@pytest.mark.parametrize("how", ["RestartServer", "DevRestart"])
def test_restart_recreates_the_devices_which_serve_again(server_mode, how):
    with GreenDeviceTestContext(Restartable, server_mode) as proxy:
        assert proxy.serial == 1
        admin = DeviceProxy(proxy.adm_name())
        if how == "RestartServer":
            admin.RestartServer()
        else:
            admin.DevRestart(proxy.dev_name())
        wait_for(lambda: _reads(proxy, "serial") == 2, timeout=20)
        assert proxy.state() == DevState.ON
        assert proxy.read_pipe("made") == ("made", [{"name": "serial", "dtype": tango.CmdArgType.DevLong64,
                                                     "value": 2}])
        assert proxy.get_pipe_config("made").label == "the serial"
        proxy.Init()
        assert proxy.serial == 3
        assert proxy.read_pipe("made")[1][0]["value"] == 3


def _reads(proxy, name):
    try:
        return proxy.read_attribute(name).value
    except DevFailed:
        return None


# -- run() and Device.run_server() as scripts ---------------------------------------------------

SCRIPT = textwrap.dedent("""
    import sys
    import tango
    from tango import GreenMode
    from tango.server import Device, attribute, run

    class Scripted(Device):
        green_mode = GreenMode.{mode}

        def init_device(self):
            print("init_device", flush=True)

        @attribute(dtype=int)
        def value(self):
            return 1

    def pre(tag):
        print("pre", tag, tango.Util.instance().get_ds_name(), flush=True)

    def post(tag, suffix=""):
        print("post", tag + suffix, flush=True)

    turns = []

    def loop():
        turns.append(1)
        return len(turns) >= 3   # stop the server after a few idle turns

    {call}
    print("returned", flush=True)
""")


def _run_script(tmp_path, call, mode="Synchronous", name="scripted.py", argv=()):
    path = tmp_path / name
    path.write_text(SCRIPT.format(mode=mode, call=call))
    return subprocess.run([sys.executable, str(path), *argv], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)


def _endpoint():
    return ["-ORBendPoint", f"giop:tcp:127.0.0.1:{free_loopback_port()}"]


@pytest.mark.parametrize("mode", ["Synchronous", "Futures", "Asyncio", "Gevent"])
def test_run_callbacks_and_event_loop_in_order(tmp_path, mode):
    args = ["scripted", "inst", "-nodb", "-dlist", "test/scripted/1", *_endpoint()]
    call = (f"run((Scripted,), args={args!r}, pre_init_callback=(pre, ['a']), "
            "post_init_callback=(post, ['b'], {'suffix': '!'}), event_loop=loop)")
    result = _run_script(tmp_path, call, mode)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines == ["pre a scripted/inst", "init_device", "post b!", "Ready to accept request",
                     "returned"]


def test_run_server_names_the_server_after_the_class(tmp_path):
    call = ("Scripted.run_server(post_init_callback=lambda: print('name', "
            "tango.Util.instance().get_ds_name(), flush=True), event_loop=loop)")
    result = _run_script(tmp_path, call, argv=["inst", "-nodb", "-dlist", "test/scripted/1",
                                                *_endpoint()])
    assert result.returncode == 0, result.stderr
    assert "name Scripted/inst" in result.stdout.splitlines()


def test_run_reports_an_error_and_exits_cleanly(tmp_path):
    args = ["scripted", "inst", "-nodb", "-dlist", "test/scripted/1", *_endpoint()]
    call = ("def fail():\n    raise RuntimeError('no hardware')\n"
            f"run((Scripted,), args={args!r}, post_init_callback=fail)")
    result = _run_script(tmp_path, call)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("Exiting: Server exited with unforeseen exception:\n"
                                  "no hardware\n\nExited\n"), result.stderr
    assert "returned" in result.stdout


def test_run_raises_with_raises(tmp_path):
    args = ["scripted", "inst", "-nodb", "-dlist", "test/scripted/1", *_endpoint()]
    call = ("def fail():\n    raise RuntimeError('no hardware')\n"
            f"run((Scripted,), args={args!r}, post_init_callback=fail, raises=True)")
    result = _run_script(tmp_path, call)
    assert result.returncode == 1
    assert "RuntimeError: no hardware" in result.stderr
    assert "returned" not in result.stdout


def test_run_refuses_bad_callbacks_and_classes(tmp_path):
    args = ["scripted", "inst", "-nodb", *_endpoint()]
    for call, message in ((f"run((Scripted,), args={args!r}, post_init_callback=42, raises=True)",
                           "post_init_callback must be a callable"),
                          (f"run((object,), args={args!r}, raises=True)",
                           "run() takes tango.server.Device subclasses")):
        result = _run_script(tmp_path, call)
        assert result.returncode == 1 and message in result.stderr, result.stderr
