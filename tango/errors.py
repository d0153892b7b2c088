"""Tango errors: DevFailed and its subclasses, as raised by every call into Tango.

``DevFailed.args`` is the Tango error stack: a tuple of :class:`tango.DevError`, the first one
being the root cause (its ``reason``, ``desc``, ``origin`` and ``severity``).
"""

from ._tango import DevError, ErrSeverity

__all__ = [
    "DevFailed", "ConnectionFailed", "CommunicationFailed", "WrongNameSyntax", "NonDbDevice",
    "WrongData", "NonSupportedFeature", "AsynCall", "AsynReplyNotArrived", "EventSystemFailed",
    "DeviceUnlocked", "NotAllowed", "NamedDevFailed", "NamedDevFailedList", "StdNamedDevFailedVector", "DevError",
    "Except",
]


class DevFailed(Exception):
    """A Tango call failed. ``args`` holds the error stack (DevError, root cause first).

    Printed as PyTango prints it, whatever the subclass: ``str`` is ``DevFailed[`` and each
    error's own ``str``, indented, separated by commas; ``repr`` is ``DevFailed(args = (...))``.
    """

    def __str__(self):
        errors = ",\n".join(str(err).strip() for err in self.args)
        return f"DevFailed[\n{_indented(errors)}\n]"

    def __repr__(self):
        return f"DevFailed(args = {self.args!r})"


def _indented(text):
    # textwrap.indent(text.strip(), 4 spaces), without importing textwrap (and re) at import
    return "".join("    " + line if line.strip() else line for line in text.strip().splitlines(True))


class ConnectionFailed(DevFailed):
    """The device could not be reached (not running, wrong host or port, not exported)."""


class CommunicationFailed(DevFailed):
    """The device was reached but the call did not complete (timeout, server died)."""


class WrongNameSyntax(DevFailed):
    """A device, attribute or property name is not well formed."""


class NonDbDevice(DevFailed):
    """A database call was made on a device used without a database."""


class WrongData(DevFailed):
    """The data sent or received does not have the expected type."""


class NonSupportedFeature(DevFailed):
    """The device (its IDL version) does not support this call."""


class AsynCall(DevFailed):
    """An asynchronous call failed."""


class AsynReplyNotArrived(DevFailed):
    """The reply of an asynchronous call has not arrived yet."""


class EventSystemFailed(DevFailed):
    """Subscribing to, or receiving, events failed."""


class DeviceUnlocked(DevFailed):
    """The device lock was lost."""


class NotAllowed(DevFailed):
    """The call is not allowed (for instance on a locked device)."""


class NamedDevFailed:
    """One attribute's failure in a write_attributes call (an item of ``err_list``)."""

    __slots__ = ("_name", "_idx_in_call", "_err_stack")

    def __init__(self, name, idx_in_call, err_stack):
        self._name = str(name)
        self._idx_in_call = int(idx_in_call)
        self._err_stack = tuple(err_stack)

    name = property(lambda self: self._name, doc="The attribute's name.")
    idx_in_call = property(lambda self: self._idx_in_call, doc="Its index in the call's list.")
    err_stack = property(lambda self: self._err_stack, doc="Its errors (DevError, root cause first).")

    def __repr__(self):
        return (f"NamedDevFailed(err_stack = {self._err_stack!r}, idx_in_call = {self._idx_in_call!r}, "
                f"name = {self._name!r})")


class StdNamedDevFailedVector(list):
    """A list of NamedDevFailed (PyTango's container of them)."""

    def __repr__(self):
        return "[" + ", ".join(repr(item) for item in self) + "]"


class NamedDevFailedList(DevFailed):
    """Several attributes of one write_attributes call failed; see ``err_list``."""

    _failed = ()

    @property
    def err_list(self):
        """A list of NamedDevFailed: attribute name, index in the call, errors."""
        return [NamedDevFailed(*failed) for failed in self._failed]

    def get_faulty_attr_nb(self):
        return len(self._failed)


def _error_fields(error):
    """What compare_exception compares of one error (anything else than a DevError: itself)."""
    if isinstance(error, DevError):
        return (error.severity, error.origin, error.reason, error.desc)
    return (error,)


def _error(reason, desc, origin, severity=ErrSeverity.ERR):
    return DevError(str(reason), str(desc), str(origin), ErrSeverity(severity))


class Except:
    """Helpers to raise and re-raise DevFailed, as in cppTango's Tango::Except."""

    @staticmethod
    def throw_exception(reason, desc, origin, severity=ErrSeverity.ERR):
        raise DevFailed(_error(reason, desc, origin, severity))

    @staticmethod
    def re_throw_exception(ex, reason, desc, origin, severity=ErrSeverity.ERR):
        # cppTango appends: the root cause stays first, the new context comes last
        raise type(ex)(*ex.args, _error(reason, desc, origin, severity)) from ex

    @staticmethod
    def throw_python_exception(type=None, value=None, traceback=None):
        """Raise the Python exception (default: the one being handled) as a DevFailed (see
        to_dev_failed)."""
        raise Except.to_dev_failed(type, value, traceback)

    @staticmethod
    def to_dev_failed(exc_type=None, exc_value=None, traceback=None):
        """A Python exception (default: the one being handled) as a DevFailed, as PyTango makes
        it: reason PyDs_PythonError, desc the exception's own text (``ValueError: boom``), origin
        the whole traceback. A DevFailed stays itself."""
        import sys
        import traceback as tb

        if exc_type is None:
            exc_type, exc_value, traceback = sys.exc_info()
        if isinstance(exc_value, DevFailed):
            return exc_value
        if exc_value is None:
            return DevFailed(_error("PyDs_BadPythonException", "A badly formed exception has been received",
                                    "Py_to_dev_failed"))
        desc = "".join(tb.format_exception_only(exc_type, exc_value))
        origin = "".join(tb.format_exception(exc_type, exc_value, traceback))
        return DevFailed(_error("PyDs_PythonError", desc, origin))

    @staticmethod
    def compare_exception(ex1, ex2):
        """True when two DevFailed have the same error stack: as many errors, each pair with the
        same reason, desc, origin and severity (compared exactly, as cppTango does)."""
        for ex in (ex1, ex2):
            if not isinstance(ex, DevFailed):
                raise TypeError(f"compare_exception compares two DevFailed, not {type(ex).__name__}")
        if len(ex1.args) != len(ex2.args):
            return False
        return all(_error_fields(e1) == _error_fields(e2) for e1, e2 in zip(ex1.args, ex2.args))

    @staticmethod
    def print_exception(ex):
        print(str(ex))

    @staticmethod
    def print_error_stack(errors):
        for err in errors:
            print(repr(err))
