"""The names of tango.databaseds.database beside its entry point: device name checks, wildcard
translation, the database's name, its error reasons, the timing statistics of commands, the
storage plugins, the class lookups and the re-exports; and the database server applying the
same device name rules as cppTango's DataBaseds (every backend of tests/tango_databases.py)."""

import types

import pytest

import tango
import tango.server
import tango.test_context
from tango import AttrWriteType, DevFailed
from tango.databaseds import database, errors, names, sqlite_backend, timing
from tango.databaseds.device import DataBase
from tango.databaseds.sqlite_backend import SqliteStorage
from tango.server import Device, command
from tango.test_context import DeviceTestContext

from conftest import free_loopback_port
from tango_databases import BACKENDS

# -- check_device_name -----------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("sys/tg_test/1", (True, "sys/tg_test/1", ["sys", "tg_test", "1"])),
    ("Sys/TG_Test/One", (True, "Sys/TG_Test/One", ["Sys", "TG_Test", "One"])),
    ("tango:a/b/c", (True, "a/b/c", ["a", "b", "c"])),
    ("taco:a/b/c", (True, "a/b/c", ["a", "b", "c"])),
    ("//host:10000/a/b/c", (True, "a/b/c", ["a", "b", "c"])),
    ("tango://host.example:10000/a/b/c", (True, "a/b/c", ["a", "b", "c"])),
    # the protocol in lower case only: "TANGO:a" is then a domain
    ("TANGO:a/b/c", (True, "TANGO:a/b/c", ["TANGO:a", "b", "c"])),
])
def test_check_device_name_accepts_and_gives_the_stored_name(name, expected):
    assert names.check_device_name(name) == expected


@pytest.mark.parametrize("name", [
    "a/b/*", "*", "tango://host:1/a/*/c", "a/b", "a/b/c/d", "a//c", "/a/b", "a/b/", "", "//",
    "//host", "///a/b/c", "tango:", "tango:a/b", "foo://host/a/b/c",
])
def test_check_device_name_refuses(name):
    assert names.check_device_name(name) == (False, None, None)


def test_check_device_name_is_the_database_modules():
    assert database.check_device_name is names.check_device_name


# -- replace_wildcard ------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("sys/tg_test/*", "sys/tg\\_test/%"),
    ("*", "%"),
    ("a*b*", "a%b%"),
    ("100%", "100\\%"),
    ("it's \"quoted\"", "it\\'s \\\"quoted\\\""),
    ("plain", "plain"),
    ("", ""),
    ("back\\slash", "back\\slash"),
])
def test_replace_wildcard_makes_a_like_pattern(text, expected):
    assert database.replace_wildcard(text) == expected


def test_replace_wildcard_leaves_the_text_when_replacement_is_off(monkeypatch):
    assert database.WILDCARD_REPLACEMENT is True
    monkeypatch.setattr(database, "WILDCARD_REPLACEMENT", False)
    assert database.replace_wildcard("sys/tg_test/*") == "sys/tg_test/*"


def test_replace_wildcard_patterns_select_in_sqlite_as_tango_patterns_do():
    """The LIKE pattern, bound to an sqlite query with ESCAPE '\\', selects the names the Tango
    pattern does (storage.wildcard: the redis backend's matcher), case aside."""
    import sqlite3

    from tango.databaseds.storage import wildcard

    rows = ["sys/tg_test/1", "sys/tgXtest/1", "sys/tg_test/10", "a%b/c/d", "axb/c/d", "it's/x/y"]
    patterns = ["sys/tg_test/*", "sys/tg_test/1", "a%b/*", "it's/*", "*"]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (name TEXT)")
    con.executemany("INSERT INTO t VALUES (?)", [(r,) for r in rows])
    for pattern in patterns:
        # bound, not in a quoted string: the escaped quote is then a quote, escaped for nothing
        like = database.replace_wildcard(pattern)
        found = sorted(r for (r,) in con.execute("SELECT name FROM t WHERE name LIKE ? ESCAPE '\\'",
                                                  (like,)))
        assert found == sorted(r for r in rows if wildcard(pattern).match(r)), pattern
    con.close()


# -- the database's name ---------------------------------------------------------------------


def test_db_name_is_none_until_set(monkeypatch):
    monkeypatch.setattr(database, "DB_NAME", None)
    assert database.get_db_name() is None
    database.set_db_name("sys/database/7")
    assert database.get_db_name() == "sys/database/7"
    assert database.DB_NAME == "sys/database/7"


