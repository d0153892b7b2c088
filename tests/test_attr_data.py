"""tango.AttrData: built from a classic attr_list entry (its checks and their messages) or from
attribute(...)'s keywords (from_dict), turned into the classic Attr objects (to_attr), and given
to Device.add_attribute by real servers in every server green mode, with its handlers found as
PyTango finds them; the classic attr_list tables go through the same checks."""

import functools

import pytest

import tango
from tango import (Attr, AttrData, AttrDataFormat, AttrWriteType, CmdArgType, DevFailed, DispLevel,
                   ImageAttr, SpectrumAttr, UserDefaultAttrProp)
from tango.server import command
from tango.server.classic_attributes import FwdAttr, UserDefaultFwdAttrProp
from tango.test_context import DeviceTestContext

from _green_server import GreenDeviceTestContext, GreenModeProbe, seen_green_mode

SCALAR, SPECTRUM, IMAGE = AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE
READ, WRITE, READ_WRITE = AttrWriteType.READ, AttrWriteType.WRITE, AttrWriteType.READ_WRITE


def _refused(attr_info):
    """The description of the DevFailed that AttrData("Gain", "Amplifier", attr_info) raises."""
    with pytest.raises(DevFailed) as info:
        AttrData("Gain", "Amplifier", attr_info)
    error = info.value.args[0]
    assert error.reason == "PyDs_WrongAttributeDefinition"
    return error.desc


# -- a fresh AttrData ------------------------------------------------------------------------------

def test_a_new_attr_data_has_the_fields_of_a_read_only_scalar():
    data = AttrData("Gain", "Amplifier")
    assert (data.attr_name, data.class_name) == ("Gain", "Amplifier")
    assert (data.attr_type, data.attr_format, data.attr_write) == (CmdArgType.DevVoid, SCALAR, READ)
    assert (data.dim_x, data.dim_y, data.display_level, data.polling_period) == (1, 0, DispLevel.OPERATOR, -1)
    assert (data.memorized, data.hw_memorized) == (False, False)
    assert (data.change_event_implemented, data.change_event_detect, data.archive_event_implemented,
            data.archive_event_detect, data.alarm_event_implemented, data.alarm_event_detect,
            data.data_ready_event_implemented) == (False, True, False, True, False, True, False)
    assert (data.read_method_name, data.write_method_name, data.is_allowed_name) == (
        "read_Gain", "write_Gain", "is_Gain_allowed")
    assert (data.attr_class, data.attr_args, data.att_prop, data.forward) == (None, None, None, False)
    assert (data.has_dtype_kword, data.has_size_kword) == (False, False)


def test_an_unnamed_attr_data_gets_its_method_names_with_its_name():
    data = AttrData(None, "Amplifier")
    assert (data.read_method_name, data.write_method_name, data.is_allowed_name) == (None, None, None)
    data._set_name("Offset")
    assert data.attr_name == "Offset"
    assert (data.read_method_name, data.write_method_name, data.is_allowed_name) == (
        "read_Offset", "write_Offset", "is_Offset_allowed")
    given = AttrData.from_dict({"fget": "measure"})
    given._set_name("Level")
    assert (given.read_method_name, given.write_method_name) == ("measure", "write_Level")


def test_set_name_renames_the_arguments_of_to_attr_when_given():
    data = AttrData("Gain", "Amplifier", [[CmdArgType.DevShort, SCALAR, READ]])
    data.attr_args = ["Gain", CmdArgType.DevShort, READ]
    data._set_name("Gain2")
    assert data.attr_args[0] == "Gain2"
    assert data.to_attr().get_name() == "Gain2"


# -- from a classic attr_list entry ---------------------------------------------------------------

def test_a_classic_entry_fills_the_fields():
    data = AttrData("Frame", "Camera", [
        [CmdArgType.DevUShort, IMAGE, READ_WRITE, 640, 480],
        {"Display level": DispLevel.EXPERT, "Polling period": "250", "Memorized": "True", "UNIT": "count",
         "doc": "the last frame", "delta_time": 7, "change_event_implemented": True},
    ])
    assert (data.attr_type, data.attr_format, data.attr_write, data.dim_x, data.dim_y) == (
        CmdArgType.DevUShort, IMAGE, READ_WRITE, 640, 480)
    assert (data.display_level, data.polling_period, data.memorized, data.hw_memorized) == (
        DispLevel.EXPERT, 250, True, True)
    assert data.change_event_implemented is True
    assert (data.has_dtype_kword, data.has_size_kword) == (True, True)
    assert (data.att_prop.unit, data.att_prop.description, data.att_prop.delta_t, data.att_prop.label) == (
        "count", "the last frame", "7", "")


