"""A device's attribute configuration in the IDL structs (tango.AttributeConfig, _2, _3, _5 and
the alarm and event parts they hold): the structs themselves, and DeviceImpl.get_attribute_config*
/ set_attribute_config* and Attribute.set_upd_properties called by a real device in every server
green mode, from commands, attribute reads and writes (whose requests hold the device's monitors
while a green server's worker runs the device code), seen by clients and by configuration event
subscribers."""

import copy
import json
import pickle
import queue

import pytest

import tango
from tango import (
    ArchiveEventProp, AttrDataFormat, AttributeAlarm, AttributeConfig, AttributeConfig_2, AttributeConfig_3,
    AttributeConfig_5, AttrWriteType, ChangeEventProp, CmdArgType, DevFailed, DispLevel, EventProperties,
    EventType, PeriodicEventProp,
)
from tango.server import attribute, command

from _event_checks import assert_first_push_not_doubled, first_push_count, wait_for
from _green_server import GreenDeviceTestContext, GreenModeProbe

# ---------------------------------------------------------------------------------------------
# The structs
# ---------------------------------------------------------------------------------------------

COMMON = {
    "name": "", "writable": AttrWriteType.READ, "data_format": AttrDataFormat.SCALAR, "data_type": 0,
    "max_dim_x": 0, "max_dim_y": 0, "description": "", "label": "", "unit": "", "standard_unit": "",
    "display_unit": "", "format": "", "min_value": "", "max_value": "", "writable_attr_name": "",
    "extensions": [],
}
ALARM = {"min_alarm": "", "max_alarm": "", "min_warning": "", "max_warning": "", "delta_t": "", "delta_val": "",
         "extensions": []}

# every struct: its fields and their defaults; nested structs by their type
DEFAULTS = {
    AttributeAlarm: ALARM,
    ChangeEventProp: {"rel_change": "", "abs_change": "", "extensions": []},
    PeriodicEventProp: {"period": "", "extensions": []},
    ArchiveEventProp: {"rel_change": "", "abs_change": "", "period": "", "extensions": []},
    EventProperties: {"ch_event": ChangeEventProp, "per_event": PeriodicEventProp, "arch_event": ArchiveEventProp},
    AttributeConfig: {**COMMON, "min_alarm": "", "max_alarm": ""},
    AttributeConfig_2: {**COMMON, "min_alarm": "", "max_alarm": "", "level": DispLevel.OPERATOR},
    AttributeConfig_3: {**COMMON, "level": DispLevel.OPERATOR, "att_alarm": AttributeAlarm,
                        "event_prop": EventProperties, "sys_extensions": []},
    AttributeConfig_5: {**COMMON, "memorized": False, "mem_init": False, "level": DispLevel.OPERATOR,
                        "root_attr_name": "", "enum_labels": [], "att_alarm": AttributeAlarm,
                        "event_prop": EventProperties, "sys_extensions": []},
}
STRUCTS = list(DEFAULTS)


def public_fields(obj):
    return {n for n in dir(obj) if not n.startswith("_") and not callable(getattr(obj, n))}


@pytest.mark.parametrize("cls", STRUCTS, ids=lambda c: c.__name__)
def test_struct_fields_and_defaults(cls):
    struct = cls()
    assert public_fields(struct) == set(DEFAULTS[cls])
    for name, default in DEFAULTS[cls].items():
        value = getattr(struct, name)
        if isinstance(default, type):
            assert type(value) is default, name
        else:
            assert value == default and type(value) is type(default), name
    assert getattr(tango, cls.__name__) is getattr(tango._tango, cls.__name__) is cls


@pytest.mark.parametrize("cls", STRUCTS, ids=lambda c: c.__name__)
def test_struct_refuses_unknown_attributes_and_pickling(cls):
    struct = cls()
    with pytest.raises(AttributeError, match=f"'tango._tango.{cls.__name__}' object has no attribute 'lala'"):
        struct.lala = "7"
    with pytest.raises(TypeError, match=f"cannot pickle 'tango._tango.{cls.__name__}' object"):
        pickle.dumps(struct)  # as PyTango's


