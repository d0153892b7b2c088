"""The entry point of the database server: ``python -m tango.databaseds.database [--host H]
[--port P] [--file F] INSTANCE`` (or the ``pytango-databaseds`` script).

It runs a server without a database of its own (-nodb) with one DataBase device,
sys/database/INSTANCE, listening on H:P (default: TANGO_HOST's, else 0.0.0.0:10000) and serving
under the CORBA object key "database", where cppTango's clients look for a database. The data
is in an sqlite file: --file, else PYTANGO_DATABASE_NAME, else tango_database.db
(":memory:" keeps nothing); or, with --db_access redis, on a redis server: --redis URL (default
redis://localhost:6379/0; the redis package: pip install pytango[redis]). Once serving, the device and its dserver are exported into the
database itself, as the C++ DataBaseds does, and "Ready to accept request" is printed.

Beside main(), the pieces of the server, by the names of PyTango's module: check_device_name
and replace_wildcard (names and patterns), DB_NAME with get_db_name/set_db_name (the device's
name), the DB_* error reasons and th_exc, TimeStructure/stats/update_timing_stats (timing of
commands), get_plugin (a storage backend's module), DbExportDevice, DbInter, and the server API
names they use.
"""

import argparse
import importlib
import logging
import os
import socket
import sys

import tango
from .. import AttrWriteType, _tango, pyutil
from .. import server as _server
from .. import test_context as _test_context
from . import errors as _errors
from . import names as _names
from . import timing as _timing
from .device import DataBase
from .device import export_device as _export_device
from .storage import StorageError

DEFAULT_FILE = "tango_database.db"

# -- the names this module gives of others -------------------------------------------------------

Device, attribute, command, run = _server.Device, _server.attribute, _server.command, _server.run
parse_ior = _test_context.parse_ior
# the reasons of the errors the database raises (errors.py has them all) and how it raises one
DB_IncorrectArguments = _errors.DB_IncorrectArguments
DB_IncorrectDeviceName = _errors.DB_IncorrectDeviceName
DB_IncorrectServerName = _errors.DB_IncorrectServerName
th_exc = _errors.th_exc
check_device_name = _names.check_device_name
TimeStructure, stats = _timing.TimeStructure, _timing.stats
update_timing_stats = _timing.update_timing_stats

# the AttrWriteType members by their short names
READ_ONLY = AttrWriteType.READ
WRITE_ONLY = AttrWriteType.WRITE
READ_WRITE = AttrWriteType.READ_WRITE
READ_WITH_WRITE = AttrWriteType.READ_WITH_WRITE

# -- the name of the database device -------------------------------------------------------------

DB_NAME = None  # "sys/database/INSTANCE" once main() has read its command line


def set_db_name(db_name):
    """Set the name of the database device (main() sets "sys/database/INSTANCE")."""
    global DB_NAME
    DB_NAME = db_name


def get_db_name():
    """The name of the database device: None until it is set (set_db_name, main())."""
    return DB_NAME


# -- wildcards -----------------------------------------------------------------------------------

# False: replace_wildcard leaves its text alone (for a storage that takes Tango's own wildcards)
WILDCARD_REPLACEMENT = True

# SQL LIKE's own wildcards and the quotes of an SQL string, escaped with a backslash; Tango's *
# becomes LIKE's %
_TO_SQL_LIKE = str.maketrans({"%": "\\%", "_": "\\_", '"': '\\"', "'": "\\'", "*": "%"})


def replace_wildcard(text):
    """A Tango pattern (``*``: any run of characters) as the pattern of an SQL ``LIKE ... ESCAPE
    '\\'`` in a quoted string: ``%``, ``_``, ``"`` and ``'`` escaped with a backslash, then ``*``
    made ``%``: ``replace_wildcard("sys/tg_*")`` is ``"sys/tg\\_%"``. The text as it is when
    WILDCARD_REPLACEMENT is False. (Our sqlite storage binds its patterns as parameters:
    sqlite_backend.like; redis matches them itself: storage.wildcard.)"""
    if not WILDCARD_REPLACEMENT:
        return text
    return text.translate(_TO_SQL_LIKE)


# -- the server's pieces -------------------------------------------------------------------------

class DbInter(getattr(tango, "Interceptors", object)):
    """The thread interceptors of the database server: the hooks cppTango calls in each thread
    it starts for the requests of clients (create_thread) and before such a thread ends
    (delete_thread); the database needs nothing done there. Our tango has no Interceptors (nor
    Util.set_interceptors) yet: until it has, DbInter derives from object and main() installs
    none."""

    def create_thread(self):
        pass

    def delete_thread(self):
        pass


# --db_access name -> the module of that storage backend
_PLUGINS = {"sqlite3": "sqlite_backend", "redis": "redis_backend"}


def get_plugin(name):
    """The module of the storage backend a ``--db_access`` name selects: sqlite_backend for
    "sqlite3" (SqliteStorage), redis_backend for "redis" (RedisStorage). ModuleNotFoundError
    for any other name."""
    module = _PLUGINS.get(name)
    if module is None:
        raise ModuleNotFoundError(f"no storage backend named {name!r} (there are: "
                                  f"{', '.join(_PLUGINS)})", name=f"{__package__}.{name}")
    return importlib.import_module(f"{__package__}.{module}")


