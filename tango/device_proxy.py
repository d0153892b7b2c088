"""DeviceProxy: the Pythonic client of one Tango device.

The compiled base class does the calls and the conversions; this class adds what Python users
type: ``dev.voltage`` reads, ``dev.voltage = 2`` writes, ``dev.Calibrate()`` runs a command,
``dev["voltage"]``, ``"voltage" in dev``, ``dir(dev)``; names are case-insensitive as in Tango.
"""

from . import _tango
from ._test_context_host import _get_device_fqtrl_if_necessary
import enum
import warnings
import typing

from ._tango import (
    AttributeInfo, AttributeInfoEx, AttributeInfoList, AttributeInfoListEx, CmdArgType, CommandInfoList, DevError,
    DeviceInfo, ErrSeverity, EventSubMode, EventType, ExtractAs, PipeInfo,
)
from ._warnings import PyTangoUserWarning
from .connection import ConnectionCommands, reply_timeout as _reply_timeout
from .errors import DevFailed, NonSupportedFeature
from .green import (
    get_green_mode, green_call, green_callback, green_method, call_key, resolved_mode, _as_mode,
)
from .enums import GreenMode

__all__ = ["DeviceProxy", "get_device_proxy"]

_NUMPY = ExtractAs.Numpy


class _Command:
    """A device command bound to a proxy: ``dev.DevDouble(3.5)``."""

    __slots__ = ("_proxy", "_name")

    def __init__(self, proxy, name):
        self._proxy = proxy
        self._name = name

    def __call__(self, *args, **kwargs):
        if len(args) > 1:
            raise TypeError(f"command {self._name} takes at most one argument, got {len(args)}")
        return self._proxy.command_inout(self._name, *args, **kwargs)

    @property
    def __name__(self):
        return self._name

    @property
    def __doc__(self):
        try:
            info = self._proxy.get_command_config(self._name)
        except Exception:  # the doc must never fail
            return f"Tango command {self._name}"
        return (
            f"{self._name}({info.in_type}) -> {info.out_type}\n\n"
            f"in: {info.in_type_desc}\nout: {info.out_type_desc}"
        )

    def __repr__(self):
        return f"<Tango command {self._name} of {self._proxy.dev_name()}>"


