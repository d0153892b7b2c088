"""The database test suite: tango.Database against every database server backend
(tests/tango_databases.py BACKENDS: cppTango's C++ DataBaseds on MariaDB, and ours), plus servers
registered in it and run under TANGO_HOST. Every backend passes the same tests."""

import os
import pickle
import subprocess
import sys
import time

import pytest

import tango
from tango import Database, DbDatum, DbDevExportInfo, DbDevInfo, DbServerInfo, DevFailed

from conftest import wait_for
from tango_databases import BACKENDS

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module", params=sorted(BACKENDS), ids=lambda b: f"db-{b}")
def database_server(request):
    backend = BACKENDS[request.param]
    reason = backend.missing()
    if reason:
        pytest.skip(reason)
    server = backend().start()
    server.backend = request.param
    yield server
    server.stop()


@pytest.fixture(scope="module")
def db(database_server):
    return Database(*database_server.tango_host.split(":"))


@pytest.fixture
def tango_host(database_server, monkeypatch):
    """TANGO_HOST of this process set to the test database, for the servers and tools the tests
    start (child processes, which read it). In this process cppTango reads it once, at the
    first proxy made through it, and keeps that database for the process's life: a proxy here
    names its host (on()), so that each backend's tests talk to that backend."""
    monkeypatch.setenv("TANGO_HOST", database_server.tango_host)
    return database_server.tango_host


def on(tango_host, name):
    """A device name or alias (or a pattern) with the test database's host in it."""
    return f"tango://{tango_host}/{name}"


_counter = iter(range(1, 10**6))


def unique(prefix):
    return f"{prefix}{next(_counter)}_{os.getpid()}"


# -- the client: connection and records --------------------------------------------------------


def test_database_from_tango_host_and_from_host_port(db, tango_host):
    from_env = Database()
    host, port = tango_host.split(":")
    assert from_env.get_db_host() == host
    assert from_env.get_db_port() == port
    assert from_env.get_db_port_num() == int(port)
    assert db.get_db_port_num() == int(port)
    assert "sys/database/2" in from_env.get_info()
    assert isinstance(db, tango.Connection)
    assert from_env.dev_name() == "sys/database/2"


def test_database_that_does_not_answer_fails_clearly():
    from conftest import free_loopback_port

    with pytest.raises(DevFailed) as info:
        Database("127.0.0.1", free_loopback_port())
    assert info.value.args[0].reason in ("API_CorbaException", "API_CantConnectToDatabase")


def test_dbdatum_is_a_sequence_of_strings():
    d = DbDatum("speed")
    assert repr(d) == "DbDatum(name = 'speed', value_string = [])"
    assert d.is_empty() and d.size() == 0 and len(d) == 0
    d.append("1")
    d.extend([2, 3.5])
    assert list(d) == ["1", "2", "3.5"]
    assert d[0] == "1" and d[-1] == "3.5" and "2" in d
    d[1] = "two"
    del d[0]
    assert d.value_string == ["two", "3.5"]
    d.value_string = "only"
    assert d.value_string == ["only"]
    with pytest.raises(IndexError):
        d[5]
    assert pickle.loads(pickle.dumps(d)) == d
    assert DbDatum("x", [1, 2]).value_string == ["1", "2"]
    # value_string is the datum's own list, changed in place (bytes taken as Latin-1 text)
    values = d.value_string
    values.append(b"caf\xe9")
    values.extend([1, "x"])
    values.insert(0, "first")
    assert d.value_string == ["first", "only", "caf\xe9", "1", "x"]
    assert repr(values) == "['first', 'only', 'caf\xe9', '1', 'x']"
    assert (values.pop(), values[1:3], len(values), "only" in values) == ("x", ["only", "caf\xe9"], 4, True)
    values[0] = 7
    del values[1]
    assert list(d) == ["7", "caf\xe9", "1"]
    d.value_string = values  # its own values assigned back
    assert d.value_string == ("7", "caf\xe9", "1")
    values.clear()
    assert d.is_empty()


