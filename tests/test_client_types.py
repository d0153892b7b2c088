"""Every Tango data type, in every format and both directions, against the C++ TangoTest device.

TangoTest (Debian 12, cppTango 9.3.4) generates the read value of most of its read/write
scalars, so their round trip is checked on ``w_value``; the attributes that do echo what was
written (``*_scalar_w``, ``ampli``, ``boolean_scalar``, ``string_scalar``, all the read/write
spectra and images) are checked on ``value`` too.
"""

import numpy as np
import pytest

import tango
from tango import AttrDataFormat, AttrQuality, CmdArgType, ExtractAs

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

# type name used in TangoTest's attribute names -> (CmdArgType, numpy dtype, sample values)
NUMERIC_TYPES = {
    "boolean": (CmdArgType.DevBoolean, np.bool_, [True, False, True, True]),
    "uchar": (CmdArgType.DevUChar, np.uint8, [0, 1, 128, 255]),
    "short": (CmdArgType.DevShort, np.int16, [-32768, -1, 0, 32767]),
    "ushort": (CmdArgType.DevUShort, np.uint16, [0, 1, 32768, 65535]),
    "long": (CmdArgType.DevLong, np.int32, [-(2**31), -1, 0, 2**31 - 1]),
    "ulong": (CmdArgType.DevULong, np.uint32, [0, 1, 2**31, 2**32 - 1]),
    "long64": (CmdArgType.DevLong64, np.int64, [-(2**63), -1, 0, 2**63 - 1]),
    "ulong64": (CmdArgType.DevULong64, np.uint64, [0, 1, 2**63, 2**64 - 1]),
    "float": (CmdArgType.DevFloat, np.float32, [-1.5, 0.0, 3.25, 2.0**100]),
    "double": (CmdArgType.DevDouble, np.float64, [-1.5e300, 0.0, 5e-324, 0.1]),
}
STRINGS = ["", "a", "café", "x" * 300]

# Python type of a scalar value for each Tango type
PY_TYPE = {
    CmdArgType.DevBoolean: bool,
    CmdArgType.DevUChar: int, CmdArgType.DevShort: int, CmdArgType.DevUShort: int,
    CmdArgType.DevLong: int, CmdArgType.DevULong: int,
    CmdArgType.DevLong64: int, CmdArgType.DevULong64: int,
    CmdArgType.DevFloat: float, CmdArgType.DevDouble: float,
    CmdArgType.DevString: str,
}

# writable scalars: (attribute, tango type, values, the read value echoes the written one)
WRITABLE_SCALARS = [
    ("boolean_scalar", CmdArgType.DevBoolean, [True, False], True),
    ("uchar_scalar", CmdArgType.DevUChar, [0, 200, 255], False),
    ("short_scalar", CmdArgType.DevShort, [-32768, 0, 32767], False),
    ("short_scalar_w", CmdArgType.DevShort, [-32768, 7, 32767], True),
    ("ushort_scalar", CmdArgType.DevUShort, [0, 65535], False),
    ("long_scalar", CmdArgType.DevLong, [-(2**31), 2**31 - 1], False),
    ("long_scalar_w", CmdArgType.DevLong, [-(2**31), 12, 2**31 - 1], True),
    ("ulong_scalar", CmdArgType.DevULong, [0, 2**32 - 1], False),
    ("long64_scalar", CmdArgType.DevLong64, [-(2**63), 2**63 - 1], False),
    ("ulong64_scalar", CmdArgType.DevULong64, [0, 2**63 + 5, 2**64 - 1], False),
    ("float_scalar", CmdArgType.DevFloat, [-1.5, 3.25, 2.0**-20], False),
    ("double_scalar", CmdArgType.DevDouble, [-1.5e300, 0.1, 5e-324], False),
    ("double_scalar_w", CmdArgType.DevDouble, [-2.5, 0.1, 1e300], True),
    ("ampli", CmdArgType.DevDouble, [0.0, 4.75], True),
    ("string_scalar", CmdArgType.DevString, ["", "hello", "café"], True),
]
NUMPY_SCALAR = {
    CmdArgType.DevBoolean: np.bool_, CmdArgType.DevUChar: np.uint8,
    CmdArgType.DevShort: np.int16, CmdArgType.DevUShort: np.uint16,
    CmdArgType.DevLong: np.int32, CmdArgType.DevULong: np.uint32,
    CmdArgType.DevLong64: np.int64, CmdArgType.DevULong64: np.uint64,
    CmdArgType.DevFloat: np.float32, CmdArgType.DevDouble: np.float64,
}

