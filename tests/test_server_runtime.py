"""What a running Python server does beyond reads and writes: the Attribute object of a read
method (set_quality, set_date, get_write_value), append_status, logging through a client's file
target, reads from the polling cache, the serial models (observed from the server), and
run()/server_run() with post_init_callback and event_loop in a server process of their own."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tango
from tango import AttrQuality, AttrWriteType, DevFailed, DevSource, SerialModel, TimeVal
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext, MultiDeviceTestContext

from conftest import free_loopback_port, wait_for


class Runtime(Device):
    reads = 0

    @attribute(dtype=int)
    def counter(self):
        Runtime.reads += 1  # every read from the device, never from the cache
        return Runtime.reads

    @attribute(dtype=float)
    def flagged(self, attr):
        attr.set_value(1.5)
        attr.set_quality(AttrQuality.ATTR_WARNING)
        attr.set_date(TimeVal(1000000000, 250000, 0))

    @attribute(dtype=str)
    def quality_seen(self, attr):
        # what the Attribute object says back after setting quality and date
        attr.set_value("x")
        attr.set_quality(AttrQuality.ATTR_ALARM)
        attr.set_date(TimeVal(1500000000, 5, 0))
        date = attr.get_date()
        attr.set_value(f"{attr.get_quality()} {date.tv_sec} {date.tv_usec} {attr.get_name()}")
        attr.set_quality(AttrQuality.ATTR_ALARM)

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def doubled(self, attr):
        attr.set_value(attr.get_write_value() * 2)

    @doubled.write
    def doubled(self, value):
        pass

    @attribute(dtype=(np.int32,), max_dim_x=8, access=AttrWriteType.READ_WRITE)
    def reversed_set_point(self, attr):
        attr.set_value(np.asarray(attr.get_write_value())[::-1])

    @reversed_set_point.write
    def reversed_set_point(self, value):
        pass

    @attribute(dtype=str, access=AttrWriteType.READ_WRITE)
    def shout(self, attr):
        attr.set_value(attr.get_write_value().upper())

    @shout.write
    def shout(self, value):
        pass

    @command(dtype_in=str)
    def SetStatus(self, text):
        self.set_status(text)

    @command(dtype_in=str)
    def Append(self, text):
        self.append_status(text)

    @command(dtype_in=str)
    def AppendLine(self, text):
        self.append_status(text, True)

    @command(dtype_in=str)
    def Say(self, text):
        self.info_stream("said %s", text)
        self.debug_stream("whispered %s", text)


@pytest.fixture(scope="module")
def runtime():
    with DeviceTestContext(Runtime, debug=0) as proxy:
        yield proxy


def test_set_quality_and_set_date_reach_the_client(runtime):
    reply = runtime.read_attribute("flagged")
    assert reply.value == 1.5
    assert reply.quality == AttrQuality.ATTR_WARNING
    assert (reply.time.tv_sec, reply.time.tv_usec) == (1000000000, 250000)


def test_the_attribute_object_reports_what_was_set(runtime):
    reply = runtime.read_attribute("quality_seen")
    assert reply.value == "ATTR_ALARM 1500000000 5 quality_seen"
    assert reply.quality == AttrQuality.ATTR_ALARM


def test_get_write_value_in_a_read_method_is_the_last_written_value(runtime):
    runtime.write_attribute("doubled", 2.5)
    assert runtime.read_attribute("doubled").value == 5.0
    runtime.write_attribute("doubled", -1.25)
    reply = runtime.read_attribute("doubled")
    assert (reply.value, reply.w_value) == (-2.5, -1.25)
    runtime.write_attribute("reversed_set_point", [1, 2, 3])
    assert runtime.read_attribute("reversed_set_point").value.tolist() == [3, 2, 1]
    runtime.write_attribute("shout", "h\xe9llo")
    assert runtime.read_attribute("shout").value == "H\xc9LLO"


def test_append_status(runtime):
    runtime.SetStatus("ready")
    assert runtime.status() == "ready"
    runtime.Append(", warm")
    assert runtime.status() == "ready, warm"
    runtime.AppendLine("second line")
    assert runtime.status() == "ready, warm\nsecond line"
    runtime.SetStatus("again")
    assert runtime.status() == "again"


def test_device_log_lines_reach_a_file_target(runtime, tmp_path):
    path = tmp_path / "device.log"
    target = f"file::{path}"
    runtime.add_logging_target(target)
    try:
        assert target in runtime.get_logging_target()
        runtime.set_logging_level(4)  # INFO: the debug line is left out
        runtime.Say("hello")
        assert wait_for(lambda: path.exists() and "said hello" in path.read_text())
        assert "whispered" not in path.read_text()
        assert 'logger="test/nodb/runtime"' in path.read_text() and 'level="INFO"' in path.read_text()
        runtime.set_logging_level(5)
        runtime.Say("again")
        assert wait_for(lambda: "whispered again" in path.read_text())
    finally:
        runtime.set_logging_level(0)
        runtime.remove_logging_target(target)
    assert target not in runtime.get_logging_target()


def test_cache_source_reads_the_polled_value(runtime):
    proxy = tango.DeviceProxy(runtime.get_full_name())

    def history():
        try:
            return proxy.attribute_history("counter", 10)
        except DevFailed:  # API_NoDataYet until the polling thread has read it once
            return None

    proxy.poll_attribute("counter", 1000)
    try:
        assert wait_for(history)
        proxy.set_source(DevSource.CACHE)
        cached = proxy.read_attribute("counter")
        proxy.set_source(DevSource.CACHE_DEV)  # polled: the cache too
        cache_dev = proxy.read_attribute("counter")
        proxy.set_source(DevSource.DEV)  # the device: a fresh read, never a polled value
        fresh = proxy.read_attribute("counter")
        records = {(h.time.tv_sec, h.time.tv_usec): h.value for h in history()}
        # each cache read is a record of the polling buffer, its value and its time
        for reply in (cached, cache_dev):
            assert records[(reply.time.tv_sec, reply.time.tv_usec)] == reply.value
        # the counter counts every read by the device: a device read's value was never polled
        assert fresh.value not in records.values()
        assert fresh.value > max(cached.value, cache_dev.value)
    finally:
        proxy.set_source(DevSource.CACHE_DEV)
        proxy.stop_poll_attribute("counter")


# ---------------------------------------------------------------------------------------------
# Serial models: who waits for whom, seen from the server
# ---------------------------------------------------------------------------------------------
# Hold(dir) writes "enter <device>" to dir/log, waits (without a Tango call) until the file
# dir/release exists, then writes "exit <device>". The test releases the holds only when it has
# seen what it looks for: both inside (overlap), or one inside while the other's request has
# already reached the server (its black box) but not the device (serialised).


def _hold(device, directory):
    import time

    log = os.path.join(directory, "log")
    with open(log, "a") as f:
        f.write(f"enter {device.get_name()}\n")
    deadline = time.monotonic() + 30
    while not os.path.exists(os.path.join(directory, "release")) and time.monotonic() < deadline:
        time.sleep(0.002)
    with open(log, "a") as f:
        f.write(f"exit {device.get_name()}\n")


class Worker(Device):
    @command(dtype_in=str)
    def Hold(self, directory):
        _hold(self, directory)

    @command(dtype_in=int)
    def SetSerialModel(self, model):
        tango.Util.instance().set_serial_model(SerialModel(model))

    @command(dtype_out=int)
    def GetSerialModel(self):
        return int(tango.Util.instance().get_serial_model())


class Other(Device):
    @command(dtype_in=str)
    def Hold(self, directory):
        _hold(self, directory)


@pytest.fixture(scope="module")
def workers():
    devices_info = [
        {"class": Worker, "devices": [{"name": "serial/worker/1"}, {"name": "serial/worker/2"}]},
        {"class": Other, "devices": [{"name": "serial/other/1"}]},
    ]
    with MultiDeviceTestContext(devices_info, debug=0) as context:
        control = tango.DeviceProxy(context.get_device_access("serial/worker/1"))
        yield context, control
        control.SetSerialModel(int(SerialModel.BY_DEVICE))


def log_lines(directory):
    path = directory / "log"
    return path.read_text().splitlines() if path.exists() else []


def arrived(proxy):
    """True when the device's black box holds a Hold request (recorded before any monitor)."""
    return any("(cmd = Hold)" in entry for entry in proxy.black_box(5))


