"""The sqlite backend of the database server's storage (the standard library's sqlite3), the
default: tables in the C++ DataBaseds's layout (sqlite_schema.py), queried in SQL.

One connection, used under a lock: cppTango calls commands from several threads, sqlite
serialises writers anyway, and one connection sees its own writes at once. Every transaction is
committed with its log synced (write-ahead log, synchronous=FULL: one fsync per commit, where
the rollback journal takes several), so a command that answered is on disk, through a kill -9
and a power cut alike. A second server on the same file is refused: the file is
locked (flock on a companion ``.lock`` file) for the life of the server.
"""

import contextlib
import fcntl
import os
import sqlite3
import threading
import time

from . import schema
from .sqlite_schema import DDL, PROPERTY_TABLES
from .storage import (DEVICE_FIELDS, EVENT_FIELDS, DeviceRecord, EventRecord, HistoryEntry, Storage,
                      StorageError, Transaction)

_ESC = " ESCAPE '\\'"
# DeviceRecord fields -> device columns (the record's klass is the column class)
_DEVICE_COLUMNS = ("name", "server", "class", "alias", "exported", "ior", "host", "pid", "version",
                   "started", "stopped")
_DEVICE_SELECT = "SELECT " + ", ".join(_DEVICE_COLUMNS) + " FROM device"
_EVENT_COLUMNS = ("name", "exported", "ior", "host", "pid", "version", "started", "stopped")


def like(pattern):
    """A Tango wildcard (``*``) as an SQL LIKE pattern (with ``\\`` as escape)."""
    p = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return p.replace("*", "%")


def _device(row):
    name, server, klass, alias, exported, ior, host, pid, version, started, stopped = row
    return DeviceRecord(name=name, server=server, klass=klass, alias=alias, exported=bool(exported),
                        ior=ior if ior is not None else "", host=host, pid=pid or 0,
                        version=version, started=started, stopped=stopped)


def _column(field):
    return "class" if field == "klass" else field