def test_records_print_and_pickle():
    info = DbDevInfo("a/b/c", "Klass", "srv/inst")
    assert repr(info) == "DbDevInfo(klass = 'Klass', name = 'a/b/c', server = 'srv/inst')"
    back = pickle.loads(pickle.dumps(info))
    assert (back.name, back.klass, back.server) == ("a/b/c", "Klass", "srv/inst")
    export = DbDevExportInfo(name="a/b/c", ior="IOR:00", host="h", version="5", pid=42)
    assert repr(export) == "DbDevExportInfo(host = 'h', ior = 'IOR:00', name = 'a/b/c', pid = 42, version = '5')"
    server = DbServerInfo("srv/inst", "h", 1, 3)
    assert repr(server) == "DbServerInfo(host = 'h', level = 3, mode = 1, name = 'srv/inst')"


# -- servers and devices -----------------------------------------------------------------------


def test_server_registration_and_the_name_lists(db):
    server = unique("Srv") + "/inst"
    exe = server.split("/")[0]
    devices = [f"test/{exe.lower()}/{i}" for i in (1, 2)]
    db.add_server(server, [DbDevInfo(d, "KlassA", server) for d in devices])
    db.add_device(DbDevInfo(f"test/{exe.lower()}/b", "KlassB", server))
    try:
        assert server in list(db.get_server_list(exe + "/*"))
        assert exe in list(db.get_server_name_list())
        assert list(db.get_instance_name_list(exe)) == ["inst"]
        assert sorted(db.get_server_class_list(server)) == ["KlassA", "KlassB"]
        assert sorted(db.get_device_class_list(server))[:0] == []
        assert sorted(db.get_device_name(server, "KlassA")) == devices
        assert db.get_class_for_device(devices[0]) == "KlassA"
        assert "KlassA" in list(db.get_class_list("Klass*"))
        assert exe.lower() in list(db.get_device_family(f"test/{exe.lower()[:3]}*"))
        assert sorted(db.get_device_member(f"test/{exe.lower()}/*")) == ["1", "2", "b"]
        full = db.get_device_info(devices[0])
        assert (full.name, full.class_name, full.ds_full_name) == (devices[0], "KlassA", server)
        assert full.exported == 0
    finally:
        db.delete_server(server)
    assert server not in list(db.get_server_list(exe + "/*"))
    with pytest.raises(DevFailed):
        db.get_device_info(devices[0])


def test_export_import_unexport(db):
    server = unique("Exp") + "/1"
    dev = f"test/{server.split('/')[0].lower()}/1"
    db.add_device(DbDevInfo(dev, "K", server))
    try:
        db.export_device(DbDevExportInfo(dev, "IOR:0123", "somehost", "5", 4321))
        imported = db.import_device(dev)
        assert (imported.name, imported.exported, imported.ior, imported.version) == (dev, 1, "IOR:0123", "5")
        assert dev in list(db.get_device_exported(dev[:-1] + "*"))
        full = db.get_device_info(dev)
        assert (full.host, full.pid, full.exported) == ("somehost", 4321, 1)
        db.unexport_device(dev)
        assert db.import_device(dev).exported == 0
        assert dev not in list(db.get_device_exported(dev[:-1] + "*"))
    finally:
        db.delete_server(server)


def test_unknown_device_and_malformed_names_fail_clearly(db):
    with pytest.raises(DevFailed):
        db.import_device("no/such/device")
    with pytest.raises(DevFailed):
        db.get_device_info("not-a-device-name")
    with pytest.raises(TypeError):
        db.add_device("a/b/c")  # a DbDevInfo is needed


def test_server_info(db):
    server = unique("Info") + "/1"
    db.put_server_info(DbServerInfo(server, "ahost", 1, 4))
    info = db.get_server_info(server)
    assert (info.name, info.host, info.mode, info.level) == (server, "ahost", 1, 4)
    db.delete_server_info(server)
    gone = db.get_server_info(server)
    # cppTango's DataBaseds answers a blank host and zeros for a server it has no record of
    assert (gone.name, gone.host, gone.mode, gone.level) == (server, " ", 0, 0)


# -- properties --------------------------------------------------------------------------------


