"""DeviceProxy administration calls against the C++ TangoTest device (and a small Python device
where TangoTest without a database cannot show the behaviour): logging targets, access control,
transparency reconnection, the source of reads, polling status, command configuration,
asynchronous writes, alias and locking without a database, and the module's proxy factories."""

import asyncio
import concurrent.futures
import os
import subprocess
import sys

import pytest

import tango
from tango import (AccessControlType, CmdArgType, DevFailed, DevSource, DevState, DispLevel,
                   GreenMode, LockerLanguage)

from conftest import BUILTIN_LOG_TARGETS, TangoTestServer, wait_for


@pytest.fixture(scope="module")
def device(tangotest):
    tangotest.ensure_running()
    return tango.DeviceProxy(tangotest.name)


def reason_of(excinfo):
    return excinfo.value.args[0].reason


# ---------------------------------------------------------------------------------------------
# Logging targets (through the device's admin server)
# ---------------------------------------------------------------------------------------------


def test_logging_level_round_trip(device):
    before = device.get_logging_level()
    assert before == 3  # a server started without -v logs at WARN
    try:
        for level in (0, 1, 2, 4, 5):
            device.set_logging_level(level)
            assert device.get_logging_level() == level
    finally:
        device.set_logging_level(before)
    assert device.get_logging_level() == 3


def test_a_file_logging_target_receives_the_device_log_lines(device, tmp_path):
    path = tmp_path / "tangotest.log"
    target = f"file::{path}"
    assert set(device.get_logging_target()) == BUILTIN_LOG_TARGETS
    device.add_logging_target(target)
    try:
        assert set(device.get_logging_target()) == BUILTIN_LOG_TARGETS | {target}
        device.set_logging_level(5)  # DEBUG: TangoTest logs every command it runs
        device.command_inout("DevDouble", 1.5)
        assert wait_for(lambda: path.exists() and "TangoTest::DevDouble()" in path.read_text())
        text = path.read_text()
        # cppTango writes log4j XML events, one per line logged, named for the device
        assert '<log4j:event logger="sys/tg_test/1"' in text
        assert 'level="DEBUG"' in text
        assert "<![CDATA[TangoTest::DevDouble()  - sys/tg_test/1]]>" in text
    finally:
        device.set_logging_level(3)
        device.remove_logging_target(target)
    assert set(device.get_logging_target()) == BUILTIN_LOG_TARGETS
    # removed: later commands do not reach the file any more
    size = path.stat().st_size
    device.set_logging_level(5)
    try:
        device.command_inout("DevDouble", 2.5)
    finally:
        device.set_logging_level(3)
    assert path.stat().st_size == size


def test_an_unknown_logging_target_type_is_refused(device):
    with pytest.raises(DevFailed) as info:
        device.add_logging_target("carrier-pigeon::somewhere")
    assert reason_of(info) == "API_MethodArgument"
    assert set(device.get_logging_target()) == BUILTIN_LOG_TARGETS
    assert device.state() == DevState.RUNNING


# ---------------------------------------------------------------------------------------------
# Access control
# ---------------------------------------------------------------------------------------------


def _served_in_this_process():
    try:
        tango.Util.instance(False)
    except DevFailed:
        return False
    return True


