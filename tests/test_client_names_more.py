"""More of PyTango's client names, each with its behaviour: tango.green's thread pool, executor
switching and green docstrings; the short factory names of tango.asyncio / futures / gevent and
tango.gevent.check_requirements; test_utils' value names; the Database's connection, server
release, services and pickling; the text forms of the database records; GroupReplyList's
push_back / reset / str and ``del group[...]``; Except.compare_exception."""

import asyncio
import concurrent.futures
import copy
import pickle
import subprocess
import sys
import threading

import numpy as np
import pytest

import tango
import tango.asyncio
import tango.futures
import tango.green
from tango import (AttrWriteType, Database, DbData, DbDatum, DbDevExportInfo, DbDevFullInfo, DbDevImportInfo,
                   DbDevInfo, DbServerInfo, DevError, DevFailed, DevState, ErrSeverity, Except, GreenMode, Group,
                   GroupAttrReply, GroupAttrReplyList, GroupCmdReply, GroupCmdReplyList, GroupReply, GroupReplyList)
from tango import asyncio_executor, futures_executor, test_utils
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext, MultiDeviceTestContext

from tango_databases import PyDatabaseServer


class Plain(Device):
    """One attribute and one command that fails, for proxies of every mode and for errors."""

    def init_device(self):
        super().init_device()
        self.set_state(DevState.ON)

    @attribute(dtype=float)
    def level(self):
        return 2.5

    @command(dtype_out=str)
    def fail(self):
        raise RuntimeError("always fails")


@pytest.fixture(scope="module")
def plain():
    with DeviceTestContext(Plain, device_name="test/names/plain", process=True) as proxy:
        yield proxy


# -- tango.green: the thread pool ---------------------------------------------------------------


def test_thread_pool_executor_is_one_shared_pytango_pool(plain):
    pool = tango.green.get_thread_pool_executor()
    assert pool is tango.green.get_thread_pool_executor(max_workers=3)  # made once, kept
    assert tango.green.PyTangoThreadPoolExecutor is tango.utils.PyTangoThreadPoolExecutor
    assert "PyTangoThreadPoolExecutor" in dir(tango.green)
    assert isinstance(pool, tango.green.PyTangoThreadPoolExecutor)
    assert isinstance(pool, concurrent.futures.ThreadPoolExecutor)
    # the executors that delegate to threads use it
    assert futures_executor.FuturesExecutor().subexecutor is pool

    name = plain.dev_name()

    def in_pool():
        # a pool thread calls Tango, with a proxy of its own
        return threading.current_thread().name, tango.DeviceProxy(name).read_attribute("level").value

    thread_name, value = pool.submit(in_pool).result(timeout=30)
    assert thread_name.startswith("_PyTangoThreadPoolExecutor_")
    assert value == 2.5


def test_pytango_thread_pool_executor_is_a_thread_pool_of_its_own():
    with tango.green.PyTangoThreadPoolExecutor(max_workers=2, thread_name_prefix="mine") as pool:
        names = {pool.submit(lambda: threading.current_thread().name).result(timeout=10) for _ in range(4)}
    assert names <= {"mine_0", "mine_1"} and names


# -- tango.green: switching the global executors to a thread -----------------------------------


@pytest.fixture
def saved_global_executors():
    saved = [(g, g._executor, dict(g._by_thread)) for g in (asyncio_executor._GLOBAL, futures_executor._GLOBAL)]
    yield
    for g, executor, by_thread in saved:
        g._executor, g._by_thread = executor, by_thread