READ_ONLY_SCALARS = [
    ("short_scalar_ro", CmdArgType.DevShort),
    ("long_scalar_rww", CmdArgType.DevLong),
    ("short_scalar_rww", CmdArgType.DevShort),
    ("double_scalar_rww", CmdArgType.DevDouble),
]

# TangoTest's read/write spectra; the other types exist as *_spectrum_ro only
RW_SPECTRA = ["boolean", "uchar", "short", "ushort", "long", "float", "double"]
RO_SPECTRA = ["boolean", "uchar", "short", "ushort", "long", "ulong", "long64", "ulong64",
              "float", "double"]
# TangoTest's read/write images. long_image is writable too, but Debian's TangoTest 9.3.4
# segfaults on any write to it (the same happens with a plain C++ client), so it is only read.
RW_IMAGES = ["boolean", "uchar", "short", "ushort", "float", "double"]
RO_IMAGES = ["boolean", "uchar", "short", "ushort", "long", "ulong", "long64", "ulong64",
             "float", "double"]

CONTAINERS = {
    "list": lambda values, dtype: list(values),
    "tuple": lambda values, dtype: tuple(values),
    "ndarray": lambda values, dtype: np.array(values, dtype=dtype),
}
IMAGE_CONTAINERS = {
    "list": lambda rows, dtype: [list(r) for r in rows],
    "tuple": lambda rows, dtype: tuple(tuple(r) for r in rows),
    "ndarray": lambda rows, dtype: np.array(rows, dtype=dtype),
}


def image_rows(values):
    """A 2 x 3 image (dim_y = 2, dim_x = 3) built from a sample list."""
    flat = (list(values) * 2)[:6]
    return [flat[:3], flat[3:]]


def assert_attribute_common(da, name, tango_type, data_format):
    assert da.name == name
    assert da.type == tango_type
    assert isinstance(da.type, CmdArgType)
    assert da.data_format == data_format
    assert isinstance(da.data_format, AttrDataFormat)
    assert da.quality == AttrQuality.ATTR_VALID
    assert isinstance(da.time, tango.TimeVal)
    assert da.time.tv_sec > 1_500_000_000
    assert 0 <= da.time.tv_usec < 1_000_000
    assert da.time.totime() == pytest.approx(da.time.tv_sec + da.time.tv_usec * 1e-6)
    assert not da.has_failed
    assert not da.is_empty


# ---------------------------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("attr,tango_type,values,echoes", WRITABLE_SCALARS,
                         ids=[s[0] for s in WRITABLE_SCALARS])
def test_scalar_write_python_values_and_read_back(dev, attr, tango_type, values, echoes):
    py_type = PY_TYPE[tango_type]
    for value in values:
        dev.write_attribute(attr, value)
        da = dev.read_attribute(attr)
        assert_attribute_common(da, attr, tango_type, AttrDataFormat.SCALAR)
        assert type(da.value) is py_type
        assert type(da.w_value) is py_type
        assert da.w_value == value
        if echoes:
            assert da.value == value
        assert (da.dim_x, da.dim_y, da.w_dim_x, da.w_dim_y) == (1, 0, 1, 0)


@pytest.mark.parametrize("attr,tango_type,values,echoes",
                         [s for s in WRITABLE_SCALARS if s[1] != CmdArgType.DevString],
                         ids=[s[0] for s in WRITABLE_SCALARS if s[1] != CmdArgType.DevString])
def test_scalar_write_numpy_scalars(dev, attr, tango_type, values, echoes):
    np_type = NUMPY_SCALAR[tango_type]
    for value in values:
        dev.write_attribute(attr, np_type(value))
        da = dev.read_attribute(attr)
        assert da.w_value == value
        assert type(da.w_value) is PY_TYPE[tango_type]