def test_main_sets_the_db_name_and_serves_that_device(monkeypatch):
    """main() without a server: run() is replaced by one that records what it was given."""
    monkeypatch.setattr(database, "DB_NAME", None)
    monkeypatch.setattr(DataBase, "store", None)
    monkeypatch.setattr(DataBase, "_port", DataBase._port)
    given = {}

    def fake_run(classes, args, **kwargs):
        given.update(classes=classes, args=args, db_name=database.get_db_name(),
                     store=DataBase.store)

    monkeypatch.setattr(database, "run", fake_run)
    monkeypatch.setattr(database.logging, "basicConfig", lambda **kwargs: None)
    port = free_loopback_port()
    code = database.main(["--host", "127.0.0.1", "--port", str(port), "--file", ":memory:", "7"])
    assert code == 0
    assert database.get_db_name() == "sys/database/7"
    assert given["db_name"] == "sys/database/7"
    assert given["classes"] == (DataBase,)
    assert given["args"][:5] == ["DataBaseds", "7", "-nodb", "-dlist", "sys/database/7"]
    assert isinstance(given["store"], SqliteStorage)


# -- the error reasons and th_exc ------------------------------------------------------------


def test_error_reasons_are_the_databases():
    assert database.DB_IncorrectArguments == "DB_IncorrectArguments"
    assert database.DB_IncorrectDeviceName == "DB_IncorrectDeviceName"
    assert database.DB_IncorrectServerName == "DB_IncorrectServerName"
    assert database.DB_IncorrectArguments is errors.DB_IncorrectArguments
    assert database.DB_IncorrectDeviceName is errors.DB_IncorrectDeviceName
    assert database.DB_IncorrectServerName is errors.DB_IncorrectServerName


def test_th_exc_raises_a_devfailed():
    assert database.th_exc is tango.Except.throw_exception
    assert errors.throw is database.th_exc
    with pytest.raises(DevFailed) as info:
        database.th_exc(database.DB_IncorrectArguments, "two needed", "DataBase::Test()")
    err = info.value.args[0]
    assert (err.reason, err.desc, err.origin) == ("DB_IncorrectArguments", "two needed",
                                                  "DataBase::Test()")
    assert err.severity == tango.ErrSeverity.ERR


# -- the timing statistics -------------------------------------------------------------------


def test_time_structure_starts_at_zero():
    t = database.TimeStructure()
    assert (t.average, t.minimum, t.maximum, t.total_elapsed, t.calls, t.index) == (0, 0, 0, 0, 0, "")
    assert repr(t) == ("TimeStructure(index='', calls=0, average=0, minimum=0, maximum=0, "
                       "total_elapsed=0)")


def test_update_timing_stats_counts_in_milliseconds():
    dev = types.SimpleNamespace()
    database.update_timing_stats(dev, 10.0, 10.5, "DbGetServerList")    # 500 ms
    database.update_timing_stats(dev, 20.0, 20.125, "DbGetServerList")  # 125 ms
    database.update_timing_stats(dev, 30.0, 30.25, "DbGetServerList")   # 250 ms
    database.update_timing_stats(dev, 1.0, 1.0625, "DbInfo")            # 62.5 ms
    assert sorted(dev.timing_maps) == ["DbGetServerList", "DbInfo"]
    t = dev.timing_maps["DbGetServerList"]
    assert (t.index, t.calls, t.total_elapsed, t.minimum, t.maximum) == (
        "DbGetServerList", 3, 875.0, 125.0, 500.0)
    assert t.average == 875.0 / 3
    info = dev.timing_maps["DbInfo"]
    assert (info.calls, info.average, info.minimum, info.maximum) == (1, 62.5, 62.5, 62.5)


def test_update_timing_stats_uses_the_devices_own_maps():
    entry = timing.TimeStructure()
    entry.index = "DbInfo"
    dev = types.SimpleNamespace(timing_maps={"DbInfo": entry})
    database.update_timing_stats(dev, 0.0, 0.5, "DbInfo")
    assert dev.timing_maps["DbInfo"] is entry
    assert (entry.calls, entry.average) == (1, 500.0)