def test_device_properties_in_every_form(db):
    dev = f"test/props/{unique('d')}"
    db.put_device_property(dev, {"int": 3, "list": [1, 2.5, "x"], "text": "élan", "empty": []})
    try:
        assert db.get_device_property(dev, "int") == {"int": ["3"]}
        assert db.get_device_property(dev, ["list", "text", "nothing"]) == {
            "list": ["1", "2.5", "x"], "text": ["élan"], "nothing": []}
        asked = {"int": None, "text": None}
        assert db.get_device_property(dev, asked) is asked
        assert asked == {"int": ["3"], "text": ["élan"]}
        assert db.get_device_property(dev, DbDatum("int")) == {"int": ["3"]}
        data = tango.DbData([DbDatum("int"), DbDatum("list")])
        assert db.get_device_property(dev, data) is data
        assert [(d.name, d.value_string) for d in data] == [("int", ["3"]), ("list", ["1", "2.5", "x"])]
        assert sorted(db.get_device_property_list(dev, "*")) == ["int", "list", "text"]
        assert list(db.get_device_property_list(dev, "l*")) == ["list"]
        db.put_device_property(dev, DbDatum("int", ["4"]))
        assert db.get_device_property(dev, "int") == {"int": ["4"]}
        db.delete_device_property(dev, ["int", "text"])
        assert db.get_device_property(dev, ["int", "text"]) == {"int": [], "text": []}
        history = db.get_device_property_history(dev, "int")
        assert [h.get_value().value_string for h in history][:2] == [["3"], ["4"]]
        assert history[-1].is_deleted()
        assert all(h.get_name() == "int" for h in history)
    finally:
        db.delete_device_property(dev, ["int", "list", "text"])


def test_names_as_str_answer_as_datums_do(db):
    # str, list and tuple names take a compiled path straight to a dict; DbDatum names the
    # general one: both answer alike, for every kind of owner that has the two paths
    dev, klass, obj = f"test/props/{unique('f')}", unique("Cls"), unique("obj")
    values = {"one": ["1"], "many": ["a", "", "é"], "none": []}
    puts = (db.put_device_property, db.put_class_property, db.put_property)
    gets = (db.get_device_property, db.get_class_property, db.get_property)
    try:
        for owner, put, get in zip((dev, klass, obj), puts, gets):
            put(owner, {k: v for k, v in values.items() if v})
            names = list(values)
            general = get(owner, [DbDatum(n) for n in names])
            assert general == values
            assert get(owner, names) == general
            assert get(owner, tuple(names)) == general
            assert get(owner, "many") == {"many": values["many"]}
    finally:
        db.delete_device_property(dev, list(values))
        db.delete_class_property(klass, list(values))
        db.delete_property(obj, list(values))


def test_property_arguments_of_the_wrong_kind(db):
    with pytest.raises(TypeError):
        db.put_device_property("test/props/x", "not a dict")
    with pytest.raises(TypeError):
        db.get_device_property("test/props/x", 42)
    with pytest.raises(TypeError):
        db.put_device_attribute_property("test/props/x", {"attr": "not a dict"})


def test_attribute_properties_of_devices_and_classes(db):
    dev = f"test/attrprops/{unique('d')}"
    db.put_device_attribute_property(dev, {"voltage": {"min_value": 0, "unit": "V"},
                                           "current": {"max_value": [10]}})
    assert db.get_device_attribute_property(dev, ["voltage", "current"]) == {
        "voltage": {"min_value": ["0"], "unit": ["V"]}, "current": {"max_value": ["10"]}}
    assert db.get_device_attribute_property(dev, "nothing") == {"nothing": {}}
    db.delete_device_attribute_property(dev, {"voltage": ["unit"], "current": ["max_value"]})
    assert db.get_device_attribute_property(dev, ["voltage", "current"]) == {
        "voltage": {"min_value": ["0"]}, "current": {}}
    hist = db.get_device_attribute_property_history(dev, "voltage", "unit")
    assert [h.get_value().value_string for h in hist] == [["V"], []]
    assert [h.is_deleted() for h in hist] == [False, True]
    # cppTango fills a DbHistory's two names the other way round for attribute properties
    assert all({h.get_name(), h.get_attribute_name()} == {"voltage", "unit"} for h in hist)

    cls = unique("AttrPropClass")
    db.put_class_attribute_property(cls, {"voltage": {"unit": "mV"}})
    assert db.get_class_attribute_property(cls, "voltage") == {"voltage": {"unit": ["mV"]}}
    assert list(db.get_class_attribute_list(cls, "*")) == ["voltage"]
    db.delete_class_attribute_property(cls, {"voltage": "unit"})
    assert db.get_class_attribute_property(cls, "voltage") == {"voltage": {}}