@pytest.mark.parametrize("attr,tango_type", READ_ONLY_SCALARS, ids=[s[0] for s in READ_ONLY_SCALARS])
def test_read_only_scalars(dev, attr, tango_type):
    da = dev.read_attribute(attr)
    assert_attribute_common(da, attr, tango_type, AttrDataFormat.SCALAR)
    assert type(da.value) is PY_TYPE[tango_type]
    assert (da.dim_x, da.dim_y) == (1, 0)


def test_pure_read_only_scalar_has_no_write_part(dev):
    da = dev.read_attribute("short_scalar_ro")
    assert da.w_value is None
    assert (da.w_dim_x, da.w_dim_y) == (0, 0)


@pytest.mark.parametrize("written,rww,tango_type,value", [
    ("double_scalar_w", "double_scalar_rww", CmdArgType.DevDouble, -6.25),
    ("long_scalar_w", "long_scalar_rww", CmdArgType.DevLong, 123456),
    ("short_scalar_w", "short_scalar_rww", CmdArgType.DevShort, -321),
])
def test_read_with_write_shows_the_associated_set_point(dev, written, rww, tango_type, value):
    dev.write_attribute(written, value)
    da = dev.read_attribute(rww)
    assert da.w_value == value
    assert type(da.w_value) is PY_TYPE[tango_type]
    assert dev.attribute_query(rww).writable == tango.AttrWriteType.READ_WITH_WRITE


def test_state_and_status_attributes(dev):
    state = dev.read_attribute("State")
    assert state.type == CmdArgType.DevState
    assert isinstance(state.value, tango.DevState)
    assert state.value == dev.state()
    status = dev.read_attribute("Status")
    assert status.type == CmdArgType.DevString
    assert isinstance(status.value, str)
    assert status.value == dev.status()


# ---------------------------------------------------------------------------------------------
# Spectra
# ---------------------------------------------------------------------------------------------

def spectrum_samples(type_name):
    if type_name == "string":
        return CmdArgType.DevString, None, STRINGS
    return NUMERIC_TYPES[type_name]


@pytest.mark.parametrize("container", sorted(CONTAINERS))
@pytest.mark.parametrize("type_name", RW_SPECTRA)
def test_numeric_spectrum_round_trip(dev, type_name, container):
    tango_type, dtype, values = NUMERIC_TYPES[type_name]
    attr = f"{type_name}_spectrum"
    dev.write_attribute(attr, CONTAINERS[container](values, dtype))
    da = dev.read_attribute(attr)
    assert_attribute_common(da, attr, tango_type, AttrDataFormat.SPECTRUM)
    for part in (da.value, da.w_value):
        assert isinstance(part, np.ndarray)
        assert part.dtype == np.dtype(dtype)
        assert part.shape == (len(values),)
        assert part.tolist() == values
    assert (da.dim_x, da.dim_y, da.w_dim_x, da.w_dim_y) == (len(values), 0, len(values), 0)


@pytest.mark.parametrize("container", ["list", "tuple", "ndarray"])
def test_string_spectrum_round_trip(dev, container):
    given = {"list": list(STRINGS), "tuple": tuple(STRINGS),
             "ndarray": np.array(STRINGS, dtype=object)}[container]
    dev.write_attribute("string_spectrum", given)
    da = dev.read_attribute("string_spectrum")
    assert_attribute_common(da, "string_spectrum", CmdArgType.DevString, AttrDataFormat.SPECTRUM)
    assert da.value == tuple(STRINGS)
    assert da.w_value == tuple(STRINGS)
    assert all(type(s) is str for s in da.value)
    assert (da.dim_x, da.w_dim_x) == (len(STRINGS), len(STRINGS))


@pytest.mark.parametrize("type_name", RO_SPECTRA)
def test_read_only_numeric_spectrum(dev, type_name):
    tango_type, dtype, _ = NUMERIC_TYPES[type_name]
    attr = f"{type_name}_spectrum_ro"
    da = dev.read_attribute(attr)
    assert_attribute_common(da, attr, tango_type, AttrDataFormat.SPECTRUM)
    assert isinstance(da.value, np.ndarray)
    assert da.value.dtype == np.dtype(dtype)
    assert da.value.ndim == 1
    assert da.value.shape == (da.dim_x,)
    assert da.dim_x > 0
    # no write part: an empty array, as PyTango 10 gives it (None only for scalars)
    assert isinstance(da.w_value, np.ndarray) and da.w_value.shape == (0,) and da.w_value.dtype == np.dtype(dtype)
    assert (da.w_dim_x, da.w_dim_y) == (0, 0)


