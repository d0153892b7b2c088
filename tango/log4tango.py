"""Logging helpers of device servers: decorators that log entry and exit of a device method, a
stream for ``print(..., file=...)``, and a ``logging.Handler`` into a device's Tango log.

    from tango import DebugIt, InfoIt
    from tango.server import Device, command

    class PowerSupply(Device):
        @command
        @InfoIt(show_args=True, show_ret=True)
        def ramp(self, target: float) -> float:
            ...

logs ``-> PowerSupply.ramp(3.5)`` on entry and ``3.5 <- PowerSupply.ramp()`` on return (or
``<- PowerSupply.ramp() raised exception!``), at INFO level, to the device's logging targets
(console with ``-v``, files and log devices added through the admin device).

``TangoLoggingHandler(device)`` routes the records of a standard ``logging`` logger into the
device's Tango log, so that library code which logs with ``logging`` shows up there too.
"""

import functools
import inspect

__all__ = ["LogIt", "DebugIt", "InfoIt", "WarnIt", "ErrorIt", "FatalIt", "TangoStream",
           "TangoLoggingHandler", "MAX_ARG_LEN"]

# Arguments and results are shown by repr, cut to this many characters ("[...]" ending the cut).
MAX_ARG_LEN = 25
_CUT_MARK = "[...]"


def _short_repr(value):
    text = repr(value)
    if len(text) <= MAX_ARG_LEN:
        return text
    return text[:MAX_ARG_LEN - len(_CUT_MARK)] + _CUT_MARK


class LogIt:
    """Decorator of a device method: logs its entry and exit at DEBUG level.

    ``show_args`` shows the positional arguments (after self), ``show_kwargs`` the keyword
    arguments, ``show_ret`` the returned value. Nothing is formatted when the device does not
    log at this level. Works on plain and ``async def`` methods, under ``@command`` and
    ``@attribute`` (the decorated function keeps its name, signature and annotations).
    """

    # The device's stream and the Logger test of the level these decorators log at.
    _stream = "debug_stream"
    _enabled = "is_debug_enabled"

    def __init__(self, show_args=False, show_kwargs=False, show_ret=False):
        self._show_args = bool(show_args)
        self._show_kwargs = bool(show_kwargs)
        self._show_ret = bool(show_ret)

    # PyTango's names of the two choices above, for subclasses written against it.
    def is_enabled(self, device):
        return getattr(device.get_logger(), self._enabled)()

    def get_log_func(self, device):
        return getattr(device, self._stream)

    def _entry(self, device, name, args, kwargs):
        shown = []
        if self._show_args and args:
            shown.append(", ".join(_short_repr(a) for a in args))
        if self._show_kwargs and kwargs:
            shown.append(", ".join(f"{k}={_short_repr(v)}" for k, v in kwargs.items()))
        return f"-> {type(device).__name__}.{name}({', '.join(shown)})"

    def __call__(self, func):
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def logged(device, *args, **kwargs):
                if not self.is_enabled(device):
                    return await func(device, *args, **kwargs)
                with _LoggedCall(self, device, func, args, kwargs) as call:
                    return call.returned(await func(device, *args, **kwargs))
        else:
            @functools.wraps(func)
            def logged(device, *args, **kwargs):
                if not self.is_enabled(device):
                    return func(device, *args, **kwargs)
                with _LoggedCall(self, device, func, args, kwargs) as call:
                    return call.returned(func(device, *args, **kwargs))

        logged._wrapped = func  # PyTango's name for the decorated function
        return logged


class _LoggedCall:
    """One call of a decorated method: its entry logged when the block starts, its result by
    returned(), or its failure when the block ends with an exception."""

    __slots__ = ("log", "decorator", "label", "func")

    def __init__(self, decorator, device, func, args, kwargs):
        self.decorator, self.func = decorator, func
        self.log = decorator.get_log_func(device)
        self.label = f"{type(device).__name__}.{func.__name__}()"
        self.log(decorator._entry(device, func.__name__, args, kwargs), source=func)

    def __enter__(self):
        return self

    def returned(self, result):
        shown = f"{_short_repr(result)} " if self.decorator._show_ret else ""
        self.log(f"{shown}<- {self.label}", source=self.func)
        return result

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.log(f"<- {self.label} raised exception!", source=self.func)
        return False


