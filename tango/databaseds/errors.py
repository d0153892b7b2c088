"""The error reasons of the database server (those of the C++ DataBaseds) and how they are
raised: a DevFailed with reason, description and the command as origin."""

from ..errors import Except

DB_IncorrectArguments = "DB_IncorrectArguments"
DB_IncorrectDeviceName = "DB_IncorrectDeviceName"
DB_IncorrectServerName = "DB_IncorrectServerName"
DB_DeviceNotDefined = "DB_DeviceNotDefined"
DB_AliasNotDefined = "DB_AliasNotDefined"
DB_SQLError = "DB_SQLError"
DB_NotSupported = "API_NotSupported"

# th_exc(reason, desc, origin): raise a DevFailed of one error
th_exc = Except.throw_exception
throw = th_exc
