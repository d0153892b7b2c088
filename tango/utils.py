"""Helpers of PyTango's ``tango.utils``: type predicates and conversions, caseless containers,
event callbacks for tests and scripts, version checks and threads.

The ``is_*`` predicates give PyTango's answers, which scripts rely on: the integer types are
the six of Short to ULong64 (not DevUChar, not DevEnum), a scalar type is a numerical, string or
boolean type, DevEncoded or DevUChar (not DevState, DevEnum or DevVoid).
"""

import argparse
import collections.abc
import enum
import functools
import inspect
import numbers
import os
import sys
import threading
import types

from ._tango import (  # noqa: F401  (AttrQuality, ErrSeverity: tango.utils holds them, as PyTango's)
    AttrConfEventData, AttrDataFormat, AttrQuality, CmdArgType, DataReadyEventData,
    DevIntrChangeEventData, DevState, ErrSeverity, EventData,
)
from ._tango.constants import AlrmValueNotSpec, TgLibVers
from .device_proxy import DeviceProxy  # noqa: F401  (as PyTango's tango.utils)
from .errors import DevFailed, Except  # noqa: F401  (as PyTango's tango.utils)
from ._warnings import warn_once
from .release import Release

__all__ = [
    "AsyncEventCallback", "CaselessDict", "CaselessList", "EventCallback", "InvalidTangoHostTrlError",
    "PyTangoThread", "PyTangoThreadPoolExecutor", "TO_TANGO_TYPE", "dir2", "document_method",
    "document_static_method", "ensure_binary", "from_version_str_to_hex_str", "from_version_str_to_int",
    "get_home", "is_array_type", "is_binary_type", "is_bool_type", "is_float_type", "is_int_type",
    "is_integer", "is_non_str_seq", "is_number", "is_numerical_type", "is_pure_str", "is_scalar_type",
    "is_seq", "is_str_type", "obj_2_str", "parse_type_hint", "requires_pytango", "requires_tango",
    "scalar_to_array_type", "seqStr_2_obj", "str_2_obj",
]

# -- the type families --------------------------------------------------------------------------

_T = CmdArgType
_SCALAR_INT = frozenset((_T.DevShort, _T.DevUShort, _T.DevLong, _T.DevULong, _T.DevLong64, _T.DevULong64))
_SCALAR_FLOAT = frozenset((_T.DevFloat, _T.DevDouble))
_SCALAR_STR = frozenset((_T.DevString, _T.ConstDevString))
_SCALAR = _SCALAR_INT | _SCALAR_FLOAT | _SCALAR_STR | {_T.DevBoolean, _T.DevEncoded, _T.DevUChar}
_ARRAY_INT = frozenset((_T.DevVarShortArray, _T.DevVarUShortArray, _T.DevVarLongArray,
                        _T.DevVarULongArray, _T.DevVarLong64Array, _T.DevVarULong64Array))
_ARRAY_FLOAT = frozenset((_T.DevVarFloatArray, _T.DevVarDoubleArray))
_ARRAY_STR = frozenset((_T.DevVarStringArray,))
_ARRAY_BOOL = frozenset((_T.DevVarBooleanArray,))
_ARRAY = (_ARRAY_INT | _ARRAY_FLOAT | _ARRAY_STR | _ARRAY_BOOL
          | {_T.DevVarCharArray, _T.DevVarDoubleStringArray, _T.DevVarLongStringArray})
_BINARY = frozenset((_T.DevEncoded, _T.DevVarCharArray))


def _numpy():
    """numpy if it is imported: a value can only be a numpy one once numpy is (`import tango`
    does not import numpy, to stay fast)."""
    return sys.modules.get("numpy")


def _numpy_types():
    """The numpy element type of each Tango scalar type (str for strings)."""
    import numpy as np

    return {
        _T.DevBoolean: np.bool_, _T.DevUChar: np.ubyte, _T.DevShort: np.short,
        _T.DevUShort: np.ushort, _T.DevLong: np.int32, _T.DevULong: np.uint32,
        _T.DevLong64: np.int64, _T.DevULong64: np.uint64, _T.DevString: str,
        _T.DevDouble: np.float64, _T.DevFloat: np.float32,
    }


def _to_tango_type_table():
    """Every way a user names a Tango type: Python and numpy types, their names, the CmdArgType
    names and members themselves."""
    table = {
        int: _T.DevLong64, str: _T.DevString, bool: _T.DevBoolean, bytearray: _T.DevEncoded,
        float: _T.DevDouble, chr: _T.DevUChar, None: _T.DevVoid,
    }
    by_name = {
        _T.DevLong64: ("int", "int64"), _T.DevShort: ("int16",), _T.DevLong: ("int32",),
        _T.DevULong64: ("uint", "uint64"), _T.DevUShort: ("uint16",), _T.DevULong: ("uint32",),
        _T.DevString: ("str", "string", "text"), _T.DevBoolean: ("bool", "boolean"),
        _T.DevEncoded: ("bytes", "bytearray"), _T.DevDouble: ("float", "float64", "double"),
        _T.DevFloat: ("float32",), _T.DevUChar: ("byte", "chr", "char", "uint8"), _T.DevVoid: ("None",),
        _T.DevState: ("state",), _T.DevEnum: ("enum",),
    }
    for tango_type, names in by_name.items():
        table.update(dict.fromkeys(names, tango_type))
    for name, member in CmdArgType.__members__.items():
        table[name] = table[member] = member
    for tango_type, numpy_type in _lazy("FROM_TANGO_TO_NUMPY_TYPE").items():
        table[numpy_type] = tango_type
    return table


_SCALAR_TO_ARRAY_BASE = {
    _T.DevBoolean: _T.DevVarBooleanArray, _T.DevUChar: _T.DevVarCharArray,
    _T.DevShort: _T.DevVarShortArray, _T.DevUShort: _T.DevVarUShortArray,
    _T.DevLong: _T.DevVarLongArray, _T.DevULong: _T.DevVarULongArray,
    _T.DevLong64: _T.DevVarLong64Array, _T.DevULong64: _T.DevVarULong64Array,
    _T.DevFloat: _T.DevVarFloatArray, _T.DevDouble: _T.DevVarDoubleArray,
    _T.DevString: _T.DevVarStringArray, _T.ConstDevString: _T.DevVarStringArray,
}


