"""Base class of every Tango enumeration (DevState, AttrQuality, CmdArgType, ...).

The compiled module declares its enums as subclasses of TangoEnum (pybind11 native enums), so
they are real ``enum.IntEnum`` types: they compare and hash as ints, print as their name
(``str(DevState.ON) == "ON"``, where plain IntEnum prints the number since Python 3.11) and show
as ``<DevState.ON: 0>``, as in PyTango.

Each enum class also has PyTango's two lookup tables, read-only and made on each access (they
are small, and a dict kept on the class could be changed by a caller):

- ``DevState.names``: name -> member, the same mapping as ``__members__``;
- ``DevState.values``: int value -> member, in definition order.
"""

import enum

_INT_FORMATS = set("bcdoxXn")


class TangoEnumType(enum.EnumMeta):
    # Properties of the metaclass: class attributes of every enum that are not members.
    @property
    def names(cls):
        """name -> member, as ``__members__``."""
        return dict(cls.__members__)

    @property
    def values(cls):
        """int value -> member."""
        return {int(member): member for member in cls.__members__.values()}


class TangoEnum(enum.IntEnum, metaclass=TangoEnumType):
    def __str__(self):
        return self.name

    def __format__(self, spec):
        if spec and spec[-1] in _INT_FORMATS:
            return format(int(self), spec)
        return format(self.name, spec)
