"""tango.databaseds as a process, on each of its storages (sqlite, redis): what it keeps
through a kill -9, what it refuses (a second server on its file, redis database or port, a file
it cannot use, a redis that does not answer), many clients registering at once, and how it picks
its file. The database commands themselves are tests/test_database.py's (every backend)."""

import os
import subprocess
import sys
import threading

import pytest

import tango
from tango import Database, DbDevInfo

from tango_databases import PyDatabaseServer, PyRedisDatabaseServer, Redis, redis_missing


@pytest.fixture(params=["sqlite", "redis"])
def storage_server(request, tmp_path):
    """A server factory on one storage: a fresh sqlite file, or a fresh private redis-server."""
    if request.param == "sqlite":
        yield lambda: PyDatabaseServer(path=str(tmp_path / "tango.db"))
        return
    reason = redis_missing()
    if reason:
        pytest.skip(reason)
    redis_server = Redis().start()
    try:
        yield lambda: PyRedisDatabaseServer(redis_server)
    finally:
        redis_server.stop()


def run_database(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "tango.databaseds.database", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def test_nothing_acknowledged_is_lost_by_a_kill_9(storage_server):
    server = storage_server().start()
    try:
        db = Database("127.0.0.1", server.port)
        for i in range(50):
            db.put_device_property("test/kill/1", {f"p{i}": i})
        db.add_device(DbDevInfo("test/kill/2", "K", "Kill/1"))
        db.put_device_alias("test/kill/2", "killed_alias")
        server.kill()  # SIGKILL, right after the last acknowledged command
        server.start()
        db = Database("127.0.0.1", server.port)
        props = db.get_device_property("test/kill/1", [f"p{i}" for i in range(50)])
        assert props == {f"p{i}": [str(i)] for i in range(50)}
        assert db.get_device_alias("killed_alias") == "test/kill/2"
        assert db.get_class_for_device("test/kill/2") == "K"
    finally:
        server.stop()


def test_a_second_server_on_the_same_file_or_port_is_refused(tmp_path):
    path = str(tmp_path / "tango.db")
    server = PyDatabaseServer(path=path).start()
    try:
        other_port = PyDatabaseServer(path=path).port
        same_file = run_database("--host", "127.0.0.1", "--port", str(other_port), "--file", path, "2")
        assert same_file.returncode == 1
        assert f"the database file {path} is already used by another database server" in same_file.stderr
        same_port = run_database("--host", "127.0.0.1", "--port", str(server.port), "--file",
                                 str(tmp_path / "other.db"), "2")
        assert same_port.returncode == 1
        assert f"the port 127.0.0.1:{server.port} is already in use" in same_port.stderr
        # the first one serves on, its data untouched
        assert "sys/database/2" in list(Database("127.0.0.1", server.port).get_device_exported("sys/*"))
    finally:
        server.stop()


@pytest.mark.parametrize("content", [b"this is not an sqlite file" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
                         ids=["text", "damaged"])
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "tango.db"
    path.write_bytes(content)
    port = PyDatabaseServer(path=str(path)).port
    done = run_database("--host", "127.0.0.1", "--port", str(port), "--file", str(path), "2")
    assert done.returncode == 1
    assert f"the database file {path} cannot be used" in done.stderr
    assert path.read_bytes() == content


def test_a_file_that_cannot_be_made_is_refused(tmp_path):
    # its directory is a file: no one can create it there (root included, unlike a chmod)
    (tmp_path / "not_a_dir").write_text("")
    path = tmp_path / "not_a_dir" / "tango.db"
    done = run_database("--host", "127.0.0.1", "--port", str(PyDatabaseServer().port), "--file", str(path), "2")
    assert done.returncode == 1
    assert f"the database file {path} cannot be used" in done.stderr


def test_many_clients_registering_at_once(storage_server):
    server = storage_server().start()
    errors = []

    def register(k):
        try:
            with tango.EnsureOmniThread():
                db = Database("127.0.0.1", server.port)
                db.add_server(f"Many/{k}", [DbDevInfo(f"test/many{k}/{i}", "M", f"Many/{k}") for i in range(25)])
                for i in range(25):
                    db.put_device_property(f"test/many{k}/{i}", {"k": k, "i": i})
        except Exception as exc:  # reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=register, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        db = Database("127.0.0.1", server.port)
        names = sorted(db.get_device_exported("test/many*") or []) + sorted(db.get_device_name("*", "M"))
        assert len(set(names)) == 200
        assert db.get_device_property("test/many7/24", ["k", "i"]) == {"k": ["7"], "i": ["24"]}
    finally:
        server.stop()


def test_the_file_comes_from_pytango_database_name(tmp_path):
    path = tmp_path / "named.db"
    port = PyDatabaseServer().port
    env = dict(os.environ, PYTANGO_DATABASE_NAME=str(path))
    env.pop("TANGO_HOST", None)
    process = subprocess.Popen([sys.executable, "-u", "-m", "tango.databaseds.database", "--host", "127.0.0.1",
                                "--port", str(port), "2"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            if line.strip() == "Ready to accept request":
                break
        else:
            pytest.fail(f"the database server ended with {process.wait()}")
        assert path.is_file()
        db = Database("127.0.0.1", port)
        # a fresh file has the standard entries
        assert db.get_class_for_device("sys/database/2") == "DataBase"
        assert db.get_class_for_device("sys/tg_test/1") == "TangoTest"
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture
def redis_server():
    reason = redis_missing()
    if reason:
        pytest.skip(reason)
    server = Redis().start()
    yield server
    server.stop()


def test_a_second_server_on_the_same_redis_database_is_refused(redis_server):
    server = PyRedisDatabaseServer(redis_server).start()
    try:
        other = PyRedisDatabaseServer(redis_server)
        done = run_database("--host", "127.0.0.1", "--port", str(other.port), "--db_access", "redis",
                            "--redis", redis_server.url, "2")
        assert done.returncode == 1
        assert f"the redis database {redis_server.url} is already used by another database server" in done.stderr
        # another prefix is another database on the same redis
        third = PyRedisDatabaseServer(redis_server, prefix="other:").start()
        try:
            assert Database("127.0.0.1", third.port).get_device_exported("sys/database/*")
        finally:
            third.stop()
        assert "sys/database/2" in list(Database("127.0.0.1", server.port).get_device_exported("sys/*"))
    finally:
        server.stop()


def test_a_redis_that_does_not_answer_is_a_clear_error():
    from tango_databases import _free_port

    url = f"redis://127.0.0.1:{_free_port()}/0"
    done = run_database("--host", "127.0.0.1", "--port", str(_free_port()), "--db_access", "redis",
                        "--redis", url, "2")
    assert done.returncode == 1
    assert f"the redis database {url} cannot be used" in done.stderr


def test_redis_going_away_gives_clients_an_error_and_the_server_serves_on(redis_server):
    server = PyRedisDatabaseServer(redis_server).start()
    try:
        db = Database("127.0.0.1", server.port)
        db.put_device_property("test/redis/1", {"kept": 1})
        redis_server.kill()  # kill -9: appendfsync always kept what was acknowledged
        with pytest.raises(tango.DevFailed):
            db.get_device_property("test/redis/1", "kept")
        redis_server.start()  # the same directory and port: its append-only file is read back
        assert db.get_device_property("test/redis/1", "kept") == {"kept": ["1"]}
        db.put_device_property("test/redis/1", {"after": 2})
        assert db.get_device_property("test/redis/1", ["kept", "after"]) == {"kept": ["1"], "after": ["2"]}
    finally:
        server.stop()
