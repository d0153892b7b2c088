"""tango.EncodedAttribute: images a device encodes in its DevEncoded attributes, read by a client
and decoded there, in every format (the raw ones exactly, JPEG within its loss), in the forms a
device gives them and a client asks them back, and bad input on both sides."""

import threading

import numpy as np
import pytest

import tango
from tango import AttrQuality, AttrWriteType, DevFailed, EncodedAttribute, ExtractAs
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

NOTHING = ExtractAs.Nothing
_rng = np.random.default_rng(20240611)

# Raw images: noise, of odd sizes, compared exactly.
GRAY8 = _rng.integers(0, 256, (5, 7), dtype=np.uint8)
GRAY16 = _rng.integers(0, 65536, (6, 9), dtype=np.uint16)
RGB24 = _rng.integers(0, 256, (4, 11, 3), dtype=np.uint8)

# JPEG images: smooth, 40x56 (not a multiple of the 16x16 blocks), compared within a tolerance.
_y, _x = np.mgrid[0:40, 0:56]
SMOOTH8 = np.clip(_x * 3 + _y * 2 + 20, 0, 255).astype(np.uint8)
SMOOTH_RGB = np.stack([_x * 4, 30 + _y * 5, 240 - _x * 2 - _y], axis=-1).astype(np.uint8)
# The same colours as R, G, B, A bytes read as native uint32 (A = 77: JPEG drops it).
SMOOTH_RGBA32 = np.concatenate([SMOOTH_RGB, np.full((40, 56, 1), 77, np.uint8)], axis=-1).view(np.uint32)[..., 0]
SIZED_COLOUR = np.array([200, 100, 50], np.uint8)
JPEG_TOLERANCE = 8  # levels, at quality 100 (seen: 0 for gray, 3 for colour, whose chroma has half the resolution)


def rgba(decoded):
    """The R, G, B, A bytes of decode_rgb32's uint32 pixels: shape (height, width, 4)."""
    return decoded.view(np.uint8).reshape(decoded.shape + (4,))


# How the device encodes the images it serves, into a new EncodedAttribute.
def _gray8(enc):
    enc.encode_gray8(GRAY8)


def _gray16(enc):
    enc.encode_gray16(GRAY16)


def _rgb24(enc):
    enc.encode_rgb24(RGB24)


def _jpeg_gray8(enc):
    enc.encode_jpeg_gray8(SMOOTH8)


def _jpeg_rgb24(enc):
    enc.encode_jpeg_rgb24(SMOOTH_RGB)


def _jpeg_rgb32(enc):
    enc.encode_jpeg_rgb32(SMOOTH_RGBA32)


def _jpeg_gray8_q20(enc):
    enc.encode_jpeg_gray8(SMOOTH8, quality=20)