def test_field_types_are_checked():
    config = AttributeConfig_5()
    config.writable = AttrWriteType.READ_WRITE
    config.data_format = AttrDataFormat.IMAGE
    config.level = DispLevel.EXPERT
    config.data_type = CmdArgType.DevDouble
    config.max_dim_x = 7
    config.memorized = True
    assert (config.writable, config.data_format, config.level, config.data_type, config.max_dim_x, config.memorized) == (
        AttrWriteType.READ_WRITE, AttrDataFormat.IMAGE, DispLevel.EXPERT, 5, 7, True)
    assert type(config.data_type) is int
    with pytest.raises(TypeError, match="expected a str, got 3 of type int"):
        config.unit = 3
    with pytest.raises(TypeError, match="enum_labels must be a list of str, not str"):
        config.enum_labels = "AB"
    with pytest.raises(TypeError):
        config.enum_labels = ["A", 2]
    with pytest.raises(TypeError):
        config.writable = 3  # the enum, not a number
    config.unit = "\u00b5m"  # Latin-1, as every Tango string
    assert config.unit == "\u00b5m"
    config.label = b"raw"
    assert config.label == "raw"
    config.enum_labels = ("A", "B")
    assert config.enum_labels == ["A", "B"]
    with pytest.raises(ValueError, match="Latin-1"):
        config.description = "\u20ac"


def test_string_lists_are_copies_and_nested_structs_are_references():
    config = AttributeConfig_3()
    config.extensions.append("lost")  # a new list on each read
    assert config.extensions == []
    config.extensions = ["kept"]
    assert config.extensions == ["kept"]
    config.att_alarm.min_alarm = "-4"
    config.event_prop.ch_event.abs_change = "0.5"
    assert config.att_alarm.min_alarm == "-4" and config.event_prop.ch_event.abs_change == "0.5"
    alarm = AttributeAlarm()
    alarm.max_warning = "3"
    config.att_alarm = alarm  # copied in
    alarm.max_warning = "9"
    assert (config.att_alarm.max_warning, config.att_alarm.min_alarm) == ("3", "")


def test_copies_are_independent():
    config = AttributeConfig_3()
    config.label = "L"
    config.att_alarm.min_alarm = "1"
    config.extensions = ["x"]
    for made in (copy.copy(config), copy.deepcopy(config)):
        assert type(made) is AttributeConfig_3 and repr(made) == repr(config)
        made.label = "other"
        made.att_alarm.min_alarm = "2"
        assert (config.label, config.att_alarm.min_alarm) == ("L", "1")


def test_struct_repr_and_str_are_pytangos_formats():
    change = ChangeEventProp()
    change.abs_change = "0.5"
    assert repr(change) == "ChangeEventProp(abs_change = '0.5', extensions = [], rel_change = '')"
    assert str(change) == 'ChangeEventProp[\n    abs_change = "0.5"\n    extensions = []\n    rel_change = ""\n]'
    assert repr(PeriodicEventProp()) == "PeriodicEventProp(extensions = [], period = '')"
    assert repr(EventProperties()) == (
        "EventProperties(arch_event = ArchiveEventProp(abs_change = '', extensions = [], period = '', "
        "rel_change = ''), ch_event = ChangeEventProp(abs_change = '', extensions = [], rel_change = ''), "
        "per_event = PeriodicEventProp(extensions = [], period = ''))")
    config = AttributeConfig()
    config.name = "level"
    config.data_type = CmdArgType.DevLong64
    assert repr(config) == (
        "AttributeConfig(data_format = <AttrDataFormat.SCALAR: 0>, data_type = <CmdArgType.DevLong64: 23>, "
        "description = '', display_unit = '', extensions = [], format = '', label = '', max_alarm = '', "
        "max_dim_x = 0, max_dim_y = 0, max_value = '', min_alarm = '', min_value = '', name = 'level', "
        "standard_unit = '', unit = '', writable = <AttrWriteType.READ: 0>, writable_attr_name = '')")
    lines = str(AttributeConfig_3()).split("\n")
    assert lines[:3] == ["AttributeConfig_3[", "    att_alarm = AttributeAlarm[", '        delta_t = ""']
    assert "    event_prop = EventProperties[" in lines and "        ch_event = ChangeEventProp[" in lines
    assert "    level = <DispLevel.OPERATOR: 0>" in lines and lines[-1] == "]"
    from tango import pytango_pprint

    assert all(cls in pytango_pprint._STRUCT_TYPES for cls in STRUCTS)


