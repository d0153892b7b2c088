"""Declaration options land in the configuration clients see (attribute and command queries)."""

import json

import pytest

import tango
from tango import AttrDataFormat, AttrMemorizedType, AttrWriteType, CmdArgType, DispLevel
from tango.server import attribute, command

from _green_server import GreenDeviceTestContext, GreenModeProbe

NOT_SPECIFIED = "Not specified"


class Configured(GreenModeProbe):
    def init_device(self):
        self._writes = []
        self._value = 0.0

    full = attribute(
        dtype=float, access=AttrWriteType.READ_WRITE, label="Full option set", unit="mm",
        standard_unit="0.001", display_unit="0.01", format="%8.3f", doc="every option",
        min_value=-10, max_value=10.5, min_alarm=-8, max_alarm=8, min_warning=-6, max_warning=6,
        delta_t=1000, delta_val=0.25, display_level=DispLevel.EXPERT, abs_change=0.5,
        rel_change=2, period=500, archive_abs_change=1, archive_rel_change=3,
        archive_period=1000)

    def read_full(self):
        return self._value

    def write_full(self, value):
        self._value = value

    @attribute(dtype=int, description="the description option", label="Described")
    def described(self):
        return 1

    @attribute(dtype=float)
    def documented(self):
        """Docstring of the read method.

        Second paragraph."""
        return 2.0

    @attribute(dtype=int, doc="explicit doc wins")
    def doc_wins(self):
        """Not this docstring."""
        return 3

    @attribute(dtype=float, event_period=250, archive_event_period=750)
    def event_period_aliases(self):
        return 4.0

    @attribute(dtype=float)
    def defaults(self):
        return 5.0

    @attribute(dtype=(float,), max_dim_x=17)
    def spectrum17(self):
        return [0.0]

    @attribute(dtype=((int,),), max_dim_x=12, max_dim_y=9)
    def image12x9(self):
        return [[0]]

    @attribute(dtype=(str,))
    def spectrum_default_dims(self):
        return ["a"]

    @attribute(dtype=float, polling_period=300)
    def polled(self):
        return 6.0

    memorized_only = attribute(dtype=float, access=AttrWriteType.READ_WRITE, memorized=True)

    def read_memorized_only(self):
        return self._value

    def write_memorized_only(self, value):
        self._writes.append(("memorized_only", value))

    hw = attribute(dtype=int, access=AttrWriteType.READ_WRITE, memorized=True, hw_memorized=True)

    def read_hw(self):
        return 0

    def write_hw(self, value):
        self._writes.append(("hw", value))

    @attribute(dtype=str)
    def writes(self):
        return json.dumps(self._writes)

    @command(dtype_in=float, doc_in="how far, in mm", dtype_out=str, doc_out="what happened",
             display_level=DispLevel.EXPERT)
    def move(self, distance):
        return f"moved {distance}"

    @command
    def documented_cmd(self, x: float) -> float:
        """Doubles its argument."""
        return 2 * x

    @command
    def void_documented(self):
        """Does nothing."""

    @command(dtype_out=int, polling_period=400)
    def polled_cmd(self):
        return 1

    @command
    def plain(self):
        pass


@pytest.fixture(scope="module")
def proxy(server_mode):
    with GreenDeviceTestContext(Configured, server_mode, memorized={"hw": 42, "memorized_only": 1.5},
                                debug=0) as proxy:
        yield proxy


def test_every_attribute_option(proxy):
    c = proxy.get_attribute_config("full")
    assert (c.name, c.label, c.unit, c.standard_unit, c.display_unit, c.format) == (
        "full", "Full option set", "mm", "0.001", "0.01", "%8.3f")
    assert c.description == "every option"
    assert (c.min_value, c.max_value) == ("-10", "10.5")
    assert (c.alarms.min_alarm, c.alarms.max_alarm) == ("-8", "8")
    assert (c.alarms.min_warning, c.alarms.max_warning) == ("-6", "6")
    assert (c.alarms.delta_t, c.alarms.delta_val) == ("1000", "0.25")
    assert (c.min_alarm, c.max_alarm) == ("-8", "8")  # the AttributeInfo copies
    assert c.disp_level == DispLevel.EXPERT
    assert (c.events.ch_event.abs_change, c.events.ch_event.rel_change) == ("0.5", "2")
    assert c.events.per_event.period == "500"
    arch = c.events.arch_event
    assert (arch.archive_abs_change, arch.archive_rel_change, arch.archive_period) == ("1", "3", "1000")
    assert (c.data_type, c.data_format, c.writable) == (
        CmdArgType.DevDouble, AttrDataFormat.SCALAR, AttrWriteType.READ_WRITE)
    assert c.memorized == AttrMemorizedType.NONE


def test_attribute_query_gives_the_same(proxy):
    by_query = proxy.attribute_query("full")
    assert (by_query.label, by_query.unit, by_query.description, by_query.disp_level) == (
        "Full option set", "mm", "every option", DispLevel.EXPERT)
    listed = {info.name: info for info in proxy.attribute_list_query_ex()}
    assert listed["full"].max_value == "10.5"
    assert listed["full"].events.per_event.period == "500"


