"""MultiDeviceTestContext, the test context's command line, and run_server's --help."""

import json
import queue
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import tango
from tango import DevState
from tango.server import attribute, class_property, command, device_property

from _green_server import GreenModeProbe, GreenMultiDeviceTestContext


class Motor(GreenModeProbe):
    axis = device_property(dtype=int, default_value=0)
    speed = device_property(dtype=float, default_value=1.0)
    vendor = class_property(dtype=str, default_value="generic")

    def init_device(self):
        self.set_state(DevState.ON)
        self._position = 0.0

    @attribute(dtype=str)
    def identity(self):
        return json.dumps([self.get_name(), self.axis, self.speed, self.vendor])

    @attribute(dtype=float)
    def position(self):
        return self._position

    @position.setter
    def position(self, value):
        self._position = value


class Controller(GreenModeProbe):
    motors = device_property(dtype=(str,), default_value=[])

    def init_device(self):
        self.set_state(DevState.STANDBY)

    @command(dtype_out=(str,))
    def list_motors(self):
        return self.motors

    @command(dtype_in=str, dtype_out=float)
    def read_motor(self, name):
        # a device calling another device of the same server, through the Tango client API
        return tango.DeviceProxy(name).position


def _devices_info(access_prefix=""):
    return [
        {"class": Motor, "class_properties": {"vendor": "acme"}, "devices": [
            {"name": "test/motor/1", "properties": {"axis": 1}},
            {"name": "test/motor/2", "properties": {"axis": 2, "speed": 2.5}},
            {"name": "test/motor/3"},
        ]},
        {"class": Controller, "devices": [
            {"name": "test/ctrl/1", "properties": {"motors": ["test/motor/1", "test/motor/2"]}},
        ]},
    ]


def test_two_classes_several_devices_with_properties(server_mode):
    with GreenMultiDeviceTestContext(_devices_info(), server_mode, server_name="Motion",
                                     instance_name="lab", debug=0) as context:
        expected = {
            "test/motor/1": ["test/motor/1", 1, 1.0, "acme"],
            "test/motor/2": ["test/motor/2", 2, 2.5, "acme"],
            "test/motor/3": ["test/motor/3", 0, 1.0, "acme"],
        }
        for name, identity in expected.items():
            proxy = context.get_device(name)
            assert json.loads(proxy.identity) == identity
            assert proxy.state() == DevState.ON
            assert proxy.info().dev_class == "Motor"
        assert context.get_device("test/motor/1") is context.get_device("test/motor/1")
        ctrl = context.get_device("test/ctrl/1")
        assert ctrl.state() == DevState.STANDBY
        assert ctrl.info().dev_class == "Controller"
        assert list(ctrl.list_motors()) == ["test/motor/1", "test/motor/2"]
        # the devices are independent objects
        context.get_device("test/motor/2").position = 4.5
        assert context.get_device("test/motor/1").position == 0.0
        assert context.get_device("test/motor/2").position == 4.5
        # the access names are full Tango names without a database
        access = context.get_device_access("test/motor/2")
        assert access == f"tango://{context.host}:{context.port}/test/motor/2#dbase=no"
        assert tango.DeviceProxy(access).position == 4.5
        server = tango.DeviceProxy(context.get_server_access())
        assert server.name() == "dserver/Motion/lab"
        assert sorted(server.QueryDevice()) == [
            "Controller::test/ctrl/1", "Motor::test/motor/1", "Motor::test/motor/2",
            "Motor::test/motor/3"]
        assert sorted(server.QueryClass()) == ["Controller", "Motor"]


def test_a_device_calls_another_device_of_its_server(server_mode):
    with GreenMultiDeviceTestContext(_devices_info(), server_mode, debug=0) as context:
        context.get_device("test/motor/1").position = 7.25
        access = context.get_device_access("test/motor/1")
        assert context.get_device("test/ctrl/1").read_motor(access) == 7.25


def test_short_names_reach_the_context_server_while_it_runs(server_mode):
    with GreenMultiDeviceTestContext(_devices_info(), server_mode, debug=0) as context:
        # in the test process: DeviceProxy and AttributeProxy
        tango.DeviceProxy("test/motor/2").position = 1.5
        assert tango.AttributeProxy("test/motor/2/position").read().value == 1.5
        assert tango.DeviceProxy("test/motor/2").get_dev_port() == str(context.port)
        # in the server: a device reaching another by its short name
        assert context.get_device("test/ctrl/1").read_motor("test/motor/2") == 1.5
        # a full name is left as it is
        full = f"tango://{context.host}:{context.port}/test/motor/2#dbase=no"
        assert tango.DeviceProxy(full).position == 1.5
        assert tango.utils._get_device_fqtrl_if_necessary("test/motor/2") == full
    # stopped: short names mean the Tango host again
    assert tango.utils._get_test_context_tango_host_fqtrl() is None
    assert tango.utils._get_device_fqtrl_if_necessary("test/motor/2") == "test/motor/2"


