"""pytango: the Python binding of the Tango control system.

    >>> import tango
    >>> dev = tango.DeviceProxy("tango://127.0.0.1:10000/sys/tg_test/1#dbase=no")
    >>> dev.double_scalar
    1.5
"""

from ._version import __version__, version_info

try:
    from . import _tango
except ImportError as exc:  # pragma: no cover - a broken install
    raise ImportError(
        "pytango's compiled module tango._tango cannot be loaded "
        f"({exc}). Build it with 'make dev' in a source tree, or reinstall pytango."
    ) from exc

from ._tango import (
    AccessControlType, ArchiveEventInfo, AttrDataFormat, AttReqType, AttrMemorizedType,
    AttrQuality, AttrWriteType, AttributeAlarmInfo, AttributeDimension, AttributeEventInfo,
    AttributeInfo, AttributeInfoEx, ChangeEventInfo, CmdArgType, CommandInfo, DevCommandInfo,
    DevError, DeviceAttribute, DeviceAttributeConfig, DeviceInfo, DevSource, DevState,
    DispLevel, ErrSeverity, EventType, ExtractAs, LockerInfo, LockerLanguage, LogLevel,
    LogTarget, PeriodicEventInfo, PipeInfo, PipeWriteType, PollObjType, SerialModel, TimeVal,
    asyn_req_type, cb_sub_model, ApiUtil, EventData, AttrConfEventData,
    DataReadyEventData, DevIntrChangeEventData, PipeEventData, CmdDoneEvent, AttrReadEvent,
    AttrWrittenEvent,
)
from ._tango import (  # noqa: F401  (the exported values of the enums, as in PyTango)
    ATTR_ALARM, ATTR_CHANGING, ATTR_INVALID, ATTR_VALID, ATTR_WARNING, IMAGE, SCALAR, SPECTRUM,
    FMT_UNKNOWN, READ, READ_WITH_WRITE, READ_WRITE, WRITE, WT_UNKNOWN, OPERATOR, EXPERT,
    DL_UNKNOWN,
)
from .enums import GreenMode
from ._tango import (  # noqa: F401  (PyTango 10.3's other enums; EventSubMode, EventReason on every cppTango)
    AttrSerialModel, EventReason, EventSubMode, KeepAliveCmdCode, LockCmdCode, MessBoxType, PollCmdCode,
    alarm_flags,
)
from ._tango import (  # noqa: F401  (PyTango's containers, and DeviceData)
    AttributeInfoList, AttributeInfoListEx, CommandInfoList, DeviceData, DeviceDataList, StdDoubleVector,
    StdLongVector, StdStringVector,
)
from ._tango import DeviceDataHistory, DeviceDataHistoryList  # noqa: F401  (command_history's records)
from .errors import NamedDevFailed, StdNamedDevFailedVector  # noqa: F401
from ._tango import DeviceAttributeHistory  # noqa: F401  (attribute_history's records)
from ._threads import raise_asynch_exception  # noqa: F401

ArgType = CmdArgType  # PyTango's other name for it
from .errors import (
    AsynCall, AsynReplyNotArrived, CommunicationFailed, ConnectionFailed, DevFailed,
    DeviceUnlocked, EventSystemFailed, Except, NamedDevFailedList, NonDbDevice,
    NonSupportedFeature, NotAllowed, WrongData, WrongNameSyntax,
)
from .device_proxy import DeviceProxy, get_device_proxy
from .timed_data import TimedAttrData, TimedCmdData
from .encoded_attribute import EncodedAttribute
from .attribute_proxy import AttributeProxy, get_attribute_proxy
from ._tango import Connection  # noqa: F401  (the base of DeviceProxy and Database)
from .db import (  # noqa: F401
    Database, DbData, DbDatum, DbDevExportInfo, DbDevExportInfos, DbDevFullInfo, DbDevImportInfo,
    DbDevImportInfos, DbDevInfo, DbDevInfos, DbHistory, DbHistoryList, DbServerData, DbServerInfo,
)
from .group import Group  # noqa: F401
from .group_reply import (  # noqa: F401
    GroupAttrReply, GroupAttrReplyList, GroupCmdReply, GroupCmdReplyList, GroupReply, GroupReplyList,
)
from .green import get_green_mode, set_green_mode
from ._tango import (  # noqa: F401  (server logging and threads: ext/server/logging.cpp, threads.cpp)
    AutoTangoAllowThreads, AutoTangoMonitor, ClientAddr, EnsureOmniThread, Level, Logger, Logging,
    is_omni_thread,
)
from ._tango import (  # noqa: F401  (a device's own attributes: ext/server/attribute_object.cpp)
    Attribute, MultiAttribute, MultiAttrProp, SubDevDiag, WAttribute,
)
from ._tango import (  # noqa: F401  (the IDL attribute configuration structs: ext/types/attribute_config.cpp)
    ArchiveEventProp, AttributeAlarm, AttributeConfig, AttributeConfig_2, AttributeConfig_3, AttributeConfig_5,
    ChangeEventProp, EventProperties, PeriodicEventProp,
)
from .attr_data import AttrData  # noqa: F401
from .log4tango import DebugIt, ErrorIt, FatalIt, InfoIt, LogIt, TangoStream, WarnIt  # noqa: F401
from . import constants, utils
from ._warnings import PyTangoUserWarning
from .release import Release
from .utils import (
    is_array_type, is_bool_type, is_float_type, is_int_type, is_numerical_type, is_scalar_type,
    is_str_type, obj_2_str, requires_pytango, requires_tango, seqStr_2_obj, str_2_obj,
)
from . import _instrumentation

