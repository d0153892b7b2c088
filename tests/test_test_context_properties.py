"""Test contexts put properties and memorized values in a file database (-file=), which the
server reads through cppTango's database calls, as under a real TANGO_HOST: for every class,
pipes included. And what process= and daemon= do (the server is always a child process)."""

import contextlib
import os
import subprocess
import sys
import textwrap

import pytest

from tango import AttrWriteType, DevFailed, DeviceProxy
from tango.server import Device, attribute, class_property, command, device_property, pipe
from tango.test_context import DeviceTestContext, MultiDeviceTestContext

from conftest import wait_for


class Plain(Device):
    host = device_property(dtype=str, default_value="nowhere")
    gains = device_property(dtype=(float,), default_value=[0.0])
    enabled = device_property(dtype=bool, default_value=False)
    site = class_property(dtype=str, default_value="lab")

    @command(dtype_out=str)
    def read_back(self):
        # Forget what init read, then ask the database again (the call real servers make).
        self._tango_properties = {}
        self.get_device_properties()
        return f"{self.host}|{list(self.gains)}|{self.enabled}|{self.site}"

    @command(dtype_out=int)
    def pid(self):
        return os.getpid()


class WithPipes(Plain):
    """The same properties, on a class that declares pipes."""

    def init_device(self):
        self._level = 0.0

    level = attribute(dtype=float, access=AttrWriteType.READ_WRITE, memorized=True, hw_memorized=True)

    def read_level(self):
        return self._level

    def write_level(self, value):
        self._level = value

    @pipe(label="Status blob", doc="what the device holds")
    def state_blob(self):
        return ("state", {"host": self.host, "level": self._level})


PROPERTIES = {"host": "sim.example", "gains": [1.5, -2.25], "enabled": True}


@pytest.mark.parametrize("device_class", [Plain, WithPipes], ids=["no-pipes", "pipes"])
def test_properties_are_read_back_from_the_database(device_class):
    with DeviceTestContext(device_class, properties=PROPERTIES, class_properties={"site": "hall B"},
                           debug=0) as proxy:
        assert proxy.read_back() == "sim.example|[1.5, -2.25]|True|hall B"


def test_a_class_with_pipes_gets_properties_memorized_values_and_its_pipes():
    with DeviceTestContext(WithPipes, properties={"host": "pipe.host"}, memorized={"level": 2.5},
                           debug=0) as proxy:
        assert proxy.level == 2.5  # restored from the file database at start
        blob_name, elements = proxy.read_pipe("state_blob")
        assert blob_name == "state"
        assert [(e["name"], e["value"]) for e in elements] == [("host", "pipe.host"), ("level", 2.5)]
        config = proxy.get_pipe_config("state_blob")
        assert (config.label, config.description) == ("Status blob", "what the device holds")
        assert proxy.get_pipe_list() == ["state_blob"]


def test_the_server_writes_memorized_values_to_its_file_database(tmp_path):
    """The server of a class with pipes runs on the file database (not -nodb): cppTango stores
    a written memorized value in it, and a second context started on that file restores it."""
    db = tmp_path / "tango.db"
    with DeviceTestContext(WithPipes, db=str(db), device_name="test/ctx/mem", debug=0) as proxy:
        proxy.level = 7.25
        assert "test/ctx/mem/level->__value: 7.25" in db.read_text()
    with DeviceTestContext(WithPipes, db=str(db), device_name="test/ctx/mem", debug=0) as proxy:
        assert proxy.level == 7.25


def test_two_classes_with_and_without_pipes_in_one_server():
    devices_info = [
        {"class": Plain, "devices": [{"name": "test/plain/1", "properties": {"host": "one"}}]},
        {"class": WithPipes, "class_properties": {"site": "roof"},
         "devices": [{"name": "test/piped/1", "properties": {"host": "two"}, "memorized": {"level": 4.0}}]},
    ]
    with MultiDeviceTestContext(devices_info, debug=0) as ctx:
        assert ctx.get_device("test/plain/1").read_back() == "one|[0.0]|False|lab"
        piped = ctx.get_device("test/piped/1")
        assert piped.read_back() == "two|[0.0]|False|roof"
        assert piped.level == 4.0


class Strict(Device):
    needed = device_property(dtype=str, mandatory=True)

    @pipe
    def blob(self):
        return ("b", {"needed": self.needed})


@pytest.mark.parametrize("properties", [{}, {"other": "x"}])
def test_a_missing_mandatory_property_is_a_clear_error_naming_it(properties):
    with pytest.raises(DevFailed) as info:
        with DeviceTestContext(Strict, properties=properties, debug=0, timeout=20):
            pass
    error = info.value.args[0]
    assert error.reason == "PyDs_MissingDeviceProperty"
    assert error.desc == "Device property needed is mandatory but not defined"
    assert "Strict/strict" in str(info.value.__cause__)  # which server did not start