@pytest.mark.parametrize("text, memorized, hw_memorized", [
    ("false", False, False), ("TRUE", True, True), ("True_Without_Hard_Applied", True, False)])
def test_the_memorized_values(text, memorized, hw_memorized):
    data = AttrData("Gain", "Amplifier", [[CmdArgType.DevLong, SCALAR, READ_WRITE], {"memorized": text}])
    assert (data.memorized, data.hw_memorized) == (memorized, hw_memorized)


def test_an_enum_entry_keeps_its_labels():
    data = AttrData("Mode", "Amplifier", [[CmdArgType.DevEnum, SCALAR, READ_WRITE],
                                          {"enum_labels": ["LOW", "MID", "HIGH"]}])
    assert data.enum_labels == ["LOW", "MID", "HIGH"]
    assert data.att_prop.enum_labels == "LOW,MID,HIGH"  # one text, as cppTango keeps them


@pytest.mark.parametrize("attr_info, words", [
    (42, "Wrong data type for value for describing attribute Gain in class Amplifier"),
    ("DevDouble", "Wrong data type for value for describing attribute"),
    ((), "Wrong number of argument for describing attribute Gain in class Amplifier"),
    ([[5, 0, 0], {}, {}], "Wrong number of argument for describing attribute"),
    ([[5, 0, 0], "unit"], "its second element must be a dict"),
    ([(5, 0)], "Wrong data type for describing mandatory information for attribute Gain"),
    ([[5, 2, 0, 8, 8, 8]], "Wrong data type for describing mandatory information"),
    ([5], "Wrong data type for describing mandatory information"),
    ([["DevDouble", 0, 0]], "Wrong data type in attribute argument for attribute Gain"),
    ([[5.0, 0, 0]], "must be a tango.CmdArgType"),
    ([[5, "SPECTRUM", 0, 4]], "Wrong data format in attribute argument for attribute Gain"),
    ([[5, AttrDataFormat.FMT_UNKNOWN, 0]], "Wrong data format in attribute argument"),
    ([[5, SCALAR, READ, 4]],
     "Sequence describing mandatory attribute parameters for scalar attribute must have 3 elements"),
    ([[5, SPECTRUM, READ]],
     "Sequence describing mandatory attribute parameters for spectrum attribute must have 4 elements"),
    ([[5, SPECTRUM, READ, 4, 4]], "for spectrum attribute must have 4 elements"),
    ([[5, SPECTRUM, READ, "many"]], "mandatory dim_x attribute parameter for spectrum attribute must be an integer"),
    ([[5, IMAGE, READ, 4]], "Sequence describing mandatory attribute parameters for image attribute must have 5 elements"),
    ([[5, IMAGE, READ, None, 4]], "mandatory dim_x attribute parameter for image attribute must be an integer"),
    ([[5, IMAGE, READ, 4, "rows"]], "mandatory dim_y attribute parameter for image attribute must be an integer"),
    ([[5, SCALAR, "READ"]], "Wrong data write type in attribute argument for attribute Gain"),
    ([[5, SCALAR, READ], {"Display Level": "EXPERT"}], "Wrong display level in attribute information for attribute Gain"),
    ([[5, SCALAR, READ], {"polling period": "often"}], "Wrong polling period in attribute information"),
    ([[5, SCALAR, READ_WRITE], {"Memorized": "yes"}], "Wrong memorized value for attribute Gain in class Amplifier"),
    ([[CmdArgType.DevEnum, SCALAR, READ]], "Missing 'enum_labels' key in attr_list definition for enum attribute Gain"),
    ([[5, SCALAR, READ], {"colour": "red"}], "Wrong definition of attribute Gain in class Amplifier"),
])
def test_a_wrong_classic_entry_says_what_is_wrong(attr_info, words):
    assert words in _refused(attr_info)


