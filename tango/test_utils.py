"""Helpers for testing Tango device servers with pytest, as PyTango's ``tango.test_utils``.

    from tango.test_utils import DeviceTestContext, assert_close

    def test_voltage():
        with DeviceTestContext(PowerSupply) as proxy:
            assert_close(proxy.voltage, 1.23)

Example values per dtype form (``TYPED_VALUES``, ``GENERAL_TYPED_VALUES``, ``IMAGE_TYPED_VALUES``,
``COMMAND_TYPED_VALUES``, ``NUMPY_TYPED_VALUES``...) serve to parametrise tests. The pytest
fixtures below are used by importing them into a test module or a ``conftest.py``::

    from tango.test_utils import state, typed_values, server_green_mode  # noqa: F401

or, for all of them at once, with ``pytest -p tango.test_utils``.
"""

import enum
import functools
import math
import numbers
import time

import numpy as np

from . import (
    AttrDataFormat, AttrWriteType, CmdArgType, DevFailed, DevState, DevVarDoubleStringArray,
    DevVarLongStringArray, ExtractAs,
    GreenMode, SerialModel,
)
from .device_proxy import DeviceProxy
from .server import Device
from .server.classic import DeviceClass, LatestDeviceImpl
from .test_context import DeviceTestContext, MultiDeviceTestContext

try:
    import pytest
except ImportError:  # the fixtures need pytest; the rest of the module does not
    pytest = None

try:
    import numpy.typing as npt

    npt.NDArray
except (ImportError, AttributeError):
    npt = None

__all__ = [
    "DeviceTestContext", "MultiDeviceTestContext", "SimpleDevice", "ClassicAPISimpleDeviceImpl",
    "ClassicAPISimpleDeviceClass", "assert_close", "repr_type",
    "create_result", "convert_dtype_to_typing_hint", "general_decorator", "wait_for_proxy",
    "GoodEnum", "BadEnumNonZero", "BadEnumSkipValues", "BadEnumDuplicates", "UTF8_STRING",
    "TYPED_VALUES", "GENERAL_TYPED_VALUES", "IMAGE_TYPED_VALUES", "IMAGE_VALUES",
    "ALL_TYPED_VALUES", "COMMAND_TYPED_VALUES", "NUMPY_TYPED_VALUES", "DEV_ENCODED_DATA",
    "EXTRACT_AS", "BASE_TYPES", "GREEN_MODES", "SERVER_GREEN_MODES", "CLIENT_GREEN_MODES",
    "OS_SYSTEMS", "DEVICE_SERVER_ARGUMENTS",
    # fixtures
    "state", "typed_values", "general_typed_values", "attribute_typed_values",
    "command_typed_values", "image_typed_values", "attribute_numpy_typed_values",
    "command_numpy_typed_values", "dev_encoded_values", "extract_as", "base_type", "green_mode",
    "server_green_mode", "client_green_mode", "attr_data_format", "server_serial_model",
]


# -- devices and enums for tests ------------------------------------------------------------------

class SimpleDevice(Device):
    """The smallest useful device: it only says it is ON."""

    def init_device(self):
        self.set_state(DevState.ON)


class ClassicAPISimpleDeviceImpl(LatestDeviceImpl):
    """A classic-API device (with ClassicAPISimpleDeviceClass): ``attr1`` reads 100."""

    def __init__(self, cl, name):
        LatestDeviceImpl.__init__(self, cl, name)
        ClassicAPISimpleDeviceImpl.init_device(self)

    def init_device(self):
        self.get_device_properties(self.get_device_class())
        self.attr_attr1_read = 100

    def read_attr1(self, attr):
        attr.set_value(self.attr_attr1_read)


class ClassicAPISimpleDeviceClass(DeviceClass):
    """The class half of ClassicAPISimpleDeviceImpl: one DevLong64 scalar, ``attr1``."""

    attr_list = {"attr1": [[CmdArgType.DevLong64, AttrDataFormat.SCALAR, AttrWriteType.READ]]}


class GoodEnum(enum.IntEnum):
    """A valid DevEnum: values 0, 1, 2... in order."""

    START = 0
    MIDDLE = 1
    END = 2


