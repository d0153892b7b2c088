"""The life of a Python device: init and delete, hooks, state and status, state machines, logs."""

import json

import pytest

import tango
from tango import AttrWriteType, DevState
from tango.server import attribute, command
from tango.test_utils import state  # noqa: F401  (the fixture)

from _green_server import GreenDeviceTestContext, GreenModeProbe


class Lifecycle(GreenModeProbe):
    def init_device(self):
        counts = getattr(self, "_counts", {})
        self._counts = {"init": counts.get("init", 0) + 1, "delete": counts.get("delete", 0),
                        "hook": 0, "hardware": []}
        self.set_state(DevState.STANDBY)
        self.set_status("waiting")

    def delete_device(self):
        self._counts["delete"] += 1

    def always_executed_hook(self):
        self._counts["hook"] += 1

    def read_attr_hardware(self, attr_list):
        self._counts["hardware"].append(sorted(attr_list))

    @attribute(dtype=str)
    def counts(self):
        return json.dumps(self._counts)

    @attribute(dtype=float)
    def a(self):
        return 1.0

    @attribute(dtype=float)
    def b(self):
        return 2.0

    @command
    def reset_counts(self):
        self._counts.update(hook=0, hardware=[])

    @command(dtype_in=DevState)
    def go(self, state):
        self.set_state(state)

    @command(dtype_in=str)
    def say(self, status):
        self.set_status(status)

    @command(dtype_out=str)
    def seen_by_device(self):
        return f"{self.get_state()}|{self.get_status()}"


def test_init_and_delete_through_the_init_command(server_mode):
    with GreenDeviceTestContext(Lifecycle, server_mode, debug=0) as proxy:
        counts = json.loads(proxy.counts)
        assert (counts["init"], counts["delete"]) == (1, 0)
        proxy.go(DevState.RUNNING)
        proxy.Init()
        counts = json.loads(proxy.counts)
        assert (counts["init"], counts["delete"]) == (2, 1)
        assert proxy.state() == DevState.STANDBY  # init_device ran again
        assert proxy.status() == "waiting"
        proxy.init()  # the lower-case spelling of the command name
        assert json.loads(proxy.counts)["init"] == 3


def test_always_executed_hook_and_read_attr_hardware(server_mode):
    with GreenDeviceTestContext(Lifecycle, server_mode, debug=0) as proxy:
        proxy.reset_counts()  # the hook ran for this command too, before the reset
        proxy.read_attributes(["a", "b"])
        proxy.seen_by_device()
        counts = json.loads(proxy.counts)  # this read calls both once more
        assert counts["hook"] == 3
        # one call per read request, with the indexes of the attributes read in it
        assert len(counts["hardware"]) == 2
        assert len(counts["hardware"][0]) == 2 and len(counts["hardware"][1]) == 1


@pytest.fixture(scope="module")
def lifecycle_proxy(server_mode):
    with GreenDeviceTestContext(Lifecycle, server_mode, debug=0) as proxy:
        yield proxy


def test_set_state_and_get_state(lifecycle_proxy, state):
    """With tango.test_utils' `state` fixture: every DevState value."""
    lifecycle_proxy.go(state)
    assert lifecycle_proxy.state() == state
    assert lifecycle_proxy.seen_by_device().split("|")[0] == str(state)


def test_every_state_and_status_from_the_device(lifecycle_proxy):
    proxy = lifecycle_proxy
    for state in DevState:
        proxy.go(state)
        assert proxy.state() == state
        assert proxy.read_attribute("State").value == state
        assert proxy.seen_by_device().split("|")[0] == str(state)
    for status in ("", "all good", "é accent", "multi\nline"):
        proxy.say(status)
        assert proxy.status() == status
        assert proxy.seen_by_device().split("|", 1)[1] == status


class Computed(GreenModeProbe):
    def init_device(self):
        self._fault = False
        self.set_state(DevState.ON)

    def dev_state(self):
        return DevState.FAULT if self._fault else super().dev_state()

    def dev_status(self):
        base = super().dev_status()
        return f"computed ({base.strip()})"

    @command
    def break_it(self):
        self._fault = True


def test_dev_state_and_dev_status_overrides(server_mode):
    with GreenDeviceTestContext(Computed, server_mode, debug=0) as proxy:
        assert proxy.state() == DevState.ON
        assert proxy.status() == "computed (The device is in ON state.)"
        proxy.break_it()
        assert proxy.state() == DevState.FAULT
        assert proxy.read_attribute("State").value == DevState.FAULT


class Machine(GreenModeProbe):
    """A state machine: start only from STANDBY, the position only when RUNNING."""

    def init_device(self):
        self.set_state(DevState.STANDBY)
        self._position = 0.0

    @command
    def start(self):
        self.set_state(DevState.RUNNING)

    def is_start_allowed(self):
        return self.get_state() == DevState.STANDBY

    @command
    def stop(self):
        self.set_state(DevState.STANDBY)

    @command(fisallowed="can_stop_now")
    def emergency(self):
        self.set_state(DevState.FAULT)

    def can_stop_now(self):
        return self.get_state() == DevState.RUNNING

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def position(self):
        return self._position

    @position.setter
    def position(self, value):
        self._position = value

    def is_position_allowed(self, request):
        if request == tango.AttReqType.READ_REQ:
            return True
        return self.get_state() == DevState.RUNNING

    speed = attribute(dtype=float, fisallowed="speed_allowed")

    def read_speed(self):
        return 3.0

    def speed_allowed(self, request):
        return self.get_state() != DevState.FAULT