def _scalar_to_array_table():
    """The array type of each scalar type, under every name of the scalar type (int,
    "float32", np.int16...)."""
    table = dict(_SCALAR_TO_ARRAY_BASE)
    table.update({key: table[value] for key, value in _lazy("TO_TANGO_TYPE").items() if value in table})
    return table


# Tables with numpy types in them, made (and numpy imported) when first used.
_LAZY = {
    "FROM_TANGO_TO_NUMPY_TYPE": _numpy_types,
    "TO_TANGO_TYPE": _to_tango_type_table,
    "_SCALAR_TO_ARRAY": _scalar_to_array_table,
}


def _lazy(name):
    value = globals().get(name)
    if value is None:
        value = globals()[name] = _LAZY[name]()
    return value


# -- predicates on Tango types ------------------------------------------------------------------


def _member(tg_type, family):
    """``tg_type in family``; False for what cannot be a type at all (an unhashable value)."""
    try:
        return tg_type in family
    except TypeError:
        return False


def is_scalar(tg_type):
    """True for a scalar Tango type: numerical, string, boolean, DevEncoded or DevUChar."""
    return _member(tg_type, _SCALAR)


def is_array(tg_type):
    """True for an array Tango type (DevVar...Array, the string-and-number pairs included)."""
    return _member(tg_type, _ARRAY)


def is_numerical(tg_type, inc_array=False):
    """True for an integer or floating type (their arrays too with ``inc_array``)."""
    return is_int(tg_type, inc_array) or is_float(tg_type, inc_array)


def is_int(tg_type, inc_array=False):
    """True for DevShort to DevULong64 (not DevUChar, not DevEnum); arrays with ``inc_array``."""
    return _member(tg_type, _SCALAR_INT) or (bool(inc_array) and _member(tg_type, _ARRAY_INT))


def is_float(tg_type, inc_array=False):
    """True for DevFloat and DevDouble (their arrays too with ``inc_array``)."""
    return _member(tg_type, _SCALAR_FLOAT) or (bool(inc_array) and _member(tg_type, _ARRAY_FLOAT))


def is_bool(tg_type, inc_array=False):
    """True for DevBoolean (DevVarBooleanArray too with ``inc_array``)."""
    return _member(tg_type, (_T.DevBoolean,)) or (bool(inc_array) and _member(tg_type, _ARRAY_BOOL))


def is_str(tg_type, inc_array=False):
    """True for DevString and ConstDevString (DevVarStringArray too with ``inc_array``)."""
    return _member(tg_type, _SCALAR_STR) or (bool(inc_array) and _member(tg_type, _ARRAY_STR))


def is_binary(tg_type, inc_array=False):
    """True for DevEncoded and DevVarCharArray."""
    return _member(tg_type, _BINARY)


is_scalar_type = is_scalar
is_array_type = is_array
is_numerical_type = is_numerical
is_int_type = is_int
is_float_type = is_float
is_bool_type = is_bool
is_str_type = is_str
is_binary_type = is_binary

# -- predicates on Python values ----------------------------------------------------------------


def is_pure_str(obj):
    """True for a str (bytes are not text here)."""
    return isinstance(obj, str)


def is_seq(obj):
    """True for a sequence: list, tuple, str, bytes, bytearray, numpy array..."""
    np = _numpy()
    return isinstance(obj, (collections.abc.Sequence, bytearray)) or (np is not None and isinstance(obj, np.ndarray))


def is_non_str_seq(obj):
    """True for a sequence that is not a str (bytes and numpy arrays are)."""
    return is_seq(obj) and not isinstance(obj, str)


def is_integer(obj):
    """True for an int or numpy integer (bool is not one)."""
    np = _numpy()
    return (isinstance(obj, int) or (np is not None and isinstance(obj, np.integer))) and not isinstance(obj, bool)


def is_number(obj):
    """True for any number, numpy numbers included."""
    np = _numpy()
    return isinstance(obj, numbers.Number) or (np is not None and isinstance(obj, np.number))


def is_devstate(obj):
    """True for the DevState class (or a subclass)."""
    return inspect.isclass(obj) and issubclass(obj, DevState)


def is_enum(obj):
    """True for an enum class."""
    return inspect.isclass(obj) and issubclass(obj, enum.Enum)


def _innermost(obj):
    while is_non_str_seq(obj) and len(obj):
        obj = obj[0]
    return obj


def is_devstate_seq(obj):
    """True for a (nested) sequence whose innermost first item is the DevState class."""
    return is_non_str_seq(obj) and is_devstate(_innermost(obj))


def is_enum_seq(obj):
    """True for a (nested) sequence whose innermost first item is an enum class."""
    return is_non_str_seq(obj) and is_enum(_innermost(obj))


class EnumTypeError(Exception):
    """An enum class that cannot describe a DevEnum attribute."""


def get_enum_labels(enum_cls):
    """The labels of an enum class for a DevEnum attribute's ``enum_labels``.

    The values must be unique, start at 0 and go up by 1, as Tango's DevEnum assumes; otherwise
    EnumTypeError.
    """
    if not is_enum(enum_cls):
        raise EnumTypeError(f"Input class '{enum_cls}' must be derived from enum.Enum")
    try:
        enum.unique(enum_cls)
    except ValueError as exc:
        raise EnumTypeError(f"Input class '{enum_cls}' must be unique - {exc}") from None
    values = [member.value for member in enum_cls]
    if not values:
        raise EnumTypeError(f"Input class '{enum_cls}' has no members!")
    if values != list(range(len(values))):
        raise EnumTypeError(
            f"Enum values for '{enum_cls}' must start at 0 and increment by 1.  Values: {values}")
    return [member.name for member in enum_cls]


# -- conversions ---------------------------------------------------------------------------------


def scalar_to_array_type(tg_type):
    """The array type of a scalar type: DevLong gives DevVarLongArray (int, "float"... too)."""
    try:
        return _lazy("_SCALAR_TO_ARRAY")[tg_type]
    except (KeyError, TypeError):
        raise ValueError(f"Invalid tango scalar type: {tg_type}") from None


