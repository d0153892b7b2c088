"""A device's own attributes (Device.get_device_attr(), tango.Attribute, tango.WAttribute,
tango.MultiAttrProp), in every server green mode: what the device reads and sets through them
reaches real clients, and an Attribute object kept after its attribute or device is gone raises
a DevFailed instead of touching freed memory."""

import json

import numpy as np
import pytest

import tango
from tango import AttrQuality, AttrWriteType, DevFailed, EventType, MultiAttrProp
from tango.server import attribute, command

from _event_checks import assert_first_push_not_doubled, first_push_count
from _green_server import GreenDeviceTestContext, GreenModeProbe
from conftest import wait_for


class AttrObjects(GreenModeProbe):
    KEPT = []  # Attribute objects kept across a DevRestart (class level: the device is replaced)

    def init_device(self):
        super().init_device()
        self._limited = 0
        self._plain_set = None

    @attribute(dtype=int, access=AttrWriteType.READ_WRITE, min_value=-21, min_alarm=-11,
               min_warning=-1, max_warning=1, max_alarm=11, max_value=21)
    def limited(self):
        return self._limited

    @limited.write
    def limited(self, value):
        self._limited = value

    @attribute(dtype=float, unit="mm")
    def plain(self):
        return 1.5

    @attribute(dtype=str)
    def text(self):
        return "t"

    @attribute(dtype=(float,), max_dim_x=4, access=AttrWriteType.READ_WRITE)
    def spectrum(self):
        return [1.0, 2.0]

    @spectrum.write
    def spectrum(self, value):
        pass

    @attribute(dtype=float)
    def stamped(self, attr):
        # a read with the attribute object: value, time and quality set on it
        attr.set_value_date_quality(4.5, 1234.5, AttrQuality.ATTR_WARNING)

    @attribute(dtype=float)
    def set_none(self, attr):
        attr.set_value(None)

    @attribute(dtype=float)
    def pushed(self):
        return 0.0

    @command(dtype_out=str)
    def Describe(self):
        multi = self.get_device_attr()
        limited = multi.get_attr_by_name("LIMITED")  # names are caseless, as in cppTango
        plain = multi.get_attr_by_name("plain")
        everything = multi.get_attribute_list()
        return json.dumps({
            "types": [type(limited).__name__, type(plain).__name__],
            "reprs": [repr(limited), str(plain)],
            "same_object": multi.get_attr_by_name("limited") is limited,
            "by_index": multi.get_attr_by_ind(multi.get_attr_ind_by_name("plain")).get_name(),
            "count": multi.get_attr_nb(),
            "list_is_tuple": isinstance(everything, tuple),
            "names": [a.get_name() for a in everything],
            "list_types": sorted({type(a).__name__ for a in everything}),
            "plain": [str(plain.get_data_type()), str(plain.get_data_format()), str(plain.get_writable()),
                      plain.get_label(), plain.get_max_dim_x(), plain.get_max_dim_y()],
            "spectrum": [multi.get_attr_by_name("spectrum").get_max_dim_x()],
        })

    @command(dtype_out=str)
    def Limits(self):
        multi = self.get_device_attr()
        attr = multi.get_attr_by_name("limited")
        before = [attr.get_min_alarm(), attr.get_max_alarm(), attr.get_min_warning(), attr.get_max_warning()]
        attr.set_min_alarm(-12)
        attr.set_max_alarm("12")  # cppTango's string form too
        attr.set_min_warning(-2)
        attr.set_max_warning(2)
        after = [attr.get_min_alarm(), attr.get_max_alarm(), attr.get_min_warning(), attr.get_max_warning()]
        w = multi.get_w_attr_by_name("limited")
        values = [w.get_min_value(), w.get_max_value(), w.is_min_value(), w.is_max_value()]
        w.set_min_value(-22)
        w.set_max_value(22)
        values += [w.get_min_value(), w.get_max_value()]
        return json.dumps({"before": before, "after": after, "values": values})

    @command(dtype_in=str, dtype_out=str)
    def Refused(self, what):
        multi = self.get_device_attr()
        try:
            if what == "w_attr_of_read_only":
                multi.get_w_attr_by_name("plain")
            elif what == "unknown":
                multi.get_attr_by_name("no_such_attribute")
            elif what == "index":
                multi.get_attr_by_ind(10_000)
            elif what == "limit_of_string":
                multi.get_attr_by_name("text").get_min_alarm()
            elif what == "limit_not_set":
                multi.get_attr_by_name("plain").get_max_alarm()
            elif what == "properties_type":
                multi.get_attr_by_name("plain").get_properties([])
            elif what == "set_properties_type":
                multi.get_attr_by_name("plain").set_properties({"unit": "m"})
            elif what == "limit_type":
                multi.get_attr_by_name("limited").set_min_alarm([1])
        except DevFailed as exc:
            return f"DevFailed {exc.args[0].reason}"
        except (TypeError, IndexError) as exc:
            return f"{type(exc).__name__} {exc}"
        return "accepted"

    @command(dtype_in=str)
    def SetUnit(self, unit):
        attr = self.get_device_attr().get_attr_by_name("plain")
        props = attr.get_properties()
        props.unit = unit
        attr.set_properties(props)

    @command(dtype_out=str)
    def Properties(self):
        props = MultiAttrProp()
        returned = self.get_device_attr().get_attr_by_name("spectrum").get_properties(props)
        return json.dumps({"same": returned is props, "label": props.label, "unit": props.unit,
                           "min_alarm": props.min_alarm, "max_value": props.max_value})

    @command(dtype_in=float)
    def FireChange(self, value):
        attr = self.get_device_attr().get_attr_by_name("pushed")
        attr.set_value(value)
        attr.fire_change_event()

    @command
    def FireError(self):
        attr = self.get_device_attr().get_attr_by_name("pushed")
        attr.fire_change_event(DevFailed(tango.DevError(reason="Fired", desc="an error event")))

    @command
    def ImplementChange(self):
        attr = self.get_device_attr().get_attr_by_name("pushed")
        attr.set_change_event(True, False)

    @command(dtype_out=str)
    def Subscribed(self):
        attr = self.get_device_attr().get_attr_by_name("pushed")
        return json.dumps([attr.is_change_event(), attr.is_check_change_criteria(),
                           attr.is_event_subscribed(EventType.CHANGE_EVENT), attr.change_event_subscribed()])

    @command(dtype_in=(float,))
    def SetWritten(self, values):
        self.get_device_attr().get_w_attr_by_name("spectrum").set_write_value(values)

    @command
    def AddDynamic(self):
        self.add_attribute(attribute(name="dynamic", dtype=int, access=AttrWriteType.READ_WRITE),
                           r_meth=self.read_dynamic, w_meth=self.write_dynamic)

    def read_dynamic(self, attr):
        attr.set_value(getattr(self, "_dynamic", 0))

    def write_dynamic(self, attr):
        self._dynamic = attr.get_write_value() * 10

    @command
    def RemoveDynamic(self):
        self.remove_attribute("dynamic")

    @command
    def Keep(self):
        AttrObjects.KEPT[:] = [self.get_device_attr().get_attr_by_name(name) for name in ("plain", "dynamic")]

    @command(dtype_out=str)
    def UseKept(self):
        out = []
        for attr in AttrObjects.KEPT:
            try:
                out.append(attr.get_name())
            except DevFailed as exc:
                out.append(exc.args[0].reason)
        return json.dumps(out)