# ---------------------------------------------------------------------------------------------
# A device that reads and sets its own configuration
# ---------------------------------------------------------------------------------------------

def summary(config):
    """The fields the tests look at, of any AttributeConfig* form."""
    out = {"type": type(config).__name__, "name": config.name, "writable": str(config.writable),
           "data_format": str(config.data_format), "data_type": config.data_type, "unit": config.unit,
           "label": config.label, "min_value": config.min_value, "max_value": config.max_value}
    for field in ("min_alarm", "max_alarm", "level", "memorized", "enum_labels"):
        if hasattr(config, field):
            value = getattr(config, field)
            out[field] = value if isinstance(value, (str, bool, list)) else str(value)
    if hasattr(config, "att_alarm"):
        out["alarm"] = [config.att_alarm.min_alarm, config.att_alarm.min_warning, config.att_alarm.max_warning,
                        config.att_alarm.max_alarm]
        out["abs_change"] = config.event_prop.ch_event.abs_change
    return out


GETTERS = {"1": "get_attribute_config", "2": "get_attribute_config_2", "3": "get_attribute_config_3",
           "5": "get_attribute_config_5"}
SETTERS = {"1": "set_attribute_config", "3": "set_attribute_config_3", "5": "set_attribute_config_5"}


class Configured(GreenModeProbe):
    def init_device(self):
        super().init_device()
        self._level = 0
        self.set_state(tango.DevState.ON)  # (cppTango checks the alarm limits of a device in ON)

    @attribute(dtype=int, access=AttrWriteType.READ_WRITE, unit="mm", label="Level", min_value=-10,
               max_value=10)
    def level(self):
        return self._level

    @level.write
    def level(self, value):
        self._level = value

    # one attribute per test that changes a configuration (the server is shared by the module)
    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def by_list(self):
        return 0.0

    @by_list.write
    def by_list(self, value):
        pass

    @attribute(dtype=float, access=AttrWriteType.READ_WRITE)
    def by_one(self):
        return 0.0

    @by_one.write
    def by_one(self, value):
        pass

    @attribute(dtype=float)
    def by_3(self):
        return 0.0

    @attribute(dtype=float)
    def by_5(self):
        return 0.0

    @attribute(dtype=float)
    def by_upd(self):
        return 0.0

    @attribute(dtype=float)
    def by_alarm(self):
        return 5.0

    @command(dtype_in=str)
    def SetMaxAlarm(self, request):
        """request: json [form, max_alarm]"""
        form, value = json.loads(request)
        config = getattr(self, GETTERS[form])("by_alarm")
        if form == "1":
            config[0].max_alarm = value
        else:
            config[0].att_alarm.max_alarm = value
        getattr(self, SETTERS[form])(config)

    @attribute(dtype=float)
    def evented(self):
        return 0.0

    @attribute(dtype=int)
    def set_in_read(self):
        # in its own read: the request holds the device monitor (the worker's, in a green server)
        config = self.get_attribute_config("set_in_read")
        config[0].min_alarm = "-6"
        config[0].max_alarm = "6"
        self.set_attribute_config(config)
        config3 = self.get_attribute_config_3("set_in_read")
        config3[0].att_alarm.min_warning = "-3"
        config3[0].att_alarm.max_warning = "3"
        self.set_attribute_config_3(config3)
        return int(repr(self.get_attribute_config_3("set_in_read")) == repr(config3))

    @attribute(dtype=str, access=AttrWriteType.READ_WRITE)
    def set_in_write(self):
        return self.get_attribute_config("set_in_write")[0].unit

    @set_in_write.write
    def set_in_write(self, unit):
        config = self.get_attribute_config("set_in_write")
        config[0].unit = unit
        self.set_attribute_config(config)

    @command(dtype_in=str, dtype_out=str)
    def Get(self, request):
        """request: json [form, names]; names a str or a list."""
        form, names = json.loads(request)
        got = getattr(self, GETTERS[form])(names)
        return json.dumps({"is_list": type(got) is list, "configs": [summary(c) for c in got]})

    @command(dtype_in=str, dtype_out=str)
    def GetForms(self, name):
        """repr of each form, got with a str and with a list of one."""
        return json.dumps({form: [repr(getattr(self, method)(name)), repr(getattr(self, method)([name]))]
                           for form, method in GETTERS.items()})

    @command(dtype_in=str, dtype_out=str)
    def Set(self, request):
        """request: json [form, name, changes, as_list]; changes: {field or alarm.field: value}."""
        form, name, changes, as_list = json.loads(request)
        getter = GETTERS[form]
        config = getattr(self, getter)(name)[0]
        for field, value in changes.items():
            target = config
            *path, last = field.split(".")
            for part in path:
                target = getattr(target, part)
            setattr(target, last, value)
        getattr(self, SETTERS[form])([config] if as_list else config)
        after = getattr(self, getter)(name)[0]
        return json.dumps({"same_repr": repr(after) == repr(config), "after": summary(after)})

    @command(dtype_in=str, dtype_out=str)
    def SetUpd(self, request):
        form, unit, with_name = json.loads(request)
        config = getattr(self, GETTERS[form])("by_upd")[0]
        config.unit = unit
        attr = self.get_device_attr().get_attr_by_name("by_upd")
        if with_name:
            attr.set_upd_properties(config, self.get_name())
        else:
            attr.set_upd_properties(config)
        return self.get_attribute_config("by_upd")[0].unit

    @command(dtype_in=str)
    def SetEventedUnit(self, unit):
        config = self.get_attribute_config_3(["evented"])
        config[0].unit = unit
        self.set_attribute_config_3(config)

    @command(dtype_in=str, dtype_out=str)
    def Refused(self, what):
        try:
            if what == "wrong_item":
                self.set_attribute_config([self.get_attribute_config("level")[0], 7])
            elif what == "wrong_form":
                self.set_attribute_config(self.get_attribute_config_3("level"))
            elif what == "not_a_list":
                self.set_attribute_config_3(3.5)
            elif what == "get_unknown":
                self.get_attribute_config(["level", "no_such_attribute"])
            elif what == "get_3_unknown":
                self.get_attribute_config_3("no_such_attribute")
            elif what == "set_unknown":
                config = self.get_attribute_config("level")
                config[0].name = "no_such_attribute"
                self.set_attribute_config(config)
            elif what == "set_3_unknown":
                config = self.get_attribute_config_3("level")
                config[0].name = "no_such_attribute"
                self.set_attribute_config_3(config)
            elif what == "bad_value":  # (cppTango takes the previous configuration back)
                config = self.get_attribute_config_3("level")
                config[0].min_value = "not a number"
                self.set_attribute_config_3(config)
            elif what == "names_type":
                self.get_attribute_config(3)
            elif what == "upd_type":
                self.get_device_attr().get_attr_by_name("level").set_upd_properties(tango.MultiAttrProp())
        except DevFailed as exc:
            return f"DevFailed {exc.args[0].reason}"
        except TypeError as exc:
            return f"TypeError {exc}"
        return "accepted"

    @command(dtype_out=str)
    def Empty(self):
        self.set_attribute_config([])
        self.set_attribute_config_3([])
        return json.dumps([self.get_attribute_config([]), self.get_attribute_config_3([])])