def get_tango_type(obj):
    """``(CmdArgType, AttrDataFormat)`` that a value would have: ``[[1, 2]]`` gives
    ``(DevLong64, IMAGE)``, a numpy array its dtype's type. TypeError for anything else."""
    np = _numpy()
    if np is not None and isinstance(obj, np.ndarray):
        if obj.ndim > 2:
            raise TypeError(f"cannot translate numpy array with {obj.ndim} dimensions to tango type")
        if obj.dtype.kind in "US":
            return _T.DevString, AttrDataFormat(obj.ndim)
        try:
            return _lazy("TO_TANGO_TYPE")[str(obj.dtype)], AttrDataFormat(obj.ndim)
        except KeyError:
            raise TypeError(f"numpy dtype {obj.dtype} has no Tango type") from None
    return _value_type(obj)


def get_tango_type_format(dtype, dformat=None, caller=None):
    """``(CmdArgType, AttrDataFormat)`` of a dtype as ``tango.server`` declarations give it:
    ``float``, ``(float,)`` (SPECTRUM), ``((float,),)`` (IMAGE), "int16", np.uint8, a
    CmdArgType... With ``dformat`` given, ``dtype`` is the element type. RuntimeError for a dtype
    that is no Tango type; for ``caller="attribute"``, TypeError for an empty ``()`` form."""
    if dformat is None:
        dformat = AttrDataFormat.SCALAR
        for nested_format in (AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE):
            if not (is_non_str_seq(dtype) and not isinstance(dtype, (bytes, bytearray))):
                break
            if not len(dtype):
                if caller == "attribute":
                    form = "(<dtype>,)" if nested_format == AttrDataFormat.SPECTRUM else "((<dtype>,),)"
                    raise TypeError(f"{nested_format.name.capitalize()} attribute type must be specified as {form}")
                break
            dtype, dformat = dtype[0], nested_format
    try:
        return _lazy("TO_TANGO_TYPE")[dtype], dformat
    except (KeyError, TypeError):
        hint = (' If you are declaring types with type hints and "from __future__ import annotations", '
                "the hints are strings: see the documentation of its limits.") if isinstance(dtype, str) else ""
        raise RuntimeError(f"Cannot translate {dtype!r} to TANGO type. See documentation for the "
                           f"allowed types.{hint}") from None


# -- type hints (PyTango's parse_type_hint; tango.server resolves its hints in server/dtypes.py) --


def parse_type_hint(type_hint, caller):
    """``(dtype, dformat, max_x, max_y)`` of a type hint as PyTango reads it, for ``caller``
    "attribute", "command" or "property"; ``dtype`` is the element type as written (give the
    pair to get_tango_type_format for the Tango type), the sizes are None where the hint does
    not fix them.

    ``list[float]`` is a SPECTRUM of float (max_x 1: one element listed), ``tuple[int, int, int]``
    of max_x 3, ``tuple[int, ...]`` of any size; for an attribute ``list[list[int]]`` or
    ``tuple[tuple[int, int], ...]`` is an IMAGE (max_x the row's size, max_y the number of rows),
    which a command or a property refuses (RuntimeError, as mixed element types anywhere). A
    property's spectrum dtype is ``(element,)``. ``numpy.typing.NDArray[T]`` gives T with dformat
    None (the declaration says which), ``(T,)`` for a command or a property. ``tuple[str, bytes]``
    is "DevEncoded", ``tuple[list[int], list[str]]`` "DevVarLongStringArray" (float:
    "DevVarDoubleStringArray"), ``tuple[T, float, AttrQuality]`` (value, time, quality) is T.
    A string hint is evaluated in the frames of the callers (nearest first), or stays a string.
    """
    hint = type_hint
    if isinstance(hint, str):
        frame = sys._getframe(1)
        try:
            hint = _evaluated_hint(hint, frame)
        finally:
            del frame
    dformat = AttrDataFormat.SCALAR
    max_x = max_y = None
    if _is_sequence_hint(hint):
        args = _hint_args(hint)
        pair = _tango_pair_type(args)
        if pair is not None:
            return pair, dformat, None, None
        if len(args) == 3 and args[1] is float and args[2] == AttrQuality:
            hint = args[0]  # (value, timestamp, quality) as a read method returns them
    element = _ndarray_element(hint)
    if element is not None:
        hint, dformat = ((element,) if caller in ("property", "command") else element), None
    if _is_sequence_hint(hint):
        args = _hint_args(hint)
        max_x = _hint_size(args)
        uniform = _uniform_hint(hint)
        hint = args[0]
        dformat = AttrDataFormat.IMAGE if _is_sequence_hint(hint) else AttrDataFormat.SPECTRUM
        if caller in ("property", "command") and dformat == AttrDataFormat.IMAGE:
            raise RuntimeError(f"{caller.capitalize()} does not support IMAGE type: {type_hint!r}")
        if not uniform:
            what = f"{caller}" if caller in ("property", "command") else "attributes"
            raise RuntimeError(f"PyTango does not support mixed types in {dformat.name} {what}: "
                               f"{type_hint!r} (one element type per hint)")
        if caller == "attribute" and dformat == AttrDataFormat.IMAGE:
            row = _hint_args(hint)
            max_x, max_y = _hint_size(row), max_x
            hint = row[0]
        if caller == "property":
            hint = (hint,)
    return hint, dformat, max_x, max_y


def _hint_args(hint):
    import typing

    return typing.get_args(hint)


def _is_sequence_hint(hint):
    import typing

    return typing.get_origin(hint) in (list, tuple)


def _hint_size(args):
    """The number of elements a list/tuple hint lists (None with an ``...``)."""
    return None if any(a is Ellipsis for a in args) else len(args)


def _uniform_hint(hint):
    """One element type in the hint, at every level (``...`` aside)."""
    args = _hint_args(hint)
    kinds = []
    for arg in args:
        if arg is not Ellipsis and arg not in kinds:
            kinds.append(arg)
    return len(kinds) <= 1 and all(_uniform_hint(a) for a in args if _is_sequence_hint(a))


def _tango_pair_type(args):
    """The Tango type that a two-element (or four) tuple hint names, or None."""
    if len(args) not in (2, 4):
        return None
    first, second = args[0], args[1]
    if first is str and second in (bytes, bytearray):
        return "DevEncoded"
    if second in (tuple[str], list[str]):
        if first in (tuple[int], list[int]):
            return "DevVarLongStringArray"
        if first in (tuple[float], list[float]):
            return "DevVarDoubleStringArray"
    return None


