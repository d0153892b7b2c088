"""tango.utils' container conversions (seq_2_*, *_2_seq, DbData_2_dict, parameter_2_dbdata),
the names PyTango's tango.utils re-exports, get_attribute_type_format, eval_in_fallback_frames,
get_tango_device_classes, PyTangoHelpFormatter, set_complex_value (on a real server) and the
deprecated telemetry factory names."""

import argparse
import enum
import warnings

import pytest

import tango
import tango.utils as utils
from tango import (AttrDataFormat, AttrQuality, CmdArgType, DbData, DbDatum, DbDevExportInfo,
                   DbDevExportInfos, DbDevInfo, DbDevInfos, DevState, StdDoubleVector, StdStringVector)
from tango.server import Device, attribute
from tango.test_context import DeviceTestContext


def test_reexported_names_are_tangos_own():
    for name in ("Database", "DbData", "DbDatum", "DbDevExportInfos", "DbDevInfos", "DeviceData",
                 "DeviceDataList", "EnsureOmniThread", "EventReason", "StdDoubleVector",
                 "StdStringVector"):
        assert getattr(utils, name) is getattr(tango, name), name
    assert utils.StatusNotSet == tango.constants.StatusNotSet
    # the loop variables PyTango's module leaves behind are not reproduced
    assert not hasattr(utils, "k") and not hasattr(utils, "v")


# -- strings and doubles ------------------------------------------------------------------------


def test_seq_2_std_string_vector_makes_fills_and_passes_through():
    vec = utils.seq_2_StdStringVector(["a", 1, 2.5])
    assert isinstance(vec, StdStringVector)
    assert list(vec) == ["a", "1", "2.5"]
    same = StdStringVector()
    assert utils.seq_2_StdStringVector(same) is same
    assert utils.seq_2_StdStringVector(["x"], same) is same
    assert list(utils.seq_2_StdStringVector(["y"], same)) == ["x", "y"]
    with pytest.raises(TypeError, match="vec must be a tango.StdStringVector"):
        utils.seq_2_StdStringVector(["a"], [])


def test_std_string_vector_2_seq():
    vec = utils.seq_2_StdStringVector(["p", "q"])
    assert utils.StdStringVector_2_seq(vec) == ["p", "q"]
    seq = ["first"]
    assert utils.StdStringVector_2_seq(vec, seq) is seq
    assert seq == ["first", "p", "q"]
    with pytest.raises(TypeError, match="vec must be a tango.StdStringVector"):
        utils.StdStringVector_2_seq(["p"])


def test_double_vector_both_ways():
    vec = utils.seq_2_StdDoubleVector([1, 2.5, "3"])
    assert isinstance(vec, StdDoubleVector)
    assert list(vec) == [1.0, 2.5, 3.0]
    assert utils.seq_2_StdDoubleVector(vec) is vec
    assert utils.StdDoubleVector_2_seq(vec) == [1.0, 2.5, 3.0]
    assert all(type(x) is float for x in utils.StdDoubleVector_2_seq(vec))
    with pytest.raises(ValueError):
        utils.seq_2_StdDoubleVector(["not a number"])
    with pytest.raises(TypeError, match="vec must be a tango.StdDoubleVector"):
        utils.StdDoubleVector_2_seq([1.0])
    with pytest.raises(TypeError, match="vec must be a tango.StdDoubleVector"):
        utils.seq_2_StdDoubleVector([1.0], StdStringVector())


# -- database records ---------------------------------------------------------------------------


def test_seq_2_db_dev_infos_and_export_infos():
    info = DbDevInfo()
    info.name, info._class, info.server = "a/b/c", "Klass", "Srv/1"
    infos = utils.seq_2_DbDevInfos([info])
    assert isinstance(infos, DbDevInfos) and len(infos) == 1
    assert (infos[0].name, infos[0]._class, infos[0].server) == ("a/b/c", "Klass", "Srv/1")
    assert utils.seq_2_DbDevInfos(infos) is infos
    export = DbDevExportInfo()
    export.name, export.pid = "a/b/c", 42
    exports = utils.seq_2_DbDevExportInfos([export])
    assert isinstance(exports, DbDevExportInfos)
    assert (exports[0].name, exports[0].pid) == ("a/b/c", 42)
    with pytest.raises(TypeError, match="vec must be a tango.DbDevExportInfos"):
        utils.seq_2_DbDevExportInfos([export], DbDevInfos())