@pytest.fixture(scope="module")
def server(server_mode):
    with GreenDeviceTestContext(AttrObjects, server_mode, debug=0) as proxy:
        yield proxy, server_mode


@pytest.fixture
def dev(server):
    proxy, _ = server
    return proxy


def test_multi_attribute_lists_and_finds_the_device_attributes(dev):
    described = json.loads(dev.Describe())
    assert described["types"] == ["WAttribute", "Attribute"]
    assert described["reprs"] == ["WAttribute(limited)", "Attribute(plain)"]
    assert described["same_object"] is True
    assert described["by_index"] == "plain"
    names = described["names"]
    assert described["count"] == len(names)
    assert described["list_is_tuple"] is True
    assert names[-2:] == ["State", "Status"]
    assert {"limited", "plain", "text", "spectrum", "stamped", "green_mode_seen"} <= set(names)
    assert described["list_types"] == ["Attribute", "WAttribute"]
    assert described["plain"] == ["DevDouble", "SCALAR", "READ", "plain", 1, 0]
    assert described["spectrum"] == [4]


def test_alarm_warning_and_value_limits_read_and_set_typed(dev):
    limits = json.loads(dev.Limits())
    assert limits["before"] == [-11, 11, -1, 1]
    assert limits["after"] == [-12, 12, -2, 2]
    assert limits["values"] == [-21, 21, True, True, -22, 22]
    conf = dev.get_attribute_config("limited")
    assert (conf.alarms.min_alarm, conf.alarms.max_alarm, conf.min_value, conf.max_value) == ("-12", "12", "-22", "22")
    with pytest.raises(DevFailed) as info:
        dev.limited = 30  # above the new max_value
    assert info.value.args[0].reason == "API_WAttrOutsideLimit"


