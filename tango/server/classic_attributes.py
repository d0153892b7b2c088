"""The classic (Pogo) attribute objects: ``Attr``, ``SpectrumAttr``, ``ImageAttr``, ``FwdAttr``,
``UserDefaultAttrProp`` (and ``UserDefaultFwdAttrProp``, ``AttrProperty``), as PyTango has them,
for ``Device.add_attribute``, the classic tables and ``tango.AttrData.to_attr()``:

    attr = tango.SpectrumAttr("levels", tango.DevDouble, tango.AttrWriteType.READ, 16)
    props = tango.UserDefaultAttrProp()
    props.set_unit("V")
    attr.set_default_properties(props)
    self.add_attribute(attr, r_meth=self.read_levels)       # read_levels(self, attr)

They hold a declaration and are compiled into the same AttrSpec as ``attribute(...)`` (see
tango/server/attribute.py), so a classic attribute is served by the same compiled code.
"""

from .._tango import AttrDataFormat, AttrSpec, AttrWriteType, CmdArgType, DispLevel
from .attribute import _accepts_attr, _prop_str

__all__ = ["Attr", "SpectrumAttr", "ImageAttr", "FwdAttr", "UserDefaultAttrProp", "UserDefaultFwdAttrProp",
           "AttrProperty", "MultiClassAttribute"]


# The Tango properties a UserDefaultAttrProp holds, in the order cppTango lists a class's user
# defaults (Attr::get_user_default_properties); each is also a field of the object (prop.unit).
_DEFAULT_PROPERTY_NAMES = (
    "label", "description", "unit", "standard_unit", "display_unit", "format", "min_value",
    "max_value", "min_alarm", "max_alarm", "min_warning", "max_warning", "delta_t", "delta_val",
    "abs_change", "rel_change", "period", "archive_abs_change", "archive_rel_change", "archive_period",
)


