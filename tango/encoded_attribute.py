"""Images in DevEncoded attribute values: :class:`EncodedAttribute`.

A server encodes an image with one of the ``encode_*`` methods and returns the EncodedAttribute
from the read method of a DevEncoded attribute (or gives it to ``attr.set_value``). A client reads
that attribute with ``extract_as=ExtractAs.Nothing`` and decodes the DeviceAttribute it gets with
a ``decode_*`` method::

    # server
    @attribute(dtype=tango.DevEncoded)
    def picture(self):
        enc = tango.EncodedAttribute()
        enc.encode_jpeg_rgb24(self.camera_frame())  # numpy uint8 array, shape (height, width, 3)
        return enc

    # client
    da = proxy.read_attribute("picture", extract_as=tango.ExtractAs.Nothing)
    rgb32 = tango.EncodedAttribute().decode_rgb32(da)  # numpy uint32 array, shape (height, width)

The encoding and decoding are cppTango's (the formats GRAY8, GRAY16, RGB24, JPEG_GRAY8 and
JPEG_RGB). This module turns the accepted forms of an image into the buffer of pixels that the
compiled class takes.
"""

import collections.abc
import operator
import sys

from . import _tango
from ._tango import ExtractAs

__all__ = ("EncodedAttribute", "encoded_attribute_init")

__docformat__ = "restructuredtext"


class _Layout:
    """How an image of one kind is given: bytes per pixel, and the natural numpy form."""

    __slots__ = ("name", "bpp", "ndim", "itemsize", "maximum")

    def __init__(self, name, bpp, ndim, itemsize, maximum):
        self.name, self.bpp, self.ndim, self.itemsize = name, bpp, ndim, itemsize
        self.maximum = maximum  # of an int pixel: a gray level, or R, G, B(, A) bytes as a native uint32


_GRAY8 = _Layout("gray8", 1, 2, 1, 0xFF)
_GRAY16 = _Layout("gray16", 2, 2, 2, 0xFFFF)
_RGB24 = _Layout("rgb24", 3, 3, 1, 0xFFFFFFFF)
_RGB32 = _Layout("rgb32", 4, 2, 4, 0xFFFFFFFF)

_BYTES = (bytes, bytearray, memoryview)


def _numpy_array_type():
    import numpy

    return numpy.ndarray


def _pixel(value, layout):
    """The bytes of one pixel given as an int."""
    if not 0 <= value <= layout.maximum:
        raise ValueError(f"pixel value {value} out of range for a {layout.name} image (0 to {layout.maximum})")
    if layout.bpp == 1:
        return bytes((value,))
    if layout.bpp == 2:
        return value.to_bytes(2, sys.byteorder)
    return value.to_bytes(4, sys.byteorder)[: layout.bpp]


def _row(row, width, layout, ndarray):
    """The bytes of one row of pixels (bytes, or a sequence of pixels: ints or bytes)."""
    if isinstance(row, _BYTES):
        row = bytes(row)
        if len(row) != width * layout.bpp:
            raise TypeError("All sequences inside a sequence must have the same size")
        return row
    if isinstance(row, str) or not isinstance(row, (collections.abc.Sequence, ndarray)):
        raise TypeError("Expected sequence inside a sequence")
    if len(row) != width:
        raise TypeError("All sequences inside a sequence must have the same size")
    out = bytearray()
    for cell in row:
        if isinstance(cell, _BYTES):
            if len(cell) != layout.bpp:
                raise TypeError(f"All byte items must have length {layout.bpp} for {layout.name} images")
            out += cell
            continue
        try:
            value = operator.index(cell)
        except TypeError:
            raise TypeError(f"Unsupported data type in array element: {type(cell).__name__}") from None
        out += _pixel(value, layout)
    return out


def _image(data, width, height, layout):
    """(pixels, width, height): ``data`` as a C-contiguous buffer of width x height pixels.

    ``data`` is a numpy array (of the layout's natural shape, or any shape with width and height
    given), bytes-like with width and height, or a sequence of rows.
    """
    if isinstance(data, str):
        raise TypeError(f"a {layout.name} image is a numpy array, bytes or a sequence of rows, not str")
    width, height = operator.index(width), operator.index(height)
    ndarray = _numpy_array_type()
    if isinstance(data, ndarray):
        if data.ndim == layout.ndim:
            if data.itemsize != layout.itemsize:
                raise TypeError(f"Expected numpy array with itemsize == {layout.itemsize} for a {layout.name} image,"
                                f" not {data.dtype}")
            if layout.ndim == 3 and data.shape[2] != 3:
                raise ValueError(f"an rgb24 image array has the shape (height, width, 3), not {data.shape}")
            height, width = data.shape[:2]
        else:
            if not width or not height:
                raise ValueError(f"When giving a numpy array that is not {layout.ndim}-D, width and height must be"
                                 " supplied")
            if data.nbytes != width * height * layout.bpp:
                raise ValueError(f"numpy array size mismatch: {data.nbytes} bytes for {width}x{height} pixels of"
                                 f" {layout.bpp} bytes")
        if not data.flags.c_contiguous or not data.flags.aligned:
            raise TypeError("Currently, only contiguous, aligned numpy arrays are supported")
        return data, int(width), int(height)
    if isinstance(data, _BYTES):
        if not width or not height:
            raise ValueError("When giving bytes as data, you must also supply width and height")
        return data, width, height
    if not isinstance(data, collections.abc.Sequence):
        raise TypeError("Expected sequence (numpy.ndarray, bytes, list, tuple or bytearray) as first argument, not "
                        + type(data).__name__)
    if len(data) < 1:
        raise IndexError("Expected sequence with at least one row")
    if not width or not height:
        first = data[0]
        if isinstance(first, str) or not isinstance(first, (collections.abc.Sequence, ndarray, bytearray)):
            raise IndexError("Expected sequence (numpy.ndarray, bytes, list, tuple or bytearray) inside a sequence")
        height = len(data)
        width = len(first) // layout.bpp if isinstance(first, _BYTES) else len(first)
    if len(data) != height:
        raise ValueError(f"an image of height {height} has {height} rows, not {len(data)}")
    return b"".join(_row(row, width, layout, ndarray) for row in data), width, height