def _ndarray_element(hint):
    """T of a numpy.typing.NDArray[T] hint (tango.server's reading of it), else None."""
    import typing

    if typing.get_origin(hint) is None or _is_sequence_hint(hint):
        return None
    from .server.dtypes import _hint_parts

    try:
        element, depth = _hint_parts(hint)
    except TypeError:
        return None
    return element if depth == -1 else None


def _evaluated_hint(text, frame, depth=6):
    """A string hint evaluated in ``frame`` or the frames that called it (the first ``depth``
    that know its names); the string itself when none does."""
    while frame is not None and depth > 0:
        try:
            return eval(text, frame.f_globals, frame.f_locals)  # noqa: S307  (a type hint)
        except NameError:
            frame, depth = frame.f_back, depth - 1
    return text


def get_latest_device_class():
    """The newest of the device base classes (DeviceImpl, Device_2Impl... Device_6Impl; here one
    class, LatestDeviceImpl, under all those names)."""
    from .server import classic

    latest, version = classic.DeviceImpl, 2
    while hasattr(classic, f"Device_{version}Impl"):
        latest, version = getattr(classic, f"Device_{version}Impl"), version + 1
    return latest


def _value_type(obj):
    np = _numpy()
    if is_non_str_seq(obj) and not isinstance(obj, (bytes, bytearray)):
        if not len(obj):
            raise TypeError("an empty sequence has no Tango type")
        tg_type, inner_format = _value_type(obj[0])
        if inner_format != AttrDataFormat.SCALAR and inner_format != AttrDataFormat.SPECTRUM:
            raise TypeError("a value nested deeper than an image (a sequence of sequences) has no Tango type")
        return tg_type, AttrDataFormat(int(inner_format) + 1)
    if isinstance(obj, str):
        return _T.DevString, AttrDataFormat.SCALAR
    if isinstance(obj, DevState):
        return _T.DevState, AttrDataFormat.SCALAR
    if isinstance(obj, bool) or (np is not None and isinstance(obj, np.bool_)):
        return _T.DevBoolean, AttrDataFormat.SCALAR
    if is_integer(obj):
        return _T.DevLong64, AttrDataFormat.SCALAR
    if is_number(obj):
        return _T.DevDouble, AttrDataFormat.SCALAR
    raise TypeError(f"Unsupported type {type(obj)}")


def strtobool(val):
    """True for "y", "yes", "t", "true", "on", "1"; False for "n", "no", "f", "false", "off",
    "0" (any case); ValueError otherwise."""
    lowered = str(val).lower()
    if lowered in ("y", "yes", "t", "true", "on", "1"):
        return True
    if lowered in ("n", "no", "f", "false", "off", "0"):
        return False
    raise ValueError(f"invalid truth value {val!r}")


def _parser(tg_type):
    """int, float or strtobool: how a string becomes an element of a numerical or boolean type
    (scalar or array); None for the other types."""
    if tg_type in _SCALAR_INT or tg_type in _ARRAY_INT:
        return int
    if tg_type in _SCALAR_FLOAT or tg_type in _ARRAY_FLOAT:
        return float
    if tg_type == _T.DevBoolean or tg_type in _ARRAY_BOOL:
        return strtobool
    return None


def str_2_obj(obj_str, tg_type=None):
    """The value a string means for a Tango type: int, float or bool for those types (None for
    a numerical property that is not set), the string itself otherwise."""
    if tg_type is None:
        return obj_str
    if not is_scalar(tg_type):
        return str(obj_str)
    if is_numerical(tg_type) and obj_str == AlrmValueNotSpec:
        return None
    parse = _parser(tg_type)
    return parse(obj_str) if parse is not None else str(obj_str)


def obj_2_str(obj, tg_type=None):
    """A value as the string Tango properties hold: ``str(x)`` for scalars (the first item of a
    sequence given for a scalar), one item per line for arrays."""
    if tg_type is None:
        return obj
    if tg_type in _SCALAR:
        if isinstance(obj, str):
            return obj
        if is_non_str_seq(obj):
            if not len(obj):
                return ""
            obj = obj[0]
        return str(obj)
    if obj is None:
        return ""
    return "\n".join(str(item) for item in obj)


def seqStr_2_obj(seq, tg_type, tg_format=None):
    """Strings (a property's value lines) as the values of a Tango type and format: a scalar
    from the first string, a list for arrays and SPECTRUM, a list of lists for IMAGE."""
    if tg_format == AttrDataFormat.SPECTRUM:
        return _seq_str_values(seq, scalar_to_array_type(tg_type))
    if tg_format == AttrDataFormat.IMAGE:
        parse = _parser(tg_type)
        if is_str(tg_type) or parse is None:
            return seq
        return [[parse(y) for y in row] for row in seq]
    return _seq_str_values(seq, tg_type)


def _seq_str_values(seq, tg_type):
    if isinstance(seq, str):
        seq = (seq,)
    parse = _parser(tg_type)
    if is_scalar(tg_type):
        if not len(seq):
            raise ValueError(f"no string to convert to a {tg_type}")
        return parse(seq[0]) if parse is not None else seq[0]
    if tg_type in (_T.DevVarCharArray, _T.DevVarStringArray):
        return seq
    return [parse(x) for x in seq] if parse is not None else []


def ensure_binary(s, encoding="utf-8", errors="strict"):
    """``s`` as bytes: a str is encoded, bytes are returned as they are; TypeError otherwise."""
    if isinstance(s, str):
        return s.encode(encoding, errors)
    if isinstance(s, bytes):
        return s
    raise TypeError(f"not expecting type '{type(s)}'")


# -- caseless containers -------------------------------------------------------------------------


def _check_str(item):
    if not isinstance(item, str):
        raise TypeError(f'Members of this object must be strings. You supplied "{type(item)}"')
    return item