def test_read_only_string_spectrum_and_wave(dev):
    da = dev.read_attribute("string_spectrum_ro")
    assert isinstance(da.value, tuple) and len(da.value) == da.dim_x > 0
    assert all(type(s) is str for s in da.value)
    wave = dev.read_attribute("wave")
    assert wave.type == CmdArgType.DevDouble
    assert wave.value.dtype == np.float64 and wave.value.shape == (wave.dim_x,)


@pytest.mark.parametrize("type_name", RW_SPECTRA + ["string"])
def test_empty_spectrum_reads_as_empty_sequence(dev, type_name):
    tango_type, dtype, _ = spectrum_samples(type_name)
    attr = f"{type_name}_spectrum"
    dev.write_attribute(attr, [])
    da = dev.read_attribute(attr)
    assert da.type == tango_type
    assert (da.dim_x, da.w_dim_x) == (0, 0)
    if dtype is None:
        assert da.value == ()
    else:
        assert isinstance(da.value, np.ndarray)
        assert da.value.dtype == np.dtype(dtype)
        assert da.value.shape == (0,)
    # the same attribute is usable again afterwards
    dev.write_attribute(attr, spectrum_samples(type_name)[2][:2])
    assert len(dev.read_attribute(attr).value) == 2


def test_long_spectrum_of_maximum_length(dev):
    values = np.arange(4096, dtype=np.float64) * 0.5 - 1000.0
    dev.write_attribute("double_spectrum", values)
    da = dev.read_attribute("double_spectrum")
    assert da.w_dim_x == 4096
    assert np.array_equal(da.w_value, values)
    # TangoTest's read buffer of a spectrum holds 256 values: it returns the head of the set point
    assert da.dim_x == 256
    assert np.array_equal(da.value, values[:256])


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("container", sorted(IMAGE_CONTAINERS))
@pytest.mark.parametrize("type_name", RW_IMAGES)
def test_numeric_image_round_trip(dev, type_name, container):
    tango_type, dtype, values = NUMERIC_TYPES[type_name]
    rows = image_rows(values)
    attr = f"{type_name}_image"
    dev.write_attribute(attr, IMAGE_CONTAINERS[container](rows, dtype))
    da = dev.read_attribute(attr)
    assert_attribute_common(da, attr, tango_type, AttrDataFormat.IMAGE)
    for part in (da.value, da.w_value):
        assert isinstance(part, np.ndarray)
        assert part.dtype == np.dtype(dtype)
        assert part.shape == (2, 3)  # (dim_y, dim_x)
        assert part.tolist() == rows
    assert (da.dim_x, da.dim_y, da.w_dim_x, da.w_dim_y) == (3, 2, 3, 2)


@pytest.mark.parametrize("container", ["list", "tuple", "ndarray"])
def test_string_image_round_trip(dev, container):
    rows = [["a", "bb", "café"], ["", "e", "f" * 50]]
    given = {"list": rows, "tuple": tuple(tuple(r) for r in rows),
             "ndarray": np.array(rows, dtype=object)}[container]
    dev.write_attribute("string_image", given)
    da = dev.read_attribute("string_image")
    assert_attribute_common(da, "string_image", CmdArgType.DevString, AttrDataFormat.IMAGE)
    expected = tuple(tuple(r) for r in rows)
    assert da.value == expected
    assert da.w_value == expected
    assert (da.dim_x, da.dim_y, da.w_dim_x, da.w_dim_y) == (3, 2, 3, 2)


@pytest.mark.parametrize("type_name", RO_IMAGES)
def test_read_only_numeric_image(dev, type_name):
    tango_type, dtype, _ = NUMERIC_TYPES[type_name]
    attr = f"{type_name}_image_ro"
    da = dev.read_attribute(attr)
    assert da.type == tango_type
    assert da.data_format == AttrDataFormat.IMAGE
    assert isinstance(da.value, np.ndarray)
    assert da.value.dtype == np.dtype(dtype)
    assert da.value.shape == (da.dim_y, da.dim_x)
    assert da.dim_x > 0 and da.dim_y > 0
    assert isinstance(da.w_value, np.ndarray) and da.w_value.shape == (0, 0) and da.w_value.dtype == np.dtype(dtype)


