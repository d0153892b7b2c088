"""A second, independent client: tests/cpp/check_client.cpp (plain cppTango) against a Python
device server. The client is compiled on the fly (about 30 s) and cached in tests/cpp/build/
under the hash of its source."""

import hashlib
import os
import shutil
import subprocess
import tempfile

import pytest

from tango import AttrWriteType, DevState
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "cpp", "check_client.cpp")
CACHE = os.path.join(HERE, "cpp", "build")


def _compile_flags():
    if shutil.which("g++") is None:
        pytest.skip("g++ is not installed: cannot build the C++ check client")
    if shutil.which("pkg-config") is None:
        pytest.skip("pkg-config is not installed: cannot find cppTango's build flags")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "tango"], capture_output=True, text=True)
    if flags.returncode != 0:
        pytest.skip(f"cppTango's development files are missing (pkg-config tango: {flags.stderr.strip()})")
    return flags.stdout.split()


def _check_client():
    """The compiled client, built once per version of its source (and of the flags)."""
    flags = _compile_flags()
    with open(SOURCE, "rb") as f:
        digest = hashlib.sha256(f.read() + " ".join(flags).encode()).hexdigest()[:16]
    binary = os.path.join(CACHE, f"check_client-{digest}")
    if os.path.exists(binary):
        return binary
    os.makedirs(CACHE, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        built = os.path.join(tmp, "check_client")
        result = subprocess.run(["g++", "-O0", "-std=c++17", SOURCE, "-o", built, *flags],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"the C++ check client does not compile:\n{result.stderr}"
        os.replace(built, binary)  # atomic: a concurrent run sees a whole binary or none
    return binary


class CheckTarget(Device):
    def init_device(self):
        self._voltage = 1.25
        self.set_state(DevState.ON)
        self.set_status("checked from C++")

    voltage = attribute(dtype=float, access=AttrWriteType.READ_WRITE, unit="V", label="Voltage",
                        max_value=100)

    def read_voltage(self):
        return self._voltage

    def write_voltage(self, value):
        self._voltage = value

    @attribute(dtype=(float,), max_dim_x=8)
    def trace(self):
        return [0.5, -1.0, 1e-20]

    @attribute(dtype=float)
    def broken(self):
        raise ValueError("broken on purpose")

    @command(dtype_in=float, dtype_out=float, doc_in="a factor")
    def scale(self, factor):
        return self._voltage * factor

    @command(dtype_in=str, dtype_out=str)
    def greet(self, name):
        return f"hello {name}, voltage {self._voltage}"

    @command(dtype_in=("int32",), dtype_out=int)
    def total(self, values):
        return int(sum(values))

    @command
    def fail(self):
        raise RuntimeError("command failed on purpose")


def test_python_server_checked_by_the_cpp_client():
    client = _check_client()
    with DeviceTestContext(CheckTarget, debug=0) as proxy:
        result = subprocess.run([client, proxy.get_full_name() if hasattr(proxy, "get_full_name")
                                 else proxy.dev_name()], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = dict(line.split("=", 1) for line in result.stdout.splitlines())
        assert lines == {
            "voltage.read": "1.25",
            "voltage.after_write": "2.75",
            "voltage.set_point": "2.75",
            "scale": "4.125",
            "greet": "hello cpp, voltage 2.75",
            "total": "12",
            "trace": "0.5,-1,9.9999999999999995e-21",
            "state": "ON",
            "status": "checked from C++",
            "voltage.unit": "V",
            "voltage.label": "Voltage",
            "voltage.max_value": "100",
            "scale.in_type": "5",  # DevDouble
            "scale.doc_in": "a factor",
            "broken.reason": "PyDs_PythonError",
            "fail.reason": "PyDs_PythonError",
            "done": "yes",
        }
        # and the Python client sees what the C++ client did
        assert proxy.voltage == 2.75
        assert proxy.read_attribute("voltage").w_value == 2.75