def run_two_holds(context, control, model, first, second, tmp_path):
    control.SetSerialModel(int(model))
    assert control.GetSerialModel() == int(model)
    a = tango.DeviceProxy(context.get_device_access(first))
    b = tango.DeviceProxy(context.get_device_access(second))
    for p in (a, b):
        p.set_timeout_millis(30000)
    ids = [(a, a.command_inout_asynch("Hold", str(tmp_path)))]
    assert wait_for(lambda: log_lines(tmp_path) == [f"enter {first}"])
    ids.append((b, b.command_inout_asynch("Hold", str(tmp_path))))
    return a, b, ids


def finish(ids, tmp_path):
    (tmp_path / "release").touch()
    for proxy, request in ids:
        proxy.command_inout_reply(request, 30000)
    return log_lines(tmp_path)


def overlap(context, control, model, first, second, tmp_path):
    _, _, ids = run_two_holds(context, control, model, first, second, tmp_path)
    both = wait_for(lambda: len(log_lines(tmp_path)) == 2)
    lines = finish(ids, tmp_path)
    assert both, lines
    assert lines[:2] == [f"enter {first}", f"enter {second}"]
    assert sorted(lines[2:]) == sorted([f"exit {first}", f"exit {second}"])


def serialised(context, control, model, first, second, tmp_path):
    _, b, ids = run_two_holds(context, control, model, first, second, tmp_path)
    assert wait_for(lambda: arrived(b))  # the second request is in the server...
    assert log_lines(tmp_path) == [f"enter {first}"]  # ...and waits outside the device
    lines = finish(ids, tmp_path)
    assert lines == [f"enter {first}", f"exit {first}", f"enter {second}", f"exit {second}"]


