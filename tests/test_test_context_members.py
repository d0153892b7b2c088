"""The PyTango members of tango.test_context: its module names (IOR parsing, the command line
of run_device_test_context...) and the contexts' command, timeouts, cleanup, root_atts,
append_db_file, delete_db, connect, target, pre_init and post_init."""

import argparse
import functools
import os
import struct
import subprocess
import sys
import textwrap

import pytest

import _scripts

import tango
import tango.test_context as tc
from tango.server import Device, attribute, device_property
from tango.test_context import DeviceTestContext, MultiDeviceTestContext


def test_module_names_are_tangos():
    assert tc.Database is tango.Database and tc.Util is tango.Util
    assert tc.EnsureOmniThread is tango.EnsureOmniThread
    assert tc.is_non_str_seq is tango.utils.is_non_str_seq
    assert tc.run is tango.server.run
    assert tc.NO_DB_FRAGMENT == "dbase=no"
    assert "run_device_test_context" in tc.__all__


def _cdr_ior(little, type_id, host, port, key):
    """A stringified one-profile IIOP IOR, encoded by hand (CDR, 4-byte alignment)."""
    order = "<" if little else ">"
    out = bytearray(b"\x01\x00\x00\x00" if little else b"\x00\x00\x00\x00")

    def align():
        out.extend(b"\x00" * (-len(out) % 4))

    tid = type_id + b"\x00"
    out += struct.pack(order + "I", len(tid)) + tid
    align()
    hst = host + b"\x00"
    profile = struct.pack(order + "BBH", 1, 2, 0) + struct.pack(order + "I", len(hst))
    out += struct.pack(order + "III", 1, 0, 99)  # nb_profile, tag (IIOP), profile length
    out += profile + hst
    out.extend(b"\x00" * (len(out) % 2))  # a 2-byte number on an even offset
    out += struct.pack(order + "H", port)
    align()
    out += key
    return "IOR:" + out.hex()


@pytest.mark.parametrize("little", [True, False])
def test_parse_ior(little):
    ior = tc.parse_ior(_cdr_ior(little, b"IDL:Tango/Device_5:1.0", b"10.0.0.7", 10123, b"KEY!"))
    assert ior.first == (1 if little else 0)
    assert ior.dtype == b"IDL:Tango/Device_5:1.0" and ior.dtype_length == 23
    assert (ior.nb_profile, ior.tag, ior.length) == (1, 0, 99)
    assert (ior.major, ior.minor, ior.wtf) == (1, 2, 0)
    assert (ior.host, ior.host_length, ior.port) == (b"10.0.0.7", 9, 10123)
    assert ior.body == b"KEY!"
    assert tc.IOR._fields[-3:] == ("host", "port", "body")


def test_parse_ior_and_ascii_to_bytes_refuse_bad_input():
    assert tc.ascii_to_bytes("00ff10") == b"\x00\xff\x10"
    with pytest.raises(ValueError, match="odd"):
        tc.ascii_to_bytes("abc")
    with pytest.raises(ValueError):
        tc.ascii_to_bytes("zz")
    with pytest.raises(ValueError, match="IOR"):
        tc.parse_ior("corbaloc::host:1/x")
    with pytest.raises(ValueError, match="ends"):
        tc.parse_ior("IOR:01000000ff000000")


def test_literal_dict_and_device():
    assert tc.literal_dict("{'a': 1, 'b': [2]}") == {"a": 1, "b": [2]}
    assert tc.literal_dict("[('x', 3)]") == {"x": 3}
    with pytest.raises(ValueError, match="dict literal"):
        tc.literal_dict("open('f')")
    assert tc.device("tango.server.Device") is Device
    with pytest.raises(argparse.ArgumentTypeError, match="Error importing no_such_module_x.Cls"):
        tc.device("no_such_module_x.Cls")
    with pytest.raises(argparse.ArgumentTypeError, match="no device class Nope"):
        tc.device("tango.server.Nope")
    with pytest.raises(argparse.ArgumentTypeError, match="dotted path"):
        tc.device("Device")


