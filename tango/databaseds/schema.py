"""The entries a fresh database starts with, whatever stores it: the devices, server and class
properties that tango-db's install script puts in the C++ DataBaseds's MariaDB."""

from .storage import CLASS, DeviceRecord


# (name, server, class): the devices tango-db's install script registers, so that a fresh
# database lists what a packaged C++ one lists.
STANDARD_DEVICES = (
    ("sys/database/2", "DataBaseds/2", "DataBase"),
    ("dserver/DataBaseds/2", "DataBaseds/2", "DServer"),
    ("sys/rest/0", "TangoRestServer/rest", "TangoRestServer"),
    ("dserver/TangoRestServer/rest", "TangoRestServer/rest", "DServer"),
    ("sys/tg_test/1", "TangoTest/test", "TangoTest"),
    ("dserver/TangoTest/test", "TangoTest/test", "DServer"),
    ("sys/access_control/1", "TangoAccessControl/1", "TangoAccessControl"),
    ("dserver/TangoAccessControl/1", "TangoAccessControl/1", "DServer"),
)

# The commands a client may run under Tango's access control, as tango-db installs them
# (class property AllowedAccessCmd of Database and DServer).
ALLOWED_ACCESS = {
    "Database": (
        "DbGetServerInfo", "DbGetServerNameList", "DbGetInstanceNameList",
        "DbGetDeviceServerClassList", "DbGetDeviceList", "DbGetDeviceDomainList",
        "DbGetDeviceFamilyList", "DbGetDeviceMemberList", "DbGetClassList",
        "DbGetDeviceAliasList", "DbGetObjectList", "DbGetPropertyList", "DbGetProperty",
        "DbGetClassPropertyList", "DbGetClassProperty", "DbGetDevicePropertyList",
        "DbGetDeviceProperty", "DbGetClassAttributeList", "DbGetDeviceAttributeProperty",
        "DbGetDeviceAttributeProperty2", "DbGetLoggingLevel", "DbGetAliasDevice",
        "DbGetClassForDevice", "DbGetClassInheritanceForDevice", "DbGetDataForServerCache",
        "DbInfo", "DbGetClassAttributeProperty", "DbGetClassAttributeProperty2",
        "DbMysqlSelect", "DbGetDeviceInfo", "DbGetDeviceWideList", "DbImportEvent",
        "DbGetDeviceAlias", "DbGetCSDbServerList", "DbGetDeviceClassList",
        "DbGetDeviceExportedList", "DbGetHostServerList", "DbGetAttributeAlias2",
        "DbGetAliasAttribute", "DbGetClassPipeProperty", "DbGetDevicePipeProperty",
        "DbGetClassPipeList", "DbGetDevicePipeList", "DbGetAttributeAliasList",
        "DbGetForwardedAttributeListForDevice"),
    "DServer": (
        "QueryClass", "QueryDevice", "EventSubscriptionChange", "DevPollStatus",
        "GetLoggingLevel", "GetLoggingTarget", "QueryWizardDevProperty",
        "QueryWizardClassProperty", "QuerySubDevice", "ZMQEventSubscriptionChange",
        "EventConfirmSubscription"),
}


def fill_fresh(tx, date):
    """Write the standard entries of a fresh database through a storage Transaction."""
    for name, server, klass in STANDARD_DEVICES:
        tx.put_device(DeviceRecord(name=name, server=server, klass=klass, version="nada"))
    tx.put_server_info("tangoaccesscontrol/1", "", 0, 0)
    for klass, commands in ALLOWED_ACCESS.items():
        tx.set_property(CLASS, klass, "AllowedAccessCmd", list(commands), date)