def test_serial_model_round_trip(workers):
    _, control = workers
    for model in (SerialModel.BY_CLASS, SerialModel.BY_PROCESS, SerialModel.NO_SYNC, SerialModel.BY_DEVICE):
        control.SetSerialModel(int(model))
        assert control.GetSerialModel() == int(model)
    assert [m.name for m in SerialModel] == ["BY_DEVICE", "BY_CLASS", "BY_PROCESS", "NO_SYNC"]


def test_by_device_two_devices_of_one_class_overlap(workers, tmp_path):
    overlap(*workers, SerialModel.BY_DEVICE, "serial/worker/1", "serial/worker/2", tmp_path)


def test_by_device_one_device_serialises_its_requests(workers, tmp_path):
    serialised(*workers, SerialModel.BY_DEVICE, "serial/worker/2", "serial/worker/2", tmp_path)


def test_by_class_two_devices_of_one_class_are_serialised(workers, tmp_path):
    serialised(*workers, SerialModel.BY_CLASS, "serial/worker/1", "serial/worker/2", tmp_path)


def test_by_class_devices_of_two_classes_overlap(workers, tmp_path):
    overlap(*workers, SerialModel.BY_CLASS, "serial/worker/2", "serial/other/1", tmp_path)


def test_by_process_devices_of_two_classes_are_serialised(workers, tmp_path):
    serialised(*workers, SerialModel.BY_PROCESS, "serial/worker/2", "serial/other/1", tmp_path)


def test_no_sync_one_device_overlaps_with_itself(workers, tmp_path):
    overlap(*workers, SerialModel.NO_SYNC, "serial/worker/1", "serial/worker/1", tmp_path)


# ---------------------------------------------------------------------------------------------
# run() and server_run() in a server process of their own
# ---------------------------------------------------------------------------------------------