class DebugIt(LogIt):
    """Decorator of a device method: logs its entry and exit at DEBUG level (see LogIt)."""


class InfoIt(LogIt):
    """Decorator of a device method: logs its entry and exit at INFO level (see LogIt)."""

    _stream = "info_stream"
    _enabled = "is_info_enabled"


class WarnIt(LogIt):
    """Decorator of a device method: logs its entry and exit at WARN level (see LogIt)."""

    _stream = "warn_stream"
    _enabled = "is_warn_enabled"


class ErrorIt(LogIt):
    """Decorator of a device method: logs its entry and exit at ERROR level (see LogIt)."""

    _stream = "error_stream"
    _enabled = "is_error_enabled"


class FatalIt(LogIt):
    """Decorator of a device method: logs its entry and exit at FATAL level (see LogIt)."""

    _stream = "fatal_stream"
    _enabled = "is_fatal_enabled"


class TangoStream:
    """A file-like object that sends each line written to it to ``fn`` (a device's
    ``info_stream`` & co.): ``print("x", file=self.log_info)``. Text without a newline waits for
    the rest of its line; the line is sent without its final newline."""

    def __init__(self, fn):
        self._fn = fn
        self._pending = ""

    def write(self, text):
        self._pending += text
        if "\n" in text:
            self.flush()
        return len(text)

    def flush(self):
        if not self._pending:
            return
        text = self._pending[:-1] if self._pending.endswith("\n") else self._pending
        self._pending = ""
        self._fn(text)


def _stream_of(levelno):
    """The device stream of a logging level, and its Logger test: a record at or above a
    level goes to its stream (CRITICAL 50, ERROR 40, WARNING 30, INFO 20; below: DEBUG)."""
    for threshold, stream, enabled in ((50, "fatal_stream", "is_fatal_enabled"),
                                       (40, "error_stream", "is_error_enabled"),
                                       (30, "warn_stream", "is_warn_enabled"),
                                       (20, "info_stream", "is_info_enabled")):
        if levelno >= threshold:
            return stream, enabled
    return "debug_stream", "is_debug_enabled"


class _RecordCode:
    """A record's origin in the form the device streams take as ``source`` (a code location)."""

    __slots__ = ("co_filename", "co_firstlineno")

    def __init__(self, record):
        self.co_filename = record.pathname
        self.co_firstlineno = record.lineno


class _RecordSource:
    __slots__ = ("__code__",)

    def __init__(self, record):
        self.__code__ = _RecordCode(record)


def _is_device_gone(exc):
    args = getattr(exc, "args", ())
    return bool(args) and getattr(args[0], "reason", None) == "PyDs_DeviceDeleted"


def _handler_class():
    import logging

    class TangoLoggingHandler(logging.Handler):
        """A ``logging.Handler`` that writes records into a device's Tango log.

            import logging
            from tango.log4tango import TangoLoggingHandler

            class PowerSupply(Device):
                def init_device(self):
                    super().init_device()
                    logging.getLogger("mydriver").addHandler(TangoLoggingHandler(self))

        Levels map to Tango's: CRITICAL to FATAL, ERROR to ERROR, WARNING to WARN, INFO to
        INFO, DEBUG and below to DEBUG; the device's logging level then decides, as for its own
        streams (a record below it is not formatted). The message is the handler's formatted
        record (``%(message)s`` by default: Tango adds the time, level and device); the source
        location is the record's. Records that arrive after the device is deleted are dropped.
        """

        def __init__(self, device, level=logging.NOTSET):
            super().__init__(level)
            self.device = device
            self.setFormatter(logging.Formatter("%(message)s"))

        def emit(self, record):
            stream, enabled = _stream_of(record.levelno)
            device = self.device
            try:
                if not getattr(device.get_logger(), enabled)():
                    return
                getattr(device, stream)(self.format(record), source=_RecordSource(record))
            except Exception as exc:
                if not _is_device_gone(exc):
                    self.handleError(record)

    TangoLoggingHandler.__module__ = __name__
    TangoLoggingHandler.__qualname__ = "TangoLoggingHandler"
    return TangoLoggingHandler


def __getattr__(name):
    # The handler subclasses logging.Handler: made on first use, as `import tango` (which
    # exports the decorators) must not import logging.
    if name == "TangoLoggingHandler":
        cls = globals()["TangoLoggingHandler"] = _handler_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
