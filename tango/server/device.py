"""``Device``: the base class of Tango devices written in Python.

A subclass declares attributes, commands and properties; cppTango owns each device and calls
into it (init_device, reads, writes, commands) on its own threads, with the GIL taken.
"""

import copy
import types
import typing

from .. import _tango
from .._tango import DevState, LogLevel
from ..attr_data import AttrData
from ..enums import GreenMode
from ._declaration import find_method
from .attribute import attribute
from .classic_attributes import Attr
from .command import _command_spec, _make_spec as _command_make_spec
from . import green as _green
from .pipe import pipe
from .properties import _Property

__all__ = ["Device", "BaseDevice", "LatestDeviceImpl", "StatusNotSet"]

# cppTango's status of a device that has not set one: its status then tells its state.
StatusNotSet = "Not initialised"

_HOOKS = ("always_executed_hook", "read_attr_hardware", "write_attr_hardware", "dev_state", "dev_status")


class ClassSpec(_tango.ClassSpec):
    """What the compiled class factory reads about one Device class: the typed fields of
    _tango.ClassSpec (name, attributes, commands, pipes, overrides_*; see ext/server/spec.hpp),
    plus the Python side: the class, its properties, new_device()."""

    def __init__(self, device_class, name=None):
        attributes, commands, pipes, properties = _collect(device_class)
        super().__init__(
            name=name or device_class.__name__, attributes=attributes, commands=commands,
            pipes=pipes,
            **{f"overrides_{hook}": getattr(device_class, hook) is not getattr(LatestDeviceImpl, hook)
               for hook in _HOOKS},
        )
        self.device_class = device_class
        self.properties = properties
        # Dynamic attributes of this class by lower-case name, as first added (cppTango keeps one
        # Attr per name and class for all its devices: its type and the form of its read handler)
        self.dynamic_specs = {}
        self.initializes_dynamic_attributes = (
            device_class.initialize_dynamic_attributes is not LatestDeviceImpl.initialize_dynamic_attributes)

    def __reduce__(self):
        # the C++ fields (pickled by _tango.ClassSpec) and the Python ones
        return _restore_class_spec, (type(self), super().__getstate__(), dict(self.__dict__))

    def new_device(self, cl, name):
        """Called by the compiled device factory for each device name of this class."""
        device = self.device_class(cl, name)
        if self.initializes_dynamic_attributes:  # as PyTango: once, after init_device
            _run_on_worker(device.initialize_dynamic_attributes)
        return device


def _restore_class_spec(cls, fields, state):
    spec = cls.__new__(cls)
    _tango.ClassSpec.__init__(spec, **fields)
    spec.__dict__.update(state)
    return spec


def _collect(cls):
    """(attribute specs, command specs, pipe specs, {name: property}) declared on cls."""
    hints = {}
    for klass in reversed(cls.__mro__):
        try:
            hints.update(typing.get_type_hints(klass))
        except Exception:
            hints.update(getattr(klass, "__annotations__", {}))
    attrs, cmds, pipes, properties = {}, {}, {}, {}
    for klass in reversed(cls.__mro__):
        for python_name, value in vars(klass).items():
            if isinstance(value, attribute):
                attrs[python_name] = value
            elif isinstance(value, pipe):
                pipes[python_name] = value
            elif isinstance(value, _Property):
                properties[python_name] = value
            elif callable(value) and hasattr(value, "__tango_command__"):
                cmds[python_name] = value
    # one attribute under two names (`@voltage.write def set_voltage`: the decorator returns
    # the attribute) is declared once, under its first name
    first_names = {}
    for python_name, value in attrs.items():
        first_names.setdefault(id(value), python_name)
    attrs = {python_name: value for python_name, value in attrs.items() if first_names[id(value)] == python_name}
    for python_name, prop in properties.items():
        prop._resolve(hints.get(python_name))
    # an attribute assigned with an annotation (`voltage: float = attribute()`) takes its type
    # from it, as from a read method's return hint
    return ([a._spec(cls, python_name, hints.get(python_name)) for python_name, a in attrs.items()],
            [_command_spec(cls, python_name, func) for python_name, func in cmds.items()],
            [p._spec(cls, python_name) for python_name, p in pipes.items()],
            properties)


