"""Real Tango databases for the tests: cppTango's own DataBaseds (Debian's ``tango-db``) on a
MariaDB server of the test run's own, with a private data directory, socket and TCP port.

Nothing here uses the machine's MariaDB service or its configuration: ``mariadbd`` is started by
hand (there is no init system in CI) with ``--no-defaults``, the Tango schema is loaded from the
files Debian installs, and DataBaseds is pointed at it through its ``MYSQL_*`` variables. Every
process is started with the parent-death signal, so a crashed test run leaves none behind.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = "/usr/bin/mariadb-install-db"
MARIADB = "/usr/bin/mariadb"
# tango-db's server: DataBaseds on Debian 12, Databaseds on Debian 13
DATABASEDS = next((p for p in ("/usr/lib/tango/DataBaseds", "/usr/lib/tango/Databaseds") if os.path.exists(p)),
                  "/usr/lib/tango/DataBaseds")
# dbconfig-common's install script of tango-db: the tables, the stored procedures and the
# standard entries (sys/database/2, its dserver, sys/tg_test/1...), as a packaged install has.
SCHEMA = "/usr/share/dbconfig-common/data/tango-db/install/mysql"
SCHEMA_DIR = "/usr/share/tango-db"


def missing_tools():
    """What is missing to run the C++ database, as a sentence for a skip reason (None: all)."""
    missing = [p for p in (MARIADBD, INSTALL_DB, MARIADB, DATABASEDS, SCHEMA) if not os.path.exists(p)]
    if not missing:
        return None
    return ("the C++ Tango database needs Debian's mariadb-server and tango-db "
            f"(make deps installs them); missing: {', '.join(missing)}")


def _die_with_parent():
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _wait(predicate, timeout, what, process=None, log=None):
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}" + _tail(log))
        if time.monotonic() >= deadline:
            raise RuntimeError(f"{what} was not ready after {timeout} s" + _tail(log))
        time.sleep(0.02)


def _tail(log):
    if not log or not os.path.exists(log):
        return ""
    with open(log, errors="replace") as f:
        return ":\n" + "".join(f.readlines()[-15:])


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDB:
    """A MariaDB server with the Tango schema loaded, for this test run only."""

    def __init__(self, root=None):
        self.root = root or tempfile.mkdtemp(prefix="pytango-mariadb-")
        self.datadir = os.path.join(self.root, "data")
        self.socket = os.path.join(self.root, "mariadb.sock")
        self.log = os.path.join(self.root, "mariadb.log")
        self.port = _free_port()
        self.process = None

    def sql(self, statement, database="tango"):
        """Run SQL as root through the private socket; returns its tab-separated output."""
        out = subprocess.run(
            [MARIADB, "--no-defaults", "-S", self.socket, "-uroot", "-N", "-B", database, "-e", statement],
            capture_output=True, text=True, timeout=60)
        if out.returncode:
            raise RuntimeError(f"mariadb: {out.stderr.strip()}")
        return out.stdout

    def start(self, timeout=60):
        made = subprocess.run(
            [INSTALL_DB, "--no-defaults", f"--datadir={self.datadir}", "--user=root",
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            capture_output=True, text=True, timeout=120)
        if made.returncode:
            raise RuntimeError(f"mariadb-install-db failed ({made.returncode}): {made.stdout[-2000:]}{made.stderr[-2000:]}")
        self.process = subprocess.Popen(
            [MARIADBD, "--no-defaults", f"--datadir={self.datadir}", f"--socket={self.socket}",
             f"--port={self.port}", "--bind-address=127.0.0.1", "--user=root",
             f"--pid-file={os.path.join(self.root, 'mariadb.pid')}", f"--log-error={self.log}",
             "--innodb-buffer-pool-size=32M", "--skip-log-bin"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent)
        _wait(lambda: os.path.exists(self.socket), timeout, "mariadbd", self.process, self.log)
        subprocess.run([MARIADB, "--no-defaults", "-S", self.socket, "-uroot", "-e",
                        "CREATE DATABASE tango"], check=True, capture_output=True, timeout=60)
        # the install script sources its parts by absolute path, so it runs from anywhere
        with open(SCHEMA) as schema:
            loaded = subprocess.run(
                [MARIADB, "--no-defaults", "-S", self.socket, "-uroot", "tango"], stdin=schema,
                capture_output=True, text=True, cwd=SCHEMA_DIR, timeout=120)
        if loaded.returncode:
            raise RuntimeError(f"loading the Tango schema failed: {loaded.stderr.strip()}")
        return self

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


class CppDatabaseServer:
    """cppTango's DataBaseds (sys/database/2) on a MariaDB of its own: ``tango_host`` is what
    clients and servers put in TANGO_HOST."""

    missing = staticmethod(missing_tools)  # what this machine lacks to run it (None: nothing)

    def __init__(self, mariadb=None, port=None):
        self.mariadb = mariadb
        self.port = port or _free_port()
        self.tango_host = f"127.0.0.1:{self.port}"
        self.process = None
        self.log = None

    def env(self):
        """The environment of a client or server of this database."""
        env = dict(os.environ)
        env["TANGO_HOST"] = self.tango_host
        return env

    def answers(self):
        return subprocess.run(["tango_admin", "--ping-database"], env=self.env(),
                              capture_output=True, timeout=30).returncode == 0

    def start(self, timeout=60):
        if self.mariadb is None:
            self.mariadb = MariaDB().start()
        self.log = os.path.join(self.mariadb.root, "databaseds.log")
        env = dict(os.environ, MYSQL_HOST=f"127.0.0.1:{self.mariadb.port}", MYSQL_USER="root",
                   MYSQL_PASSWORD="", MYSQL_DATABASE="tango")
        env.pop("TANGO_HOST", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [DATABASEDS, "2", "-ORBendPoint", f"giop:tcp:127.0.0.1:{self.port}"],
                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent, cwd=self.mariadb.root)
        _wait(self.answers, timeout, "DataBaseds", self.process, self.log)
        return self

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        if self.mariadb is not None:
            self.mariadb.stop()




class _ServerProcess:
    """A server process of the tests (``log`` is its output), ended with the test process."""

    process = None
    log = None

    def _spawn(self, argv, env=None):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    def kill(self):
        """SIGKILL: nothing is flushed or closed by the server."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class PyDatabaseServer(_ServerProcess):
    """Our database server (``python -m tango.databaseds.database``) on a free port with an sqlite
    file of its own, with the interface of CppDatabaseServer. ``kill()`` ends it as kill -9 would
    and ``start()`` again serves the same file on the same port."""

    def __init__(self, path=None, port=None, instance="2"):
        self.root = None if path else tempfile.mkdtemp(prefix="pytango-databaseds-")
        self.path = path or os.path.join(self.root, "tango_database.db")
        self.port = port or _free_port()
        self.instance = instance
        self.tango_host = f"127.0.0.1:{self.port}"
        self.process = None
        self.log = os.path.join(self.root or tempfile.gettempdir(), f"databaseds-{self.port}.log")

    def env(self):
        """The environment of a client or server of this database."""
        env = dict(os.environ)
        env["TANGO_HOST"] = self.tango_host
        return env

    @staticmethod
    def missing():
        return None  # Python and the standard library's sqlite3: always there

    def command(self):
        import sys

        return [sys.executable, "-u", "-m", "tango.databaseds.database", "--host", "127.0.0.1",
                "--port", str(self.port), "--file", self.path, self.instance]

    def answers(self):
        return subprocess.run(["tango_admin", "--ping-database"], env=self.env(),
                              capture_output=True, timeout=30).returncode == 0

    def start(self, timeout=60):
        env = dict(os.environ)
        env.pop("TANGO_HOST", None)
        self._spawn(self.command(), env)
        _wait(self.answers, timeout, "tango.databaseds", self.process, self.log)
        return self

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)