def test_parse_command_line_args():
    assert tc.parse_command_line_args(["tango.server.Device"]) == (
        Device, tc.get_host_ip(), 8888, {}, 3, False)
    assert tc.parse_command_line_args(
        ["tango.server.Device", "--host", "0.0.0.0", "--port", "1234", "--debug", "0",
         "--prop", "{'a': 'b'}", "--disable-short-name-lookup"]) == (Device, "0.0.0.0", 1234, {"a": "b"}, 0, True)
    with pytest.raises(SystemExit):
        tc.parse_command_line_args(["tango.server.Device", "--port", "many"])


class Plain(Device):
    extra = device_property(dtype=str, default_value="none")

    @attribute(dtype=str)
    def extra_value(self):
        return self.extra


def test_class_attributes_and_constructor_arguments():
    assert MultiDeviceTestContext.command == "{0} {1} -ORBendPoint giop:tcp:{2}:{3} -file={4}"
    assert MultiDeviceTestContext.thread_timeout == MultiDeviceTestContext.process_timeout == 30.0

    class Quick(DeviceTestContext):
        thread_timeout = 4.0
        process_timeout = 6.0

    assert Quick(Plain).timeout == 4.0
    assert Quick(Plain, process=True).timeout == 6.0
    assert Quick(Plain, timeout=2).timeout == 2.0
    assert DeviceTestContext(Plain).cleanup is True
    assert DeviceTestContext(Plain, cleanup=False).cleanup is False
    ctx = DeviceTestContext(Plain, root_atts={"fwd": "a/b/c/attr"})
    assert ctx.devices_info[0]["devices"][0]["root_atts"] == {"fwd": "a/b/c/attr"}


def test_a_subclass_command_line_is_used():
    class Traced(DeviceTestContext):
        command = "{0} {1} -ORBendPoint giop:tcp:{2}:{3} -file={4} -v1"

    ctx = Traced(Plain, debug=0)
    assert ctx._server_args("/tmp/x.db") == ["Plain", "plain", "-ORBendPoint",
                                             f"giop:tcp:{ctx.host}:{ctx.port}", "-file=/tmp/x.db", "-v1"]
    plain = DeviceTestContext(Plain, debug=0)
    assert plain._server_args("/tmp/with space.db")[-1] == "-file=/tmp/with space.db"


def test_append_db_file_before_start_feeds_the_server():
    ctx = DeviceTestContext(Plain, process=True)
    db = ctx.append_db_file("Plain", "plain", "Plain",
                            [{"name": "test/nodb/plain", "properties": {"extra": "from the file"}}])
    assert isinstance(db, tango.Database)
    assert db.get_device_property("test/nodb/plain", "extra") == {"extra": ["from the file"]}
    path = ctx.db
    with ctx as proxy:
        assert ctx.db == path
        assert proxy.extra_value == "from the file"
    assert not os.path.exists(path)  # the context's own file, deleted at stop


def test_append_db_file_to_a_given_db_and_delete_db_leaves_it(tmp_path):
    given = tmp_path / "mine.db"
    given.write_text("")
    ctx = DeviceTestContext(Plain, db=str(given))
    db = ctx.append_db_file("Srv", "inst", "Other", [
        {"name": "x/y/z", "properties": {"p": [1, 2]}, "memorized": {"att": 5},
         "root_atts": {"fwd": "a/b/c/d"}}], class_properties={"cp": "v"})
    assert db.get_device_property("x/y/z", "p") == {"p": ["1", "2"]}
    assert db.get_class_property("Other", "cp") == {"cp": ["v"]}
    text = given.read_text(encoding="latin-1")
    assert 'x/y/z/fwd->__root_att: "a/b/c/d"' in text
    assert 'x/y/z/att->__value: "5"' in text
    ctx.delete_db()
    assert given.exists()
    with pytest.raises(KeyError, match="name"):
        ctx.append_db_file("Srv", "inst", "Other", [{"properties": {}}])
    with pytest.raises(TypeError, match="non-empty strings"):
        ctx.append_db_file("", "inst", "Other", [])


def test_connect_needs_a_started_context_and_then_answers():
    ctx = DeviceTestContext(Plain, process=True)
    with pytest.raises(RuntimeError, match="not started"):
        ctx.connect()
    with ctx as proxy:
        assert ctx.connect() is None
        assert proxy.extra_value == "none"