class BadEnumNonZero(enum.IntEnum):
    """Not a valid DevEnum: it does not start at 0."""

    START = 1
    MIDDLE = 2
    END = 3


class BadEnumSkipValues(enum.IntEnum):
    """Not a valid DevEnum: values are skipped."""

    START = 0
    MIDDLE = 2
    END = 4


class BadEnumDuplicates(enum.IntEnum):
    """Not a valid DevEnum: two names for one value."""

    START = 0
    MIDDLE = 1
    END = 1


# -- example values per dtype form ----------------------------------------------------------------

# For DevEncoded payloads (sent as UTF-8 when given as str). Letters from several scripts and planes, digits and ASCII punctuation (not NUL, which no
# DevString can carry).
UTF8_STRING = "".join([
    "Ωμέγα ßüñ ĳ", " Кириллица", " 漢字かなカナ", " 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂", " 0123456789",
    " !#$%&'()*+,-./:;<=>?@[]^_`{|}~",
])

# Every byte that a DevString can carry (1 to 255), as bytes and as the latin-1 str: DevString
# is Latin-1 text, so str values outside Latin-1 do not fit in one.
ints = tuple(range(1, 256))  # the byte values a DevString can carry (PyTango's name)
BYTES_DEVSTRING = bytes(ints)
STR_DEVSTRING = BYTES_DEVSTRING.decode("latin-1")

# The classic table: Python scalar types and their spectra, two values each.
TYPED_VALUES = {
    int: (1, 2),
    float: (2.71, 3.14),
    str: ("hey hey", "my my"),
    bool: (False, True),
    (int,): ([1, 2, 3], [9, 8, 7]),
    (float,): ([0.1, 0.2, 0.3], [0.9, 0.8, 0.7]),
    (str,): (["ab", "cd", "ef"], ["gh", "ij", "kl"]),
    (bool,): ([False, False, True], [True, False, False]),
}

# More values per form, in several containers (numpy arrays, tuples, lists), extremes included.
GENERAL_TYPED_VALUES = {
    int: (1, 2, -65535, 23, 2**62),
    float: (2.71, 3.14, -34.678e-10, 12.678e15, 0.0),
    str: ("hey hey", "my my", "", "café", BYTES_DEVSTRING, STR_DEVSTRING),
    bool: (False, True, True, False),
    (int,): (np.array([1, 2]), (1, 2, 3), [9, 8, 7], [-65535, 2224], [0, 0]),
    (float,): (np.array([0.1, 0.2]), (0.1, 0.2, 0.3), [0.9, 0.8, 0.7], (-6.3232e-3, 1.234e4),
               [0.0, 12.56e12]),
    (str,): (np.array(["foo", "bar"]), ("ab", "cd", "ef"), ["gh", "ij", "kl"], ["", "é"],
             3 * [BYTES_DEVSTRING], 3 * [STR_DEVSTRING]),
    (bool,): (np.array([True, False]), (False, False, True), [True, False, False], [False]),
}

IMAGE_TYPED_VALUES = {
    ((int,),): (
        np.array([[1, 2], [3, 4]]),
        ((1, 2, 3), (4, 5, 6), (7, 8, 9)),
        [[-65535, 2224, 23], [-6535, 224, 345]],
        [[5]],
    ),
    ((float,),): (
        np.array([[0.1, 0.2], [0.3, 0.4]]),
        ((0.1, 0.2, 0.3), (0.9, 0.8, 0.7)),
        [[-6.3232e-3, 0.0], [0.0, 12.56e12], [23.4, 1.56e2]],
    ),
    ((str,),): (
        np.array([["hi-hi", "ha-ha"], ["hu-hu", "yuhuu"]]),
        [["ab", "cd", "ef"], ["gh", "ij", "kl"]],
        (("ab", "ef"), ("gh", "ij")),
        [[STR_DEVSTRING, ""], ["é", "x"]],
        [2 * [BYTES_DEVSTRING], 2 * [BYTES_DEVSTRING]],
    ),
    ((bool,),): (
        np.array([[True, False], [False, True]]),
        [[False, False, True], [True, False, False]],
        ((False, True), (False, False)),
        [[True]],
    ),
}
IMAGE_VALUES = IMAGE_TYPED_VALUES  # the short name

