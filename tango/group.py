"""tango.Group: many devices addressed as one, on cppTango's Tango::Group (ext/client/group.cpp).

A request goes to every device of the group (and of its sub-groups, with ``forward=True``) at
once; the reply is a list with one GroupReply per device, in the order the devices were added,
and one device that fails never hides the others' results::

    group = tango.Group("supplies")
    group.add(["sr/ps/1", "sr/ps/2"])
    for reply in group.read_attribute("current"):
        print(reply.dev_name(), reply.get_data().value if not reply.has_failed() else reply.get_err_stack())

Device names are resolved as the proxies resolve them (a test context's host for a name without
one); patterns (``sr/ps/*``) are looked up in the database.
"""

from collections.abc import Sequence

from . import _tango
from ._test_context_host import _get_device_fqtrl_if_necessary
from .device_proxy import DeviceProxy
from .group_reply import GroupAttrReplyList, GroupCmdReplyList, GroupReplyList

__all__ = ["Group"]


def _resolved(name):
    """A device name or pattern (``a/b/c``) as the proxies resolve it; a group name as it is."""
    return _get_device_fqtrl_if_necessary(name) if name.count("/") >= 2 else name


def _expanded(name):
    """A pattern with its database's host in it (``tango://h:p/sr/ps/*``) as the exported
    devices it matches, each with that host: cppTango would keep only the bare device names,
    which a proxy then looks up in TANGO_HOST's database instead of the one the pattern named.
    Anything else is left to cppTango (a bare pattern goes to TANGO_HOST's database)."""
    if "*" not in name or not name.startswith("tango://") or "#" in name:
        return [name]
    host, _, pattern = name[len("tango://"):].partition("/")
    db_host, _, port = host.rpartition(":")
    from .db import Database

    exported = Database(db_host, int(port)).get_device_exported(pattern)
    return [f"tango://{host}/{device}" for device in exported]


def _names(patterns):
    """One name, or a sequence of them (a list, a StdStringVector), as a list of resolved names."""
    if isinstance(patterns, str):
        patterns = [patterns]
    elif not isinstance(patterns, (Sequence, _tango.StdStringVector)):
        raise TypeError(f"expected a device name, a sequence of names or a Group, not {type(patterns).__name__}")
    names = []
    for name in patterns:
        if not isinstance(name, str):
            raise TypeError(f"a device name must be a str, not {type(name).__name__}")
        names.append(_resolved(name))
    return names