def test_stats_times_each_call_even_one_that_raises():
    class Dev:
        @database.stats
        def DbFine(self, x):
            """doc of DbFine"""
            return x * 2

        @database.stats
        def DbFails(self):
            raise ValueError("no")

    dev = Dev()
    assert dev.DbFine(21) == 42
    assert dev.DbFine(1) == 2
    with pytest.raises(ValueError):
        dev.DbFails()
    assert Dev.DbFine.__name__ == "DbFine"
    assert Dev.DbFine.__doc__ == "doc of DbFine"
    assert {name: t.calls for name, t in dev.timing_maps.items()} == {"DbFine": 2, "DbFails": 1}
    fine = dev.timing_maps["DbFine"]
    assert fine.index == "DbFine"
    assert 0 <= fine.minimum <= fine.average <= fine.maximum
    assert fine.total_elapsed == pytest.approx(fine.average * 2)


class TimedDataBase(DataBase):
    """The DataBase device with two commands timed by stats, on an sqlite store in memory."""

    def init_device(self):
        if type(self).store is None:
            type(self).store = SqliteStorage(":memory:")
        super().init_device()

    @database.stats
    @command(dtype_in=str, dtype_out=[str])
    def DbGetServerList(self, pattern):
        return DataBase.DbGetServerList(self, pattern)

    @database.stats
    @command(dtype_out=[str])
    def DbInfo(self):
        return DataBase.DbInfo(self)

    @command(dtype_in=str, dtype_out=int)
    def TimingCalls(self, name):
        entry = getattr(self, "timing_maps", {}).get(name)
        return -1 if entry is None else entry.calls


@pytest.fixture(scope="module")
def timed_database():
    with DeviceTestContext(TimedDataBase, device_name="sys/database/9", process=True) as proxy:
        yield proxy


def test_stats_on_commands_of_a_served_database(timed_database):
    proxy = timed_database
    assert proxy.TimingCalls("DbGetServerList") == -1
    servers = proxy.DbGetServerList("DataBaseds/*")
    assert list(servers) == ["DataBaseds/2"]
    proxy.DbGetServerList("*")
    proxy.DbInfo()
    assert proxy.TimingCalls("DbGetServerList") == 2
    assert proxy.TimingCalls("DbInfo") == 1
    proxy.ResetTimingValues()
    assert proxy.TimingCalls("DbGetServerList") == 0
    assert proxy.TimingCalls("DbInfo") == 0
    proxy.DbInfo()
    assert proxy.TimingCalls("DbInfo") == 1


# -- the storage plugins ---------------------------------------------------------------------


def test_get_plugin_gives_the_storage_backend_modules():
    from tango.databaseds import redis_backend

    assert database.get_plugin("sqlite3") is sqlite_backend
    assert database.get_plugin("redis") is redis_backend
    assert database.get_plugin("sqlite3").SqliteStorage is SqliteStorage


def test_get_plugin_refuses_another_name():
    with pytest.raises(ModuleNotFoundError) as info:
        database.get_plugin("mysql")
    assert str(info.value) == "no storage backend named 'mysql' (there are: sqlite3, redis)"
    assert info.value.name == "tango.databaseds.mysql"


# -- DbExportDevice --------------------------------------------------------------------------


@pytest.fixture
def store_device():
    store = SqliteStorage(":memory:")
    yield types.SimpleNamespace(db=store)
    store.close()


def test_dbexportdevice_exports_into_the_devices_store(store_device):
    database.DbExportDevice(store_device, ["sys/tg_test/1", "IOR:0123", "host1", "4321", "6"])
    d = store_device.db.device("sys/tg_test/1")
    assert (d.exported, d.ior, d.host, d.pid, d.version) == (True, "IOR:0123", "host1", 4321, "6")
    assert d.started is not None
    database.DbExportDevice(store_device, ["sys/tg_test/1", "IOR:4567", "host2", "null", "6"])
    d = store_device.db.device("sys/tg_test/1")
    assert (d.ior, d.host, d.pid) == ("IOR:4567", "host2", 0)


def test_dbexportdevice_refuses_short_info_and_unknown_devices(store_device):
    with pytest.raises(DevFailed) as info:
        database.DbExportDevice(store_device, ["sys/tg_test/1", "IOR:0123", "host1", "1"])
    assert info.value.args[0].reason == "DB_IncorrectArguments"
    with pytest.raises(DevFailed) as info:
        database.DbExportDevice(store_device, ["no/such/device", "IOR:0123", "host1", "1", "6"])
    assert info.value.args[0].reason == "DB_DeviceNotDefined"
    assert store_device.db.device("sys/tg_test/1").exported is False


# -- DbInter, the class lookups, the re-exports ----------------------------------------------