class DeviceProxy(ConnectionCommands, _tango.DeviceProxy):
    """A proxy to a Tango device.

    ``DeviceProxy("tango://host:port/domain/family/member#dbase=no")`` for a device running
    without a database, or ``DeviceProxy("domain/family/member")`` with TANGO_HOST set.
    """

    def __new__(cls, *args, green_mode=None, executor=None, threadpool=None, asyncio_executor=None):
        # ``DeviceProxy(dev_name[, need_check_acc])``, or a copy of another proxy.
        # The compiled proxy is built here, not in __init__. When connecting fails, the half-built
        # proxy stays in this frame (a traceback shows it, as PyTango's): it is given a compiled
        # side that reaches no device, so that no call on it can touch a proxy that does not
        # exist, and its Python side says it was not fully initialized.
        if not 1 <= len(args) <= 2:
            raise TypeError(f"DeviceProxy(dev_name[, need_check_acc]) takes 1 or 2 arguments, got {len(args)}")
        dev_name = args[0]
        self = super().__new__(cls)
        try:
            if isinstance(dev_name, _tango.DeviceProxy):
                _tango.DeviceProxy.__init__(self, dev_name)
            else:
                if not isinstance(dev_name, str):
                    raise TypeError(f"the device name must be a str, not {type(dev_name).__name__}")
                # a name without a host, inside a test context: its server (tango.test_context)
                name = _get_device_fqtrl_if_necessary(dev_name)
                if len(args) == 2:
                    _tango.DeviceProxy.__init__(self, name, bool(args[1]))
                else:
                    _tango.DeviceProxy.__init__(self, name)
            return self
        except BaseException:
            try:
                _tango.DeviceProxy.__init__(self, _NOT_CONNECTED)
            except BaseException:
                del self  # not even that: unreachable rather than unsafe
            raise

    def __init__(self, *args, green_mode=None, executor=None, threadpool=None, asyncio_executor=None):
        d = self.__dict__
        # the proxy's own green mode, None for the default one: read by every green method
        # (tango/green.py, green_method) and by the compiled read_attribute (configured below)
        d["_green_mode"] = None if green_mode is None else _as_mode(green_mode)
        # the proxy's own executors of the green modes, where given (PyTango's arguments)
        own = {mode: ex for mode, ex in ((GreenMode.Futures, executor), (GreenMode.Gevent, threadpool),
                                         (GreenMode.Asyncio, asyncio_executor)) if ex is not None}
        if own:
            d["_executors"] = own
        d["_attr_names"] = None  # lower case name -> name as the device spells it
        d["_cmd_names"] = None
        d["_enum_classes"] = {}
        d["_config_cache"] = True  # set_attribute_config_cache
        d["_frozen"] = True
        d["_dev_class"] = None
        d["_initialized"] = True

    # -- green mode ----------------------------------------------------------------------------

    def get_green_mode(self):
        mode = self.__dict__.get("_green_mode")
        return get_green_mode() if mode is None else mode

    def set_green_mode(self, green_mode=None):
        self.__dict__["_green_mode"] = None if green_mode is None else _as_mode(green_mode)

    # -- the interface, cached -----------------------------------------------------------------

    def _refresh_interface(self):
        d = self.__dict__
        base = _tango.DeviceProxy  # the synchronous calls, whatever the green mode
        infos = base.attribute_list_query_ex(self)
        d["_attr_names"] = {i.name.lower(): i.name for i in infos}
        # DevEnum attributes read through dev.attr give members of an IntEnum of their labels,
        # as in PyTango; dev.attr = "LABEL" writes the label's value.
        d["_enum_classes"] = {
            i.name: _enum_class(i.name, i.enum_labels)
            for i in infos
            if i.data_type == CmdArgType.DevEnum and i.enum_labels
        }
        d["_cmd_names"] = {c.cmd_name.lower(): c.cmd_name for c in base.command_list_query(self)}

    def _lookup(self, name):
        """(kind, canonical name) of an attribute or command, or (None, None)."""
        d = self.__dict__
        lname = name.lower()
        for refreshed in (False, True):
            if d["_cmd_names"] is None or refreshed:
                self._refresh_interface()
            cmd = d["_cmd_names"].get(lname)
            if cmd is not None:
                return "command", cmd
            attr = d["_attr_names"].get(lname)
            if attr is not None:
                return "attribute", attr
        return None, None

    def __getattr__(self, name):
        if not self.__dict__.get("_initialized"):
            if name.startswith("__"):
                raise AttributeError(name)
            _not_initialized()  # a proxy whose construction failed
        if name.startswith("__") or name in ("_attr_names", "_cmd_names", "_enum_classes", "_frozen", "_config_cache",
                                             "_green_mode", "_dev_class", "_green_durations", "_event_callbacks",
                                             "_green_read_quick"):
            raise AttributeError(name)
        kind, canonical = self._lookup(name)
        if kind == "attribute":
            try:
                return self._attr_value(canonical)
            except DevFailed as exc:
                # removed from the device since the interface was cached: no such attribute
                if exc.args[0].reason != "API_AttrNotFound":
                    raise
                self._refresh_interface()
                if canonical.lower() in self.__dict__["_attr_names"]:
                    raise
                raise AttributeError(f"{self.dev_name()} has no attribute or command {name!r} "
                                     "(it was removed from the device)") from exc
        if kind == "command":
            return _Command(self, canonical)
        raise AttributeError(f"{self.dev_name()} has no attribute or command {name!r}")

    @green_method
    def _attr_value(self, canonical):
        """The value of ``dev.attr``, read as the proxy's green mode reads (DevEnum values as members of an IntEnum of the labels:
        one, or tuples of them for a spectrum or an image)."""
        reading = self._read_attribute(canonical, _NUMPY)
        value = reading.value
        if value is None or reading.type != CmdArgType.DevEnum:
            return value
        enum_class = self._enum_of(canonical)
        return value if enum_class is None else _as_members(value, enum_class)

    def _enum_of(self, canonical):
        """The IntEnum of a DevEnum attribute's labels: from the cached interface, or asked of
        the device each time when the configuration cache is off."""
        d = self.__dict__
        if d["_config_cache"]:
            return d["_enum_classes"].get(canonical)
        info = _tango.DeviceProxy.get_attribute_config(self, canonical)
        return _enum_class(info.name, info.enum_labels) if info.enum_labels else None

    def _enum_written(self, canonical, value):
        """``value`` with the enum labels in it (``"ON"``, ``["ON", "OFF"]``) as their values."""
        if not _has_text(value):
            return value
        enum_class = self._enum_of(canonical)
        if enum_class is None:
            return value  # not a DevEnum: the conversion tells what is wrong
        try:
            return _labels_to_values(value, enum_class, canonical)
        except AttributeError:
            if not self.__dict__["_config_cache"]:
                raise
        # the cached labels may be stale (the device made the attribute again): once more
        self._refresh_interface()
        enum_class = self._enum_of(canonical)
        return value if enum_class is None else _labels_to_values(value, enum_class, canonical)

    # -- attribute configuration cache (PyTango 10.3) ----------------------------------------

    def set_attribute_config_cache(self, enabled):
        """Cache (the default) or not what ``dev.attr`` needs of an attribute's configuration
        (a DevEnum's labels); without the cache each read and labelled write asks the device."""
        self.__dict__["_config_cache"] = bool(enabled)

    def is_attribute_config_cache_enabled(self):
        """Whether attribute configurations are cached (set_attribute_config_cache)."""
        return self.__dict__["_config_cache"]

    def invalidate_attribute_config_cache(self):
        """Forget the cached attribute configurations: the next use asks the device again."""
        d = self.__dict__
        d["_attr_names"] = d["_cmd_names"] = None
        d["_enum_classes"] = {}
        self._forget_types()

    def __setattr__(self, name, value):
        d = self.__dict__
        if not d.get("_initialized"):
            _not_initialized()
        if name in d or hasattr(type(self), name):
            return super().__setattr__(name, value)
        kind, canonical = self._lookup(name)
        if kind == "attribute":
            return self._write_attribute(canonical, self._enum_written(canonical, value))
        if kind == "command":
            raise TypeError(f"{name} is a command of {self.dev_name()}: call it, do not assign it")
        if not d["_frozen"]:
            return super().__setattr__(name, value)
        raise AttributeError(
            f"{self.dev_name()} has no attribute {name!r}, and the proxy's interface is frozen "
            "(call unfreeze_dynamic_interface() to set new Python attributes on it)"
        )

    def __getitem__(self, name):
        """``dev["attr"]`` reads the attribute: a DeviceAttribute, as read_attribute."""
        if not self.__dict__.get("_initialized"):
            _not_initialized()
        return self.read_attribute(name)

    def __setitem__(self, name, value):
        if not self.__dict__.get("_initialized"):
            _not_initialized()
        # an assignment cannot be awaited: it writes at once, in every green mode (an asyncio
        # future made here would never be awaited, so never written)
        DeviceProxy.write_attribute.__wrapped__(self, name, value)

    def __contains__(self, name):
        """True for the attributes of the device (case-insensitive), as in PyTango."""
        d = self.__dict__
        if not d.get("_initialized"):
            _not_initialized()
        lname = name.lower()
        if d["_attr_names"] is None or lname not in d["_attr_names"]:
            self._refresh_interface()
        return lname in d["_attr_names"]

    def __dir__(self):
        if not self.__dict__.get("_initialized"):
            _not_initialized()
        names = set(super().__dir__())
        try:
            if self.__dict__["_cmd_names"] is None:
                self._refresh_interface()
            for table in (self.__dict__["_attr_names"], self.__dict__["_cmd_names"]):
                names.update(table.values())
                names.update(table.keys())  # lower case too: Tango names ignore case
        except Exception:  # dir() must work on a proxy to a dead device too
            pass
        return sorted(names)

    def _get_info_(self):
        """The device's DeviceInfo, asked once and kept (a stand-in whose dev_class is "Device"
        while it cannot be had)."""
        d = self.__dict__
        info = d.get("_dev_info")
        if info is None:
            try:
                info = self.info()
                if hasattr(info, "cancel") and hasattr(info, "done"):  # an asyncio future
                    if info.done():
                        info = info.result()
                    else:  # in a running loop: not awaited here, asked synchronously
                        info.cancel()
                        info = _tango.DeviceProxy.info(self)
                if not isinstance(info, DeviceInfo):
                    raise TypeError(f"info() gave {info!r}")
            except Exception:
                return _UNKNOWN_INFO
            d["_dev_info"] = info
        return info

    def __repr__(self):
        if not self.__dict__.get("_initialized"):
            return "DeviceProxy<Unknown Device>(<object was not fully initialized>)"
        return f"{self._get_info_().dev_class}({self.dev_name()})"

    __str__ = __repr__

    def __getstate__(self):
        """What a pickle keeps of a proxy: the name that reaches the device from any process."""
        if not self.__dict__.get("_initialized"):
            _not_initialized()
        return {"name": self.get_full_name()}

    def __setstate__(self, state):
        raise TypeError("a DeviceProxy is unpickled by connecting anew (see __reduce__)")

    def __reduce__(self):
        return (type(self), (self.__getstate__()["name"],))

    def get_full_name(self):
        """The name that reaches this device from any process (host, port, database flag)."""
        if self.is_dbase_used():
            return f"tango://{self.get_db_host()}:{self.get_db_port()}/{self.dev_name()}"
        return f"tango://{self.get_dev_host()}:{self.get_dev_port()}/{self.dev_name()}#dbase=no"

    # -- frozen interface ----------------------------------------------------------------------

    def freeze_dynamic_interface(self):
        """Refuse to set Python attributes that are not Tango attributes (the default)."""
        self.__dict__["_frozen"] = True

    def unfreeze_dynamic_interface(self):
        """Let any Python attribute be set on this proxy (a misspelt Tango attribute name then
        no longer raises): warns with a PyTangoUserWarning, as PyTango."""
        warnings.warn(f"the dynamic interface of {self!r} is unfrozen: a Python attribute of any name can now be "
                      "set on it without an error (a misspelt attribute name included)", PyTangoUserWarning,
                      stacklevel=2)
        self.__dict__["_frozen"] = False

    def is_dynamic_interface_frozen(self):
        return self.__dict__["_frozen"]

    # -- the compiled calls, green ------------------------------------------------------------
    # (each a blocking call into cppTango: made as the green mode wants, see tango/green.py)

    state = green_method(_tango.DeviceProxy.state)
    status = green_method(_tango.DeviceProxy.status)
    ping = green_method(_tango.DeviceProxy.ping)
    info = green_method(_tango.DeviceProxy.info)
    description = green_method(_tango.DeviceProxy.description)
    black_box = green_method(_tango.DeviceProxy.black_box)
    get_idl_version = green_method(_tango.DeviceProxy.get_idl_version)
    get_attribute_list = green_method(_tango.DeviceProxy.get_attribute_list)
    get_command_list = green_method(_tango.DeviceProxy.get_command_list)
    command_query = green_method(_tango.DeviceProxy.command_query)
    attribute_query = green_method(_tango.DeviceProxy.attribute_query)
    lock = green_method(_tango.DeviceProxy.lock)
    unlock = green_method(_tango.DeviceProxy.unlock)
    is_locked = green_method(_tango.DeviceProxy.is_locked)
    is_locked_by_me = green_method(_tango.DeviceProxy.is_locked_by_me)
    locking_status = green_method(_tango.DeviceProxy.locking_status)
    get_locker = green_method(_tango.DeviceProxy.get_locker)
    poll_attribute = green_method(_tango.DeviceProxy.poll_attribute)
    stop_poll_attribute = green_method(_tango.DeviceProxy.stop_poll_attribute)
    is_attribute_polled = green_method(_tango.DeviceProxy.is_attribute_polled)
    get_attribute_poll_period = green_method(_tango.DeviceProxy.get_attribute_poll_period)
    poll_command = green_method(_tango.DeviceProxy.poll_command)
    stop_poll_command = green_method(_tango.DeviceProxy.stop_poll_command)
    is_command_polled = green_method(_tango.DeviceProxy.is_command_polled)
    get_command_poll_period = green_method(_tango.DeviceProxy.get_command_poll_period)
    polling_status = green_method(_tango.DeviceProxy.polling_status)
    attribute_history = green_method(_tango.DeviceProxy.attribute_history)
    command_history = green_method(_tango.DeviceProxy.command_history)
    @green_method
    def unsubscribe_event(self, event_id):
        """End the subscription ``event_id``: its callback is called no more, and let go."""
        _tango.DeviceProxy.unsubscribe_event(self, event_id)
        callbacks = self.__dict__.get("_event_callbacks")
        if callbacks is not None:
            callbacks.pop(event_id, None)

    @green_method
    def attribute_list_query(self):
        """AttributeInfo of every attribute, in an AttributeInfoList."""
        return AttributeInfoList(_tango.DeviceProxy.attribute_list_query(self))

    @green_method
    def attribute_list_query_ex(self):
        """AttributeInfoEx of every attribute, in an AttributeInfoListEx."""
        return AttributeInfoListEx(_tango.DeviceProxy.attribute_list_query_ex(self))

    @green_method
    def command_list_query(self):
        """CommandInfo of every command, in a CommandInfoList."""
        return CommandInfoList(_tango.DeviceProxy.command_list_query(self))

    import_info = green_method(_tango.DeviceProxy.import_info)

    # -- telemetry (PyTango 10.3's calls; pytango does not wire cppTango's telemetry: off) ------

    def is_telemetry_enabled(self):
        """Whether the device's server sends telemetry: never, with this binding."""
        return False

    def start_telemetry(self):
        _telemetry_off("start_telemetry")

    def stop_telemetry(self):
        _telemetry_off("stop_telemetry")

    def get_telemetry_topics(self):
        _telemetry_off("get_telemetry_topics")

    def set_telemetry_topics(self, topics):
        _telemetry_off("set_telemetry_topics")

    def get_telemetry_tracing(self):
        _telemetry_off("get_telemetry_tracing")

    def set_telemetry_tracing(self, enabled):
        _telemetry_off("set_telemetry_tracing")

    def get_telemetry_tracing_endpoints(self):
        _telemetry_off("get_telemetry_tracing_endpoints")

    def set_telemetry_tracing_endpoints(self, endpoints):
        _telemetry_off("set_telemetry_tracing_endpoints")

    def add_telemetry_tracing_endpoint(self, endpoint):
        _telemetry_off("add_telemetry_tracing_endpoint")

    def remove_telemetry_tracing_endpoint(self, endpoint):
        _telemetry_off("remove_telemetry_tracing_endpoint")

    def get_telemetry_logging(self):
        _telemetry_off("get_telemetry_logging")

    def set_telemetry_logging(self, enabled):
        _telemetry_off("set_telemetry_logging")

    def get_telemetry_logging_endpoints(self):
        _telemetry_off("get_telemetry_logging_endpoints")

    def set_telemetry_logging_endpoints(self, endpoints):
        _telemetry_off("set_telemetry_logging_endpoints")

    def add_telemetry_logging_endpoint(self, endpoint):
        _telemetry_off("add_telemetry_logging_endpoint")

    def remove_telemetry_logging_endpoint(self, endpoint):
        _telemetry_off("remove_telemetry_logging_endpoint")

    # -- attributes ----------------------------------------------------------------------------

    # The compiled method itself (the hot path, no Python frame in between):
    # read_attribute(attr_name, extract_as=ExtractAs.Numpy, green_mode=None, wait=None,
    # timeout=None) -> DeviceAttribute. It is green by itself: a synchronous call reads in place,
    # an asyncio one in a running loop makes its awaitable in C++, any other goes to
    # _green_read_attribute (the compiled layer is handed both below, _configure_green_reads).
    read_attribute = _tango.DeviceProxy.read_attribute

    read_attribute_ex = read_attribute

    @green_method
    def read_attributes(self, attr_names, extract_as=_NUMPY):
        """Read several attributes in one call: a list of DeviceAttribute."""
        if isinstance(attr_names, str):
            attr_names = [attr_names]
        return self._read_attributes(list(attr_names), extract_as)

    @green_method
    def write_attribute(self, attr_name, value):
        """Write one attribute. ``attr_name`` may also be an AttributeInfo(Ex)."""
        if isinstance(attr_name, (AttributeInfo, AttributeInfoEx)):
            attr_name = attr_name.name
        self._write_attribute(attr_name, value)

    @green_method
    def write_attributes(self, name_val):
        """Write several attributes in one call: ``[(name, value), ...]``."""
        self._write_attributes([(_attr_name(n), v) for n, v in name_val])

    @green_method
    def write_read_attribute(self, attr_name, value, extract_as=_NUMPY):
        """Write then read one attribute in one call."""
        return self._write_read_attribute(_attr_name(attr_name), value, extract_as)

    @green_method
    def write_read_attributes(self, name_val, attr_names, extract_as=_NUMPY):
        """Write attributes then read attributes, in one call."""
        return self._write_read_attributes(
            [(_attr_name(n), v) for n, v in name_val], list(attr_names), extract_as
        )

    # -- commands ------------------------------------------------------------------------------

    # command_inout and its asynch forms: tango/connection.py (ConnectionCommands), green here
    command_inout = green_method(ConnectionCommands.command_inout)
    command_inout_asynch = green_method(ConnectionCommands.command_inout_asynch)
    command_inout_reply = green_method(ConnectionCommands.command_inout_reply)

    # -- pipes ---------------------------------------------------------------------------------

    @green_method
    def read_pipe(self, pipe_name):
        """Read a pipe: ``(blob_name, [{"name": str, "dtype": CmdArgType, "value": ...}, ...])``.

        Numeric arrays come as numpy arrays, str and DevState arrays as lists, nested blobs as
        elements of dtype DevPipeBlob whose value has the same form. An array of one element
        reads as a scalar (Tango sends scalars as arrays of one)."""
        return self._read_pipe(pipe_name)

    @green_method
    def write_pipe(self, pipe_name, value):
        """Write a pipe with ``(blob_name, data)``: data a dict ``{name: value}`` or a list of
        ``{"name", "value"[, "dtype"]}`` dicts or ``(name, value[, dtype])`` tuples (see
        tango.server.pipe for how types follow values)."""
        self._write_pipe(pipe_name, value)

    @green_method
    def write_read_pipe(self, pipe_name, value):
        """Write then read a pipe in one call; returns what read_pipe returns."""
        return self._write_read_pipe(pipe_name, value)

    @green_method
    def get_pipe_config(self, value=None):
        """PipeInfo of one pipe name, a list of them for a sequence of names, or of all pipes."""
        if value is None:
            value = self.get_pipe_list()
        if isinstance(value, str):
            return self._get_pipe_config(value)
        return self._get_pipe_config(list(value))

    @green_method
    def set_pipe_config(self, value):
        """Change the label or description of pipes: a PipeInfo or a sequence of them."""
        if isinstance(value, PipeInfo):
            value = [value]
        self._set_pipe_config(list(value))

    # -- events --------------------------------------------------------------------------------

    def subscribe_event(self, *args, green_mode=None, wait=None, timeout=None, **kwargs):
        """Subscribe to events; returns the subscription id.

        ``subscribe_event(attr_name, event_type, cb, sub_mode=EventSubMode.SyncRead,
        extract_as=ExtractAs.Numpy)`` (``queuesize`` instead of ``cb`` for the pull model),
        ``subscribe_event(attr_name, event_type, cb, filters=[], stateless=False, extract_as=...)``
        (the older form), or ``subscribe_event(EventType.INTERFACE_CHANGE_EVENT, cb,
        sub_mode | stateless)`` for the device's interface. The callback is a callable or an object
        with ``push_event(event)``; an int instead is the size of a queue that :meth:`get_events`
        drains. Before cppTango 10.1 two sub modes exist: SyncRead (subscribed before the call
        returns, which fails if the attribute cannot be read) and Stateless (subscribed in the
        background, again and again until it works); the others say which cppTango they need.
        Green: the subscription is made as the green mode makes calls, and the callback runs as
        the mode wants (on the asyncio loop, coroutine functions too, or in the gevent hub).
        """
        sub = _subscription(args, kwargs)
        mode = resolved_mode(self, green_mode)
        if mode is not GreenMode.Synchronous:
            sub = sub._replace(target=_green_cb(sub.target, mode))
            return green_call(mode, self._subscribe, (sub,), {}, wait, timeout,
                              key=call_key(self, "subscribe_event", (sub.attr_name,)))
        return self._subscribe(sub)

    def _subscribe(self, sub):
        event_type, target, stateless = sub.event_type, sub.target, sub.stateless
        queue = isinstance(target, int) and not isinstance(target, bool)
        if not queue:
            _check_callback(target)
        if sub.attr_name is None:
            if queue:
                return self._subscribe_device_event_queue(event_type, target, stateless)
            event_id = self._subscribe_device_event(event_type, target, stateless)
        elif queue:
            return self._subscribe_event_queue(sub.attr_name, event_type, target, stateless)
        else:
            event_id = self._subscribe_event(sub.attr_name, event_type, target, stateless, sub.extract_as)
        # the proxy refers to its callbacks as long as they are subscribed, where the garbage
        # collector sees it (the compiled layer's reference is not one it can follow)
        self.__dict__.setdefault("_event_callbacks", {})[event_id] = target
        return event_id

    def get_events(self, event_id, callback=None, extract_as=_NUMPY):
        """Drain the queue of a pull-model subscription: a list of events, or each to callback."""
        return self._get_events(event_id, callback, extract_as)

    # -- asynchronous calls ----------------------------------------------------------------------

    # (these call the compiled methods, never each other: each public method is green, and one
    # executor call must not start another)

    @green_method
    def read_attribute_asynch(self, attr_name, cb=None, extract_as=_NUMPY):
        """Start reading one attribute: an id for read_attribute_reply, or cb.attr_read(event)."""
        if cb is None:
            return self._read_attributes_asynch([attr_name])
        self._read_attributes_asynch_cb([attr_name], cb, extract_as)

    @green_method
    def read_attributes_asynch(self, attr_names, cb=None, extract_as=_NUMPY):
        names = [attr_names] if isinstance(attr_names, str) else list(attr_names)
        if cb is None:
            return self._read_attributes_asynch(names)
        self._read_attributes_asynch_cb(names, cb, extract_as)

    @green_method
    def read_attribute_reply(self, idx, poll_timeout=None, extract_as=_NUMPY):
        """The DeviceAttribute of an asynchronous read.

        ``poll_timeout`` in milliseconds: None does not wait (AsynReplyNotArrived if the reply
        is not there yet), 0 waits for ever.
        """
        values = self._read_attributes_reply(idx, _reply_timeout(poll_timeout), extract_as)
        value = values[0]
        if value.has_failed:
            raise DevFailed(*value.get_err_stack())
        return value

    @green_method
    def read_attributes_reply(self, idx, poll_timeout=None, extract_as=_NUMPY):
        """The DeviceAttributes of an asynchronous read (a failed one has has_failed set)."""
        return self._read_attributes_reply(idx, _reply_timeout(poll_timeout), extract_as)

    @green_method
    def write_attribute_asynch(self, attr_name, value, cb=None):
        """Start writing one attribute (a name or its AttributeInfoEx): an id for
        write_attribute_reply, or cb.attr_written(event)."""
        return self._write_attributes_asynch([(_attr_name(attr_name), value)], cb, self)

    @green_method
    def write_attributes_asynch(self, name_val, cb=None):
        return self._write_attributes_asynch([(_attr_name(n), v) for n, v in name_val], cb, self)

    @green_method
    def write_attribute_reply(self, idx, poll_timeout=None):
        """Wait for an asynchronous write (``poll_timeout`` as in read_attribute_reply)."""
        self._write_attributes_reply(idx, _reply_timeout(poll_timeout))

    write_attributes_reply = write_attribute_reply  # (green already)

    # -- configuration -------------------------------------------------------------------------

    @green_method
    def get_attribute_config(self, value):
        """AttributeInfoEx of one attribute name, or a list of them for a sequence of names."""
        if isinstance(value, str):
            return super().get_attribute_config(value)
        return super().get_attribute_config_ex(list(value))

    @green_method
    def get_attribute_config_ex(self, value):
        if isinstance(value, str):
            value = [value]
        return super().get_attribute_config_ex(list(value))

    @green_method
    def set_attribute_config(self, attr_info):
        """Change the configuration of one attribute (an AttributeInfoEx) or of several."""
        if isinstance(attr_info, (AttributeInfo, AttributeInfoEx)):
            attr_info = [attr_info]
        super().set_attribute_config(list(attr_info))

    @green_method
    def get_command_config(self, value=None):
        if value is None:
            return CommandInfoList(_tango.DeviceProxy.command_list_query(self))
        if isinstance(value, str):
            return super().get_command_config(value)
        return super().get_command_config(list(value))

    # -- the device's properties, through the database it is registered in (tango/db.py) -------

    def get_device_db(self):
        """The Database of this device (a device reached with #dbase=no has none)."""
        db = self.__dict__.get("_device_db")
        if db is None:
            if not self.is_dbase_used():
                from .errors import Except

                Except.throw_exception(
                    "API_NonDatabaseDevice",
                    f"Method not available for device {self.dev_name()} which is not using a database",
                    "DeviceProxy.get_device_db")
            from .db import database_at

            db = self.__dict__["_device_db"] = database_at(self.get_db_host(), self.get_db_port_num())
        return db

    @green_method
    def get_property(self, propname, value=None):
        """The device properties named by ``propname`` (str, sequence, dict or DbDatum), as
        {name: [str, ...]}; a DbData given as ``value`` is filled with them too."""
        from .db import DbData, DbDatum

        props = self.get_device_db().get_device_property(self.dev_name(), propname)
        if isinstance(props, DbData):  # asked with a DbData, which the database filled
            props = {datum.name: list(datum.value_string) for datum in props}
        if value is not None:

            if not isinstance(value, DbData):
                raise TypeError(f"value must be a DbData to fill, not {type(value).__name__}")
            value[:] = [DbDatum(name, values) for name, values in props.items()]
        return props

    @green_method
    def put_property(self, value):
        """Store device properties: a dict {name: value}, a DbDatum or a sequence of them."""
        self.get_device_db().put_device_property(self.dev_name(), value)

    @green_method
    def delete_property(self, value):
        """Delete the device properties named by ``value`` (str, sequence, dict or DbDatum)."""
        self.get_device_db().delete_device_property(self.dev_name(), value)

    @green_method
    def get_property_list(self, filter, array=None):
        """The names of the device's properties that match ``filter`` (wildcard ``*``); with
        ``array`` (a list), the names are appended to it too."""
        names = list(self.get_device_db().get_device_property_list(self.dev_name(), filter))
        if array is not None:
            array.extend(names)
            return array
        return names