ALL_TYPED_VALUES = {**GENERAL_TYPED_VALUES, **IMAGE_TYPED_VALUES}

# The command-only compound types: ([numbers], [strings]).
COMMAND_TYPED_VALUES = {
    DevVarLongStringArray: (([1, 2, 3], ["foo", "bar", "hmm"]), ([-5], [""])),
    DevVarDoubleStringArray: (([1.1, 2.2, 3.3], ["foo", "bar", "hmm"]), ([0.5], ["x", "y"])),
}

# numpy scalar types, each with a scalar, a spectrum and an image inside its range.
NUMPY_TYPED_VALUES = {
    np.bool_: (True, [True, False], [[True, False], [False, True]]),
    np.uint8: (255, [0, 255], [[1, 2], [3, 4]]),
    np.int16: (-32768, [-32768, 32767], [[1, -2], [3, 4]]),
    np.uint16: (65535, [0, 65535], [[1, 2], [3, 4]]),
    np.int32: (-(2**31), [-(2**31), 2**31 - 1], [[1, -2], [3, 4]]),
    np.uint32: (2**32 - 1, [0, 2**32 - 1], [[1, 2], [3, 4]]),
    np.int64: (-(2**63), [-(2**63), 2**63 - 1], [[1, -2], [3, 4]]),
    np.uint64: (2**64 - 1, [0, 2**64 - 1], [[1, 2], [3, 4]]),
    np.float32: (1.5, [-1.5, 3.25], [[1.5, 2.5], [3.5, 4.5]]),
    np.float64: (-1.5e300, [1.1, 2.2], [[1.1, 2.2], [3.3, 4.4]]),
}

# PyTango's module also has these names: the floating-point numpy types, with a scalar, a
# spectrum and an image value that fit every one of them.
dtypes = (np.float64, np.float32)
scalar = 1.1
spectrum = [1.1, 2.2]
image = [[1.1, 2.2], [3.3, 4.4]]

DEV_ENCODED_DATA = {
    "str": UTF8_STRING,
    "bytes": UTF8_STRING.encode(),
    "bytearray": bytearray(UTF8_STRING.encode()),
}

EXTRACT_AS = [
    (ExtractAs.Numpy, np.ndarray),
    (ExtractAs.Tuple, tuple),
    (ExtractAs.List, list),
    (ExtractAs.Bytes, bytes),
    (ExtractAs.ByteArray, bytearray),
    (ExtractAs.String, str),
]

BASE_TYPES = [float, int, str, bool]

GREEN_MODES = list(GreenMode)
SERVER_GREEN_MODES = list(GreenMode)
CLIENT_GREEN_MODES = list(GreenMode)


# -- device server command lines (tango.pyutil.parse_args) ----------------------------------------

# The platforms the command line cases are checked on (a case's first item lists those where it
# is valid: elsewhere parse_args refuses it with a SystemExit).
OS_SYSTEMS = ["linux", "win"]

_EVERYWHERE = ["linux", "win"]