def test_seq_2_db_data_takes_datums_and_names():
    datum = DbDatum("kept", ["1"])
    data = utils.seq_2_DbData([datum, "named", b"latin\xe9"])
    assert isinstance(data, DbData)
    assert [d.name for d in data] == ["kept", "named", "latin\u00e9"]
    assert data[0] is datum and list(data[1].value_string) == []
    assert utils.seq_2_DbData(data) is data
    with pytest.raises(TypeError, match="DbDatum"):
        utils.seq_2_DbData([3])


def test_db_data_2_dict():
    data = DbData([DbDatum("a", ["1", "2"]), DbDatum("b", [])])
    assert utils.DbData_2_dict(data) == {"a": ["1", "2"], "b": []}
    into = {"old": ["x"]}
    assert utils.DbData_2_dict(data, into) is into
    assert into == {"old": ["x"], "a": ["1", "2"], "b": []}
    with pytest.raises(TypeError, match="db_data must be a tango.DbData"):
        utils.DbData_2_dict([DbDatum("a")])


def _as_pairs(data):
    return [(d.name, list(d.value_string)) for d in data]


def test_parameter_2_dbdata_forms():
    data = DbData()
    assert utils.parameter_2_dbdata(data, "p") is data
    datum = DbDatum("one", ["v"])
    assert _as_pairs(utils.parameter_2_dbdata(datum, "p")) == [("one", ["v"])]
    assert _as_pairs(utils.parameter_2_dbdata("name", "p")) == [("name", [])]
    assert _as_pairs(utils.parameter_2_dbdata(["x", datum], "p")) == [("x", []), ("one", ["v"])]
    flat = utils.parameter_2_dbdata({"speed": 1.5, "names": ["a", "b"], "text": "t", "d": datum}, "p")
    assert _as_pairs(flat) == [("speed", ["1.5"]), ("names", ["a", "b"]), ("text", ["t"]), ("one", ["v"])]
    nested = utils.parameter_2_dbdata({"attr1": {"min": 0, "max": [1, 2]}, "attr2": {}}, "p")
    assert _as_pairs(nested) == [("attr1", ["2"]), ("min", ["0"]), ("max", ["1", "2"]), ("attr2", ["0"])]
    assert _as_pairs(utils.parameter_2_dbdata({}, "p")) == []


def test_parameter_2_dbdata_refuses_other_types_naming_the_parameter():
    with pytest.raises(TypeError, match="^propname must be a str"):
        utils.parameter_2_dbdata(12, "propname")
    with pytest.raises(TypeError, match="^value: 'attr2' maps to int"):
        utils.parameter_2_dbdata({"attr1": {"a": 1}, "attr2": 3}, "value")


def test_get_property_from_db_refuses_what_is_no_device_proxy():
    with pytest.raises(TypeError, match="DeviceProxy"):
        utils.get_property_from_db(object(), "name", None)
    with pytest.raises(TypeError, match="user_dbdata"):
        utils.get_property_from_db(object(), "name", [])


# -- types --------------------------------------------------------------------------------------


class Colour(enum.IntEnum):
    RED = 0
    GREEN = 1


def test_get_attribute_type_format_plain_devstate_and_enum():
    assert utils.get_attribute_type_format(float, None, None) == (CmdArgType.DevDouble, AttrDataFormat.SCALAR, None)
    assert utils.get_attribute_type_format((int,), None, ["x"]) == (
        CmdArgType.DevLong64, AttrDataFormat.SPECTRUM, ["x"])
    assert utils.get_attribute_type_format(DevState, None, None) == (
        CmdArgType.DevState, AttrDataFormat.SCALAR, None)
    assert utils.get_attribute_type_format(((DevState,),), None, None) == (
        CmdArgType.DevState, AttrDataFormat.IMAGE, None)
    assert utils.get_attribute_type_format((Colour,), None, None) == (
        CmdArgType.DevEnum, AttrDataFormat.SPECTRUM, ["RED", "GREEN"])
    assert utils.get_attribute_type_format(CmdArgType.DevFloat, AttrDataFormat.IMAGE, None) == (
        CmdArgType.DevFloat, AttrDataFormat.IMAGE, None)