def _in_thread(fn):
    """fn() run in a new thread, its result (or its exception, raised here)."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as exc:
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_switch_gives_the_calling_thread_new_global_executors(saved_global_executors):
    main_futures = futures_executor.FuturesExecutor()
    futures_executor.set_global_executor(main_futures)
    asyncio_executor.set_global_executor(None)  # none yet: the switch makes none

    def server_thread():
        tango.green.switch_existing_global_executors_to_thread()
        made_here = futures_executor.get_global_executor()
        again = futures_executor.get_global_executor()
        return made_here, again, made_here.in_executor_context(), asyncio_executor._GLOBAL._executor

    made_here, again, in_context, asyncio_global = _in_thread(server_thread)
    assert made_here is again and made_here is not main_futures and in_context
    assert isinstance(made_here, futures_executor.FuturesExecutor)
    assert asyncio_global is None
    # the thread that made the first one keeps it; any other thread gets the new one
    assert futures_executor.get_global_executor() is main_futures
    assert _in_thread(futures_executor.get_global_executor) is made_here
    # switching in the thread that owns the current global one changes nothing
    own = futures_executor.FuturesExecutor()
    futures_executor.set_global_executor(own)
    tango.green.switch_existing_global_executors_to_thread()
    assert futures_executor.get_global_executor() is own
    # and here, where the current one is the other thread's: a new one, of this thread
    futures_executor.set_global_executor(made_here)
    tango.green.switch_existing_global_executors_to_thread()
    newest = futures_executor.get_global_executor()
    assert newest not in (made_here, own, main_futures) and newest.in_executor_context()


def test_switch_makes_an_asyncio_executor_of_the_thread_and_its_loop(saved_global_executors):
    async def make():
        return asyncio_executor.AsyncioExecutor(), asyncio.get_running_loop()

    main_executor, main_loop = asyncio.run(make())
    asyncio_executor.set_global_executor(main_executor)

    def server_thread():
        tango.green.switch_existing_global_executors_to_thread()
        executor = asyncio_executor.get_global_executor()
        try:
            return executor is not main_executor, executor.in_executor_context(), executor.loop is not main_loop
        finally:
            executor.loop.close()

    assert _in_thread(server_thread) == (True, True, True)
    assert asyncio_executor.get_global_executor() is main_executor


def test_switch_imports_no_executor_module():
    code = ("import sys, tango.green; tango.green.switch_existing_global_executors_to_thread(); "
            "print(sorted(m for m in sys.modules if m.startswith('tango.') and m.endswith('_executor')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


# -- tango.green: fill_green_doc ---------------------------------------------------------------


def test_fill_green_doc_fills_the_placeholders_at_their_indentation():
    def read(self, name, **kwargs):
        """read(self, name, __GREEN_KWARGS__) -> float

        The value.

            __GREEN_KWARGS_DESCRIPTION__

        __GREEN_RAISES__
        """

    tango.green.fill_green_doc(read)
    lines = read.__doc__.splitlines()
    assert lines[0] == ("read(self, name, green_mode: GreenMode=None, wait: bool=True, timeout: float=None)"
                        " -> float")
    assert lines[2] == "The value."
    first = lines.index("    :param green_mode: the green mode of this call; None (the default) means "
                        "the object's own mode,")
    assert lines[first + 1].startswith("    " + " " * len(":param green_mode: ") + "see ")
    assert "    :type wait: bool, optional" in lines
    assert "    :type timeout: float, optional" in lines
    # the description's lines keep the placeholder's indentation, blank lines stay blank
    description = lines[first:lines.index("    :type timeout: float, optional") + 1]
    assert all(line == "" or line.startswith("    :") or line.startswith("     ") for line in description)
    throws = lines.index(":throws:")
    assert lines[throws + 1].startswith("    :py:obj:`TimeoutError`: (Futures mode)")
    assert lines[throws + 2].startswith("    :py:obj:`gevent.Timeout`: (Gevent mode)")
    assert "__GREEN" not in read.__doc__


def test_fill_green_doc_leaves_a_docstring_without_description_placeholder():
    def plain_doc():
        """plain(__GREEN_KWARGS__): the description placeholder is not at a line's start,
        so __GREEN_KWARGS_DESCRIPTION__ stays"""

    before = plain_doc.__doc__
    tango.green.fill_green_doc(plain_doc)
    assert plain_doc.__doc__ == before

    def undocumented():
        pass

    with pytest.raises(TypeError, match="docstring"):
        tango.green.fill_green_doc(undocumented)


# -- tango.asyncio / futures / gevent: Device, Attribute, check_requirements --------------------


def test_short_factory_names_are_the_proxy_factories(plain):
    import tango.gevent

    for module in (tango.asyncio, tango.futures, tango.gevent):
        assert module.Device is module.DeviceProxy
        assert module.Attribute is module.AttributeProxy

    name = plain.dev_name()
    device = tango.futures.Device(name)
    assert device.get_green_mode() == GreenMode.Futures
    assert device.read_attribute("level").value == 2.5
    attr = tango.futures.Attribute(f"{name}/level")
    assert attr.read().value == 2.5

    async def in_loop():
        device = await tango.asyncio.Device(name)
        attr = await tango.asyncio.Attribute(f"{name}/level")
        return device.get_green_mode(), (await device.read_attribute("level")).value, (await attr.read()).value

    assert asyncio.run(in_loop()) == (GreenMode.Asyncio, 2.5, 2.5)
    gevent_device = tango.gevent.Device(name)
    assert gevent_device.get_green_mode() == GreenMode.Gevent
    assert gevent_device.read_attribute("level").value == 2.5


def test_gevent_check_requirements(monkeypatch):
    import gevent

    import tango.gevent

    assert tango.gevent.check_requirements() is None
    monkeypatch.setattr(gevent, "__version__", "0.13.8")
    with pytest.raises(ImportError, match=r"gevent >= 1\.0, not 0\.13\.8"):
        tango.gevent.check_requirements()
    monkeypatch.setattr(gevent, "__version__", "1.0rc2")
    assert tango.gevent.check_requirements() is None
    monkeypatch.setitem(sys.modules, "gevent", None)  # as if not installed
    with pytest.raises(ImportError, match="needs gevent, which is not installed"):
        tango.gevent.check_requirements()


# -- tango.test_utils: the value names ---------------------------------------------------------


def test_test_utils_value_names():
    assert test_utils.ints == tuple(range(1, 256))
    assert test_utils.BYTES_DEVSTRING == bytes(test_utils.ints)
    assert test_utils.STR_DEVSTRING == "".join(map(chr, test_utils.ints))
    assert test_utils.dtypes == (np.float64, np.float32)
    assert test_utils.scalar == 1.1
    assert test_utils.spectrum == [1.1, 2.2]
    assert test_utils.image == [[1.1, 2.2], [3.3, 4.4]]
    for dtype in test_utils.dtypes:  # the values fit every one of the types
        np.testing.assert_allclose(np.array(test_utils.image, dtype=dtype), test_utils.image, rtol=1e-6)
        np.testing.assert_allclose(dtype(test_utils.scalar), test_utils.scalar, rtol=1e-6)


# -- Database: connection, server release, services, pickling ----------------------------------


@pytest.fixture(scope="module")
def database_server():
    server = PyDatabaseServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def db(database_server):
    return Database(*database_server.tango_host.split(":"))


def test_database_server_release(db):
    assert db.get_server_release() == 400  # our server has DbDeleteAllDeviceAttributeProperty
    assert db.get_server_release() == 400


def test_file_database_release_state_and_connection(tmp_path):
    path = tmp_path / "file.db"
    path.write_text("test/file/1->speed: 3\n")
    fdb = Database(str(path))
    assert fdb.get_server_release() == 230
    assert fdb.__getstate__() == (str(path),)
    assert fdb.build_connection() is None  # no server to connect to
    assert pickle.loads(pickle.dumps(fdb)).get_file_name() == str(path)


def test_build_connection_reaches_the_server_or_fails():
    server = PyDatabaseServer().start()
    try:
        own = Database(*server.tango_host.split(":"))
        assert own.build_connection() is None
        assert "sys/database/2" in own.get_info()
        server.kill()
        with pytest.raises(tango.ConnectionFailed) as info:
            own.build_connection()
        assert info.value.args[0].reason == "API_CorbaException"
        server.start()  # the same port again
        own.build_connection()
        assert "sys/database/2" in own.get_info()
        assert own.get_server_release() == 400
    finally:
        server.stop()


def test_service_list(db):
    db.register_service("NamesSvc", "one", "test/svc/1")
    db.register_service("NamesSvc", "two", "tango://other:10000/test/svc/2")
    db.register_service("OtherNames", "x", "test/svc/3")
    try:
        services = db.get_service_list()
        assert {k: v for k, v in services.items() if "Names" in k} == {
            "NamesSvc/one": "test/svc/1", "NamesSvc/two": "tango://other:10000/test/svc/2",
            "OtherNames/x": "test/svc/3"}
        assert db.get_service_list("NamesSvc") == {"NamesSvc/one": "test/svc/1",
                                                   "NamesSvc/two": "tango://other:10000/test/svc/2"}
        assert db.get_service_list(filter=".*/x$") == {"OtherNames/x": "test/svc/3"}
        assert db.get_service_list("Svc") == {}  # matched at the start
        with pytest.raises(ValueError, match="regular expression"):
            db.get_service_list("(")
    finally:
        db.unregister_service("NamesSvc", "one")
        db.unregister_service("NamesSvc", "two")
        db.unregister_service("OtherNames", "x")
    assert "NamesSvc/one" not in db.get_service_list()


def test_database_pickles_by_host_and_port(db, database_server):
    host, port = database_server.tango_host.split(":")
    assert db.__getstate__() == (host, port)
    for other in (pickle.loads(pickle.dumps(db)), copy.copy(db)):
        assert type(other) is Database and other is not db
        assert (other.get_db_host(), other.get_db_port()) == (host, port)
        assert "sys/database/2" in other.get_info()
    restored = Database.__new__(Database)
    restored.__setstate__(db.__getstate__())
    assert restored.get_db_port_num() == int(port)
    assert "sys/database/2" in restored.get_info()
    with pytest.raises(ValueError, match="a Database state is"):
        Database.__new__(Database).__setstate__((host, port, "extra"))
    with pytest.raises(ValueError, match="a Database state is"):
        Database.__new__(Database).__setstate__("h:1")


# -- the database records: DbData, DbDatum, the struct texts -----------------------------------


def test_dbdata_truth_and_text():
    assert not DbData() and bool(DbData()) is False
    data = DbData([DbDatum("a", ["1"]), DbDatum("b")])
    assert bool(data) is True
    assert str(data) == "[DbDatum(name = 'a', value_string = ['1']), DbDatum(name = 'b', value_string = [])]"
    assert str(DbData()) == "[]"


def test_dbdatum_add_gives_a_list_of_values():
    datum = DbDatum("speed", ["1", "2"])
    assert datum + ["3"] == ["1", "2", "3"]
    assert datum + [] == ["1", "2"]
    assert datum.value_string == ["1", "2"]  # unchanged
    with pytest.raises(TypeError):
        datum + ("3",)


def test_record_texts():
    assert str(DbDevInfo("a/b/c", "Klass", "srv/inst")) == (
        'DbDevInfo[\n    klass = "Klass"\n    name = "a/b/c"\n    server = "srv/inst"\n]')
    assert repr(DbDevInfo("a/b/c", "Klass", "srv/inst")) == "DbDevInfo(klass = 'Klass', name = 'a/b/c', server = 'srv/inst')"
    export = DbDevExportInfo()
    export.name, export.ior, export.host, export.version, export.pid = "a/b/c", "IOR:00", "h", "6", 42
    assert str(export) == ('DbDevExportInfo[\n    host = "h"\n    ior = "IOR:00"\n    name = "a/b/c"\n'
                           '    pid = 42\n    version = "6"\n]')
    assert str(DbDevImportInfo()) == (
        'DbDevImportInfo[\n    exported = 0\n    ior = ""\n    name = ""\n    version = ""\n]')
    server = DbServerInfo()
    server.name, server.host, server.mode, server.level = "srv/inst", "h", 1, 3
    assert str(server) == 'DbServerInfo[\n    host = "h"\n    level = 3\n    mode = 1\n    name = "srv/inst"\n]'
    assert str(DbDevFullInfo()) == (
        'DbDevFullInfo[\n    class_name = ""\n    ds_full_name = ""\n    exported = 0\n    host = ""\n'
        '    ior = ""\n    name = ""\n    pid = 0\n    started_date = ""\n    stopped_date = ""\n'
        '    version = ""\n]')
    # a value of several lines: each of its lines indented too
    assert str(DbDevInfo("a/b/c", "two\nlines", "s/i")) == (
        'DbDevInfo[\n    klass = "two\n    lines"\n    name = "a/b/c"\n    server = "s/i"\n]')


def test_record_texts_of_database_results(db):
    full = db.get_device_info("sys/database/2")
    text = str(full)
    assert text.startswith("DbDevFullInfo[\n") and text.endswith("\n]")
    assert '    name = "sys/database/2"' in text.splitlines()
    assert '    class_name = "DataBase"' in text.splitlines()
    assert "    exported = 1" in text.splitlines()
    imported = db.import_device("sys/database/2")
    assert str(imported).splitlines()[1:2] == ["    exported = 1"]


# -- GroupReplyList and del group[...] -----------------------------------------------------------

NAMES = ["test/names/1", "test/names/2", "test/names/3"]


class Member(Device):
    def init_device(self):
        super().init_device()
        self.set_state(DevState.ON)

    @attribute(dtype=float, access=AttrWriteType.READ)
    def level(self):
        return float(self.get_name()[-1])

    @command(dtype_out=int)
    def number(self):
        if self.get_name().endswith("3"):
            raise ValueError("device 3 has no number")
        return int(self.get_name()[-1])


@pytest.fixture(scope="module")
def members():
    devices = [{"class": Member, "devices": [{"name": n} for n in NAMES]}]
    with MultiDeviceTestContext(devices, process=True) as ctx:
        yield [ctx.get_device_access(n) for n in NAMES]


def _group(members):
    group = Group("names")
    group.add(members)
    return group


def test_group_reply_lists_push_back_reset_and_text(members):
    group = _group(members)
    replies = group.command_inout("number")
    assert isinstance(replies, GroupCmdReplyList) and replies.has_failed()
    built = GroupCmdReplyList()
    for reply in replies[:2]:
        built.push_back(reply)
    assert len(built) == 2 and not built.has_failed()
    assert [r.get_data() for r in built] == [1, 2]
    built.push_back(replies[2])
    assert built.has_failed() and built[2].has_failed()
    assert str(built) == "[" + ", ".join(repr(r) for r in built) + "]"
    assert str(GroupCmdReplyList()) == "[]"
    built.reset()
    assert len(built) == 0 and not built.has_failed() and list(built) == []

    reads = group.read_attribute("level")
    attr_list = GroupAttrReplyList()
    attr_list.push_back(reads[0])
    assert attr_list[0].get_data().value == 1.0
    with pytest.raises(TypeError, match="GroupAttrReplyList.push_back takes a GroupAttrReply, not GroupCmdReply"):
        attr_list.push_back(replies[0])
    any_kind = GroupReplyList()
    any_kind.push_back(replies[0])
    any_kind.push_back(reads[0])  # GroupCmdReply and GroupAttrReply are GroupReplies
    assert isinstance(any_kind[0], GroupReply) and isinstance(any_kind[1], GroupAttrReply)
    with pytest.raises(TypeError, match="takes a GroupReply, not str"):
        any_kind.push_back("reply")
    assert isinstance(replies[0], GroupCmdReply)


def test_del_group_item_removes_by_name_position_and_slice(members):
    group = _group(members)
    del group[members[1]]
    assert group.get_size() == 2 and members[1] not in group
    del group["no/such/device"]  # matches nothing: nothing removed, as remove()
    assert group.get_size() == 2
    del group[1]  # the first device
    assert group.get_size() == 1 and members[0] not in group and members[2] in group
    with pytest.raises(IndexError, match="has no device 5"):
        del group[5]

    group = _group(members)
    del group[1:3]  # positions 1 and 2
    assert group.get_size() == 1 and members[2] in group
    group = _group(members)
    del group[1:4:2]  # positions 1 and 3
    assert group.get_size() == 1 and members[1] in group
    group = _group(members)
    del group[[members[0], members[2]]]
    assert group.get_size() == 1 and members[1] in group
    with pytest.raises(TypeError, match="start and stop"):
        del group[:2]
    with pytest.raises(TypeError, match="a device name must be a str"):
        del group[[1.5]]

    parent = Group("parent")
    child = Group("child")
    child.add(members[0])
    parent.add(child)
    parent.add(members[1])
    assert parent.get_size() == 2
    del parent["child"]  # a sub-group, by name
    assert parent.get_size() == 1 and parent.get_group("child") is None


# -- Except.compare_exception -------------------------------------------------------------------


def _failed(*errors):
    return DevFailed(*(DevError(*e) for e in errors))


def test_compare_exception():
    one = ("API_Reason", "the desc", "the origin", ErrSeverity.ERR)
    two = ("Other", "more", "elsewhere", ErrSeverity.WARN)
    assert Except.compare_exception(_failed(one, two), _failed(one, two)) is True
    assert Except.compare_exception(_failed(one), _failed(one, two)) is False
    assert Except.compare_exception(_failed(one, two), _failed(two, one)) is False
    assert Except.compare_exception(_failed(), _failed()) is True
    for i, changed in enumerate(("Other_Reason", "other desc", "other origin", ErrSeverity.PANIC)):
        other = list(one)
        other[i] = changed
        assert Except.compare_exception(_failed(one), _failed(tuple(other))) is False
    with pytest.raises(TypeError, match="compares two DevFailed, not ValueError"):
        Except.compare_exception(_failed(one), ValueError("x"))


def test_compare_exception_of_real_failures(plain):
    def failure():
        with pytest.raises(DevFailed) as info:
            plain.fail()
        return info.value

    first, second = failure(), failure()
    assert first is not second
    assert Except.compare_exception(first, second) is True
    with pytest.raises(DevFailed) as info:
        plain.read_attribute("no_such_attribute")
    assert Except.compare_exception(first, info.value) is False
