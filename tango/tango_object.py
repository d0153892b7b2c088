"""``tango.server.Server``: plain Python objects served as Tango devices (PyTango's experimental
object server, deprecated there and to be removed in PyTango 11).

    class Counter:
        value = 0
        def reset(self):
            self.value = 0

    server = Server("instance1", server_type="Counters")
    server.register_object(Counter(), "test/counter/1")
    server.run()          # registers the devices in the Tango database, then serves them

Each registered object's class becomes a Tango class (one per class name): every public data
member is an attribute (numbers, strings, booleans and numpy arrays keep their Tango type; any
other value is a DevEncoded attribute holding its encoding, ``protocol`` "pickle" or "json"), read
only for a property without a setter; every public method is a command taking the encoded
``(args, kwargs)`` and returning the encoded result (DevEncoded both ways; a method without
parameters takes nothing). The object is held weakly: when it is deleted, its device is too.
"""

import inspect
import logging
import os
import sys
import warnings
import weakref

from ._tango import AttrDataFormat, AttrWriteType, CmdArgType, DevState
from .enums import GreenMode

__all__ = ["Server"]


def _codec(protocol):
    from .codec import _codec as find

    return find(protocol)


def _encode(protocol, value):
    codec = _codec(protocol)
    if codec.__name__ == "pickle":
        return protocol, codec.dumps(value, protocol=codec.HIGHEST_PROTOCOL)
    return protocol, codec.dumps(value).encode()


def _decode(fmt, data):
    codec = _codec(fmt)
    if codec.__name__ != "pickle" and isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode()
    return codec.loads(data)


def _attribute_type(value):
    """(dtype, dformat, max_dim_x, max_dim_y) of a data member: DevEncoded for what Tango has
    no type for."""
    from .utils import TO_TANGO_TYPE

    dtype = TO_TANGO_TYPE.get(type(value)) if not isinstance(value, (list, tuple, dict)) else None
    if dtype is not None and dtype not in (CmdArgType.DevEncoded, CmdArgType.DevVoid):
        return dtype, AttrDataFormat.SCALAR, 1, 0
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.ndarray) and value.ndim in (1, 2):
        dtype = TO_TANGO_TYPE.get(value.dtype.name)
        if dtype is not None:
            if value.ndim == 1:
                return dtype, AttrDataFormat.SPECTRUM, max(2**16, value.shape[0]), 0
            return dtype, AttrDataFormat.IMAGE, max(2**16, value.shape[1]), max(2**16, value.shape[0])
    return CmdArgType.DevEncoded, AttrDataFormat.SCALAR, 1, 0


def _takes_arguments(method):
    try:
        return bool(inspect.signature(method).parameters)
    except (TypeError, ValueError):  # a builtin without a signature: take the encoded arguments
        return True


def _read_only(klass, name):
    member = inspect.getattr_static(klass, name, None)
    return isinstance(member, property) and member.fset is None


def _make_tango_class(server, obj, tango_class_name, member_filter=None):
    """A tango.server.Device subclass serving objects like ``obj`` (see the module docstring)."""
    from .server import Device, attribute, command

    log = logging.getLogger("tango.Server." + server.server_instance.replace("/", "."))
    namespace = {"TangoClassName": tango_class_name, "__module__": __name__}

    def init_device(self):
        Device.init_device(self)
        self.set_state(DevState.ON)

    namespace["init_device"] = init_device
    namespace["_object"] = property(lambda self: server._object_of(self.get_name()))

    for name in dir(obj):
        if name.startswith("_"):
            continue
        try:
            member = getattr(obj, name)
        except Exception:  # a property that fails: not served
            log.info("cannot inspect %s.%s: not served", type(obj).__name__, name, exc_info=True)
            continue
        if inspect.isclass(member) or inspect.ismodule(member):
            continue
        if member_filter is not None and not member_filter(obj, tango_class_name, name, member):
            continue
        if inspect.isroutine(member):
            namespace[name] = _method_command(server, name, member, command)
        else:
            namespace[name] = _member_attribute(server, name, member, _read_only(type(obj), name),
                                                attribute)
    return type(tango_class_name, (Device,), namespace)


