"""Attributes of Python devices: every dtype form, read, write and read-write, in all formats."""

import enum

import numpy as np
import pytest

import tango
from tango import AttrDataFormat, AttrWriteType, CmdArgType, DevState, GreenMode
from tango.server import Device, attribute, command
from tango.test_utils import UTF8_STRING, assert_close, dev_encoded_values  # noqa: F401

from _green_server import GreenDeviceTestContext, GreenModeProbe


T = CmdArgType
SCALAR, SPECTRUM, IMAGE = AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE
ACCESS = {"r": AttrWriteType.READ, "w": AttrWriteType.WRITE, "rw": AttrWriteType.READ_WRITE}

# id, dtype form, Tango type, scalar sample, spectrum sample, image sample
INTS = ([1, -2, 3], [[1, 2, 3], [4, 5, -6]])
UINTS = ([0, 7, 9], [[1, 2], [3, 4], [5, 6]])
FLOATS = ([0.5, -1.25, 3e10], [[0.5, 1.5], [-2.5, 3.5]])
CASES = [
    ("int", int, T.DevLong64, -(2**40), *INTS),
    ("float", float, T.DevDouble, 2.5e-7, *FLOATS),
    ("str", str, T.DevString, "héllo wörld", ["a", "é", ""], [["a", "b"], ["c", "d"]]),
    ("bool", bool, T.DevBoolean, True, [True, False, True], [[True, False], [False, True]]),
    ("np.bool_", np.bool_, T.DevBoolean, False, [False, True], [[True], [False]]),
    ("np.uint8", np.uint8, T.DevUChar, 255, [0, 128, 255], [[0, 255], [1, 2]]),
    ("np.int16", np.int16, T.DevShort, -32768, [-32768, 32767], [[1, -2], [3, 4]]),
    ("np.uint16", np.uint16, T.DevUShort, 65535, [0, 65535], *UINTS[1:]),
    ("np.int32", np.int32, T.DevLong, -(2**31), [-(2**31), 2**31 - 1], INTS[1]),
    ("np.uint32", np.uint32, T.DevULong, 2**32 - 1, [0, 2**32 - 1], UINTS[1]),
    ("np.int64", np.int64, T.DevLong64, -(2**63), [-(2**63), 2**63 - 1], INTS[1]),
    ("np.uint64", np.uint64, T.DevULong64, 2**64 - 1, [0, 2**64 - 1], UINTS[1]),
    ("np.float32", np.float32, T.DevFloat, 1.5, [0.5, -1.25], [[0.5, 1.5], [2.5, 3.5]]),
    ("np.float64", np.float64, T.DevDouble, -1.5e300, *FLOATS),
    ("np.dtype(int16)", np.dtype("int16"), T.DevShort, 12, [1, 2], [[3, 4]]),
    ("np.dtype(float32)", np.dtype("float32"), T.DevFloat, 0.25, [0.25], [[0.25, 0.5]]),
    ("'DevDouble'", "DevDouble", T.DevDouble, -1.25, *FLOATS),
    ("'DevFloat'", "DevFloat", T.DevFloat, 0.75, [0.75], [[0.75]]),
    ("'DevLong'", "DevLong", T.DevLong, -7, *INTS),
    ("'DevULong'", "DevULong", T.DevULong, 7, *UINTS),
    ("'DevShort'", "DevShort", T.DevShort, -7, *INTS),
    ("'DevUShort'", "DevUShort", T.DevUShort, 7, *UINTS),
    ("'DevLong64'", "DevLong64", T.DevLong64, -(2**50), *INTS),
    ("'DevULong64'", "DevULong64", T.DevULong64, 2**60, *UINTS),
    ("'DevUChar'", "DevUChar", T.DevUChar, 65, *UINTS),
    ("'DevBoolean'", "DevBoolean", T.DevBoolean, True, [False], [[True, True]]),
    ("'DevString'", "DevString", T.DevString, "x", ["x", "y"], [["x"], ["y"]]),
    ("'DevState'", "DevState", T.DevState, DevState.ALARM, [DevState.ON], [[DevState.OFF]]),
    ("'double'", "double", T.DevDouble, 3.5, *FLOATS),
    ("'uint16'", "uint16", T.DevUShort, 9, *UINTS),
    ("CmdArgType.DevShort", CmdArgType.DevShort, T.DevShort, -3, *INTS),
    ("tango.DevFloat", tango.DevFloat, T.DevFloat, 2.0, [2.0], [[2.0]]),
    ("DevState", DevState, T.DevState, DevState.MOVING, [DevState.ON, DevState.FAULT],
     [[DevState.ON, DevState.OFF], [DevState.ALARM, DevState.INIT]]),
]