class Group:
    """A group of devices (and of other groups), named ``name``."""

    def __init__(self, name):
        if isinstance(name, _tango.GroupCore):  # a sub-group of an existing tree (get_group)
            self._core = name
        elif isinstance(name, str):
            self._core = _tango.GroupCore(name)
        else:
            raise TypeError(f"a group's name must be a str, not {type(name).__name__}")

    # -- members ------------------------------------------------------------------------------

    def add(self, patterns_or_group, timeout_ms=-1):
        """Adds devices by name or pattern (one, or a sequence), or a sub-group. A sub-group moves
        into this one: its Group object still works, as part of this tree."""
        if isinstance(patterns_or_group, Group):
            self._core.add_group(patterns_or_group._core, timeout_ms)
        else:
            names = []
            for name in _names(patterns_or_group):
                names += _expanded(name)
            self._core.add_names(names, timeout_ms)

    def remove(self, patterns, forward=True):
        """Removes the devices (and sub-groups) whose names match ``patterns``."""
        self._core.remove(_names(patterns), forward)

    def remove_all(self):
        self._core.remove_all()

    def contains(self, pattern, forward=True):
        return self._core.contains(_resolved(pattern), forward) or self._core.contains(pattern, forward)

    def __contains__(self, pattern):
        return self.contains(pattern)

    def get_device(self, name_or_index):
        """A DeviceProxy of a member device, by name or by its 1-based position; KeyError (a name)
        or IndexError (a position) when there is none."""
        if isinstance(name_or_index, int) and not isinstance(name_or_index, bool):
            trl = self._core.device_trl(name_or_index)
            if trl is None:
                raise IndexError(f"group '{self.get_name()}' has no device {name_or_index} "
                                 f"(it has {self.get_size()})")
        else:
            trl = self._core.device_trl(_resolved(name_or_index))
            if trl is None:  # members found by pattern have the names the database gave
                trl = self._core.device_trl(name_or_index)
            if trl is None:
                raise KeyError(f"{name_or_index} is not a device of group '{self.get_name()}'")
        return DeviceProxy(trl)

    def __getitem__(self, name_or_index):
        return self.get_device(name_or_index)

    def __delitem__(self, key):
        """``del group[key]``: ``remove(key)``, for a name or pattern of devices or sub-groups
        (or a sequence of them; one that matches nothing is no error, as in remove). An int is
        a device's 1-based position, as ``group[i]`` (IndexError when there is none); a slice,
        ``start`` to ``stop`` (excluded) by ``step``, the devices at those positions, all found
        before any is removed."""
        if isinstance(key, slice):
            if key.start is None or key.stop is None:
                raise TypeError("del group[start:stop]: a slice of device positions needs its start and stop")
            positions = range(key.start, key.stop, key.step or 1)
            self.remove([self._device_name_at(i) for i in positions])
        elif isinstance(key, int) and not isinstance(key, bool):
            self.remove(self._device_name_at(key))
        else:
            self.remove(key)

    def _device_name_at(self, position):
        trl = self._core.device_trl(position)
        if trl is None:
            raise IndexError(f"group '{self.get_name()}' has no device {position} (it has {self.get_size()})")
        return trl

    def get_device_list(self, forward=True):
        return self._core.get_device_list(forward)

    def get_size(self, forward=True):
        return self._core.get_size(forward)

    def __len__(self):
        return self.get_size()

    def get_group(self, group_name):
        """The sub-group named ``group_name`` (in the whole tree), or None."""
        core = self._core.get_group(group_name)
        if core is None:
            return None
        return self if core is self._core else Group(core)

    def get_name(self):
        return self._core.get_name()

    def get_fully_qualified_name(self):
        """The name with its parents' (``root.sub``)."""
        return self._core.get_fully_qualified_name()

    def enable(self, device_name=None, forward=True):
        """Enables the group, or only one of its devices."""
        if device_name is None:
            self._core.enable()
        else:
            self._core.enable_device(_resolved(device_name), forward)

    def disable(self, device_name=None, forward=True):
        """Disables the group (it is left out of its parent's requests), or one of its devices
        (which then replies with group_element_enabled() False)."""
        if device_name is None:
            self._core.disable()
        else:
            self._core.disable_device(_resolved(device_name), forward)

    def is_enabled(self, device_name=None, forward=True):
        if device_name is None:
            return self._core.is_enabled()
        return self._core.is_device_enabled(_resolved(device_name), forward)

    def name_equals(self, name):
        return self._core.name_equals(name)

    def name_matches(self, pattern):
        return self._core.name_matches(pattern)

    def ping(self, forward=True):
        """True when every device answers."""
        return self._core.ping(forward)

    def set_timeout_millis(self, timeout_ms):
        self._core.set_timeout_millis(timeout_ms)

    def __repr__(self):
        return f"Group({self.get_name()!r}, {self.get_size()} devices)"

    # -- commands -------------------------------------------------------------------------------

    def command_inout_asynch(self, cmd_name, param=None, forget=False, forward=True, reserved=-1):
        """Sends the command to every device; returns the request id for command_inout_reply.

        ``param``: None, one argument for every device (a value or a DeviceData), or one per
        device (a DeviceDataList, a sequence of DeviceData, a sequence of values for a scalar
        command, a sequence of sequences for an array command)."""
        return self._core.command_inout_asynch(cmd_name, param, forget, forward)

    def command_inout_reply(self, req_id, timeout_ms=0):
        """The replies of request ``req_id`` (timeout_ms 0: as long as the devices take)."""
        return GroupCmdReplyList(self._core.command_inout_reply(req_id, timeout_ms))

    def command_inout(self, cmd_name, param=None, forward=True):
        """Runs the command on every device: a GroupCmdReplyList."""
        return self.command_inout_reply(self._core.command_inout_asynch(cmd_name, param, False, forward))

    # -- attributes -----------------------------------------------------------------------------

    def read_attribute_asynch(self, attr_name, forward=True, reserved=-1):
        return self._core.read_attributes_asynch([attr_name], forward)

    def read_attribute_reply(self, req_id, timeout_ms=0):
        return GroupAttrReplyList(self._core.read_attributes_reply(req_id, timeout_ms))

    def read_attribute(self, attr_name, forward=True):
        """Reads the attribute of every device: a GroupAttrReplyList."""
        return self.read_attribute_reply(self._core.read_attributes_asynch([attr_name], forward))

    def read_attributes_asynch(self, attr_names, forward=True, reserved=-1):
        return self._core.read_attributes_asynch(_attribute_names(attr_names), forward)

    def read_attributes_reply(self, req_id, timeout_ms=0):
        return GroupAttrReplyList(self._core.read_attributes_reply(req_id, timeout_ms))

    def read_attributes(self, attr_names, forward=True):
        """Reads the attributes of every device: one reply per device and attribute."""
        return self.read_attributes_reply(self._core.read_attributes_asynch(_attribute_names(attr_names), forward))

    def write_attribute_asynch(self, attr_name, value, forward=True, multi=False):
        """Writes ``value`` to every device (``multi=True``: ``value`` holds one value per device).
        ``attr_name`` may be the attribute's AttributeInfo(Ex), which spares asking its type."""
        if isinstance(attr_name, str):
            return self._core.write_attribute_asynch(attr_name, value, multi, forward)
        return self._core.write_attribute_asynch(attr_name.name, value, multi, forward, attr_name)

    def write_attribute_reply(self, req_id, timeout_ms=0):
        return GroupReplyList(self._core.write_attribute_reply(req_id, timeout_ms))

    def write_attribute(self, attr_name, value, forward=True, multi=False):
        """Writes the attribute of every device: a GroupReplyList."""
        return self.write_attribute_reply(self.write_attribute_asynch(attr_name, value, forward, multi))


def _attribute_names(attr_names):
    if isinstance(attr_names, str):
        return [attr_names]
    return list(attr_names)