def test_class_and_free_properties(db):
    cls = unique("PropClass")
    db.put_class_property(cls, {"site": "lab", "ids": [1, 2]})
    assert db.get_class_property(cls, ["site", "ids"]) == {"site": ["lab"], "ids": ["1", "2"]}
    assert sorted(db.get_class_property_list(cls)) == ["ids", "site"]
    db.delete_class_property(cls, "site")
    assert db.get_class_property(cls, "site") == {"site": []}
    assert [h.get_value().value_string for h in db.get_class_property_history(cls, "site")] == [["lab"], []]

    obj = unique("FreeObject")
    db.put_property(obj, {"colour": "blue", "sizes": [1, 2]})
    assert db.get_property(obj, ["colour", "sizes"]) == {"colour": ["blue"], "sizes": ["1", "2"]}
    assert obj in list(db.get_object_list(obj[:6] + "*"))
    assert sorted(db.get_object_property_list(obj, "*")) == ["colour", "sizes"]
    db.delete_property(obj, ["colour", "sizes"])
    assert db.get_property(obj, "colour") == {"colour": []}


def test_aliases_both_ways(db):
    server = unique("Alias") + "/1"
    dev = f"test/{server.split('/')[0].lower()}/1"
    alias = unique("alias")
    db.add_device(DbDevInfo(dev, "K", server))
    try:
        db.put_device_alias(dev, alias)
        assert db.get_device_from_alias(alias) == dev
        assert db.get_alias_from_device(dev) == alias
        assert db.get_alias(dev) == alias and db.get_device_alias(alias) == dev
        assert alias in list(db.get_device_alias_list(alias[:5] + "*"))
        attr_alias = unique("attralias")
        db.put_attribute_alias(dev + "/voltage", attr_alias)
        assert db.get_attribute_from_alias(attr_alias) == dev + "/voltage"
        assert db.get_alias_from_attribute(dev + "/voltage") == attr_alias
        assert attr_alias in list(db.get_attribute_alias_list(attr_alias))
        db.delete_attribute_alias(attr_alias)
        with pytest.raises(DevFailed):
            db.get_attribute_from_alias(attr_alias)
        db.delete_device_alias(alias)
        with pytest.raises(DevFailed):
            db.get_device_from_alias(alias)
    finally:
        db.delete_server(server)


def test_services(db):
    service, instance = unique("Svc"), "main"
    db.register_service(service, instance, "test/svc/1")
    assert list(db.get_services(service, instance)) == ["test/svc/1"]
    assert list(db.get_services(service, "*")) == ["test/svc/1"]
    db.unregister_service(service, instance)
    assert list(db.get_services(service, instance)) == []


def test_raw_database_commands(db):
    assert "sys/database/2" in db.command_inout("DbGetDeviceList", ["DataBaseds/2", "DataBase"])
    assert db.command_inout("DbGetClassForDevice", "sys/database/2") == "DataBase"
    with pytest.raises(TypeError):
        db.command_inout("DbGetDeviceList", 1.5)