class CaselessList(list):
    """A list of strings whose look-ups ignore case (``"ATTR" in CaselessList(["attr"])``).

    ``in``, ``index``, ``count``, ``remove`` and ``findentry`` compare without case; every item
    must be a str (TypeError otherwise); slices, ``+`` and ``*`` give CaselessLists;
    ``lowercopy()`` and ``list()`` give plain lists.
    """

    def __init__(self, inlist=()):
        super().__init__(_check_str(item) for item in (inlist if inlist is not None else ()))

    def findentry(self, item):
        """The entry equal to ``item`` but for case, or None."""
        wanted = _check_str(item).lower()
        for entry in self:
            if entry.lower() == wanted:
                return entry
        return None

    def __contains__(self, item):
        return isinstance(item, str) and self.findentry(item) is not None

    def index(self, item, start=0, stop=sys.maxsize):
        wanted = _check_str(item).lower()
        for i in range(*slice(start, stop).indices(len(self))):
            if self[i].lower() == wanted:
                return i
        raise ValueError(f"{item!r} is not in list")

    def count(self, item):
        if not isinstance(item, str):
            return 0
        wanted = item.lower()
        return sum(1 for entry in self if entry.lower() == wanted)

    def remove(self, item):
        del self[self.index(item)]

    def append(self, item):
        super().append(_check_str(item))

    def insert(self, index, item):
        super().insert(index, _check_str(item))

    def extend(self, items):
        super().extend([_check_str(item) for item in items])

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            value = [_check_str(item) for item in value]
        else:
            _check_str(value)
        super().__setitem__(index, value)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return CaselessList(super().__getitem__(index))
        return super().__getitem__(index)

    def __add__(self, other):
        return CaselessList(list(self) + list(other))

    def __radd__(self, other):
        return CaselessList(list(other) + list(self))

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __mul__(self, n):
        return CaselessList(list(self) * n)

    __rmul__ = __mul__

    def copy(self):
        return CaselessList(self)

    def list(self):
        """A plain list of the same strings."""
        return list(self)

    def lowercopy(self):
        """A plain list of the strings in lower case."""
        return [entry.lower() for entry in self]


def _lower(key):
    if not isinstance(key, str):
        raise TypeError(f"CaselessDict keys are strings, not {type(key).__name__}")
    return key.lower()


class CaselessDict(dict):
    """A dict with string keys that ignore case; keys are stored in lower case.

    ``CaselessDict({"Voltage": 1})["VOLTAGE"] == 1``. Built from a mapping or from pairs (not from
    keywords, as PyTango's).
    """

    def __init__(self, other=None):
        super().__init__()
        if other:
            self.update(other)

    def __getitem__(self, key):
        return super().__getitem__(_lower(key))

    def __setitem__(self, key, value):
        super().__setitem__(_lower(key), value)

    def __delitem__(self, key):
        super().__delitem__(_lower(key))

    def __contains__(self, key):
        return isinstance(key, str) and super().__contains__(key.lower())

    def has_key(self, key):
        return key in self

    def get(self, key, def_val=None):
        return super().get(_lower(key), def_val)

    def setdefault(self, key, def_val=None):
        return super().setdefault(_lower(key), def_val)

    def pop(self, key, *default):
        return super().pop(_lower(key), *default)

    def update(self, other=(), **kwargs):
        pairs = other.items() if isinstance(other, collections.abc.Mapping) else other
        for key, value in pairs:
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    @classmethod
    def fromkeys(cls, iterable, value=None):
        return cls((key, value) for key in iterable)

    def copy(self):
        return CaselessDict(self)

    def keys(self):
        """The keys (lower case) as a CaselessList."""
        return CaselessList(super().keys())


# -- event callbacks -----------------------------------------------------------------------------


class EventCallback:
    """An event callback for tests and scripts: it prints one line per event and keeps the last
    ``max_buf`` events (``get_events()``)::

        dev.subscribe_event("state", EventType.CHANGE_EVENT, tango.utils.EventCallback())
        2026-12-02 07:33:18.910474 SYS/TG_TEST/1 STATE CHANGE SUBSUCCESS [ATTR_VALID] ON

    ``format`` may use the keys date (the event's time stamp), reception_date, type (the event
    type), reason (the event reason), dev_name, name (the attribute) and value (``[quality]
    value``, or ``[reason] desc`` of the first error).
    """

    def __init__(self, format="{date} {dev_name} {name} {type} {reason} {value}", fd=sys.stdout,
                 max_buf=100):
        self._msg = format
        self._fd = fd
        self._evts = []
        self._max_buf = max_buf

    def get_events(self):
        """The events received so far (the last ``max_buf``), oldest first."""
        return self._evts

    def push_event(self, evt):
        try:
            self._push_event(evt)
        except Exception as exc:  # printing must never stop the delivery of events
            print(f"Unexpected error in callback for {evt}: {exc}", file=self._fd)

    def _push_event(self, evt):
        if self._max_buf and len(self._evts) >= self._max_buf:
            del self._evts[0]
        self._evts.append(evt)
        print(self._msg.format(**self._fields(evt)), file=self._fd)

    @staticmethod
    def _fields(evt):
        import datetime

        now = datetime.datetime.now()

        def attempt(getter, fallback="<UNKNOWN>"):
            try:
                return getter()
            except Exception:
                return fallback

        def attr_name():
            if not hasattr(evt, "attr_name"):
                return "<N/A>"
            return evt.attr_name.split("/")[-1].upper().removesuffix("#DBASE=NO")

        return {
            "date": attempt(lambda: _event_date(evt), now),
            "reception_date": attempt(lambda: evt.reception_date.todatetime(), now),
            "type": attempt(lambda: evt.event.upper()),
            "reason": attempt(lambda: str(evt.event_reason).upper()),
            "dev_name": attempt(lambda: evt.device.dev_name().upper()),
            "name": attempt(attr_name),
            "value": attempt(lambda: _event_value(evt), "<UNKNOWN>"),
        }


def _event_date(evt):
    if isinstance(evt, EventData):
        return evt.attr_value.time.todatetime()
    date = evt.get_date()
    return date.todatetime() if hasattr(date, "todatetime") else date


def _event_value(evt):
    if evt.err:
        error = evt.errors[0]
        return f"[{error.reason}] {error.desc}"
    if isinstance(evt, EventData):
        if evt.attr_value is None:
            return "<N/A>"
        return f"[{evt.attr_value.quality}] {evt.attr_value.value}"
    if isinstance(evt, AttrConfEventData):
        return f"label='{evt.attr_conf.label}'; unit='{evt.attr_conf.unit}'"
    if isinstance(evt, DataReadyEventData):
        return f"ctr={evt.ctr}"
    if isinstance(evt, DevIntrChangeEventData):
        return f"dev_started={evt.dev_started}; {len(evt.cmd_list)} commands; {len(evt.att_list)} attrs"
    return "<N/A>"