# The other forms of an image (name -> (encode, decoder, the image decoded)).
FORMS = {
    "gray8 int rows": (lambda e: e.encode_gray8(GRAY8.tolist()), "decode_gray8", GRAY8),
    "gray8 tuple rows": (lambda e: e.encode_gray8(tuple(tuple(r) for r in GRAY8.tolist())), "decode_gray8", GRAY8),
    "gray8 bytes rows": (lambda e: e.encode_gray8([r.tobytes() for r in GRAY8]), "decode_gray8", GRAY8),
    "gray8 bytearray rows": (lambda e: e.encode_gray8([bytearray(r.tobytes()) for r in GRAY8]), "decode_gray8",
                             GRAY8),
    "gray8 bytes pixels": (lambda e: e.encode_gray8([[bytes([v]) for v in r] for r in GRAY8.tolist()]),
                           "decode_gray8", GRAY8),
    "gray8 numpy rows": (lambda e: e.encode_gray8(list(GRAY8)), "decode_gray8", GRAY8),
    "gray8 bytes w h": (lambda e: e.encode_gray8(GRAY8.tobytes(), 7, 5), "decode_gray8", GRAY8),
    "gray8 bytearray w h": (lambda e: e.encode_gray8(bytearray(GRAY8.tobytes()), 7, 5), "decode_gray8", GRAY8),
    "gray8 memoryview w h": (lambda e: e.encode_gray8(memoryview(GRAY8.tobytes()), 7, 5), "decode_gray8", GRAY8),
    "gray8 1-D w h": (lambda e: e.encode_gray8(GRAY8.ravel(), 7, 5), "decode_gray8", GRAY8),
    "gray8 int8": (lambda e: e.encode_gray8(GRAY8.view(np.int8)), "decode_gray8", GRAY8),
    "gray8 2-D ignores w h": (lambda e: e.encode_gray8(GRAY8, 99, 99), "decode_gray8", GRAY8),
    "gray8 rows with w h": (lambda e: e.encode_gray8(GRAY8.tolist(), 7, 5), "decode_gray8", GRAY8),
    "gray16 int rows": (lambda e: e.encode_gray16(GRAY16.tolist()), "decode_gray16", GRAY16),
    "gray16 bytes rows": (lambda e: e.encode_gray16([r.tobytes() for r in GRAY16]), "decode_gray16", GRAY16),
    "gray16 bytes w h": (lambda e: e.encode_gray16(GRAY16.tobytes(), 9, 6), "decode_gray16", GRAY16),
    "gray16 int16": (lambda e: e.encode_gray16(GRAY16.view(np.int16)), "decode_gray16", GRAY16),
    "gray16 unaligned": (lambda e: e.encode_gray16(memoryview(b"\0" + GRAY16.tobytes())[1:], 9, 6), "decode_gray16",
                         GRAY16),
    "rgb24 int pixels": (lambda e: e.encode_rgb24(
        [[int(r) | int(g) << 8 | int(b) << 16 for r, g, b in row] for row in RGB24]), "decode_rgb32", RGB24),
    "rgb24 bytes pixels": (lambda e: e.encode_rgb24([[bytes(p) for p in row] for row in RGB24]), "decode_rgb32",
                           RGB24),
    "rgb24 bytes rows": (lambda e: e.encode_rgb24([row.tobytes() for row in RGB24]), "decode_rgb32", RGB24),
    "rgb24 bytes w h": (lambda e: e.encode_rgb24(RGB24.tobytes(), 11, 4), "decode_rgb32", RGB24),
    "rgb24 2-D w h": (lambda e: e.encode_rgb24(RGB24.reshape(4, 33), 11, 4), "decode_rgb32", RGB24),
}


