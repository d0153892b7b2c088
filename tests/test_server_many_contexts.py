"""200 DeviceTestContexts one after the other in one process: no failure, no leak."""

import os
import threading

from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

ROUNDS = 200
BASELINE_AFTER = 10  # cppTango and omniORB start their client-side threads in the first rounds


class Small(Device):
    @attribute(dtype=int)
    def value(self):
        return 42

    @command(dtype_in=int, dtype_out=int)
    def twice(self, x):
        return 2 * x


def _resources():
    return {
        "python threads": threading.active_count(),
        "tasks": len(os.listdir("/proc/self/task")),
        "fds": len(os.listdir("/proc/self/fd")),
    }


def test_200_consecutive_contexts_without_growth():
    baseline = None
    peak = {}
    for i in range(ROUNDS):
        with DeviceTestContext(Small, debug=0) as proxy:
            assert proxy.value == 42
            assert proxy.twice(i) == 2 * i
        now = _resources()
        if i + 1 == BASELINE_AFTER:
            baseline = now
        elif baseline is not None:
            peak = {k: max(peak.get(k, 0), v) for k, v in now.items()}
    final = _resources()
    # no growth at all after the first rounds: neither at the end nor on the way
    assert final["python threads"] <= baseline["python threads"], (baseline, final)
    assert final["tasks"] <= baseline["tasks"], (baseline, final)
    assert final["fds"] <= baseline["fds"], (baseline, final)
    assert peak["python threads"] <= baseline["python threads"], (baseline, peak)
    assert peak["tasks"] <= baseline["tasks"] + 2, (baseline, peak)
    assert peak["fds"] <= baseline["fds"] + 2, (baseline, peak)
