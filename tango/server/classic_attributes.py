"""The classic (Pogo) attribute objects: ``Attr``, ``SpectrumAttr``, ``ImageAttr`` and
``UserDefaultAttrProp``, as PyTango has them, for ``Device.add_attribute``:

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

__all__ = ["Attr", "SpectrumAttr", "ImageAttr", "UserDefaultAttrProp"]


class UserDefaultAttrProp:
    """The default configuration of an attribute, set property by property."""

    def __init__(self):
        self._properties = {}
        self._enum_labels = []

    def _set(self, tango_name, value):
        self._properties[tango_name] = _prop_str(value)

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
        self._polling = 0
        self._memorized = self._memorized_init = False
        self._events = {}
        # what add_attribute looks for (an attribute(...) keeps its methods there too)
        self.fget = self.fset = self.fisallowed = None

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

    def set_default_properties(self, props):
        if not isinstance(props, UserDefaultAttrProp):
            raise TypeError(f"set_default_properties takes a UserDefaultAttrProp, not {type(props).__name__}")
        self._props = props

    def get_polling_period(self):
        return self._polling

    def set_polling_period(self, period):
        self._polling = int(period)

    def set_memorized(self):
        self._memorized = True

    def set_memorized_init(self, write_on_init):
        self._memorized_init = bool(write_on_init)

    def is_memorized(self):
        return self._memorized

    def get_memorized_init(self):
        return self._memorized_init

    def set_change_event(self, implemented, detect=True):
        self._events["change_event_implemented"] = bool(implemented)
        self._events["change_event_detect"] = bool(detect)

    def set_archive_event(self, implemented, detect=True):
        self._events["archive_event_implemented"] = bool(implemented)
        self._events["archive_event_detect"] = bool(detect)

    def set_alarm_event(self, implemented, detect=True):
        self._events["alarm_event_implemented"] = bool(implemented)
        self._events["alarm_event_detect"] = bool(detect)

    def set_data_ready_event(self, implemented):
        self._events["data_ready_event_implemented"] = bool(implemented)

    def _make_spec(self, name, fget, fset, fisallowed, hint, prefix, write_with_attr=False):
        """(AttrSpec, {method name: function}), as attribute._make_spec."""
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

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, {self._type!r}, {self._writable!r})"


class SpectrumAttr(Attr):
    """A 1-D attribute of at most max_x elements."""

    _format = AttrDataFormat.SPECTRUM

    def __init__(self, name, data_type, w_type, max_x):
        super().__init__(name, data_type, w_type)
        self._max = (int(max_x), 0)


class ImageAttr(Attr):
    """A 2-D attribute of at most max_x by max_y elements."""

    _format = AttrDataFormat.IMAGE

    def __init__(self, name, data_type, w_type, max_x, max_y):
        super().__init__(name, data_type, w_type)
        self._max = (int(max_x), int(max_y))


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
        from ..errors import Except

        Except.throw_exception("API_AttrOptProp", f"Attribute {attr_name} not found in class attribute(s)",
                               "MultiClassAttribute.get_attr")

    def get_attr_list(self):
        return tuple(self._attrs)

    def remove_attr(self, attr_name, cl_name=None):
        attr = self.get_attr(attr_name)
        self._attrs.remove(attr)