def test_database_commands_asynch_and_raw(db):
    # the command calls every connection shares (bound once for DeviceProxy and Database)
    args = ["DataBaseds/2", "DataBase"]
    idx = db.command_inout_asynch("DbGetDeviceList", args)
    assert "sys/database/2" in db.command_inout_reply(idx, 5000)
    raw = db.command_inout_raw("DbGetClassForDevice", "sys/database/2")
    assert isinstance(raw, tango.DeviceData)
    assert (raw.get_type(), raw.extract()) == (tango.CmdArgType.DevString, "DataBase")
    raw_arg = tango.DeviceData()
    raw_arg.insert(tango.CmdArgType.DevVarStringArray, args)
    assert "sys/database/2" in db.command_inout_raw("DbGetDeviceList", raw_arg).extract()
    assert "sys/database/2" in db.command_inout_reply_raw(
        db.command_inout_asynch("DbGetDeviceList", args), 5000).extract()
    ended = []

    class Callback:
        def cmd_ended(self, event):
            ended.append((event.cmd_name, event.err, event.argout))

    api = tango.ApiUtil.instance()
    before = api.get_asynch_cb_sub_model()
    try:
        # the pull model: the callback runs inside get_asynch_replies
        api.set_asynch_cb_sub_model(tango.cb_sub_model.PULL_CALLBACK)
        db.command_inout_asynch("DbGetClassForDevice", "sys/database/2", Callback())
        db.get_asynch_replies(5000)
        assert ended == [("DbGetClassForDevice", False, "DataBase")]
        # the push model: cppTango's callback thread runs it
        api.set_asynch_cb_sub_model(tango.cb_sub_model.PUSH_CALLBACK)
        db.command_inout_asynch("DbGetClassForDevice", "sys/database/2", Callback())
        assert wait_for(lambda: len(ended) == 2)
        assert ended[1] == ("DbGetClassForDevice", False, "DataBase")
    finally:
        api.set_asynch_cb_sub_model(before)
    with pytest.raises(TypeError):
        db.command_inout_asynch("DbGetDeviceList", 1.5)


# -- proxies' properties go through the database -------------------------------------------------


def test_device_proxy_properties_through_its_database(db, tango_host):
    server = unique("DpProps") + "/1"
    dev = f"test/{server.split('/')[0].lower()}/1"
    db.add_device(DbDevInfo(dev, "K", server))
    try:
        # a proxy of a device whose server is not running is made; properties need no server
        proxy = tango.DeviceProxy(on(tango_host, dev))
        proxy.put_property({"speed": 3, "names": ["a", "b"]})
        assert proxy.get_property(["speed", "names"]) == {"speed": ["3"], "names": ["a", "b"]}
        assert db.get_device_property(dev, "speed") == {"speed": ["3"]}
        assert sorted(proxy.get_property_list("*")) == ["names", "speed"]
        # a DbData to fill, and dicts whose DbDatum values name the properties
        data = tango.DbData()
        assert proxy.get_property("names", data) == {"names": ["a", "b"]}
        assert [(d.name, list(d.value_string)) for d in data] == [("names", ["a", "b"])]
        assert proxy.get_property(tango.DbData([DbDatum("speed")])) == {"speed": ["3"]}
        assert proxy.get_property({"key": DbDatum("speed")})["speed"] == ["3"]
        proxy.put_property({"ignored key": DbDatum("gain", ["1.5"])})
        assert proxy.get_property("gain") == {"gain": ["1.5"]}
        proxy.delete_property(["speed", "gain"])
        assert proxy.get_property("speed") == {"speed": []}
        assert proxy.get_device_db().get_db_port_num() == db.get_db_port_num()
    finally:
        db.delete_server(server)


AFTER_A_TEST_CONTEXT = """
import os, sys
import tango
from tango.server import Device, attribute
from tango.test_context import DeviceTestContext

class Probe(Device):
    @attribute(dtype=int)
    def one(self):
        return 1

# the first context of a process serves in a thread of it, with a -file= database
with DeviceTestContext(Probe) as ctx_proxy:
    assert ctx_proxy.one == 1
os.environ["TANGO_HOST"] = sys.argv[2]  # set afterwards, as a test's fixture sets it
for name in (sys.argv[1], f"tango://{sys.argv[2]}/{sys.argv[1]}"):  # by TANGO_HOST, by host
    proxy = tango.DeviceProxy(name)  # the client's database, not the context's file
    db = tango.Database(*sys.argv[2].split(":"))
    assert db.get_device_property(sys.argv[1], "speed") == {"speed": ["7"]}
print(proxy.get_property("speed")["speed"], proxy.get_device_db().get_db_port_num())
"""


