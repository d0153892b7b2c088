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

from ._declaration import MethodDeclaration, find_method
from .._tango import AttrDataFormat, AttrSpec, AttrWriteType, CmdArgType, DispLevel
from .dtypes import from_dtype, hint_dims, is_array_hint

__all__ = ["attribute"]

# Options that land in the attribute's default configuration, with their Tango property name
# (the names AttrSpec.properties accepts: ext/server/spec.cpp). The keywords are PyTango's: its
# own names and those of UserDefaultAttrProp's setters.
_PROPERTY_OPTIONS = {
    "label": "label", "unit": "unit", "standard_unit": "standard_unit",
    "display_unit": "display_unit", "format": "format", "description": "description",
    "doc": "description", "min_value": "min_value", "max_value": "max_value",
    "min_alarm": "min_alarm", "max_alarm": "max_alarm", "min_warning": "min_warning",
    "max_warning": "max_warning", "delta_t": "delta_t", "delta_time": "delta_t",
    "delta_val": "delta_val", "abs_change": "abs_change", "rel_change": "rel_change",
    "period": "period", "event_abs_change": "abs_change", "event_rel_change": "rel_change",
    "event_period": "period", "archive_abs_change": "archive_abs_change",
    "archive_rel_change": "archive_rel_change", "archive_period": "archive_period",
    "archive_event_abs_change": "archive_abs_change",
    "archive_event_rel_change": "archive_rel_change",
    "archive_event_period": "archive_period",
}
# Event flags: keyword (default), as PyTango 10.1 spells them; AttrSpec has the same fields.
_EVENT_OPTIONS = {
    "change_event_implemented": False, "change_event_detect": True,
    "archive_event_implemented": False, "archive_event_detect": True,
    "alarm_event_implemented": False, "alarm_event_detect": True,
    "data_ready_event_implemented": False,
}
_GREEN_OPTIONS = ("green_mode", "read_green_mode", "write_green_mode", "isallowed_green_mode")
_OTHER_OPTIONS = {
    "name", "class_name", "dtype", "dformat", "max_dim_x", "max_dim_y", "access",
    "display_level", "memorized", "hw_memorized", "polling_period", "enum_labels", "fget",
    "fread", "fset", "fwrite", "fisallowed", "forwarded", *_GREEN_OPTIONS,
}
# What a forwarded attribute takes (its type and the rest come from its root attribute).
_FORWARDED_OPTIONS = {"name", "label", "forwarded", "class_name"}