# (platforms where it is valid, command line, what parse_args gives, compared as sets); a case
# valid nowhere ([]) must fail everywhere.
DEVICE_SERVER_ARGUMENTS = (
    # the port (and host) become omniORB's end point, the long options are the short ones
    (_EVERYWHERE, "PowerSupply ps1 --nodb --port 45450",
     ["PowerSupply", "ps1", "-nodb", "-ORBendPoint", "giop:tcp:0.0.0.0:45450"]),
    (_EVERYWHERE, "Motor.py -host 10.0.0.7 -port 20111 m2",
     ["Motor", "m2", "-ORBendPoint", "giop:tcp:10.0.0.7:20111"]),
    (_EVERYWHERE, "Camera cam --ORBendPoint giop:tcp:127.0.0.1:31000",
     ["Camera", "cam", "-ORBendPoint", "giop:tcp:127.0.0.1:31000"]),
    (_EVERYWHERE, "Camera cam -port 31001 -ORBendPoint giop:tcp:127.0.0.1:31000",
     ["Camera", "cam", "-ORBendPoint", "giop:tcp:127.0.0.1:31000"]),
    (_EVERYWHERE, "Vacuum v1 -nodb -port 5005 -dlist lab/vac/1,lab/vac/2",
     ["Vacuum", "v1", "-nodb", "-dlist", "lab/vac/1,lab/vac/2", "-ORBendPoint", "giop:tcp:0.0.0.0:5005"]),
    (_EVERYWHERE, "Shutter s -file /tmp/devices.txt", ["Shutter", "s", "-file=/tmp/devices.txt"]),
    (_EVERYWHERE, "Shutter s --file=shutters.db", ["Shutter", "s", "-file=shutters.db"]),
    ([], "Shutter s -nodb", []),  # no port to listen on
    ([], "Vacuum v1 -dlist lab/vac/1", []),  # -dlist without -nodb
    ([], "Vacuum -nodb -port 5005", []),  # no instance name
    ([], "Vacuum v1 -nodb -port 5005 -verbosity 3", []),  # an unknown option
    # the trace level: counted, or given (the number wins over the count)
    (_EVERYWHERE, "Gauge g -vvvv", ["Gauge", "g", "-v4"]),
    (_EVERYWHERE, "Gauge g --verbose --verbose --verbose --verbose", ["Gauge", "g", "-v4"]),
    (_EVERYWHERE, "Pump p2 -v4", ["Pump", "p2", "-v4"]),
    (_EVERYWHERE, "Pump p2 -v 4", ["Pump", "p2", "-v4"]),
    (_EVERYWHERE, "Pump p2 -vv -v5", ["Pump", "p2", "-v5"]),
    # Windows service options
    (["win"], "Heater h -dbg -i -s -u", ["Heater", "h", "-dbg", "-i", "-s", "-u"]),
    # any other omniORB option is passed on (an instance name may start with ORB)
    (_EVERYWHERE, "Heater h -ORBtraceLevel 5 --ORBgiopMaxMsgSize 8388608",
     ["Heater", "h", "-ORBtraceLevel", "5", "-ORBgiopMaxMsgSize", "8388608"]),
    (_EVERYWHERE, "Laser ORBlaser -ORBtraceLevel 2", ["Laser", "ORBlaser", "-ORBtraceLevel", "2"]),
    (_EVERYWHERE,
     "Laser l -nodb -ORBendPoint giop:tcp:0.0.0.0:40404 -ORBendPointPublish giop:tcp:laser.example.org:40404",
     ["Laser", "l", "-nodb", "-ORBendPoint", "giop:tcp:0.0.0.0:40404", "-ORBendPointPublish",
      "giop:tcp:laser.example.org:40404"]),
    ([], "Laser l -ORBtraceLevel 1 --orbtraceLevel 1", []),  # omniORB's options are -ORB...
)


# -- helpers --------------------------------------------------------------------------------------

def repr_type(dtype):
    """A short readable name of a dtype form, for test ids: int, (float,), ((str,),)..."""
    if isinstance(dtype, (tuple, list)):
        return f"({repr_type(dtype[0])},)"
    if isinstance(dtype, enum.Enum):
        return dtype.name
    return getattr(dtype, "__name__", str(dtype))


def _is_text(value):
    return isinstance(value, (str, bytes, bytearray, np.str_, np.bytes_))


def _as_text(value):
    if isinstance(value, (bytes, bytearray, np.bytes_)):
        return bytes(value).decode("latin-1")
    return str(value)


def _is_seq(value):
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return isinstance(value, (list, tuple, range))


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


def _numeric_array(value):
    """value as a numeric numpy array, or None if it holds anything else."""
    try:
        arr = np.asarray(value)
    except Exception:
        return None
    if arr.dtype.kind in "biufc" and arr.dtype != object:
        return arr
    return None