REDIS_SERVER = "/usr/bin/redis-server"


class Redis(_ServerProcess):
    """A redis server for this test run only: a private directory and port, no configuration
    file, every write appended and synced (appendfsync always) before it is acknowledged, so
    that what a client was told is stored survives a kill -9 of redis too."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="pytango-redis-")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = os.path.join(self.root, "redis.log")
        self.process = None

    def start(self, timeout=30):
        self._spawn([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.root,
                     "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "no"])
        _wait(self._answers, timeout, "redis-server", self.process, self.log)
        return self

    def _answers(self):
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def redis_missing():
    """Why the redis backend cannot be tested here (None: it can)."""
    missing = []
    if not os.path.exists(REDIS_SERVER):
        missing.append("Debian's redis-server (make deps installs it)")
    try:
        import redis  # noqa: F401
    except ImportError:
        missing.append("the redis package (pip install pytango[redis]; make venv installs it)")
    return "the redis backend needs " + " and ".join(missing) if missing else None


class PyRedisDatabaseServer(PyDatabaseServer):
    """Our database server storing on a redis server of its own (``--db_access redis``):
    ``kill()`` ends the database server as kill -9 would, redis serving on; ``start()`` again
    serves the same redis database on the same port."""

    def __init__(self, redis_server=None, port=None, instance="2", prefix=None):
        super().__init__(port=port, instance=instance)
        self.redis = redis_server
        self.own_redis = redis_server is None
        self.prefix = prefix

    @staticmethod
    def missing():
        return redis_missing()

    def command(self):
        import sys

        return [sys.executable, "-u", "-m", "tango.databaseds.database", "--host", "127.0.0.1",
                "--port", str(self.port), "--db_access", "redis", "--redis", self.redis.url,
                *(["--redis-prefix", self.prefix] if self.prefix else []), self.instance]

    def start(self, timeout=60):
        if self.redis is None:
            self.redis = Redis().start()
        return super().start(timeout)

    def stop(self):
        super().stop()
        if self.own_redis and self.redis is not None:
            self.redis.stop()
            self.redis = None


# The database servers the shared database test suite (tests/test_database.py) runs against:
# name -> class with start() -> self, stop(), tango_host, env(), and missing() (a skip reason or
# None). Every backend passes the same tests.
BACKENDS = {"cpp-mariadb": CppDatabaseServer, "py-sqlite": PyDatabaseServer, "py-redis": PyRedisDatabaseServer}