class AsyncEventCallback(EventCallback):
    """EventCallback for asyncio proxies: ``push_event`` is a coroutine, run on the loop."""

    async def push_event(self, evt):
        EventCallback.push_event(self, evt)


# -- versions ------------------------------------------------------------------------------------


def _requires(package_name, current, min_version, conflicts, software_name):
    from packaging.version import Version  # imported when used: `import tango` stays fast

    current = Version(str(current))
    if min_version is not None and Version(str(min_version)) > current:
        raise Exception(f"{software_name} requires {package_name} {min_version} but {current} installed")
    if current in {Version(str(c)) for c in conflicts}:
        raise Exception(f"{software_name} cannot run with {package_name} {current}")
    return True


def requires_pytango(min_version=None, conflicts=(), software_name="Software"):
    """True if this pytango is at least ``min_version`` and none of ``conflicts``; otherwise an
    Exception that names ``software_name``: ``requires_pytango("10.0", software_name="MyDS")``."""
    return _requires("pytango", Release.version_long, min_version, conflicts, software_name)


def requires_tango(min_version=None, conflicts=(), software_name="Software"):
    """As requires_pytango, for the version of cppTango the binding was built with."""
    return _requires("Tango", TgLibVers, min_version, conflicts, software_name)


def from_version_str_to_hex_str(version_str):
    """ "10.3.1" -> "0x0a030100" """
    major, minor, patch = (int(p) for p in version_str.split(".")[:3])
    return f"0x{major:02x}{minor:02x}{patch:02x}00"


def from_version_str_to_int(version_str):
    """ "10.3.1" -> 0x0a030100 """
    return int(from_version_str_to_hex_str(version_str), 16)


def info():
    """What pytango runs with, as text: its version, the cppTango it was built on, Python,
    numpy and the machine."""
    import platform

    import numpy as np

    uname = platform.uname()
    return (
        f"PyTango {Release.version_long} {Release.version_info}\n"
        f"PyTango compiled with:\n"
        f"    Tango    : {TgLibVers}\n"
        f"PyTango runtime is:\n"
        f"    Python   : {'.'.join(str(p) for p in sys.version_info[:3])}\n"
        f"    Numpy    : {np.__version__}\n"
        f"    Tango    : {TgLibVers}\n"
        f"PyTango running on:\n"
        f"{uname}\n"
    )


# -- small helpers -------------------------------------------------------------------------------


def get_home():
    """The user's home directory (HOME, USERPROFILE or TMP when ~ does not expand to one)."""
    path = os.path.expanduser("~")
    if os.path.isdir(path):
        return path
    for variable in ("HOME", "USERPROFILE", "TMP"):
        path = os.environ.get(variable, "")
        if os.path.isdir(path):
            return path
    raise RuntimeError("please define environment variable $HOME")


def get_attrs(obj):
    """The names in ``obj.__dict__`` (none for objects with slots only)."""
    namespace = getattr(obj, "__dict__", None)
    if namespace is None:
        return []
    if not isinstance(namespace, (dict, types.MappingProxyType)):
        raise TypeError(f"{obj!r}.__dict__ is not a dictionary")
    return namespace.keys()


def dir2(obj):
    """The names of an object, its class and the class's bases (what ``dir`` gives by default,
    for classes that override ``__dir__`` and want the default too)."""
    names = set(get_attrs(obj))
    klass = obj if isinstance(obj, type) else type(obj)
    for cls in klass.__mro__:
        names.update(get_attrs(cls))
    return list(names)


def _method_and_function(klass, method_name):
    meth = getattr(klass, method_name)
    return meth, getattr(meth, "__func__", meth)


def copy_doc(klass, fnname):
    """Give ``klass.fnname`` the docstring of the same method of its first base."""
    _, base_func = _method_and_function(klass.__base__, fnname)
    _, func = _method_and_function(klass, fnname)
    func.__doc__ = base_func.__doc__


def document_method(klass, method_name, d, add=True):
    """Set the docstring of a method (``add``: put ``d`` before the docstring it has)."""
    meth, func = _method_and_function(klass, method_name)
    func.__doc__ = f"{d}\n{meth.__doc__}" if add and meth.__doc__ else d


def document_static_method(klass, method_name, d, add=True):
    """As document_method, for a static method."""
    document_method(klass, method_name, d, add)


# -- threads -------------------------------------------------------------------------------------


class PyTangoThread(threading.Thread):
    """A thread that may call Tango.

    cppTango wants an omniORB identity on the threads that call it; pytango gives one to every
    Python thread the first time it calls into cppTango, for the thread's life. A PyTangoThread
    has it from its first line (``is_omni_thread()`` is true in it), as in PyTango.
    """

    # threading.Thread runs _bootstrap_inner() in the new thread, around run(): the identity is
    # made there, so that a run() overridden by a subclass has it too.
    def _bootstrap_inner(self):
        with EnsureOmniThread():
            super()._bootstrap_inner()


def __getattr__(name):
    # Names made on first use: the numpy tables, and PyTangoThreadPoolExecutor (concurrent.futures
    # is a heavy import).
    if name in _LAZY:
        return _lazy(name)
    if name == "PyTangoThreadPoolExecutor":
        from concurrent.futures import ThreadPoolExecutor

        class PyTangoThreadPoolExecutor(ThreadPoolExecutor):
            """A ThreadPoolExecutor whose threads may call Tango (every Python thread gets its
            omniORB identity from pytango when it first calls cppTango)."""

        PyTangoThreadPoolExecutor.__module__ = __name__
        PyTangoThreadPoolExecutor.__qualname__ = name
        globals()[name] = PyTangoThreadPoolExecutor
        return PyTangoThreadPoolExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | {"PyTangoThreadPoolExecutor"})


# -- the Tango host of a test context: tango/_test_context_host.py (the proxies use it too) -------

from ._test_context_host import (  # noqa: E402,F401
    InvalidTangoHostTrlError, _clear_test_context_tango_host_fqtrl, _get_device_fqtrl_if_necessary,
    _get_test_context_tango_host_fqtrl, _set_test_context_tango_host_fqtrl,
)