def assert_close(actual, expected, rtol=1e-6, atol=1e-12, _path="value"):
    """Assert that ``actual`` equals ``expected``, numbers within a tolerance.

    Works for scalars (numbers within ``rtol``/``atol``, NaN equal to NaN), booleans (by value:
    ``True`` equals ``1`` and ``1.0``, as in PyTango), strings
    (bytes compare to the latin-1 str), enums, numpy arrays, lists and tuples nested to any
    depth (compared element by element whatever the container) and dicts.
    """
    where = f" at {_path}" if _path != "value" else ""
    if isinstance(expected, dict) or isinstance(actual, dict):
        assert isinstance(actual, dict) and isinstance(expected, dict), \
            f"{actual!r} != {expected!r}{where}"
        assert set(actual) == set(expected), f"keys {sorted(actual)} != {sorted(expected)}{where}"
        for key in expected:
            assert_close(actual[key], expected[key], rtol, atol, f"{_path}[{key!r}]")
        return
    if _is_text(actual) or _is_text(expected):
        assert _is_text(actual) and _is_text(expected), f"{actual!r} != {expected!r}{where}"
        assert _as_text(actual) == _as_text(expected), f"{actual!r} != {expected!r}{where}"
        return
    if _is_seq(actual) or _is_seq(expected):
        assert _is_seq(actual) and _is_seq(expected), f"{actual!r} != {expected!r}{where}"
        a_num, e_num = _numeric_array(actual), _numeric_array(expected)
        if a_num is not None and e_num is not None:
            assert a_num.shape == e_num.shape, \
                f"shape {a_num.shape} != {e_num.shape}{where}: {actual!r} != {expected!r}"
            if a_num.dtype.kind == "b" or e_num.dtype.kind == "b":  # by value: True == 1.0
                assert (a_num == e_num).all(), f"{actual!r} != {expected!r}{where}"
            elif a_num.dtype.kind in "fc" or e_num.dtype.kind in "fc":
                np.testing.assert_allclose(a_num, e_num, rtol=rtol, atol=atol, equal_nan=True,
                                           err_msg=where.strip())
            else:  # integers: exact, without a float conversion that would lose 64-bit values
                assert a_num.tolist() == e_num.tolist(), f"{actual!r} != {expected!r}{where}"
            return
        assert len(actual) == len(expected), \
            f"length {len(actual)} != {len(expected)}{where}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, rtol, atol, f"{_path}[{i}]")
        return
    if isinstance(actual, np.ndarray):  # 0-d arrays are scalars
        actual = actual.item()
    if isinstance(expected, np.ndarray):
        expected = expected.item()
    if _is_bool(actual) or _is_bool(expected):  # by value, as Python compares them: True == 1.0
        assert actual == expected, f"{actual!r} != {expected!r}{where}"
        return
    if isinstance(actual, enum.Enum) or isinstance(expected, enum.Enum):
        assert actual == expected, f"{actual!r} != {expected!r}{where}"
        return
    if isinstance(actual, numbers.Number) and isinstance(expected, numbers.Number):
        if isinstance(actual, numbers.Integral) and isinstance(expected, numbers.Integral):
            assert int(actual) == int(expected), f"{actual!r} != {expected!r}{where}"
            return
        a, e = complex(actual), complex(expected)
        if all(math.isnan(x) for x in (a.real, e.real)) and a.imag == e.imag:
            return
        assert abs(a - e) <= atol + rtol * abs(e), f"{actual!r} != {expected!r} (±{rtol:g}){where}"
        return
    assert actual == expected, f"{actual!r} != {expected!r}{where}"


def create_result(dtype, value):
    """What a client reads back after writing ``value`` of ``dtype`` (bytes come back as str)."""
    if isinstance(dtype, (tuple, list)):
        return [create_result(dtype[0], v) for v in value]
    if dtype == DevVarLongStringArray:
        return [create_result((int,), value[0]), create_result((str,), value[1])]
    if dtype == DevVarDoubleStringArray:
        return [create_result((float,), value[0]), create_result((str,), value[1])]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return value


