"""PyTango's ``tango.device_server`` names, for code that imports them from there: the classic
device bases (tango/server/classic.py), the running server's green worker
(tango/server/green.py), and the server-side types and helpers the module holds in PyTango."""

from . import (  # noqa: F401
    Attr, AttrDataFormat, AttrQuality, AttrWriteType, Attribute, AttributeConfig, AttributeConfig_2,
    AttributeConfig_3, AttributeConfig_5, CmdArgType, DevFailed, DispLevel, EncodedAttribute, EventType,
    Logger, MultiAttrProp, StdStringVector, TimedAttrData, TimedCmdData, UserDefaultAttrProp, Util,
)
from ._tango import LevelLevel  # noqa: F401
from .attr_data import AttrData  # noqa: F401
from .green import get_executor  # noqa: F401
from .log4tango import TangoStream  # noqa: F401
from .release import Release  # noqa: F401
from .server.classic import (  # noqa: F401
    DeviceClass, Device_2Impl, Device_3Impl, Device_4Impl, Device_5Impl, Device_6Impl, DeviceImpl,
    LatestDeviceImpl,
)
from .server.green import get_worker, run_in_executor, set_worker  # noqa: F401
from .utils import (  # noqa: F401
    get_attribute_type_format, get_latest_device_class, is_pure_str, parse_type_hint, set_complex_value,
)

__all__ = ["LatestDeviceImpl", "DeviceImpl", "Device_2Impl", "Device_3Impl", "Device_4Impl", "Device_5Impl",
           "Device_6Impl", "DeviceClass", "get_worker"]


def device_server_init(doc=True):
    """PyTango completes its compiled server classes here when ``tango`` is imported; ours are
    complete when they are defined, so there is nothing left to do (calling it again is
    harmless)."""
    return None


def _in_tango(module_name):
    return module_name == "tango" or (module_name or "").startswith("tango.")


def get_source_location(source=None):
    """``(file name, line number)`` of code, for log messages: of ``source`` (a function or a
    method, its decorators' wrappers looked through: where it is defined) or, without it, of
    the nearest caller outside the tango package. ``("(unknown)", 0)`` when there is none."""
    import inspect
    import os
    import sys

    if source is not None:
        try:
            code = getattr(inspect.unwrap(source), "__code__", None)
        except (TypeError, ValueError):  # a wrapper chain that loops
            code = None
        if code is None:
            return "(unknown)", 0
        return os.path.basename(code.co_filename), code.co_firstlineno
    frame = sys._getframe(1)
    try:
        while frame is not None and _in_tango(frame.f_globals.get("__name__")):
            frame = frame.f_back
        if frame is None:
            return "(unknown)", 0
        return os.path.basename(frame.f_code.co_filename), frame.f_lineno
    finally:
        del frame