def _telemetry_off(call):
    raise NonSupportedFeature(DevError(
        "API_UnsupportedFeature",
        f"{call}: telemetry is off in this pytango (tango.constants.TELEMETRY_SUPPORTED is False)",
        f"DeviceProxy.{call}", ErrSeverity.ERR))


# what a proxy whose construction failed is left connected to: a name that reaches no device
_NOT_CONNECTED = "tango://127.0.0.1:1/not/fully/initialized#dbase=no"


def _not_initialized():
    raise RuntimeError("DeviceProxy object was not fully initialized: creating it failed (see the error raised "
                       "then)")


class _UnknownInfo:
    """What repr shows of a device whose info cannot be had."""

    dev_class = "Device"


_UNKNOWN_INFO = _UnknownInfo()


class _Subscription(typing.NamedTuple):
    """What one subscribe_event call asks for, whichever of its forms was used."""

    attr_name: typing.Optional[str]  # None: an event of the device (its interface)
    event_type: EventType
    target: typing.Any  # the callback, or the size of the pull model's queue
    stateless: bool
    extract_as: ExtractAs


# the sub modes the cppTango lines here can give, as the stateless flag they amount to
_SUB_MODE_STATELESS = {EventSubMode.SyncRead: False, EventSubMode.Stateless: True}