def test_target_runs_a_server_function_with_the_hooks():
    ctx = DeviceTestContext(Plain)
    seen = {}

    def runserver(pre_init_callback, post_init_callback, raises):
        seen["hooks"] = (pre_init_callback, post_init_callback, raises)
        raise ValueError("no server today")

    ctx.target(runserver)
    assert seen["hooks"] == (ctx.pre_init, ctx.post_init, True)
    assert isinstance(ctx.startup_error, ValueError)
    ctx.target(functools.partial(lambda **kw: None))
    assert ctx.startup_error is None
    assert ctx.pre_init() is None and ctx.post_init() is None


HEADER = """
import sys
from tango.server import Device, attribute
from tango.test_context import DeviceTestContext
"""


def run_script(body, timeout=90):
    return _scripts.run_script(HEADER, body, timeout)


def test_pre_and_post_init_of_a_subclass_run_in_the_thread_server():
    lines = run_script("""
        import tango
        calls = []

        class Hooked(DeviceTestContext):
            def pre_init(self):
                try:
                    tango.Util.instance(False)
                    calls.append("pre_init: util made")
                except tango.DevFailed:
                    calls.append("pre_init: no util")

            def post_init(self):
                calls.append(f"post_init: {len(tango.Util.instance(False)._python_devices())} device")

        class Dev(Device):
            @attribute(dtype=int)
            def value(self):
                calls.append("read")
                return 3

        with Hooked(Dev) as proxy:
            print("calls", calls)
            print("value", proxy.value)
        print("calls", calls)
    """)
    assert lines == ["calls ['pre_init: util made', 'post_init: 1 device']", "value 3",
                     "calls ['pre_init: util made', 'post_init: 1 device', 'read']"]


def test_a_failing_post_init_fails_the_start():
    lines = run_script("""
        class Failing(DeviceTestContext):
            def post_init(self):
                raise RuntimeError("post_init says no")

        class Dev(Device):
            pass

        try:
            with Failing(Dev):
                print("started")
        except RuntimeError as exc:
            print("refused", exc)
    """)
    assert lines == ["refused post_init says no"]


def test_run_device_test_context_serves_until_killed():
    script = textwrap.dedent("""
        import sys, threading
        import tango
        from tango.test_context import run_device_test_context, _free_port

        port = _free_port("127.0.0.1")

        def kill_when_up():
            proxy = tango.DeviceProxy(f"tango://127.0.0.1:{port}/dserver/Device/device#dbase=no")
            import time
            deadline = time.monotonic() + 60
            while True:
                try:
                    proxy.ping()
                    break
                except tango.DevFailed:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            proxy.command_inout("Kill")

        threading.Thread(target=kill_when_up, daemon=True).start()
        run_device_test_context(["tango.server.Device", "--host", "127.0.0.1", "--port", str(port),
                                 "--debug", "0", "--prop", "{}"])
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line and "notifd" not in line]
    assert lines[0] == "Device started on port " + lines[0].split()[4] + " with properties {}"
    assert lines[1].startswith("Device access: tango://127.0.0.1:") and lines[1].endswith(
        "/test/nodb/device#dbase=no")
    assert lines[2].startswith("Server access: tango://127.0.0.1:") and lines[2].endswith(
        "/dserver/Device/device#dbase=no")
    assert lines[3] == "Done"


def test_switch_existing_global_executors_to_thread():
    import threading

    import tango.futures_executor as futures_executor

    made = []
    thread = threading.Thread(target=lambda: made.append(futures_executor.get_global_executor()))
    thread.start()
    thread.join()
    try:
        assert futures_executor._GLOBAL._executor is made[0]
        assert not made[0].in_executor_context()
        tc.switch_existing_global_executors_to_thread()
        mine = futures_executor._GLOBAL._executor
        assert mine is not made[0] and mine.in_executor_context()
        tc.switch_existing_global_executors_to_thread()  # this thread's own: kept
        assert futures_executor._GLOBAL._executor is mine
    finally:
        futures_executor._GLOBAL.set(None)