# PyTango's test tooling imports _dump_cpp_coverage from the compiled module; this build has no
# C++ coverage, and the function that says so is pure Python (tango/_instrumentation.py).
_tango._dump_cpp_coverage = _instrumentation._dump_cpp_coverage

import atexit as _atexit

# No event callback may run into a finalising interpreter: unsubscribe everything first.
_atexit.register(_tango._shutdown_subscriptions)

__version_info__ = version_info
__version_long__ = Release.version_long
__version_number__ = Release.version_number
__version_description__ = Release.version_description
__cpptango_version__ = _tango.__cpptango_version__


def _export_cmd_arg_types(namespace):
    # tango.DevDouble is CmdArgType.DevDouble, as in PyTango; tango.DevState stays the state enum.
    for name, member in CmdArgType.__members__.items():
        if name not in namespace:
            namespace[name] = member


_export_cmd_arg_types(globals())


from ._util import Interceptors, Util  # noqa: E402
from ._tango import DServer, PollDevice  # noqa: E402

__all__ = [name for name in globals() if not name.startswith("_")]

# The classic attribute objects (tango/server/classic_attributes.py), loaded on first use so that
# `import tango` does not import the server layer.
_CLASSIC_ATTRIBUTES = ("Attr", "SpectrumAttr", "ImageAttr", "UserDefaultAttrProp", "MultiClassAttribute",
                       "AttrProperty")
# and the classic device classes (tango/server/classic.py)
_CLASSIC_DEVICES = ("DeviceClass", "LatestDeviceImpl", "DeviceImpl", "Device_2Impl", "Device_3Impl", "Device_4Impl",
                    "Device_5Impl", "Device_6Impl")
# and the registry of the classic classes of the server (tango/server/registry.py)
_CLASS_REGISTRY = ("class_factory", "class_list", "constructed_class", "cpp_class_list", "delete_class_list",
                   "get_class", "get_classes", "get_constructed_class", "get_constructed_classes", "get_cpp_class",
                   "get_cpp_classes")
__all__ += _CLASSIC_ATTRIBUTES + _CLASSIC_DEVICES + _CLASS_REGISTRY


def __dir__():
    # the names loaded on first use are names of the package too
    return sorted(set(globals()) | set(_CLASSIC_ATTRIBUTES) | set(_CLASSIC_DEVICES) | set(_CLASS_REGISTRY))


# PyTango's __init__ imports these modules, so code reaches them as tango.<module> without
# importing them; here each is imported the first time it is named (gevent's only then).
_SUBMODULES = frozenset((
    "asyncio", "asyncio_executor", "attr_data", "attribute_proxy", "codec", "constants", "db", "device_proxy",
    "device_server", "encoded_attribute", "futures", "futures_executor", "gevent", "gevent_executor", "group",
    "group_reply", "log4tango", "pytango_pprint", "pyutil", "release", "server", "test_context", "test_utils", "time_val",
    "timed_data", "utils",
))


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ImportError as exc:  # gevent not installed: hasattr(tango, "gevent") is False
            raise AttributeError(f"module 'tango' has no attribute {name!r} ({exc})") from exc
    if name in _CLASSIC_ATTRIBUTES:
        from .server import classic_attributes

        return getattr(classic_attributes, name)
    if name in _CLASSIC_DEVICES:
        from .server import classic

        return getattr(classic, name)
    if name in _CLASS_REGISTRY:
        from .server import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'tango' has no attribute {name!r}")
