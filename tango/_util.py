"""``tango.Util``: cppTango's Util, with the classic way to start a server (add_class,
server_init). The server layer is imported when a server is started, not with ``tango``."""

import os
import sys

from . import _tango

__all__ = ["Util", "Interceptors"]


class Interceptors:
    """Hooks called by the server in each thread it makes to serve requests
    (``create_thread``) and in each one it ends (``delete_thread``): subclass it and hand an
    instance to ``Util.set_interceptors`` before ``server_init``."""

    def create_thread(self):
        """Called in a new thread of the server."""

    def delete_thread(self):
        """Called in a thread of the server about to end."""


class Util(_tango.Util):
    """cppTango's Util, made from the command line (``Util(sys.argv)``: the program name first),
    with the classic way to start a server::

        util = tango.Util(sys.argv)
        util.add_class(PowerSupplyClass, PowerSupply, "PowerSupply")
        tango.Util.instance().server_init()
        tango.Util.instance().server_run()

    ``tango.server.run`` does the same in one call."""

    def __init__(self, args):
        args = [str(a) for a in args]
        if args:
            args[0] = os.path.splitext(os.path.basename(args[0]))[0] or "server"
        if args:
            from .server.run import _translate

            args = _translate(args)
        self._start(args)

    def _start(self, args):
        super().__init__(args)
        self._classes = []
        # kept: cppTango's Util is a singleton, and while this object lives Util.instance()
        # gives it (a tango.Util, with the methods below), not a bare compiled one
        Util._current = self

    @classmethod
    def _from_command_line(cls, args):
        """A Util made from a command line already in cppTango's words (tango.server.run)."""
        util = cls.__new__(cls)
        util._start(list(args))
        return util

    def add_class(self, class_class, device_class=None, class_name=None, language="python"):
        """Add a device class to the server, before server_init: a classic pair
        (``DeviceClass`` subclass, ``LatestDeviceImpl`` subclass, Tango class name, default
        the latter's name), or a tango.server.Device subclass alone."""
        if language != "python" or isinstance(class_class, str):
            raise TypeError("cppTango classes cannot be added to a Python server here: pytango "
                            "does not load C++ device classes (run their own server instead)")
        if device_class is None:
            self._classes.append(class_class)
        else:
            self._classes.append((class_class, device_class, class_name or device_class.__name__))

    add_TgClass = add_class

    @staticmethod
    def init(args):
        """The same as ``Util(args)``."""
        return Util(args)

    def get_class_list(self):
        """The device classes of the server: the ``DeviceClass`` instance of each classic class,
        the compiled DeviceClass (as ``Device.get_device_class()`` gives it) of each high-level
        one."""
        out = []
        for cpp in self._device_classes():
            found = None
            for klass in _constructed_classes():
                if klass.get_name() == cpp.get_name():
                    found = klass
                    break
            out.append(cpp if found is None else found)
        return out

    def set_interceptors(self, interceptors):
        """Have ``interceptors.create_thread()`` / ``delete_thread()`` called in the threads the
        server makes and ends to serve requests (a ``tango.Interceptors``)."""
        if not isinstance(interceptors, Interceptors):
            raise TypeError(f"set_interceptors takes a tango.Interceptors, not {interceptors!r}")
        self._set_interceptors(interceptors)

    if not hasattr(_tango.Util, "is_auto_alarm_on_change_event"):  # compiled on cppTango 10, which has it
        def is_auto_alarm_on_change_event(self):
            _needs_tango_10("is_auto_alarm_on_change_event")

        def set_auto_alarm_on_change_event(self, enabled):
            _needs_tango_10("set_auto_alarm_on_change_event")

    def create_device(self, klass_name, device_name, alias=None, cb=None):
        """Add the device ``device_name`` of the class ``klass_name`` to the database (with the
        alias, if given), call ``cb(device_name)`` (to put its properties, say), then create it
        in this server, as the server's start does. DevFailed: the device exists already
        (PyAPI_DeviceAlreadyDefined), the class is not one of the server's
        (PyAPI_UnknownDeviceClass), ``cb`` is not callable (PyAPI_InvalidParameter); if ``cb``
        or the creation fails, the device leaves the database again and the error is raised."""
        from .errors import Except

        if cb is not None and not callable(cb):
            Except.throw_exception("PyAPI_InvalidParameter", f"cb must be a callable, not {cb!r}",
                                   "Util.create_device")
        device_name = str(device_name).lower()
        klass = self._class_named(klass_name, "Util.create_device")
        db = self._database("Util.create_device")
        if _defined_in(db, device_name, "Util.create_device"):
            Except.throw_exception("PyAPI_DeviceAlreadyDefined",
                                   f"The device {device_name} is already defined in the database",
                                   "Util.create_device")
        from ._tango import DbDevInfo

        info = DbDevInfo()
        info.name = device_name
        info._class = klass.get_name()
        info.server = self.get_ds_name()
        db.add_device(info)
        try:
            if alias is not None:
                db.put_device_alias(device_name, alias)
            if cb is not None:
                cb(device_name)
            klass.device_factory([device_name])
        except BaseException:
            if alias is not None:
                try:
                    db.delete_device_alias(alias)
                except Exception:
                    pass
            db.delete_device(device_name)
            raise

    def delete_device(self, klass_name, device_name):
        """Delete the device ``device_name`` of the class ``klass_name`` from the database and
        from this server (its delete_device runs). DevFailed: not in the database
        (PyAPI_DeviceNotDefined), not a device of this server's class
        (PyAPI_DeviceNotDefinedInServer)."""
        from .errors import Except

        device_name = str(device_name).lower()
        db = self._database("Util.delete_device")
        if not _defined_in(db, device_name, "Util.delete_device"):
            Except.throw_exception("PyAPI_DeviceNotDefined",
                                   f"The device {device_name} is not defined in the database",
                                   "Util.delete_device")
        klass = self._class_named(klass_name, "Util.delete_device")
        mine = [d.get_name().lower() for d in self.get_device_list_by_class(klass.get_name())]
        if device_name not in mine:
            Except.throw_exception("PyAPI_DeviceNotDefinedInServer",
                                   f"The device {klass_name}::{device_name} is not defined in this server",
                                   "Util.delete_device")
        db.delete_device(device_name)
        klass.device_destroyer(device_name)

    def _class_named(self, klass_name, origin):
        from .errors import Except

        for klass in self.get_class_list():
            if klass.get_name() == klass_name:
                return klass
        Except.throw_exception("PyAPI_UnknownDeviceClass", f"The device class {klass_name} is not one of this "
                               "server's", origin)

    def _database(self, origin):
        from .errors import Except

        db = self.get_database()
        if db is None:
            Except.throw_exception("PyAPI_NoDatabase", "This server runs without a database", origin)
        return db

    def add_Cpp_TgClass(self, device_class_name, tango_device_class_name):
        raise TypeError(f"{device_class_name}: pytango does not load C++ device classes")

    def server_init(self, with_window=False):
        """Create and export the devices of the classes added (add_class)."""
        from .server.run import _init_server, _specs, _start_worker

        classes, specs = _specs(self._classes)
        worker = _start_worker(classes, specs, None)
        _init_server(self, specs, worker, None, sys.stdout)


def _constructed_classes():
    from .server.classic import constructed_class

    return list(constructed_class)


def _defined_in(db, device_name, origin):
    """Whether the database knows the device. A database that cannot tell (the file database of
    -file=, which test contexts use, keeps no device list) is a DevFailed PyAPI_NoDatabase."""
    from .errors import DevFailed, Except

    try:
        db.import_device(device_name)
    except DevFailed as exc:
        reason = exc.args[0].reason
        if reason == "API_NotSupported":
            Except.throw_exception("PyAPI_NoDatabase", "Devices are added to and deleted from a Tango "
                                   "database: this server's (a file database) cannot do it", origin)
        return reason != "DB_DeviceNotDefined"
    return True


def _needs_tango_10(name):
    raise NotImplementedError(f"Util.{name} needs cppTango 10 or newer; this pytango runs on cppTango "
                              f"{_tango.__cpptango_version__}")
