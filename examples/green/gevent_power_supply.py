"""A gevent device that drives a TCP instrument (see instrument_simulator.py).

    python gevent_power_supply.py test -nodb -port 10001 -dlist test/gps/1

Device property ``instrument`` is ``host:port``. The device talks to the instrument with
``gevent.socket``: while one request waits for the instrument, the hub runs other greenlets (here
a monitor greenlet, spawned with ``gevent.spawn``, that reads the current every 50 ms and pushes
change events).
"""

import gevent
import gevent.lock
import gevent.socket

from tango import AttrWriteType, DevState, GreenMode
from tango.server import Device, attribute, command, device_property


class GeventPowerSupply(Device):
    green_mode = GreenMode.Gevent

    instrument: str = device_property(default_value="127.0.0.1:5025")

    def init_device(self):
        super().init_device()
        host, port = self.instrument.rsplit(":", 1)
        self._sock = gevent.socket.create_connection((host, int(port)), timeout=2)
        self._file = self._sock.makefile("rwb")
        self._io = gevent.lock.Semaphore()  # one exchange at a time on the socket
        self._current = 0.0
        self.set_change_event("current", True, False)
        self._monitor = gevent.spawn(self._watch_current)
        self.set_state(DevState.ON)

    def delete_device(self):
        self._monitor.kill()
        self._sock.close()

    def _ask(self, line):
        with self._io:
            self._file.write((line + "\n").encode("ascii"))
            self._file.flush()
            answer = self._file.readline().decode("ascii").strip()
        if answer.startswith("ERR"):
            raise ValueError(f"instrument: {answer[4:]}")
        return answer

    def _watch_current(self):
        while True:
            current = float(self._ask("CURR?"))
            if current != self._current:
                self._current = current
                self.push_change_event("current", current)
            gevent.sleep(0.05)

    @attribute(dtype=float, unit="V", access=AttrWriteType.READ_WRITE)
    def voltage(self):
        return float(self._ask("VOLT?"))

    @voltage.write
    def voltage(self, value):
        self._ask(f"VOLT {value}")

    @attribute(dtype=float, unit="A")
    def current(self):
        return float(self._ask("CURR?"))

    @command(dtype_out=str)
    def identify(self):
        """Which greenlet served this request (each request is a greenlet of the hub)."""
        return type(gevent.getcurrent()).__name__


if __name__ == "__main__":
    GeventPowerSupply.run_server()