def _declare_versions(device):
    """The versions every Python device declares (clients read them in DeviceInfo.version_info
    on cppTango 10), as PyTango's devices do."""
    import platform

    import numpy

    from ..release import Release

    for key, value in (("PyTango", Release.version_long), ("Python", platform.python_version()),
                       ("NumPy", numpy.__version__), ("Build.PyTango.cppTango", _tango.__cpptango_version__)):
        device.add_version_info(key, value)


class LatestDeviceImpl(_tango.DeviceImpl):
    """The base of every Python device (PyTango's ``LatestDeviceImpl``): what both APIs share,
    with the classic (Pogo) API's behaviour; ``BaseDevice`` (and ``Device``) derives from it with
    the high-level API's. A classic device's ``__init__(cl, name)`` attaches the device and calls
    nothing (the Pogo subclass's ``__init__`` calls ``init_device`` itself); its class is a
    registered pair with a ``tango.DeviceClass`` (tango/server/classic.py)."""

    # green_mode: a class's own green mode, when it sets one (PyTango's rule: else run()'s,
    # else the process's default; tango/server/green.py server_green_mode)

    # What the devices of the class start with (PyTango's class attributes). The description
    # defaults to the class's docstring; the status, to Tango's StatusNotSet, with which the
    # status tells the state ("The device is in ON state.") until set_status.
    DEVICE_CLASS_DESCRIPTION = None
    DEVICE_CLASS_INITIAL_STATUS = StatusNotSet
    DEVICE_CLASS_INITIAL_STATE = DevState.UNKNOWN

    def __init__(self, cl, name, description="A TANGO device", state=DevState.UNKNOWN,
                 status=StatusNotSet):
        _tango.DeviceImpl.__init__(self)
        self._tango_properties = {}
        self._attach(cl, str(name), str(description), DevState(state), str(status))
        _declare_versions(self)

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

    def write_attr_hardware(self, attr_list):
        """Called once after the write methods of one write request ran, with the indexes
        (in the device's attribute list) of the attributes written."""
        return _DONE

    def server_init_hook(self):
        """Called once for each device when the whole server is initialised (every device
        created and exported), before it serves; not called again by Init."""
        return _DONE

    # -- dynamic attributes and commands -------------------------------------------------------

    # Their handlers are kept on the device (its __dict__, under the private names the spec
    # gives), never on the class: devices of one class may have different ones, and the compiled
    # up-call finds them by the same interned name look-up as a declared attribute's methods.
    # cppTango's add/remove take the device monitor: in a green server the request thread that
    # waits for the worker holds it, so the call is relayed to that thread (green.relay_call).

    def initialize_dynamic_attributes(self):
        """Called once after init_device, when the device is created: add dynamic attributes
        here (add_attribute) as PyTango does."""
        return _DONE

    def add_attribute(self, attr, r_meth=None, w_meth=None, is_allo_meth=None):
        """Add an attribute to this device: ``attr`` is an ``attribute(...)`` or a classic
        ``Attr``/``SpectrumAttr``/``ImageAttr`` (tango/server/classic_attributes.py); the read, write and
        is_allowed handlers are r_meth, w_meth and is_allo_meth (bound methods, or functions
        called with the device), else the attribute's own (fget/fset/fisallowed), else the
        device's read_<name>, write_<name>, is_<name>_allowed. A read handler takes (self) and
        returns the value, or takes (self, attr) and calls attr.set_value (or returns it); a
        write handler takes (self, attr) and reads attr.get_write_value(). Returns attr."""
        if isinstance(attr, AttrData):
            given, attr = attr, attr._declaration_for_add(self)  # its handlers, by name, on this device
        else:
            given = attr
        if not isinstance(attr, (attribute, Attr)):
            raise TypeError("add_attribute takes a tango.server.attribute, a tango.Attr or a tango.AttrData, "
                            f"not {type(attr).__name__}")
        name = attr.name
        if not name:
            raise TypeError("add_attribute: the attribute has no name (attribute(name=...))")
        handlers = [self._dynamic_handler(given, declared, conventional)
                    for given, declared, conventional in (
                        (r_meth, attr.fget, f"read_{name}"), (w_meth, attr.fset, f"write_{name}"),
                        (is_allo_meth, attr.fisallowed, f"is_{name}_allowed"))]
        fget, fset, fisallowed = handlers
        spec, methods = attr._make_spec(name, fget, fset, fisallowed, None, "_tango_dyn",
                                        write_with_attr=True)
        key = name.lower()
        dynamic = self.__dict__.setdefault("_tango_dynamic_attrs", {})
        class_specs = type(self)._tango_spec().dynamic_specs
        known = dynamic.get(key)
        if known is None and self._has_attribute(name):
            # cppTango gives an attribute added while devices are created to the devices of the
            # class created after: this device has it already, without handlers of its own
            known = class_specs.get(key)
            if known is None:
                _throw("API_AttrAlreadyExists", f"{self.get_name()}: attribute {name} already exists",
                       "Device.add_attribute")
        if known is not None and (known.dtype, known.dformat, known.access) != (
                spec.dtype, spec.dformat, spec.access):
            _throw("API_AttrAlreadyExists",
                   f"{self.get_name()}: attribute {name} already exists with another type, format "
                   "or access (remove it first)", "Device.add_attribute")
        with_attr = class_specs.setdefault(key, spec).read_with_attr
        if spec.read_method and with_attr != spec.read_with_attr:
            methods[spec.read_method] = _read_form(methods[spec.read_method], with_attr)
            spec.read_with_attr = with_attr
        greens = {spec.read_method: spec.read_green_mode, spec.write_method: spec.write_green_mode,
                  spec.is_allowed_method: spec.isallowed_green_mode}
        self._install_handlers(methods, greens, f"attribute {name}")
        if known is None:
            _green.relay_call(self._add_attribute, spec)
        dynamic[key] = spec
        return given

    def remove_attribute(self, attr_name, free_it=False, clean_db=True):
        """Remove an attribute from this device (a dynamic one, or a declared one); its handlers
        go with it. A name the device does not have is a DevFailed (API_AttrNotFound)."""
        _green.relay_call(self._remove_attribute, str(attr_name), bool(free_it), bool(clean_db))
        spec = self.__dict__.get("_tango_dynamic_attrs", {}).pop(str(attr_name).lower(), None)
        if spec is not None:
            for method_name in (spec.read_method, spec.write_method, spec.is_allowed_method):
                self.__dict__.pop(method_name, None)

    async def async_add_attribute(self, attr, r_meth=None, w_meth=None, is_allo_meth=None):
        """add_attribute for coroutines of an asyncio server (cppTango is called without
        blocking the loop on the device: the interface event is sent by cppTango later)."""
        return self.add_attribute(attr, r_meth, w_meth, is_allo_meth)

    async def async_remove_attribute(self, attr_name, free_it=False, clean_db=True):
        """remove_attribute for coroutines of an asyncio server."""
        return self.remove_attribute(attr_name, free_it, clean_db)

    def add_command(self, cmd, device_level=True):
        """Add a command to this device: ``cmd`` is a function (or a bound method) made a
        command by ``command(f=...)``; its name is the function's. With device_level=False it is
        added to the class (the other devices of the class then have it, and need a handler of
        their own to run it). Returns cmd."""
        opts = getattr(cmd, "__tango_command__", None)
        if opts is None:
            raise TypeError("add_command takes a function made a command by command(f=...)")
        name = cmd.__name__
        fisallowed = find_method(self, opts["fisallowed"], f"is_{name}_allowed")
        dynamic = self.__dict__.setdefault("_tango_dynamic_cmds", {})
        key = name.lower()
        if key in dynamic or any(c.name.lower() == key for c in type(self)._tango_spec().commands):
            _throw("API_CommandAlreadyExists", f"{self.get_name()}: command {name} already exists",
                   "Device.add_command")
        method = f"_tango_dyn_cmd_{name}"
        spec, methods = _command_make_spec(name, cmd, self._dynamic_handler(fisallowed, None, None),
                                           method, "_tango_dyn_cmd")
        methods[method] = self._dynamic_handler(cmd, None, None)
        self._install_handlers(methods, {method: spec.cmd_green_mode,
                                         spec.is_allowed_method: spec.isallowed_green_mode},
                               f"command {name}")
        _green.relay_call(self._add_command, spec, bool(device_level))
        dynamic[key] = spec
        return cmd

    def remove_command(self, cmd_name, free_it=False, clean_db=True):
        """Remove a command from this device; a name it does not have is a DevFailed."""
        _green.relay_call(self._remove_command, str(cmd_name), bool(free_it), bool(clean_db))
        spec = self.__dict__.get("_tango_dynamic_cmds", {}).pop(str(cmd_name).lower(), None)
        if spec is not None:
            for method_name in (spec.method, spec.is_allowed_method):
                self.__dict__.pop(method_name, None)

    def _dynamic_handler(self, given, declared, conventional):
        """The handler bound to this device: given, else declared, else the device's method
        named by convention (None if none)."""
        fn = given if given is not None else declared
        if isinstance(fn, str):
            fn = getattr(self, fn)
        if fn is None:
            if not conventional:
                return None
            fn = getattr(self, conventional, None)
            if fn is None or conventional not in self.__dict__:
                return fn
            # a plain function put on the device itself (self.read_x = f) is called with the
            # device, as a method is
        if getattr(fn, "__self__", None) is self:
            return fn
        if not callable(fn):
            raise TypeError(f"{fn!r} is not callable")
        return types.MethodType(fn, self)

    def _install_handlers(self, methods, greens, what):
        """Put bound handlers on the device; in a green server those that run green go through
        the worker, as the class's methods do (server/green.py)."""
        import inspect

        worker = _green._worker
        for method_name, fn in methods.items():
            if worker is None and inspect.iscoroutinefunction(fn):
                raise TypeError(f"{what}: {fn.__name__} is a coroutine function (async def); run "
                                "the server in the Asyncio green mode")
            if worker is not None and greens.get(method_name, True):
                fn = _green_bound(fn, worker)
            self.__dict__[method_name] = fn

    # -- properties ----------------------------------------------------------------------------

    def get_device_class(self):
        """The DeviceClass instance of this device's class."""
        return type(self)._tango_spec().class_instance()

    def get_device_properties(self, ds_class=None):
        """Read the device properties of the class's ``device_property_list`` from the database
        into ``self.device_property_list`` and ``self.<name>`` (a property not set keeps the
        table's default); the class properties become ``self.<name>`` too."""
        from .classic import DeviceClass, _property_value, _set_property_value

        if ds_class is None:
            ds_class = self.get_device_class()
        if not isinstance(ds_class, DeviceClass):
            raise TypeError(f"get_device_properties takes the device's DeviceClass, not {ds_class!r}")
        self.device_property_list = copy.deepcopy(ds_class.device_property_list)
        for name, entry in ds_class.class_property_list.items():
            setattr(self, name, _property_value(entry))
        if self.device_property_list:
            util = _tango.Util.instance(False)
            found = util._device_property(self.get_name(), list(self.device_property_list))
            for name, entry in self.device_property_list.items():
                _set_property_value(entry, found.get(name))
        for name, entry in self.device_property_list.items():
            setattr(self, name, _property_value(entry))

    # -- events --------------------------------------------------------------------------------

    # push_change_event(attr_name, *args) and push_archive_event: compiled (DeviceImpl), as pushes
    # come in bursts; their argument forms are those of _push_args below. Green servers route
    # them through their worker's pusher (server/green.py, install).

    if not hasattr(_tango.DeviceImpl, "push_alarm_event"):  # compiled on cppTango 10, which has them
        def push_alarm_event(self, attr_name, *args):
            """Alarm events are a cppTango 10 feature: not available on this cppTango."""
            raise NotImplementedError(f"alarm events need cppTango 10 (this is cppTango {_tango.__cpptango_version__})")

        def set_alarm_event(self, attr_name, implemented, detect=True):
            """Alarm events are a cppTango 10 feature: not available on this cppTango."""
            raise NotImplementedError(f"alarm events need cppTango 10 (this is cppTango {_tango.__cpptango_version__})")

    # -- telemetry: off in this binding (PyTango's calls, answering as PyTango's do without it) --

    def _is_telemetry_enabled(self):
        return False

    def _check_telemetry_topic(self, topic):
        return False

    def _is_telemetry_tracing_enabled(self):
        return False

    def _get_telemetry_tracing_endpoints(self):
        return []

    def get_telemetry_tracer(self):
        """The device's tracer: a no-op one, since telemetry is off (tango.telemetry)."""
        from .. import telemetry

        return telemetry.get_telemetry_tracer_provider_factory()(type(self).__name__).get_tracer(__name__)

    def create_telemetry_tracer_provider(self, class_name, device_name):
        from .. import telemetry

        return telemetry.get_telemetry_tracer_provider_factory()(class_name, device_name)

    def create_telemetry_tracer(self, tracer_provider):
        return tracer_provider.get_tracer(__name__)

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

    # -- logging: debug_stream ... fatal_stream, get_logger, log_debug ... are compiled
    # (DeviceImpl, ext/server/logging.cpp), for every kind of device.

    # -- the class as a Tango class ------------------------------------------------------------

    @classmethod
    def _tango_spec(cls):
        spec = cls.__dict__.get("_tango_class_spec")
        if spec is None:
            raise TypeError(f"{cls.__name__} is a classic device: register it with its DeviceClass, "
                            f"as run({{name: (ItsClass, {cls.__name__})}}) or Util.add_class(ItsClass, "
                            f"{cls.__name__}, name)")
        return spec

    def __repr__(self):
        try:
            return f"{type(self).__name__}({self.get_name()})"
        except Exception:
            return f"{type(self).__name__}(<detached>)"


