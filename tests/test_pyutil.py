"""tango.pyutil (its names and parse_args, the device server command line), the callbacks of run()
(tango.server.__to_callback), servers started with the long and PyTango options, and
tango.utils' get_latest_device_class and parse_type_hint."""

import asyncio
import enum
import functools
import inspect
import os
import subprocess
import sys
import textwrap
import time
import typing
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

import tango
import tango.pyutil
from tango import AttrDataFormat, AttrQuality, DevState, GreenMode
from tango.pyutil import parse_args
from tango.server import __to_callback
from tango.test_utils import DEVICE_SERVER_ARGUMENTS, OS_SYSTEMS
from tango.utils import get_latest_device_class, get_tango_type_format, parse_type_hint

from conftest import free_loopback_port
from test_server_multi_device import _read_until

SCALAR, SPECTRUM, IMAGE = AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE


# -- tango.pyutil's names ------------------------------------------------------------------------

def test_pyutil_exports_the_server_utilities_of_tango():
    assert tango.pyutil.__all__ == ["EnsureOmniThread", "TimedAttrData", "TimedCmdData", "Util",
                                    "is_omni_thread", "pyutil_init"]
    for name in ("EnsureOmniThread", "TimedAttrData", "TimedCmdData", "Util", "is_omni_thread"):
        assert getattr(tango.pyutil, name) is getattr(tango, name), name
    namespace = {}
    exec("from tango.pyutil import *", namespace)  # noqa: S102
    assert sorted(n for n in namespace if n != "__builtins__") == sorted(tango.pyutil.__all__)


def test_pyutil_init_changes_nothing():
    before = dict(vars(tango.Util)), dict(vars(tango.EnsureOmniThread))
    assert tango.pyutil.pyutil_init() is None
    assert tango.pyutil.pyutil_init(doc=False) is None
    assert (dict(vars(tango.Util)), dict(vars(tango.EnsureOmniThread))) == before
    with tango.EnsureOmniThread():
        assert tango.is_omni_thread()


# -- parse_args: the table of tango.test_utils ---------------------------------------------------

@pytest.fixture(params=OS_SYSTEMS)
def platform(request, monkeypatch):
    monkeypatch.setattr(sys, "platform", request.param)
    return request.param


def test_os_systems():
    assert OS_SYSTEMS == ["linux", "win"]


@pytest.mark.parametrize("valid_on, command_line, expected", DEVICE_SERVER_ARGUMENTS,
                         ids=[case[1] for case in DEVICE_SERVER_ARGUMENTS])
def test_device_server_arguments(valid_on, command_line, expected, platform, capsys):
    if platform in valid_on:
        result = parse_args(command_line.split())
        assert set(result) == set(expected)
        assert len(result) == len(expected)
    else:
        with pytest.raises(SystemExit) as info:
            parse_args(command_line.split())
        assert info.value.code != 0


def test_the_table_covers_every_feature():
    lines = " ".join(case[1] for case in DEVICE_SERVER_ARGUMENTS).split()
    for option in ("--nodb", "--port", "-port", "-host", "--ORBendPoint", "-nodb", "-dlist", "-file",
                   "-vvvv", "--verbose", "-v4", "-dbg", "-ORBendPointPublish", "--orbtraceLevel"):
        assert option in lines, option
    assert any(case[0] == ["win"] for case in DEVICE_SERVER_ARGUMENTS)
    assert sum(1 for case in DEVICE_SERVER_ARGUMENTS if case[0] == []) >= 4


# -- parse_args: exact results -----------------------------------------------------------------

