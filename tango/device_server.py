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
from .server.green import get_worker  # noqa: F401
from .utils import get_latest_device_class, is_pure_str, parse_type_hint  # noqa: F401

__all__ = ["LatestDeviceImpl", "DeviceImpl", "Device_2Impl", "Device_3Impl", "Device_4Impl", "Device_5Impl",
           "Device_6Impl", "DeviceClass", "get_worker"]