def _is_coroutine_function(obj):
    """True for a coroutine function, also behind functools.partial or as a callable object."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    return inspect.iscoroutinefunction(obj) or (
        callable(obj) and inspect.iscoroutinefunction(getattr(obj, "__call__", None)))



# -- PyTango's tango.utils also holds these names (the containers, the database records) ---------

from ._tango import (  # noqa: E402,F401
    DeviceData, DeviceDataList, EnsureOmniThread, EventReason, StdDoubleVector, StdStringVector,
)
from ._tango.constants import StatusNotSet  # noqa: E402,F401
from .db import Database, DbData, DbDatum, DbDevExportInfos, DbDevInfos  # noqa: E402,F401

__all__ += [
    "StdStringVector_2_seq", "get_telemetry_tracer_provider_factory", "parameter_2_dbdata",
    "seq_2_StdStringVector", "set_telemetry_tracer_provider_factory",
]


def get_tango_device_classes():
    """The device base classes, oldest first: DeviceImpl, Device_2Impl, ... up to the latest
    (here one class under all those names, see tango/server/classic.py)."""
    from .server import classic

    found, version = [classic.DeviceImpl], 2
    while hasattr(classic, f"Device_{version}Impl"):
        found.append(getattr(classic, f"Device_{version}Impl"))
        version += 1
    return found


def set_complex_value(attr, value):
    """Set a server attribute's value from what a read method returns: a plain value, or a
    tuple ``(value, timestamp, quality)`` (``(str, bytes, timestamp, quality)`` for a
    DevEncoded attribute), which sets the date and quality too. Any other tuple is the value."""
    if isinstance(value, tuple):
        with_quality = (len(value) > 2 and isinstance(value[2], AttrQuality)) or (
            len(value) > 3 and isinstance(value[3], AttrQuality)
            and attr.get_data_type() == CmdArgType.DevEncoded)
        if with_quality:
            attr.set_value_date_quality(*value)
            return
    attr.set_value(value)


def get_attribute_type_format(dtype, dformat, enum_labels):
    """``(CmdArgType, AttrDataFormat, enum_labels)`` of an attribute's dtype: as
    get_tango_type_format, and also the DevState class (DevState) and enum classes (DevEnum,
    whose labels are the enum's, see get_enum_labels), alone or in ``(...,)`` / ``((...,),)``.
    TypeError for enum_labels given with an enum class (the class names them)."""
    def nested(tango_type, depth):
        for _ in range(depth):
            tango_type = (tango_type,)
        return tango_type

    def depth_of(obj):
        depth = 0
        while is_non_str_seq(obj) and len(obj):
            obj, depth = obj[0], depth + 1
        return obj, depth

    if is_devstate(dtype) or is_devstate_seq(dtype):
        _, depth = depth_of(dtype)
        dtype = nested(CmdArgType.DevState, depth)
    elif is_enum(dtype) or is_enum_seq(dtype):
        if enum_labels:
            raise TypeError("an enum.Enum dtype (or (enum.Enum,), ((enum.Enum,),)) names its labels: "
                            f"do not give enum_labels too (dtype {dtype!r}, enum_labels {enum_labels!r})")
        enum_cls, depth = depth_of(dtype)
        enum_labels = get_enum_labels(enum_cls)
        dtype = nested(CmdArgType.DevEnum, depth)
    tango_type, tango_format = get_tango_type_format(dtype, dformat, "attribute")
    return tango_type, tango_format, enum_labels


def eval_in_fallback_frames(dtype_str, try_depth):
    """Evaluate the expression ``dtype_str`` (a type hint written as a string) with the names of
    the frame ``try_depth`` levels above the caller (0: the caller's own frame). IndexError when
    the stack is not that deep; NameError when that frame does not know a name."""
    if not isinstance(dtype_str, str):
        raise TypeError(f"dtype_str must be a str, not {type(dtype_str).__name__}")
    if not isinstance(try_depth, int) or try_depth < 0:
        raise ValueError(f"try_depth must be an int >= 0, not {try_depth!r}")
    frame = sys._getframe(1)
    try:
        for _ in range(try_depth):
            frame = frame.f_back
            if frame is None:
                raise IndexError(f"the stack is less than {try_depth} frames deep above the caller")
        return eval(dtype_str, frame.f_globals, frame.f_locals)  # noqa: S307  (a type hint)
    finally:
        del frame


# -- conversions between Python sequences and the container types --------------------------------


def _fill(container_type, seq, vec, convert):
    if vec is None:
        if isinstance(seq, container_type):
            return seq
        vec = container_type()
    if not isinstance(vec, container_type):
        raise TypeError(f"vec must be a tango.{container_type.__name__}, not {type(vec).__name__}")
    for item in seq:
        vec.append(convert(item))
    return vec


def _to_list(container_type, vec, seq, convert):
    if not isinstance(vec, container_type):
        raise TypeError(f"vec must be a tango.{container_type.__name__}, not {type(vec).__name__}")
    if seq is None:
        seq = []
    for item in vec:
        seq.append(convert(item))
    return seq


def _same(item):
    return item


def seq_2_StdStringVector(seq, vec=None):
    """A StdStringVector of the strings of ``seq`` (each item's str()); ``vec`` (a
    StdStringVector) is filled and returned when given; a StdStringVector alone is returned as
    it is."""
    return _fill(StdStringVector, seq, vec, str)


def StdStringVector_2_seq(vec, seq=None):
    """The strings of a StdStringVector, appended to ``seq`` (a new list by default)."""
    return _to_list(StdStringVector, vec, seq, str)


def seq_2_StdDoubleVector(seq, vec=None):
    """A StdDoubleVector of the numbers of ``seq`` (each item's float()); ``vec`` is filled and
    returned when given; a StdDoubleVector alone is returned as it is."""
    return _fill(StdDoubleVector, seq, vec, float)


def StdDoubleVector_2_seq(vec, seq=None):
    """The numbers of a StdDoubleVector as floats, appended to ``seq`` (a new list by default)."""
    return _to_list(StdDoubleVector, vec, seq, float)


def seq_2_DbDevInfos(seq, vec=None):
    """A DbDevInfos of the DbDevInfo records of ``seq`` (``vec`` filled when given)."""
    return _fill(DbDevInfos, seq, vec, _same)


def seq_2_DbDevExportInfos(seq, vec=None):
    """A DbDevExportInfos of the DbDevExportInfo records of ``seq`` (``vec`` filled when given)."""
    return _fill(DbDevExportInfos, seq, vec, _same)


def _as_datum(item):
    if isinstance(item, DbDatum):
        return item
    if isinstance(item, bytes):
        item = item.decode("latin-1")
    if not isinstance(item, str):
        raise TypeError(f"a DbData holds DbDatum (or property names, str), not {type(item).__name__}")
    return DbDatum(item)


def seq_2_DbData(seq, vec=None):
    """A DbData of ``seq``: its DbDatum as they are, its strings as DbDatum of that name (no
    value); ``vec`` is filled and returned when given; a DbData alone is returned as it is."""
    return _fill(DbData, seq, vec, _as_datum)


def DbData_2_dict(db_data, d=None):
    """``{name: [str, ...]}`` of a DbData, put into ``d`` (a new dict by default)."""
    if not isinstance(db_data, DbData):
        raise TypeError(f"db_data must be a tango.DbData, not {type(db_data).__name__}")
    if d is None:
        d = {}
    for datum in db_data:
        d[datum.name] = list(datum.value_string)
    return d


def _property_values(value):
    """The strings a property value is stored as: one per element of a sequence, else one."""
    if is_non_str_seq(value):
        return [v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in value]
    if isinstance(value, bytes):
        return [value.decode("latin-1")]
    return [value if isinstance(value, str) else str(value)]


def _dict_2_datums(mapping):
    out = []
    for name, value in mapping.items():
        out.append(value if isinstance(value, DbDatum) else DbDatum(str(name), _property_values(value)))
    return out


def parameter_2_dbdata(param, param_name):
    """``param`` as a DbData, in every form PyTango's property calls take: a DbData (returned as
    it is), a DbDatum, a name (str), a sequence of DbDatum or names, a dict ``{name: value}``
    (values stored as strings: a sequence gives one per element), or a dict of dicts
    ``{attribute: {name: value}}`` (Tango's layout of attribute properties: the attribute's
    datum holds their count, then come its properties). TypeError naming ``param_name`` for
    anything else."""
    if isinstance(param, DbData):
        return param
    if isinstance(param, DbDatum):
        return DbData([param])
    if is_pure_str(param):
        return DbData([DbDatum(param)])
    if is_non_str_seq(param) and not isinstance(param, (bytes, bytearray)):
        return seq_2_DbData(param)
    if isinstance(param, collections.abc.Mapping):
        data = DbData()
        values = list(param.values())
        if values and isinstance(values[0], collections.abc.Mapping):
            for attr_name, props in param.items():
                if not isinstance(props, collections.abc.Mapping):
                    raise TypeError(f"{param_name}: {attr_name!r} maps to {type(props).__name__}, "
                                    "where every value of a dict of attributes must be a dict")
                data.append(DbDatum(str(attr_name), [str(len(props))]))
                data.extend(_dict_2_datums(props))
        else:
            data.extend(_dict_2_datums(param))
        return data
    raise TypeError(f"{param_name} must be a str, tango.DbDatum, tango.DbData, a sequence<DbDatum>, "
                    f"a sequence<str> or a dictionary, not {type(param).__name__}")


def get_property_from_db(self, propname, user_dbdata):
    """The device properties named by ``propname`` of the device of ``self`` (a DeviceProxy, or
    any object with ``get_device_db()`` and ``dev_name()``), as ``{name: [str, ...]}``.

    ``propname`` takes the forms of parameter_2_dbdata; ``user_dbdata`` (a DbData, or None) is
    filled with the DbDatum read when given."""
    if user_dbdata is not None and not isinstance(user_dbdata, DbData):
        raise TypeError(f"user_dbdata must be a tango.DbData or None, not {type(user_dbdata).__name__}")
    if not (hasattr(self, "get_device_db") and hasattr(self, "dev_name")):
        raise TypeError(f"get_property_from_db needs a DeviceProxy, not {type(self).__name__}")
    if is_pure_str(propname):
        names = [propname]
    elif isinstance(propname, (collections.abc.Sequence, StdStringVector)) and all(
            is_pure_str(p) for p in propname):
        names = list(propname)
    else:
        names = [datum.name for datum in parameter_2_dbdata(propname, "propname")]
    if not names:
        return {}
    found = self.get_device_db().get_device_property(self.dev_name(), names)
    if user_dbdata is not None:
        user_dbdata[:] = [DbDatum(name, list(values)) for name, values in found.items()]
    return {name: list(values) for name, values in found.items()}


class PyTangoHelpFormatter(argparse.HelpFormatter):
    """An argparse help formatter for device servers: after the usage, the instances of the
    server (the program's name) that the Tango database knows; nothing more without a database."""

    def _format_usage(self, usage, actions, groups, prefix):
        from .pyutil import _known_instances

        return super()._format_usage(usage, actions, groups, prefix) + _known_instances(self._prog)


# -- telemetry: its home is tango.telemetry; these are PyTango's older, deprecated names -----------


def set_telemetry_tracer_provider_factory(provider_factory):
    """Deprecated: use tango.telemetry.set_telemetry_tracer_provider_factory."""
    from . import telemetry

    warn_once("tango.utils.set_telemetry_tracer_provider_factory is deprecated: use "
              "tango.telemetry.set_telemetry_tracer_provider_factory",
              key="deprecated:tango.utils.set_telemetry_tracer_provider_factory",
              category=DeprecationWarning, stacklevel=2)
    return telemetry.set_telemetry_tracer_provider_factory(provider_factory)


def get_telemetry_tracer_provider_factory():
    """Deprecated: use tango.telemetry.get_telemetry_tracer_provider_factory."""
    from . import telemetry

    warn_once("tango.utils.get_telemetry_tracer_provider_factory is deprecated: use "
              "tango.telemetry.get_telemetry_tracer_provider_factory",
              key="deprecated:tango.utils.get_telemetry_tracer_provider_factory",
              category=DeprecationWarning, stacklevel=2)
    return telemetry.get_telemetry_tracer_provider_factory()
