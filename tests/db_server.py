"""A device server run under TANGO_HOST by the database tests: ``python tests/db_server.py INST``
(server name ``db_server/INST``), with properties and memorized attributes to be stored in and
read from the database."""

from tango import AttrWriteType, DevState
from tango.server import Device, attribute, class_property, command, device_property


class DbTestDevice(Device):
    gain: float = device_property(default_value=1.5, doc="a device property with a default")
    label: str = device_property(mandatory=True, doc="a device property that must be defined")
    site: str = class_property(default_value="nowhere", doc="a class property")

    def init_device(self):
        super().init_device()
        self._setpoint = 0.0
        self._hw_setpoint = 0
        self._hw_writes = []
        self.set_state(DevState.ON)

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE, memorized=True)
    def setpoint(self):
        return self._setpoint

    @setpoint.write
    def setpoint(self, value):
        self._setpoint = value

    @attribute(dtype=int, access=AttrWriteType.READ_WRITE, memorized=True, hw_memorized=True)
    def hw_setpoint(self):
        return self._hw_setpoint

    @hw_setpoint.write
    def hw_setpoint(self, value):
        self._hw_setpoint = value
        self._hw_writes.append(value)

    @attribute(dtype=(int,), max_dim_x=16)
    def hw_writes(self):
        """The values written to hw_setpoint since the device started (a restore is one)."""
        return self._hw_writes or [-1]

    @attribute(dtype=str)
    def properties(self):
        return f"{self.gain}|{self.label}|{self.site}"

    @command(dtype_out=str)
    def database_host(self):
        """Where the server's Util found its database."""
        from tango import Util

        db = Util.instance().get_database()
        return f"{db.get_db_host()}:{db.get_db_port()}"


if __name__ == "__main__":
    from tango.server import run

    run((DbTestDevice,))
