"""The checks of the green-mode matrices can fail: a server or a client that does not run in the
mode it claims is caught (tests/_green_server.py, tests/_green_client.py)."""

import pytest

import tango
from tango import GreenMode
from tango.server import attribute

from _green_client import GreenClient
from _green_server import GreenDeviceTestContext, GreenModeProbe, assert_runs_in


class Probed(GreenModeProbe):
    @attribute(dtype=int)
    def value(self):
        return 3


def test_the_server_probe_tells_the_modes_apart():
    with GreenDeviceTestContext(Probed, GreenMode.Futures, debug=0) as proxy:
        assert proxy.green_mode_seen == "Futures"
        for other in (GreenMode.Synchronous, GreenMode.Asyncio, GreenMode.Gevent):
            with pytest.raises(AssertionError, match="Futures"):
                assert_runs_in(proxy, other)


def test_a_server_class_without_the_probe_is_refused():
    class Unprobed(tango.server.Device):
        pass

    with pytest.raises(TypeError, match="GreenModeProbe"):
        GreenDeviceTestContext(Unprobed, GreenMode.Asyncio)


@pytest.mark.parametrize("claimed", [GreenMode.Futures, GreenMode.Gevent, GreenMode.Asyncio],
                         ids=str)
def test_a_client_whose_calls_bypass_the_executor_fails(tangotest, client_loop, claimed):
    """A synchronous proxy used as a proxy of another mode: each kind of call is caught."""
    wrong = GreenClient(tango.DeviceProxy(tangotest.name), claimed, client_loop)
    calls = [
        lambda d: d.read_attribute("double_scalar"),
        lambda d: d.double_scalar,
        lambda d: d.DevDouble(1.5),
        lambda d: d["double_scalar"],
        lambda d: d.read_attribute("throw_exception"),  # a DevFailed made at once
    ]
    for call in calls:
        with pytest.raises(AssertionError, match="executor|TangoFuture|pool"):
            call(wrong)
    right = GreenClient(tango.DeviceProxy(tangotest.name, green_mode=claimed), claimed, client_loop)
    assert right.DevDouble(1.5) == 1.5
    right.write_attribute("double_scalar_w", 2.5)
    assert right.double_scalar_w == 2.5
    assert right.read_attribute("double_scalar_w").value == 2.5
    with pytest.raises(tango.DevFailed):
        right.read_attribute("throw_exception")


@pytest.mark.parametrize("mode", list(GreenMode), ids=str)
def test_the_client_counts_the_calls_it_made_in_its_mode(tangotest, client_loop, mode):
    """The `dev` fixture fails a test whose client made no call in its mode: the count it reads
    grows with each call (a failing one too), not with lookups of names or commands."""
    client = GreenClient(tango.DeviceProxy(tangotest.name, green_mode=mode), mode, client_loop)
    assert client.green_calls == 0
    client.name()
    "double_scalar" in client  # noqa: B015 (membership: local)
    command = client.DevDouble  # a lookup, not a call
    assert client.green_calls == 0
    assert command(2.5) == 2.5
    assert client.green_calls == 1
    with pytest.raises(tango.DevFailed):
        client.read_attribute("throw_exception")
    assert client.green_calls == 2
    attr = client.wrap(tango.AttributeProxy(tangotest.attribute_name("double_scalar"), green_mode=mode))
    attr.read()
    assert client.green_calls == attr.green_calls == 3