class BaseDevice(LatestDeviceImpl):
    """The high-level API's device (PyTango's ``BaseDevice``): attributes, commands, pipes and
    properties declared in the class body; ``__init__(cl, name)`` reads the properties and calls
    ``init_device``."""

    def __init__(self, cl, name):
        _tango.DeviceImpl.__init__(self)
        self._tango_properties = {}
        description = self.DEVICE_CLASS_DESCRIPTION
        if description is None:
            description = type(self).__doc__ or "A TANGO device"
        self._attach(cl, name, str(description), DevState(self.DEVICE_CLASS_INITIAL_STATE),
                     str(self.DEVICE_CLASS_INITIAL_STATUS))
        _declare_versions(self)
        self._tango_init()

    def init_device(self):
        """Called at creation and by the Init command (after delete_device)."""
        return _DONE

    def get_device_class(self):
        """The device's Tango class (cppTango's DeviceClass of the server)."""
        return _tango.DeviceImpl.get_device_class(self)

    def get_device_properties(self, ds_class=None):
        """Load the device and class properties from the server's database (a Tango database,
        or the file database of -file=, which test contexts use) into the device."""
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
        values = {}
        for python_name, prop in props.items():
            if prop.name in found and found[prop.name]:
                try:
                    values[prop.name] = prop.convert(found[prop.name])
                except (TypeError, ValueError) as exc:  # named as PyTango names it
                    owner = f"device '{self.get_name()}'" if prop.kind == "device" else f"class '{spec.name}'"
                    raise ValueError(
                        f"Failed to convert property '{prop.name}' of {owner} (value={found[prop.name]!r}) "
                        f"to type {prop._resolved[0]}: {exc}") from exc
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

    @classmethod
    def _tango_spec(cls):
        # kept on the class: it travels with it (pickled) to a test context's server
        spec = cls.__dict__.get("_tango_class_spec")
        if spec is None:
            spec = ClassSpec(cls)
            cls._tango_class_spec = spec
        return spec

    @classmethod
    def run_server(cls, args=None, **kwargs):
        """Run a device server of this class alone, named after the class: ``args`` is the
        command line without the program name (default ``sys.argv[1:]``: ``instance [-nodb
        ...]``); the other keywords are those of tango.server.run."""
        import sys

        from .run import run

        if args is None:
            args = sys.argv[1:]
        kwargs.setdefault("green_mode", getattr(cls, "green_mode", None))
        return run((cls,), args=[cls.__name__, *args], **kwargs)