def _subscription(args, kwargs):
    """subscribe_event's arguments in any of PyTango's forms (positional or keyword, old or
    new), checked: a TypeError or IndexError that says what is wrong."""
    args, kwargs = list(args), dict(kwargs)

    def take(position, *names, default=_MISSING):
        for name in names:
            if name in kwargs:
                if position < len(args):
                    raise TypeError(f"subscribe_event() got {name!r} both by position and by keyword")
                return kwargs.pop(name)
        return args[position] if position < len(args) else default

    device_form = bool(args) and isinstance(args[0], EventType) or (
        not args and "attr_name" not in kwargs and "event_type" in kwargs)
    first = 0 if device_form else 1
    attr_name = None if device_form else take(0, "attr_name")
    event_type = take(first, "event_type")
    if attr_name is _MISSING or event_type is _MISSING:
        raise TypeError("subscribe_event(attr_name, event_type, cb, ...) or "
                        "subscribe_event(EventType.INTERFACE_CHANGE_EVENT, cb, ...)")
    if attr_name is not None and not isinstance(attr_name, str):
        raise TypeError(f"the attribute name must be a str, not {type(attr_name).__name__}")
    event_type = EventType(event_type)
    if device_form and event_type != EventType.INTERFACE_CHANGE_EVENT:
        raise TypeError("This method is only for Interface Change Events: subscribe to an attribute's events "
                        "with subscribe_event(attr_name, event_type, cb)")
    target = take(first + 1, "cb", "queuesize", "cb_or_queuesize")
    if target is _MISSING:
        raise IndexError(f"Expected parameter 'cb' as either positional arg {first + 2}, or keyword arg 'cb' "
                         "(or 'queuesize' for the pull model)")
    if target is None:
        raise TypeError("Parameter 'cb' must be callable object, an object with push_event(), or an int (queuesize)")
    rest = args[first + 2:]
    sub_mode = kwargs.pop("sub_mode", _MISSING)
    filters = kwargs.pop("filters", None)
    stateless = kwargs.pop("stateless", _MISSING)
    extract_as = kwargs.pop("extract_as", _MISSING)
    if rest and isinstance(rest[0], EventSubMode):  # (..., sub_mode[, extract_as])
        sub_mode, rest = rest[0], rest[1:]
        if rest and not device_form:
            extract_as, rest = rest[0], rest[1:]
    elif rest and device_form:  # (event_type, cb, stateless)
        stateless, rest = rest[0], rest[1:]
    elif rest:  # (attr_name, event_type, cb, filters[, stateless[, extract_as]])
        filters, rest = rest[0], rest[1:]
        if rest:
            stateless, rest = rest[0], rest[1:]
        if rest:
            extract_as, rest = rest[0], rest[1:]
    if rest or kwargs:
        raise TypeError(f"subscribe_event() got unexpected arguments: {rest or sorted(kwargs)}")
    if filters:
        raise NonSupportedFeature(DevError(
            "API_UnsupportedFeature", "event filters are not supported by cppTango's ZMQ events",
            "DeviceProxy.subscribe_event", ErrSeverity.ERR))
    if sub_mode is not _MISSING:
        if stateless is not _MISSING:
            raise TypeError("subscribe_event() takes sub_mode or stateless, not both")
        try:
            sub_mode = EventSubMode(sub_mode)
        except ValueError:
            raise ValueError(f"{sub_mode!r} is not an EventSubMode ({', '.join(EventSubMode.__members__)})") from None
        if sub_mode not in _SUB_MODE_STATELESS:
            raise NonSupportedFeature(DevError(
                "API_UnsupportedFeature",
                f"EventSubMode.{sub_mode.name} needs cppTango 10.1 or newer; this pytango runs on cppTango "
                f"{_tango.__cpptango_version__} (SyncRead and Stateless are available)",
                "DeviceProxy.subscribe_event", ErrSeverity.ERR))
        stateless = _SUB_MODE_STATELESS[sub_mode]
    return _Subscription(attr_name, event_type, target, bool(stateless) if stateless is not _MISSING else False,
                         _NUMPY if extract_as is _MISSING else ExtractAs(extract_as))