def convert_dtype_to_typing_hint(dtype):
    """The type hints that mean the same as a dtype form: (tuple hint, list hint, is 1-D or more,
    is 2-D). ``(float,)`` gives ``tuple[float, float, float]`` and ``list[float]``, ``((float,),)``
    4 rows of 3 and ``list[list[float]]``."""
    if isinstance(dtype, tuple):
        inner = dtype[0]
        if isinstance(inner, tuple):
            elem = inner[0]
            row = tuple[elem, elem, elem]
            return tuple[row, row, row, row], list[list[elem]], True, True
        return tuple[inner, inner, inner], list[inner], True, False
    if dtype == DevVarLongStringArray:
        return tuple[tuple[int], tuple[str]], list[list], False, False
    if dtype == DevVarDoubleStringArray:
        return tuple[tuple[float], tuple[str]], list[list], False, False
    return dtype, dtype, False, False


def general_decorator(function=None):
    """A decorator that changes nothing: to check that decorated device methods still work."""
    if function is None:
        return general_decorator

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


def wait_for_proxy(dev_name, proxy_class=DeviceProxy, retries=600, delay=0.02):
    """A proxy to ``dev_name`` once the device answers (ping and state), else RuntimeError."""
    proxy, last_error = None, ""
    for _ in range(retries):
        try:
            if proxy is None:
                proxy = proxy_class(dev_name)
            proxy.ping()
            proxy.state()
            return proxy
        except DevFailed as exc:
            last_error = str(exc)
            time.sleep(delay)
    raise RuntimeError(f"{dev_name} did not answer within {retries * delay:.1f} s: {last_error}")


# -- pytest fixtures ------------------------------------------------------------------------------

if pytest is not None:

    def _ids(item):
        return repr_type(item[0])

    @pytest.fixture(params=list(DevState), ids=str)
    def state(request):
        """Each DevState value."""
        return request.param

    @pytest.fixture(params=list(TYPED_VALUES.items()), ids=_ids)
    def typed_values(request):
        """(dtype, values) for the scalar and spectrum forms of TYPED_VALUES."""
        return request.param

    @pytest.fixture(params=list(GENERAL_TYPED_VALUES.items()), ids=_ids)
    def general_typed_values(request):
        """(dtype, values, expected) where expected(value) is what a client reads back."""
        dtype, values = request.param
        return dtype, values, functools.partial(create_result, dtype)

    @pytest.fixture(params=list(ALL_TYPED_VALUES.items()), ids=_ids)
    def attribute_typed_values(request):
        """As general_typed_values, images included."""
        dtype, values = request.param
        return dtype, values, functools.partial(create_result, dtype)

    @pytest.fixture(params=list(IMAGE_TYPED_VALUES.items()), ids=_ids)
    def image_typed_values(request):
        """(dtype, values, expected) for the image forms."""
        dtype, values = request.param
        return dtype, values, functools.partial(create_result, dtype)

    @pytest.fixture(params=list({**GENERAL_TYPED_VALUES, **COMMAND_TYPED_VALUES}.items()),
                    ids=_ids)
    def command_typed_values(request):
        """(dtype, values, expected) for command arguments, the compound types included."""
        dtype, values = request.param
        return dtype, values, functools.partial(create_result, dtype)

    def _numpy_cases(with_images):
        cases = []
        for dtype, (scalar, spectrum, image) in NUMPY_TYPED_VALUES.items():
            cases.append((dtype, dtype, AttrDataFormat.SCALAR, scalar))
            if npt is not None:
                cases.append((dtype, npt.NDArray[dtype], AttrDataFormat.SPECTRUM, spectrum))
                if with_images:
                    cases.append((dtype, npt.NDArray[dtype], AttrDataFormat.IMAGE, image))
        return cases

    def _numpy_id(case):
        return f"{case[0].__name__}-{case[2].name}"

    @pytest.fixture(params=_numpy_cases(with_images=True), ids=_numpy_id)
    def attribute_numpy_typed_values(request):
        """(type hint, format, value, expected) for numpy types as attribute hints."""
        dtype, hint, dformat, value = request.param
        return hint, dformat, value, functools.partial(create_result, dtype)

    @pytest.fixture(params=_numpy_cases(with_images=False), ids=_numpy_id)
    def command_numpy_typed_values(request):
        """(type hint, format, value, expected) for numpy types as command hints."""
        dtype, hint, dformat, value = request.param
        return hint, dformat, value, functools.partial(create_result, dtype)

    @pytest.fixture(params=list(DEV_ENCODED_DATA.items()), ids=list(DEV_ENCODED_DATA))
    def dev_encoded_values(request):
        """(kind, data) for DevEncoded payloads given as str, bytes and bytearray."""
        return request.param

    @pytest.fixture(params=EXTRACT_AS, ids=[f"extract_as.{mode.name}" for mode, _ in EXTRACT_AS])
    def extract_as(request):
        """(ExtractAs mode, the Python type it gives)."""
        return request.param

    @pytest.fixture(params=BASE_TYPES, ids=repr_type)
    def base_type(request):
        return request.param

    @pytest.fixture(params=GREEN_MODES, ids=str)
    def green_mode(request):
        """Each GreenMode value (the enum itself, not whether it is implemented)."""
        return request.param

    @pytest.fixture(params=SERVER_GREEN_MODES, ids=str)
    def server_green_mode(request):
        """Each green mode a device server can run in."""
        return request.param

    @pytest.fixture(params=CLIENT_GREEN_MODES, ids=str)
    def client_green_mode(request):
        """Each green mode a client proxy can use."""
        return request.param

    @pytest.fixture(params=[AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE],
                    ids=str)
    def attr_data_format(request):
        return request.param

    @pytest.fixture(params=list(SerialModel), ids=str)
    def server_serial_model(request):
        return request.param