def test_min_and_max_value_are_enforced(proxy):
    proxy.full = 10.5
    assert proxy.full == 10.5
    for bad in (10.6, -11):
        with pytest.raises(tango.DevFailed) as info:
            proxy.full = bad
        assert info.value.args[0].reason == "API_WAttrOutsideLimit"
    assert proxy.full == 10.5


def test_alarm_and_warning_limits_set_the_quality(proxy):
    for value, quality in ((0.0, tango.AttrQuality.ATTR_VALID), (7.0, tango.AttrQuality.ATTR_WARNING),
                           (-9.0, tango.AttrQuality.ATTR_ALARM)):
        proxy.full = value
        assert proxy.read_attribute("full").quality == quality, value
    proxy.full = 0.0


@pytest.mark.parametrize("name,description", [
    ("described", "the description option"),
    ("documented", "Docstring of the read method.\n\nSecond paragraph."),
    ("doc_wins", "explicit doc wins"),
])
def test_descriptions(proxy, name, description):
    assert proxy.get_attribute_config(name).description == description


def test_event_period_aliases(proxy):
    c = proxy.get_attribute_config("event_period_aliases")
    assert (c.events.per_event.period, c.events.arch_event.archive_period) == ("250", "750")


def test_defaults_of_options_not_given(proxy):
    c = proxy.get_attribute_config("defaults")
    assert c.label == "defaults"
    assert (c.unit, c.standard_unit, c.display_unit) == ("", "No standard unit", "No display unit")
    assert c.description == "No description"
    assert (c.min_value, c.max_value) == (NOT_SPECIFIED, NOT_SPECIFIED)
    assert (c.alarms.min_alarm, c.alarms.max_warning) == (NOT_SPECIFIED, NOT_SPECIFIED)
    assert c.disp_level == DispLevel.OPERATOR
    assert c.writable == AttrWriteType.READ
    assert (c.max_dim_x, c.max_dim_y) == (1, 0)
    assert c.events.per_event.period == "1000"  # Tango's default period


@pytest.mark.parametrize("name,dims", [
    ("spectrum17", (17, 0)), ("image12x9", (12, 9)), ("spectrum_default_dims", (2048, 0)),
])
def test_dimensions(proxy, name, dims):
    c = proxy.get_attribute_config(name)
    assert (c.max_dim_x, c.max_dim_y) == dims


def test_polling_periods(proxy):
    assert proxy.get_attribute_poll_period("polled") == 300
    assert proxy.is_attribute_polled("polled")
    assert not proxy.is_attribute_polled("defaults")
    assert proxy.get_command_poll_period("polled_cmd") == 400
    assert proxy.is_command_polled("polled_cmd")
    assert not proxy.is_command_polled("plain")


def test_memorized(proxy):
    assert proxy.get_attribute_config("memorized_only").memorized == AttrMemorizedType.MEMORIZED
    assert proxy.get_attribute_config("hw").memorized == AttrMemorizedType.MEMORIZED_WRITE_INIT
    # a hardware-memorized value given to the test context is written at start-up; a memorized
    # one only becomes the set point
    assert json.loads(proxy.writes) == [["hw", 42]]
    assert proxy.read_attribute("hw").w_value == 42
    assert proxy.read_attribute("memorized_only").w_value == 1.5


def test_command_configuration(proxy):
    move = proxy.command_query("move")
    assert (move.cmd_name, move.in_type, move.out_type) == (
        "move", CmdArgType.DevDouble, CmdArgType.DevString)
    assert (move.in_type_desc, move.out_type_desc, move.disp_level) == (
        "how far, in mm", "what happened", DispLevel.EXPERT)
    assert proxy.move(1.5) == "moved 1.5"
    documented = proxy.command_query("documented_cmd")
    assert (documented.in_type_desc, documented.out_type_desc) == (
        "Doubles its argument.", "Doubles its argument.")
    assert documented.disp_level == DispLevel.OPERATOR
    void = proxy.command_query("void_documented")
    assert (void.in_type, void.out_type) == (CmdArgType.DevVoid, CmdArgType.DevVoid)
    assert (void.in_type_desc, void.out_type_desc) == ("Uninitialised", "Uninitialised")
    plain = proxy.command_query("plain")
    assert (plain.in_type_desc, plain.out_type_desc) == ("Uninitialised", "Uninitialised")
    listed = {info.cmd_name: info for info in proxy.command_list_query()}
    assert {"move", "documented_cmd", "void_documented", "polled_cmd", "plain", "Init", "State",
            "Status"} <= set(listed)
    assert listed["move"].in_type_desc == "how far, in mm"


def test_unknown_options_are_refused():
    with pytest.raises(TypeError, match="colour"):
        attribute(dtype=float, colour="red")