_MISSING = object()


def _check_callback(cb):
    if not (callable(cb) or hasattr(cb, "push_event")):
        raise TypeError(f"the event callback must be callable or have push_event(), got {cb!r}")


def _enum_class(name, labels):
    """An IntEnum of the labels of a DevEnum attribute (labels that are not identifiers kept)."""
    return enum.IntEnum(name, [(label, i) for i, label in enumerate(labels)])


def _as_members(value, enum_class):
    """A DevEnum reading as enum members: one, a tuple (spectrum), a tuple of tuples (image)."""
    if isinstance(value, int) or not hasattr(value, "__len__"):
        return enum_class(value)
    if hasattr(value, "tolist"):
        value = value.tolist()
    return tuple(tuple(map(enum_class, row)) if isinstance(row, (list, tuple)) else enum_class(row)
                 for row in value)


def _has_text(value):
    """A str, or a (nested) list or tuple with one: labels to turn into DevEnum values."""
    if isinstance(value, str):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_text(v) for v in value)
    return False


def _labels_to_values(value, enum_class, attr_name):
    if isinstance(value, str):
        try:
            return enum_class[value]
        except KeyError:
            raise AttributeError(f"Invalid enum value {value} for attribute {attr_name}. "
                                 f"Valid values: {list(enum_class.__members__)}") from None
    if isinstance(value, (list, tuple)):
        return [_labels_to_values(v, enum_class, attr_name) for v in value]
    return value