def test_read_only_string_image(dev):
    da = dev.read_attribute("string_image_ro")
    assert isinstance(da.value, tuple) and len(da.value) == da.dim_y > 0
    assert all(isinstance(row, tuple) and len(row) == da.dim_x for row in da.value)
    assert all(type(s) is str for row in da.value for s in row)


def test_large_non_square_image(dev):
    rng = np.random.default_rng(1234)
    image = rng.integers(0, 65536, size=(200, 251), dtype=np.uint16)
    dev.write_attribute("ushort_image", image)
    da = dev.read_attribute("ushort_image")
    assert (da.dim_x, da.dim_y) == (251, 200)
    assert da.value.shape == (200, 251)
    assert np.array_equal(da.value, image)


def test_image_from_non_contiguous_array(dev):
    base = np.arange(60, dtype=np.float64).reshape(6, 10)
    view = base[::2, 1::2]  # 3 x 5, strided
    dev.write_attribute("double_image", view)
    da = dev.read_attribute("double_image")
    assert (da.dim_x, da.dim_y) == (5, 3)
    assert da.value.shape == (3, 5)
    assert np.array_equal(da.value, view)
    transposed = base.T[:4, :3]  # Fortran order
    dev.write_attribute("double_image", transposed)
    assert np.array_equal(dev.read_attribute("double_image").value, transposed)


def test_empty_image_reads_as_empty_array(dev):
    dev.write_attribute("double_image", np.zeros((0, 0), dtype=np.float64))
    da = dev.read_attribute("double_image")
    assert (da.dim_x, da.dim_y) == (0, 0)
    assert isinstance(da.value, np.ndarray)
    assert da.value.dtype == np.float64
    assert da.value.size == 0


# ---------------------------------------------------------------------------------------------
# extract_as
# ---------------------------------------------------------------------------------------------

def test_extract_as_numpy_is_the_default(dev):
    dev.write_attribute("short_spectrum", [3, -4, 5])
    explicit = dev.read_attribute("short_spectrum", extract_as=ExtractAs.Numpy)
    default = dev.read_attribute("short_spectrum")
    for da in (explicit, default):
        assert isinstance(da.value, np.ndarray) and da.value.dtype == np.int16
        assert da.value.tolist() == [3, -4, 5]


def test_extract_as_list_and_tuple_for_spectra(dev):
    dev.write_attribute("long_spectrum", [1, -2, 2**31 - 1])
    as_list = dev.read_attribute("long_spectrum", extract_as=ExtractAs.List)
    assert as_list.value == [1, -2, 2**31 - 1] and type(as_list.value) is list
    assert as_list.w_value == [1, -2, 2**31 - 1] and type(as_list.w_value) is list
    assert all(type(v) is int for v in as_list.value)
    as_tuple = dev.read_attribute("long_spectrum", extract_as=ExtractAs.Tuple)
    assert as_tuple.value == (1, -2, 2**31 - 1) and type(as_tuple.value) is tuple
    assert as_tuple.w_value == (1, -2, 2**31 - 1)
    dev.write_attribute("boolean_spectrum", [True, False])
    bools = dev.read_attribute("boolean_spectrum", extract_as=ExtractAs.List).value
    assert bools == [True, False] and all(type(b) is bool for b in bools)
    dev.write_attribute("double_spectrum", [0.5, -1.25])
    doubles = dev.read_attribute("double_spectrum", extract_as=ExtractAs.Tuple).value
    assert doubles == (0.5, -1.25) and all(type(d) is float for d in doubles)
    dev.write_attribute("string_spectrum", ["x", "yz"])
    strings = dev.read_attribute("string_spectrum", extract_as=ExtractAs.List).value
    assert strings == ["x", "yz"]


def test_extract_as_list_and_tuple_for_images(dev):
    dev.write_attribute("short_image", np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int16))
    as_list = dev.read_attribute("short_image", extract_as=ExtractAs.List)
    assert as_list.value == [[1, 2, 3], [4, 5, 6]]
    assert type(as_list.value) is list and type(as_list.value[0]) is list
    assert as_list.w_value == [[1, 2, 3], [4, 5, 6]]
    as_tuple = dev.read_attribute("short_image", extract_as=ExtractAs.Tuple)
    assert as_tuple.value == ((1, 2, 3), (4, 5, 6))
    assert type(as_tuple.value) is tuple and type(as_tuple.value[1]) is tuple