@pytest.mark.parametrize("what, expected", [
    ("w_attr_of_read_only", "DevFailed API_AttrNotWritable"),
    ("unknown", "DevFailed API_AttrNotFound"),
    ("index", "IndexError attribute index out of range"),
    ("limit_of_string", "DevFailed API_AttrNotAllowed"),
    ("limit_not_set", "DevFailed API_AttrNotAllowed"),
    ("properties_type", "TypeError attr_cfg must be an instance of MultiAttrProp"),
    ("set_properties_type", "TypeError attr_cfg must be an instance of MultiAttrProp"),
])
def test_bad_requests_to_the_attribute_objects_are_clear_errors(dev, what, expected):
    assert dev.Refused(what) == expected
    assert dev.plain == 1.5  # and the device serves on


def test_a_limit_of_the_wrong_type_is_a_type_error(dev):
    assert dev.Refused("limit_type").startswith("TypeError ")


def test_properties_set_by_the_device_reach_clients(dev):
    props = json.loads(dev.Properties())
    assert props == {"same": True, "label": "spectrum", "unit": "", "min_alarm": "Not specified",
                     "max_value": "Not specified"}
    dev.SetUnit("kgm^2/s")
    assert dev.attribute_query("plain").unit == "kgm^2/s"
    dev.SetUnit("mm")
    assert dev.attribute_query("plain").unit == "mm"


def test_value_time_and_quality_set_on_the_attribute_in_a_read(dev):
    reply = dev.read_attribute("stamped")
    assert reply.value == 4.5
    assert reply.quality == AttrQuality.ATTR_WARNING
    assert reply.time.totime() == 1234.5


def test_set_value_none_is_refused(dev):
    with pytest.raises(DevFailed) as info:
        dev.read_attribute("set_none")
    assert "set_value method cannot be called with None" in info.value.args[0].desc
    assert dev.plain == 1.5


def test_set_value_and_fire_change_event_outside_a_read_reach_subscribers(dev):
    dev.ImplementChange()
    received = []
    sub = dev.subscribe_event("pushed", EventType.CHANGE_EVENT, received.append)
    try:
        assert wait_for(lambda: len(received) >= 1)
        assert json.loads(dev.Subscribed()) == [True, False, True, True]
        # the first push after a subscription may be lost (cppTango#524, tests/_event_checks.py):
        # its sentinel, pushed the same way, must arrive, once
        values = lambda: [e.attr_value.value for e in list(received) if not e.err]  # noqa: E731
        assert_first_push_not_doubled(first_push_count(dev.FireChange, values, 7.25, 7.5))
        dev.FireError()
        assert wait_for(lambda: any(e.err and e.errors[0].reason == "Fired" for e in received))
    finally:
        dev.unsubscribe_event(sub)


def test_set_write_value_sets_the_written_value_clients_read(dev):
    dev.SetWritten(np.array([3.0, 4.0, 5.0]))
    assert list(dev.read_attribute("spectrum").w_value) == [3.0, 4.0, 5.0]


def test_attribute_objects_of_removed_attributes_and_of_deleted_devices_raise(server):
    dev, mode = server
    dev.AddDynamic()
    dev.dynamic = 4
    assert dev.dynamic == 40  # write(self, attr) and read(self, attr) of a dynamic attribute
    dev.Keep()
    assert json.loads(dev.UseKept()) == ["plain", "dynamic"]
    dev.RemoveDynamic()
    assert json.loads(dev.UseKept()) == ["plain", "API_AttrNotFound"]
    dev.AddDynamic()  # made again: the kept object finds it by name
    assert json.loads(dev.UseKept()) == ["plain", "dynamic"]
    dev.RemoveDynamic()
    admin = tango.DeviceProxy(dev.adm_name())
    admin.DevRestart(dev.dev_name())

    def restarted():
        try:
            return json.loads(dev.UseKept())
        except DevFailed:  # not yet back
            return None

    assert wait_for(lambda: restarted() is not None)
    # the objects kept from the deleted device refuse every call
    assert json.loads(dev.UseKept()) == ["PyDs_DeviceDeleted", "PyDs_DeviceDeleted"]
    assert dev.plain == 1.5


def test_multi_attr_prop_is_a_record_of_strings():
    props = MultiAttrProp(label="L", unit="mm")
    assert (props.label, props.unit, props.description) == ("L", "mm", "")
    props.min_value = 3
    assert props.min_value == "3"
    assert props == MultiAttrProp(label="L", unit="mm", min_value="3")
    assert props != MultiAttrProp()
    assert repr(MultiAttrProp()).startswith("MultiAttrProp(label='', description='', unit=''")
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        MultiAttrProp(colour="red")
    with pytest.raises(AttributeError):
        props.colour = "red"