def test_get_attribute_type_format_errors():
    with pytest.raises(TypeError, match="enum_labels"):
        utils.get_attribute_type_format(Colour, None, ["A", "B"])
    with pytest.raises(TypeError, match="Spectrum attribute type must be specified"):
        utils.get_attribute_type_format((), None, None)
    with pytest.raises(RuntimeError, match="Cannot translate"):
        utils.get_attribute_type_format(object, None, None)


def test_eval_in_fallback_frames_walks_up_the_callers():
    def inner(depth):
        return utils.eval_in_fallback_frames("local_name", depth)

    def outer(depth):
        local_name = "outer's"  # seen by depth 1 from inner, not by inner's own frame (depth 0)
        found = inner(depth)
        return found if local_name else None

    assert outer(1) == "outer's"
    with pytest.raises(NameError):
        outer(0)
    with pytest.raises(IndexError):
        outer(10_000)
    with pytest.raises(TypeError):
        utils.eval_in_fallback_frames(3, 0)
    with pytest.raises(ValueError):
        utils.eval_in_fallback_frames("1", -1)


def test_get_tango_device_classes_oldest_first_latest_last():
    classes = utils.get_tango_device_classes()
    from tango.server import classic

    assert classes[0] is classic.DeviceImpl
    assert classes[-1] is utils.get_latest_device_class()
    assert len(classes) == 6  # DeviceImpl, Device_2Impl ... Device_6Impl


def test_help_formatter_without_database_gives_the_plain_usage(monkeypatch):
    monkeypatch.delenv("TANGO_HOST", raising=False)
    parser = argparse.ArgumentParser(prog="NoSuchServer", formatter_class=utils.PyTangoHelpFormatter)
    parser.add_argument("instance")
    plain = argparse.ArgumentParser(prog="NoSuchServer")
    plain.add_argument("instance")
    assert parser.format_usage() == plain.format_usage()
    assert issubclass(utils.PyTangoHelpFormatter, argparse.HelpFormatter)


def test_deprecated_telemetry_factory_names_warn_and_delegate():
    from tango import telemetry

    sentinel = []

    def factory(service_name, service_instance_id=None, extra_resource_attributes=None, endpoints=None):
        sentinel.append(service_name)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tango._warnings._warned.discard("deprecated:tango.utils.set_telemetry_tracer_provider_factory")
        tango._warnings._warned.discard("deprecated:tango.utils.get_telemetry_tracer_provider_factory")
        utils.set_telemetry_tracer_provider_factory(factory)
        got = utils.get_telemetry_tracer_provider_factory()
    try:
        assert [w.category for w in caught] == [DeprecationWarning, DeprecationWarning]
        assert "tango.telemetry" in str(caught[0].message)
        assert tango._telemetry._custom_factory is factory
        assert callable(got)
    finally:
        telemetry.set_telemetry_tracer_provider_factory(None)


# -- set_complex_value, on a real server --------------------------------------------------------


class Complex(Device):
    @attribute(dtype=float)
    def plain(self, attr):
        utils.set_complex_value(attr, 2.5)

    @attribute(dtype=float)
    def dated(self, attr):
        utils.set_complex_value(attr, (7.25, 1234.5, AttrQuality.ATTR_WARNING))

    @attribute(dtype=(int,), max_dim_x=3)
    def tuple_value(self, attr):
        utils.set_complex_value(attr, (1, 2, 3))  # no quality in it: the tuple is the value

    @attribute(dtype=tango.DevEncoded)
    def encoded(self, attr):
        utils.set_complex_value(attr, ("fmt", b"\x01\x02", 99.0, AttrQuality.ATTR_CHANGING))


def test_set_complex_value_on_server_attributes():
    with DeviceTestContext(Complex) as proxy:
        assert proxy.read_attribute("plain").value == 2.5
        dated = proxy.read_attribute("dated")
        assert dated.value == 7.25
        assert dated.quality == AttrQuality.ATTR_WARNING
        assert dated.time.totime() == 1234.5
        assert list(proxy.read_attribute("tuple_value").value) == [1, 2, 3]
        encoded = proxy.read_attribute("encoded")
        assert encoded.value == ("fmt", b"\x01\x02")
        assert encoded.quality == AttrQuality.ATTR_CHANGING
        assert encoded.time.totime() == 99.0