def test_short_names_can_be_left_to_the_tango_host():
    context = GreenMultiDeviceTestContext(_devices_info(), tango.GreenMode.Synchronous, debug=0)
    context.enable_test_context_tango_host_override = False
    with context:
        assert tango.utils._get_test_context_tango_host_fqtrl() is None
        assert tango.utils._get_device_fqtrl_if_necessary("test/motor/2") == "test/motor/2"
        assert context.get_device("test/motor/2").state() == DevState.ON
        # and inside the server too: the controller's short name goes to the Tango host
        with pytest.raises(tango.DevFailed):
            context.get_device("test/ctrl/1").read_motor("test/motor/2")


def test_context_start_and_stop_by_hand(server_mode):
    context = GreenMultiDeviceTestContext(_devices_info(), server_mode, debug=0)
    context.start()
    try:
        assert context.get_device("test/motor/3").state() == DevState.ON
        with pytest.raises(RuntimeError):
            context.start()  # already started
    finally:
        context.stop()
    with pytest.raises(tango.DevFailed):
        proxy = tango.DeviceProxy(context.get_device_access("test/motor/3"))
        proxy.set_timeout_millis(1000)
        proxy.ping()


CLI_MODULE = textwrap.dedent("""
    from tango.server import Device, attribute, command, device_property

    class CliDevice(Device):
        level = device_property(dtype=int, default_value=0)
        tag = device_property(dtype=str, default_value="none")

        @attribute(dtype=int)
        def value(self):
            return self.level

        @command(dtype_out=str)
        def get_tag(self):
            return self.tag
""")


def _read_until(proc, prefix, deadline):
    """The lines printed by proc until one starts with prefix, the output ends or the deadline
    passes (a reader thread hands the lines over; nothing here sleeps)."""
    lines = queue.Queue()

    def reader():
        for line in iter(proc.stdout.readline, ""):
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    seen = []
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return seen
        if line is None:
            return seen
        seen.append(line)
        if line.startswith(prefix):
            return seen


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_test_context_command_line(tmp_path):
    (tmp_path / "cli_device.py").write_text(CLI_MODULE)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tango.test_context", "cli_device.CliDevice", "--host", "127.0.0.1",
         "--port", str(port), "--prop", '{"level": 7, "tag": "from the command line"}'],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until(proc, "Server access", time.monotonic() + 30)
        assert "Ready to accept request" in lines, lines
        device_access = [line for line in lines if line.startswith("Device access: ")]
        server_access = [line for line in lines if line.startswith("Server access: ")]
        assert device_access == [f"Device access: tango://127.0.0.1:{port}/test/nodb/clidevice#dbase=no"]
        assert server_access == [f"Server access: tango://127.0.0.1:{port}/dserver/CliDevice/clidevice#dbase=no"]
        proxy = tango.DeviceProxy(device_access[0].split(": ", 1)[1])
        assert proxy.value == 7
        assert proxy.get_tag() == "from the command line"
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()


def test_test_context_command_line_help():
    result = subprocess.run([sys.executable, "-m", "tango.test_context", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for option in ("--host", "--port", "--prop", "device"):
        assert option in result.stdout


RUN_SERVER_SCRIPT = textwrap.dedent("""
    import sys
    from tango.server import Device, attribute

    class Helped(Device):
        @attribute(dtype=int)
        def value(self):
            return 1

    if __name__ == "__main__":
        Helped.run_server()
""")


@pytest.mark.parametrize("flag", ["--help", "-h", "-?"])
def test_run_server_help_prints_usage(tmp_path, flag):
    script = tmp_path / "helped.py"
    script.write_text(RUN_SERVER_SCRIPT)
    result = subprocess.run([sys.executable, str(script), flag], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    # as PyTango's: the usage names the program of the command line, which run_server makes
    # the class's name (the server's)
    assert result.stdout.startswith("usage: Helped instance_name")
    for option in ("-nodb", "-dlist", "-file=", "-ORBendPoint", "-v", "-port", "-host"):
        assert option in result.stdout
    assert result.stderr == ""


def test_run_server_without_instance_name_prints_usage_and_fails(tmp_path):
    script = tmp_path / "helped.py"
    script.write_text(RUN_SERVER_SCRIPT)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: Helped instance_name")
    assert result.stderr.endswith("\nHelped: error: the following arguments are required: instance_name\n")
    assert "Traceback" not in result.stderr


def test_run_server_as_a_real_server(tmp_path):
    """The script form users run: `python helped.py inst -nodb -dlist ... -port N`."""
    script = tmp_path / "helped.py"
    script.write_text(RUN_SERVER_SCRIPT)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(script), "inst", "-nodb", "-dlist", "test/helped/1",
                             "-port", str(port), "-host", "127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until(proc, "Ready to accept request", time.monotonic() + 30)
        assert "Ready to accept request" in lines, lines
        proxy = tango.DeviceProxy(f"tango://127.0.0.1:{port}/test/helped/1#dbase=no")
        assert proxy.value == 1
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()
