"""Type hints as strings (`from __future__ import annotations`) declare types as well."""

from __future__ import annotations

import numpy as np

from tango import AttrDataFormat, CmdArgType, DevState
from tango.server import Device, attribute, command, device_property
from tango.test_context import DeviceTestContext
from tango.test_utils import assert_close


class Postponed(Device):
    greeting: str = device_property(default_value="hello")

    @attribute
    def level(self) -> float:
        return 0.5

    @attribute
    def trace(self) -> list[float]:
        return [1.0, 2.0]

    @attribute
    def frame(self) -> list[list[int]]:
        return [[1, 2], [3, 4]]

    @command
    def greet(self, name: str) -> str:
        return f"{self.greeting} {name}"

    @command
    def total(self, values: list[float]) -> float:
        return float(np.sum(values))


def test_postponed_annotations_declare_types():
    with DeviceTestContext(Postponed, debug=0) as proxy:
        types = {i.name: (i.data_type, i.data_format) for i in proxy.attribute_list_query_ex()}
        assert types["level"] == (CmdArgType.DevDouble, AttrDataFormat.SCALAR)
        assert types["trace"] == (CmdArgType.DevDouble, AttrDataFormat.SPECTRUM)
        assert types["frame"] == (CmdArgType.DevLong64, AttrDataFormat.IMAGE)
        assert proxy.greet("you") == "hello you"
        assert proxy.total([1.5, 2.5]) == 4.0
        assert_close(proxy.frame, [[1, 2], [3, 4]])


def test_state_fixture(state):
    assert isinstance(state, DevState)


def test_typed_values_fixture_and_assert_close(typed_values, server_green_mode, client_green_mode):
    dtype, values = typed_values
    assert values
    for value in values:
        assert_close(value, value)
    assert_close([0.1, 0.2], np.array([0.1, 0.2 + 1e-12]))