def test_the_format_decides_before_the_write_type():
    # a scalar with a fourth element is refused for its length, whatever its write type is
    assert "scalar attribute must have 3 elements" in _refused([[5, SCALAR, "not a write type", 1]])


def test_the_unknown_key_is_named_as_given():
    # a classic entry's keys are case insensitive (named in lower case), from_dict's are not
    assert "'colour'" in _refused([[5, SCALAR, READ], {"Colour": "red"}])
    with pytest.raises(DevFailed) as info:
        AttrData.from_dict({"name": "Gain", "Colour": "red"})
    assert "'Colour' is not recognized" in info.value.args[0].desc


# -- from attribute(...)'s keywords ------------------------------------------------------------

def test_from_dict_defaults_to_a_read_only_double():
    data = AttrData.from_dict({"name": "Gain", "class_name": "Amplifier"})
    assert (data.attr_name, data.class_name) == ("Gain", "Amplifier")
    assert (data.attr_type, data.attr_format, data.attr_write) == (CmdArgType.DevDouble, SCALAR, READ)
    assert (data.has_dtype_kword, data.has_size_kword, data.att_prop) == (False, False, None)


@pytest.mark.parametrize("handlers, access", [
    ({}, READ), ({"fget": "get_it"}, READ), ({"fread": "get_it"}, READ), ({"fset": "set_it"}, WRITE),
    ({"fwrite": "set_it"}, WRITE), ({"fread": "get_it", "fwrite": "set_it"}, READ_WRITE),
    ({"fget": "get_it", "fset": "set_it", "access": AttrWriteType.READ_WITH_WRITE}, AttrWriteType.READ_WITH_WRITE),
])
def test_from_dict_takes_the_access_from_the_handlers_named(handlers, access):
    assert AttrData.from_dict({"name": "Gain", **handlers}).attr_write == access


def test_from_dict_names_the_handlers_by_string_or_function():
    def measure(self):
        return 1.0

    class Owner:
        def allowed(self, req_type):
            return True

    data = AttrData.from_dict({"name": "Gain", "fget": measure, "fwrite": "store", "fisallowed": Owner().allowed})
    assert (data.read_method_name, data.write_method_name, data.is_allowed_name) == ("measure", "store", "allowed")
    assert AttrData.from_dict({"name": "Gain", "fget": "a", "fread": "b"}).read_method_name == "a"


def test_from_dict_reads_the_fields_and_the_default_properties():
    data = AttrData.from_dict({
        "name": "Levels", "dtype": CmdArgType.DevFloat, "dformat": SPECTRUM, "max_dim_x": 16,
        "access": READ_WRITE, "display_level": DispLevel.EXPERT, "polling_period": 500, "memorized": True,
        "hw_memorized": True, "archive_event_implemented": True, "archive_event_detect": False,
        "label": "Levels", "doc": "the levels", "delta_time": 1234, "abs_change": 0.5, "klass": SpectrumAttr,
    })
    assert (data.attr_type, data.attr_format, data.dim_x, data.dim_y, data.attr_write) == (
        CmdArgType.DevFloat, SPECTRUM, 16, 0, READ_WRITE)
    assert (data.has_dtype_kword, data.has_size_kword) == (True, True)
    assert (data.display_level, data.polling_period, data.memorized, data.hw_memorized) == (
        DispLevel.EXPERT, 500, True, True)
    assert (data.archive_event_implemented, data.archive_event_detect) == (True, False)
    assert data.attr_class is SpectrumAttr
    prop = data.att_prop
    assert (prop.label, prop.description, prop.delta_t, prop.abs_change) == ("Levels", "the levels", "1234", "0.5")


def test_from_dict_takes_the_dtype_forms_of_attribute():
    data = AttrData.from_dict({"name": "Trace", "dtype": (float,), "max_dim_x": 8})
    assert (data.attr_type, data.attr_format) == (CmdArgType.DevDouble, SPECTRUM)
    assert AttrData.from_dict({"name": "Count", "dtype": "int16"}).attr_type == CmdArgType.DevShort


def test_from_dict_refuses_an_unknown_keyword():
    with pytest.raises(DevFailed) as info:
        AttrData.from_dict({"name": "Gain", "memorized": True, "not a keyword": 1})
    error = info.value.args[0]
    assert error.reason == "PyDs_WrongAttributeDefinition"
    assert error.desc.startswith("Wrong definition of attribute Gain")
    assert "'not a keyword' is not recognized" in error.desc