def _accepts_attr(func):
    """True for read methods of the form read(self, attr) (they call attr.set_value); a bound
    method's signature has no self."""
    try:
        params = [p for p in inspect.signature(func).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    return len(params) >= (1 if inspect.ismethod(func) else 2)


def _enum_dtype(dtype):
    """An enum class as dtype, alone or as the element of (E,) or ((E,),)."""
    while isinstance(dtype, (tuple, list)) and len(dtype) == 1:
        dtype = dtype[0]
    return isinstance(dtype, type) and issubclass(dtype, enum.Enum)


def _prop_str(value):
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


class attribute(MethodDeclaration):
    """Declare a Tango attribute. See the module docstring for the forms."""

    _kind = "attribute"
    _options = frozenset(_PROPERTY_OPTIONS) | frozenset(_EVENT_OPTIONS) | frozenset(_OTHER_OPTIONS)
    _write_access = AttrWriteType.READ_WRITE

    def __init__(self, fget=None, **kwargs):
        if kwargs.get("enum_labels") is not None and _enum_dtype(kwargs.get("dtype")):
            raise TypeError("enum_labels may not be given with an enum.Enum dtype: the labels are "
                            "its members' names")
        if kwargs.get("forwarded"):
            extra = set(kwargs) - _FORWARDED_OPTIONS
            if extra or fget is not None:
                raise TypeError("a forwarded attribute takes only name and label (its type and the rest "
                                f"come from its root attribute), not {', '.join(sorted(extra)) or 'fget'}")
        super().__init__(fget, **kwargs)

    def __set_name__(self, owner, name):
        super().__set_name__(owner, name)
        self._attr_name = name  # the Python name on the class

    # -- the spec read by the compiled class factory -------------------------------------------

    def _spec(self, cls, python_name, hint=None):
        """The AttrSpec of this attribute on cls; its methods are put on cls under private names."""
        name = self.name or python_name
        fget = find_method(cls, self.fget, f"read_{name}")
        fset = find_method(cls, self.fset, f"write_{name}")
        fisallowed = find_method(cls, self.fisallowed, f"is_{name}_allowed")
        spec, methods = self._make_spec(name, fget, fset, fisallowed, hint, "_tango_attr")
        for method_name, fn in methods.items():
            setattr(cls, method_name, fn)
        return spec

    def _make_spec(self, name, fget, fset, fisallowed, hint, prefix, write_with_attr=False):
        """(AttrSpec, {method name: function}) of this declaration with these methods; the
        caller puts the functions where the device finds them (its class, or the device)."""
        kw = self.kwargs
        if kw.get("forwarded"):
            props = {"label": _prop_str(kw["label"])} if kw.get("label") is not None else {}
            return AttrSpec(name=name, dtype=int(CmdArgType.DevDouble), dformat=AttrDataFormat.SCALAR,
                            access=AttrWriteType.READ, forwarded=True, properties=props), {}
        dtype = kw.get("dtype")
        if dtype is None and hint is not None:
            dtype = hint
        if dtype is None and fget is not None:
            ret = _return_hint(fget)
            if ret is not None:
                dtype = ret
        if dtype is None and fset is not None:
            dtype = _value_hint(fset)
        hinted = dtype is not None and kw.get("dtype") is None
        if hinted and is_array_hint(dtype) and kw.get("dformat") not in _ARRAY_FORMATS:
            raise RuntimeError(f"attribute {name}: for numpy.ndarrays AttrDataFormat has to be specified "
                               "(dformat=AttrDataFormat.SPECTRUM or IMAGE)")
        resolved = from_dtype(dtype, kw.get("dformat"))
        access = kw.get("access")
        if access is None:
            access = AttrWriteType.READ_WRITE if fset is not None and fget is not None else (
                AttrWriteType.WRITE if fset is not None else AttrWriteType.READ)
        access = AttrWriteType(access) if not isinstance(access, str) else AttrWriteType[access]

        max_x = kw.get("max_dim_x")
        max_y = kw.get("max_dim_y")
        if hinted and max_x is None and max_y is None:  # sizes a tuple hint fixes, unless given
            max_x, max_y = hint_dims(dtype)
        if resolved.dformat == AttrDataFormat.SCALAR:
            max_x, max_y = 1, 0
        elif resolved.dformat == AttrDataFormat.SPECTRUM:
            max_x, max_y = (2048 if max_x is None else max_x), 0
        else:  # an explicit 0 is kept: cppTango refuses it with its own message
            max_x, max_y = (2048 if max_x is None else max_x), (2048 if max_y is None else max_y)

        props = {}
        for opt, prop in _PROPERTY_OPTIONS.items():
            if kw.get(opt) is not None and kw[opt] != "":
                props[prop] = _prop_str(kw[opt])
        labels = kw.get("enum_labels")
        if labels is None and resolved.enum_class is not None:
            labels = _enum_labels(resolved.enum_class)
        if resolved.dtype == CmdArgType.DevEnum and not labels:
            raise TypeError(f"attribute {name}: DevEnum needs enum_labels or an enum.IntEnum dtype")

        methods = {}
        read_method = write_method = allowed_method = ""
        if fget is not None and access != AttrWriteType.WRITE:
            read_method = f"{prefix}_read_{name}"
            methods[read_method] = fget
        if fset is not None:
            write_method = f"{prefix}_write_{name}"
            methods[write_method] = fset
        if fisallowed is not None:
            allowed_method = f"{prefix}_allowed_{name}"
            methods[allowed_method] = fisallowed
        green = kw.get("green_mode", True)
        hw_memorized = bool(kw.get("hw_memorized", False))
        spec = AttrSpec(
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
            write_with_attr=write_with_attr,
            properties=props,
            enum_labels=[str(label) for label in labels or ()],
            memorized=bool(kw.get("memorized", False)) or hw_memorized,
            hw_memorized=hw_memorized,
            polling_period=int(kw.get("polling_period") or 0),
            read_green_mode=bool(kw.get("read_green_mode", green)),
            write_green_mode=bool(kw.get("write_green_mode", green)),
            isallowed_green_mode=bool(kw.get("isallowed_green_mode", green)),
            **{opt: bool(kw.get(opt, default)) for opt, default in _EVENT_OPTIONS.items()},
        )
        return spec, methods


_ARRAY_FORMATS = (AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE, "SPECTRUM", "IMAGE", "spectrum", "image")


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
    """The hint of a write handler's value (its last parameter: ``value`` or ``attr``, after
    ``self`` unless the handler is bound)."""
    try:
        hints = _hints(func)
        params = list(inspect.signature(func).parameters)
    except Exception:
        return None
    return hints.get(params[-1]) if params and (len(params) > 1 or inspect.ismethod(func)) else None


def _hints(func):
    import typing

    return typing.get_type_hints(func)
