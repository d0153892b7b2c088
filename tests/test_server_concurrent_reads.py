"""Reads of one attribute made at the same time, from several clients: each gets the value its
own read made. A read's value is lent to cppTango without a copy (server/request_buffers.hpp):
over the network cppTango marshals it under the attribute's lock, but a device served in the
test's own process answers without marshalling, so the buffers are per thread and request and a
client that converts later copies what it borrowed first (own_buffers). Before both, 81 of 1000
threaded reads and 143 of 600 gathered asyncio reads of such a device came back wrong."""

import os
import subprocess
import sys
import threading

import numpy
import pytest

import tango
from tango.server import Device, attribute
from tango.test_context import DeviceTestContext

HERE = os.path.dirname(os.path.abspath(__file__))


class Fresh(Device):
    """Every read makes its values anew: the previous read's arrays and strings are freed, and
    numpy hands their memory to the next temporaries (arange before the product)."""

    def init_device(self):
        self._value = 0.0

    @attribute(dtype=float)
    def value(self):
        return self._value

    @value.write
    def value(self, v):
        self._value = v

    @attribute(dtype=(float,), max_dim_x=100)
    def spectrum(self):
        return numpy.arange(5, dtype=float) * self._value

    @attribute(dtype=int)
    def pid(self):
        return os.getpid()

    @attribute(dtype=(str,), max_dim_x=10)
    def words(self):
        return [f"word {i} of {self._value}" for i in range(3)]


EXPECTED_SPECTRUM = [0.0, 2.0, 4.0, 6.0, 8.0]
EXPECTED_WORDS = [f"word {i} of 2.0" for i in range(3)]


def test_concurrent_reads_over_the_network_each_get_their_value():
    with DeviceTestContext(Fresh, process=True) as proxy:
        proxy.value = 2.0
        name = proxy.dev_name()
        bad, errors = [], []

        def reads():
            try:
                dev = tango.DeviceProxy(name)  # a connection per thread: reads served at once
                for _ in range(150):
                    s = list(dev.read_attribute("spectrum").value)
                    w = list(dev.read_attribute("words").value)
                    if s != EXPECTED_SPECTRUM or w != EXPECTED_WORDS:
                        bad.append((s, w))
            except Exception as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=reads) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert bad == []
        assert proxy.value == 2.0  # and the device serves on


IN_PROCESS = r"""
import asyncio, os, sys
import concurrent.futures as cf
sys.path.insert(0, sys.argv[1])
import tango
from tango.test_context import DeviceTestContext
from test_server_concurrent_reads import Fresh, EXPECTED_SPECTRUM, EXPECTED_WORDS

with DeviceTestContext(Fresh) as proxy:
    print("in this process:", proxy.pid == os.getpid())
    proxy.value = 2.0
    name = proxy.dev_name()
    kept = proxy.read_attribute("spectrum").value  # must not change with the reads that follow
    kept_words = proxy.read_attribute("words").value
    with cf.ThreadPoolExecutor(16) as ex:
        spectra = list(ex.map(lambda _: list(proxy.read_attribute("spectrum").value), range(1000)))

    async def gathered():
        dev = await tango.asyncio.DeviceProxy(name)
        reads = [dev.read_attribute("spectrum") for _ in range(300)]
        reads += [dev.read_attribute("spectrum", tango.ExtractAs.List) for _ in range(300)]
        return [list(r.value) for r in await asyncio.gather(*reads)]

    gathered_spectra = asyncio.run(gathered())
    print("bad threads", sum(s != EXPECTED_SPECTRUM for s in spectra))
    print("bad gathered", sum(s != EXPECTED_SPECTRUM for s in gathered_spectra))
    print("kept", list(kept) == EXPECTED_SPECTRUM, list(kept_words) == EXPECTED_WORDS)
"""


def test_reads_of_a_device_served_in_this_process_own_their_values():
    # the first thread context of a process serves in the test process itself: a fresh
    # interpreter, so that this one is that first context
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, HERE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert "in this process: True" in lines
    assert "bad threads 0" in lines
    assert "bad gathered 0" in lines
    assert "kept True True" in lines