@pytest.mark.parametrize("command_line, expected", [
    # the program keeps its directory, loses its extension
    ("servers/Stage.py st1", ["servers/Stage", "st1"]),
    ("Stage.tar.gz st1", ["Stage.tar", "st1"]),
    # every instance name, in order
    ("Stage st1 st2", ["Stage", "st1", "st2"]),
    # the trace level: -v counted (alone: 1), -vN / -v=N / -VN / -v N, which win over the count
    ("Stage st1 -v", ["Stage", "st1", "-v1"]),
    ("Stage st1 -vv --verbose", ["Stage", "st1", "-v3"]),
    ("Stage st1 -v=2", ["Stage", "st1", "-v2"]),
    ("Stage st1 -V3", ["Stage", "st1", "-v3"]),
    ("Stage st1 -V 3", ["Stage", "st1", "-v3"]),
    ("Stage st1 -v 0 -vvvvv", ["Stage", "st1", "-v0"]),
    ("Stage -v 2 st1", ["Stage", "st1", "-v2"]),
    # -file in both forms
    ("Stage st1 --file=/data/stage.db", ["Stage", "st1", "-file=/data/stage.db"]),
    ("Stage st1 -file /data/stage.db -v 1", ["Stage", "st1", "-v1", "-file=/data/stage.db"]),
    # the end point: from -port (host 0.0.0.0 by default), -ORBendPoint wins, -host alone is no end point
    ("Stage st1 --port=7001", ["Stage", "st1", "-ORBendPoint", "giop:tcp:0.0.0.0:7001"]),
    ("Stage st1 --host 192.168.1.5 --port 7001", ["Stage", "st1", "-ORBendPoint", "giop:tcp:192.168.1.5:7001"]),
    ("Stage st1 -host stage.local", ["Stage", "st1"]),
    ("Stage st1 -port 7001 -ORBendPoint giop:tcp:127.0.0.1:7002",
     ["Stage", "st1", "-ORBendPoint", "giop:tcp:127.0.0.1:7002"]),
    ("Stage st1 -nodb -ORBendPoint=giop:tcp::0", ["Stage", "st1", "-nodb", "-ORBendPoint", "giop:tcp::0"]),
    # -nodb always before -dlist (cppTango's order), the end point after them
    ("Stage st1 -dlist a/b/c -port 7001 --nodb",
     ["Stage", "st1", "-nodb", "-dlist", "a/b/c", "-ORBendPoint", "giop:tcp:0.0.0.0:7001"]),
    # omniORB's options: in the order first seen, the last value of one given twice, = accepted
    ("Stage st1 --ORBgiopMaxMsgSize 100 -ORBtraceLevel 1 -ORBtraceLevel 4",
     ["Stage", "st1", "-ORBgiopMaxMsgSize", "100", "-ORBtraceLevel", "4"]),
    ("Stage st1 -ORBtraceLevel=5", ["Stage", "st1", "-ORBtraceLevel", "5"]),
])
def test_parse_args_exact(command_line, expected, platform):
    assert parse_args(command_line.split()) == expected


def test_parse_args_takes_any_values_and_leaves_its_argument_alone():
    args = ["Stage.py", "st1", "-port", 7001, "-v", "2"]
    assert parse_args(args) == ["Stage", "st1", "-v2", "-ORBendPoint", "giop:tcp:0.0.0.0:7001"]
    assert args == ["Stage.py", "st1", "-port", 7001, "-v", "2"]
    assert parse_args(("Stage", "st1")) == ["Stage", "st1"]