SERVER_SCRIPT = textwrap.dedent("""
    import sys
    import threading
    import tango
    from tango.server import Device, command, attribute, run, server_run

    EVENTS = []
    THREADS = set()

    class Looped(Device):
        @attribute(dtype=int)
        def loops(self):
            return LOOPS[0]

        @attribute(dtype=(str,), max_dim_x=16)
        def events(self):
            return EVENTS

        @attribute(dtype=(str,), max_dim_x=4)
        def threads(self):
            # the threads of the event loop and of this read
            return sorted(THREADS | {threading.current_thread().name})

        @command
        def Stop(self):
            STOP[0] = True

    LOOPS = [0]
    STOP = [False]

    def event_loop():
        if not EVENTS or EVENTS[-1] != "loop":
            EVENTS.append("loop")
            THREADS.add(threading.current_thread().name)
        LOOPS[0] += 1
        if STOP[0] and mode == "raise":
            raise ValueError("the loop broke")
        return STOP[0]

    def post_init(*args, **kwargs):
        EVENTS.append("post_init " + repr(args) + " " + repr(sorted(kwargs.items())))

    mode, port = sys.argv[1], sys.argv[2]
    args = ["Looped", "test", "-nodb", "-dlist", "run/looped/1", "-ORBendPoint", "giop:tcp:127.0.0.1:" + port]
    if mode in ("run", "raise"):
        run((Looped,), args=args, event_loop=event_loop, post_init_callback=post_init)
    elif mode == "asyncio":
        run((Looped,), args=args, event_loop=event_loop, post_init_callback=post_init,
            green_mode=tango.GreenMode.Asyncio)
    elif mode == "tuple":
        run((Looped,), args=args, event_loop=event_loop, post_init_callback=(post_init, (1, 2), {"k": 3}))
    elif mode == "server_run":
        server_run((Looped,), args=args, event_loop=event_loop, post_init_callback=post_init)
    print("run returned", flush=True)
""")


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "looped_server.py"
    path.write_text(SERVER_SCRIPT)
    return path


def start_script(script, mode):
    port = free_loopback_port()
    proc = subprocess.Popen([sys.executable, str(script), mode, str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    proxy = tango.DeviceProxy(f"tango://127.0.0.1:{port}/run/looped/1#dbase=no")

    def up():
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {proc.communicate()[0]}")
        try:
            proxy.ping()
            return True
        except DevFailed:
            return False

    try:
        assert wait_for(up, timeout=30)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc, proxy


@pytest.mark.parametrize("mode", ["run", "server_run"])
def test_run_calls_post_init_then_the_event_loop_until_it_returns_true(script, mode):
    proc, proxy = start_script(script, mode)
    try:
        first = proxy.loops
        assert wait_for(lambda: proxy.loops > first)  # the loop keeps being called
        assert list(proxy.events) == ["post_init () []", "loop"]
        proxy.Stop()  # the event loop returns True: the server ends, run returns
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert "Ready to accept request" in out
    assert "run returned" in out


def test_post_init_callback_as_a_tuple(script):
    proc, proxy = start_script(script, "tuple")
    try:
        assert list(proxy.events)[0] == "post_init (1, 2) [('k', 3)]"
        proxy.Stop()
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0


def stop_and_collect(proc, proxy):
    try:
        proxy.Stop()
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return out


def test_an_event_loop_that_raises_ends_the_server_with_its_error(script):
    proc, proxy = start_script(script, "raise")
    out = stop_and_collect(proc, proxy)
    # no abort: the server stopped cleanly and run() reported the loop's exception
    assert "Exiting: Server exited with unforeseen exception:\nthe loop broke\n" in out
    assert "terminate called" not in out
    assert "run returned" in out  # raises=False: run reports the error and returns


def test_the_event_loop_of_an_asyncio_server_runs_on_its_worker(script):
    proc, proxy = start_script(script, "asyncio")
    try:
        first = proxy.loops
        assert wait_for(lambda: proxy.loops > first)
        threads = list(proxy.threads)
        assert list(proxy.events) == ["post_init () []", "loop"]
    finally:
        out = stop_and_collect(proc, proxy)
    # the loop, post_init and the read method all ran on the server's one asyncio worker thread
    assert len(threads) == 1 and threads != ["MainThread"], threads
    assert proc.returncode == 0, out
