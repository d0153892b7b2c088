"""``Device``: the base class of Tango devices written in Python.

A subclass declares attributes, commands and properties; cppTango owns each device and calls
into it (init_device, reads, writes, commands) on its own threads, with the GIL taken.
"""

import typing

from .. import _tango
from .._tango import DevState, LogLevel
from ..enums import GreenMode
from .attribute import attribute
from .command import _command_spec
from . import green as _green
from .pipe import pipe
from .properties import _Property

__all__ = ["Device", "LatestDeviceImpl"]

_HOOKS = ("always_executed_hook", "read_attr_hardware", "dev_state", "dev_status")

# Properties of a server run without database by a test context (tango.test_context fills it in
# the server process): {"devices": {lower-case name: {prop: [str]}}, "classes": {...}}.
_STANDALONE_PROPERTIES = {}


class ClassSpec:
    """What the compiled class factory reads about one Device class (see ext/server)."""

    def __init__(self, device_class, name=None):
        self.device_class = device_class
        self.name = name or device_class.__name__
        self.attributes = []
        self.commands = []
        self.pipes = []
        self.properties = {}
        for hook in _HOOKS:
            overridden = getattr(device_class, hook) is not getattr(Device, hook)
            setattr(self, f"overrides_{hook}", overridden)
        self._collect()

    def _collect(self):
        cls = self.device_class
        hints = {}
        for klass in reversed(cls.__mro__):
            try:
                hints.update(typing.get_type_hints(klass))
            except Exception:
                hints.update(getattr(klass, "__annotations__", {}))
        seen = set()
        for klass in reversed(cls.__mro__):
            for python_name, value in vars(klass).items():
                if isinstance(value, attribute):
                    seen.add(python_name)
                elif isinstance(value, _Property):
                    value._resolve(hints.get(python_name))
                    self.properties[python_name] = value
        attrs = {}
        cmds = {}
        pipes = {}
        for klass in reversed(cls.__mro__):
            for python_name, value in vars(klass).items():
                if isinstance(value, attribute):
                    attrs[python_name] = value
                elif isinstance(value, pipe):
                    pipes[python_name] = value
                elif callable(value) and hasattr(value, "__tango_command__"):
                    cmds[python_name] = value
        for python_name, attr in attrs.items():
            spec = attr._spec(cls, python_name)
            self.attributes.append(spec)
        for python_name, func in cmds.items():
            self.commands.append(_command_spec(cls, python_name, func))
        for python_name, p in pipes.items():
            self.pipes.append(p._spec(cls, python_name))

    def new_device(self, cl, name):
        """Called by the compiled device factory for each device name of this class."""
        return self.device_class(cl, name)


