"""``device_property`` and ``class_property``: configuration read before init_device.

    host = device_property(dtype=str, default_value="localhost")
    port: int = device_property(default_value=5000)        # type from the hint

Values come from the Tango database, or, without one, from the test context (its file
database); a property that is not set takes its default value (or None).
"""

from .._tango import AttrDataFormat, CmdArgType
from .dtypes import from_dtype

__all__ = ["device_property", "class_property"]

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _convert_one(tango_type, text):
    if tango_type == CmdArgType.DevBoolean:
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"{text!r} is not a boolean")
    if tango_type in (CmdArgType.DevFloat, CmdArgType.DevDouble):
        return float(text)
    if tango_type == CmdArgType.DevString:
        return text
    return int(text, 0) if isinstance(text, str) else int(text)


class _Property:
    kind = "device"

    def __init__(self, dtype=None, doc="", default_value=None, mandatory=False, update_db=False):
        self.dtype = dtype
        self.doc = doc
        self.default_value = default_value
        self.mandatory = mandatory
        self.update_db = update_db
        self.name = None
        self._resolved = None

    def __set_name__(self, owner, name):
        self.name = name

    def _resolve(self, hint=None):
        dtype = self.dtype if self.dtype is not None else hint
        if dtype is None and self.default_value is not None:
            dtype = type(self.default_value) if not isinstance(self.default_value, (list, tuple)) else (
                (type(self.default_value[0]),) if self.default_value else (str,))
        if dtype is None:
            dtype = str
        resolved = from_dtype(dtype)
        self._resolved = (resolved.dtype, resolved.dformat != AttrDataFormat.SCALAR)

    def convert(self, strings):
        """The typed value of the strings stored in the database."""
        tango_type, is_array = self._resolved
        if is_array:
            return [_convert_one(tango_type, s) for s in strings]
        if not strings:
            return None
        if tango_type == CmdArgType.DevString and len(strings) > 1:
            return "\n".join(strings)
        return _convert_one(tango_type, strings[0])

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        values = instance.__dict__.get("_tango_properties", {})
        if self.name in values:
            return values[self.name]
        return self.default_value


class device_property(_Property):
    """A property of each device; a mandatory one must be set (it has no default)."""

    kind = "device"

    def __init__(self, dtype=None, doc="", mandatory=False, default_value=None, update_db=False):
        if mandatory and default_value is not None:
            raise ValueError("a mandatory device property has no default_value: its value must be "
                             "set in the database")
        super().__init__(dtype, doc, default_value, mandatory, update_db)


class class_property(_Property):
    """A property of the device class, shared by its devices."""

    kind = "class"

    def __init__(self, dtype=None, doc="", default_value=None, update_db=False):
        super().__init__(dtype, doc, default_value, False, update_db)
