"""The timing statistics of the database server's commands: for each command, its calls and
their total, average, minimum and maximum duration in milliseconds, in a TimeStructure held in
the device's ``timing_maps`` (command name -> TimeStructure, made on first use).

``stats`` times a device method; put it above ``@command``::

    @stats
    @command(dtype_in=str, dtype_out=[str])
    def DbGetServerList(self, pattern): ...
"""

import functools
import time


class TimeStructure:
    """The figures of one command (``index``: its name): durations in milliseconds, 0 until it
    has been called."""

    def __init__(self):
        self.average = 0
        self.minimum = 0
        self.maximum = 0
        self.total_elapsed = 0
        self.calls = 0
        self.index = ""

    def __repr__(self):
        return (f"TimeStructure(index={self.index!r}, calls={self.calls}, "
                f"average={self.average}, minimum={self.minimum}, maximum={self.maximum}, "
                f"total_elapsed={self.total_elapsed})")


def timing_maps(dev):
    """dev's ``timing_maps`` (command name -> TimeStructure), empty when it had none."""
    maps = getattr(dev, "timing_maps", None)
    if maps is None:
        maps = dev.timing_maps = {}
    return maps


def update_timing_stats(dev, time_before, time_after, cmd_name):
    """Count a call of dev's command cmd_name that began at time_before and ended at time_after
    (seconds, of one clock): its figures in ``dev.timing_maps[cmd_name]``."""
    maps = timing_maps(dev)
    entry = maps.get(cmd_name)
    if entry is None:
        entry = maps[cmd_name] = TimeStructure()
        entry.index = cmd_name
    elapsed = (time_after - time_before) * 1000.0
    if entry.calls == 0:
        entry.minimum = entry.maximum = elapsed
    else:
        entry.minimum = min(entry.minimum, elapsed)
        entry.maximum = max(entry.maximum, elapsed)
    entry.total_elapsed += elapsed
    entry.calls += 1
    entry.average = entry.total_elapsed / entry.calls


def stats(f):
    """The device method f, timed: each call (one that raises too) is counted in the device's
    ``timing_maps`` under f's name. The method keeps its name, its doc and its command marks."""
    name = f.__name__

    @functools.wraps(f)
    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return f(self, *args, **kwargs)
        finally:
            update_timing_stats(self, start, time.perf_counter(), name)

    return timed


def reset_timing_stats(dev):
    """Every command of dev's ``timing_maps`` back to no calls (the ResetTimingValues command)."""
    maps = timing_maps(dev)
    for name in maps:
        maps[name] = TimeStructure()
        maps[name].index = name