def test_windows_options(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    assert parse_args(["Stage", "st1", "--dbg", "-u"]) == ["Stage", "st1", "-dbg", "-u"]
    monkeypatch.setattr(sys, "platform", "linux")
    for option in ("-dbg", "--dbg", "-i", "-s", "-u"):
        with pytest.raises(SystemExit) as info:
            parse_args(["Stage", "st1", option])
        assert info.value.code == 2
        assert capsys.readouterr().err.endswith(f"Stage: error: unrecognized arguments: {option}\n")


@pytest.mark.parametrize("command_line, error", [
    ("Stage", "the following arguments are required: instance_name"),
    ("Stage -nodb -port 7001", "the following arguments are required: instance_name"),
    ("Stage st1 -x", "unrecognized arguments: -x"),
    ("Stage st1 --orbtraceLevel 1", "unrecognized arguments: --orbtraceLevel 1"),
    ("Stage st1 -ORBtraceLevel", "argument -ORBtraceLevel/--ORBtraceLevel: expected one argument"),
    ("Stage st1 -port", "argument -port/--port: expected one argument"),
    ("Stage st1 --verbose=3", "argument -v/--verbose: ignored explicit argument '3'"),
])
def test_parse_args_refuses_as_argparse(command_line, error, capsys):
    with pytest.raises(SystemExit) as info:
        parse_args(command_line.split())
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: Stage instance_name [-v[N]]")
    assert err.endswith(f"\nStage: error: {error}\n")


@pytest.mark.parametrize("command_line, message", [
    ("Stage st1 -nodb", "-nodb needs the port to listen on: give -port (and -host) or -ORBendPoint"),
    ("Stage st1 -nodb -host 127.0.0.1", "-nodb needs the port to listen on: give -port (and -host) "
                                        "or -ORBendPoint"),
    ("Stage st1 -dlist a/b/c -port 7001",
     "-dlist names the devices of a server without database: give -nodb too"),
])
def test_parse_args_refuses_what_cppTango_cannot_run(command_line, message):
    with pytest.raises(SystemExit) as info:
        parse_args(command_line.split())
    assert info.value.code == message


def test_parse_args_of_nothing():
    with pytest.raises(SystemExit):
        parse_args([])


@pytest.mark.parametrize("flag", ["-h", "-?", "--help"])
def test_parse_args_help(flag, capsys):
    with pytest.raises(SystemExit) as info:
        parse_args(["Stage.py", "st1", flag, "-x"])
    assert info.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("usage: Stage instance_name [-v[N]] [-file=<path> | -nodb [-dlist <dev1,dev2,...>]]\n"
                          "       [-host <host>] [-port <port>] [-ORBendPoint giop:tcp:<host>:<port>] "
                          "[-ORB<option> <value> ...]\n")
    # argparse writes an option's value once (Python 3.13) or after each spelling (before)
    options = (("-h, -?, --help", ""), ("-v, --verbose", ""), ("-file, --file", " PATH"),
               ("-host, --host", " HOST"), ("-port, --port", " PORT"), ("-nodb, --nodb", ""),
               ("-dlist, --dlist", " DEV1,DEV2,..."),
               ("-ORBendPoint, --ORBendPoint", " giop:tcp:<host>:<port>"))
    for spellings, value in options:
        short, long = spellings.split(", ", 1) if spellings.count(", ") == 1 else (spellings, "")
        once = f"\n  {spellings}{value}"
        each = f"\n  {short}{value}, {long}{value}" if long else once
        assert once in out or each in out, (once, each)
    assert "-dbg" not in out  # a Windows option


def test_help_and_usage_list_the_instances_the_database_knows(monkeypatch, capsys):
    asked = []

    class Known:
        value_string = ["st1", "st2"]

    class FakeDatabase:
        def get_instance_name_list(self, server):
            asked.append(server)
            return Known()

    monkeypatch.setattr(tango.db, "Database", FakeDatabase)
    with pytest.raises(SystemExit):
        parse_args(["servers/Stage.py", "-h"])
    assert capsys.readouterr().out.startswith(
        "usage: servers/Stage instance_name [-v[N]] [-file=<path> | -nodb [-dlist <dev1,dev2,...>]]\n"
        "       [-host <host>] [-port <port>] [-ORBendPoint giop:tcp:<host>:<port>] [-ORB<option> <value> ...]\n"
        "Instances of the server Stage in the Tango database:\n\tst1\n\tst2\n"
        "\nRun a Tango device server.\n")
    with pytest.raises(SystemExit):
        parse_args(["Stage"])
    assert capsys.readouterr().err.endswith(
        "\nInstances of the server Stage in the Tango database:\n\tst1\n\tst2\n"
        "Stage: error: the following arguments are required: instance_name\n")
    Known.value_string = []
    with pytest.raises(SystemExit):
        parse_args(["Stage"])
    assert "\nThe Tango database knows no instance of the server Stage.\nStage: error" in capsys.readouterr().err
    assert asked == ["Stage", "Stage", "Stage"]


def test_help_lists_the_instances_of_a_real_database():
    from tango_databases import PyDatabaseServer

    database = PyDatabaseServer().start()
    try:
        db = tango.Database(*database.tango_host.split(":"))
        for instance in ("inst2", "inst1"):
            db.add_server(f"StageDb/{instance}", [tango.DbDevInfo(f"test/stagedb/{instance}", "StageDb",
                                                                  f"StageDb/{instance}")])
        code = "from tango.pyutil import parse_args\nparse_args(['StageDb.py', '{}'])"
        for flag, stream, status in (("-h", "stdout", 0), ("-x", "stderr", 2)):
            result = subprocess.run([sys.executable, "-c", code.format(flag)], capture_output=True, text=True,
                                    timeout=60, env=database.env())
            assert result.returncode == status, result.stderr
            assert ("]\nInstances of the server StageDb in the Tango database:\n\tinst1\n\tinst2\n"
                    in getattr(result, stream)), result
    finally:
        database.stop()


# -- tango.server.__to_callback ------------------------------------------------------------------

def _called():
    return "called"


def _added(a, b, c=0):
    return a + b + c


async def _coroutine(x=1):
    return x * 10


def test_to_callback_is_tango_servers():
    import tango.server

    assert tango.server.__to_callback is vars(sys.modules["tango.server.run"])["__to_callback"]
    assert "__to_callback" not in tango.server.__all__


@pytest.mark.parametrize("mode", [GreenMode.Synchronous, GreenMode.Futures, GreenMode.Gevent])
def test_to_callback_forms(mode):
    nothing = __to_callback(None, "pre_init_callback", mode)
    assert callable(nothing) and nothing() is None
    assert __to_callback(_called, "post_init_callback", mode) is _called
    for form, result in (([_called], "called"), ((_called,), "called"), ((_added, (1, 2)), 3),
                         ([_added, [1, 2], {"c": 4}], 7), ((_added, (), {"a": 1, "b": 1}), 2),
                         ((_added, (5, 5), {}), 10)):
        callback = __to_callback(form, "post_init_callback", mode)
        assert callable(callback) and not inspect.iscoroutinefunction(callback)
        assert callback() == result
    bound = __to_callback((_added, (1,)), "cb", mode)
    assert bound(2) == 3  # a partial: further arguments go to the callable


@pytest.mark.parametrize("wrong", [{}, {"f": _called}, [], (), ["invalid"], [None], [_called, (), {}, 4], 42,
                                   "_called", b"abc"])
def test_to_callback_refuses(wrong):
    with pytest.raises(TypeError) as info:
        __to_callback(wrong, "pre_init_callback", GreenMode.Synchronous)
    assert str(info.value) == "pre_init_callback must be a callable or a sequence (callable[, args[, kwargs]])"


def test_to_callback_refuses_args_that_are_not_a_sequence():
    with pytest.raises(TypeError):
        __to_callback((_added, 5), "cb", GreenMode.Synchronous)
    with pytest.raises(TypeError):
        __to_callback((_added, (), [1]), "cb", GreenMode.Synchronous)


def test_to_callback_in_asyncio():
    mode = GreenMode.Asyncio
    assert __to_callback(_coroutine, "cb", mode) is _coroutine
    assert __to_callback(asyncio.sleep, "cb", mode) is asyncio.sleep
    for form, result in ((_called, "called"), ((_added, (1, 2)), 3), ((_coroutine, (4,)), 40),
                         ((_coroutine, (), {"x": 5}), 50)):
        callback = __to_callback(form, "cb", mode)
        assert inspect.iscoroutinefunction(callback), form
        assert asyncio.run(callback()) == result, form
    wrapped = __to_callback(_called, "cb", mode)
    assert wrapped.__name__ == "_called" and wrapped.__wrapped__ is _called
    partial = __to_callback((_coroutine, (2,)), "cb", mode)
    assert isinstance(partial, functools.partial) and partial.func is _coroutine
    nothing = __to_callback(None, "cb", mode)  # as PyTango's: a plain function, in every mode
    assert not inspect.iscoroutinefunction(nothing) and nothing() is None


# -- servers started with the PyTango options ----------------------------------------------------

SERVER = textwrap.dedent("""
    import sys
    import threading
    import tango
    from tango import GreenMode
    from tango.server import Device, attribute, run

    class Stage(Device):
        green_mode = GreenMode.{mode}

        @attribute(dtype=int)
        def position(self):
            return 42

    def ready(tag):
        print("post_init", tag, tango.Util.instance().get_ds_name(), threading.current_thread().name,
              flush=True)

    if sys.argv[1] == "run_server":
        Stage.run_server(sys.argv[2:], post_init_callback=(ready, ["run_server"]))
    else:
        run((Stage,), post_init_callback=(ready, (), {{"tag": "run"}}))
""")


def _lines_until(proc, text, timeout=60):
    """The lines proc prints until one starts with ``text`` (or its output ends, or the time is up)."""
    return _read_until(proc, text, time.monotonic() + timeout)


@pytest.mark.parametrize("mode, how, options, server, thread", [
    ("Synchronous", "run", ["--nodb", "--dlist", "test/pyutil/1", "--port", "{port}", "--host", "127.0.0.1"],
     "stage_server/inst", "MainThread"),
    ("Synchronous", "run_server", ["-nodb", "-port", "{port}", "-dlist", "test/pyutil/1", "-v", "1"],
     "Stage/inst", "MainThread"),
    ("Asyncio", "run_server", ["-ORBtraceLevel", "0", "--nodb", "-dlist", "test/pyutil/1", "-port", "{port}"],
     "Stage/inst", "pytango-asyncio"),
    ("Futures", "run", ["--port={port}", "-nodb", "-dlist", "test/pyutil/1", "-vv"],
     "stage_server/inst", "pytango-futures"),
])
def test_a_server_started_with_pytango_options(tmp_path, mode, how, options, server, thread):
    script = tmp_path / "stage_server.py"
    script.write_text(SERVER.format(mode=mode))
    port = free_loopback_port()
    argv = [a.format(port=port) for a in options]
    command = [sys.executable, str(script)] + (["run_server"] if how == "run_server" else []) + ["inst", *argv]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=tmp_path)
    try:
        lines = _lines_until(proc, "Ready to accept request")
        assert lines[-1:] == ["Ready to accept request"], lines
        assert f"post_init {how} {server} {thread}" in lines, lines
        proxy = tango.DeviceProxy(f"tango://127.0.0.1:{port}/test/pyutil/1#dbase=no")
        assert proxy.position == 42
    finally:
        proc.kill()
        proc.wait(10)
        proc.stdout.close()