def test_a_forwarded_attr_data_makes_a_fwd_attr():
    data = AttrData.from_dict({"name": "Remote", "class_name": "Amplifier", "forwarded": True, "label": "far"})
    assert (data.forward, data.attr_class, data.attr_args) == (True, FwdAttr, ["Remote"])
    assert isinstance(data.att_prop, UserDefaultFwdAttrProp)
    attr = data.to_attr()
    assert isinstance(attr, FwdAttr)
    assert [(p.get_name(), p.get_value()) for p in attr.get_user_default_properties()] == [("label", "far")]


def test_enum_labels_set_later_make_the_default_properties():
    data = AttrData.from_dict({"name": "Mode"})
    assert data.att_prop is None
    data.set_enum_labels_to_attr_prop(["A", "B"])
    assert data.att_prop.enum_labels == "A,B"
    data.set_enum_labels_to_attr_prop(["C"])
    assert data.att_prop.enum_labels == "C"


# -- to_attr: the classic attribute -------------------------------------------------------------

def test_to_attr_makes_the_class_of_the_format():
    scalar = AttrData("A", "C", [[CmdArgType.DevBoolean, SCALAR, READ]]).to_attr()
    spectrum = AttrData("B", "C", [[CmdArgType.DevLong, SPECTRUM, READ, 12]]).to_attr()
    image = AttrData("D", "C", [[CmdArgType.DevUChar, IMAGE, WRITE, 3, 2]]).to_attr()
    assert (type(scalar), type(spectrum), type(image)) == (Attr, SpectrumAttr, ImageAttr)
    assert isinstance(image, SpectrumAttr)
    assert (image.get_name(), image.get_type(), image.get_format(), image.get_writable()) == (
        "D", CmdArgType.DevUChar, IMAGE, WRITE)
    assert AttrData.DftAttrClassMap == {SCALAR: Attr, SPECTRUM: SpectrumAttr, IMAGE: ImageAttr}


def test_to_attr_applies_level_memorization_polling_and_properties():
    data = AttrData("Gain", "Amplifier", [[CmdArgType.DevDouble, SCALAR, READ_WRITE],
                                          {"memorized": "true_without_hard_applied", "display level": 1,
                                           "polling period": 300, "unit": "dB", "label": "Gain",
                                           "event_period": 1000, "archive_period": 60000}])
    attr = data.to_attr()
    assert (attr.get_memorized(), attr.get_memorized_init()) == (True, False)
    assert (attr.get_disp_level(), attr.get_polling_period()) == (DispLevel.EXPERT, 300)
    # cppTango's order; the event period of 1000 ms is its default: not listed
    assert [(p.get_name(), p.get_value()) for p in attr.get_user_default_properties()] == [
        ("label", "Gain"), ("unit", "dB"), ("archive_period", "60000")]
    assert AttrData("Gain", "Amplifier", [[5, SCALAR, READ]]).to_attr().get_polling_period() == 0


def test_to_attr_uses_the_class_and_arguments_given():
    class Tracked(Attr):
        made = []

        def __init__(self, *args):
            super().__init__(*args)
            Tracked.made.append(args)

    data = AttrData.from_dict({"name": "Gain", "klass": Tracked, "memorized": True, "fread": "r", "fwrite": "w",
                               "polling_period": 45})
    attr = data.to_attr()
    assert type(attr) is Tracked
    assert Tracked.made == [("Gain", CmdArgType.DevDouble, READ_WRITE)]
    data.attr_args = ["Other", CmdArgType.DevLong, READ_WRITE]
    attr = data.to_attr()
    assert (attr.get_name(), attr.get_type(), attr.get_memorized(), attr.get_polling_period()) == (
        "Other", CmdArgType.DevLong, True, 45)


def test_the_default_properties_are_copied_when_set():
    prop = UserDefaultAttrProp()
    prop.set_unit("V")
    attr = Attr("Volts", CmdArgType.DevDouble)
    attr.set_default_properties(prop)
    prop.set_unit("mV")
    prop.label = "changed later"
    assert [(p.get_name(), p.get_value()) for p in attr.get_user_default_properties()] == [("unit", "V")]