@pytest.fixture(scope="module")
def server(server_mode):
    with GreenDeviceTestContext(Configured, server_mode, debug=0) as proxy:
        yield proxy


def get(dev, form, names):
    return json.loads(dev.Get(json.dumps([form, names])))


def set_config(dev, form, name, changes, as_list=True):
    return json.loads(dev.Set(json.dumps([form, name, changes, as_list])))


LEVEL = {"name": "level", "writable": "READ_WRITE", "data_format": "SCALAR", "data_type": int(CmdArgType.DevLong64),
         "unit": "mm", "label": "Level", "min_value": "-10", "max_value": "10"}
NOT_SET = tango.constants.AlrmValueNotSpec


@pytest.mark.parametrize("form, extra", [
    ("1", {"type": "AttributeConfig", "min_alarm": NOT_SET, "max_alarm": NOT_SET}),
    ("2", {"type": "AttributeConfig_2", "min_alarm": NOT_SET, "max_alarm": NOT_SET, "level": "OPERATOR"}),
    ("3", {"type": "AttributeConfig_3", "level": "OPERATOR", "alarm": [NOT_SET] * 4, "abs_change": NOT_SET}),
    ("5", {"type": "AttributeConfig_5", "level": "OPERATOR", "alarm": [NOT_SET] * 4, "abs_change": NOT_SET,
           "memorized": False, "enum_labels": []}),
])
def test_device_gets_its_attribute_config_in_every_form(server, form, extra):
    got = get(server, form, "level")
    assert got == {"is_list": True, "configs": [{**LEVEL, **extra}]}
    both = get(server, form, ["level", "by_3"])
    assert [c["name"] for c in both["configs"]] == ["level", "by_3"]
    assert both["configs"][1]["data_type"] == int(CmdArgType.DevDouble)


