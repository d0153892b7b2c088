"""``tango.Util``: cppTango's Util, with the classic way to start a server (add_class,
server_init). The server layer is imported when a server is started, not with ``tango``."""

import os
import sys

from . import _tango

__all__ = ["Util"]


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
        super().__init__(args)
        self._classes = []

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

    def add_Cpp_TgClass(self, device_class_name, tango_device_class_name):
        raise TypeError(f"{device_class_name}: pytango does not load C++ device classes")

    def server_init(self, with_window=False):
        """Create and export the devices of the classes added (add_class)."""
        from .server.run import _init_server, _specs, _start_worker

        classes, specs = _specs(self._classes)
        worker = _start_worker(classes, specs, None)
        _init_server(self, specs, worker, None, sys.stdout)
