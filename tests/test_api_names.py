"""The module layout and pure-Python names of PyTango 10.3: tango.constants, tango.release,
tango.codec, the warning category, ``import PyTango``, tango.test_utils' later helpers."""

import asyncio
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import tango
import tango.futures
import tango.test_context
from tango import test_utils


def run_python(code):
    """Run ``code`` in a fresh interpreter (warnings as errors); its stdout."""
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                            text=True, timeout=120, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- tango.constants -----------------------------------------------------------------------------

def test_constants_is_a_module_with_cppTangos_values():
    import tango.constants as constants

    assert tango.constants is constants and constants.__name__ == "tango.constants"
    compiled = {n: v for n, v in vars(tango._tango.constants).items() if not n.startswith("_")}
    assert compiled and all(getattr(constants, n) == v for n, v in compiled.items())
    assert constants.TgLibVers == tango.__cpptango_version__
    assert constants.TgLibVers.startswith(f"{constants.TANGO_VERSION_MAJOR}.{constants.TANGO_VERSION_MINOR}.")
    major, minor, patch = (int(p) for p in constants.TgLibVers.split("."))
    assert constants.TANGO_VERSION_HEX == int(f"0x{major:02d}{minor:02d}{patch:02d}00", 16)
    assert constants.TELEMETRY_SUPPORTED is False
    assert set(constants.__all__) == {n for n in dir(constants) if not n.startswith("_")}


def test_constants_are_the_values_cppTango_uses(tmp_path):
    import sys

    import numpy

    from tango import constants as c
    from tango.server import Device, attribute
    from tango.test_context import DeviceTestContext

    class Plain(Device):
        @attribute(dtype=float)
        def level(self):
            return 1.0

    with DeviceTestContext(Plain) as proxy:
        with pytest.raises(tango.DevFailed) as info:
            proxy.read_attribute("no_such_attribute")
        assert info.value.args[0].reason == c.API_AttrNotFound == "API_AttrNotFound"
        with pytest.raises(tango.DevFailed) as info:
            proxy.command_inout("NoSuchCommand")
        assert info.value.args[0].reason == c.API_CommandNotFound
        assert proxy.get_timeout_millis() == c.CLNT_TIMEOUT == c.DEFAULT_TIMEOUT == 3000
        config = proxy.get_attribute_config("level")
        assert config.description == c.DescNotSpec and config.unit == ""
        assert config.min_alarm == c.AlrmValueNotSpec
        assert proxy.status() == "The device is in UNKNOWN state."
        # targets of add_logging_target: "<kind>::<where>"
        target = f"{c.kLogTargetFile}{c.kLogTargetSep}{tmp_path / 'plain.log'}"
        proxy.add_logging_target(target)
        assert f"file::{tmp_path / 'plain.log'}" in proxy.get_logging_target()
    assert (c.kLogTargetConsole, c.kLogTargetFile, c.kLogTargetDevice) == ("console", "file", "device")
    assert c.StatusNotSet == "Not initialised" and c.DescNotSet == c.NotSet == "Uninitialised"
    assert c.TANGO_VERSION == c.TgLibVers
    assert c.TANGO_VERSION_NB == c.TANGO_VERSION_MAJOR * 10000 + c.TANGO_VERSION_MINOR * 100 + c.TANGO_VERSION_PATCH
    assert (c.PY_MAJOR_VERSION, c.PY_MINOR_VERSION, c.PY_MICRO_VERSION) == sys.version_info[:3]
    assert c.PY_VERSION_HEX == sys.hexversion and c.NUMPY_VERSION == numpy.__version__
    assert c.AllAttr == "All attributes" and c.AllAttr_3 == "All attributes_3" and c.AllCmd == "All commands"


def test_constants_import_forms():
    out = run_python("import tango.constants as c; from tango.constants import TgLibVers; "
                     "print(c.TgLibVers == TgLibVers)")
    assert out.strip() == "True"


# -- tango.release and the version names ---------------------------------------------------------

def test_release():
    from tango.release import Release

    assert tango.Release is Release
    assert Release.name == "pytango"
    assert Release.version == tango.__version__ and Release.version_long == tango.__version_long__
    assert Release.version_info == tuple(tango.__version_info__)
    major, minor, micro = Release.version_info[:3]
    assert Release.version_number == tango.__version_number__ == major * 100 + minor * 10 + micro
    assert tango.__cpptango_version__ in Release.version_description
    assert tango.__version_description__ == Release.version_description
    for name in ("author_lines", "authors", "description", "download_url", "keywords", "license",
                 "long_description", "platform", "release", "separator", "url"):
        assert hasattr(Release, name), name


# -- tango.codec ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "pickle", "pickle5", "json-utf8"])
def test_codec_round_trip(fmt):
    from tango import codec

    value = {"a": [1, 2.5, "é"]}
    with pytest.warns(DeprecationWarning, match="removed in PyTango 11"):
        encoded = codec.dumps(fmt, value)
    assert encoded[0] == fmt
    with pytest.warns(DeprecationWarning):
        assert codec.loads(*encoded) == value


