"""What every client connection has in Python, DeviceProxy and Database alike: command_inout
and its asynchronous forms with PyTango's argument conventions. Their compiled half is bound
once for the family (ext/client/connection.hpp, bind_connection_calls); ``Connection`` is the
compiled base class of both."""

import inspect

from ._tango import Connection, ExtractAs

__all__ = ("Connection", "ConnectionCommands")


def reply_timeout(timeout):
    """Reply timeouts: milliseconds; None does not wait, 0 waits for ever (as cppTango)."""
    return None if timeout is None else int(timeout)


def _is_callback(obj):
    return hasattr(obj, "cmd_ended") or inspect.isfunction(obj) or inspect.ismethod(obj)


class ConnectionCommands:
    """The command calls of a connection (mixed in before the compiled class)."""

    # how command results are extracted (PyTango's attribute of the same name)
    defaultCommandExtractAs = ExtractAs.Numpy

    def command_inout(self, cmd_name, cmd_param=None):
        """Run a command with an optional argument; returns its result (None for DevVoid)."""
        return self._command_inout(cmd_name, cmd_param, self.defaultCommandExtractAs)

    def command_inout_asynch(self, cmd_name, cmd_param=None, forget=False):
        """Start a command: an id for command_inout_reply, or (a callback given as the 2nd or
        3rd argument) cb.cmd_ended(event) once it ends; forget=True asks for no reply."""
        cb = None
        if callable(forget) or hasattr(forget, "cmd_ended"):
            cb, forget = forget, False
        elif cmd_param is not None and _is_callback(cmd_param):
            cb, cmd_param = cmd_param, None
        return self._command_inout_asynch(cmd_name, cmd_param, bool(forget), cb)

    def command_inout_reply(self, idx, timeout=None, extract_as=None):
        """The result of command_inout_asynch ``idx`` (timeout in ms: None does not wait, 0
        waits for ever)."""
        ex = self.defaultCommandExtractAs if extract_as is None else extract_as
        return self._command_inout_reply(idx, reply_timeout(timeout), ex)