NUMPY_OF = {
    T.DevBoolean: np.bool_, T.DevUChar: np.uint8, T.DevShort: np.int16, T.DevUShort: np.uint16,
    T.DevLong: np.int32, T.DevULong: np.uint32, T.DevLong64: np.int64, T.DevULong64: np.uint64,
    T.DevFloat: np.float32, T.DevDouble: np.float64,
}
PYTHON_SCALAR_OF = {T.DevBoolean: bool, T.DevFloat: float, T.DevDouble: float, T.DevString: str,
                    T.DevState: DevState}


def _accessors(name, sample):
    def read(self):
        return self._store.get(name, sample)

    def write(self, value):
        self._store[name] = value

    return read, write


def _plain(value):
    """The value with its enum members as ints and its tuples as lists, for the text of
    received() (the checks compare the type names apart; an IntEnum member equals its int)."""
    if isinstance(value, enum.Enum):
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def typed_device(dtype, samples):
    """A device with a READ, a WRITE and a READ_WRITE attribute per format: scalar_r, image_rw..."""
    namespace = {}
    forms = {"scalar": (dtype, {}), "spectrum": ((dtype,), {"max_dim_x": 4}),
             "image": (((dtype,),), {"max_dim_x": 4, "max_dim_y": 3})}
    for fmt, (form, dims) in forms.items():
        for acc, access in ACCESS.items():
            name = f"{fmt}_{acc}"
            read, write = _accessors(name, samples[fmt])
            kwargs = dict(dtype=form, access=access, **dims)
            if acc == "r":
                namespace[name] = attribute(fget=read, **kwargs)
            elif acc == "w":
                namespace[name] = attribute(fset=write, **kwargs)
            else:
                namespace[name] = attribute(fget=read, fset=write, **kwargs)

    def init_device(self):
        self._store = {}

    def received(self, name):
        """What the last write handed to the device: (type name, numpy dtype or '', value)."""
        value = self._store[name]
        kind = type(value).__name__
        if isinstance(value, np.ndarray):
            return repr((kind, value.dtype.name, value.shape, value.tolist()))
        if isinstance(value, (list, tuple)):
            return repr((kind, "", [type(v).__name__ for v in np.ravel(np.array(value, dtype=object))],
                         _plain(value)))
        return repr((kind, "", _plain(value)))

    namespace["init_device"] = init_device
    namespace["received"] = command(received, dtype_in=str, dtype_out=str)
    return type("TypedDevice", (GreenModeProbe,), namespace)


def _check_client_value(value, tango_type, fmt, expected):
    """The value a client reads: exact, and of the type PyTango gives."""
    assert_close(value, expected)
    if fmt == SCALAR:
        if tango_type in PYTHON_SCALAR_OF:
            assert isinstance(value, PYTHON_SCALAR_OF[tango_type])
        else:
            assert isinstance(value, int) and not isinstance(value, bool)
        assert value == expected
    elif tango_type in NUMPY_OF:
        assert isinstance(value, np.ndarray)
        assert value.dtype == NUMPY_OF[tango_type]
        assert value.shape == np.shape(expected)
        assert value.tolist() == np.array(expected, dtype=NUMPY_OF[tango_type]).tolist()
    else:  # strings and states: sequences of str / DevState
        flat = [v for row in value for v in row] if fmt == IMAGE else list(value)
        want = [v for row in expected for v in row] if fmt == IMAGE else list(expected)
        assert flat == want
        assert all(type(v) is type(w) for v, w in zip(flat, want))


