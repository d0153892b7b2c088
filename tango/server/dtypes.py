"""One table from the dtype forms users write to Tango types.

Accepted forms: Python types (int, float, str, bool), numpy types and dtypes, Tango names
('DevDouble', 'double', 'int32'...), CmdArgType members, DevState, enum.IntEnum subclasses
(DevEnum), type hints (list[float], list[list[float]], numpy.typing.NDArray[numpy.float64]),
and the PyTango tuple forms: (float,) is a spectrum, ((float,),) an image.
"""

import enum
import typing

from .._tango import AttrDataFormat, AttrQuality, CmdArgType, DevState

__all__ = ["TangoType", "from_dtype", "array_cmd_type", "scalar_of_array_cmd_type"]

T = CmdArgType

_BY_NAME = {
    "bool": T.DevBoolean, "boolean": T.DevBoolean, "bool_": T.DevBoolean,
    "uchar": T.DevUChar, "uint8": T.DevUChar, "char": T.DevUChar, "byte": T.DevUChar,
    "short": T.DevShort, "int16": T.DevShort,
    "ushort": T.DevUShort, "uint16": T.DevUShort,
    "int": T.DevLong64, "long": T.DevLong, "int32": T.DevLong, "intc": T.DevLong,
    "ulong": T.DevULong, "uint32": T.DevULong, "uintc": T.DevULong,
    "long64": T.DevLong64, "int64": T.DevLong64, "longlong": T.DevLong64,
    "ulong64": T.DevULong64, "uint64": T.DevULong64, "ulonglong": T.DevULong64, "uint": T.DevULong64,
    "float": T.DevDouble, "float32": T.DevFloat, "single": T.DevFloat,
    "double": T.DevDouble, "float64": T.DevDouble,
    "str": T.DevString, "string": T.DevString, "unicode": T.DevString,
    "state": T.DevState, "enum": T.DevEnum, "bytes": T.DevEncoded, "encoded": T.DevEncoded,
}
_BY_PYTHON_TYPE = {bool: T.DevBoolean, int: T.DevLong64, float: T.DevDouble, str: T.DevString,
                   bytes: T.DevEncoded, bytearray: T.DevEncoded}

_ARRAY_OF = {
    T.DevBoolean: T.DevVarBooleanArray, T.DevUChar: T.DevVarCharArray, T.DevShort: T.DevVarShortArray,
    T.DevUShort: T.DevVarUShortArray, T.DevLong: T.DevVarLongArray, T.DevULong: T.DevVarULongArray,
    T.DevLong64: T.DevVarLong64Array, T.DevULong64: T.DevVarULong64Array,
    T.DevFloat: T.DevVarFloatArray, T.DevDouble: T.DevVarDoubleArray,
    T.DevString: T.DevVarStringArray, T.DevState: T.DevVarStateArray,
}
_SCALAR_OF = {v: k for k, v in _ARRAY_OF.items()}


class TangoType(typing.NamedTuple):
    """A resolved dtype: element type, format, and the enum it came from (DevEnum)."""

    dtype: CmdArgType
    dformat: AttrDataFormat
    enum_class: typing.Optional[type] = None


def _scalar(dtype):
    """(CmdArgType, enum class or None) of a scalar dtype form, or None if not one."""
    if isinstance(dtype, CmdArgType):
        return dtype, None
    if isinstance(dtype, type):
        if issubclass(dtype, DevState):
            return T.DevState, None
        if issubclass(dtype, enum.Enum):
            return T.DevEnum, dtype
        if dtype in _BY_PYTHON_TYPE:
            return _BY_PYTHON_TYPE[dtype], None
    if isinstance(dtype, str):
        if dtype in CmdArgType.__members__:
            return CmdArgType[dtype], None
        key = dtype.lower()
        if key.startswith("dev") and key[3:] in _BY_NAME:
            key = key[3:]
        if key in _BY_NAME:
            return _BY_NAME[key], None
        for name, member in CmdArgType.__members__.items():
            if name.lower() == key:
                return member, None
        return None
    np_name = _numpy_name(dtype)
    if np_name is not None and np_name in _BY_NAME:
        return _BY_NAME[np_name], None
    return None


def _numpy_name(dtype):
    numpy = __import__("sys").modules.get("numpy")
    if numpy is None:
        return None
    try:
        if isinstance(dtype, numpy.dtype) or (isinstance(dtype, type) and issubclass(dtype, numpy.generic)):
            return numpy.dtype(dtype).name
    except TypeError:
        return None
    return None