def _method_command(server, name, member, command):
    doc = member.__doc__ or ""
    if _takes_arguments(member):
        def call(self, encoded):
            args, kwargs = _decode(*encoded)
            return server._encode(server.worker.execute(getattr(self._object, name), *args, **kwargs))

        call.__name__ = name
        return command(call, dtype_in=CmdArgType.DevEncoded, dtype_out=CmdArgType.DevEncoded,
                       doc_in="(args, kwargs), encoded", doc_out=doc or "the result, encoded")

    def call_void(self):
        return server._encode(server.worker.execute(getattr(self._object, name)))

    call_void.__name__ = name
    return command(call_void, dtype_out=CmdArgType.DevEncoded, doc_out=doc or "the result, encoded")


def _member_attribute(server, name, value, read_only, attribute):
    dtype, dformat, max_x, max_y = _attribute_type(value)
    encoded = dtype == CmdArgType.DevEncoded

    def read(self):
        current = server.worker.execute(getattr, self._object, name)
        return server._encode(current) if encoded else current

    def write(self, new_value):
        if encoded:
            new_value = _decode(*new_value)
        server.worker.execute(setattr, self._object, name, new_value)

    options = {"name": name, "dtype": dtype, "dformat": dformat, "fget": read,
               "access": AttrWriteType.READ if read_only else AttrWriteType.READ_WRITE}
    if dformat != AttrDataFormat.SCALAR:
        options["max_dim_x"] = max_x
    if dformat == AttrDataFormat.IMAGE:
        options["max_dim_y"] = max_y
    if not read_only:
        options["fset"] = write
    return attribute(**options)


