"""The storage interface of the database server: what the DataBase device asks of a backend,
as operations on records, so that sqlite (sqlite_backend.py) and redis (redis_backend.py) can
hold the same data their own way.

Names (of devices, servers, classes, properties, aliases...) are matched without regard to case,
as the C++ DataBaseds's MariaDB does, and keep the spelling they were stored with. A *pattern*
is a Tango wildcard: ``*`` matches any run of characters, everything else itself, ignoring case.
Lists come sorted without regard to case.

Reads are methods of the store. Writes are methods of the transaction that
``with store.transaction() as tx:`` gives: they are applied together when the block ends, or
not at all if it raises, and an acknowledged command survives a kill -9 of the server. The
device reads what it needs before it writes: a backend need not show a transaction its own
writes. cppTango runs the device's commands one at a time; the store is also safe to share
between threads.
"""

import abc
import dataclasses
import re


@dataclasses.dataclass
class DeviceRecord:
    name: str
    server: str
    klass: str
    alias: str | None = None
    exported: bool = False
    ior: str = "nada"
    host: str = "nada"
    pid: int = 0
    version: str = "0"
    started: str | None = None  # "YYYY-mm-dd HH:MM:SS"
    stopped: str | None = None

    @property
    def domain(self):
        return self.name.split("/")[0]

    @property
    def family(self):
        return self.name.split("/")[1]

    @property
    def member(self):
        return self.name.split("/")[2]


@dataclasses.dataclass
class EventRecord:
    name: str
    exported: bool
    ior: str
    host: str
    pid: int
    version: str
    started: str | None = None
    stopped: str | None = None


@dataclasses.dataclass
class HistoryEntry:
    sub: str     # the attribute or pipe of a two-level kind, "" otherwise
    name: str
    date: str
    values: list  # [] for a deletion


# The kinds of property owner: free objects, devices, classes (one level), and the attributes
# and pipes of devices and classes (two levels: owner, then the attribute or pipe: ``sub``).
FREE, DEVICE, CLASS = "free", "device", "class"
DEVICE_ATTRIBUTE, CLASS_ATTRIBUTE = "device_attribute", "class_attribute"
DEVICE_PIPE, CLASS_PIPE = "device_pipe", "class_pipe"
KINDS = (FREE, DEVICE, CLASS, DEVICE_ATTRIBUTE, CLASS_ATTRIBUTE, DEVICE_PIPE, CLASS_PIPE)
TWO_LEVEL = frozenset((DEVICE_ATTRIBUTE, CLASS_ATTRIBUTE, DEVICE_PIPE, CLASS_PIPE))
DEVICE_KINDS = (DEVICE, DEVICE_ATTRIBUTE, DEVICE_PIPE)  # what a deleted device takes with it

DEVICE_FIELDS = frozenset(f.name for f in dataclasses.fields(DeviceRecord))
EVENT_FIELDS = frozenset(f.name for f in dataclasses.fields(EventRecord))


def wildcard(pattern):
    """A Tango wildcard as a compiled regex (whole string, ignoring case)."""
    return re.compile("".join(".*" if c == "*" else re.escape(c) for c in pattern) + r"\Z",
                      re.IGNORECASE | re.DOTALL)


def caseless_sorted(items):
    return sorted(items, key=lambda s: (s.lower(), s))


class StorageError(RuntimeError):
    """The store cannot be used (locked by another server, not writable, corrupt, unreachable)."""


class Storage(abc.ABC):
    # -- devices -------------------------------------------------------------------------------
    @abc.abstractmethod
    def device(self, name):
        """The DeviceRecord named so, else None."""

    @abc.abstractmethod
    def device_of_alias(self, alias):
        """The DeviceRecord with this alias, else None."""

    @abc.abstractmethod
    def devices(self, name="*", server="*", klass="*", host="*", alias=None, exported=None):
        """DeviceRecords matching every pattern given (``alias``: None for any device, a
        pattern for those with a matching alias; ``exported``: None, True or False), by name."""

    # -- servers, events, attribute aliases ----------------------------------------------------
    @abc.abstractmethod
    def server_info(self, server):
        """(host, mode, level) stored for the server, else None."""

    @abc.abstractmethod
    def event(self, name):
        """The EventRecord named so, else None."""

    @abc.abstractmethod
    def attribute_alias(self, alias):
        """The full attribute name (dev/ice/name/attr) of an attribute alias, else None."""

    @abc.abstractmethod
    def alias_of_attribute(self, name):
        """The alias of a full attribute name, else None."""

    @abc.abstractmethod
    def attribute_aliases(self, pattern="*"):
        """The attribute aliases matching the pattern, sorted."""

    # -- properties ----------------------------------------------------------------------------
    @abc.abstractmethod
    def property_values(self, kind, owner, name, sub=""):
        """The values of one property (a list of str, [] if it has none)."""

    @abc.abstractmethod
    def properties(self, kind, owner, sub=""):
        """{name: [values]} of every property of the owner (and sub), sorted by name."""

    @abc.abstractmethod
    def property_names(self, kind, owner, pattern="*", sub=""):
        """The names of the owner's properties that match, sorted."""

    @abc.abstractmethod
    def property_owners(self, kind, pattern="*"):
        """The owners with properties of this kind, matching the pattern, sorted."""

    @abc.abstractmethod
    def property_subs(self, kind, owner, pattern="*"):
        """The attributes (pipes) of the owner with properties, matching the pattern, sorted."""

    @abc.abstractmethod
    def property_history(self, kind, owner, pattern, sub=""):
        """HistoryEntries of the matching properties of the owner (and sub), oldest first."""

    @abc.abstractmethod
    def property_counts(self, kind):
        """(values stored, history entries) of this kind, for DbInfo."""

    # -- writing -------------------------------------------------------------------------------
    @abc.abstractmethod
    def transaction(self):
        """A context manager giving a Transaction, committed when the block ends."""

    @abc.abstractmethod
    def close(self):
        """Release the store (and its lock)."""


class Transaction(abc.ABC):
    @abc.abstractmethod
    def put_device(self, record):
        """Store the DeviceRecord, replacing one of the same name."""

    @abc.abstractmethod
    def update_device(self, name, **fields):
        """Change fields (of DeviceRecord) of the named device; nothing if there is none."""

    @abc.abstractmethod
    def delete_device(self, name):
        """Remove the device record (its properties are deleted with delete_owner)."""

    @abc.abstractmethod
    def put_server_info(self, server, host, mode, level):
        """Store (host, mode, level) for the server, replacing what was there."""

    @abc.abstractmethod
    def delete_server_info(self, server):
        """Remove the server's info."""

    @abc.abstractmethod
    def put_event(self, record):
        """Store the EventRecord, replacing one of the same name."""

    @abc.abstractmethod
    def update_event(self, name, **fields):
        """Change fields (of EventRecord) of the named event; nothing if there is none."""

    @abc.abstractmethod
    def put_attribute_alias(self, alias, name):
        """Make ``alias`` name the attribute ``name`` (dev/ice/name/attr)."""

    @abc.abstractmethod
    def delete_attribute_alias(self, alias):
        """Remove an attribute alias."""

    @abc.abstractmethod
    def set_property(self, kind, owner, name, values, date, sub=""):
        """Replace the values of a property ([] deletes it) and add a history entry for it."""

    @abc.abstractmethod
    def delete_sub(self, kind, owner, sub):
        """Remove every property of one attribute (pipe) of the owner, without history."""

    @abc.abstractmethod
    def delete_owner(self, kind, owner):
        """Remove every property of the owner (all its attributes or pipes), without history."""