def test_a_mandatory_property_given_starts_the_device():
    with DeviceTestContext(Strict, properties={"needed": "here"}, debug=0) as proxy:
        assert proxy.read_pipe("blob")[1][0]["value"] == "here"


# -- process= and daemon= ------------------------------------------------------------------------

@pytest.mark.parametrize("process", [False, True])
def test_process_true_and_false_both_run_the_server_in_a_child_process(process):
    ctx = DeviceTestContext(Plain, process=process, debug=0)
    assert ctx.process is process
    with ctx as proxy:
        server_pid = proxy.pid()
        assert server_pid != os.getpid()
        assert ctx._process.pid == server_pid


@pytest.mark.parametrize("process, daemon, expected", [
    (False, False, True),  # PyTango's server thread is always a daemon
    (False, True, True),
    (True, True, True),
    (True, False, False),
])
def test_daemon_follows_pytango(process, daemon, expected):
    assert DeviceTestContext(Plain, process=process, daemon=daemon).daemon is expected


# A script that starts a context and ends without stopping it.
LEFT_RUNNING = textwrap.dedent("""
    import sys
    from tango.server import Device
    from tango.test_context import DeviceTestContext

    class Left(Device):
        pass

    process, daemon = sys.argv[1] == "1", sys.argv[2] == "1"
    ctx = DeviceTestContext(Left, process=process, daemon=daemon, timeout=120, debug=0)
    ctx.start()
    print("server", ctx.get_server_access(), flush=True)
    print("main done", flush=True)
""")


@contextlib.contextmanager
def _left_running(tmp_path, process, daemon):
    """The script's process and its server's admin device, once the script's main is done."""
    script = tmp_path / "left_running.py"
    script.write_text(LEFT_RUNNING)
    proc = subprocess.Popen([sys.executable, str(script), str(int(process)), str(int(daemon))],
                            stdout=subprocess.PIPE, text=True, cwd=str(tmp_path))
    try:
        # The script's stdout also has what its server printed (the context echoes it).
        lines = iter(proc.stdout.readline, "")
        server = next(line for line in lines if line.startswith("server ")).split()[1]
        assert next(lines) == "main done\n"
        yield proc, server
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()


def _answers(access):
    try:
        proxy = DeviceProxy(access)
        proxy.set_timeout_millis(500)
        proxy.ping()
        return True
    except DevFailed:
        return False


@pytest.mark.parametrize("process, daemon", [(False, False), (True, True)])
def test_a_daemon_server_ends_when_its_test_process_exits(tmp_path, process, daemon):
    with _left_running(tmp_path, process, daemon) as (proc, server):
        assert proc.wait(60) == 0  # nobody stops the server: the exit does not wait for it
        assert wait_for(lambda: not _answers(server), timeout=30)


def test_a_non_daemon_server_is_waited_for_at_exit(tmp_path):
    """process=True, daemon=False: the exit waits for the server (as Python waits for a
    non-daemon process), which keeps serving until its Kill command ends it."""
    with _left_running(tmp_path, True, False) as (proc, server):
        # The script's main is done: it is at its exit, waiting, and its server still serves.
        assert _answers(server)
        assert proc.poll() is None
        DeviceProxy(server).command_inout("Kill")  # a stopped server would refuse it
        assert proc.wait(60) == 0
        assert wait_for(lambda: not _answers(server), timeout=30)


@pytest.mark.parametrize("dtype", [bool, (bool,)])
def test_a_property_that_does_not_convert_is_a_clear_error_naming_it(dtype):
    class Typed(Device):
        flag = device_property(dtype=dtype)

    with pytest.raises(DevFailed) as info:
        with DeviceTestContext(Typed, properties={"flag": ["maybe"]}, debug=0, timeout=20):
            pass
    assert ("Failed to convert property 'flag' of device 'test/nodb/typed' (value=['maybe']) "
            "to type DevBoolean: 'maybe' is not a boolean") in info.value.args[0].desc


@pytest.mark.parametrize("process", [False, True], ids=["thread", "process"])
def test_the_context_names_its_file_database(process, tmp_path):
    import tango

    given = str(tmp_path / "mine.db")
    for db in (None, given):
        context = DeviceTestContext(Plain, properties={"host": "here"}, process=process, db=db, debug=0)
        assert context.db == db  # nothing made before start
        with context as proxy:
            assert os.path.isfile(context.db)
            assert context.db == given if db else os.path.basename(context.db) == "tango.db"
            # the client opens the same file database the server reads
            file_db = tango.Database(context.db)
            assert file_db.get_device_property(proxy.dev_name(), "host") == {"host": ["here"]}
            assert proxy.read_back() == "here|[0.0]|False|lab"