class Camera(Device):
    """Encodes the test images on each read, in the ways a device gives them."""

    def init_device(self):
        super().init_device()
        self._payload = ("none", b"")
        self._form = "gray8 int rows"
        self._sized = "gray", 1, 1
        self.set_change_event("live", True, False)

    def _encoded(self, encode):
        enc = EncodedAttribute()
        encode(enc)
        return enc

    @attribute(dtype=tango.DevEncoded)
    def gray8(self):
        return self._encoded(_gray8)

    @attribute(dtype=tango.DevEncoded)
    def gray16(self):
        return self._encoded(_gray16)

    @attribute(dtype=tango.DevEncoded)
    def rgb24(self):
        return self._encoded(_rgb24)

    @attribute(dtype=tango.DevEncoded)
    def jpeg_gray8(self):
        return self._encoded(_jpeg_gray8)

    @attribute(dtype=tango.DevEncoded)
    def jpeg_rgb24(self):
        return self._encoded(_jpeg_rgb24)

    @attribute(dtype=tango.DevEncoded)
    def jpeg_rgb32(self):
        return self._encoded(_jpeg_rgb32)

    @attribute(dtype=tango.DevEncoded)
    def jpeg_gray8_q20(self):
        return self._encoded(_jpeg_gray8_q20)

    # the forms: the image of the form selected last
    @command(dtype_in=str)
    def select(self, form):
        self._form = form

    @attribute(dtype=tango.DevEncoded)
    def form(self):
        return self._encoded(FORMS[self._form][0])

    @attribute(dtype=tango.DevEncoded)
    def live(self):
        return self._encoded(_gray16)

    # the ways of giving the value
    by_set_value = attribute(dtype=tango.DevEncoded)

    def read_by_set_value(self, attr):
        attr.set_value(self._encoded(_gray16))

    @attribute(dtype=tango.DevEncoded)
    def with_quality(self):
        return self._encoded(_gray8), 1234.5, AttrQuality.ATTR_WARNING

    @attribute(dtype=tango.DevEncoded)
    def invalid(self):
        return self._encoded(_gray8), 1234.5, AttrQuality.ATTR_INVALID

    @attribute(dtype=tango.DevEncoded)
    def pooled(self):
        enc = EncodedAttribute(3, True)  # accepted; every image is copied when it is set
        for encode in (_gray16, _gray8, _rgb24, _rgb24, _gray16, _rgb24, _gray8):
            encode(enc)
        return enc

    @attribute(dtype=tango.DevEncoded)
    def reencoded(self):
        enc = EncodedAttribute()
        _jpeg_rgb24(enc)
        _gray8(enc)  # the last image encoded is the value
        return enc

    @attribute(dtype=tango.DevEncoded)
    def nothing_encoded(self):
        return EncodedAttribute()

    @attribute(dtype=tango.DevEncoded)
    def failing(self):
        raise RuntimeError("no camera")

    # JPEG images of any size: one gray level or one colour
    @command(dtype_in=str)
    def resize(self, spec):
        kind, height, width = spec.split()
        self._sized = kind, int(height), int(width)

    @attribute(dtype=tango.DevEncoded)
    def sized(self):
        kind, height, width = self._sized
        enc = EncodedAttribute()
        if kind == "gray":
            enc.encode_jpeg_gray8(np.full((height, width), 140, np.uint8))
        else:
            enc.encode_jpeg_rgb24(np.zeros((height, width, 3), np.uint8) + SIZED_COLOUR)
        return enc

    @attribute(dtype=float)
    def level(self):
        return 1.5

    # any (format, data), for the corrupted data
    @attribute(dtype=tango.DevEncoded, access=AttrWriteType.READ_WRITE)
    def raw(self):
        return self._payload

    @raw.setter
    def raw(self, value):
        self._payload = value


@pytest.fixture(scope="module")
def camera():
    with DeviceTestContext(Camera, debug=0) as proxy:
        yield proxy


def read_encoded(proxy, name):
    return proxy.read_attribute(name, extract_as=NOTHING)


def received(proxy, fmt, data, decoder="decode_gray8", extract_as=ExtractAs.Numpy):
    """Decode (fmt, data) as the device sends it back."""
    proxy.write_attribute("raw", (fmt, data))
    return getattr(EncodedAttribute(), decoder)(read_encoded(proxy, "raw"), extract_as)


# -- round trips ---------------------------------------------------------------------------------

def test_gray8_round_trip(camera):
    da = read_encoded(camera, "gray8")
    assert da.value is None and da.type == tango.CmdArgType.DevEncoded
    image = EncodedAttribute().decode_gray8(da)
    assert image.dtype == np.uint8 and image.shape == (5, 7)
    assert np.array_equal(image, GRAY8)
    # on the wire: the format, then width and height (16-bit big endian) and the pixels
    assert camera.gray8 == ("GRAY8", b"\x00\x07\x00\x05" + GRAY8.tobytes())


def test_gray16_round_trip(camera):
    image = EncodedAttribute().decode_gray16(read_encoded(camera, "gray16"))
    assert image.dtype == np.uint16 and image.shape == (6, 9)
    assert np.array_equal(image, GRAY16)
    assert camera.gray16 == ("GRAY16", b"\x00\x09\x00\x06" + GRAY16.astype(">u2").tobytes())


def test_rgb24_round_trip(camera):
    image = EncodedAttribute().decode_rgb32(read_encoded(camera, "rgb24"))
    assert image.dtype == np.uint32 and image.shape == (4, 11)
    assert np.array_equal(rgba(image)[..., :3], RGB24)
    assert not rgba(image)[..., 3].any()  # A is 0 for RGB24
    assert camera.rgb24 == ("RGB24", b"\x00\x0b\x00\x04" + RGB24.tobytes())