class _PropertyField:
    """A field of UserDefaultAttrProp: the text of one Tango property ("" when not set)."""

    def __init__(self, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj._properties.get(self.name, "")

    def __set__(self, obj, value):
        obj._set(self.name, value)


class UserDefaultAttrProp:
    """The default configuration of an attribute, set property by property (``set_unit("V")``)
    or field by field (``prop.unit = "V"``); a field not set reads as ""."""

    def __init__(self):
        self._properties = {}
        self._enum_labels = []

    def _set(self, tango_name, value):
        text = _prop_str(value)
        if text:
            self._properties[tango_name] = text
        else:  # cppTango ignores an empty default
            self._properties.pop(tango_name, None)

    @property
    def enum_labels(self):
        """The labels of a DevEnum attribute, as cppTango keeps them: one text, comma separated."""
        return ",".join(self._enum_labels)

    @enum_labels.setter
    def enum_labels(self, text):
        self._enum_labels = [label for label in str(text).split(",") if label] if text else []

    # The setters, by the names PyTango's UserDefaultAttrProp has (its older event names too); the
    # value is kept as the text of the Tango property (AttrSpec.properties).

    def set_label(self, value):
        self._set("label", value)

    def set_description(self, value):
        self._set("description", value)

    def set_unit(self, value):
        self._set("unit", value)

    def set_standard_unit(self, value):
        self._set("standard_unit", value)

    def set_display_unit(self, value):
        self._set("display_unit", value)

    def set_format(self, value):
        self._set("format", value)

    def set_min_value(self, value):
        self._set("min_value", value)

    def set_max_value(self, value):
        self._set("max_value", value)

    def set_min_alarm(self, value):
        self._set("min_alarm", value)

    def set_max_alarm(self, value):
        self._set("max_alarm", value)

    def set_min_warning(self, value):
        self._set("min_warning", value)

    def set_max_warning(self, value):
        self._set("max_warning", value)

    def set_delta_t(self, value):
        self._set("delta_t", value)

    def set_delta_val(self, value):
        self._set("delta_val", value)

    def set_event_abs_change(self, value):
        self._set("abs_change", value)

    def set_event_rel_change(self, value):
        self._set("rel_change", value)

    def set_event_period(self, value):
        self._set("period", value)

    def set_abs_change(self, value):
        self._set("abs_change", value)

    def set_rel_change(self, value):
        self._set("rel_change", value)

    def set_period(self, value):
        self._set("period", value)

    def set_archive_event_abs_change(self, value):
        self._set("archive_abs_change", value)

    def set_archive_event_rel_change(self, value):
        self._set("archive_rel_change", value)

    def set_archive_event_period(self, value):
        self._set("archive_period", value)

    def set_archive_abs_change(self, value):
        self._set("archive_abs_change", value)

    def set_archive_rel_change(self, value):
        self._set("archive_rel_change", value)

    def set_archive_period(self, value):
        self._set("archive_period", value)

    def set_enum_labels(self, enum_labels):
        self._enum_labels = [str(label) for label in enum_labels]

    def __repr__(self):
        return f"UserDefaultAttrProp({self._properties!r})"


for _name in _DEFAULT_PROPERTY_NAMES:
    setattr(UserDefaultAttrProp, _name, _PropertyField(_name))
del _name


class AttrProperty:
    """One attribute property as a class holds it: a name and the text of its value."""

    def __init__(self, name, value):
        self._name = str(name)
        self._value = str(value)

    def get_name(self):
        return self._name

    def get_value(self):
        return self._value

    def get_lg_value(self):
        """The value as an integer (a DevFailed if it is not one)."""
        try:
            return int(self._value)
        except ValueError:
            _throw("API_AttrOptProp", f"Property {self._name}: {self._value!r} is not an integer",
                   "AttrProperty.get_lg_value")

    def __repr__(self):
        return f"AttrProperty({self._name!r}, {self._value!r})"


# The data types of attributes (cppTango's Attr::check_type)
_ATTRIBUTE_TYPES = frozenset(getattr(CmdArgType, name) for name in (
    "DevBoolean", "DevUChar", "DevShort", "DevUShort", "DevLong", "DevULong", "DevLong64", "DevULong64",
    "DevFloat", "DevDouble", "DevString", "DevState", "DevEncoded", "DevEnum"))

# What cppTango leaves out of a class's user defaults: the texts that mean "not specified", and
# the event periods equal to their defaults.
_NOT_SPECIFIED = ("not specified", "nan")
_DEFAULT_PERIODS = {"period": "1000", "archive_period": str(2**31 - 1)}


class Attr:
    """A scalar attribute: name, data type (a CmdArgType) and write type."""

    _format = AttrDataFormat.SCALAR

    def __init__(self, name, data_type, w_type=AttrWriteType.READ):
        self.name = str(name)
        self._type = CmdArgType(int(data_type))
        self._writable = AttrWriteType(w_type)
        self._max = (1, 0)
        self._level = DispLevel.OPERATOR
        self._props = UserDefaultAttrProp()
        self._class_props = []
        self._cl_name = ""
        self._assoc = ""
        self._polling = 0
        self._memorized = self._memorized_init = False
        self._events = {}
        # what add_attribute looks for (an attribute(...) keeps its methods there too)
        self.fget = self.fset = self.fisallowed = None
        # the tango.AttrData this attribute was made from for add_attribute, which types it from
        # its handlers' hints when it was given no dtype (AttrData._typed_by_hint)
        self._attr_data = None

    def get_name(self):
        return self.name

    def get_type(self):
        return self._type

    def get_format(self):
        return self._format

    def get_writable(self):
        return self._writable

    def get_disp_level(self):
        return self._level

    def set_disp_level(self, level):
        self._level = DispLevel(level)

    def get_assoc(self):
        """The name of the associated write attribute (READ_WITH_WRITE), "" if none."""
        return self._assoc

    def is_assoc(self):
        return bool(self._assoc)

    def get_cl_name(self):
        return self._cl_name

    def set_cl_name(self, class_name):
        self._cl_name = str(class_name)

    def set_default_properties(self, props):
        """The attribute's default configuration: a copy of props, as cppTango takes it."""
        if not isinstance(props, UserDefaultAttrProp):
            raise TypeError(f"set_default_properties takes a UserDefaultAttrProp, not {type(props).__name__}")
        copied = UserDefaultAttrProp()
        copied._properties = dict(props._properties)
        copied._enum_labels = list(props._enum_labels)
        self._props = copied

    def get_user_default_properties(self):
        """The default properties as cppTango lists them: AttrProperty objects, in its order
        (the event period named "event_period"), without those it ignores."""
        out = []
        for name in _DEFAULT_PROPERTY_NAMES:
            value = self._props._properties.get(name)
            if not value or value.lower() in _NOT_SPECIFIED or _DEFAULT_PERIODS.get(name) == value:
                continue
            if name == "delta_t" and value == "0":
                continue
            out.append(AttrProperty("event_period" if name == "period" else name, value))
        if self._props._enum_labels:
            out.append(AttrProperty("enum_labels", self._props.enum_labels))
        return out

    def get_class_properties(self):
        return list(self._class_props)

    def set_class_properties(self, props):
        self._class_props = list(props)

    def get_polling_period(self):
        return self._polling

    def set_polling_period(self, period):
        self._polling = int(period)

    def set_memorized(self):
        """Memorize the written value in the database; cppTango's conditions: a writable scalar,
        neither DevState nor DevEncoded."""
        if self._format != AttrDataFormat.SCALAR:
            why = "is not scalar and can not be memorized"
        elif self._type in (CmdArgType.DevState, CmdArgType.DevEncoded):
            why = "can not be memorized"
        elif self._writable in (AttrWriteType.READ, AttrWriteType.READ_WITH_WRITE):
            why = "is not writable and therefore can not be memorized"
        else:
            self._memorized = True
            return
        _throw("API_AttrWrongDefined", f"Attribute : {self.name} {why}", "Attr::set_memorized")

    def set_memorized_init(self, write_on_init):
        self._memorized_init = bool(write_on_init)

    def get_memorized(self):
        return self._memorized

    def get_memorized_init(self):
        return self._memorized_init

    def set_change_event(self, implemented, detect=True):
        self._events["change_event_implemented"] = bool(implemented)
        self._events["change_event_detect"] = bool(detect)

    def is_change_event(self):
        return self._events.get("change_event_implemented", False)

    def is_check_change_criteria(self):
        return self._events.get("change_event_detect", True)

    def set_archive_event(self, implemented, detect=True):
        self._events["archive_event_implemented"] = bool(implemented)
        self._events["archive_event_detect"] = bool(detect)

    def is_archive_event(self):
        return self._events.get("archive_event_implemented", False)

    def is_check_archive_criteria(self):
        return self._events.get("archive_event_detect", True)

    def set_alarm_event(self, implemented, detect=True):
        self._events["alarm_event_implemented"] = bool(implemented)
        self._events["alarm_event_detect"] = bool(detect)

    def is_alarm_event(self):
        return self._events.get("alarm_event_implemented", False)

    def set_data_ready_event(self, implemented):
        self._events["data_ready_event_implemented"] = bool(implemented)

    def is_data_ready_event(self):
        return self._events.get("data_ready_event_implemented", False)

    def _make_spec(self, name, fget, fset, fisallowed, hint, prefix, write_with_attr=False):
        """(AttrSpec, {method name: function}), as attribute._make_spec."""
        retyped = self._typed_by_hints(fget, fset)
        if retyped is not None:
            return retyped._make_spec(name, fget, fset, fisallowed, hint, prefix, write_with_attr)
        methods = {}
        read_method = write_method = allowed_method = ""
        if fget is not None and self._writable != AttrWriteType.WRITE:
            read_method = f"{prefix}_read_{name}"
            methods[read_method] = fget
        if fset is not None and self._writable != AttrWriteType.READ:
            write_method = f"{prefix}_write_{name}"
            methods[write_method] = fset
        if fisallowed is not None:
            allowed_method = f"{prefix}_allowed_{name}"
            methods[allowed_method] = fisallowed
        spec = AttrSpec(
            name=name, dtype=int(self._type), dformat=self._format, access=self._writable,
            display_level=self._level, max_dim_x=self._max[0], max_dim_y=self._max[1],
            read_method=read_method, write_method=write_method, is_allowed_method=allowed_method,
            read_with_attr=fget is not None and _accepts_attr(fget), write_with_attr=write_with_attr,
            properties=dict(self._props._properties), enum_labels=list(self._props._enum_labels),
            memorized=self._memorized, hw_memorized=self._memorized and self._memorized_init,
            polling_period=self._polling, **self._events,
        )
        return spec, methods

    def _typed_by_hints(self, fget, fset):
        """The attribute retyped from its handlers' type hints, for an AttrData given no dtype
        (the read handler's return hint, else the write handler's last one), else None."""
        data = self._attr_data
        if data is None or data.has_dtype_kword:
            return None
        type_hint = None
        if fget is not None and self._writable != AttrWriteType.WRITE:
            type_hint = getattr(fget, "__annotations__", {}).get("return")
        if type_hint is None and fset is not None and self._writable != AttrWriteType.READ:
            annotations = list(getattr(fset, "__annotations__", {}).values())
            type_hint = annotations[-1] if annotations else None
        if not type_hint:
            return None
        return data._typed_by_hint(type_hint)

    def check_type(self):
        """A DevFailed if the data type is not one an attribute can have."""
        if self._type not in _ATTRIBUTE_TYPES:
            _throw("API_AttrWrongDefined", f"Attribute : {self.name}: data type {self._type.name} not supported",
                   "Attr::check_type")

    def is_allowed(self, device, request_type):
        """The class-level answer (cppTango's default: allowed); a device's is_<name>_allowed
        is what add_attribute and the tables use."""
        return True

    def __repr__(self):
        return f"{type(self).__name__}({self.name})"

    __str__ = __repr__


def _throw(reason, desc, origin):
    from ..errors import Except

    Except.throw_exception(reason, desc, origin)


class SpectrumAttr(Attr):
    """A 1-D attribute of at most max_x elements."""

    _format = AttrDataFormat.SPECTRUM

    def __init__(self, name, data_type, w_type, max_x):
        super().__init__(name, data_type, w_type)
        max_x = int(max_x)
        where = f"{type(self).__name__}::{type(self).__name__}"
        if max_x <= 0:
            _throw("API_AttrWrongDefined", f"Attribute : {self.name}: Maximum x dim. wrongly defined", where)
        if self._type == CmdArgType.DevEncoded:
            _throw("API_AttrWrongDefined",
                   f"Attribute: {self.name}: DevEncode data type allowed only for SCALAR attribute", where)
        self._max = (max_x, 0)


class ImageAttr(SpectrumAttr):
    """A 2-D attribute of at most max_x by max_y elements."""

    _format = AttrDataFormat.IMAGE

    def __init__(self, name, data_type, w_type, max_x, max_y):
        super().__init__(name, data_type, w_type, max_x)
        max_y = int(max_y)
        if max_y <= 0:
            _throw("API_AttrWrongDefined", f"Attribute : {self.name}: Maximum y dim. wrongly defined",
                   "ImageAttr::ImageAttr")
        self._max = (self._max[0], max_y)


class UserDefaultFwdAttrProp:
    """The default configuration of a forwarded attribute: its label only."""

    def __init__(self):
        self._label = ""

    def set_label(self, value):
        self._label = _prop_str(value)

    def __repr__(self):
        return f"UserDefaultFwdAttrProp(label={self._label!r})"


class FwdAttr(Attr):
    """A forwarded attribute: a local name for an attribute of another device (its root
    attribute, named by the attribute property __root_att in the database); its type, format,
    write type and configuration are the root attribute's."""

    def __init__(self, name, root_attribute=""):
        super().__init__(name, CmdArgType.DevDouble, AttrWriteType.READ)
        self._root = str(root_attribute)
        self._label = ""

    def set_default_properties(self, props):
        if not isinstance(props, UserDefaultFwdAttrProp):
            raise TypeError(f"FwdAttr.set_default_properties takes a UserDefaultFwdAttrProp, not "
                            f"{type(props).__name__}")
        self._label = props._label

    def get_user_default_properties(self):
        return [AttrProperty("label", self._label)] if self._label else []

    def _make_spec(self, name, fget, fset, fisallowed, hint, prefix, write_with_attr=False):
        if self._root:
            raise NotImplementedError(f"FwdAttr {name}: give its root attribute as the __root_att attribute "
                                      "property in the database, not to the constructor")
        props = {"label": self._label} if self._label else {}
        return AttrSpec(name=name, dtype=int(CmdArgType.DevDouble), dformat=AttrDataFormat.SCALAR,
                        access=AttrWriteType.READ, forwarded=True, properties=props), {}


class MultiClassAttribute:
    """The attributes a device class declares (``DeviceClass.get_class_attr()``): ``Attr``
    objects by name, in declaration order."""

    def __init__(self, attrs=()):
        self._attrs = list(attrs)

    def get_attr(self, attr_name):
        wanted = str(attr_name).lower()
        for attr in self._attrs:
            if attr.get_name().lower() == wanted:
                return attr
        _throw("API_AttrOptProp", f"Attribute {attr_name} not found in class attribute(s)",
               "MultiClassAttribute.get_attr")

    def get_attr_list(self):
        return tuple(self._attrs)

    def remove_attr(self, attr_name, cl_name=None):
        attr = self.get_attr(attr_name)
        self._attrs.remove(attr)
