"""The green-mode examples (examples/green/), run as users would run them."""

import asyncio
import os
import sys
import time

import pytest

import tango
from tango import DevState
from tango.test_context import DeviceTestContext

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "green"))

from asyncio_motor import AsyncMotor  # noqa: E402
from asyncio_motor_client import follow  # noqa: E402
from gevent_power_supply import GeventPowerSupply  # noqa: E402
import instrument_simulator  # noqa: E402
from tcp_front_end import FrontEnd  # noqa: E402


def wait_until(predicate, timeout=10.0, interval=0.005):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(interval)


def test_asyncio_motor_moves_in_a_background_task():
    with DeviceTestContext(AsyncMotor, device_name="test/motor/1", debug=0) as proxy:
        assert proxy.state() == DevState.ON
        proxy.velocity = 1e-3  # 1 um/s: the move to 2 mm would take more than half an hour
        proxy.move(2.0)  # returns at once: the move is a task on the server's loop
        assert proxy.state() == DevState.MOVING
        assert proxy.state() == DevState.MOVING  # still: the task runs on
        proxy.stop()  # cancels the task
        assert proxy.state() == DevState.ON
        assert 0.0 <= proxy.position < 2.0
        proxy.velocity = 200.0
        proxy.move(2.0)
        wait_until(lambda: proxy.state() == DevState.ON)
        assert proxy.position == 2.0
        assert proxy.status() == "At 2.00 mm (target 2.00 mm), ON"
        with pytest.raises(tango.DevFailed) as info:
            proxy.velocity = -1.0
        assert info.value.args[0].reason == "PyDs_PythonError"
        assert "the velocity must be positive" in info.value.args[0].desc


def test_asyncio_motor_followed_by_the_asyncio_client():
    with DeviceTestContext(AsyncMotor, device_name="test/motor/1", debug=0) as proxy:
        positions = asyncio.run(follow(proxy.get_full_name(), target=1.0))
        # 100 mm/s in 10 ms steps: 1 mm per step, from 0 to 1 mm; the first event is the
        # subscription's (position 0)
        assert positions[0] == 0.0
        assert positions[-1] == 1.0
        assert proxy.position == 1.0


def test_gevent_power_supply_talks_to_the_instrument():
    sim = instrument_simulator.start()
    try:
        props = {"instrument": f"127.0.0.1:{sim.port}"}
        with DeviceTestContext(GeventPowerSupply, properties=props, debug=0) as proxy:
            assert proxy.state() == DevState.ON
            assert proxy.identify() == "Greenlet"
            proxy.voltage = 12.5
            assert sim.voltage == 12.5
            assert proxy.voltage == 12.5
            assert proxy.current == 1.25
            events = []
            sub = proxy.subscribe_event("current", tango.EventType.CHANGE_EVENT,
                                        lambda e: events.append(None if e.err else e.attr_value.value))
            proxy.voltage = 20.0
            wait_until(lambda: 2.0 in events)  # pushed by the monitor greenlet
            proxy.unsubscribe_event(sub)
            with pytest.raises(tango.DevFailed) as info:
                proxy.voltage = 99.0
            assert "instrument: out of range" in info.value.args[0].desc
            assert proxy.voltage == 20.0  # still serving
    finally:
        sim.shutdown()
        sim.server_close()


def test_tcp_front_end_serves_attribute_values():
    with DeviceTestContext(AsyncMotor, device_name="test/motor/1", debug=0) as proxy:
        proxy.velocity = 42.5
        base = proxy.get_full_name().replace("#dbase=no", "")

        async def scenario():
            server = await FrontEnd().serve(port=0)
            port = server.sockets[0].getsockname()[1]

            async def ask(*names):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                answers = []
                for name in names:
                    writer.write((name + "\n").encode())
                    await writer.drain()
                    answers.append((await reader.readline()).decode().strip())
                writer.close()
                return answers

            try:
                # several clients at once, each asking several names
                return await asyncio.gather(*[
                    ask(f"{base}/velocity#dbase=no", f"{base}/position#dbase=no", f"{base}/nothing#dbase=no")
                    for _ in range(5)
                ])
            finally:
                server.close()
                await server.wait_closed()

        for answers in asyncio.run(scenario()):
            assert answers == ["42.5", "0.0", "ERR API_AttrNotFound"]