def test_jpeg_gray8_round_trip(camera):
    fmt, data = camera.jpeg_gray8
    assert fmt == "JPEG_GRAY8" and data[:2] == b"\xff\xd8"
    image = EncodedAttribute().decode_gray8(read_encoded(camera, "jpeg_gray8"))
    assert image.dtype == np.uint8 and image.shape == SMOOTH8.shape
    assert np.abs(image.astype(int) - SMOOTH8).max() <= JPEG_TOLERANCE


@pytest.mark.parametrize("name", ["jpeg_rgb24", "jpeg_rgb32"])
def test_jpeg_colour_round_trips(camera, name):
    fmt, data = camera.read_attribute(name).value
    assert fmt == "JPEG_RGB" and data[:2] == b"\xff\xd8"
    image = EncodedAttribute().decode_rgb32(read_encoded(camera, name))
    assert image.dtype == np.uint32 and image.shape == SMOOTH_RGB.shape[:2]
    assert np.abs(rgba(image)[..., :3].astype(int) - SMOOTH_RGB).max() <= JPEG_TOLERANCE
    assert (rgba(image)[..., 3] == 255).all()  # JPEG keeps no alpha


def test_jpeg_quality(camera):
    best, poor = camera.jpeg_gray8[1], camera.jpeg_gray8_q20[1]
    assert len(poor) < len(best)
    image = EncodedAttribute().decode_gray8(read_encoded(camera, "jpeg_gray8_q20"))
    assert image.shape == SMOOTH8.shape and np.abs(image.astype(int) - SMOOTH8).mean() < 10


@pytest.mark.parametrize("form", sorted(FORMS))
def test_image_forms(camera, form):
    _, decoder, expected = FORMS[form]
    camera.select(form)
    image = getattr(EncodedAttribute(), decoder)(read_encoded(camera, "form"))
    if decoder == "decode_rgb32":
        image = rgba(image)[..., :3]
    assert np.array_equal(image, expected)


def test_set_value_and_value_with_quality(camera):
    assert np.array_equal(EncodedAttribute().decode_gray16(read_encoded(camera, "by_set_value")), GRAY16)
    da = read_encoded(camera, "with_quality")
    assert da.quality == AttrQuality.ATTR_WARNING and da.time.totime() == 1234.5
    assert np.array_equal(EncodedAttribute().decode_gray8(da), GRAY8)


def test_the_last_image_encoded_is_the_value(camera):
    assert np.array_equal(EncodedAttribute().decode_gray8(read_encoded(camera, "reencoded")), GRAY8)
    # with a pool of buffers and serialization too (cppTango's rgb24 did not move in its pool)
    for _ in range(3):
        assert np.array_equal(EncodedAttribute().decode_gray8(read_encoded(camera, "pooled")), GRAY8)


def test_reading_an_empty_encoded_attribute_fails(camera):
    with pytest.raises(DevFailed) as info:
        camera.read_attribute("nothing_encoded")
    assert info.value.args[0].reason == "PyDs_DevEncodedFormatNotSpecified"
    assert "nothing_encoded" in info.value.args[0].desc


# -- decoding: what the client asks for ---------------------------------------------------------

def test_decode_extract_as_string(camera):
    enc = EncodedAttribute()
    assert enc.decode_gray8(read_encoded(camera, "gray8"), ExtractAs.String) == (7, 5, GRAY8.tobytes())
    assert enc.decode_gray16(read_encoded(camera, "gray16"), ExtractAs.String) == (9, 6, GRAY16.tobytes())
    w, h, data = enc.decode_rgb32(read_encoded(camera, "rgb24"), ExtractAs.String)
    assert (w, h) == (11, 4) and data == np.concatenate([RGB24, np.zeros((4, 11, 1), np.uint8)], axis=-1).tobytes()


