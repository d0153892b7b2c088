"""``tango.AttrData``: the older description of an attribute that ``Device.add_attribute`` takes,
made from a classic attr_list entry (``AttrData(name, class_name, [[type, format, write type,
...], {properties}])``) or from the keywords of ``attribute(...)`` (``AttrData.from_dict``).

It is a front for the two declarations the server already has: a classic ``Attr`` (for the
table form) or an ``attribute`` (for the keyword form), so ``add_attribute`` builds the same
spec from it as from them. Its fields are PyTango's, read from that declaration.
"""

from ._tango import AttrDataFormat, AttrWriteType, CmdArgType, DispLevel

__all__ = ["AttrData"]

class AttrData:
    """An attribute description for ``Device.add_attribute``: its name, the name of its device
    class, and its type, format, write type and default properties."""

    def __init__(self, name, class_name, attr_info=None):
        self.attr_name = str(name)
        self.class_name = class_name
        # the handlers looked up on the device when add_attribute is given none
        self.read_method_name = f"read_{name}"
        self.write_method_name = f"write_{name}"
        self.is_allowed_name = f"is_{name}_allowed"
        self.fget = self.fset = self.fisallowed = None
        self._declaration = None
        if attr_info is not None:
            self.from_attr_info(attr_info)

    @classmethod
    def from_dict(cls, attr_dict):
        """An AttrData from the keywords of ``attribute(...)`` plus ``name`` and ``class_name``;
        ``fread``/``fwrite`` name the read and write handlers (as ``fget``/``fset`` do)."""
        d = dict(attr_dict)
        try:
            name = d.pop("name")
        except KeyError:
            raise TypeError("AttrData.from_dict needs a 'name'") from None
        self = cls(name, d.pop("class_name", None))
        self.build_from_dict(d)
        return self

    def build_from_dict(self, attr_dict):
        from .server.attribute import attribute

        d = dict(attr_dict)
        for old, new in (("fread", "fget"), ("fwrite", "fset")):
            if old in d:
                d[new] = d.pop(old)
        for key, method_field in (("fget", "read_method_name"), ("fset", "write_method_name"),
                                  ("fisallowed", "is_allowed_name")):
            handler = d.get(key)
            if handler is not None:
                setattr(self, method_field, handler if isinstance(handler, str) else handler.__name__)
        decl = attribute(name=self.attr_name, **d)
        self._declaration = decl
        self.fget, self.fset, self.fisallowed = decl.fget, decl.fset, decl.fisallowed
        return self

    def from_attr_info(self, attr_info):
        """Fills this AttrData from a classic attr_list entry."""
        from .server.classic import attr_from_entry

        self._declaration = attr_from_entry(self.attr_name, list(attr_info), f"AttrData({self.attr_name!r})")
        return self

    def _set_name(self, name):
        self.attr_name = str(name)

    # What add_attribute reads: the declaration this AttrData stands for.
    @property
    def name(self):
        return self.attr_name

    def _declaration_for_add(self):
        if self._declaration is None:
            raise TypeError(f"AttrData({self.attr_name!r}) has no type: give attr_info or use from_dict")
        return self._declaration

    # PyTango's fields, read from the declaration
    def _field(self, classic, keyword, default):
        decl = self._declaration
        if decl is None:
            return default
        if hasattr(decl, "kwargs"):  # an attribute(...): its keywords as given
            return decl.kwargs.get(keyword, default)
        return classic(decl)

    @property
    def attr_type(self):
        return self._field(lambda a: a.get_type(), "dtype", CmdArgType.DevVoid)

    @property
    def attr_format(self):
        return self._field(lambda a: a.get_format(), "dformat", AttrDataFormat.SCALAR)

    @property
    def attr_write(self):
        return self._field(lambda a: a.get_writable(), "access", AttrWriteType.READ)

    @property
    def dim_x(self):
        return self._field(lambda a: a._max[0], "max_dim_x", 1)

    @property
    def dim_y(self):
        return self._field(lambda a: a._max[1], "max_dim_y", 0)

    @property
    def display_level(self):
        return self._field(lambda a: a.get_disp_level(), "display_level", DispLevel.OPERATOR)

    @property
    def polling_period(self):
        return self._field(lambda a: a.get_polling_period() or -1, "polling_period", -1)

    @property
    def memorized(self):
        return self._field(lambda a: a.is_memorized(), "memorized", False)

    @property
    def hw_memorized(self):
        return self._field(lambda a: a.is_memorized() and a.get_memorized_init(), "hw_memorized", False)

    def __repr__(self):
        return f"AttrData({self.attr_name!r}, {self.class_name!r})"