@pytest.mark.parametrize("make, words", [
    (lambda: Attr("A", CmdArgType.DevDouble, READ), "is not writable and therefore can not be memorized"),
    (lambda: Attr("A", CmdArgType.DevState, READ_WRITE), "can not be memorized"),
    (lambda: SpectrumAttr("A", CmdArgType.DevDouble, READ_WRITE, 4), "is not scalar and can not be memorized"),
])
def test_memorized_needs_a_writable_scalar(make, words):
    with pytest.raises(DevFailed) as info:
        make().set_memorized()
    assert info.value.args[0].reason == "API_AttrWrongDefined"
    assert words in info.value.args[0].desc


def test_a_spectrum_needs_a_positive_size():
    with pytest.raises(DevFailed) as info:
        SpectrumAttr("A", CmdArgType.DevDouble, READ, 0)
    assert "Maximum x dim. wrongly defined" in info.value.args[0].desc
    with pytest.raises(DevFailed) as info:
        ImageAttr("A", CmdArgType.DevDouble, READ, 2, -1)
    assert "Maximum y dim. wrongly defined" in info.value.args[0].desc


# -- Device.add_attribute(AttrData) in real servers, every server green mode --------------------

LONG_RW = [[CmdArgType.DevLong, SCALAR, READ_WRITE]]


def _device_class(mode):
    """A device whose dynamic attributes are AttrData of every form add_attribute takes; its
    handlers are coroutines in an Asyncio server, functions elsewhere."""
    asyncio = mode == tango.GreenMode.Asyncio

    def handler(fn):
        if not asyncio:
            return fn

        @functools.wraps(fn)
        async def coroutine(*args):
            return fn(*args)

        return coroutine

    class AttrDataDevice(GreenModeProbe):
        def initialize_dynamic_attributes(self):
            self.values = {}
            self.allowed = True
            class_name = self.get_device_class().get_name()
            # handlers given: bound methods, then functions of the class (called with the device)
            self.add_attribute(AttrData("bound", class_name, LONG_RW), self.get_bound, self.set_bound,
                               self.may_bound)
            self.add_attribute(AttrData("unbound", class_name, LONG_RW), AttrDataDevice.get_unbound,
                               AttrDataDevice.set_unbound, AttrDataDevice.may_unbound)
            # no handlers given: read_<name>, write_<name>, is_<name>_allowed
            self.add_attribute(AttrData("conventional", class_name, LONG_RW))
            # from_dict: handlers named by strings, is_allowed by a bound method's name; the
            # access from the handlers named, the type DevDouble
            self.add_attribute(AttrData.from_dict({
                "name": "from_dict", "class_name": class_name, "fread": "fetch_from_dict",
                "fwrite": "store_from_dict", "fisallowed": self.check_from_dict}))
            # no dtype given: typed by the read handler's hint
            self.add_attribute(AttrData.from_dict({"name": "hinted", "fget": "read_hinted"}))
            self.add_attribute(AttrData.from_dict({"name": "trace"}))  # read_trace's hint: 3 floats
            # a classic entry with its default properties and an enum
            self.add_attribute(AttrData("levels", class_name, [
                [CmdArgType.DevFloat, SPECTRUM, READ, 4],
                {"unit": "V", "Display level": DispLevel.EXPERT, "doc": "the levels", "label": "Levels"}]))
            self.add_attribute(AttrData("mode", class_name, [
                [CmdArgType.DevEnum, SCALAR, READ_WRITE], {"enum_labels": ["OFF", "STANDBY", "ON"]}]))
            self.add_attribute(AttrData("where", class_name, [[CmdArgType.DevString, SCALAR, READ]]))

        @command(dtype_in=bool)
        def SetAllowed(self, yes):
            self.allowed = yes

        # value handlers: (self, attr) that return the value, or set it on attr
        def _load(self, name, attr):
            attr.set_value(self.values.get(name, 0))

        def _store(self, name, attr):
            self.values[name] = attr.get_write_value()

        get_bound = handler(lambda self, attr: self.values.get("bound", 0))
        set_bound = handler(lambda self, attr: self._store("bound", attr))
        may_bound = handler(lambda self, req_type: self.allowed)
        get_unbound = handler(lambda self, attr: self._load("unbound", attr))
        set_unbound = handler(lambda self, attr: self._store("unbound", attr))
        may_unbound = handler(lambda self, req_type: self.allowed)
        read_conventional = handler(lambda self, attr: self.values.get("conventional", 0))
        write_conventional = handler(lambda self, attr: self._store("conventional", attr))
        is_conventional_allowed = handler(lambda self, req_type: self.allowed)
        fetch_from_dict = handler(lambda self, attr: self.values.get("from_dict", 0.0))
        store_from_dict = handler(lambda self, attr: self._store("from_dict", attr))

        @handler
        def check_from_dict(self, req_type):  # given bound: add_attribute looks its name up
            return self.allowed

        read_levels = handler(lambda self, attr: [0.5, 1.5])
        read_mode = handler(lambda self, attr: self.values.get("mode", 0))
        write_mode = handler(lambda self, attr: self._store("mode", attr))
        read_where = handler(lambda self, attr: seen_green_mode())

        def _hinted(self, attr) -> int:
            return 2**40

        read_hinted = handler(_hinted)

        def _trace(self, attr) -> tuple[float, float, float]:
            return (0.25, 0.5, 0.75)

        read_trace = handler(_trace)

    return AttrDataDevice