@pytest.mark.parametrize("extract_as, kind", [(ExtractAs.Tuple, tuple), (ExtractAs.List, list)])
def test_decode_extract_as_rows(camera, extract_as, kind):
    enc = EncodedAttribute()
    gray8 = enc.decode_gray8(read_encoded(camera, "gray8"), extract_as)
    assert type(gray8) is kind and all(type(row) is kind for row in gray8)
    assert gray8 == kind(kind(bytes([v]) for v in row) for row in GRAY8.tolist())  # pixels as 1-byte bytes
    gray16 = enc.decode_gray16(read_encoded(camera, "gray16"), extract_as)
    assert gray16 == kind(kind(row) for row in GRAY16.tolist())
    rgb32 = enc.decode_rgb32(read_encoded(camera, "rgb24"), extract_as)
    numpy_rgb32 = enc.decode_rgb32(read_encoded(camera, "rgb24"))
    assert rgb32 == kind(kind(row) for row in numpy_rgb32.tolist())


def test_decode_of_a_copy_and_of_read_attributes(camera):
    da = read_encoded(camera, "gray8")
    assert np.array_equal(EncodedAttribute().decode_gray8(tango.DeviceAttribute(da)), GRAY8)
    [again] = camera.read_attributes(["gray8"], extract_as=NOTHING)
    assert np.array_equal(EncodedAttribute().decode_gray8(again), GRAY8)


def test_decode_of_an_event_value(camera):
    events, arrived = [], threading.Event()

    def received_event(event):
        events.append(event)
        arrived.set()

    eid = camera.subscribe_event("live", tango.EventType.CHANGE_EVENT, received_event, extract_as=NOTHING)
    try:
        assert arrived.wait(10)  # the value on subscription
        event = events[0]
        assert not event.err and event.attr_value.value is None
        assert np.array_equal(EncodedAttribute().decode_gray16(event.attr_value), GRAY16)
    finally:
        camera.unsubscribe_event(eid)


def test_decoded_arrays_own_their_pixels(camera):
    image = EncodedAttribute().decode_gray8(read_encoded(camera, "gray8"))
    image[0, 0] ^= 0xFF  # writable, and its own memory
    del image
    assert np.array_equal(EncodedAttribute().decode_gray8(read_encoded(camera, "gray8")), GRAY8)


# -- bad input: encoding -------------------------------------------------------------------------