def test_access_control_without_a_database(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    # no database, no access control: every client may write
    assert proxy.get_access_control() == AccessControlType.ACCESS_WRITE
    assert proxy.get_access_right() == AccessControlType.ACCESS_WRITE
    proxy.set_access_control(AccessControlType.ACCESS_READ)
    assert proxy.get_access_control() == AccessControlType.ACCESS_READ
    assert type(proxy.get_access_control()) is AccessControlType
    # cppTango then refuses writes on the client side; commands are checked against the
    # database's list of allowed commands: without a database cppTango 9.3 runs them, and
    # cppTango 10, which would crash looking for that list, refuses them (ext/compat.hpp)
    with pytest.raises(DevFailed) as info:
        proxy.write_attribute("long_scalar_w", 3)
    assert reason_of(info) == "API_ReadOnlyMode"
    assert info.value.args[0].desc == "Writing attribute(s) on device sys/tg_test/1 is not authorized"
    if tango.__cpptango_version__.startswith("9.") and _served_in_this_process():
        # a process that is a device server (a test context ran in a thread of it) looks the
        # allowed commands up in that server's database, which a -file= server has not
        with pytest.raises(DevFailed) as info:
            proxy.command_inout("DevDouble", 2.0)
        assert [e.reason for e in info.value.args][:2] == ["API_CorbaException", "API_CantConnectToDatabase"]
    elif tango.__cpptango_version__.startswith("9."):
        assert proxy.command_inout("DevDouble", 2.0) == 2.0
        assert proxy.command_inout_reply(proxy.command_inout_asynch("DevDouble", 3.0), 5000) == 3.0
    else:
        for call in (lambda: proxy.command_inout("DevDouble", 2.0),
                     lambda: proxy.command_inout_asynch("DevDouble", 3.0)):
            with pytest.raises(DevFailed) as info:
                call()
            assert reason_of(info) == "API_ReadOnlyMode"
            assert info.value.args[0].desc.startswith("Command DevDouble on device sys/tg_test/1 is not authorized")
    assert proxy.read_attribute("long_scalar_w").name == "long_scalar_w"
    other = tango.DeviceProxy(tangotest.name)
    assert other.get_access_control() == AccessControlType.ACCESS_WRITE
    other.write_attribute("long_scalar_w", 3)  # another proxy is not affected
    proxy.set_access_control(AccessControlType.ACCESS_WRITE)
    assert proxy.get_access_control() == AccessControlType.ACCESS_WRITE
    proxy.write_attribute("long_scalar_w", 4)
    with pytest.raises(TypeError):
        proxy.set_access_control(1)


# ---------------------------------------------------------------------------------------------
# Transparency reconnection (a server of its own: it is killed and restarted)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def restartable(tangotest):  # tangotest: skips where TangoTest is missing
    server = TangoTestServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


def test_transparency_reconnection_is_on_by_default(restartable):
    proxy = tango.DeviceProxy(restartable.name)
    assert proxy.get_transparency_reconnection() is True
    proxy.set_transparency_reconnection(False)
    assert proxy.get_transparency_reconnection() is False
    proxy.set_transparency_reconnection(True)
    assert proxy.get_transparency_reconnection() is True


@pytest.mark.parametrize("reconnect", [True, False], ids=["on", "off"])
def test_a_restart_between_two_calls_is_invisible(restartable, reconnect):
    restartable.ensure_running()
    proxy = tango.DeviceProxy(restartable.name)
    proxy.set_transparency_reconnection(reconnect)
    assert proxy.command_inout("DevLong", 1) == 1
    restartable.restart()
    # no call saw the server dead: omniORB reopens the closed connection itself, either way
    assert proxy.command_inout("DevLong", 2) == 2


def call_or_error(proxy, value):
    try:
        return proxy.command_inout("DevLong", value)
    except DevFailed as exc:
        return exc


def test_reconnection_on_a_call_to_the_dead_server_tries_to_reconnect(restartable):
    restartable.ensure_running()
    proxy = tango.DeviceProxy(restartable.name)
    assert proxy.get_transparency_reconnection()
    assert proxy.command_inout("DevLong", 1) == 1
    restartable.kill()
    with pytest.raises(tango.ConnectionFailed):  # the call's reconnection attempt failed
        proxy.command_inout("DevLong", 2)
    restartable.start()
    # cppTango makes one reconnection attempt a second: calls within a second of the failed
    # one are refused as "delayed", then the proxy reaches the new server by itself
    first = call_or_error(proxy, 3)
    if isinstance(first, DevFailed):
        assert first.args[0].reason == "API_CantConnectToDevice"
        assert "delayed" in first.args[0].desc
    assert wait_for(lambda: call_or_error(proxy, 4) == 4, timeout=10)


def test_reconnection_off_a_call_to_the_dead_server_just_fails(restartable):
    restartable.ensure_running()
    proxy = tango.DeviceProxy(restartable.name)
    proxy.set_transparency_reconnection(False)
    assert proxy.command_inout("DevLong", 1) == 1
    restartable.kill()
    with pytest.raises(tango.CommunicationFailed):  # no reconnection attempt in the call
        proxy.command_inout("DevLong", 2)
    restartable.start()
    # nothing was attempted, so nothing delays the next call: it connects at once
    assert proxy.command_inout("DevLong", 3) == 3


# ---------------------------------------------------------------------------------------------
# Source of reads, polling status, stop_poll_*
# ---------------------------------------------------------------------------------------------


def history_or_none(proxy, name):
    try:
        return proxy.attribute_history(name, 1)
    except DevFailed:  # API_NoDataYet until the polling thread has read it once
        return None


def test_source_values(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    assert proxy.get_source() == DevSource.CACHE_DEV
    for source in (DevSource.DEV, DevSource.CACHE, DevSource.CACHE_DEV):
        proxy.set_source(source)
        assert proxy.get_source() == source
        assert type(proxy.get_source()) is DevSource
    with pytest.raises(TypeError):
        proxy.set_source("CACHE")


def test_cache_read_of_an_unpolled_attribute_fails(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    proxy.set_source(DevSource.CACHE)
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute("short_scalar_w")
    assert info.value.args[0].reason == "API_AttrNotPolled"
    # CACHE_DEV falls back on the device
    proxy.set_source(DevSource.CACHE_DEV)
    assert proxy.read_attribute("short_scalar_w").name == "short_scalar_w"


def test_cache_read_of_a_device_without_database_reports_stale_data(tangotest):
    # cppTango judges a polled value stale after poll_old_factor periods, a device property
    # that a -nodb device never reads: every CACHE read of TangoTest -nodb reports stale data
    # (a Python device served with a file database does not: see test_cache_source_...).
    proxy = tango.DeviceProxy(tangotest.name)
    proxy.poll_attribute("long_scalar_w", 500)
    try:
        assert wait_for(lambda: history_or_none(proxy, "long_scalar_w"))
        proxy.set_source(DevSource.CACHE)
        with pytest.raises(DevFailed) as info:
            proxy.read_attribute("long_scalar_w")
        assert info.value.args[0].reason == "API_NotUpdatedAnyMore"
    finally:
        proxy.set_source(DevSource.CACHE_DEV)
        proxy.stop_poll_attribute("long_scalar_w")


def test_polling_status_strings(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    assert proxy.polling_status() == []
    proxy.poll_attribute("long_scalar_w", 200)
    proxy.poll_command("DevVoid", 70000)
    try:
        assert wait_for(lambda: history_or_none(proxy, "long_scalar_w"))
        status = proxy.polling_status()
        assert len(status) == 2 and all(type(s) is str for s in status)
        by_name = {}
        for entry in status:
            lines = entry.split("\n")
            key, _, name = lines[0].partition(" = ")
            fields = dict(line.split(" = ", 1) for line in lines[1:] if " = " in line)
            by_name[name] = (key, fields, lines)
        key, fields, lines = by_name["long_scalar_w"]
        assert key == "Polled attribute name"
        assert fields["Polling period (mS)"] == "200"
        assert fields["Polling ring buffer depth"] == "10"
        assert float(fields["Time needed for the last attribute reading (mS)"]) >= 0
        assert lines[-1].startswith("Data not updated since ")
        key, fields, _ = by_name["DevVoid"]
        assert key == "Polled command name"
        assert fields["Polling period (mS)"] == "70000"
        assert fields["Polling ring buffer depth"] == "10"
    finally:
        proxy.stop_poll_attribute("long_scalar_w")
        proxy.stop_poll_command("DevVoid")
    assert proxy.polling_status() == []


def test_stop_poll_attribute_and_command(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    proxy.poll_attribute("double_scalar", 60000)
    proxy.poll_command("DevVoid", 60000)
    assert proxy.is_attribute_polled("double_scalar") and proxy.is_command_polled("DevVoid")
    assert proxy.get_attribute_poll_period("double_scalar") == 60000
    proxy.stop_poll_attribute("double_scalar")
    assert not proxy.is_attribute_polled("double_scalar")
    assert proxy.get_attribute_poll_period("double_scalar") == 0
    assert proxy.is_command_polled("DevVoid")
    proxy.stop_poll_command("DevVoid")
    assert not proxy.is_command_polled("DevVoid")
    assert proxy.get_command_poll_period("DevVoid") == 0
    assert proxy.polling_status() == []
    with pytest.raises(DevFailed) as info:
        proxy.attribute_history("double_scalar", 1)
    assert info.value.args[0].reason == "API_AttrNotPolled"


def test_stopping_what_is_not_polled_fails_clearly(tangotest):
    proxy = tango.DeviceProxy(tangotest.name)
    with pytest.raises(DevFailed) as info:  # nothing polled on the device at all
        proxy.stop_poll_attribute("double_scalar")
    assert reason_of(info) == "API_DeviceNotPolled"
    assert info.value.args[0].desc == "Device sys/tg_test/1 is not polled"
    proxy.poll_attribute("long_scalar", 60000)
    try:
        for call, name in ((proxy.stop_poll_attribute, "double_scalar"),
                           (proxy.stop_poll_command, "DevVoid"),
                           (proxy.stop_poll_attribute, "no_such_attribute")):
            with pytest.raises(DevFailed) as info:
                call(name)
            assert name.lower() in info.value.args[0].desc.lower()
    finally:
        proxy.stop_poll_attribute("long_scalar")
    assert proxy.state() == DevState.RUNNING


# ---------------------------------------------------------------------------------------------
# Command configuration
# ---------------------------------------------------------------------------------------------


def test_get_command_config_of_known_commands(device):
    info = device.get_command_config("DevDouble")
    assert isinstance(info, tango.CommandInfo)
    assert info.cmd_name == "DevDouble"
    assert info.cmd_tag == 0
    assert info.in_type == CmdArgType.DevDouble and type(info.in_type) is CmdArgType
    assert info.out_type == CmdArgType.DevDouble
    assert info.in_type_desc == "Any DevDouble value"
    assert info.out_type_desc == "Echo of the argin value"
    assert info.disp_level == DispLevel.OPERATOR and type(info.disp_level) is DispLevel
    expert = device.get_command_config("DumpExecutionState")
    assert (expert.in_type, expert.out_type, expert.disp_level) == (
        CmdArgType.DevVoid, CmdArgType.DevVoid, DispLevel.EXPERT)


def test_get_command_config_of_several_and_all(device):
    infos = device.get_command_config(["DevVoid", "DevVarLongArray"])
    assert [i.cmd_name for i in infos] == ["DevVoid", "DevVarLongArray"]
    assert [(i.in_type, i.out_type) for i in infos] == [
        (CmdArgType.DevVoid, CmdArgType.DevVoid), (CmdArgType.DevVarLongArray, CmdArgType.DevVarLongArray)]
    everything = device.get_command_config()
    assert {i.cmd_name for i in everything} == set(device.get_command_list())


def test_get_command_config_of_an_unknown_command(device):
    with pytest.raises(DevFailed) as info:
        device.get_command_config("NoSuchCommand")
    assert info.value.args[0].reason == "API_CommandNotFound"


# ---------------------------------------------------------------------------------------------
# write_attributes_asynch: polling and callback models
# ---------------------------------------------------------------------------------------------


def test_write_attributes_asynch_polling_model(device):
    request = device.write_attributes_asynch([("long_scalar_w", 41), ("double_scalar_w", 2.5)])
    assert isinstance(request, int)
    assert device.write_attributes_reply(request, 0) is None  # 0: wait for the reply
    values = device.read_attributes(["long_scalar_w", "double_scalar_w"])
    assert [v.w_value for v in values] == [41, 2.5]
    # a reply is given once
    with pytest.raises(DevFailed):
        device.write_attributes_reply(request, 0)


def test_write_attributes_asynch_reply_of_a_failed_write(device):
    request = device.write_attributes_asynch([("short_scalar_ro", 1)])  
    with pytest.raises(DevFailed) as info:
        device.write_attributes_reply(request, 0)
    assert "short_scalar_ro" in str(info.value)
    assert device.state() == DevState.RUNNING


class Written:
    def __init__(self):
        self.events = []

    def attr_written(self, event):
        self.events.append(event)


def test_write_attributes_asynch_callback_model(device, callback_model):
    cb = Written()
    assert device.write_attributes_asynch([("long_scalar_w", 17), ("short_scalar_w", 3)], cb) is None
    if callback_model == tango.cb_sub_model.PULL_CALLBACK:
        assert cb.events == []  # pull: callbacks run in get_asynch_replies only
        device.get_asynch_replies(0)
    assert wait_for(lambda: cb.events)
    (event,) = cb.events
    assert event.err is False
    assert list(event.attr_names) == ["long_scalar_w", "short_scalar_w"]
    assert event.device.dev_name() == "sys/tg_test/1"
    assert device.read_attribute("long_scalar_w").w_value == 17


def test_write_attributes_asynch_callback_of_a_failed_write(device, callback_model):
    cb = Written()
    device.write_attributes_asynch([("short_scalar_ro", 1)], cb)
    if callback_model == tango.cb_sub_model.PULL_CALLBACK:
        device.get_asynch_replies(0)
    assert wait_for(lambda: cb.events)
    (event,) = cb.events
    assert event.err is True
    # errors: a NamedDevFailedList, one entry per refused attribute (cppTango 9.3 too)
    (failed,) = event.errors.err_list
    assert (failed.name, failed.idx_in_call) == ("short_scalar_ro", 0)
    assert failed.err_stack and all(isinstance(e, tango.DevError) for e in failed.err_stack)
    assert list(event.attr_names) == ["short_scalar_ro"]


# ---------------------------------------------------------------------------------------------
# Alias and locking: database features, refused clearly without one
# ---------------------------------------------------------------------------------------------


def test_alias_without_a_database(device):
    with pytest.raises(DevFailed) as info:
        device.alias()
    assert info.value.args[0].reason == "DB_AliasNotDefined"
    assert info.value.args[0].desc == "No alias found for your device"
    assert device.state() == DevState.RUNNING


def test_get_locker_without_a_database(device):
    info = tango.LockerInfo()
    # the fields of a fresh LockerInfo
    assert (info.ll, info.li, info.locker_host, info.locker_class) == (LockerLanguage.CPP, 0, "", "")
    for proxy in (device, tango.DeviceProxy(device.get_full_name())):  # a second proxy too
        with pytest.raises(tango.NonDbDevice) as raised:
            proxy.get_locker(info)
        assert raised.value.args[0].reason == "API_NonDatabaseDevice"
        with pytest.raises(tango.NonDbDevice):
            proxy.lock()
    assert (info.ll, info.li, info.locker_host, info.locker_class) == (LockerLanguage.CPP, 0, "", "")
    assert device.command_inout("DevLong", 5) == 5  # nothing was locked


# ---------------------------------------------------------------------------------------------
# tango.get_device_proxy / tango.get_attribute_proxy
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(GreenMode), ids=str)
def test_get_device_proxy_in_each_green_mode(tangotest, mode):
    proxy = tango.get_device_proxy(tangotest.name, green_mode=mode)
    if mode == GreenMode.Asyncio:  # outside a running loop: a done future, as in PyTango
        assert isinstance(proxy, asyncio.Future)
        proxy = proxy.result()
    assert isinstance(proxy, tango.DeviceProxy)
    assert proxy.get_green_mode() == mode
    assert proxy.dev_name() == "sys/tg_test/1"
    if mode == GreenMode.Futures:
        future = proxy.command_inout("DevLong", 7, wait=False)
        assert isinstance(future, concurrent.futures.Future)
        assert future.result(10) == 7
    elif mode == GreenMode.Asyncio:
        async def call():
            pending = proxy.command_inout("DevLong", 7)
            assert isinstance(pending, asyncio.Future)
            return await pending

        assert asyncio.run(call()) == 7
    else:
        assert proxy.command_inout("DevLong", 7) == 7


def test_get_device_proxy_made_the_way_its_mode_makes_calls(tangotest):
    future = tango.get_device_proxy(tangotest.name, green_mode=GreenMode.Futures, wait=False)
    assert isinstance(future, concurrent.futures.Future)
    assert future.result(10).get_green_mode() == GreenMode.Futures
    import gevent.event

    pending = tango.get_device_proxy(tangotest.name, green_mode=GreenMode.Gevent, wait=False)
    assert isinstance(pending, gevent.event.AsyncResult)
    assert pending.get(timeout=10).get_green_mode() == GreenMode.Gevent

    async def in_a_loop():
        made = tango.get_device_proxy(tangotest.name, green_mode=GreenMode.Asyncio)
        assert isinstance(made, asyncio.Future)  # awaited, as PyTango's
        proxy = await made
        assert proxy.get_green_mode() == GreenMode.Asyncio
        attr = await tango.get_attribute_proxy(tangotest.attribute_name("long_scalar_w"),
                                               green_mode=GreenMode.Asyncio)
        return await proxy.command_inout("DevLong", 9), attr.get_green_mode()

    assert asyncio.run(in_a_loop()) == (9, GreenMode.Asyncio)


def test_get_device_proxy_default_mode_follows_the_global_mode(tangotest):
    before = tango.get_green_mode()
    tango.set_green_mode(GreenMode.Futures)
    try:
        proxy = tango.get_device_proxy(tangotest.name)
        assert proxy.get_green_mode() == GreenMode.Futures
    finally:
        tango.set_green_mode(before)


def test_get_device_proxy_of_an_unknown_server(tangotest):
    port = TangoTestServer().port  # nothing listens there
    with pytest.raises(DevFailed):
        tango.get_device_proxy(f"tango://127.0.0.1:{port}/a/b/c#dbase=no").ping()


@pytest.mark.parametrize("mode", [GreenMode.Synchronous, GreenMode.Futures], ids=str)
def test_get_attribute_proxy(tangotest, mode):
    proxy = tango.get_attribute_proxy(tangotest.attribute_name("long_scalar_w"), green_mode=mode)
    assert isinstance(proxy, tango.AttributeProxy)
    assert proxy.name() == "long_scalar_w"
    assert proxy.get_green_mode() == mode
    assert proxy.get_device_proxy().get_green_mode() == mode
    proxy.write(23)
    assert proxy.read().w_value == 23
    if mode == GreenMode.Futures:
        assert isinstance(proxy.read(wait=False), concurrent.futures.Future)
    device = tango.DeviceProxy(tangotest.name)
    from_device = tango.get_attribute_proxy(device, "long_scalar_w")
    assert from_device.read().w_value == 23
