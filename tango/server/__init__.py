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
from .device import Device, LatestDeviceImpl
from .pipe import pipe
from .properties import class_property, device_property
from .run import run, server_run
from ..timed_data import TimedAttrData, TimedCmdData

__all__ = [
    "Device", "LatestDeviceImpl", "attribute", "command", "pipe", "device_property",
    "class_property", "run", "server_run", "TimedAttrData", "TimedCmdData",
]
