"""The high-level API for writing Tango device servers in Python.

    from tango.server import Device, attribute, command, device_property

    class PowerSupply(Device):
        voltage = attribute(dtype=float, unit="V")

        def read_voltage(self):
            return 1.23

        @command
        def calibrate(self):
            ...

    if __name__ == "__main__":
        PowerSupply.run_server()
"""

from .attribute import attribute
from .command import command
from .classic import DeviceClass, LatestDeviceImpl
from .device import BaseDevice, Device, StatusNotSet
from .green import get_worker
from .pipe import pipe
from .properties import class_property, device_property
from .run import run, server_run
from .run import __to_callback  # noqa: F401  (PyTango has it here: its suite imports it)
from .. import _tango
from .._tango import AttrDataFormat, AttrWriteType, CmdArgType, DevState, SerialModel
from .._util import Util
from ..constants import TELEMETRY_SUPPORTED
from ..enums import GreenMode
from ..errors import DevFailed
from ..green import get_executor, get_green_mode
from ..timed_data import TimedAttrData, TimedCmdData
from ..utils import (get_tango_type_format, is_non_str_seq, is_pure_str, is_seq,
                     scalar_to_array_type, warn_once)

# As in PyTango: LatestDeviceImpl <- BaseDevice <- Device; the metaclass is the compiled base's.
DeviceMeta = type(Device)
API_VERSION = 2

__all__ = [
    "Device", "LatestDeviceImpl", "BaseDevice", "DeviceMeta", "DeviceClass", "attribute",
    "command", "pipe", "device_property", "class_property", "run", "server_run", "get_worker",
    "TimedAttrData", "TimedCmdData", "StatusNotSet", "API_VERSION",
]