def _attr_name(name):
    return name.name if isinstance(name, (AttributeInfo, AttributeInfoEx)) else name


def get_device_proxy(*args, green_mode=None, wait=None, timeout=None, **kwargs):
    """A DeviceProxy, made the way its green mode (``green_mode``, else the default one) makes
    calls, as PyTango's factory: a proxy (Synchronous), a Future or AsyncResult with
    ``wait=False`` (Futures, Gevent), an awaitable future (Asyncio)."""
    from .green import _as_mode, get_green_mode, green_call

    mode = _as_mode(green_mode) if green_mode is not None else get_green_mode()
    if mode == GreenMode.Synchronous:
        return DeviceProxy(*args, green_mode=mode, **kwargs)
    return green_call(mode, DeviceProxy, args, dict(kwargs, green_mode=mode), wait=wait, timeout=timeout)


# -- the green parts that are not methods ---------------------------------------------------------


def _green_cb(cb, mode):
    if isinstance(cb, int) and not isinstance(cb, bool):
        return cb  # a queue size: the pull model
    _check_callback(cb)
    return green_callback(cb, mode)


def _plain_read_attribute(self, attr_name, extract_as=_NUMPY):
    return _tango.DeviceProxy._read_attribute(self, attr_name, extract_as)


_plain_read_attribute.__name__ = _plain_read_attribute.__qualname__ = "read_attribute"
_green_plain_read = green_method(_plain_read_attribute)


