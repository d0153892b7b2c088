"""The sqlite backend's tables (sqlite_backend.py).

The tables follow the C++ DataBaseds's MariaDB schema (tango-db's create_db_tables.sql) where a
command's answer depends on them, so that both servers answer alike; names are compared without
regard to case (COLLATE NOCASE), as MariaDB's default collation does for the C++ server.
"""

from .storage import (CLASS, CLASS_ATTRIBUTE, CLASS_PIPE, DEVICE, DEVICE_ATTRIBUTE, DEVICE_PIPE,
                      FREE)

# A property's values are one row per element (count = 1, 2...), as in the C++ schema: the
# order of a multi-line property is kept and an empty element stays an element.
# The table of each kind of property owner: (table, owner column, sub column or None).
PROPERTY_TABLES = {
    FREE: ("property", "object", None),
    DEVICE: ("property_device", "device", None),
    CLASS: ("property_class", "class", None),
    DEVICE_ATTRIBUTE: ("property_attribute_device", "device", "attribute"),
    CLASS_ATTRIBUTE: ("property_attribute_class", "class", "attribute"),
    DEVICE_PIPE: ("property_pipe_device", "device", "pipe"),
    CLASS_PIPE: ("property_pipe_class", "class", "pipe"),
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
    for table, key, sub in PROPERTY_TABLES.values():
        owner = f"{key} {_T}, " + (f"{sub} {_T}, " if sub else "")
        cols = f"{owner}name {_T}, count INTEGER NOT NULL DEFAULT 0, value TEXT"
        yield f"CREATE TABLE IF NOT EXISTS {table} ({cols}, updated TEXT)"
        yield f"CREATE INDEX IF NOT EXISTS {table}_key ON {table}({key}, {sub + ', ' if sub else ''}name)"
        yield f"CREATE TABLE IF NOT EXISTS {table}_hist (id INTEGER, date TEXT, {cols})"
    yield "CREATE TABLE IF NOT EXISTS history_id (name TEXT PRIMARY KEY, id INTEGER NOT NULL)"


DDL = tuple(_ddl())