class _TangoClassName:
    """``Device.TangoClassName``: the Tango class name of a Device subclass (its Python name)."""

    def __get__(self, obj, owner):
        return owner.__name__


class _TangoClassClass:
    """``Device.TangoClassClass``: the ``tango.DeviceClass`` subclass that stands for a Device
    subclass as the class half of a classic pair (``<Name>Class``), made once per class."""

    def __get__(self, obj, owner):
        made = owner.__dict__.get("_tango_class_class")
        if made is None:
            from .classic import DeviceClass

            made = type(f"{owner.__name__}Class", (DeviceClass,), {"__module__": owner.__module__})
            setattr(owner, "_tango_class_class", made)
        return made


class Device(BaseDevice):
    """Base class of a Tango device server class written in Python."""

    TangoClassName = _TangoClassName()
    TangoClassClass = _TangoClassClass()


def _run_on_worker(fn):
    """fn() on the green worker of the server, if there is one (its result awaited there)."""
    worker = _green._worker
    return fn() if worker is None else worker.execute(fn)


def _green_bound(fn, worker):
    """A bound handler that runs on the worker."""
    def handler(*args):
        return worker.execute(fn, *args)

    handler.__name__ = getattr(fn, "__name__", "handler")
    return handler


def _read_form(fn, with_attr):
    """A read handler adapted to the form cppTango's Attr of that name calls: (attr) or ()."""
    if with_attr:
        return lambda attr: fn()
    raise TypeError("this dynamic attribute was first added with a read handler that returns the "
                    "value: its handlers on the other devices must return it too")


def _throw(reason, desc, origin):
    from ..errors import Except

    Except.throw_exception(reason, desc, origin)


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
    """(value, time, quality) from the argument forms of push_*_event: (value), (value, time,
    quality), and for DevEncoded (format, data[, time, quality]). PyTango 10 has no image
    dimensions (dim_x, dim_y) any more: an argument left over is one, refused."""
    if len(args) == 1:
        return args[0], None, None  # the common form, first: pushes come in bursts
    if not args:
        return None, None, None
    value, rest = args[0], list(args[1:])
    if isinstance(value, str) and rest and isinstance(rest[0], (str, bytes, bytearray, memoryview)):
        value, rest = (value, rest[0]), rest[1:]  # DevEncoded: format, data
    time = quality = None
    if len(rest) >= 2 and isinstance(rest[1], _tango.AttrQuality):
        time, quality, rest = rest[0], rest[1], rest[2:]
    if rest:
        raise TypeError("dim_x and dim_y arguments are no longer supported (PyTango 10): push the value in its "
                        "shape (a 2D array for an image), optionally with (time, quality)")
    return value, time, quality