class SqliteStorage(Storage):
    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        self._lock_file = None
        if path != ":memory:":
            self._lock_file = self._take_file_lock(path)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            fresh = not self._db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='device'").fetchall()
            with self.transaction() as tx:
                for ddl in DDL:
                    tx.sql(ddl)
                if fresh:
                    schema.fill_fresh(tx, time.strftime("%Y-%m-%d %H:%M:%S"))
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StorageError(f"the database file {path} cannot be used: {exc}") from exc

    @staticmethod
    def _take_file_lock(path):
        lock_path = os.path.abspath(path) + ".lock"
        try:
            f = open(lock_path, "a")
        except OSError as exc:
            raise StorageError(f"the database file {path} cannot be used: {exc}") from exc
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            raise StorageError(
                f"the database file {path} is already used by another database server")
        return f

    def _read(self, sql, params=()):
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _column(self, sql, params=()):
        return [r[0] for r in self._read(sql, params)]

    # -- devices -------------------------------------------------------------------------------

    def device(self, name):
        rows = self._read(_DEVICE_SELECT + " WHERE name = ?", (name,))
        return _device(rows[0]) if rows else None

    def device_of_alias(self, alias):
        rows = self._read(_DEVICE_SELECT + " WHERE alias = ?", (alias,))
        return _device(rows[0]) if rows else None

    def devices(self, name="*", server="*", klass="*", host="*", alias=None, exported=None):
        where, params = [], []
        for column, pattern in (("name", name), ("server", server), ("class", klass),
                                ("host", host), ("alias", alias)):
            if pattern is None or pattern == "*" and column != "alias":
                continue
            if "*" in pattern:
                where.append(f"{column} LIKE ?" + _ESC)
                params.append(like(pattern))
            else:  # the index, where there is one
                where.append(f"{column} = ?")
                params.append(pattern)
        if exported is not None:
            where.append("exported = ?")
            params.append(1 if exported else 0)
        sql = _DEVICE_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY name"
        return [_device(r) for r in self._read(sql, params)]

    # -- servers, events, attribute aliases ----------------------------------------------------

    def server_info(self, server):
        rows = self._read("SELECT host, mode, level FROM server WHERE name = ?", (server,))
        return tuple(rows[0]) if rows else None

    def event(self, name):
        rows = self._read("SELECT " + ", ".join(_EVENT_COLUMNS) + " FROM event WHERE name = ?", (name,))
        if not rows:
            return None
        n, exported, ior, host, pid, version, started, stopped = rows[0]
        return EventRecord(name=n, exported=bool(exported), ior=ior or "", host=host or "",
                           pid=pid or 0, version=version or "", started=started, stopped=stopped)

    def attribute_alias(self, alias):
        rows = self._column("SELECT name FROM attribute_alias WHERE alias = ?", (alias,))
        return rows[0] if rows else None

    def alias_of_attribute(self, name):
        rows = self._column("SELECT alias FROM attribute_alias WHERE name = ?", (name,))
        return rows[0] if rows else None

    def attribute_aliases(self, pattern="*"):
        return self._column("SELECT alias FROM attribute_alias WHERE alias LIKE ?" + _ESC +
                            " ORDER BY alias", (like(pattern),))

    # -- properties ----------------------------------------------------------------------------

    @staticmethod
    def _where(kind, owner, sub):
        table, key, sub_column = PROPERTY_TABLES[kind]
        if sub_column is None:
            return table, f"{key} = ?", [owner]
        return table, f"{key} = ? AND {sub_column} = ?", [owner, sub]

    def property_values(self, kind, owner, name, sub=""):
        table, where, params = self._where(kind, owner, sub)
        rows = self._read(f"SELECT value FROM {table} WHERE {where} AND name = ? ORDER BY count",
                          (*params, name))
        return [r[0] if r[0] is not None else "" for r in rows]

    def properties(self, kind, owner, sub=""):
        table, where, params = self._where(kind, owner, sub)
        out = {}
        for name, value in self._read(f"SELECT name, value FROM {table} WHERE {where} "
                                      "ORDER BY name, count", params):
            out.setdefault(name, []).append(value if value is not None else "")
        return out

    def property_names(self, kind, owner, pattern="*", sub=""):
        table, where, params = self._where(kind, owner, sub)
        return self._column(f"SELECT DISTINCT name FROM {table} WHERE {where} AND name LIKE ?" +
                            _ESC + " ORDER BY name", (*params, like(pattern)))

    def property_owners(self, kind, pattern="*"):
        table, key, _ = PROPERTY_TABLES[kind]
        return self._column(f"SELECT DISTINCT {key} FROM {table} WHERE {key} LIKE ?" + _ESC +
                            f" ORDER BY {key}", (like(pattern),))

    def property_subs(self, kind, owner, pattern="*"):
        table, key, sub = PROPERTY_TABLES[kind]
        return self._column(f"SELECT DISTINCT {sub} FROM {table} WHERE {key} = ? AND {sub} LIKE ?" +
                            _ESC + f" ORDER BY {sub}", (owner, like(pattern)))

    def property_history(self, kind, owner, pattern, sub=""):
        table, where, params = self._where(kind, owner, sub)
        sub_column = PROPERTY_TABLES[kind][2] or "''"
        rows = self._read(f"SELECT id, {sub_column}, name, date, count, value FROM {table}_hist "
                          f"WHERE {where} AND name LIKE ?" + _ESC + " ORDER BY id, count",
                          (*params, like(pattern)))
        entries = {}
        for hid, sub_name, name, date, count, value in rows:
            entry = entries.setdefault(hid, HistoryEntry(sub_name, name, date, []))
            if count:  # a deletion is one row of count 0
                entry.values.append(value if value is not None else "")
        return list(entries.values())

    def property_counts(self, kind):
        table = PROPERTY_TABLES[kind][0]
        return (self._read(f"SELECT COUNT(*) FROM {table}")[0][0],
                self._read(f"SELECT COUNT(DISTINCT id) FROM {table}_hist")[0][0])

    # -- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield _Tx(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self):
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
            self._db = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


