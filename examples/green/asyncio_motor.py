"""An asyncio device: its ``move`` command starts a background task that changes the state.

    python asyncio_motor.py test -nodb -port 10000 -dlist test/motor/1

The device code is ``async def``; it runs on the event loop the server owns, so the command can
return at once while the move goes on (``asyncio.create_task``), pushing change events of the
position as it goes. Read it with ``asyncio_motor_client.py``.
"""

import asyncio

from tango import AttrWriteType, DevState, GreenMode
from tango.server import Device, attribute, command


class AsyncMotor(Device):
    green_mode = GreenMode.Asyncio

    async def init_device(self):
        await super().init_device()
        self._position = 0.0
        self._target = 0.0
        self._task = None
        self.set_state(DevState.ON)
        self.set_change_event("position", True, False)

    async def delete_device(self):
        if self._task is not None:
            self._task.cancel()

    @attribute(dtype=float, unit="mm", format="%6.2f")
    async def position(self):
        return self._position

    @attribute(dtype=float, unit="mm/s", access=AttrWriteType.READ_WRITE)
    async def velocity(self):
        return getattr(self, "_velocity", 100.0)

    @velocity.write
    async def velocity(self, value):
        if value <= 0:
            raise ValueError("the velocity must be positive")
        self._velocity = value

    @command(dtype_in=float, doc_in="the target position (mm)")
    async def move(self, target):
        """Start moving to target; the state is MOVING until it is reached."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._target = target
        self.set_state(DevState.MOVING)
        self._task = asyncio.create_task(self._move())

    async def is_move_allowed(self):
        return self.get_state() != DevState.FAULT

    @command
    async def stop(self):
        if self._task is not None:
            self._task.cancel()
        self.set_state(DevState.ON)

    async def _move(self, step_time=0.01):
        velocity = getattr(self, "_velocity", 100.0)
        try:
            while abs(self._target - self._position) > 1e-9:
                step = velocity * step_time
                delta = self._target - self._position
                self._position = self._target if abs(delta) <= step else self._position + step * (1 if delta > 0 else -1)
                self.push_change_event("position", self._position)
                await asyncio.sleep(step_time)
        finally:
            self.set_state(DevState.ON)

    async def dev_status(self):
        return f"At {self._position:.2f} mm (target {self._target:.2f} mm), {self.get_state()}"


if __name__ == "__main__":
    AsyncMotor.run_server()
