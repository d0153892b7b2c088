"""``tango.AttrData``: an attribute description in object form, as PyTango has it. It is made
from a classic attr_list entry::

    AttrData("Voltage", "PowerSupply", [[tango.DevDouble, tango.SCALAR, tango.READ_WRITE],
                                        {"unit": "V", "Memorized": "true"}])

or from the keywords of ``attribute(...)`` plus ``name`` and ``class_name`` (``from_dict``),
and is given to ``Device.add_attribute`` (its handlers: the arguments of add_attribute, else the
device's methods named ``read_method_name``, ``write_method_name``, ``is_allowed_name``).
``to_attr()`` makes the classic ``Attr`` / ``SpectrumAttr`` / ``ImageAttr`` it stands for, which
is what the server compiles (tango/server/classic_attributes.py). The classic attr_list tables
of a ``DeviceClass`` go through the same checks (tango/server/classic.py, attr_from_entry).

Its fields are public and plain, as PyTango's: a user may change them before to_attr().
"""

import operator

from ._tango import AttrDataFormat, AttrWriteType, CmdArgType, DispLevel

__all__ = ["AttrData"]

_READABLE = (AttrWriteType.READ, AttrWriteType.READ_WRITE, AttrWriteType.READ_WITH_WRITE)
_WRITABLE = (AttrWriteType.WRITE, AttrWriteType.READ_WRITE, AttrWriteType.READ_WITH_WRITE)

# The event flags an AttrData carries: name -> default
_EVENT_FIELDS = {
    "alarm_event_implemented": False, "alarm_event_detect": True,
    "archive_event_implemented": False, "archive_event_detect": True,
    "change_event_implemented": False, "change_event_detect": True,
    "data_ready_event_implemented": False,
}
# Keys of an attr_info's dict that are no default property: read into the fields, or left for
# the caller (klass).
_NOT_PROPERTIES = ("display level", "polling period", "memorized", "klass", *_EVENT_FIELDS)
_MEMORIZED_VALUES = ("true", "true_without_hard_applied", "false")


def _wrong_definition(desc, origin="AttrData.from_attr_info()"):
    from .errors import Except

    Except.throw_exception("PyDs_WrongAttributeDefinition", desc, origin)


def _is_sequence(obj):
    from .utils import is_non_str_seq

    return is_non_str_seq(obj)


def _enum_member(enum_type, value):
    """enum_type(value) for a member or an integer; anything else (a name, a float) is refused
    (TypeError or ValueError)."""
    if isinstance(value, enum_type):
        return value
    return enum_type(operator.index(value))


def _method_name(handler):
    """The name add_attribute looks up on the device: the string itself, or a function's name."""
    if isinstance(handler, str):
        return handler
    return getattr(handler, "__name__", None) if callable(handler) else None


class _DefaultClasses:
    """AttrData.DftAttrClassMap: {format: the classic attribute class to_attr() makes}, read
    when first used (the classes are tango.server's, which ``import tango`` does not load)."""

    def __get__(self, obj, objtype=None):
        from .server.classic_attributes import Attr, ImageAttr, SpectrumAttr

        classes = {AttrDataFormat.SCALAR: Attr, AttrDataFormat.SPECTRUM: SpectrumAttr,
                   AttrDataFormat.IMAGE: ImageAttr}
        AttrData.DftAttrClassMap = classes  # one dict from now on, as a plain class attribute
        return classes