# -- PyTango 10.3's later helpers: async decorator, wrong numpy hints, servers found by pid -------

from ._server_port import get_server_port_via_pid  # noqa: E402

__all__ += ["general_asyncio_decorator", "wait_for_nodb_proxy_via_pid", "WRONG_NUMPY_TYPING_HINTS",
            "attribute_wrong_numpy_typed", "get_server_port_via_pid"]


def general_asyncio_decorator(function=None):
    """As general_decorator, for coroutine functions (asyncio device methods)."""
    if function is None:
        return general_asyncio_decorator

    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        return await function(*args, **kwargs)

    return wrapper


def wait_for_nodb_proxy_via_pid(pid, host, dev_name, proxy_class=DeviceProxy, retries=600,
                                delay=0.02):
    """A proxy to ``dev_name`` of the database-less server process ``pid`` listening at
    ``host``, once it answers: its GIOP port is found from the pid, then as wait_for_proxy.
    All of it within ``retries * delay`` seconds, else RuntimeError."""
    deadline = time.monotonic() + retries * delay
    port = get_server_port_via_pid(pid, host, retries, delay)
    left = max(1, int((deadline - time.monotonic()) / delay))
    return wait_for_proxy(f"tango://{host}:{port}/{dev_name}#dbase=no", proxy_class, left, delay)


# An attribute declared with a numpy array hint (``npt.NDArray[np.int_]``, READ_WRITE) but a
# wrong dformat or dimensions: (dformat, max_dim_x, max_dim_y, value written, error, message).
WRONG_NUMPY_TYPING_HINTS = (
    (None, None, None, None, RuntimeError, "AttrDataFormat has to be specified"),
    (AttrDataFormat.IMAGE, 3, 0, [[1, 2], [3, 4]], DevFailed, "Maximum y dim. wrongly defined"),
    (AttrDataFormat.SPECTRUM, 3, 0, [[1, 2], [3, 4]], TypeError, "Expecting a integer type, but it is not"),
)

if pytest is not None:

    @pytest.fixture(params=WRONG_NUMPY_TYPING_HINTS, ids=lambda case: f"{case[-2].__name__}: {case[-1]}")
    def attribute_wrong_numpy_typed(request):
        """(dformat, max_dim_x, max_dim_y, value, error, match) of WRONG_NUMPY_TYPING_HINTS."""
        return request.param


# Every byte a DevString can carry, under PyTango's lower-case names.
bytes_devstring = BYTES_DEVSTRING
str_devstring = STR_DEVSTRING

# A size (bytes) large enough that a value's buffer is allocated apart from small objects.
LARGE_DATA_SIZE = 1024**2