def _hint_parts(dtype):
    """(element, depth) of list[...] / tuple[..., ...] / NDArray hints, else (dtype, 0)."""
    origin = typing.get_origin(dtype)
    if origin in (tuple, list):
        args = typing.get_args(dtype)
        if len(args) == 3 and args[2] is AttrQuality:
            # (value, time, quality), what a read may return: the value's type
            return _hint_parts(args[0])
    if origin in (list, tuple, typing.Sequence) or (origin is not None and getattr(origin, "__name__", "") == "Sequence"):
        args = [a for a in typing.get_args(dtype) if a is not Ellipsis]
        if not args:
            raise TypeError(f"cannot tell the element type of {dtype!r}")
        elem, depth = _hint_parts(args[0])
        return elem, depth + 1
    numpy = __import__("sys").modules.get("numpy")
    if numpy is not None and origin is not None and hasattr(origin, "__value__"):
        # NDArray is a PEP 695 type alias on Python >= 3.12 with recent numpy
        if typing.get_origin(origin.__value__) is numpy.ndarray:
            args = typing.get_args(dtype)
            return (args[0] if args else numpy.float64), -1
    if numpy is not None and origin is numpy.ndarray:
        # NDArray[X] is ndarray[Any, dtype[X]]
        args = typing.get_args(dtype)
        inner = typing.get_args(args[1])[0] if len(args) > 1 and typing.get_args(args[1]) else numpy.float64
        return inner, -1  # dimension unknown: the caller decides (spectrum by default)
    if isinstance(dtype, (tuple, list)):
        if len(dtype) != 1:
            raise TypeError(f"a dtype sequence has exactly one element, like (float,): {dtype!r}")
        elem, depth = _hint_parts(dtype[0])
        return elem, depth + 1
    return dtype, 0


def hint_dims(hint):
    """(max_x, max_y) that a tuple hint fixes, None where it leaves a size free (a list, an
    ``...``): ``tuple[int, int, int]`` is 3 long, ``tuple[tuple[int, int], tuple[int, int]]`` is
    2 rows of 2. A (value, time, quality) hint gives its value's sizes."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (tuple, list) and len(args) == 3 and args[2] is AttrQuality:
        hint = args[0]
    outer, row = _fixed_len(hint)
    if typing.get_origin(row) in (tuple, list):
        return _fixed_len(row)[0], outer
    return outer, None


def _fixed_len(hint):
    """(the length a tuple hint fixes or None, its first element type)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) not in (tuple, list) or not args:
        return None, None
    fixed = typing.get_origin(hint) is tuple and Ellipsis not in args
    return (len(args) if fixed else None), args[0]


def is_array_hint(hint):
    """A numpy array hint (``npt.NDArray[T]``): it does not tell a spectrum from an image."""
    return _hint_parts(hint)[1] == -1


def from_dtype(dtype, dformat=None, default=T.DevDouble):
    """Resolve an attribute dtype form (and an optional explicit format)."""
    if dtype is None:
        dtype = default
    elem, depth = _hint_parts(dtype)
    scalar = _scalar(elem)
    if scalar is None:
        raise TypeError(f"{dtype!r} is not a Tango data type")
    tango_type, enum_class = scalar
    if tango_type in _SCALAR_OF and depth == 0:
        # 'DevVarDoubleArray' given for an attribute: a spectrum of DevDouble
        tango_type, depth = _SCALAR_OF[tango_type], 1
    if dformat is not None:
        fmt = AttrDataFormat(dformat) if not isinstance(dformat, str) else AttrDataFormat[dformat.upper()]
    elif depth == -1 or depth == 1:
        fmt = AttrDataFormat.SPECTRUM
    elif depth == 2:
        fmt = AttrDataFormat.IMAGE
    elif depth == 0:
        fmt = AttrDataFormat.SCALAR
    else:
        raise TypeError(f"{dtype!r} has more than two dimensions")
    return TangoType(tango_type, fmt, enum_class)


def array_cmd_type(tango_type):
    """The command array type of an element type (DevDouble -> DevVarDoubleArray)."""
    try:
        return _ARRAY_OF[tango_type]
    except KeyError:
        raise TypeError(f"Tango has no command array of {tango_type}") from None


def scalar_of_array_cmd_type(tango_type):
    return _SCALAR_OF.get(tango_type)


def cmd_type(dtype, dformat=None):
    """Resolve a command argument dtype form to one CmdArgType (DevVoid for None)."""
    if dtype is None or dtype is type(None):
        return T.DevVoid
    if isinstance(dtype, str) and dtype in CmdArgType.__members__:
        return CmdArgType[dtype]
    if isinstance(dtype, CmdArgType):
        return dtype
    resolved = from_dtype(dtype, dformat)
    if resolved.dformat == AttrDataFormat.SCALAR:
        return resolved.dtype
    if resolved.dformat == AttrDataFormat.SPECTRUM:
        return array_cmd_type(resolved.dtype)
    raise TypeError(f"commands take scalars or 1-D arrays, not images: {dtype!r}")