def _green_read_attribute(self, attr_name, extract_as, green_mode, wait, timeout):
    """read_attribute made as any green method is: what the compiled read_attribute hands on
    when it does not make the call itself (see ext/client/device_proxy.cpp)."""
    return _green_plain_read(self, attr_name, extract_as, green_mode=green_mode, wait=wait, timeout=timeout)


class AsyncioSupport(typing.NamedTuple):
    """What the compiled asyncio reads use (ext/client/device_proxy.cpp, async_call.cpp)."""

    get_running_loop: typing.Callable  # () -> the running loop or None
    future_type: type  # TangoFuture
    inline_limit: float  # seconds: a call this quick last time may run in place
    loop_port: typing.Callable  # loop -> its port (C++ pool results) or None
    submit: typing.Callable  # (loop, fn, args, kwargs, future): the Python workers


def _asyncio_support():
    """What the compiled read_attribute needs for asyncio, asked for once, at its first asyncio
    call (asyncio is not imported by ``import tango``)."""
    import asyncio
    from . import _asyncio_calls as calls

    return AsyncioSupport(asyncio._get_running_loop, calls.TangoFuture, calls.INLINE_LIMIT, calls.loop_port,
                          calls.workers.submit)


# The compiled layer is handed the Python objects its read_attribute uses, once.
_tango._configure_green_reads(
    default_mode=get_green_mode,
    synchronous=GreenMode.Synchronous,
    asyncio=GreenMode.Asyncio,
    green_read=_green_read_attribute,
    asyncio_support=_asyncio_support,
    mode_key="_green_mode",
    executors_key="_executors",
    quick_key="_green_read_quick",
)