__all__ += ["bytes_devstring", "str_devstring", "LARGE_DATA_SIZE", "repr_numpy_type", "make_nd_value",
            "check_attr_type", "assert_value_label", "check_read_attr", "convert_to_type"]


def repr_numpy_type(dtype, dformat):
    """A test id for a numpy element type in a format: ``int16, SCALAR``,
    ``np.NDarray[int16], SPECTRUM``..."""
    if dformat == AttrDataFormat.SCALAR:
        return f"{dtype.__name__}, SCALAR"
    if dformat == AttrDataFormat.SPECTRUM:
        return f"np.NDarray[{dtype.__name__}], SPECTRUM"
    return f"np.n2array[{dtype.__name__}], IMAGE"


def make_nd_value(value, attr_data_format):
    """``value`` as a one-element value of a format: itself, ``(value,)`` or ``((value,),)``."""
    if attr_data_format == AttrDataFormat.SCALAR:
        return value
    if attr_data_format == AttrDataFormat.SPECTRUM:
        return (value,)
    return ((value,),)


def _elements(read_value, attr_data_format):
    if attr_data_format == AttrDataFormat.SCALAR:
        return [read_value]
    if attr_data_format == AttrDataFormat.SPECTRUM:
        return list(read_value)
    return [item for row in read_value for item in row]


def check_attr_type(read_attr, attr_data_format, desired_type):
    """Assert that every element of a value read in a format is a ``desired_type``."""
    for item in _elements(read_attr, attr_data_format):
        assert isinstance(item, desired_type), f"{item!r} is not a {desired_type}"


def assert_value_label(read_attr, value, label):
    """Assert that an enum member read back has ``value`` and the name ``label``."""
    assert read_attr.value == value, f"{read_attr!r}: value {read_attr.value!r} != {value!r}"
    assert read_attr.name == label, f"{read_attr!r}: label {read_attr.name!r} != {label!r}"


def check_read_attr(read_attr, attr_data_format, value, label):
    """assert_value_label on every element of an enum value read in a format."""
    for item in _elements(read_attr, attr_data_format):
        assert_value_label(item, value, label)


def convert_to_type(value, attr_type, expected_type):
    """``value`` (numbers of Tango type ``attr_type``) as a read with ``extract_as`` gives it:
    a tuple, list or numpy array, or the raw bytes of the numbers as bytes, bytearray or a str
    (one character per byte)."""
    from .utils import FROM_TANGO_TO_NUMPY_TYPE

    if expected_type in (tuple, list):
        return expected_type(value)
    array = np.array(value, dtype=FROM_TANGO_TO_NUMPY_TYPE[attr_type])
    if expected_type is np.ndarray:
        return array
    if expected_type in (bytes, bytearray):
        return expected_type(array.tobytes())
    if expected_type is str:
        return array.tobytes().decode("latin-1")
    raise TypeError(f"no extract_as form gives a {expected_type}")


# (dtype, type hint, format, value) for numpy element types as attribute and command hints:
# scalars and ``npt.NDArray`` spectra, and images apart (commands have none).
NUMPY_GENERAL_TYPING_HINTS = []
NUMPY_IMAGES_TYPING_HINTS = []
if npt is not None:
    for _dtype, (_scalar, _spectrum, _image) in NUMPY_TYPED_VALUES.items():
        NUMPY_GENERAL_TYPING_HINTS += [(_dtype, _dtype, AttrDataFormat.SCALAR, _scalar),
                                       (_dtype, npt.NDArray[_dtype], AttrDataFormat.SPECTRUM, _spectrum)]
        NUMPY_IMAGES_TYPING_HINTS.append((_dtype, npt.NDArray[_dtype], AttrDataFormat.IMAGE, _image))

# Names PyTango's test_utils holds for its users.
from . import DevLong64, READ, SCALAR  # noqa: E402,F401
from .utils import FROM_TANGO_TO_NUMPY_TYPE, is_non_str_seq  # noqa: E402,F401

__all__ += ["NUMPY_GENERAL_TYPING_HINTS", "NUMPY_IMAGES_TYPING_HINTS"]
