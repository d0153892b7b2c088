"""The entry point of the database server: ``python -m tango.databaseds.database [--host H]
[--port P] [--file F] INSTANCE`` (or the ``pytango-databaseds`` script).

It runs a server without a database of its own (-nodb) with one DataBase device,
sys/database/INSTANCE, listening on H:P (default: TANGO_HOST's, else 0.0.0.0:10000) and serving
under the CORBA object key "database", where cppTango's clients look for a database. The data
is in an sqlite file: --file, else PYTANGO_DATABASE_NAME, else tango_database.db
(":memory:" keeps nothing); or, with --db_access redis, on a redis server: --redis URL (default
redis://localhost:6379/0; the redis package: pip install pytango[redis]). Once serving, the device and its dserver are exported into the
database itself, as the C++ DataBaseds does, and "Ready to accept request" is printed.
"""

import argparse
import logging
import os
import socket
import sys

from .. import _tango
from ..server import run
from .device import DataBase
from .storage import StorageError

DEFAULT_FILE = "tango_database.db"


def _parse(argv):
    parser = argparse.ArgumentParser(prog="pytango-databaseds",
                                     description="A Tango database server storing in sqlite.")
    parser.add_argument("--host", default=None, help="address to listen on (default: TANGO_HOST's)")
    parser.add_argument("--port", default=None, type=int, help="port (default: TANGO_HOST's or 10000)")
    parser.add_argument("--file", default=None,
                        help=f"the sqlite file (default: $PYTANGO_DATABASE_NAME or {DEFAULT_FILE})")
    parser.add_argument("--logging_level", "-l", type=int, default=0,
                        help="0: warnings, 1: info, 2: debug")
    parser.add_argument("--db_access", default="sqlite3", choices=["sqlite3", "redis"],
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
    if options.db_access == "redis":
        from .redis_backend import RedisStorage

        return RedisStorage(options.redis, prefix=options.redis_prefix)
    from .sqlite_backend import SqliteStorage

    return SqliteStorage(path)


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
    args = (["DataBaseds", options.instance, "-nodb", "-dlist", dev_name,
             "-ORBendPoint", f"giop:tcp:{host}:{port}"] + list(options.tango_args))

    def serve_as_database():
        util = _tango.Util.instance()
        device = next(d for d in util._python_devices() if d.get_name() == dev_name)
        ior = _tango._export_as_named_servant(device, "database")
        dserver = f"dserver/DataBaseds/{options.instance}"
        info = [util.get_host_name(), str(util.get_pid()), util.get_version_str()]
        device.DbExportDevice([dserver, _tango._device_ior(dserver), *info])
        device.DbExportDevice([dev_name, ior, *info])
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