def test_dbinter_hooks_do_nothing():
    inter = database.DbInter()
    assert database.DbInter.__mro__[1] is getattr(tango, "Interceptors", object)
    assert inter.create_thread() is None
    assert inter.delete_thread() is None


def test_class_lookups_in_the_servers_registry(monkeypatch):
    from tango import pyutil

    class MotorClass(tango.server.DeviceClass):
        pass

    class SubMotorClass(MotorClass):
        pass

    entry = (MotorClass, object, "Motor")
    monkeypatch.setattr(pyutil, "class_list", [entry])
    assert database.get_class_by_class(MotorClass) is entry
    assert database.get_class_by_class(SubMotorClass) is None
    made = object.__new__(MotorClass)
    made_sub = object.__new__(SubMotorClass)
    monkeypatch.setattr(pyutil, "get_constructed_classes", lambda: [made_sub, made])
    assert database.get_constructed_class_by_class(MotorClass) is made
    assert database.get_constructed_class_by_class(SubMotorClass) is made_sub
    monkeypatch.setattr(pyutil, "get_constructed_classes", lambda: [])
    assert database.get_constructed_class_by_class(MotorClass) is None


def test_reexported_names():
    assert database.Device is Device
    assert database.attribute is tango.server.attribute
    assert database.command is command
    assert database.run is tango.server.run
    assert database.AttrWriteType is AttrWriteType
    assert database.parse_ior is tango.test_context.parse_ior
    assert database.TimeStructure is timing.TimeStructure
    assert database.stats is timing.stats
    assert database.update_timing_stats is timing.update_timing_stats
    assert (database.READ_ONLY, database.WRITE_ONLY, database.READ_WRITE,
            database.READ_WITH_WRITE) == (AttrWriteType.READ, AttrWriteType.WRITE,
                                          AttrWriteType.READ_WRITE, AttrWriteType.READ_WITH_WRITE)


# -- the device name rules of a served database, ours and cppTango's alike ---------------------


@pytest.fixture(scope="module", params=sorted(BACKENDS), ids=lambda b: f"db-{b}")
def database_server(request):
    backend = BACKENDS[request.param]
    reason = backend.missing()
    if reason:
        pytest.skip(reason)
    server = backend().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dbase(database_server):
    return tango.DeviceProxy(f"tango://{database_server.tango_host}/sys/database/2")


def _reason(call):
    with pytest.raises(DevFailed) as info:
        call()
    return info.value.args[0].reason


def test_served_database_stores_names_as_check_device_name_gives_them(dbase):
    add = lambda name: dbase.command_inout("DbAddDevice", ["DbNames/1", name, "DbNames"])  # noqa: E731
    add("tango:test/dbnames/1")
    add("//somehost:10000/test/dbnames/2")
    add("taco:test/dbnames/3")
    add("tango://somehost:10000/test/dbnames/4")
    assert _reason(lambda: add("test/dbnames/*")) == "DB_IncorrectDeviceName"
    assert _reason(lambda: add("test/dbnames")) == "DB_IncorrectDeviceName"
    assert _reason(lambda: add("//nohost")) == "DB_IncorrectDeviceName"
    listed = sorted(dbase.command_inout("DbGetDeviceList", ["DbNames/1", "*"]))
    assert listed == ["dserver/DbNames/1", "test/dbnames/1", "test/dbnames/2", "test/dbnames/3",
                      "test/dbnames/4"]
    assert (_reason(lambda: dbase.command_inout("DbDeleteDevice", "test/dbnames/*"))
            == "DB_IncorrectDeviceName")
    dbase.command_inout("DbDeleteDevice", "tango:test/dbnames/1")
    dbase.command_inout("DbDeleteDevice", "//somehost:10000/test/dbnames/2")
    listed = sorted(dbase.command_inout("DbGetDeviceList", ["DbNames/1", "*"]))
    assert listed == ["dserver/DbNames/1", "test/dbnames/3", "test/dbnames/4"]


def test_served_database_exported_itself_at_its_port(database_server, dbase):
    """main() exports the database device and its dserver (DbExportDevice) once serving: the
    database's IOR names the port it serves on."""
    exported, strings = dbase.command_inout("DbImportDevice", "sys/database/2")
    assert exported[0] == 1
    assert database.parse_ior(strings[1]).port == int(database_server.tango_host.split(":")[1])
    exported, strings = dbase.command_inout("DbImportDevice", "dserver/DataBaseds/2")
    assert exported[0] == 1
    assert strings[1].startswith("IOR:")