@pytest.mark.parametrize("options, code, stderr_end", [
    (["inst", "-nodb", "-dlist", "test/pyutil/1"], 1,
     "-nodb needs the port to listen on: give -port (and -host) or -ORBendPoint\n"),
    (["inst", "--port"], 2, "stage_server: error: argument -port/--port: expected one argument\n"),
    (["inst", "-nodb", "-port", "1", "--orbtraceLevel", "3"], 2,
     "stage_server: error: unrecognized arguments: --orbtraceLevel 3\n"),
])
def test_a_server_refuses_a_bad_command_line(tmp_path, options, code, stderr_end):
    script = tmp_path / "stage_server.py"
    script.write_text(SERVER.format(mode="Synchronous"))
    result = subprocess.run([sys.executable, "stage_server.py", *options], capture_output=True, text=True,
                            timeout=60, cwd=tmp_path)
    assert result.returncode == code
    assert result.stderr.endswith(stderr_end), result.stderr
    assert "Traceback" not in result.stderr and "post_init" not in result.stdout


def test_run_raises_systemexit_for_help_even_without_raises(capsys):
    from tango.server import Device, run

    class Helped(Device):
        pass

    for raises in (False, True):
        with pytest.raises(SystemExit) as info:
            run((Helped,), args=["helped.py", "--help"], raises=raises)
        assert info.value.code == 0
        assert capsys.readouterr().out.startswith("usage: helped instance_name")


