"""``attribute``: a Tango attribute declared on a Device class.

    voltage = attribute(dtype=float, unit="V")            # read by read_voltage(self)

    @attribute(dtype=float, unit="A")
    def current(self):                                     # the read method
        return self._current

    @current.setter
    def current(self, value):                              # the write method (READ_WRITE)
        self._current = value
"""

import enum
import inspect

from ._declaration import MethodDeclaration
from .._tango import AttrDataFormat, AttrWriteType, CmdArgType, DispLevel
from .dtypes import from_dtype

__all__ = ["attribute"]

# Options that land in the attribute's default configuration, with their Tango property name.
_PROPERTY_OPTIONS = {
    "label": "label", "unit": "unit", "standard_unit": "standard_unit",
    "display_unit": "display_unit", "format": "format", "description": "description",
    "doc": "description", "min_value": "min_value", "max_value": "max_value",
    "min_alarm": "min_alarm", "max_alarm": "max_alarm", "min_warning": "min_warning",
    "max_warning": "max_warning", "delta_t": "delta_t", "delta_val": "delta_val",
    "abs_change": "abs_change", "rel_change": "rel_change", "period": "period",
    "event_period": "period", "archive_abs_change": "archive_abs_change",
    "archive_rel_change": "archive_rel_change", "archive_period": "archive_period",
    "archive_event_period": "archive_period",
}
_OTHER_OPTIONS = {
    "name", "dtype", "dformat", "max_dim_x", "max_dim_y", "access", "display_level",
    "memorized", "hw_memorized", "polling_period", "enum_labels", "fget", "fread", "fset",
    "fwrite", "fisallowed", "green_mode", "read_green_mode", "isallowed_green_mode",
    "change_event", "archive_event", "data_ready_event", "forwarded",
}


def _accepts_attr(func):
    """True for read methods of the form read(self, attr) (they call attr.set_value)."""
    try:
        params = [p for p in inspect.signature(func).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    return len(params) >= 2


def _prop_str(value):
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _event_flag(value):
    if value is None or value is False:
        return None
    if value is True:
        return (True, True)
    implemented, detect = value
    return (bool(implemented), bool(detect))


class attribute(MethodDeclaration):
    """Declare a Tango attribute. See the module docstring for the forms."""

    _kind = "attribute"
    _options = frozenset(_PROPERTY_OPTIONS) | frozenset(_OTHER_OPTIONS)
    _write_access = AttrWriteType.READ_WRITE

    def __set_name__(self, owner, name):
        super().__set_name__(owner, name)
        self._attr_name = name  # the Python name on the class

    # -- the spec read by the compiled class factory -------------------------------------------

    def _spec(self, cls, python_name, hint=None):
        kw = self.kwargs
        name = self.name or python_name
        dtype = kw.get("dtype")
        fget = self.fget
        if isinstance(fget, str):
            fget = getattr(cls, fget)
        if fget is None:
            fget = getattr(cls, f"read_{name}", None)
        fset = self.fset
        if isinstance(fset, str):
            fset = getattr(cls, fset)
        if fset is None:
            fset = getattr(cls, f"write_{name}", None)
        fisallowed = self.fisallowed
        if isinstance(fisallowed, str):
            fisallowed = getattr(cls, fisallowed)
        if fisallowed is None:
            fisallowed = getattr(cls, f"is_{name}_allowed", None)

        if dtype is None and hint is not None:
            dtype = hint
        if dtype is None and fget is not None:
            ret = _return_hint(fget)
            if ret is not None:
                dtype = ret
        if dtype is None and fset is not None:
            dtype = _value_hint(fset)
        resolved = from_dtype(dtype, kw.get("dformat"))
        access = kw.get("access")
        if access is None:
            access = AttrWriteType.READ_WRITE if fset is not None and fget is not None else (
                AttrWriteType.WRITE if fset is not None else AttrWriteType.READ)
        access = AttrWriteType(access) if not isinstance(access, str) else AttrWriteType[access]

        max_x = kw.get("max_dim_x")
        max_y = kw.get("max_dim_y")
        if resolved.dformat == AttrDataFormat.SCALAR:
            max_x, max_y = 1, 0
        elif resolved.dformat == AttrDataFormat.SPECTRUM:
            max_x, max_y = (max_x or 2048), 0
        else:
            max_x, max_y = (max_x or 2048), (max_y or 2048)

        props = {}
        for opt, prop in _PROPERTY_OPTIONS.items():
            if kw.get(opt) is not None:
                props[prop] = _prop_str(kw[opt])
        labels = kw.get("enum_labels")
        if labels is None and resolved.enum_class is not None:
            labels = _enum_labels(resolved.enum_class)
        if labels is not None:
            props["enum_labels"] = [str(label) for label in labels]
        if resolved.dtype == CmdArgType.DevEnum and "enum_labels" not in props:
            raise TypeError(f"attribute {name}: DevEnum needs enum_labels or an enum.IntEnum dtype")

        prefix = "_tango_attr"
        read_method = write_method = allowed_method = None
        if fget is not None and access != AttrWriteType.WRITE:
            read_method = f"{prefix}_read_{name}"
            setattr(cls, read_method, fget)
        if fset is not None:
            write_method = f"{prefix}_write_{name}"
            setattr(cls, write_method, fset)
        if fisallowed is not None:
            allowed_method = f"{prefix}_allowed_{name}"
            setattr(cls, allowed_method, fisallowed)
        if access != AttrWriteType.READ and fset is None and access != AttrWriteType.WRITE:
            pass  # READ_WRITE without a write method: Tango stores the set point only

        return AttrSpec(
            name=name,
            dtype=int(resolved.dtype),
            dformat=resolved.dformat,
            access=access,
            display_level=DispLevel(kw.get("display_level", DispLevel.OPERATOR)),
            max_dim_x=int(max_x),
            max_dim_y=int(max_y),
            read_method=read_method,
            write_method=write_method,
            is_allowed_method=allowed_method,
            read_with_attr=fget is not None and _accepts_attr(fget),
            write_with_attr=False,
            properties=props,
            memorized=bool(kw.get("memorized", False) or kw.get("hw_memorized", False)),
            hw_memorized=bool(kw.get("hw_memorized", False)),
            polling_period=int(kw.get("polling_period") or 0),
            change_event=_event_flag(kw.get("change_event")),
            archive_event=_event_flag(kw.get("archive_event")),
            data_ready_event=bool(kw.get("data_ready_event", False)),
            enum_class=resolved.enum_class,
        )


def _enum_labels(enum_class):
    members = list(enum_class)
    values = [int(m) for m in members]
    if values != list(range(len(values))):
        raise TypeError(f"{enum_class.__name__}: DevEnum values must be 0, 1, 2, ... in order")
    return [m.name for m in members]


def _return_hint(func):
    try:
        hints = _hints(func)
    except Exception:
        return None
    ret = hints.get("return")
    return None if ret is type(None) else ret


def _value_hint(func):
    try:
        hints = _hints(func)
        params = list(inspect.signature(func).parameters)
    except Exception:
        return None
    return hints.get(params[1]) if len(params) > 1 else None


def _hints(func):
    import typing

    return typing.get_type_hints(func)


class AttrSpec:
    """Everything the compiled attribute factory needs about one attribute."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):
        return f"AttrSpec({self.__dict__!r})"