@pytest.mark.parametrize("fmt", ["yaml", "", None, 3])
def test_codec_unknown_format(fmt):
    from tango import codec

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(TypeError):
            codec.dumps(fmt, 1)
        with pytest.raises(TypeError):
            codec.loads(fmt, b"1")


# -- warnings ------------------------------------------------------------------------------------

def test_pytango_user_warning_and_warn_once():
    from tango._warnings import warn_once

    assert issubclass(tango.PyTangoUserWarning, UserWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert warn_once("first", key="test_api_names-key", category=tango.PyTangoUserWarning)
        assert not warn_once("again", key="test_api_names-key", category=tango.PyTangoUserWarning)
    assert [(w.category, str(w.message)) for w in caught] == [(tango.PyTangoUserWarning, "first")]
    assert caught[0].filename == __file__  # the warning points at the caller


# -- coverage helpers PyTango's tooling imports --------------------------------------------------

def test_coverage_helpers():
    from tango._instrumentation import _traced_coverage_run_active
    from tango._tango import _dump_cpp_coverage

    assert _traced_coverage_run_active is False
    with pytest.raises(RuntimeError, match="not built with C\\+\\+ coverage"):
        _dump_cpp_coverage()


# -- top-level names -----------------------------------------------------------------------------

def test_top_level_helpers_are_the_utils_ones():
    for name in ("is_array_type", "is_bool_type", "is_float_type", "is_int_type", "is_numerical_type",
                 "is_scalar_type", "is_str_type", "obj_2_str", "requires_pytango", "requires_tango",
                 "seqStr_2_obj", "str_2_obj"):
        assert getattr(tango, name) is getattr(tango.utils, name), name
        assert name in tango.__all__


def test_import_tango_does_not_import_heavy_modules():
    out = run_python("import sys, tango; print(sorted(m for m in ('numpy', 'asyncio', "
                     "'concurrent.futures', 'gevent', 'packaging') if m in sys.modules))")
    assert out.strip() == "[]"


# -- import PyTango ------------------------------------------------------------------------------

def test_pytango_is_tango():
    out = run_python(
        "import tango, PyTango, PyTango.server, PyTango.utils, PyTango.constants\n"
        "from PyTango.server import Device\n"
        "from PyTango import DeviceProxy\n"
        "import sys\n"
        "print(PyTango is tango, DeviceProxy is tango.DeviceProxy, Device is tango.server.Device,\n"
        "      PyTango.utils is tango.utils, PyTango.constants is tango.constants,\n"
        "      sys.modules['PyTango._PyTango'] is tango._tango,\n"
        "      sys.modules['PyTango.test_context'] is sys.modules['tango.test_context'])\n")
    assert out.split() == ["True"] * 7  # and without a warning: -W error


def test_pytango_submodule_that_needs_a_missing_extra():
    # tango.gevent needs gevent; PyTango.gevent fails exactly as tango.gevent does, or is it.
    out = run_python(
        "import PyTango, sys\n"
        "try:\n"
        "    import tango.gevent\n"
        "except ImportError:\n"
        "    print('PyTango.gevent' not in sys.modules)\n"
        "else:\n"
        "    print(sys.modules['PyTango.gevent'] is tango.gevent)\n")
    assert out.strip() == "True"


# -- tango.test_utils' later helpers -------------------------------------------------------------

def test_general_asyncio_decorator_keeps_a_coroutine_function():
    async def double(x):
        return 2 * x

    for decorated in (test_utils.general_asyncio_decorator(double),
                      test_utils.general_asyncio_decorator()(double)):
        assert asyncio.iscoroutinefunction(decorated) and decorated.__name__ == "double"
        assert asyncio.run(decorated(21)) == 42


def test_wrong_numpy_typing_hints_table():
    for case in test_utils.WRONG_NUMPY_TYPING_HINTS:
        dformat, max_x, max_y, value, error, match = case
        assert issubclass(error, Exception) and isinstance(match, str)


def test_get_server_port_via_pid_finds_tangotests_giop_port(tangotest):
    tangotest.ensure_running()
    pid = tangotest.process.pid
    assert test_utils.get_server_port_via_pid(pid, "127.0.0.1") == tangotest.port
    assert tango.test_context.get_server_port_via_pid is test_utils.get_server_port_via_pid
    proxy = test_utils.wait_for_nodb_proxy_via_pid(pid, "127.0.0.1", "sys/tg_test/1")
    assert int(proxy.get_dev_port()) == tangotest.port
    assert proxy.dev_name() == "sys/tg_test/1"
    assert proxy.read_attribute("long_scalar_w").name == "long_scalar_w"


def test_wait_for_nodb_proxy_via_pid_in_a_green_mode(tangotest):
    tangotest.ensure_running()
    proxy = test_utils.wait_for_nodb_proxy_via_pid(tangotest.process.pid, "127.0.0.1", "sys/tg_test/1",
                                                   tango.futures.DeviceProxy)
    assert proxy.get_green_mode() == tango.GreenMode.Futures
    assert proxy.read_attribute("short_scalar", wait=False).result(30).name == "short_scalar"


def test_get_server_port_via_pid_errors():
    # a process that does not exist
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with pytest.raises(RuntimeError, match=f"no process with pid {child.pid}"):
        test_utils.get_server_port_via_pid(child.pid, "127.0.0.1", retries=3, delay=0.01)
    # a process that listens, but does not speak GIOP (not this one: the first test context of
    # a process serves in it)
    # (stdin a pipe: it keeps the listener up; CI gives the tests /dev/null)
    listener = subprocess.Popen([sys.executable, "-c", LISTENER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True)
    try:
        assert listener.stdout.readline() == "listening\n"
        with pytest.raises(RuntimeError, match="answers GIOP"):
            test_utils.get_server_port_via_pid(listener.pid, "127.0.0.1", retries=10, delay=0.01)
    finally:
        listener.kill()
        listener.wait()


LISTENER = """
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print("listening", flush=True)
sys.stdin.read()
"""


def test_green_mode_names_and_values():
    from tango import GreenMode

    assert GreenMode.names == {"Synchronous": GreenMode.Synchronous, "Futures": GreenMode.Futures,
                               "Gevent": GreenMode.Gevent, "Asyncio": GreenMode.Asyncio}
    assert list(GreenMode.values) == [0, 1, 2, 3]
    assert list(GreenMode.values.values()) == list(GreenMode)
    assert "names" not in GreenMode.__members__ and "values" not in GreenMode.__members__


def test_numpy_typing_hint_tables():
    import numpy as np
    import numpy.typing as npt

    general = test_utils.NUMPY_GENERAL_TYPING_HINTS
    assert (np.int16, np.int16, tango.AttrDataFormat.SCALAR, -32768) in general
    assert (np.int16, npt.NDArray[np.int16], tango.AttrDataFormat.SPECTRUM, [-32768, 32767]) in general
    assert {case[2] for case in test_utils.NUMPY_IMAGES_TYPING_HINTS} == {tango.AttrDataFormat.IMAGE}
    assert len(test_utils.NUMPY_IMAGES_TYPING_HINTS) * 2 == len(general)


@pytest.mark.parametrize("mode, kind", test_utils.EXTRACT_AS[:3], ids=lambda x: getattr(x, "name", ""))
def test_convert_to_type_is_what_extract_as_reads(tangotest, mode, kind):
    tangotest.ensure_running()
    proxy = tango.DeviceProxy(tangotest.name)
    proxy.write_attribute("short_spectrum", [1, -2, 300])
    read = proxy.read_attribute("short_spectrum", extract_as=mode).value
    expected = test_utils.convert_to_type([1, -2, 300], tango.CmdArgType.DevShort, kind)
    assert type(read) is type(expected) is kind
    if kind is np.ndarray:
        assert read.dtype == expected.dtype == np.int16 and read.tolist() == [1, -2, 300]
    else:
        assert read == expected == kind([1, -2, 300])


def test_convert_to_type_raw_forms():
    import struct

    raw = struct.pack("<3h", 1, -2, 300)  # the int16 numbers as the wire (little endian) has them
    convert = test_utils.convert_to_type
    assert convert([1, -2, 300], tango.CmdArgType.DevShort, bytes) == raw
    assert convert([1, -2, 300], tango.CmdArgType.DevShort, bytearray) == bytearray(raw)
    assert convert([1, -2, 300], tango.CmdArgType.DevShort, str) == raw.decode("latin-1")
    assert convert([1.5], tango.CmdArgType.DevDouble, bytes) == struct.pack("<d", 1.5)
    with pytest.raises(TypeError):
        convert([1], tango.CmdArgType.DevShort, dict)


def test_value_shape_helpers():
    from tango import AttrDataFormat as F
    from tango import DevState

    assert [test_utils.make_nd_value(7, f) for f in (F.SCALAR, F.SPECTRUM, F.IMAGE)] == [7, (7,), ((7,),)]
    test_utils.check_attr_type(((DevState.ON, DevState.OFF),), F.IMAGE, DevState)
    with pytest.raises(AssertionError):
        test_utils.check_attr_type([1, "x"], F.SPECTRUM, int)
    test_utils.check_read_attr([DevState.ON, DevState.ON], F.SPECTRUM, 0, "ON")
    with pytest.raises(AssertionError, match="label"):
        test_utils.assert_value_label(DevState.OFF, 1, "ON")
    assert test_utils.repr_numpy_type(int, F.SPECTRUM) == "np.NDarray[int], SPECTRUM"
    assert test_utils.str_devstring == test_utils.bytes_devstring.decode("latin-1")
    assert len(test_utils.bytes_devstring) == 255 and 0 not in test_utils.bytes_devstring


def test_submodules_are_reached_from_the_package_as_in_pytango():
    # PyTango's package imports them: code names tango.device_server without importing it
    script = ("import sys, tango; assert 'tango.device_server' not in sys.modules; "
              "print(tango.device_server.get_worker.__module__, tango.test_utils.DeviceTestContext.__name__, "
              "hasattr(tango, 'no_such_module'))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["tango.server.green", "DeviceTestContext", "False"]