class Device(_tango.DeviceImpl):
    """Base class of a Tango device server class written in Python."""

    green_mode = GreenMode.Synchronous
    _description = "A Tango device written in Python"

    def __init__(self, cl, name):
        super().__init__()
        self._tango_properties = {}
        # Tango::StatusNotSet: until set_status, the status tells the state ("The device is in ON
        # state."), as for any cppTango device
        self._attach(cl, name, self._description, DevState.UNKNOWN, "Not initialised")
        self._tango_init()

    def _tango_init(self):
        self.get_device_properties()
        self.init_device()

    # -- the lifecycle, overridden by subclasses -----------------------------------------------

    # The base hooks return DONE, which ``await`` accepts: an asyncio device's ``async def
    # init_device`` may ``await super().init_device()``, a synchronous one just calls it.

    def init_device(self):
        """Called at creation and by the Init command (after delete_device)."""
        return _DONE

    def delete_device(self):
        """Called before the device is re-initialised or destroyed."""
        return _DONE

    def always_executed_hook(self):
        """Called before every command and attribute read or write."""
        return _DONE

    def read_attr_hardware(self, attr_list):
        """Called once before the attributes of one read request are read."""
        return _DONE

    # -- properties ----------------------------------------------------------------------------

    def get_device_properties(self, ds_class=None):
        """Load the device and class properties (database or test context) into the device."""
        spec = type(self)._tango_spec()
        props = spec.properties
        if not props:
            return
        util = _tango.Util.instance(False)
        dev_names = [p.name for p in props.values() if p.kind == "device"]
        cls_names = [p.name for p in props.values() if p.kind == "class"]
        found = {}
        if dev_names:
            found.update(util._device_property(self.get_name(), dev_names))
        if cls_names:
            found.update(util._class_property(spec.name, cls_names))
        if _STANDALONE_PROPERTIES:
            found.update(_STANDALONE_PROPERTIES["classes"].get(spec.name, {}))
            found.update(_STANDALONE_PROPERTIES["devices"].get(self.get_name().lower(), {}))
        values = {}
        for python_name, prop in props.items():
            if prop.name in found and found[prop.name]:
                values[prop.name] = prop.convert(found[prop.name])
            elif prop.mandatory:
                from ..errors import Except

                Except.throw_exception(
                    "PyDs_MissingDeviceProperty",
                    f"Device property {prop.name} is mandatory but not defined",
                    f"{type(self).__name__}.get_device_properties",
                )
            else:
                values[prop.name] = prop.default_value
        self._tango_properties = values

    # -- events --------------------------------------------------------------------------------

    # push_change_event(attr_name, *args) and push_archive_event: compiled (DeviceImpl), as pushes
    # come in bursts; their argument forms are those of _push_args below. Green servers route
    # them through their worker's pusher (server/green.py, install).

    def push_event(self, attr_name, filt_names, filt_vals, *args):
        """Push a user event (filters are accepted and ignored, as by ZMQ events)."""
        _push(self._push_event, 2, attr_name, *_push_args(args))

    def push_data_ready_event(self, attr_name, counter=0):
        """Push a data ready event (the attribute needs set_data_ready_event(name, True))."""
        _push(super().push_data_ready_event, attr_name, counter)

    def push_att_conf_event(self, attr_name):
        """Push an attribute configuration event."""
        _push(super().push_att_conf_event, attr_name)

    def push_pipe_event(self, pipe_name, blob, *args):
        """Push a pipe event: ``(name, (blob_name, data))`` with data as a pipe read method
        returns it, optionally followed by a time stamp (seconds since the epoch, default now),
        or ``(name, DevFailed)`` for the subscribers to receive an error. A trailing
        ``reuse_it`` flag (PyTango's) is accepted and has no effect."""
        time_stamp = None
        for arg in args:
            if isinstance(arg, bool):
                continue  # reuse_it: every push sends a freshly converted blob
            time_stamp = arg
        _push(self._push_pipe_event, pipe_name, blob, time_stamp)

    # -- polling buffers -----------------------------------------------------------------------

    def fill_attr_polling_buffer(self, attribute_name, attr_history_stack):
        """Write a history (tango.TimedAttrData records, oldest first) into the polling buffer of
        an attribute polled externally (polling period 0). See Util.fill_attr_polling_buffer."""
        _tango.Util.instance(False).fill_attr_polling_buffer(self, attribute_name, attr_history_stack)

    def fill_cmd_polling_buffer(self, command_name, cmd_history_stack):
        """Write a history (tango.TimedCmdData records, oldest first) into the polling buffer of
        a command polled externally (polling period 0)."""
        _tango.Util.instance(False).fill_cmd_polling_buffer(self, command_name, cmd_history_stack)

    # -- logging, as PyTango: self.info_stream("x = %s", x) --------------------------------------

    def debug_stream(self, msg, *args):
        self._log(int(LogLevel.LOG_DEBUG), str(msg), *args)

    def info_stream(self, msg, *args):
        self._log(int(LogLevel.LOG_INFO), str(msg), *args)

    def warn_stream(self, msg, *args):
        self._log(int(LogLevel.LOG_WARN), str(msg), *args)

    def error_stream(self, msg, *args):
        self._log(int(LogLevel.LOG_ERROR), str(msg), *args)

    def fatal_stream(self, msg, *args):
        self._log(int(LogLevel.LOG_FATAL), str(msg), *args)

    # -- the class as a Tango class ------------------------------------------------------------

    @classmethod
    def _tango_spec(cls):
        spec = cls.__dict__.get("_tango_class_spec")
        if spec is None:
            spec = ClassSpec(cls)
            cls._tango_class_spec = spec
        return spec

    @classmethod
    def run_server(cls, args=None, **kwargs):
        """Run a device server of this class alone (see tango.server.run)."""
        from .run import run

        return run((cls,), args=args, **kwargs)

    def __repr__(self):
        try:
            return f"{type(self).__name__}({self.get_name()})"
        except Exception:
            return f"{type(self).__name__}(<detached>)"


def _push(fn, *args):
    """A push, in place; from a green server's worker, through its pusher (see green.py)."""
    worker = _green._worker
    if worker is None:
        fn(*args)
    else:
        worker.push(fn, *args)


class _Done:
    """What the base hooks return: nothing, also when awaited."""

    __slots__ = ()

    def __await__(self):
        return iter(())

    def __repr__(self):
        return "DONE"


_DONE = _Done()


def _push_args(args):
    """(value, time, quality) from the argument forms of push_*_event."""
    if len(args) == 1:
        return args[0], None, None  # the common form, first: pushes come in bursts
    if not args:
        return None, None, None
    value, rest = args[0], list(args[1:])
    if isinstance(value, str) and rest and isinstance(rest[0], (bytes, bytearray, memoryview)):
        value, rest = (value, rest[0]), rest[1:]  # DevEncoded: format, data
    time = quality = None
    if len(rest) >= 2 and isinstance(rest[1], _tango.AttrQuality):
        time, quality, rest = rest[0], rest[1], rest[2:]
    if len(rest) >= 2 and rest[1]:  # dim_x, dim_y with flat data: an image
        import numpy

        value = numpy.asarray(value).reshape(int(rest[1]), int(rest[0]))
    return value, time, quality


LatestDeviceImpl = _tango.DeviceImpl