def test_a_name_and_a_list_of_one_give_the_same_config(server):
    forms = json.loads(server.GetForms("level"))
    assert set(forms) == set(GETTERS)
    for form, (by_name, by_list) in forms.items():
        assert by_name == by_list, form
        assert by_name.startswith("[AttributeConfig"), form


def test_set_attribute_config_with_a_list_reaches_clients(server):
    done = set_config(server, "1", "by_list", {"min_value": "-7", "min_alarm": "-6", "max_alarm": "6",
                                               "max_value": "7", "unit": "V"})
    assert done["same_repr"] is True
    assert (done["after"]["min_value"], done["after"]["max_value"], done["after"]["unit"]) == ("-7", "7", "V")
    seen = server.get_attribute_config("by_list")
    assert (seen.min_value, seen.max_value, seen.alarms.min_alarm, seen.alarms.max_alarm, seen.unit) == (
        "-7", "7", "-6", "6", "V")
    with pytest.raises(DevFailed) as info:
        server.by_list = 8.0  # above the new max_value
    assert info.value.args[0].reason == "API_WAttrOutsideLimit"
    server.by_list = 6.5


def test_set_attribute_config_with_one_struct(server):
    done = set_config(server, "1", "by_one", {"label": "One", "max_value": "2"}, as_list=False)
    assert done["same_repr"] is True and done["after"]["label"] == "One"
    assert server.get_attribute_config("by_one").label == "One"
    with pytest.raises(DevFailed):
        server.by_one = 3.0


def test_set_attribute_config_3_sets_alarms_and_event_criteria(server):
    done = set_config(server, "3", "by_3", {"min_value": "-5", "att_alarm.min_alarm": "-4",
                                            "att_alarm.min_warning": "-3", "att_alarm.max_warning": "3",
                                            "att_alarm.max_alarm": "4", "max_value": "5",
                                            "event_prop.ch_event.abs_change": "0.5"})
    assert done["same_repr"] is True
    assert done["after"]["alarm"] == ["-4", "-3", "3", "4"] and done["after"]["abs_change"] == "0.5"
    seen = server.get_attribute_config("by_3")
    assert (seen.alarms.min_alarm, seen.alarms.min_warning, seen.alarms.max_warning, seen.alarms.max_alarm) == (
        "-4", "-3", "3", "4")
    assert seen.events.ch_event.abs_change == "0.5"


def test_set_attribute_config_5(server):
    done = set_config(server, "5", "by_5", {"unit": "A", "att_alarm.max_alarm": "9"}, as_list=False)
    assert done["same_repr"] is True and done["after"]["alarm"][3] == "9"
    seen = server.get_attribute_config("by_5")
    assert (seen.unit, seen.alarms.max_alarm) == ("A", "9")