GUARDED = ("bound", "unbound", "conventional", "from_dict")


@pytest.fixture(scope="module")
def served(server_mode):
    with GreenDeviceTestContext(_device_class(server_mode), server_mode, debug=0) as proxy:
        yield proxy, server_mode


@pytest.fixture
def proxy(served):
    proxy, _ = served
    proxy.SetAllowed(True)
    return proxy


def test_the_attributes_have_the_types_of_their_attr_data(proxy):
    configs = {name: proxy.get_attribute_config(name) for name in (*GUARDED, "hinted")}
    assert {name: (c.data_type, c.data_format, c.writable) for name, c in configs.items()} == {
        "bound": (CmdArgType.DevLong, SCALAR, READ_WRITE), "unbound": (CmdArgType.DevLong, SCALAR, READ_WRITE),
        "conventional": (CmdArgType.DevLong, SCALAR, READ_WRITE),
        "from_dict": (CmdArgType.DevDouble, SCALAR, READ_WRITE),
        "hinted": (CmdArgType.DevLong64, SCALAR, READ),
    }
    levels = proxy.get_attribute_config("levels")
    assert (levels.data_type, levels.data_format, levels.max_dim_x, levels.unit, levels.label,
            levels.description, levels.disp_level) == (
        CmdArgType.DevFloat, SPECTRUM, 4, "V", "Levels", "the levels", DispLevel.EXPERT)
    assert list(proxy.get_attribute_config("mode").enum_labels) == ["OFF", "STANDBY", "ON"]
    trace = proxy.get_attribute_config("trace")
    assert (trace.data_type, trace.data_format, trace.max_dim_x, trace.writable) == (
        CmdArgType.DevDouble, SPECTRUM, 3, READ)


@pytest.mark.parametrize("name", GUARDED)
def test_each_form_reads_and_writes_through_its_handlers(proxy, name):
    proxy.write_attribute(name, 17)
    assert proxy.read_attribute(name).value == 17
    proxy.write_attribute(name, -3)
    assert proxy.read_attribute(name).value == -3


@pytest.mark.parametrize("name", GUARDED)
def test_each_form_asks_its_is_allowed_handler(proxy, name):
    proxy.SetAllowed(False)
    with pytest.raises(DevFailed) as info:
        proxy.read_attribute(name)
    assert info.value.args[0].reason == "API_AttrNotAllowed"
    with pytest.raises(DevFailed) as info:
        proxy.write_attribute(name, 1)
    assert info.value.args[0].reason == "API_AttrNotAllowed"
    proxy.SetAllowed(True)
    proxy.write_attribute(name, 5)
    assert proxy.read_attribute(name).value == 5


def test_the_other_attributes_read(proxy):
    assert proxy.read_attribute("hinted").value == 2**40
    assert proxy.read_attribute("trace").value.tolist() == [0.25, 0.5, 0.75]
    assert proxy.read_attribute("levels").value.tolist() == [0.5, 1.5]
    proxy.write_attribute("mode", 2)
    assert proxy.read_attribute("mode").value == 2


