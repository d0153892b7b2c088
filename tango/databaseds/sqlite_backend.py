"""The sqlite backend of the database server's storage (the standard library's sqlite3).

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

from . import schema
from .storage import Storage


class StorageError(RuntimeError):
    """The database file cannot be used (locked by another server, not writable, corrupt)."""


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
                for ddl in schema.DDL:
                    tx.execute(ddl)
                if fresh:
                    for sql, params in schema.standard_entries():
                        tx.execute(sql, params)
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

    def read(self, sql, params=()):
        with self._lock:
            return self._db.execute(sql, params).fetchall()

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


class _Tx:
    __slots__ = ("_db",)

    def __init__(self, db):
        self._db = db

    def execute(self, sql, params=()):
        return self._db.execute(sql, params).fetchall()
