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
from .green import run_in_executor, set_worker  # noqa: F401
from ..asyncio_executor import AsyncioExecutor  # noqa: F401  (PyTango's tango.server holds these)
from ..attr_data import AttrData  # noqa: F401
from ..telemetry import get_telemetry_tracer_provider_factory  # noqa: F401
from ..utils import get_attribute_type_format, parse_type_hint, set_complex_value  # noqa: F401
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
    "TimedAttrData", "TimedCmdData", "StatusNotSet", "API_VERSION", "Server",
]


def cleanup_classes():
    """Forget the classes of the server that ran (tango.pyutil.class_list and cpp_class_list
    emptied), as run(cleanup=True) does once its server has ended."""
    from .. import pyutil

    pyutil._cleanup_classes()


def from_typeformat_to_type(dtype, dformat):
    """The command type of an element type in a format: the type itself for SCALAR, its array
    type for SPECTRUM (DevDouble -> DevVarDoubleArray); TypeError for IMAGE (no command type)."""
    if dformat == AttrDataFormat.SCALAR:
        return dtype
    if dformat == AttrDataFormat.IMAGE:
        raise TypeError("Cannot translate IMAGE to tango type: commands have no image types")
    return scalar_to_array_type(dtype)


def is_tango_object(arg):
    """What declares ``arg`` as a Tango object of a Device: the attribute, device_property or
    class_property itself, the options of a command-decorated method; False for anything else."""
    if isinstance(arg, (attribute, device_property, class_property)):
        return arg
    return getattr(arg, "__tango_command__", False)


def inheritance_patch(attrs):
    """Give each read-write attribute of a class namespace ``attrs`` (name -> object) that has
    no write method yet the ``write_<name>`` method of that namespace, if there is one."""
    for key, obj in attrs.items():
        if not isinstance(obj, attribute) or obj.fset is not None:
            continue
        if obj.kwargs.get("access") != AttrWriteType.READ_WRITE:
            continue
        write = attrs.get(f"write_{obj.name or key}")
        if write is not None:
            obj.fset = write


from ..tango_object import Server  # noqa: E402  (PyTango's experimental, deprecated object server)