def test_the_handlers_run_in_the_server_green_mode(served):
    proxy, mode = served
    assert proxy.read_attribute("where").value == mode.name


# -- the classic API: AttrData in attr_list and in init_device -----------------------------------

class AmplifierClass(tango.DeviceClass):
    attr_list = {
        "Gain": [[CmdArgType.DevDouble, SCALAR, READ_WRITE], {"unit": "dB", "memorized": "false"}],
        # an entry given as an AttrData, with the handler names it gives
        "Offset": AttrData.from_dict({"name": "Offset", "dtype": CmdArgType.DevLong, "access": READ_WRITE,
                                      "fget": "offset_now", "fset": "offset_to", "label": "Offset"}),
    }


class Amplifier(tango.LatestDeviceImpl):
    def __init__(self, cl, name):
        tango.LatestDeviceImpl.__init__(self, cl, name)
        Amplifier.init_device(self)

    def init_device(self):
        self.gain, self.offset, self.bias = 1.5, 3, 0.25
        # as Sardana adds its attributes: functions of the class as handlers
        data = AttrData("Bias", self.get_device_class().get_name(), [[CmdArgType.DevDouble, SCALAR, READ_WRITE]])
        self.add_attribute(data, Amplifier.bias_now, Amplifier.bias_to)

    def read_Gain(self, attr):
        attr.set_value(self.gain)

    def write_Gain(self, attr):
        self.gain = attr.get_write_value()

    def offset_now(self, attr):
        attr.set_value(self.offset)

    def offset_to(self, attr):
        self.offset = attr.get_write_value()

    def bias_now(self, attr):
        attr.set_value(self.bias)

    def bias_to(self, attr):
        self.bias = attr.get_write_value()


def test_a_classic_device_takes_attr_data_in_its_table_and_its_init_device():
    with DeviceTestContext(Amplifier, AmplifierClass) as proxy:
        assert proxy.get_attribute_config("Gain").unit == "dB"
        offset = proxy.get_attribute_config("Offset")
        assert (offset.data_type, offset.writable, offset.label) == (CmdArgType.DevLong, READ_WRITE, "Offset")
        for name, value in (("Gain", 4.0), ("Offset", -8), ("Bias", 0.75)):
            proxy.write_attribute(name, value)
            assert proxy.read_attribute(name).value == value


def _classic_pair(attr_list, methods):
    klass = type("AmpClass", (tango.DeviceClass,), {"attr_list": attr_list})
    impl = type("Amp", (tango.LatestDeviceImpl,), dict(methods))
    return klass, impl


@pytest.mark.parametrize("attr_list, words", [
    ({"Gain": [[CmdArgType.DevDouble, SPECTRUM, READ]]},
     r"Amp.attr_list\['Gain'\]: .*for spectrum attribute must have 4 elements"),
    ({"Gain": [[CmdArgType.DevDouble, SCALAR, READ], {"memorized": "true"}]},
     r"Amp.attr_list\['Gain'\]: Attribute : Gain is not writable and therefore can not be memorized"),
    ({"Gain": [[CmdArgType.DevEnum, SCALAR, READ]]}, "Missing 'enum_labels' key in attr_list definition"),
    ({"Gain": [[CmdArgType.DevDouble, SCALAR, READ], {"Unit": "dB", "Speed": 3}]},
     "Wrong definition of attribute Gain in class Amp: the object extra information 'speed' is not recognized"),
])
def test_a_wrong_classic_table_is_refused_at_registration(attr_list, words):
    klass, impl = _classic_pair(attr_list, {"read_Gain": lambda self, attr: None})
    with pytest.raises(TypeError, match=words) as info:
        DeviceTestContext(impl, klass)
    assert isinstance(info.value.__cause__, DevFailed)


def test_get_class_attr_reads_the_table_through_attr_data():
    attrs = AmplifierClass("Amplifier").get_class_attr()
    gain = attrs.get_attr("gain")
    assert (type(gain), gain.get_type(), gain.get_writable(), gain.get_memorized()) == (
        Attr, CmdArgType.DevDouble, READ_WRITE, False)
    assert [(p.get_name(), p.get_value()) for p in gain.get_user_default_properties()] == [("unit", "dB")]
    assert attrs.get_attr("Offset").get_type() == CmdArgType.DevLong
