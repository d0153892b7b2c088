"""``tango.time_val``: where PyTango defines its TimeVal helpers. pytango's TimeVal is compiled
(``totime``, ``todatetime``, ``fromtimestamp``, ``now``... are its own methods); it is here too
for code that imports it from this module."""

from ._tango import TimeVal

__all__ = ["TimeVal"]