def test_configuration_set_inside_a_read_and_a_write(server):
    assert server.set_in_read == 1  # and the device did not deadlock on its own monitors
    seen = server.get_attribute_config("set_in_read")
    assert (seen.alarms.min_alarm, seen.alarms.min_warning, seen.alarms.max_warning, seen.alarms.max_alarm) == (
        "-6", "-3", "3", "6")
    server.set_in_write = "kg"
    assert server.set_in_write == "kg"
    assert server.get_attribute_config("set_in_write").unit == "kg"


@pytest.mark.parametrize("form", ["3", "1", "5"])
def test_set_upd_properties_sets_the_attribute_config(server, form):
    assert server.SetUpd(json.dumps([form, f"u{form}", False])) == f"u{form}"
    assert server.get_attribute_config("by_upd").unit == f"u{form}"
    assert server.SetUpd(json.dumps([form, f"n{form}", True])) == f"n{form}"
    assert server.get_attribute_config("by_upd").unit == f"n{form}"


def test_set_attribute_config_sends_the_configuration_event(server):
    received = queue.Queue()
    sub = server.subscribe_event("evented", EventType.ATTR_CONF_EVENT, received.put)
    try:
        first = received.get(timeout=10)  # the current configuration, at subscription
        assert not first.err and first.attr_conf.name == "evented"
        events = []

        def units():
            while not received.empty():
                events.append(received.get())
            return [e.attr_conf.unit for e in events if not e.err]

        # the channel made live first: the first push after a subscription may be lost
        # (tests/_event_checks.py)
        assert_first_push_not_doubled(first_push_count(server.SetEventedUnit, units, "mm", "cm"))
        server.SetEventedUnit("Hz")
        assert wait_for(lambda: "Hz" in units())
        assert units()[-1] == "Hz"
        assert all(e.attr_conf.name == "evented" for e in events if not e.err)
    finally:
        server.unsubscribe_event(sub)


@pytest.mark.parametrize("form", ["1", "3", "5"])
def test_alarm_limits_set_by_the_device_make_its_state(server, form):
    assert server.state() == tango.DevState.ON
    server.SetMaxAlarm(json.dumps([form, "4"]))  # below the value: the device is in ALARM
    try:
        assert server.state() == tango.DevState.ALARM
        assert server.read_attribute("by_alarm").quality == tango.AttrQuality.ATTR_ALARM
    finally:
        server.SetMaxAlarm(json.dumps([form, NOT_SET]))
    assert server.state() == tango.DevState.ON
    assert server.get_attribute_config("by_alarm").alarms.max_alarm == NOT_SET


@pytest.mark.parametrize("what, expected", [
    ("wrong_item", "TypeError new_conf[1] is a int, not a AttributeConfig"),
    ("wrong_form", "TypeError new_conf[0] is a AttributeConfig_3, not a AttributeConfig"),
    ("not_a_list", "TypeError new_conf must be a list of AttributeConfig_3 (or one), not float"),
    ("get_unknown", "DevFailed API_AttrNotFound"),
    ("get_3_unknown", "DevFailed API_AttrNotFound"),
    ("set_unknown", "DevFailed API_AttrNotFound"),
    ("set_3_unknown", "DevFailed API_AttrNotFound"),
    ("bad_value", "DevFailed API_AttrOptProp"),
    ("names_type", "TypeError attr_names must be a list of str, not int"),
    ("upd_type", "TypeError attr_cfg must be an AttributeConfig, AttributeConfig_3 or AttributeConfig_5, "
                 "not MultiAttrProp"),
])
def test_bad_input_is_a_clear_error_and_the_server_serves_on(server, what, expected):
    assert server.Refused(what) == expected
    assert server.level == 0
    assert get(server, "1", "level")["configs"][0]["min_value"] == "-10"  # unchanged


def test_empty_lists_do_nothing(server):
    assert json.loads(server.Empty()) == [[], []]