def DbExportDevice(dev, argin):
    """Export a device into the database of dev, a DataBase device, by calling its command's
    code directly (not through CORBA): argin is [name, IOR, host, pid (or "null"), version].
    main() exports the database device and its dserver so, once the server is up."""
    _export_device(dev, argin)


def get_class_by_class(klass):
    """The (DeviceClass subclass, device class, Tango class name) entry of tango.pyutil.class_list
    (the classic classes of the running server) whose DeviceClass subclass is klass, else None."""
    for entry in pyutil.class_list:
        if entry[0] == klass:
            return entry
    return None


def get_constructed_class_by_class(klass):
    """The DeviceClass object of the running server that is an instance of klass itself (not of
    a subclass of it), else None."""
    for device_class in pyutil.get_constructed_classes():
        if type(device_class) is klass:
            return device_class
    return None


def _parse(argv):
    parser = argparse.ArgumentParser(prog="pytango-databaseds",
                                     description="A Tango database server storing in sqlite.")
    parser.add_argument("--host", default=None, help="address to listen on (default: TANGO_HOST's)")
    parser.add_argument("--port", default=None, type=int, help="port (default: TANGO_HOST's or 10000)")
    parser.add_argument("--file", default=None,
                        help=f"the sqlite file (default: $PYTANGO_DATABASE_NAME or {DEFAULT_FILE})")
    parser.add_argument("--logging_level", "-l", type=int, default=0,
                        help="0: warnings, 1: info, 2: debug")
    parser.add_argument("--db_access", default="sqlite3", choices=list(_PLUGINS),
                        help="the storage backend (default: sqlite3)")
    parser.add_argument("--redis", default="redis://localhost:6379/0", metavar="URL",
                        help="with --db_access redis: the redis database (default: %(default)s)")
    parser.add_argument("--redis-prefix", default="tango:", metavar="PREFIX",
                        help="with --db_access redis: the prefix of every key (default: %(default)s)")
    parser.add_argument("instance", help="the instance: the device is sys/database/INSTANCE")
    parser.add_argument("tango_args", nargs=argparse.REMAINDER,
                        help="further arguments of the device server (-v4...)")
    return parser.parse_args(argv)


def _endpoint(options):
    host, port = options.host, options.port
    tango_host = os.environ.get("TANGO_HOST", "")
    th_host, _, th_port = tango_host.split(",")[0].partition(":")
    if host is None:
        host = th_host or "0.0.0.0"
    if port is None:
        port = int(th_port) if th_port.isdigit() else 10000
    return host, port


def _port_is_free(host, port):
    """A second server on the same port fails clearly rather than through omniORB's message."""
    if port == 0:
        return True
    with socket.socket() as s:
        # as omniORB binds: connections in TIME_WAIT from a previous run do not count
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host if host not in ("", "0.0.0.0") else "0.0.0.0", port))
        except OSError:
            return False
    return True


def _open_store(options, path):
    backend = get_plugin(options.db_access)
    if options.db_access == "redis":
        return backend.RedisStorage(options.redis, prefix=options.redis_prefix)
    return backend.SqliteStorage(path)


def main(argv=None):
    options = _parse(sys.argv[1:] if argv is None else argv)
    level = {1: logging.INFO, 2: logging.DEBUG}.get(options.logging_level, logging.WARNING)
    logging.basicConfig(format="%(threadName)-14s %(levelname)-8s %(asctime)s %(name)s: %(message)s",
                        stream=sys.stdout, level=level)
    host, port = _endpoint(options)
    path = options.file or os.environ.get("PYTANGO_DATABASE_NAME") or DEFAULT_FILE
    if not _port_is_free(host, port):
        print(f"pytango-databaseds: the port {host}:{port} is already in use (another database "
              "server?)", file=sys.stderr)
        return 1
    try:
        store = _open_store(options, path)
    except StorageError as exc:
        print(f"pytango-databaseds: {exc}", file=sys.stderr)
        return 1
    DataBase.store = store
    DataBase._port = port
    dev_name = f"sys/database/{options.instance}"
    set_db_name(dev_name)
    args = (["DataBaseds", options.instance, "-nodb", "-dlist", dev_name,
             "-ORBendPoint", f"giop:tcp:{host}:{port}"] + list(options.tango_args))

    def serve_as_database():
        util = _tango.Util.instance()
        device = next(d for d in util._python_devices() if d.get_name() == dev_name)
        ior = _tango._export_as_named_servant(device, "database")
        dserver = f"dserver/DataBaseds/{options.instance}"
        info = [util.get_host_name(), str(util.get_pid()), util.get_version_str()]
        DbExportDevice(device, [dserver, _tango._device_ior(dserver), *info])
        DbExportDevice(device, [dev_name, ior, *info])
        where = options.redis if options.db_access == "redis" else path
        logging.getLogger("tango.databaseds").info("serving %s from %s on %s:%s", dev_name, where,
                                                   host, port)
        sys.stdout.write("Ready to accept request\n")
        sys.stdout.flush()

    try:
        run((DataBase,), args=args, msg_stream=None, post_init_callback=serve_as_database)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
