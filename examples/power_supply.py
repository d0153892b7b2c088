"""A power supply device server: the example of the README, a little richer.

Run it without a database:

    python examples/power_supply.py test -nodb -dlist test/power/1 -port 10000

and talk to it with examples/client.py, or run both with `make demo`.
"""

from tango import AttReqType, AttrWriteType, DevState
from tango.server import Device, attribute, command, device_property


class PowerSupply(Device):
    """A simulated power supply: a voltage, a current set point, a calibration."""

    max_current: float = device_property(default_value=10.0, doc="the highest current allowed")

    def init_device(self):
        super().init_device()
        self._voltage = 1.23
        self._current = 0.0
        self.set_state(DevState.OFF)
        self.set_status("The power supply is off")

    @attribute(dtype=float, unit="V", label="Voltage", format="%6.3f")
    def voltage(self):
        """The measured output voltage."""
        return self._voltage

    current = attribute(dtype=float, unit="A", label="Current", access=AttrWriteType.READ_WRITE,
                        min_value=0.0, max_value=10.0, memorized=True, doc="the current set point")

    def read_current(self):
        return self._current

    def write_current(self, value):
        if value > self.max_current:
            raise ValueError(f"{value} A is above the maximum of {self.max_current} A")
        self._current = value
        self._voltage = 1.23 + 0.5 * value

    def is_current_allowed(self, request):
        # read at any time, written only while on
        return request == AttReqType.READ_REQ or self.get_state() == DevState.ON

    @command
    def turn_on(self):
        """Switch the output on."""
        self.set_state(DevState.ON)
        self.set_status("The power supply is on")

    @command
    def turn_off(self):
        """Switch the output off."""
        self._current = 0.0
        self.set_state(DevState.OFF)
        self.set_status("The power supply is off")

    @command
    def calibrate(self):
        """Reset the voltage to its calibrated value."""
        self._voltage = 1.23 + 0.5 * self._current

    @command(dtype_in=float, dtype_out=float, doc_in="a target current", doc_out="the new voltage")
    def ramp(self, target):
        self.write_current(target)
        return self._voltage

    def is_ramp_allowed(self):
        return self.get_state() == DevState.ON


if __name__ == "__main__":
    PowerSupply.run_server()
