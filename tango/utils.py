"""Small helpers, as PyTango's tango.utils: EventCallback and type predicates."""

import collections.abc
import numbers
import sys
import threading

from ._tango import CmdArgType, DevState

__all__ = ["EventCallback", "is_scalar_type", "is_array_type", "is_numerical_type",
           "is_int_type", "is_float_type", "is_bool_type", "is_str_type", "is_seq", "is_non_str_seq",
           "get_enum_labels"]

_INT = {CmdArgType.DevShort, CmdArgType.DevUShort, CmdArgType.DevLong, CmdArgType.DevULong,
        CmdArgType.DevLong64, CmdArgType.DevULong64, CmdArgType.DevUChar, CmdArgType.DevEnum}
_FLOAT = {CmdArgType.DevFloat, CmdArgType.DevDouble}
_ARRAYS = {t for n, t in CmdArgType.__members__.items() if n.startswith("DevVar")}


def is_int_type(tg_type, inc_array=False):
    return tg_type in _INT or (inc_array and tg_type in (CmdArgType.DevVarShortArray, CmdArgType.DevVarUShortArray,
                                                          CmdArgType.DevVarLongArray, CmdArgType.DevVarULongArray,
                                                          CmdArgType.DevVarLong64Array, CmdArgType.DevVarULong64Array,
                                                          CmdArgType.DevVarCharArray))


def is_float_type(tg_type, inc_array=False):
    return tg_type in _FLOAT or (inc_array and tg_type in (CmdArgType.DevVarFloatArray, CmdArgType.DevVarDoubleArray))


def is_numerical_type(tg_type, inc_array=False):
    return is_int_type(tg_type, inc_array) or is_float_type(tg_type, inc_array)


def is_bool_type(tg_type, inc_array=False):
    return tg_type == CmdArgType.DevBoolean or (inc_array and tg_type == CmdArgType.DevVarBooleanArray)


def is_str_type(tg_type, inc_array=False):
    return tg_type in (CmdArgType.DevString, CmdArgType.ConstDevString) or (
        inc_array and tg_type == CmdArgType.DevVarStringArray)


def is_array_type(tg_type):
    return tg_type in _ARRAYS


def is_scalar_type(tg_type):
    return not is_array_type(tg_type) and tg_type != CmdArgType.DevVoid


def is_seq(obj):
    return isinstance(obj, collections.abc.Sequence) or _is_ndarray(obj)


def is_non_str_seq(obj):
    return is_seq(obj) and not isinstance(obj, (str, bytes, bytearray))


def _is_ndarray(obj):
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(obj, numpy.ndarray)


def is_number(obj):
    return isinstance(obj, numbers.Number)


def get_enum_labels(enum_cls):
    """The labels of an IntEnum for a DevEnum attribute (values must be 0, 1, 2, ...)."""
    members = list(enum_cls)
    if [int(m) for m in members] != list(range(len(members))):
        raise ValueError(f"{enum_cls.__name__}: DevEnum values must start at 0 and increase by 1")
    return [m.name for m in members]


class EventCallback:
    """An event callback that prints each event and keeps them for inspection.

    ``dev.subscribe_event("attr", EventType.CHANGE_EVENT, EventCallback())``; ``get_events()``
    returns what arrived.
    """

    def __init__(self, format="{date} {dev_name} {name} {type} {value}", fd=sys.stdout, max_buf=100):
        self._msg = format
        self._fd = fd
        self._max_buf = max_buf
        self._evts = []
        self._lock = threading.Lock()

    def get_events(self):
        with self._lock:
            return list(self._evts)

    def push_event(self, evt):
        with self._lock:
            self._evts.append(evt)
            if self._max_buf and len(self._evts) > self._max_buf:
                del self._evts[0]
        try:
            self._fd.write(self._format(evt) + "\n")
            self._fd.flush()
        except Exception as exc:  # printing must not stop delivery
            print(f"EventCallback: cannot print event: {exc}", file=sys.stderr)

    __call__ = push_event

    def _format(self, evt):
        date = evt.get_date().strftime("%Y-%m-%d %H:%M:%S.%f") if hasattr(evt, "get_date") else ""
        device = getattr(evt, "device", None)
        try:
            dev_name = device.dev_name() if device is not None else "?"
        except Exception:
            dev_name = "?"
        name = getattr(evt, "attr_name", None) or getattr(evt, "pipe_name", None) or getattr(evt, "device_name", "")
        if evt.err:
            value = f"[{evt.errors[0].reason}] {evt.errors[0].desc}" if evt.errors else "error"
        elif hasattr(evt, "attr_value"):
            value = evt.attr_value.value if evt.attr_value is not None else None
        elif hasattr(evt, "attr_conf"):
            value = evt.attr_conf
        elif hasattr(evt, "ctr"):
            value = evt.ctr
        else:
            value = ""
        return self._msg.format(date=date, dev_name=dev_name, name=name, type=evt.event, value=value)


def _state_names():
    return [s.name for s in DevState]