def test_proxies_use_the_client_database_once_a_test_context_served_in_this_process(db, tango_host):
    server = unique("AfterCtx") + "/1"
    dev = f"test/{server.split('/')[0].lower()}/1"
    db.add_device(DbDevInfo(dev, "K", server))
    db.put_device_property(dev, {"speed": 7})
    env = {k: v for k, v in os.environ.items() if k != "TANGO_HOST"}
    # glibc scribbles over freed memory, so that a read of what the stopped context's server
    # freed (its classes, its replaced file Database: both once read by later proxies, found
    # with valgrind) is more likely to fail here than to pass by luck
    env["MALLOC_PERTURB_"] = "165"
    try:
        done = subprocess.run([sys.executable, "-c", AFTER_A_TEST_CONTEXT, dev, tango_host],
                              capture_output=True, text=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == f"['7'] {db.get_db_port_num()}"
    finally:
        db.delete_server(server)


def test_a_device_without_database_has_no_properties(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    with pytest.raises(DevFailed) as info:
        proxy.get_property("x")
    assert info.value.args[0].reason == "API_NonDatabaseDevice"


# -- servers registered in the database and run under TANGO_HOST ---------------------------------


class RegisteredServer:
    """tests/db_server.py registered as db_server/INST with one device, run under TANGO_HOST."""

    def __init__(self, db, database_server, properties=None):
        self.instance = unique("i")
        self.server = f"db_server/{self.instance}"
        self.device = f"test/dbserver/{self.instance}"
        self.db = db
        self.env = database_server.env()
        self.tango_host = database_server.tango_host
        db.add_device(DbDevInfo(self.device, "DbTestDevice", self.server))
        if properties:
            db.put_device_property(self.device, properties)
        self.process = None

    def start(self, timeout=30):
        self.log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"{self.server.replace('/', '_')}.log"), "ab")
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, "db_server.py"), self.instance],
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)

        def exported():
            if self.process.poll() is not None:
                return "exited"
            try:
                tango.DeviceProxy(on(self.tango_host, self.device)).ping()
                return "up"
            except DevFailed:
                return None

        state = wait_for(exported, timeout, interval=0.05)
        return state

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self):
        self.log.flush()
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def remove(self):
        self.kill()
        self.db.delete_server(self.server)


def test_server_reads_its_properties_from_the_database(db, database_server, tango_host):
    srv = RegisteredServer(db, database_server, {"label": "first", "gain": 2.5})
    db.put_class_property("DbTestDevice", {"site": "hall B"})
    try:
        assert srv.start() == "up", srv.output()
        proxy = tango.DeviceProxy(on(tango_host, srv.device))
        assert proxy.properties == "2.5|first|hall B"
        assert proxy.database_host() == tango_host
        # Init re-reads them
        db.put_device_property(srv.device, {"label": "second"})
        proxy.Init()
        assert proxy.properties == "2.5|second|hall B"
        # found by alias too
        alias = unique("dbdev")
        db.put_device_alias(srv.device, alias)
        assert tango.DeviceProxy(on(tango_host, alias)).properties == "2.5|second|hall B"
        db.delete_device_alias(alias)
    finally:
        db.delete_class_property("DbTestDevice", "site")
        srv.remove()


def test_missing_mandatory_property_names_it(db, database_server, tango_host):
    srv = RegisteredServer(db, database_server)  # no "label"
    try:
        state = srv.start(timeout=20)
        # the device cannot initialise: the server stops, or serves it in FAULT; either way the
        # error names the property
        if state == "up":
            proxy = tango.DeviceProxy(on(tango_host, srv.device))
            assert "label" in proxy.status()
        else:
            assert wait_for(lambda: "label" in srv.output(), 10), srv.output()
    finally:
        srv.remove()


def test_memorized_values_survive_a_restart(db, database_server, tango_host):
    srv = RegisteredServer(db, database_server, {"label": "m"})
    try:
        assert srv.start() == "up", srv.output()
        proxy = tango.DeviceProxy(on(tango_host, srv.device))
        proxy.setpoint = 7.25
        proxy.hw_setpoint = 42
        stored = db.get_device_attribute_property(srv.device, ["setpoint", "hw_setpoint"])
        assert stored["setpoint"]["__value"] == ["7.25"]
        assert stored["hw_setpoint"]["__value"] == ["42"]
        srv.kill()  # kill -9: nothing but the database keeps the values
        assert srv.start() == "up", srv.output()
        proxy = tango.DeviceProxy(on(tango_host, srv.device))
        assert proxy.read_attribute("setpoint").w_value == 7.25
        # hw_memorized: written to the hardware (the write method) at start-up
        assert proxy.hw_setpoint == 42
        assert list(proxy.hw_writes) == [42]
    finally:
        srv.remove()