def test_util_reads_its_command_line_as_parse_args(capsys):
    # tango.Util(argv) reads argv as run() does: a bad one never reaches cppTango
    with pytest.raises(SystemExit) as info:
        tango.Util(["Stage.py", "inst", "-nodb"])
    assert info.value.code == "-nodb needs the port to listen on: give -port (and -host) or -ORBendPoint"


# -- tango.utils: get_latest_device_class, parse_type_hint ---------------------------------------

def test_get_latest_device_class():
    latest = get_latest_device_class()
    assert latest is tango.Device_6Impl is tango.LatestDeviceImpl
    assert issubclass(tango.LatestDeviceImpl, latest)
    assert "get_latest_device_class" not in tango.utils.__all__  # as PyTango's tango.utils
    assert "parse_type_hint" in tango.utils.__all__


class Mode(enum.IntEnum):
    IDLE = 0
    BUSY = 1


F64 = np.float64


@pytest.mark.parametrize("hint, caller, expected", [
    (int, "attribute", (int, SCALAR, None, None)),
    (float, "command", (float, SCALAR, None, None)),
    (str, "property", (str, SCALAR, None, None)),
    (np.uint16, "attribute", (np.uint16, SCALAR, None, None)),
    (DevState, "attribute", (DevState, SCALAR, None, None)),
    (Mode, "attribute", (Mode, SCALAR, None, None)),
    # spectra: max_x is the number of elements the hint lists (None with ...)
    (list[int], "attribute", (int, SPECTRUM, 1, None)),
    (typing.List[float], "command", (float, SPECTRUM, 1, None)),
    (tuple[float, float, float], "attribute", (float, SPECTRUM, 3, None)),
    (tuple[int, ...], "command", (int, SPECTRUM, None, None)),
    (list[str], "property", ((str,), SPECTRUM, 1, None)),
    (tuple[bool, bool], "property", ((bool,), SPECTRUM, 2, None)),
    # images (attributes): max_x the row's size, max_y the number of rows
    (list[list[int]], "attribute", (int, IMAGE, 1, 1)),
    (tuple[tuple[int, int, int], tuple[int, int, int]], "attribute", (int, IMAGE, 3, 2)),
    (tuple[tuple[float, ...], ...], "attribute", (float, IMAGE, None, None)),
    (list[list[list[int]]], "attribute", (list[int], IMAGE, 1, 1)),
    # the Tango types written as pairs, and (value, time, quality)
    (tuple[str, bytes], "attribute", ("DevEncoded", SCALAR, None, None)),
    (tuple[str, bytearray, float, AttrQuality], "attribute", ("DevEncoded", SCALAR, None, None)),
    (tuple[list[int], list[str]], "command", ("DevVarLongStringArray", SCALAR, None, None)),
    (tuple[tuple[float], tuple[str]], "command", ("DevVarDoubleStringArray", SCALAR, None, None)),
    (tuple[int, float, AttrQuality], "attribute", (int, SCALAR, None, None)),
    (tuple[list[float], float, AttrQuality], "attribute", (float, SPECTRUM, 1, None)),
    # numpy arrays: the declaration says the format
    (npt.NDArray[np.float64], "attribute", (np.float64, None, None, None)),
    (npt.NDArray[np.int16], "command", ((np.int16,), None, None, None)),
    (npt.NDArray[np.bool_], "property", ((np.bool_,), None, None, None)),
    # what is no list/tuple hint stays as it is
    ((int,), "attribute", ((int,), SCALAR, None, None)),
    (typing.Sequence[int], "attribute", (typing.Sequence[int], SCALAR, None, None)),
    (np.ndarray, "attribute", (np.ndarray, SCALAR, None, None)),
    (None, "command", (None, SCALAR, None, None)),
    # string hints are evaluated where the caller is
    ("int", "attribute", (int, SCALAR, None, None)),
    ("tuple[float, float]", "attribute", (float, SPECTRUM, 2, None)),
    ("npt.NDArray[F64]", "attribute", (np.float64, None, None, None)),
    ("Mode", "attribute", (Mode, SCALAR, None, None)),
    ("DevDouble", "attribute", ("DevDouble", SCALAR, None, None)),
])
def test_parse_type_hint(hint, caller, expected):
    assert parse_type_hint(hint, caller) == expected


