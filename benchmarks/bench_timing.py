"""`make bench`, the timing figures the tests used to assert: each printed with its target.

The tests check the behaviour (a timeout fires, a reply that has not arrived is reported, a
greenlet runs while another waits, calls from eight threads all come back right); how long it
takes depends on the machine and its load, so it is measured here:

- `import tango` (best of 5 fresh interpreters), target under 0.1 s;
- a 1 ms client timeout firing on a 32 MB echo to TangoTest, target under 2.5 s;
- `ApiUtil.get_asynch_replies(50)` waiting for a reply that does not come, target 40 to 300 ms;
- eight threads making TangoTest echo rounds (commands and own attributes) through one shared
  proxy, target 10 rounds per thread in 1.5 s or better;
- a gevent device server's ticker greenlet (5 ms sleeps) while a command greenlet sleeps 0.1 s,
  target 5 ticks or more;
- sequential asyncio reads awaited in place by the default placement (quick calls on an idle loop),
  target most of them.
"""

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import threading
import time

import numpy as np

TANGOTEST = "/usr/lib/tango/TangoTest"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def import_time(runs):
    probe = "import time; t = time.perf_counter(); import tango; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


class TangoTest:
    def __init__(self):
        import tango

        self.port = free_port()
        self.name = f"tango://127.0.0.1:{self.port}/sys/tg_test/1#dbase=no"
        self.proc = subprocess.Popen([TANGOTEST, "test", "-nodb", "-dlist", "sys/tg_test/1", "-ORBendPoint",
                                      f"giop:tcp:127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                tango.DeviceProxy(self.name).ping()
                return
            except tango.DevFailed:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("TangoTest did not start")
                time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


def timeout_firing(tangotest):
    import tango

    dev = tango.DeviceProxy(tangotest.name)
    big = np.arange(4_000_000, dtype=np.float64)
    dev.set_timeout_millis(1)
    started = time.monotonic()
    try:
        dev.DevVarDoubleArray(big)
    except tango.CommunicationFailed:
        return time.monotonic() - started
    finally:
        dev.set_timeout_millis(3000)
    raise RuntimeError("the 1 ms timeout did not fire")


def thread_rounds(tangotest, n_threads=8, seconds=1.5):
    """Echo rounds per thread in `seconds` (the fewest of the threads)."""
    import tango

    shared = tango.DeviceProxy(tangotest.name)
    counts = [0] * n_threads
    barrier = threading.Barrier(n_threads)

    def work(index):
        barrier.wait()
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at:
            tag = index * 100_000 + counts[index]
            assert shared.DevLong(tag) == tag
            assert shared.DevString(f"t{tag}") == f"t{tag}"
            shared.write_attribute("long_scalar_w", tag) if index == 0 else shared.read_attribute("long_scalar_w")
            counts[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return min(counts)


def _slow_device():
    from tango.server import Device, command

    class Slow(Device):
        @command(dtype_in=float)
        def sleep(self, seconds):
            time.sleep(seconds)

    return Slow


def pull_reply_wait(context):
    import tango

    api = tango.ApiUtil.instance()
    api.set_asynch_cb_sub_model(tango.cb_sub_model.PULL_CALLBACK)
    proxy = tango.DeviceProxy(context.get_device_access())
    done = []
    proxy.command_inout_asynch("sleep", 0.3, lambda event: done.append(event.err))
    started = time.monotonic()
    try:
        api.get_asynch_replies(50)
    except tango.AsynReplyNotArrived:
        waited = time.monotonic() - started
    else:
        raise RuntimeError("the reply came within 50 ms")
    api.get_asynch_replies(0)
    return waited


def _gevent_device():
    from tango import GreenMode
    from tango.server import Device, command

    class Ticking(Device):
        green_mode = GreenMode.Gevent

        def init_device(self):
            import gevent

            self._ticks = 0
            self._ticker = gevent.spawn(self._tick)

        def delete_device(self):
            self._ticker.kill()

        def _tick(self):
            import gevent

            while True:
                gevent.sleep(0.005)
                self._ticks += 1

        @command(dtype_in=float, dtype_out=int)
        def ticks_during(self, seconds):
            import gevent

            before = self._ticks
            gevent.sleep(seconds)
            return self._ticks - before

    return Ticking


def in_place_share(tangotest, n=200):
    import tango
    import tango.asyncio

    executor = tango.green.get_executor(tango.GreenMode.Asyncio)

    async def main():
        dev = await tango.asyncio.DeviceProxy(tangotest.name)
        before = executor.call_counts()
        for _ in range(n):
            await dev.read_attribute("long_scalar")
        return executor.call_counts()["in_place"] - before["in_place"]

    return asyncio.run(main()) / n


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 1 if args.quick else 3
    from tango.test_context import DeviceTestContext

    rows = [("import tango", min(import_time(5) for _ in range(runs)), "s", lambda v: v < 0.1, "< 0.1 s")]
    tangotest = TangoTest() if os.access(TANGOTEST, os.X_OK) else None
    try:
        if tangotest is not None:
            rows.append(("1 ms timeout fires (32 MB echo)", min(timeout_firing(tangotest) for _ in range(runs)), "s",
                         lambda v: v < 2.5, "< 2.5 s"))
            rows.append(("echo rounds per thread, 8 threads, 1.5 s", max(thread_rounds(tangotest) for _ in range(runs)),
                         "", lambda v: v >= 10, ">= 10"))
            rows.append(("asyncio reads awaited in place (auto)", max(in_place_share(tangotest) for _ in range(runs)),
                         "", lambda v: v >= 0.9, ">= 0.9 of them"))
        context = DeviceTestContext(_slow_device(), debug=0)
        context.start()
        try:
            waits = [pull_reply_wait(context) for _ in range(runs)]
        finally:
            context.stop()
        rows.append(("get_asynch_replies(50), no reply", min(waits), "s", lambda v: 0.04 <= v < 0.3,
                     "0.04 to 0.3 s"))
        with DeviceTestContext(_gevent_device(), debug=0) as proxy:
            ticks = max(proxy.ticks_during(0.1) for _ in range(runs))
        rows.append(("gevent ticks (5 ms) while a command sleeps 0.1 s", ticks, "", lambda v: v >= 5, ">= 5"))
    finally:
        if tangotest is not None:
            tangotest.stop()
    if tangotest is None:
        print(f"(no {TANGOTEST}: the TangoTest figures are left out)")
    print(f"\npytango timing figures ({'quick' if args.quick else f'best of {runs}'})\n")
    for name, value, unit, ok, target in rows:
        shown = f"{value:.3f} {unit}" if isinstance(value, float) else f"{value} {unit}"
        print(f"  {name:50} {shown:>12}  (target {target})  {'PASS' if ok(value) else 'FAIL'}")


if __name__ == "__main__":
    main()