def test_extract_as_list_and_tuple_for_empty_spectrum(dev):
    dev.write_attribute("float_spectrum", [])
    assert dev.read_attribute("float_spectrum", extract_as=ExtractAs.List).value == []
    assert dev.read_attribute("float_spectrum", extract_as=ExtractAs.Tuple).value == ()


# PyTango 10 hands the raw bytes of the reply for the Bytes, ByteArray and String modes: the read
# part as value, the write part as w_value.
def test_extract_as_bytes_bytearray_string(dev):
    written = np.array([65, 66, 67], dtype=np.uint8)
    dev.write_attribute("uchar_spectrum", written)
    raw = written.tobytes()  # TangoTest reads back what was written
    as_bytes = dev.read_attribute("uchar_spectrum", extract_as=ExtractAs.Bytes)
    assert type(as_bytes.value) is bytes and type(as_bytes.w_value) is bytes
    assert (as_bytes.value, as_bytes.w_value) == (raw, raw)
    as_bytearray = dev.read_attribute("uchar_spectrum", extract_as=ExtractAs.ByteArray)
    assert type(as_bytearray.value) is bytearray and type(as_bytearray.w_value) is bytearray
    assert (as_bytearray.value, as_bytearray.w_value) == (bytearray(raw), bytearray(raw))
    as_string = dev.read_attribute("uchar_spectrum", extract_as=ExtractAs.String)
    assert type(as_string.value) is str
    assert (as_string.value, as_string.w_value) == ("ABC", "ABC")


def test_extract_as_bytes_of_a_wider_type(dev):
    image = np.array([[1, -2], [300, 4]], dtype=np.int16)
    dev.write_attribute("short_image", image)
    da = dev.read_attribute("short_image", extract_as=ExtractAs.Bytes)
    assert (da.value, da.w_value) == (image.tobytes(), image.tobytes())
    assert (da.dim_x, da.dim_y) == (2, 2)


def test_extract_as_nothing(dev):
    dev.write_attribute("double_spectrum", [1.0, 2.0])
    da = dev.read_attribute("double_spectrum", extract_as=ExtractAs.Nothing)
    assert getattr(da, "value", None) is None
    assert da.name == "double_spectrum"
    assert da.type == CmdArgType.DevDouble
    assert da.quality == AttrQuality.ATTR_VALID
    assert da.dim_x == 2
    scalar = dev.read_attribute("double_scalar_w", extract_as=ExtractAs.Nothing)
    assert getattr(scalar, "value", None) is None


@pytest.mark.parametrize("mode", [ExtractAs.List, ExtractAs.Tuple, ExtractAs.Bytes])
def test_extract_as_leaves_scalars_plain(dev, mode):
    dev.write_attribute("long_scalar_w", 4321)
    da = dev.read_attribute("long_scalar_w", extract_as=mode)
    assert da.value == 4321 and type(da.value) is int


# ---------------------------------------------------------------------------------------------
# Latin-1 text
# ---------------------------------------------------------------------------------------------

ALL_BYTES = "".join(chr(c) for c in range(1, 256))


def test_latin1_string_attribute_round_trip(dev):
    for text in ("café", "naïve façade ÀÉÎÕÜ ß ÿ", ALL_BYTES):
        dev.write_attribute("string_scalar", text)
        da = dev.read_attribute("string_scalar")
        assert da.value == text
        assert da.w_value == text


def test_latin1_string_spectrum_round_trip(dev):
    values = ["café", ALL_BYTES, "\xff\x01"]
    dev.write_attribute("string_spectrum", values)
    assert dev.read_attribute("string_spectrum").value == tuple(values)


def test_latin1_string_commands(dev):
    assert dev.DevString("café") == "café"
    assert dev.DevString(ALL_BYTES) == ALL_BYTES
    assert dev.command_inout("DevVarStringArray", ["é", ALL_BYTES]) == ["é", ALL_BYTES]


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

