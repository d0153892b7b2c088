"""Base class of every Tango enumeration (DevState, AttrQuality, CmdArgType, ...).

The compiled module declares its enums as subclasses of TangoEnum (pybind11 native enums), so
they are real ``enum.IntEnum`` types: they compare and hash as ints, and they print as their
name (``str(DevState.ON) == "ON"``), as PyTango users expect. Plain IntEnum prints the number
since Python 3.11.
"""

import enum

_INT_FORMATS = set("bcdoxXn")


class TangoEnum(enum.IntEnum):
    def __str__(self):
        return self.name

    def __repr__(self):
        return f"tango.{type(self).__name__}.{self.name}"

    def __format__(self, spec):
        if spec and spec[-1] in _INT_FORMATS:
            return format(int(self), spec)
        return format(self.name, spec)