BAD_ENCODINGS = [
    # wrong dtype
    ("gray8 from uint16", lambda e: e.encode_gray8(GRAY16), TypeError, "itemsize == 1"),
    ("gray8 from float64", lambda e: e.encode_gray8(GRAY8.astype(float)), TypeError, "itemsize == 1"),
    ("gray16 from uint8", lambda e: e.encode_gray16(GRAY8), TypeError, "itemsize == 2"),
    ("rgb24 from uint16", lambda e: e.encode_rgb24(RGB24.astype(np.uint16)), TypeError, "itemsize == 1"),
    ("rgb32 from uint8", lambda e: e.encode_jpeg_rgb32(GRAY8), TypeError, "itemsize == 4"),
    ("jpeg gray8 from uint32", lambda e: e.encode_jpeg_gray8(SMOOTH_RGBA32), TypeError, "itemsize == 1"),
    # wrong shape
    ("rgb24 with 4 channels", lambda e: e.encode_rgb24(np.zeros((4, 5, 4), np.uint8)), ValueError, r"\(height, width, 3\)"),
    ("jpeg rgb24 with 1 channel", lambda e: e.encode_jpeg_rgb24(np.zeros((4, 5, 1), np.uint8)), ValueError,
     r"\(height, width, 3\)"),
    ("2-D of no pixels", lambda e: e.encode_gray8(np.zeros((0, 5), np.uint8)), ValueError, "at least 1"),
    ("jpeg of no pixels", lambda e: e.encode_jpeg_gray8(np.zeros((3, 0), np.uint8)), ValueError, "at least 1"),
    ("too wide", lambda e: e.encode_gray8(bytes(70000), 70000, 1), ValueError, "at most 65535"),
    # wrong ndim
    ("1-D without w h", lambda e: e.encode_gray8(GRAY8.ravel()), ValueError, "width and height must be supplied"),
    ("3-D gray8 without w h", lambda e: e.encode_gray8(RGB24), ValueError, "width and height must be supplied"),
    ("2-D rgb24 without w h", lambda e: e.encode_rgb24(GRAY8), ValueError, "width and height must be supplied"),
    ("1-D of the wrong size", lambda e: e.encode_gray8(GRAY8.ravel(), 6, 5), ValueError, "size mismatch"),
    # layout
    ("not contiguous", lambda e: e.encode_gray8(GRAY8[:, ::2]), TypeError, "contiguous"),
    ("transposed", lambda e: e.encode_gray16(GRAY16.T), TypeError, "contiguous"),
    # bytes
    ("bytes without w h", lambda e: e.encode_gray8(GRAY8.tobytes()), ValueError, "width and height"),
    ("bytes too short", lambda e: e.encode_gray8(GRAY8.tobytes()[:-1], 7, 5), ValueError, "34"),
    ("bytes too long", lambda e: e.encode_rgb24(RGB24.tobytes() + b"x", 11, 4), ValueError, "133"),
    ("str", lambda e: e.encode_gray8("abcd", 2, 2), TypeError, "not str"),
    # sequences
    ("empty", lambda e: e.encode_gray8([]), IndexError, "at least one row"),
    ("not a sequence", lambda e: e.encode_gray8(42), TypeError, "Expected sequence"),
    ("rows of ints", lambda e: e.encode_gray8([1, 2, 3]), IndexError, "inside a sequence"),
    ("ragged rows", lambda e: e.encode_gray8([[1, 2], [3]]), TypeError, "same size"),
    ("a row that is not one", lambda e: e.encode_gray8([[1, 2], 3]), TypeError, "inside a sequence"),
    ("fewer rows than said", lambda e: e.encode_gray8([[1, 2]], 2, 2), ValueError, "rows"),
    ("pixel out of range", lambda e: e.encode_gray8([[1, 256]]), ValueError, "out of range"),
    ("negative pixel", lambda e: e.encode_gray16([[1, -1]]), ValueError, "out of range"),
    ("float pixel", lambda e: e.encode_gray8([[1.5, 2]]), TypeError, "Unsupported data type"),
    ("short bytes pixel", lambda e: e.encode_rgb24([[b"ab"]]), TypeError, "length 3"),
    ("bytes row of the wrong size", lambda e: e.encode_gray16([b"abc"], 2, 1), TypeError, "same size"),
    # quality
    ("quality nan", lambda e: e.encode_jpeg_gray8(SMOOTH8, quality=float("nan")), ValueError, "quality"),
    # the compiled encoders check their buffer themselves
    ("compiled: short buffer", lambda e: e._encode_gray8(b"abc", 2, 2), ValueError, "4 bytes"),
    ("compiled: no buffer", lambda e: e._encode_gray8([1, 2, 3, 4], 2, 2), TypeError, "buffer"),
    ("compiled: jpeg too large", lambda e: e._encode_jpeg_gray8(b"", 65535, 65535, 90.0), ValueError, "too large"),
]


@pytest.mark.parametrize("encode, error, match", [c[1:] for c in BAD_ENCODINGS], ids=[c[0] for c in BAD_ENCODINGS])
def test_bad_images(encode, error, match):
    enc = EncodedAttribute()
    with pytest.raises(error, match=match):
        encode(enc)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="buf_pool_size"):
        EncodedAttribute(0)
    with pytest.raises(TypeError):
        EncodedAttribute("two")


@pytest.mark.parametrize("kind", ["gray", "rgb"])
@pytest.mark.parametrize("height, width", [(1, 1), (1, 17), (17, 1), (15, 16), (33, 7)])
def test_small_and_odd_jpeg_sizes_round_trip(camera, kind, height, width):
    """JPEG works on blocks of 8 or 16 pixels: the edges of other sizes survive."""
    camera.resize(f"{kind} {height} {width}")
    da = read_encoded(camera, "sized")
    if kind == "gray":
        image = EncodedAttribute().decode_gray8(da)
        assert image.shape == (height, width) and np.abs(image.astype(int) - 140).max() <= 2
    else:
        image = EncodedAttribute().decode_rgb32(da)
        assert image.shape == (height, width)
        assert np.abs(rgba(image)[..., :3].astype(int) - SIZED_COLOUR).max() <= JPEG_TOLERANCE


