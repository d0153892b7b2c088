"""An asyncio client of the AsyncMotor: it moves the motor and follows it with events.

    python asyncio_motor_client.py tango://127.0.0.1:10000/test/motor/1#dbase=no
"""

import asyncio
import sys

import tango
import tango.asyncio


async def follow(name, target=5.0):
    motor = await tango.asyncio.DeviceProxy(name)
    positions = []
    arrived = asyncio.Event()

    async def on_position(event):  # a coroutine callback: it runs on this loop
        if not event.err:
            positions.append(event.attr_value.value)
            if event.attr_value.value == target:
                arrived.set()

    sub = await motor.subscribe_event("position", tango.EventType.CHANGE_EVENT, on_position)
    await motor.move(target)
    print("state after move:", await motor.state())
    await asyncio.wait_for(arrived.wait(), 10)
    while await motor.state() == tango.DevState.MOVING:  # the task ends just after the last push
        await asyncio.sleep(0.01)
    print(f"arrived at {await motor.position} mm after {len(positions)} position events")
    print("status:", await motor.status())
    await motor.unsubscribe_event(sub)
    return positions


if __name__ == "__main__":
    asyncio.run(follow(sys.argv[1]))
