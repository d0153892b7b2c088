"""The Python benchmark server: the interface of cpp/bench_server.cpp, written with tango.server.

    python py_bench_server.py <instance> -nodb -dlist bench/py/1 -ORBendPoint giop:tcp:127.0.0.1:PORT
"""

import numpy as np

from tango import DevState
from tango.server import Device, attribute, command

SIDE = 1024


class BenchDevice(Device):
    def init_device(self):
        self._scalar = 1.5
        self._image = np.full((SIDE, SIDE), 0.5)
        self._counter = 0
        self.set_change_event("counter", True, False)
        self.set_state(DevState.ON)

    @attribute(dtype=float)
    def scalar(self):
        return self._scalar

    @scalar.setter
    def scalar(self, value):
        self._scalar = value

    def initialize_dynamic_attributes(self):
        # the same read as `scalar`, added at run time (Device.add_attribute)
        self.add_attribute(attribute(name="dyn_scalar", dtype=float), r_meth=self.read_dyn_scalar)

    def read_dyn_scalar(self):
        return self._scalar

    @attribute(dtype=float)
    def attr_scalar(self, attr):
        # the same value, set on the attribute object (the classic form: attr.set_value)
        attr.set_value(self._scalar)

    @attribute(dtype=((float,),), max_dim_x=SIDE, max_dim_y=SIDE)
    def image(self):
        return self._image  # lent to cppTango, not copied

    @image.setter
    def image(self, value):
        self._image = value

    @attribute(dtype=np.int32)
    def counter(self):
        return self._counter

    @command
    def Noop(self):
        pass

    @command(dtype_in=np.int32)
    def PushEvents(self, n):
        push = self.push_change_event
        for i in range(1, n + 1):
            push("counter", i)
        self._counter = n


if __name__ == "__main__":
    BenchDevice.run_server()