# -- bad input: decoding -------------------------------------------------------------------------

def test_decode_needs_an_unextracted_device_attribute(camera):
    enc = EncodedAttribute()
    with pytest.raises(TypeError, match="doesn't extract the contents"):
        enc.decode_gray8(camera.read_attribute("gray8"))  # extracted: value is (format, data)
    with pytest.raises(TypeError, match="doesn't extract the contents"):
        enc.decode_gray8(camera.read_attribute("gray8", extract_as=ExtractAs.Bytes))
    with pytest.raises(TypeError, match="expected a DeviceAttribute, not tuple"):
        enc.decode_gray8(camera.gray8)
    with pytest.raises(TypeError, match="quality is ATTR_INVALID"):
        enc.decode_gray8(read_encoded(camera, "invalid"))
    [failed] = camera.read_attributes(["failing"], extract_as=NOTHING)
    assert failed.has_failed
    with pytest.raises(TypeError, match="its read failed"):
        enc.decode_gray8(failed)


@pytest.mark.parametrize("extract_as", [ExtractAs.Bytes, ExtractAs.ByteArray, ExtractAs.Nothing, 99, "Numpy"])
def test_decode_extract_as_must_be_numpy_string_tuple_or_list(camera, extract_as):
    with pytest.raises(TypeError, match="extract_as must be one of Numpy, String, Tuple, List"):
        EncodedAttribute().decode_gray8(read_encoded(camera, "gray8"), extract_as)


def test_decode_of_no_data_or_not_devencoded(camera):
    enc = EncodedAttribute()
    with pytest.raises(DevFailed) as info:
        enc.decode_gray8(tango.DeviceAttribute())
    assert (info.value.args[0].reason, info.value.args[0].desc) == ("API_WrongFormat", "Attribute contains no data")
    with pytest.raises(DevFailed) as info:
        enc.decode_rgb32(read_encoded(camera, "level"))
    assert info.value.args[0].reason == "API_IncompatibleAttrArgumentType"
    assert info.value.args[0].desc == "Cannot extract, data in DeviceAttribute object is not DevEncoded"


@pytest.mark.parametrize("name, decoder, desc", [
    ("gray8", "decode_gray16", "Not a grayscale 16 bits format"),
    ("gray8", "decode_rgb32", "Not a color format"),
    ("gray16", "decode_gray8", "Not a grayscale 8bit format"),
    ("rgb24", "decode_gray8", "Not a grayscale 8bit format"),
    ("jpeg_gray8", "decode_rgb32", "Not a color format"),
    ("jpeg_rgb24", "decode_gray8", "Not a grayscale 8bit format"),
    ("jpeg_rgb24", "decode_gray16", "Not a grayscale 16 bits format"),
])
def test_decoder_of_another_format(camera, name, decoder, desc):
    with pytest.raises(DevFailed) as info:
        getattr(EncodedAttribute(), decoder)(read_encoded(camera, name))
    assert (info.value.args[0].reason, info.value.args[0].desc) == ("API_WrongFormat", desc)


def _decode_error(proxy, fmt, data, decoder="decode_gray8"):
    with pytest.raises(DevFailed) as info:
        received(proxy, fmt, data, decoder)
    return info.value.args[0]


@pytest.mark.parametrize("fmt, data, decoder", [
    ("GRAY8", b"", "decode_gray8"),
    ("GRAY8", b"\x00\x07", "decode_gray8"),
    ("GRAY8", b"\x00\x07\x00\x05" + bytes(34), "decode_gray8"),
    ("GRAY8", b"\xff\xff\xff\xff" + bytes(100), "decode_gray8"),
    ("GRAY16", b"\x00\x03\x00\x03" + bytes(17), "decode_gray16"),
    ("RGB24", b"\x00\x02\x00\x02" + bytes(11), "decode_rgb32"),
    ("RGB24", b"\x01", "decode_rgb32"),
])
def test_raw_data_shorter_than_its_header_says(camera, fmt, data, decoder):
    error = _decode_error(camera, fmt, data, decoder)
    assert error.reason == "API_DecodeErr" and error.desc.startswith(f"corrupted {fmt} data: ")