SCALAR_COMMANDS = [
    ("DevBoolean", [True, False], bool),
    ("DevShort", [-32768, 0, 32767], int),
    ("DevUShort", [0, 65535], int),
    ("DevLong", [-(2**31), 2**31 - 1], int),
    ("DevULong", [0, 2**32 - 1], int),
    ("DevLong64", [-(2**63), 2**63 - 1], int),
    ("DevULong64", [0, 2**64 - 1], int),
    ("DevFloat", [-1.5, 2.0**100], float),
    ("DevDouble", [3.5, -1e300, 5e-324], float),
    ("DevString", ["", "hello world", "café"], str),
]

ARRAY_COMMANDS = [
    ("DevVarCharArray", np.uint8, [0, 1, 127, 255]),
    ("DevVarShortArray", np.int16, [-32768, 0, 32767]),
    ("DevVarUShortArray", np.uint16, [0, 65535]),
    ("DevVarLongArray", np.int32, [-(2**31), 0, 2**31 - 1]),
    ("DevVarULongArray", np.uint32, [0, 2**32 - 1]),
    ("DevVarLong64Array", np.int64, [-(2**63), 0, 2**63 - 1]),
    ("DevVarULong64Array", np.uint64, [0, 2**64 - 1]),
    ("DevVarFloatArray", np.float32, [-1.5, 0.0, 2.0**100]),
    ("DevVarDoubleArray", np.float64, [-1e300, 0.1, 5e-324]),
]


@pytest.mark.parametrize("cmd,values,py_type", SCALAR_COMMANDS, ids=[c[0] for c in SCALAR_COMMANDS])
def test_scalar_command_echo(dev, cmd, values, py_type):
    info = dev.command_query(cmd)
    assert info.in_type == getattr(CmdArgType, cmd)
    assert info.out_type == getattr(CmdArgType, cmd)
    for value in values:
        via_inout = dev.command_inout(cmd, value)
        via_sugar = getattr(dev, cmd)(value)
        for result in (via_inout, via_sugar):
            assert type(result) is py_type
            assert result == value


@pytest.mark.parametrize("cmd,values,py_type",
                         [c for c in SCALAR_COMMANDS if c[2] is not str],
                         ids=[c[0] for c in SCALAR_COMMANDS if c[2] is not str])
def test_scalar_command_accepts_numpy_scalars(dev, cmd, values, py_type):
    np_type = NUMPY_SCALAR[getattr(CmdArgType, cmd)]
    for value in values:
        result = dev.command_inout(cmd, np_type(value))
        assert type(result) is py_type
        assert result == value


@pytest.mark.parametrize("container", sorted(CONTAINERS))
@pytest.mark.parametrize("cmd,dtype,values", ARRAY_COMMANDS, ids=[c[0] for c in ARRAY_COMMANDS])
def test_array_command_echo(dev, cmd, dtype, values, container):
    given = CONTAINERS[container](values, dtype)
    for result in (dev.command_inout(cmd, given), getattr(dev, cmd)(given)):
        assert isinstance(result, np.ndarray)
        assert result.dtype == np.dtype(dtype)
        assert result.tolist() == values


@pytest.mark.parametrize("cmd,dtype,values", ARRAY_COMMANDS, ids=[c[0] for c in ARRAY_COMMANDS])
def test_empty_array_command(dev, cmd, dtype, values):
    result = dev.command_inout(cmd, [])
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.dtype(dtype)
    assert result.shape == (0,)


def test_char_array_command_accepts_bytes(dev):
    # bytes and bytearray are sequences of small integers
    assert dev.DevVarCharArray(b"\x00\x01\xff").tolist() == [0, 1, 255]
    assert dev.DevVarCharArray(bytearray(b"AB")).tolist() == [65, 66]


def test_string_array_command(dev):
    values = ["", "one", "café", "x" * 1000]
    for given in (values, tuple(values)):
        result = dev.command_inout("DevVarStringArray", given)
        assert result == values
        assert all(type(s) is str for s in result)
    assert list(dev.DevVarStringArray([])) == []