class Server:
    """Serve Python objects as Tango devices (deprecated, as in PyTango: an experimental API).

    ``server_name``: the instance name; ``server_type``: the server's name (default the
    program's, without its extension); ``port``: the port to listen on (default: any);
    ``event_loop_callback``: run by the server loop when idle; ``init_callbacks``: ``{phase:
    callable}`` run when the server reaches Server.Phase1 (the Util made) and Server.Phase2
    (the devices served); ``auto_clean``: remove the devices from the database when the server
    ends; ``tango_classes``: Device classes served besides the objects' own; ``protocol``: how
    values Tango has no type for are encoded ("pickle" or "json")."""

    Phase0, Phase1, Phase2 = range(3)
    PreInitPhase = Phase1
    PostInitPhase = Phase2

    def __init__(self, server_name, server_type=None, port=None, event_loop_callback=None,
                 init_callbacks=None, auto_clean=False, green_mode=None, tango_classes=None,
                 protocol="pickle"):
        warnings.warn("tango.server.Server was an experimental API: it will be removed in PyTango 11.0.0",
                      DeprecationWarning, stacklevel=2)
        if not server_name or not isinstance(server_name, str):
            raise ValueError(f"Must give a valid server name (a non-empty str), not {server_name!r}")
        _codec(protocol)  # TypeError now for a protocol that is neither pickle nor json
        from .server.run import _specs

        self._server_name = server_name
        self._server_type = server_type
        self._port = port
        self._event_loop_callback = event_loop_callback
        self._init_callbacks = dict(init_callbacks or {})
        self._auto_clean = bool(auto_clean)
        self._green_mode = green_mode
        self._protocol = protocol
        self._tango_classes = list(_specs(tango_classes)[0]) if tango_classes else []
        self._objects = {}  # lower-case device name -> _TangoObject
        self._util = None
        self._running = False
        self._phase = Server.Phase0
        self.log = logging.getLogger("tango.Server")
        from .server.green import get_worker

        self._worker = get_worker()

    class TangoObjectAdapter:
        """A registered object: its device name, alias, class names, and the object (weakly)."""

        def __init__(self, server, obj, full_name, alias=None, tango_class_name=None):
            self._server_ref = weakref.ref(server)
            self.full_name = full_name
            self.alias = alias
            self.class_name = type(obj).__name__
            self.tango_class_name = tango_class_name or self.class_name
            self._object_ref = weakref.ref(obj, self._deleted)

        def _deleted(self, _ref):
            self._object_ref = None
            server = self._server_ref()
            if server is not None:
                server.log.info("object deleted %s(%s)", self.class_name, self.full_name)
                server.unregister_object(self.full_name)

        @property
        def _server(self):
            return self._server_ref()

        @property
        def _object(self):
            return None if self._object_ref is None else self._object_ref()

    # -- names and modes -----------------------------------------------------------------------

    @property
    def server_type(self):
        if self._server_type is not None:
            return self._server_type
        return os.path.splitext(os.path.basename(sys.argv[0] if sys.argv else ""))[0] or "Server"

    @property
    def server_instance(self):
        return f"{self.server_type}/{self._server_name}"

    @property
    def green_mode(self):
        if self._green_mode is not None:
            return self._green_mode
        from .green import get_green_mode

        return get_green_mode()

    @green_mode.setter
    def green_mode(self, green_mode):
        if green_mode == self._green_mode:
            return
        if self._running:
            raise RuntimeError("Cannot change green mode while server is running")
        self._green_mode = green_mode

    @property
    def async_mode(self):
        return self.green_mode in (GreenMode.Gevent, GreenMode.Asyncio)

    @property
    def worker(self):
        return self._worker

    @property
    def tango_util(self):
        """cppTango's Util of the running server (DevFailed before run() has made it)."""
        if self._util is None:
            from . import _tango

            self._util = _tango.Util.instance(False)
        return self._util

    def _command_line(self):
        args = [self.server_type, self._server_name]
        if self._port is not None:
            args += ["-ORBendPoint", f"giop:tcp:0.0.0.0:{int(self._port)}"]
        return args

    def _set_phase(self, phase):
        self._phase = phase
        callback = self._init_callbacks.get(phase)
        if callback:
            self.worker.execute(callback)

    def dumps(self, obj):
        """``(protocol, data)``: ``obj`` encoded in the server's protocol."""
        return self._encode(obj)

    def _encode(self, obj):
        return _encode(self._protocol, obj)

    # -- objects and classes -------------------------------------------------------------------

    def get_devices(self):
        """``({tango class: [device names]}, {device name: tango class})`` of this server in the
        Tango database (device names in lower case)."""
        from .db import Database

        db = Database() if self._util is None else self._util.get_database()
        names = list(db.get_device_class_list(self.server_instance))
        class_map, dev_map = {}, {}
        for dev_name, class_name in zip(names[::2], names[1::2]):
            class_map.setdefault(class_name, []).append(dev_name.lower())
            dev_map[dev_name.lower()] = class_name
        return class_map, dev_map

    def get_tango_object(self, name):
        return self._objects.get(name.lower())

    def _object_of(self, device_name):
        adapter = self.get_tango_object(device_name)
        obj = None if adapter is None else adapter._object
        if obj is None:
            from .errors import Except

            Except.throw_exception("PyDs_ObjectGone", f"the object of {device_name} is gone",
                                   "Server._object_of")
        return obj

    def get_tango_class(self, tango_class_name):
        for klass in self._tango_classes:
            if getattr(klass, "TangoClassName", klass.__name__) == tango_class_name:
                return klass
        return None

    def register_tango_device(self, klass, name):
        raise NotImplementedError("register_tango_device is not implemented (as in PyTango): "
                                  "register an object, or give its Device class in tango_classes")

    def register_tango_class(self, klass):
        if self._phase > Server.Phase1:
            raise RuntimeError("Cannot add new class after phase 1 (i.e. after server_init)")
        self._tango_classes.append(klass)

    def register_object(self, obj, name, tango_class_name=None, member_filter=None):
        """Serve ``obj`` as the device ``name`` (``a/b/c``; a name without slashes is an alias,
        the device being ``<server_type>/<instance>/<name>``), of the Tango class
        ``tango_class_name`` (default the object's class name). ``member_filter(obj,
        tango_class_name, member_name, member) -> bool`` chooses the members served."""
        if not isinstance(name, str):
            raise TypeError(f"the device name must be a str, not {type(name).__name__}")
        slashes = name.count("/")
        if slashes == 0:
            alias, full_name = name, f"{self.server_instance}/{name}"
        elif slashes == 2:
            alias, full_name = None, name
        else:
            raise ValueError(f"Invalid name {name!r}: a device name (a/b/c) or an alias (no slash)")
        class_name = tango_class_name or type(obj).__name__
        if self.get_tango_class(class_name) is None:
            self.register_tango_class(_make_tango_class(self, obj, class_name, member_filter))
        adapter = self.TangoObjectAdapter(self, obj, full_name, alias, tango_class_name=class_name)
        self._objects[full_name.lower()] = adapter
        if self._phase > Server.Phase1:
            self.tango_util.create_device(class_name, full_name)
        return adapter

    def unregister_object(self, name):
        adapter = self._objects.pop(name.lower())
        if self._phase > Server.Phase1:
            util = self.tango_util
            if not util.is_svr_shutting_down():
                util.delete_device(adapter.tango_class_name, name)

    # -- running -------------------------------------------------------------------------------

    def _prepare(self):
        """Register the server and its devices in the Tango database (devices it no longer
        has, or whose class changed, removed first)."""
        from .db import Database, DbDevInfo
        from .device_proxy import DeviceProxy

        db = Database()
        instance = self.server_instance
        dev_map = {}
        if instance in list(db.get_server_list(instance)):
            admin = f"dserver/{instance}"
            if db.import_device(admin).exported:
                try:
                    DeviceProxy(admin).ping()
                except Exception:
                    self.log.info("Last time server was not properly shutdown!")
                else:
                    raise RuntimeError(f"Server {instance} already running")
            dev_map = self.get_devices()[1]
        to_add = {}
        to_remove = set(dev_map) - set(self._objects)
        for name, adapter in self._objects.items():
            known = dev_map.get(name)
            if known != adapter.tango_class_name:
                if known is not None:
                    to_remove.add(name)
                to_add[name] = adapter
        for name in to_remove:
            db.delete_device(name)
        infos = []
        for server_class, dev_name in [("DServer", f"dserver/{instance}")] + [
                (a.tango_class_name, a.full_name) for a in to_add.values()]:
            info = DbDevInfo()
            info.name, info._class, info.server = dev_name, server_class, instance
            infos.append(info)
        db.add_server(instance, infos)
        for adapter in to_add.values():
            if adapter.alias:
                db.put_device_alias(adapter.full_name, adapter.alias)

    def _clean_up(self):
        from .db import Database

        db = Database()
        for dev_name in list(db.get_device_class_list(self.server_instance))[::2]:
            try:
                db.delete_device(dev_name)
            except Exception:
                self.log.error("Failed to cleanup %s", dev_name, exc_info=True)

    def run(self, timeout=None):
        """Register the devices, then serve them until the server is shut down."""
        if self._running:
            raise RuntimeError("Server is already running")
        from .server.run import run

        self._prepare()
        self._running = True
        try:
            run(self._tango_classes, args=self._command_line(), event_loop=self._event_loop_callback,
                pre_init_callback=lambda: self._set_phase(Server.Phase1),
                post_init_callback=lambda: self._set_phase(Server.Phase2), green_mode=self._green_mode,
                raises=True)
        finally:
            self._running = False
            if self._auto_clean:
                self._clean_up()
