"""DeviceTestContext with process=False runs its server in a thread of the test process, as
PyTango does, for the first context of a process (cppTango 9.3 and 10.0 make one server per
process): the device code shares the test's objects. Later contexts run in a child process.

Each case runs in a fresh interpreter (the "first context of a process" is the point), as a
script whose output is checked line by line.
"""


import pytest

import _scripts

from tango import GreenMode

HEADER = """
import os, sys, threading
from tango import DevFailed, DevState, GreenMode
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext
"""


def run_script(body, timeout=90):
    return _scripts.run_script(HEADER, body, timeout)


def test_the_first_context_shares_the_test_process_and_its_objects():
    lines = run_script("""
        state = {"allowed": True, "calls": []}

        class Shared(Device):
            @attribute(dtype=int)
            def value(self):
                state["calls"].append("read")
                return len(state["calls"])

            def is_value_allowed(self, req_type):
                return state["allowed"]

            @command(dtype_out=int)
            def pid(self):
                return os.getpid()

            def delete_device(self):
                state["calls"].append("delete_device")

        with DeviceTestContext(Shared) as proxy:
            print("same process", proxy.pid() == os.getpid())
            print("value", proxy.value, proxy.value)
            state["allowed"] = False  # changed by the test, seen by the device at once
            try:
                proxy.value
                print("refused no")
            except DevFailed as exc:
                print("refused", exc.args[0].reason)
        print("calls", state["calls"])
        state["allowed"] = True
        with DeviceTestContext(Shared) as proxy:  # the second context: in a child process
            print("second in a child", proxy.pid() != os.getpid())
            print("second value", proxy.value)
        print("calls after", state["calls"])
    """)
    assert lines == [
        "same process True",
        "value 1 2",
        "refused API_AttrNotAllowed",
        "calls ['read', 'read', 'delete_device']",
        "second in a child True",
        "second value 4",  # the child got a copy of the state (two reads and delete_device)
        "calls after ['read', 'read', 'delete_device']",
    ]


def test_a_context_with_process_true_never_runs_in_the_test_process():
    lines = run_script("""
        class Where(Device):
            @command(dtype_out=int)
            def pid(self):
                return os.getpid()

        with DeviceTestContext(Where, process=True) as proxy:
            print("child", proxy.pid() != os.getpid(), type(proxy.pid()).__name__)
        with DeviceTestContext(Where) as proxy:  # the process has not served yet: in a thread
            print("thread", proxy.pid() == os.getpid())
    """)
    assert lines == ["child True int", "thread True"]


@pytest.mark.parametrize("mode", [GreenMode.Synchronous, GreenMode.Futures, GreenMode.Asyncio, GreenMode.Gevent])
def test_green_servers_run_in_the_thread_too(mode):
    lines = run_script(f"""
        import tango
        import tango.device_server
        from tango.server.green import server_worker
        mode = GreenMode.{mode.name}
        marks = []

        class Green(Device):
            green_mode = mode

            @command(dtype_out=str)
            def where(self):
                marks.append(threading.current_thread().name)
                return threading.current_thread().name

        with DeviceTestContext(Green) as proxy:
            print("ran here", proxy.where() == marks[-1])
            worker = server_worker()
            print("worker", None if worker is None else worker.mode.name)
            print("in context", tango.green.get_executor(mode).in_executor_context())
        # PyTango's executor of the device code, still there once the context ended
        print("executor", type(tango.device_server.get_worker()).__name__)
    """)
    worker = None if mode == GreenMode.Synchronous else mode.name
    # the test's own thread is not the server's worker (when there is one)
    assert lines == ["ran here True", f"worker {worker}", f"in context {worker is None}",
                     f"executor {mode.name}Executor"]


def test_a_server_that_cannot_start_raises_and_later_contexts_run():
    lines = run_script("""
        class Broken(Device):
            def init_device(self):
                raise RuntimeError("no hardware here")

        class Fine(Device):
            @command(dtype_out=int)
            def pid(self):
                return os.getpid()

        try:
            with DeviceTestContext(Broken):
                print("started no")
        except Exception as exc:
            print("raised", type(exc).__name__, "no hardware here" in str(exc))
        with DeviceTestContext(Fine) as proxy:
            print("next in a child", proxy.pid() != os.getpid())
    """)
    assert lines == ["raised DevFailed True", "next in a child True"]


def test_a_stuck_delete_device_is_reported_and_the_process_still_exits():
    lines = run_script("""
        import time

        class Stuck(Device):
            def delete_device(self):
                while True:
                    time.sleep(0.05)

        context = DeviceTestContext(Stuck, timeout=0.5)
        context.start()
        print("thread alive", context.thread.is_alive(), context.thread.daemon)
        try:
            context.stop()
            print("stopped no")
        except RuntimeError as exc:
            print("raised", "failed to exit cleanly" in str(exc))
    """)
    assert lines == ["thread alive True True", "raised True"]


def test_the_context_thread_says_whether_its_server_serves():
    # context.thread as PyTango users test it: alive while serving, not after stop (the parked
    # ORB of a context served in a thread does not count)
    lines = run_script("""
        for process in (False, True):
            context = DeviceTestContext(Device, process=process)
            context.start()
            before = (context.thread.is_alive(), context.thread.daemon)
            context.stop()
            print(process, before, context.thread.is_alive())
    """)
    assert lines == ["False (True, True) False", "True (True, False) False"]