def _check_received(text, tango_type, fmt, expected):
    """What the device's write method was handed: Python scalars, numpy arrays of numbers."""
    kind, dtype_name, *rest = eval(text, {"DevState": DevState, "tango": tango})  # noqa: S307
    if fmt == SCALAR:
        value = rest[0]
        want_type = PYTHON_SCALAR_OF.get(tango_type, int)
        assert kind == want_type.__name__
        assert value == expected
    elif tango_type in NUMPY_OF:
        shape, values = rest
        assert kind == "ndarray"
        assert dtype_name == np.dtype(NUMPY_OF[tango_type]).name
        assert shape == np.shape(expected)
        assert values == np.array(expected, dtype=NUMPY_OF[tango_type]).tolist()
    else:
        element_types, values = rest
        assert kind in ("list", "tuple")
        assert set(element_types) == {PYTHON_SCALAR_OF[tango_type].__name__}
        if fmt == IMAGE:
            assert values == [list(row) for row in expected]
        else:
            assert values == list(expected)


@pytest.mark.parametrize("dtype,tango_type,scalar,spectrum,image", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_dtype_form_read_write_and_read_write_in_every_format(dtype, tango_type, scalar, spectrum,
                                                              image, server_mode):
    samples = {"scalar": scalar, "spectrum": spectrum, "image": image}
    formats = {"scalar": SCALAR, "spectrum": SPECTRUM, "image": IMAGE}
    with GreenDeviceTestContext(typed_device(dtype, samples), server_mode, debug=0) as proxy:
        for fmt_name, fmt in formats.items():
            sample = samples[fmt_name]
            for acc, access in ACCESS.items():
                name = f"{fmt_name}_{acc}"
                config = proxy.get_attribute_config(name)
                assert (config.data_type, config.data_format, config.writable) == (
                    tango_type, fmt, access), name
                assert (config.max_dim_x, config.max_dim_y) == {
                    SCALAR: (1, 0), SPECTRUM: (4, 0), IMAGE: (4, 3)}[fmt], name
                if acc == "r":
                    reply = proxy.read_attribute(name)
                    _check_client_value(reply.value, tango_type, fmt, sample)
                    if fmt == SCALAR:
                        assert reply.w_value is None
                    else:  # no write part: empty, as PyTango 10 gives it
                        assert len(reply.w_value) == 0
                    assert reply.type == tango_type and reply.data_format == fmt
                    continue
                proxy.write_attribute(name, sample)
                _check_received(proxy.received(name), tango_type, fmt, sample)
                reply = proxy.read_attribute(name)
                _check_client_value(reply.value, tango_type, fmt, sample)  # read back or set point
                _check_client_value(reply.w_value, tango_type, fmt, sample)
                _check_client_value(getattr(proxy, name), tango_type, fmt, sample)


def test_numpy_arrays_are_written_as_they_are(server_mode):
    samples = {"scalar": 1.0, "spectrum": [0.0], "image": [[0.0]]}
    with GreenDeviceTestContext(typed_device(np.float32, samples), server_mode, debug=0) as proxy:
        proxy.spectrum_rw = np.array([1.5, 2.5, 3.5], dtype=np.float32)
        proxy.image_rw = np.arange(6, dtype=np.float32).reshape(3, 2)
        assert proxy.spectrum_rw.tolist() == [1.5, 2.5, 3.5]
        assert proxy.image_rw.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
        assert proxy.image_rw.shape == (3, 2)
        proxy.spectrum_rw = []
        assert proxy.read_attribute("spectrum_rw").value.tolist() == []


class Color(enum.IntEnum):
    RED = 0
    GREEN = 1
    BLUE = 2


class EnumDevice(GreenModeProbe):
    def init_device(self):
        self._store = {}

    @attribute(dtype=Color, access=AttrWriteType.READ_WRITE)
    def color(self):
        return self._store.get("color", Color.GREEN)

    @color.setter
    def color(self, value):
        self._store["color"] = value

    @attribute(dtype=Color)
    def color_r(self):
        return Color.BLUE

    color_w = attribute(dtype=Color, access=AttrWriteType.WRITE)

    def write_color_w(self, value):
        self._store["color_w"] = value

    mode = attribute(dtype="DevEnum", enum_labels=["AUTO", "MANUAL", "OFF"],
                     access=AttrWriteType.READ_WRITE)

    def read_mode(self):
        return self._store.get("mode", 1)

    def write_mode(self, value):
        self._store["mode"] = value

    @attribute(dtype=(Color,), max_dim_x=4, access=AttrWriteType.READ_WRITE)
    def colors(self):
        return self._store.get("colors", [Color.GREEN, Color.RED])

    @colors.setter
    def colors(self, value):
        self._store["colors"] = value

    @attribute(dtype=((Color,),), max_dim_x=3, max_dim_y=3, access=AttrWriteType.READ_WRITE)
    def color_image(self):
        return self._store.get("color_image", [[Color.GREEN, Color.RED]])

    @color_image.setter
    def color_image(self, value):
        self._store["color_image"] = value

    @command(dtype_in=str, dtype_out=str)
    def received(self, name):
        value = self._store[name]
        if isinstance(value, np.ndarray):
            return repr(("ndarray", value.tolist()))
        return repr((type(value).__name__, int(value)))


def test_enum_attributes_with_labels_and_with_an_int_enum(server_mode):
    with GreenDeviceTestContext(EnumDevice, server_mode, debug=0) as proxy:
        for name in ("color", "color_r", "color_w", "colors", "color_image"):
            config = proxy.get_attribute_config(name)
            assert config.data_type == T.DevEnum
            assert config.enum_labels == ["RED", "GREEN", "BLUE"]
        assert proxy.get_attribute_config("mode").enum_labels == ["AUTO", "MANUAL", "OFF"]
        # scalars come back as enums named after the labels, equal to their values
        assert proxy.color == 1 and proxy.color.name == "GREEN"
        assert proxy.color_r.name == "BLUE"
        assert proxy.mode == 1 and proxy.mode.name == "MANUAL"
        assert proxy.read_attribute("color").value == 1
        proxy.color = Color.BLUE
        assert proxy.received("color") == repr(("int", 2))
        assert proxy.color.name == "BLUE" and proxy.read_attribute("color").w_value == 2
        proxy.color_w = 0
        assert proxy.received("color_w") == repr(("int", 0))
        proxy.mode = 2
        assert proxy.received("mode") == repr(("int", 2))
        assert proxy.mode.name == "OFF"
        with pytest.raises(tango.DevFailed):
            proxy.mode = 3  # no such label
        assert proxy.mode.name == "OFF"
        # spectra and images too, as tuples of members (PyTango's form); read_attribute keeps
        # the numbers
        assert proxy.colors == (1, 0)
        assert [c.name for c in proxy.colors] == ["GREEN", "RED"]
        proxy.colors = [2, 2, 0]
        assert proxy.received("colors") == repr(("ndarray", [2, 2, 0]))
        assert proxy.read_attribute("colors").value.tolist() == [2, 2, 0]
        assert proxy.color_image == ((1, 0),) and proxy.color_image[0][0].name == "GREEN"
        proxy.color_image = [[2], [0]]
        assert proxy.color_image == ((2,), (0,))
        # labels are written as their values; an unknown label is refused before any call
        proxy.color = "RED"
        assert proxy.received("color") == repr(("int", 0))
        proxy.colors = ["BLUE", "GREEN"]
        assert proxy.received("colors") == repr(("ndarray", [2, 1]))
        proxy.color_image = [["GREEN", "RED"]]
        assert proxy.color_image == ((1, 0),)
        with pytest.raises(AttributeError, match=r"Invalid enum value PINK for attribute colors\. "
                                                 r"Valid values: \['RED', 'GREEN', 'BLUE'\]"):
            proxy.colors = ["RED", "PINK"]
        assert proxy.received("colors") == repr(("ndarray", [2, 1]))


@pytest.mark.parametrize("bad", ["BadNonZero", "BadSkip", "NoLabels"])
def test_invalid_enum_declarations_are_refused(bad):
    from tango.test_utils import BadEnumNonZero, BadEnumSkipValues

    dtype = {"BadNonZero": BadEnumNonZero, "BadSkip": BadEnumSkipValues, "NoLabels": "DevEnum"}[bad]

    class BadEnumDevice(Device):
        value = attribute(dtype=dtype)

        def read_value(self):
            return 0

    with pytest.raises(TypeError):
        BadEnumDevice._tango_spec()


class EncodedDevice(GreenModeProbe):
    def init_device(self):
        self._store = {}

    @attribute(dtype="DevEncoded", access=AttrWriteType.READ_WRITE)
    def blob(self):
        return self._store.get("blob", ("raw", b"\x00\x01\xff"))

    @blob.setter
    def blob(self, value):
        self._store["blob"] = value

    @attribute(dtype=bytes)
    def from_bytearray(self):
        return "jpeg", bytearray(b"\xff\xd8")

    @attribute(dtype=tango.DevEncoded)
    def from_str(self):
        return "ascii", "plain text"

    blob_w = attribute(dtype="DevEncoded", access=AttrWriteType.WRITE)

    def write_blob_w(self, value):
        self._store["blob_w"] = value

    @command(dtype_in=str, dtype_out=str)
    def received(self, name):
        fmt, data = self._store[name]
        return repr((type(fmt).__name__, type(data).__name__, fmt, bytes(data)))


def test_dev_encoded_attributes(server_mode):
    with GreenDeviceTestContext(EncodedDevice, server_mode, debug=0) as proxy:
        for name, access in (("blob", AttrWriteType.READ_WRITE), ("from_bytearray", AttrWriteType.READ),
                             ("blob_w", AttrWriteType.WRITE)):
            config = proxy.get_attribute_config(name)
            assert (config.data_type, config.data_format, config.writable) == (
                T.DevEncoded, SCALAR, access)
        assert proxy.blob == ("raw", b"\x00\x01\xff")
        assert proxy.from_bytearray == ("jpeg", b"\xff\xd8")
        assert proxy.from_str == ("ascii", b"plain text")
        proxy.blob = ("png", b"\x89PNG\x00")
        assert proxy.received("blob") == repr(("str", "bytes", "png", b"\x89PNG\x00"))
        assert proxy.blob == ("png", b"\x89PNG\x00")
        assert proxy.read_attribute("blob").w_value == ("png", b"\x89PNG\x00")
        proxy.blob_w = ("text", "abc")
        assert proxy.received("blob_w") == repr(("str", "bytes", "text", b"abc"))
        big = bytes(range(256)) * 4096  # 1 MiB through the wire both ways
        proxy.blob = ("big", big)
        assert proxy.blob == ("big", big)


def _encoded_device(data):
    class EncodedData(GreenModeProbe):
        def init_device(self):
            self._received = None

        @attribute(dtype="DevEncoded", access=AttrWriteType.READ_WRITE)
        def payload(self):
            return "utf8", data

        @payload.setter
        def payload(self, value):
            self._received = value

        @command(dtype_out="DevEncoded")
        def received(self):
            return self._received

    return EncodedData


def test_dev_encoded_str_bytes_and_bytearray_payloads(dev_encoded_values, server_mode):
    """As PyTango: str payloads travel as their UTF-8 encoding, bytes-like ones as they are."""
    kind, data = dev_encoded_values
    with GreenDeviceTestContext(_encoded_device(data), server_mode, debug=0) as proxy:
        assert proxy.payload == ("utf8", UTF8_STRING.encode())
        proxy.payload = ("utf8", data)
        assert proxy.received() == ("utf8", UTF8_STRING.encode())


class FormsDevice(GreenModeProbe):
    """The declaration forms: class attribute + read_/write_ methods, decorators, fget/fset
    names, a read method taking the Attribute, a custom name."""

    def init_device(self):
        self._value = 0.0

    plain = attribute(dtype=float, access=AttrWriteType.READ_WRITE)

    def read_plain(self):
        return self._value

    def write_plain(self, value):
        self._value = value

    by_name = attribute(dtype=float, fget="get_it", fset="set_it", access=AttrWriteType.READ_WRITE)

    def get_it(self):
        return self._value * 2

    def set_it(self, value):
        self._value = value / 2

    with_attr = attribute(dtype=float)

    def read_with_attr(self, attr):
        attr.set_value(self._value + 100)

    renamed = attribute(dtype=int, name="RenamedAttr")

    def read_RenamedAttr(self):
        return 7

    @attribute
    def default_double(self):
        return 1.5

    @attribute(dtype=float)
    def decorated(self):
        return self._value

    @decorated.write
    def decorated(self, value):
        self._value = value + 1


def test_declaration_forms(server_mode):
    with GreenDeviceTestContext(FormsDevice, server_mode, debug=0) as proxy:
        names = set(proxy.get_attribute_list())
        assert {"plain", "by_name", "with_attr", "RenamedAttr", "default_double",
                "decorated", "State", "Status", "green_mode_seen"} == names  # the last: GreenModeProbe's
        proxy.plain = 3.0
        assert (proxy.plain, proxy.by_name, proxy.with_attr) == (3.0, 6.0, 103.0)
        proxy.by_name = 10.0
        assert proxy.plain == 5.0
        assert proxy.RenamedAttr == 7
        assert proxy.get_attribute_config("default_double").data_type == T.DevDouble
        assert proxy.default_double == 1.5
        assert proxy.get_attribute_config("decorated").writable == AttrWriteType.READ_WRITE
        proxy.decorated = 1.0
        assert proxy.decorated == 2.0


class QualityDevice(GreenModeProbe):
    @attribute(dtype=float)
    def warning(self):
        return 4.0, 1234.5, tango.AttrQuality.ATTR_WARNING

    @attribute(dtype=float)
    def invalid(self):
        return 0.0, 1234.5, tango.AttrQuality.ATTR_INVALID

    @attribute(dtype=float)
    def by_set_value(self, attr):
        attr.set_value_date_quality(2.0, 1000.25, tango.AttrQuality.ATTR_CHANGING)

    @attribute(dtype=(float,), max_dim_x=3)
    def spectrum_quality(self):
        return [1.0, 2.0], 99.0, tango.AttrQuality.ATTR_ALARM


def test_value_time_and_quality(server_mode):
    with GreenDeviceTestContext(QualityDevice, server_mode, debug=0) as proxy:
        warning = proxy.read_attribute("warning")
        assert (warning.value, warning.quality) == (4.0, tango.AttrQuality.ATTR_WARNING)
        assert warning.time.totime() == 1234.5
        invalid = proxy.read_attribute("invalid")
        assert (invalid.value, invalid.quality) == (None, tango.AttrQuality.ATTR_INVALID)
        changing = proxy.read_attribute("by_set_value")
        assert (changing.value, changing.quality) == (2.0, tango.AttrQuality.ATTR_CHANGING)
        assert changing.time.totime() == 1000.25
        spectrum = proxy.read_attribute("spectrum_quality")
        assert spectrum.value.tolist() == [1.0, 2.0]
        assert spectrum.quality == tango.AttrQuality.ATTR_ALARM


class LabelledEnums(GreenModeProbe):
    def init_device(self):
        self._modes = [0, 2]
        self._grid = [[1, 0], [2, 2]]

    @attribute(dtype=("DevEnum",), enum_labels=["A", "B", "C"], max_dim_x=3,
               access=AttrWriteType.READ_WRITE)
    def modes(self):
        return self._modes

    @modes.setter
    def modes(self, value):
        self._modes = value

    @attribute(dtype=(("DevEnum",),), enum_labels=["A", "B", "C"], max_dim_x=2, max_dim_y=2,
               access=AttrWriteType.READ_WRITE)
    def grid(self):
        return self._grid

    @grid.setter
    def grid(self, value):
        self._grid = value

    mode_w = attribute(dtype="DevEnum", enum_labels=["A", "B", "C"], access=AttrWriteType.WRITE)

    def write_mode_w(self, value):
        self._modes = [value]


def test_enum_labels_attributes_in_every_format(server_mode):
    with GreenDeviceTestContext(LabelledEnums, server_mode, debug=0) as proxy:
        for name, fmt in (("modes", SPECTRUM), ("grid", IMAGE), ("mode_w", SCALAR)):
            config = proxy.get_attribute_config(name)
            assert (config.data_type, config.data_format) == (T.DevEnum, fmt)
            assert config.enum_labels == ["A", "B", "C"]
        assert proxy.modes == (0, 2)  # members of an IntEnum of the labels, as tuples
        proxy.modes = [1, 1, 2]
        assert [m.name for m in proxy.modes] == ["B", "B", "C"]
        assert proxy.grid == ((1, 0), (2, 2))
        proxy.grid = [[0], [1]]
        assert proxy.grid == ((0,), (1,))
        proxy.mode_w = 2
        assert proxy.modes == (2,)
        assert proxy.read_attribute("mode_w").w_value == 2


def test_dev_encoded_is_scalar_only():
    # (no green-mode matrix: the server stops at the declaration, before any device code runs)
    class EncodedSpectrum(GreenModeProbe):
        @attribute(dtype=("DevEncoded",), max_dim_x=3)
        def blobs(self):
            return [("a", b"x")]

    # cppTango refuses the declaration when the server starts; the context raises its error
    with pytest.raises(tango.DevFailed, match="DevEncode data type allowed only for SCALAR"):
        with GreenDeviceTestContext(EncodedSpectrum, GreenMode.Synchronous, debug=0, timeout=20):
            pass


class ReadForms(GreenModeProbe):
    """Read results and handlers in PyTango's less common forms."""

    def init_device(self):
        self._voltage = 1.5
        # a plain function put on the device under the conventional name: called with the device
        self.__dict__["read_plain"] = lambda device, attr: 42 if isinstance(device, ReadForms) else -1
        self.add_attribute(attribute(name="plain", dtype=int))
        # a handler that fails before any Python frame runs (a builtin given two arguments)
        self.add_attribute(attribute(name="raw", dtype=int, access=AttrWriteType.READ_WRITE),
                           r_meth=lambda device, attr: 0, w_meth=len)

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def voltage(self):
        return self._voltage

    @voltage.write  # the decorator returns the attribute: one attribute, under two names
    def set_voltage(self, value):
        self._voltage = value

    @attribute(dtype="DevEncoded")
    def flat_encoded(self):  # (format, data, time, quality), flat, as PyTango takes it
        return "utf8", UTF8_STRING.encode(), 2.0, tango.AttrQuality.ATTR_WARNING

    @attribute(dtype="DevEncoded")
    def not_utf8(self):
        return "latin-1", b"caf\xe9"

    @command(dtype_out=(str,))
    def attribute_names(self):
        return [a.get_name() for a in self.get_device_attr().get_attribute_list()]


def test_read_forms(server_mode):
    with GreenDeviceTestContext(ReadForms, server_mode, debug=0) as proxy:
        assert proxy.plain == 42
        names = proxy.attribute_names()
        assert names.count("voltage") == 1 and "set_voltage" not in names
        proxy.voltage = 3.0
        assert proxy.voltage == 3.0
        reading = proxy.read_attribute("flat_encoded")
        assert reading.value == ("utf8", UTF8_STRING.encode())
        assert (reading.time.tv_sec, reading.quality) == (2, tango.AttrQuality.ATTR_WARNING)
        # DevEncoded data decoded as UTF-8 (ExtractAs.String), or as a bytearray
        as_text = proxy.read_attribute("flat_encoded", extract_as=tango.ExtractAs.String).value
        assert as_text == ("utf8", UTF8_STRING) and type(as_text[1]) is str
        as_array = proxy.read_attribute("flat_encoded", extract_as=tango.ExtractAs.ByteArray).value
        assert as_array == ("utf8", bytearray(UTF8_STRING.encode())) and type(as_array[1]) is bytearray
        with pytest.raises(UnicodeDecodeError):
            proxy.read_attribute("not_utf8", extract_as=tango.ExtractAs.String)
        assert proxy.read_attribute("not_utf8").value == ("latin-1", b"caf\xe9")
        # the builtin's TypeError reaches the client as a DevFailed with Python's message
        with pytest.raises(tango.DevFailed) as info:
            proxy.raw = 1
        assert info.value.args[0].reason == "PyDs_PythonError"
        assert "TypeError: len() takes exactly one argument (2 given)" in info.value.args[0].desc
        assert proxy.voltage == 3.0  # and the device goes on


def test_enum_labels_with_an_enum_dtype_are_refused():
    for dtype in (Color, (Color,), ((Color,),)):
        with pytest.raises(TypeError, match="enum_labels may not be given with an enum.Enum dtype"):
            attribute(dtype=dtype, enum_labels=["A", "B", "C"])
