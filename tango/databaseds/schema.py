"""The sqlite schema of the database server and the entries a fresh database starts with.

The tables follow the C++ DataBaseds's MariaDB schema (tango-db's create_db_tables.sql) where a
command's answer depends on them, so that both servers answer alike; names are compared without
regard to case (COLLATE NOCASE), as MariaDB's default collation does for the C++ server.
"""

# A property's values are one row per element (count = 1, 2...), as in the C++ schema: the
# order of a multi-line property is kept and an empty element stays an element.
_PROPERTY_TABLES = {
    "property": "object",
    "property_device": "device",
    "property_class": "class",
}
_SUB_PROPERTY_TABLES = {
    "property_attribute_device": ("device", "attribute"),
    "property_attribute_class": ("class", "attribute"),
    "property_pipe_device": ("device", "pipe"),
    "property_pipe_class": ("class", "pipe"),
}

_T = "TEXT NOT NULL DEFAULT '' COLLATE NOCASE"


def _ddl():
    yield f"""CREATE TABLE IF NOT EXISTS device (
        name {_T}, alias TEXT COLLATE NOCASE, domain {_T}, family {_T}, member {_T},
        exported INTEGER DEFAULT 0, ior TEXT, host {_T}, server {_T}, pid INTEGER DEFAULT 0,
        class {_T}, version TEXT NOT NULL DEFAULT 'nada', started TEXT, stopped TEXT,
        comment TEXT)"""
    yield "CREATE UNIQUE INDEX IF NOT EXISTS device_name ON device(name)"
    yield "CREATE INDEX IF NOT EXISTS device_server ON device(server)"
    yield f"""CREATE TABLE IF NOT EXISTS server (name {_T}, host {_T}, mode INTEGER DEFAULT 0,
        level INTEGER DEFAULT 0)"""
    yield f"""CREATE TABLE IF NOT EXISTS event (name {_T}, exported INTEGER, ior TEXT, host TEXT,
        server TEXT, pid INTEGER, version TEXT, started TEXT, stopped TEXT)"""
    yield f"""CREATE TABLE IF NOT EXISTS attribute_alias (alias {_T}, name {_T}, device {_T},
        attribute {_T}, updated TEXT, comment TEXT)"""
    for table, key in _PROPERTY_TABLES.items():
        cols = f"{key} {_T}, name {_T}, count INTEGER NOT NULL DEFAULT 0, value TEXT"
        yield f"CREATE TABLE IF NOT EXISTS {table} ({cols}, updated TEXT)"
        yield f"CREATE INDEX IF NOT EXISTS {table}_key ON {table}({key}, name)"
        yield f"CREATE TABLE IF NOT EXISTS {table}_hist (id INTEGER, date TEXT, {cols})"
    for table, (key, sub) in _SUB_PROPERTY_TABLES.items():
        cols = f"{key} {_T}, {sub} {_T}, name {_T}, count INTEGER NOT NULL DEFAULT 0, value TEXT"
        yield f"CREATE TABLE IF NOT EXISTS {table} ({cols}, updated TEXT)"
        yield f"CREATE INDEX IF NOT EXISTS {table}_key ON {table}({key}, {sub}, name)"
        yield f"CREATE TABLE IF NOT EXISTS {table}_hist (id INTEGER, date TEXT, {cols})"
    yield "CREATE TABLE IF NOT EXISTS history_id (name TEXT PRIMARY KEY, id INTEGER NOT NULL)"


DDL = tuple(_ddl())

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


def standard_entries():
    """(sql, params) statements that fill a fresh database."""
    for name, server, klass in STANDARD_DEVICES:
        domain, family, member = name.split("/")
        yield ("INSERT INTO device (name, domain, family, member, exported, ior, host, server, "
               "pid, class, version) VALUES (?, ?, ?, ?, 0, 'nada', 'nada', ?, 0, ?, 'nada')",
               (name, domain, family, member, server, klass))
    yield "INSERT INTO server (name, host, mode, level) VALUES ('tangoaccesscontrol/1', '', 0, 0)", ()
    for klass, commands in ALLOWED_ACCESS.items():
        for count, cmd in enumerate(commands, 1):
            yield ("INSERT INTO property_class (class, name, count, value, updated) "
                   "VALUES (?, 'AllowedAccessCmd', ?, ?, datetime('now'))", (klass, count, cmd))