class _Tx(Transaction):
    __slots__ = ("_db",)

    def __init__(self, db):
        self._db = db

    def sql(self, sql, params=()):
        return self._db.execute(sql, params).fetchall()

    def put_device(self, r):
        self.sql("DELETE FROM device WHERE name = ?", (r.name,))
        self.sql("INSERT INTO device (name, domain, family, member, server, class, alias, exported, "
                 "ior, host, pid, version, started, stopped) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (r.name, r.domain, r.family, r.member, r.server, r.klass, r.alias, int(r.exported),
                  r.ior, r.host, r.pid, r.version, r.started, r.stopped))

    def update_device(self, name, **fields):
        unknown = set(fields) - DEVICE_FIELDS
        if unknown:
            raise TypeError(f"not fields of a device: {sorted(unknown)}")
        if "name" in fields:
            d, f, m = fields["name"].split("/")
            fields.update(domain=d, family=f, member=m)
        sets = ", ".join(f"{_column(k)} = ?" for k in fields)
        values = [int(v) if k == "exported" else v for k, v in fields.items()]
        self.sql(f"UPDATE device SET {sets} WHERE name = ?", (*values, name))

    def delete_device(self, name):
        self.sql("DELETE FROM device WHERE name = ?", (name,))

    def put_server_info(self, server, host, mode, level):
        self.sql("DELETE FROM server WHERE name = ?", (server,))
        self.sql("INSERT INTO server (name, host, mode, level) VALUES (?, ?, ?, ?)",
                 (server, host, mode, level))

    def delete_server_info(self, server):
        self.sql("DELETE FROM server WHERE name = ?", (server,))

    def put_event(self, r):
        self.sql("DELETE FROM event WHERE name = ?", (r.name,))
        self.sql("INSERT INTO event (name, exported, ior, host, pid, version, started, stopped) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (r.name, int(r.exported), r.ior, r.host, r.pid,
                                                     r.version, r.started, r.stopped))

    def update_event(self, name, **fields):
        unknown = set(fields) - EVENT_FIELDS
        if unknown:
            raise TypeError(f"not fields of an event: {sorted(unknown)}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        values = [int(v) if k == "exported" else v for k, v in fields.items()]
        self.sql(f"UPDATE event SET {sets} WHERE name = ?", (*values, name))

    def put_attribute_alias(self, alias, name):
        parts = name.split("/")
        self.sql("DELETE FROM attribute_alias WHERE alias = ?", (alias,))
        self.sql("INSERT INTO attribute_alias (alias, name, device, attribute, updated) "
                 "VALUES (?, ?, ?, ?, datetime('now'))", (alias, name, "/".join(parts[:3]), parts[-1]))

    def delete_attribute_alias(self, alias):
        self.sql("DELETE FROM attribute_alias WHERE alias = ?", (alias,))

    def set_property(self, kind, owner, name, values, date, sub=""):
        table, key, sub_column = PROPERTY_TABLES[kind]
        owner_cols = [key] + ([sub_column] if sub_column else [])
        owner_values = [owner] + ([sub] if sub_column else [])
        where = " AND ".join(f"{c} = ?" for c in owner_cols)
        self.sql(f"DELETE FROM {table} WHERE {where} AND name = ?", (*owner_values, name))
        cols = ", ".join(owner_cols + ["name", "count", "value"])
        marks = ", ".join("?" * (len(owner_cols) + 3))
        for count, value in enumerate(values, 1):
            self.sql(f"INSERT INTO {table} ({cols}, updated) VALUES ({marks}, ?)",
                     (*owner_values, name, count, value, date))
        # history: the values put, or one row of count 0 for a deletion
        hist_id = self._next_id(table)
        for count, value in enumerate(values or [None], 1 if values else 0):
            self.sql(f"INSERT INTO {table}_hist (id, date, {cols}) VALUES (?, ?, {marks})",
                     (hist_id, date, *owner_values, name, count, value))

    def _next_id(self, table):
        rows = self.sql("SELECT id FROM history_id WHERE name = ?", (table,))
        n = rows[0][0] + 1 if rows else 1
        self.sql("INSERT OR REPLACE INTO history_id (name, id) VALUES (?, ?)", (table, n))
        return n

    def delete_sub(self, kind, owner, sub):
        table, key, sub_column = PROPERTY_TABLES[kind]
        self.sql(f"DELETE FROM {table} WHERE {key} = ? AND {sub_column} = ?", (owner, sub))

    def delete_owner(self, kind, owner):
        table, key, _ = PROPERTY_TABLES[kind]
        self.sql(f"DELETE FROM {table} WHERE {key} = ?", (owner,))