def test_parse_type_hint_evaluates_strings_in_the_callers_frames():
    class Local(enum.IntEnum):
        A = 0

    def nested():
        return parse_type_hint("list[Local]", caller="attribute")

    assert parse_type_hint("Local", caller="attribute") == (Local, SCALAR, None, None)
    assert nested() == (Local, SPECTRUM, 1, None)
    hint, dformat, _, _ = parse_type_hint("NoSuchType", caller="attribute")
    assert (hint, dformat) == ("NoSuchType", SCALAR)
    with pytest.raises(RuntimeError, match="Cannot translate 'NoSuchType' to TANGO type"):
        get_tango_type_format(hint, dformat, "attribute")


@pytest.mark.parametrize("hint, caller, message", [
    (tuple[tuple[int]], "property", "Property does not support IMAGE type"),
    (list[list[float]], "command", "Command does not support IMAGE type"),
    (tuple[tuple[int], tuple[int]], "command", "Command does not support IMAGE type"),
    (tuple[tuple[int, float], float], "property", "Property does not support IMAGE type"),
    (tuple[int, float], "property", "PyTango does not support mixed types in SPECTRUM property"),
    (tuple[int, str], "command", "PyTango does not support mixed types in SPECTRUM command"),
    (tuple[int, float], "attribute", "PyTango does not support mixed types in SPECTRUM attributes"),
    (tuple[tuple[int, float], float], "attribute", "PyTango does not support mixed types in IMAGE attributes"),
    (tuple[tuple[int, int], list[int, int]], "attribute",
     "PyTango does not support mixed types in IMAGE attributes"),
    (tuple[tuple[int, int], tuple[int, float]], "attribute",
     "PyTango does not support mixed types in IMAGE attributes"),
])
def test_parse_type_hint_refuses(hint, caller, message):
    with pytest.raises(RuntimeError) as info:
        parse_type_hint(hint, caller)
    assert str(info.value).startswith(message + ": ")


def test_parse_type_hint_then_the_tango_type():
    assert get_tango_type_format(*parse_type_hint(list[float], "attribute")[:2]) == (
        tango.CmdArgType.DevDouble, SPECTRUM)
    assert get_tango_type_format(*parse_type_hint(tuple[str, bytes], "attribute")[:2]) == (
        tango.CmdArgType.DevEncoded, SCALAR)
    with pytest.raises(RuntimeError, match="Cannot translate"):
        get_tango_type_format(*parse_type_hint(Callable[[int], None], "attribute")[:2], "attribute")