class EncodedAttribute(_tango.EncodedAttribute):
    """An image encoded for a DevEncoded attribute, or a decoder of one.

    ``EncodedAttribute()``; ``EncodedAttribute(buf_pool_size, serialization=False)`` is accepted
    for cppTango's signature: each image is copied into the attribute when it is set, so there
    is no pool of buffers to size nor to serialize.

    Each ``encode_*`` method replaces the image held. It takes the image as

    - a numpy array: 2-D ``(height, width)`` with 1-byte items for gray8, 2-byte items
      (uint16) for gray16 and 4-byte items (uint32: the R, G, B, A bytes of each pixel) for
      rgb32, and 3-D ``(height, width, 3)`` with 1-byte items for rgb24; an array of another
      shape is taken as raw pixels when ``width`` and ``height`` are given and its size matches.
      It must be C-contiguous and aligned.
    - bytes, bytearray or memoryview of raw pixels, with ``width`` and ``height``.
    - a sequence of rows, each bytes of raw pixels or a sequence of pixels, a pixel being bytes
      (1 byte for gray8, 2 for gray16, 3 for rgb24, 4 for rgb32) or an int (the gray level, or
      the R, G, B(, A) bytes read as a native uint32). Without ``width`` and ``height``, they are
      the number of rows and the pixels of the first row.

    The JPEG encoders take a ``quality`` from 0 (poor) to 100 (best, the default).
    """

    __slots__ = ()

    def encode_gray8(self, gray8, width=0, height=0):
        """Encode an 8-bit grayscale image, uncompressed (format GRAY8)."""
        self._encode_gray8(*_image(gray8, width, height, _GRAY8))

    def encode_jpeg_gray8(self, gray8, width=0, height=0, quality=100.0):
        """Encode an 8-bit grayscale image as JPEG (format JPEG_GRAY8)."""
        self._encode_jpeg_gray8(*_image(gray8, width, height, _GRAY8), quality)

    def encode_gray16(self, gray16, width=0, height=0):
        """Encode a 16-bit grayscale image, uncompressed (format GRAY16)."""
        self._encode_gray16(*_image(gray16, width, height, _GRAY16))

    def encode_rgb24(self, rgb24, width=0, height=0):
        """Encode a 24-bit colour image (R, G, B bytes per pixel), uncompressed (format RGB24)."""
        self._encode_rgb24(*_image(rgb24, width, height, _RGB24))

    def encode_jpeg_rgb24(self, rgb24, width=0, height=0, quality=100.0):
        """Encode a 24-bit colour image (R, G, B bytes per pixel) as JPEG (format JPEG_RGB)."""
        self._encode_jpeg_rgb24(*_image(rgb24, width, height, _RGB24), quality)

    def encode_jpeg_rgb32(self, rgb32, width=0, height=0, quality=100.0):
        """Encode a 32-bit colour image (R, G, B, A bytes per pixel; A is not kept) as JPEG (format
        JPEG_RGB)."""
        self._encode_jpeg_rgb32(*_image(rgb32, width, height, _RGB32), quality)

    def decode_gray8(self, da, extract_as=ExtractAs.Numpy):
        """The 8-bit grayscale image (GRAY8 or JPEG_GRAY8) that ``da`` holds.

        ``da`` is a DeviceAttribute read with ``extract_as=ExtractAs.Nothing`` (a read that
        extracted its value is a TypeError). The image is, by ``extract_as``: Numpy, a uint8
        array of shape (height, width); String, a tuple (width, height, bytes); Tuple or List,
        rows of pixels, each a bytes object of length 1. A DevFailed says why the data cannot be
        decoded (another format, corrupted data).
        """
        return self._decode_gray8(da, extract_as)

    def decode_gray16(self, da, extract_as=ExtractAs.Numpy):
        """The 16-bit grayscale image (GRAY16) that ``da`` holds.

        As :meth:`decode_gray8`, with uint16 pixels (ints in Tuple and List rows).
        """
        return self._decode_gray16(da, extract_as)

    def decode_rgb32(self, da, extract_as=ExtractAs.Numpy):
        """The colour image (RGB24 or JPEG_RGB) that ``da`` holds, as 32-bit pixels.

        As :meth:`decode_gray8`, with uint32 pixels: the bytes R, G, B, A of each pixel read as a
        native uint32 (ints in Tuple and List rows). A is 0 for RGB24 and 255 for JPEG.
        """
        return self._decode_rgb32(da, extract_as)


def encoded_attribute_init():
    """PyTango's set-up of EncodedAttribute at import; nothing to do here (kept for its name)."""