@pytest.mark.parametrize("cmd,numbers,num_type", [
    ("DevVarLongStringArray", [-(2**31), 0, 2**31 - 1], int),
    ("DevVarDoubleStringArray", [-1.5, 0.0, 1e300], float),
])
def test_struct_array_commands(dev, cmd, numbers, num_type):
    strings = ["a", "café", ""]
    for given in ((numbers, strings), [tuple(numbers), tuple(strings)],
                  (np.array(numbers, dtype=np.int32 if num_type is int else np.float64), strings)):
        result = dev.command_inout(cmd, given)
        assert len(result) == 2
        got_numbers, got_strings = result
        numeric = (num_type, np.integer if num_type is int else np.floating)
        assert all(isinstance(v, numeric) for v in got_numbers)
        assert [num_type(v) for v in got_numbers] == numbers
        assert list(got_strings) == strings
        assert all(type(s) is str for s in got_strings)
    # numbers and strings of different lengths are fine (they are two independent sequences)
    result = getattr(dev, cmd)(([numbers[0]], ["p", "q", "r"]))
    assert [num_type(v) for v in result[0]] == [numbers[0]]
    assert list(result[1]) == ["p", "q", "r"]


def test_void_command(dev):
    assert dev.command_inout("DevVoid") is None
    assert dev.DevVoid() is None
    assert dev.command_inout("DevVoid", None) is None


def test_state_and_status_commands(dev):
    state = dev.command_inout("State")
    assert isinstance(state, tango.DevState)
    assert state == dev.state()
    assert dev.State() == state
    status = dev.Status()
    assert isinstance(status, str) and status == dev.status()


# ---------------------------------------------------------------------------------------------
# Several attributes at once
# ---------------------------------------------------------------------------------------------

def test_write_read_attribute(dev):
    da = dev.write_read_attribute("double_scalar_w", 7.5)
    assert isinstance(da, tango.DeviceAttribute)
    assert da.name == "double_scalar_w"
    assert da.value == 7.5 and da.w_value == 7.5
    spectrum = dev.write_read_attribute("long_spectrum", np.array([9, 8, 7], dtype=np.int32))
    assert spectrum.value.tolist() == [9, 8, 7]
    assert spectrum.value.dtype == np.int32


def test_write_attributes_and_read_attributes(dev):
    dev.write_attributes([("double_scalar_w", 9.5), ("long_scalar_w", -4),
                          ("string_scalar", "multi"), ("ushort_spectrum", [1, 2, 65535])])
    names = ["double_scalar_w", "long_scalar_w", "string_scalar", "ushort_spectrum"]
    results = dev.read_attributes(names)
    assert [da.name for da in results] == names
    assert results[0].value == 9.5
    assert results[1].value == -4
    assert results[2].value == "multi"
    assert results[3].value.tolist() == [1, 2, 65535]
    assert results[3].value.dtype == np.uint16
    assert all(da.quality == AttrQuality.ATTR_VALID for da in results)


def test_read_attributes_with_extract_as(dev):
    dev.write_attribute("short_spectrum", [5, 6])
    results = dev.read_attributes(["short_spectrum", "long_scalar_w"], extract_as=ExtractAs.List)
    assert results[0].value == [5, 6]


def test_write_read_attributes(dev):
    results = dev.write_read_attributes(
        [("double_scalar_w", 1.75), ("long_scalar_w", 77)], ["double_scalar_w", "long_scalar_w"])
    assert [da.name for da in results] == ["double_scalar_w", "long_scalar_w"]
    assert [da.value for da in results] == [1.75, 77]


def test_read_attributes_reports_a_failed_attribute_in_place(dev):
    results = dev.read_attributes(["double_scalar_w", "throw_exception", "long_scalar_w"])
    assert len(results) == 3
    assert results[1].has_failed
    assert results[1].value is None
    assert not results[0].has_failed and not results[2].has_failed


@pytest.mark.parametrize("extract_as, kind", [(ExtractAs.Numpy, np.ndarray), (ExtractAs.List, list),
                                              (ExtractAs.Tuple, tuple), (ExtractAs.Bytes, bytes)])
def test_an_empty_spectrum_written_reads_back_empty_in_both_parts(dev, extract_as, kind):
    dev.write_attribute("double_spectrum", [])
    da = dev.read_attribute("double_spectrum", extract_as=extract_as)
    assert isinstance(da.value, kind) and len(da.value) == 0
    assert isinstance(da.w_value, kind) and len(da.w_value) == 0
    dev.write_attribute("double_spectrum", [1.0, 2.0])  # as the other tests expect it
