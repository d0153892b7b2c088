"""PyTango's ``tango.device_server`` names, for code that imports them from there: the classic
device bases (tango/server/classic.py) and the running server's green worker
(tango/server/green.py)."""

from .server.classic import (  # noqa: F401
    Device_2Impl, Device_3Impl, Device_4Impl, Device_5Impl, Device_6Impl, DeviceImpl, LatestDeviceImpl,
)
from .server.green import get_worker  # noqa: F401

__all__ = ["LatestDeviceImpl", "DeviceImpl", "Device_2Impl", "Device_3Impl", "Device_4Impl", "Device_5Impl",
           "Device_6Impl", "get_worker"]