def test_cpptango_tools_against_the_database(db, database_server, tango_host):
    server = unique("Tool") + "/1"
    dev = f"test/{server.split('/')[0].lower()}/1"
    env = database_server.env()

    def admin(*args):
        return subprocess.run(["tango_admin", *args], env=env, capture_output=True, text=True, timeout=30)

    assert admin("--ping-database").returncode == 0
    assert admin("--add-server", server, "ToolClass", dev).returncode == 0
    try:
        assert db.get_class_for_device(dev) == "ToolClass"
        assert admin("--check-device", dev).returncode == 0
        assert admin("--check-device", "no/such/dev").returncode != 0
        assert admin("--add-property", dev, "speed", "12").returncode == 0
        assert db.get_device_property(dev, "speed") == {"speed": ["12"]}
    finally:
        assert admin("--delete-server", server).returncode == 0
    assert admin("--check-device", dev).returncode != 0


def test_group_members_by_pattern_and_alias_through_the_database(db, database_server, tango_host):
    srv = RegisteredServer(db, database_server, {"label": "one"})
    second = srv.device + "_b"
    db.add_device(DbDevInfo(second, "DbTestDevice", srv.server))
    db.put_device_property(second, {"label": "two"})
    db.put_device_alias(second, unique("grp_alias"))
    try:
        assert srv.start() == "up", srv.output()
        assert wait_for(lambda: db.import_device(second).exported == 1, 10)
        group = tango.Group("by pattern")
        group.add(on(tango_host, srv.device + "*"))  # the exported devices that match, from the database
        assert sorted(name.lower() for name in group.get_device_list()) == sorted(
            [on(tango_host, srv.device), on(tango_host, second)])
        replies = group.read_attribute("properties")
        assert sorted(r.get_data().value for r in replies) == ["1.5|one|nowhere", "1.5|two|nowhere"]
        assert group.get_device(on(tango_host, second)).properties == "1.5|two|nowhere"
        by_alias = tango.Group("by alias")
        by_alias.add(on(tango_host, db.get_alias_from_device(second)))
        assert [r.get_data().value for r in by_alias.read_attribute("properties")] == ["1.5|two|nowhere"]
        srv.kill()
        replies = group.command_inout("database_host")  # a dead server: every reply failed, none lost
        assert len(replies) == 2 and all(r.has_failed() for r in replies)
    finally:
        srv.remove()


def test_cpp_tangotest_registered_and_read_by_short_name(db, database_server, tango_host):
    # sys/tg_test/1 of TangoTest/test is one of the standard entries of a new database
    assert db.get_class_for_device("sys/tg_test/1") == "TangoTest"
    process = subprocess.Popen(["/usr/lib/tango/TangoTest", "test"], env=database_server.env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        def answers():
            try:
                return tango.DeviceProxy(on(tango_host, "sys/tg_test/1")).ping() >= 0
            except DevFailed:
                return False

        assert wait_for(answers, 30)
        proxy = tango.DeviceProxy(on(tango_host, "sys/tg_test/1"))
        proxy.double_scalar_w = 2.5
        assert proxy.read_attribute("double_scalar_w").w_value == 2.5
        assert db.import_device("sys/tg_test/1").exported == 1
        info = proxy.import_info()  # the same entry, asked through the proxy
        assert isinstance(info, tango.DbDevImportInfo)
        assert (info.name, info.exported) == ("sys/tg_test/1", 1)
        assert info.ior.startswith("IOR:")
    finally:
        process.kill()
        process.wait(timeout=10)


# -- tango.databaseds: our database server's own process behaviour -----------------------------

def test_our_database_server_ends_on_sigterm():
    """SIGTERM (what service managers and test fixtures send) ends tango.databaseds cleanly:
    cppTango's shutdown waits for each device to be destroyed, which the database device,
    served under the CORBA key 'database', must allow."""
    import signal

    from tango_databases import PyDatabaseServer

    if subprocess.run(["which", "tango_admin"], capture_output=True).returncode != 0:
        pytest.skip("tango_admin (Debian's libtango-tools) is needed to ping the database")
    server = PyDatabaseServer().start()
    try:
        db = Database("127.0.0.1", server.port)
        assert "DataBaseds/2" in list(db.get_server_list("*"))
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    finally:
        server.kill()