class AttrData:
    """An attribute description: its name, the name of its device class, its type, format,
    write type, sizes, display level, polling, memorization and event flags, the names of its
    handlers on the device, and its default properties (``att_prop``, a UserDefaultAttrProp or
    None)."""

    def __init__(self, name, class_name, attr_info=None):
        self.class_name = class_name
        self.attr_name = name
        self.attr_type = CmdArgType.DevVoid
        self.attr_format = AttrDataFormat.SCALAR
        self.attr_write = AttrWriteType.READ
        self.dim_x = 1
        self.dim_y = 0
        self.display_level = DispLevel.OPERATOR
        self.polling_period = -1
        self.memorized = False
        self.hw_memorized = False
        for field, default in _EVENT_FIELDS.items():
            setattr(self, field, default)
        self.read_method_name = self.write_method_name = self.is_allowed_name = None
        if name is not None:
            self._default_method_names(name)
        self.attr_class = None  # the class to_attr() makes (default: by format)
        self.attr_args = None  # the arguments it is made with (default: from the fields)
        self.att_prop = None
        self.forward = False
        self.has_dtype_kword = False
        self.has_size_kword = False
        if attr_info is not None:
            self.from_attr_info(attr_info)

    def _default_method_names(self, name):
        self.read_method_name = f"read_{name}"
        self.write_method_name = f"write_{name}"
        self.is_allowed_name = f"is_{name}_allowed"

    def _set_name(self, name):
        """Name an AttrData made without one (its handler names follow, unless given)."""
        unnamed = self.attr_name is None
        self.attr_name = name
        if self.attr_args is not None:
            self.attr_args[0] = name
        elif self.forward:
            self.attr_args = [name]
        if unnamed:
            self.read_method_name = self.read_method_name or f"read_{name}"
            self.write_method_name = self.write_method_name or f"write_{name}"
            self.is_allowed_name = self.is_allowed_name or f"is_{name}_allowed"

    # -- from the keywords of attribute(...) -------------------------------------------------

    @classmethod
    def from_dict(cls, attr_dict):
        """An AttrData from a dict of attribute(...)'s keywords, with ``name`` and ``class_name``
        (see build_from_dict)."""
        attr_dict = dict(attr_dict)
        self = cls(attr_dict.pop("name", None), attr_dict.pop("class_name", None))
        return self.build_from_dict(attr_dict)

    def build_from_dict(self, attr_dict):
        """Fill this AttrData from attribute(...)'s keywords: ``dtype`` (default DevDouble),
        ``dformat``, ``max_dim_x``, ``max_dim_y``, ``access`` (default: READ_WRITE with both a
        read and a write handler, WRITE with a write handler only, else READ), ``display_level``,
        ``polling_period``, ``memorized``, ``hw_memorized``, the handlers ``fget``/``fread``,
        ``fset``/``fwrite``, ``fisallowed`` (a method name, or a function whose name is looked up
        on the device), ``klass`` (the class to_attr makes), ``forwarded``, the event flags, and
        the default properties (label, unit, doc/description, delta_time ...: those of
        UserDefaultAttrProp's setters). Another keyword is a DevFailed (Wrong definition of
        attribute). The dict is consumed."""
        self.forward = bool(attr_dict.pop("forwarded", False))
        if self.forward:
            from .server.classic_attributes import FwdAttr

            self.attr_class = FwdAttr
            self.attr_args = [self.attr_name]
        else:
            self.has_dtype_kword = "dtype" in attr_dict
            self.attr_type = attr_dict.pop("dtype", CmdArgType.DevDouble)
            explicit_format = attr_dict.pop("dformat", None)
            self.attr_format = AttrDataFormat.SCALAR if explicit_format is None else explicit_format
            self._resolve_dtype(explicit_format, attr_dict)
            self.has_size_kword = "max_dim_x" in attr_dict or "max_dim_y" in attr_dict
            self.dim_x = attr_dict.pop("max_dim_x", 1)
            self.dim_y = attr_dict.pop("max_dim_y", 0)
            self.display_level = attr_dict.pop("display_level", DispLevel.OPERATOR)
            self.polling_period = attr_dict.pop("polling_period", -1)
            self.memorized = attr_dict.pop("memorized", False)
            self.hw_memorized = attr_dict.pop("hw_memorized", False)
            # the access, when not given, from the handlers that are named (fget/fset win over
            # their older names fread/fwrite)
            reads = "fget" in attr_dict or "fread" in attr_dict
            writes = "fset" in attr_dict or "fwrite" in attr_dict
            fread = attr_dict.pop("fget", attr_dict.pop("fread", None))
            fwrite = attr_dict.pop("fset", attr_dict.pop("fwrite", None))
            fisallowed = attr_dict.pop("fisallowed", None)
            if "access" in attr_dict:
                self.attr_write = attr_dict.pop("access")
            elif writes:
                self.attr_write = AttrWriteType.READ_WRITE if reads else AttrWriteType.WRITE
            else:
                self.attr_write = AttrWriteType.READ
            for handler, field in ((fread, "read_method_name"), (fwrite, "write_method_name"),
                                   (fisallowed, "is_allowed_name")):
                name = _method_name(handler) if handler is not None else None
                if name is not None:
                    setattr(self, field, name)
            self.attr_class = attr_dict.pop("klass", None)
        for field, default in _EVENT_FIELDS.items():
            setattr(self, field, attr_dict.pop(field, default))
        if self.forward:
            self.att_prop = self._forwarded_properties(attr_dict)
        elif attr_dict:
            self.att_prop = self._default_properties(attr_dict, "AttrData.from_dict()")
        return self

    def _resolve_dtype(self, explicit_format, attr_dict):
        """A dtype given as attribute(...) takes it (int, (float,), "int16", an IntEnum...):
        its CmdArgType and format, and an enum's labels; a CmdArgType (or its number) is kept,
        with the format given beside it."""
        if isinstance(self.attr_type, int) and not isinstance(self.attr_type, bool):
            if isinstance(explicit_format, str):
                self.attr_format = AttrDataFormat[explicit_format.upper()]
            return
        from .server.dtypes import from_dtype

        resolved = from_dtype(self.attr_type, explicit_format)
        self.attr_type, self.attr_format = resolved.dtype, resolved.dformat
        if resolved.enum_class is not None and "enum_labels" not in attr_dict:
            attr_dict["enum_labels"] = [member.name for member in resolved.enum_class]

    def _forwarded_properties(self, extra):
        from .server.classic_attributes import UserDefaultFwdAttrProp

        prop = UserDefaultFwdAttrProp()
        if "label" in extra:
            prop.set_label(extra["label"])
        return prop

    def _default_properties(self, extra, origin):
        """A UserDefaultAttrProp from the extra information: each key names one of its setters
        (``unit`` -> set_unit; spaces as underscores), ``doc`` is the description, ``delta_time``
        delta_t; the keys the fields take are skipped; another key is a DevFailed."""
        from .server.classic_attributes import UserDefaultAttrProp

        prop = UserDefaultAttrProp()
        extra = dict(extra)
        if extra.get("doc") is not None:
            extra["description"] = extra.pop("doc")
        extra.pop("doc", None)
        for key, value in extra.items():
            low = str(key).lower()
            setter = getattr(prop, "set_" + low.replace(" ", "_"), None) if low else None
            if setter is not None:
                setter(value if low == "enum_labels" else str(value))
            elif low == "delta_time":
                prop.set_delta_t(str(value))
            elif low not in _NOT_PROPERTIES:
                _wrong_definition(f"Wrong definition of attribute {self.attr_name} in class {self.class_name}: the "
                                  f"object extra information {key!r} is not recognized (it is no attribute "
                                  "property)", origin)
        return prop

    def set_enum_labels_to_attr_prop(self, enum_labels):
        """Set the labels of a DevEnum attribute in its default properties (made if none)."""
        if self.att_prop is None:
            from .server.classic_attributes import UserDefaultAttrProp

            self.att_prop = UserDefaultAttrProp()
        self.att_prop.set_enum_labels(enum_labels)

    # -- from a classic attr_list entry -------------------------------------------------------

    def from_attr_info(self, attr_info):
        """Fill this AttrData from a classic attr_list entry: ``[[data type, format, write
        type(, max dim x(, max dim y))](, {extra information})]`` (a spectrum gives max dim x,
        an image both). The extra information (keys case insensitive): "display level",
        "polling period", "memorized" ("true", "false" or "true_without_hard_applied"),
        "enum_labels" (required for DevEnum), "klass", the event flags, and the default
        properties (unit, label ...). A wrong entry is a DevFailed (PyDs_WrongAttributeDefinition)
        saying what is wrong."""
        self.has_dtype_kword = self.has_size_kword = True
        where = f"attribute {self.attr_name} in class {self.class_name}"
        if not _is_sequence(attr_info):
            _wrong_definition(f"Wrong data type for value for describing {where}: it must be a sequence with 1 or 2 "
                              f"elements ([data type, format, write type, ...] and a dict), not {attr_info!r}")
        if len(attr_info) not in (1, 2):
            _wrong_definition(f"Wrong number of argument for describing {where}: it must be a sequence with 1 or 2 "
                              f"elements ([data type, format, write type, ...] and a dict), not {len(attr_info)}")
        extra = {}
        if len(attr_info) == 2:
            if not hasattr(attr_info[1], "items"):
                _wrong_definition(f"Wrong data type for value for describing {where}: its second element must be a "
                                  f"dict of extra information, not {attr_info[1]!r}")
            extra = {str(key).lower(): value for key, value in attr_info[1].items()}
        mandatory = attr_info[0]
        if not _is_sequence(mandatory) or not 3 <= len(mandatory) <= 5:
            _wrong_definition(f"Wrong data type for describing mandatory information for {where}: it must be a "
                              f"sequence with 3, 4 or 5 elements (data type, format, write type, max dim x, max dim "
                              f"y), not {mandatory!r}")
        mandatory = list(mandatory)
        try:
            self.attr_type = _enum_member(CmdArgType, mandatory[0])
        except (TypeError, ValueError):
            _wrong_definition(f"Wrong data type in attribute argument for {where}: the data type (first element of "
                              f"the first sequence) must be a tango.CmdArgType, not {mandatory[0]!r}")
        try:
            self.attr_format = _enum_member(AttrDataFormat, mandatory[1])
            if self.attr_format not in (AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE):
                raise ValueError(self.attr_format)
        except (TypeError, ValueError):
            _wrong_definition(f"Wrong data format in attribute argument for {where}: the data format (second element "
                              f"of the first sequence) must be a tango.AttrDataFormat (SCALAR, SPECTRUM or IMAGE), "
                              f"not {mandatory[1]!r}")
        self._read_dimensions(mandatory, where)
        try:
            self.attr_write = _enum_member(AttrWriteType, mandatory[2])
        except (TypeError, ValueError):
            _wrong_definition(f"Wrong data write type in attribute argument for {where}: the write type (third "
                              f"element of the first sequence) must be a tango.AttrWriteType, not {mandatory[2]!r}")
        level = extra.get("display level", DispLevel.OPERATOR)
        try:
            self.display_level = _enum_member(DispLevel, level)
        except (TypeError, ValueError):
            _wrong_definition(f"Wrong display level in attribute information for {where}: the 'display level' must "
                              f"be a tango.DispLevel, not {level!r}")
        period = extra.get("polling period", -1)
        try:
            self.polling_period = int(period)
        except (TypeError, ValueError):
            _wrong_definition(f"Wrong polling period in attribute information for {where}: the 'polling period' "
                              f"must be an integer (ms), not {period!r}")
        memorized = extra.get("memorized", "false")
        memorized_text = str(memorized).lower() if isinstance(memorized, (str, bool)) else None
        if memorized_text not in _MEMORIZED_VALUES:
            _wrong_definition(f"Wrong memorized value for {where}: the allowed values are the strings \"true\", "
                              f"\"false\" and \"true_without_hard_applied\" (case insensitive), not {memorized!r}")
        self.memorized = memorized_text != "false"
        self.hw_memorized = memorized_text == "true"
        for field, default in _EVENT_FIELDS.items():
            setattr(self, field, extra.get(field, default))
        if self.attr_type == CmdArgType.DevEnum:
            if "enum_labels" not in extra:
                _wrong_definition(f"Missing 'enum_labels' key in attr_list definition for enum {where}: a DevEnum "
                                  "attribute needs its labels")
            self.enum_labels = extra["enum_labels"]
        self.attr_class = extra.get("klass")
        self.att_prop = self._default_properties(extra, "AttrData.from_attr_info()") if extra else None
        return self

    def _read_dimensions(self, mandatory, where):
        """dim_x (and dim_y) of a spectrum (an image) from the mandatory sequence, whose length
        its format fixes."""
        fmt = self.attr_format
        count = {AttrDataFormat.SCALAR: 3, AttrDataFormat.SPECTRUM: 4, AttrDataFormat.IMAGE: 5}[fmt]
        fields = {AttrDataFormat.SCALAR: "data type, format, write type",
                  AttrDataFormat.SPECTRUM: "data type, format, write type, max dim x",
                  AttrDataFormat.IMAGE: "data type, format, write type, max dim x, max dim y"}[fmt]
        kind = fmt.name.lower()
        if len(mandatory) != count:
            _wrong_definition(f"Wrong data type in attribute argument for {where}: Sequence describing mandatory "
                              f"attribute parameters for {kind} attribute must have {count} elements ({fields}), "
                              f"not {len(mandatory)}")
        for index, field, nth in ((3, "dim_x", "4th"), (4, "dim_y", "5th"))[:count - 3]:
            value = mandatory[index]
            try:
                setattr(self, field, int(value))
            except (TypeError, ValueError):
                _wrong_definition(f"Wrong data type in attribute argument for {where}: the {nth} element, the "
                                  f"mandatory {field} attribute parameter for {kind} attribute must be an integer, "
                                  f"not {value!r}")

    # -- the classic attribute ----------------------------------------------------------------

    DftAttrClassMap = _DefaultClasses()

    def to_attr(self):
        """The classic attribute this AttrData describes: ``attr_class(*attr_args)`` (by default
        Attr, SpectrumAttr or ImageAttr by format, made from the name, type, write type and
        sizes) with its default properties, display level, memorization, polling period (when
        positive) and event flags."""
        if self.attr_args is None:
            args = [self.attr_name, self.attr_type, self.attr_write]
            if self.attr_format != AttrDataFormat.SCALAR:
                args.append(self.dim_x)
                if self.attr_format != AttrDataFormat.SPECTRUM:
                    args.append(self.dim_y)
        else:
            args = list(self.attr_args)
        klass = self.attr_class
        if klass is None:
            klass = self.DftAttrClassMap[AttrDataFormat(self.attr_format)]
        attr = klass(*args)
        if self.att_prop is not None:
            attr.set_default_properties(self.att_prop)
        attr.set_disp_level(self.display_level)
        if self.memorized:
            attr.set_memorized()
            attr.set_memorized_init(self.hw_memorized)
        if self.polling_period is not None and int(self.polling_period) > 0:
            attr.set_polling_period(self.polling_period)
        if not self.forward:
            if self.change_event_implemented:
                attr.set_change_event(True, self.change_event_detect)
            if self.archive_event_implemented:
                attr.set_archive_event(True, self.archive_event_detect)
            if self.alarm_event_implemented:
                attr.set_alarm_event(True, self.alarm_event_detect)
            if self.data_ready_event_implemented:
                attr.set_data_ready_event(True)
        return attr

    # -- what Device.add_attribute reads -----------------------------------------------------

    def _declaration_for_add(self, device=None):
        """The Attr that add_attribute compiles, with the handlers found on the device by this
        AttrData's method names (a name the device lacks: no handler), as PyTango looks them up.
        Without a device, the names themselves (looked up when the attribute is added)."""
        if self.attr_name is None:
            raise TypeError("add_attribute: the AttrData has no name (AttrData(name, ...) or from_dict({'name': ...}))")
        attr = self.to_attr()
        if self.forward:
            return attr
        name = self.attr_name
        wanted = (("fget", self.read_method_name, f"read_{name}", attr.get_writable() in _READABLE),
                  ("fset", self.write_method_name, f"write_{name}", attr.get_writable() in _WRITABLE),
                  ("fisallowed", self.is_allowed_name, f"is_{name}_allowed", True))
        for slot, method_name, conventional, applies in wanted:
            if not (applies and method_name):
                continue
            if device is not None:
                setattr(attr, slot, getattr(device, method_name, None))
            elif method_name != conventional:  # the conventional name is add_attribute's own default
                setattr(attr, slot, method_name)
        attr._attr_data = self
        return attr

    def _typed_by_hint(self, type_hint):
        """The attribute retyped from a handler's type hint (an AttrData given no dtype takes it
        there, as PyTango does): the hint's type and format (an NDArray hint keeps this AttrData's
        SPECTRUM or IMAGE format), an enum's labels, and the hint's sizes unless sizes were given."""
        from .server.dtypes import from_dtype
        from .utils import parse_type_hint

        dtype, dformat, max_x, max_y = parse_type_hint(type_hint, caller="attribute")
        if dformat is None:
            if self.attr_format not in (AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE):
                raise RuntimeError("For numpy.ndarrays AttrDataFormat has to be specified")
            dformat = self.attr_format
        resolved = from_dtype(dtype, dformat)
        self.attr_type, self.attr_format = resolved.dtype, resolved.dformat
        if resolved.enum_class is not None:
            self.set_enum_labels_to_attr_prop([member.name for member in resolved.enum_class])
        if not self.has_size_kword:
            self.dim_x = max_x or self.dim_x
            self.dim_y = max_y or self.dim_y
        return self.to_attr()  # typed: not typed again from the hints (no _attr_data)

    def __repr__(self):
        return f"AttrData({self.attr_name!r}, {self.class_name!r})"