def _reason(info):
    return info.value.args[0].reason


def test_is_allowed_state_machine(server_mode):
    with GreenDeviceTestContext(Machine, server_mode, debug=0) as proxy:
        assert proxy.position == 0.0  # reads are always allowed
        with pytest.raises(tango.DevFailed) as info:
            proxy.position = 1.0
        assert _reason(info) == "API_AttrNotAllowed"
        with pytest.raises(tango.DevFailed) as info:
            proxy.emergency()
        assert _reason(info) == "API_CommandNotAllowed"
        proxy.start()
        with pytest.raises(tango.DevFailed) as info:
            proxy.start()
        assert _reason(info) == "API_CommandNotAllowed"
        proxy.position = 2.5
        assert proxy.position == 2.5
        assert proxy.speed == 3.0
        proxy.emergency()
        assert proxy.state() == DevState.FAULT
        with pytest.raises(tango.DevFailed) as info:
            proxy.speed
        assert _reason(info) == "API_AttrNotAllowed"
        proxy.stop()  # no is_stop_allowed: always allowed
        assert proxy.state() == DevState.STANDBY
        assert proxy.speed == 3.0


class Talkative(GreenModeProbe):
    @command(dtype_in=int)
    def log_everything(self, level):
        self.debug_stream("debug %d %s", 1, "arg")
        self.info_stream("info")
        self.warn_stream("warn %s", {"a": 1})
        self.error_stream("error %r", None)
        self.fatal_stream("fatal, with a percent sign %% and no args")
        self.debug_stream("percent without args: 100%")
        self.info_stream(12345)
        self.warn_stream("accents: é ü")

    @command(dtype_out=str)
    def name_and_class(self):
        return f"{self.get_name()}|{type(self).__name__}"


def test_logging_calls_do_not_crash(server_mode):
    context = GreenDeviceTestContext(Talkative, server_mode, debug=0)
    with context as proxy:
        admin = context.server
        for level in range(6):  # OFF, FATAL, ERROR, WARN, INFO, DEBUG
            admin.SetLoggingLevel(([level], [context.device_name]))
            assert list(admin.GetLoggingLevel([context.device_name])[0]) == [level]
            assert proxy.log_everything(level) is None
        assert proxy.name_and_class() == "test/nodb/talkative|Talkative"
        assert proxy.state() == DevState.UNKNOWN
    # with cppTango's traces on
    with GreenDeviceTestContext(Talkative, server_mode, debug=5) as proxy:
        assert proxy.log_everything(5) is None


def test_logging_level_from_the_client(server_mode):
    with GreenDeviceTestContext(Talkative, server_mode, debug=0) as proxy:
        proxy.set_logging_level(5)
        assert proxy.get_logging_level() == 5
        assert proxy.log_everything(5) is None


class Ending(GreenModeProbe):
    """Writes to the file of its `marker` property when its delete_device runs (at its end)."""

    marker = tango.server.device_property(dtype=str)
    fail = tango.server.device_property(dtype=bool, default_value=False)

    def delete_device(self):
        with open(self.marker, "a") as f:
            f.write("delete_device\n")
        if self.fail:
            raise RuntimeError("delete_device failed on purpose")


def test_delete_device_runs_when_the_server_ends(server_mode, tmp_path):
    marker = tmp_path / "ended"
    with GreenDeviceTestContext(Ending, server_mode, properties={"marker": str(marker)}, debug=0) as proxy:
        assert proxy.state() == DevState.UNKNOWN
        assert not marker.exists()
    assert marker.read_text() == "delete_device\n"  # once, as cppTango's servers call it


def test_delete_device_runs_when_the_device_is_restarted(server_mode, tmp_path):
    marker = tmp_path / "restarted"
    with GreenDeviceTestContext(Ending, server_mode, properties={"marker": str(marker)}, debug=0) as proxy:
        tango.DeviceProxy(proxy.adm_name()).DevRestart(proxy.dev_name())
        assert marker.read_text() == "delete_device\n"  # the old device's, before the new one answers
        assert proxy.state() == DevState.UNKNOWN
    assert marker.read_text() == "delete_device\n" * 2


def test_an_error_in_delete_device_at_the_end_is_reported_not_a_crash(server_mode, tmp_path, capfd):
    marker = tmp_path / "failed"
    props = {"marker": str(marker), "fail": True}
    with GreenDeviceTestContext(Ending, server_mode, properties=props, debug=0) as proxy:
        proxy.ping()
    err = capfd.readouterr().err
    assert "delete_device() raised a DevFailed exception" in err
    assert "RuntimeError: delete_device failed on purpose" in err
    assert marker.read_text() == "delete_device\n"