def test_raw_data_of_exactly_its_header_size(camera):
    assert np.array_equal(received(camera, "GRAY8", b"\x00\x02\x00\x01\x05\x06"), [[5, 6]])
    assert received(camera, "GRAY16", b"\x00\x01\x00\x01\x01\x02", "decode_gray16").tolist() == [[0x0102]]
    image = received(camera, "RGB24", b"\x00\x01\x00\x01\x01\x02\x03" + b"extra", "decode_rgb32")
    assert rgba(image).tolist() == [[[1, 2, 3, 0]]]
    assert received(camera, "GRAY8", b"\x00\x00\x00\x00").shape == (0, 0)


def test_corrupted_jpeg_data(camera):
    gray, colour = camera.jpeg_gray8[1], camera.jpeg_rgb24[1]
    for data in (b"", b"not a jpeg at all", b"\xff\xd8", b"\xff\xd8\xff\xd9", gray[:40], b"\xff\xd8" + bytes(5000)):
        assert _decode_error(camera, "JPEG_GRAY8", data).reason == "API_DecodeErr"
        assert _decode_error(camera, "JPEG_RGB", data, "decode_rgb32").reason == "API_DecodeErr"
    # a stream of the other kind
    assert _decode_error(camera, "JPEG_GRAY8", colour).desc == "Not a grayscale 8bit format"
    assert _decode_error(camera, "JPEG_RGB", gray, "decode_rgb32").desc == "Not a color format"
    # cut in its scan: decoded as far as the data goes
    scan = gray.index(b"\xff\xda")
    image = received(camera, "JPEG_GRAY8", gray[:scan + 40])
    assert image.shape == SMOOTH8.shape


@pytest.mark.parametrize("name, fmt, decoder", [("jpeg_gray8", "JPEG_GRAY8", "decode_gray8"),
                                                ("jpeg_rgb24", "JPEG_RGB", "decode_rgb32")])
def test_jpeg_streams_with_damaged_headers(camera, name, fmt, decoder):
    """Bytes of the headers changed at random: each stream decodes (to something) or fails with a
    DevFailed, never more."""
    stream = bytearray(camera.read_attribute(name).value[1])
    header = stream.index(b"\xff\xda") + 14
    rng = np.random.default_rng(7)
    outcomes = set()
    for _ in range(150):
        damaged = bytearray(stream)
        for pos in rng.integers(2, header, rng.integers(1, 4)):
            damaged[pos] = int(rng.integers(0, 256))
        try:
            image = received(camera, fmt, bytes(damaged), decoder)
        except DevFailed as e:
            assert e.args[0].reason in ("API_DecodeErr", "API_WrongFormat"), e.args[0]
            outcomes.add(e.args[0].reason)
        else:
            assert image.ndim == 2 and image.size > 0
            outcomes.add("decoded")
    assert "API_DecodeErr" in outcomes and "decoded" in outcomes


# -- the module ------------------------------------------------------------------------------------

def test_module_and_names():
    import PyTango
    import tango.encoded_attribute as module

    assert module.EncodedAttribute is tango.EncodedAttribute is PyTango.EncodedAttribute
    assert "EncodedAttribute" in tango.__all__
    assert issubclass(tango.EncodedAttribute, tango._tango.EncodedAttribute)
    public = {n for n in dir(EncodedAttribute) if not n.startswith("_")}
    assert public == {"encode_gray8", "encode_jpeg_gray8", "encode_gray16", "encode_rgb24", "encode_jpeg_rgb24",
                      "encode_jpeg_rgb32", "decode_gray8", "decode_gray16", "decode_rgb32"}
    module.encoded_attribute_init()  # PyTango's, nothing to do
    with pytest.raises(AttributeError):
        EncodedAttribute().anything = 1
