"""tango.utils: PyTango's answers for the type predicates and conversions, the caseless
containers, the event callbacks (on real subscriptions), version checks and threads."""

import asyncio
import enum
import io
import re
import threading

import numpy as np
import pytest

import tango
import tango.asyncio
import tango.utils as utils
from tango import AttrDataFormat as F
from tango import CmdArgType as T
from tango import DevState, EventType
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext

from conftest import wait_for

# -- type predicates: PyTango's answers, which scripts rely on ---------------------------------

INT_TYPES = [T.DevShort, T.DevUShort, T.DevLong, T.DevULong, T.DevLong64, T.DevULong64]
INT_ARRAYS = [T.DevVarShortArray, T.DevVarUShortArray, T.DevVarLongArray, T.DevVarULongArray,
              T.DevVarLong64Array, T.DevVarULong64Array]


def test_int_types_are_the_six_integers_only():
    assert [t for t in T if utils.is_int_type(t)] == sorted(INT_TYPES, key=int)
    assert not utils.is_int_type(T.DevEnum)
    assert not utils.is_int_type(T.DevUChar)
    assert not utils.is_int_type(T.DevVarLongArray)
    assert sorted((t for t in T if utils.is_int_type(t, True)), key=int) == sorted(INT_TYPES + INT_ARRAYS, key=int)


def test_float_bool_str_binary_types():
    assert [t for t in T if utils.is_float_type(t)] == [T.DevFloat, T.DevDouble]
    assert utils.is_float_type(T.DevVarDoubleArray, True) and not utils.is_float_type(T.DevVarDoubleArray)
    assert [t for t in T if utils.is_bool_type(t)] == [T.DevBoolean]
    assert utils.is_bool_type(T.DevVarBooleanArray, inc_array=True)
    assert utils.is_str_type(T.DevString) and utils.is_str_type(T.ConstDevString)
    assert utils.is_str_type(T.DevVarStringArray, True) and not utils.is_str_type(T.DevVarStringArray)
    assert {t for t in T if utils.is_binary_type(t)} == {T.DevEncoded, T.DevVarCharArray}
    assert not utils.is_numerical_type(T.DevBoolean)
    assert [t for t in T if utils.is_numerical_type(t)] == sorted(INT_TYPES + [T.DevFloat, T.DevDouble], key=int)


def test_scalar_and_array_types():
    assert not utils.is_scalar_type(T.DevVoid)
    assert not utils.is_scalar_type(T.DevState)
    assert not utils.is_scalar_type(T.DevEnum)
    assert utils.is_scalar_type(T.DevEncoded) and utils.is_scalar_type(T.DevUChar)
    assert utils.is_array_type(T.DevVarDoubleArray) and utils.is_array_type(T.DevVarLongStringArray)
    assert not utils.is_array_type(T.DevEncoded)
    assert not any(utils.is_scalar_type(t) and utils.is_array_type(t) for t in T)
    # what is not a type at all is none of them, with PyTango's plain False
    for not_a_type in ([1], {}, None, "DevLong", 3.5):
        assert utils.is_scalar_type(not_a_type) is False and utils.is_array_type(not_a_type) is False
        for predicate in (utils.is_int_type, utils.is_float_type, utils.is_bool_type, utils.is_str_type,
                          utils.is_binary_type, utils.is_numerical_type):
            assert predicate(not_a_type) is False and predicate(not_a_type, 0) is False
    # the short names are the same functions, also at the top level
    assert utils.is_int is utils.is_int_type is tango.is_int_type


@pytest.mark.parametrize("value, seq, non_str_seq", [
    ([1], True, True), ((1,), True, True), ("ab", True, False), (b"ab", True, True),
    (bytearray(b"a"), True, True), (np.zeros(2), True, True), (1, False, False), ({1: 2}, False, False),
])
def test_sequence_predicates(value, seq, non_str_seq):
    assert utils.is_seq(value) is seq
    assert utils.is_non_str_seq(value) is non_str_seq


def test_value_predicates():
    assert utils.is_integer(np.int8(1)) and utils.is_integer(2**70)
    assert not utils.is_integer(True) and not utils.is_integer(1.0)
    assert utils.is_number(1.0) and utils.is_number(np.float32(1)) and utils.is_number(1j)
    assert not utils.is_number("1")
    assert utils.is_pure_str("x") and not utils.is_pure_str(b"x")
    assert utils.is_devstate(DevState) and not utils.is_devstate(DevState.ON)
    assert utils.is_devstate_seq([[DevState]]) and not utils.is_devstate_seq([int])
    assert utils.is_enum(T) and utils.is_enum_seq([T]) and not utils.is_enum_seq([])


def test_get_enum_labels():
    class Good(enum.IntEnum):
        A = 0
        B = 1

    assert utils.get_enum_labels(Good) == ["A", "B"]
    for values in ("A B", {"A": 0, "B": 2}):
        with pytest.raises(utils.EnumTypeError, match="must start at 0 and increment by 1"):
            utils.get_enum_labels(enum.IntEnum("E", values))
    with pytest.raises(utils.EnumTypeError, match="must be unique"):
        utils.get_enum_labels(enum.IntEnum("D", {"A": 0, "B": 0}))
    with pytest.raises(utils.EnumTypeError, match="must be derived from enum.Enum"):
        utils.get_enum_labels(int)


# -- conversions ---------------------------------------------------------------------------------

def test_to_tango_type_table():
    table = utils.TO_TANGO_TYPE
    assert table[float] is T.DevDouble and table[int] is T.DevLong64 and table[bool] is T.DevBoolean
    assert table[str] is T.DevString and table[bytearray] is T.DevEncoded and table[None] is T.DevVoid
    assert table["int16"] is T.DevShort and table["float32"] is T.DevFloat and table["state"] is T.DevState
    assert table[np.uint16] is T.DevUShort and table[np.float32] is T.DevFloat
    assert table["DevVarLongArray"] is T.DevVarLongArray and table[T.DevULong] is T.DevULong
    assert utils.FROM_TANGO_TO_NUMPY_TYPE[T.DevLong] is np.int32


def test_scalar_to_array_type():
    assert utils.scalar_to_array_type(T.DevLong) is T.DevVarLongArray
    assert utils.scalar_to_array_type(T.DevUChar) is T.DevVarCharArray
    assert utils.scalar_to_array_type(float) is T.DevVarDoubleArray
    assert utils.scalar_to_array_type("float32") is T.DevVarFloatArray
    for not_scalar in (T.DevVarLongArray, T.DevState, "nonsense", [1]):
        with pytest.raises(ValueError, match="Invalid tango scalar type"):
            utils.scalar_to_array_type(not_scalar)


@pytest.mark.parametrize("value, expected", [
    ("abc", (T.DevString, F.SCALAR)), (123, (T.DevLong64, F.SCALAR)), (1.5, (T.DevDouble, F.SCALAR)),
    (True, (T.DevBoolean, F.SCALAR)), (DevState.ON, (T.DevState, F.SCALAR)),
    ([1, 2, 3], (T.DevLong64, F.SPECTRUM)), ([[1, 2, 3], [4, 5, 6]], (T.DevLong64, F.IMAGE)),
    (("a", "b"), (T.DevString, F.SPECTRUM)), (np.zeros(3, dtype=np.int16), (T.DevShort, F.SPECTRUM)),
    (np.zeros((2, 2), dtype=np.float32), (T.DevFloat, F.IMAGE)), (np.array(["a", "b"]), (T.DevString, F.SPECTRUM)),
    (np.float64(2.0), (T.DevDouble, F.SCALAR)),
])
def test_get_tango_type(value, expected):
    assert utils.get_tango_type(value) == expected


@pytest.mark.parametrize("value", [object(), [{"a": 1}, "abc"], [], [[[1]]], np.zeros((2, 2, 2)),
                                   np.zeros(2, dtype=np.complex128)])
def test_get_tango_type_rejects_what_has_no_tango_type(value):
    with pytest.raises(TypeError):
        utils.get_tango_type(value)


def test_str_2_obj():
    assert utils.str_2_obj("1", T.DevLong) == 1 and type(utils.str_2_obj("1", T.DevLong)) is int
    assert utils.str_2_obj("-2.5e3", T.DevFloat) == -2500.0
    assert utils.str_2_obj("yes", T.DevBoolean) is True and utils.str_2_obj("OFF", T.DevBoolean) is False
    assert utils.str_2_obj("x", T.DevString) == "x"
    assert utils.str_2_obj("1", T.DevUChar) == "1"  # DevUChar is not an integer type in PyTango
    assert utils.str_2_obj("1") == "1"
    assert utils.str_2_obj(tango.constants.AlrmValueNotSpec, T.DevDouble) is None
    with pytest.raises(ValueError):
        utils.str_2_obj("maybe", T.DevBoolean)
    with pytest.raises(ValueError):
        utils.str_2_obj("1.5", T.DevLong)


def test_obj_2_str():
    assert utils.obj_2_str(1.5, T.DevDouble) == "1.5"
    assert utils.obj_2_str("text", T.DevString) == "text"
    assert utils.obj_2_str([3, 4], T.DevLong) == "3"
    assert utils.obj_2_str([], T.DevLong) == ""
    assert utils.obj_2_str([1, 2, 3], T.DevVarLongArray) == "1\n2\n3"
    assert utils.obj_2_str(None, T.DevVarLongArray) == ""
    assert utils.obj_2_str(7) == 7


def test_seq_str_2_obj():
    assert utils.seqStr_2_obj(["3"], T.DevLong) == 3
    assert utils.seqStr_2_obj("2.5", T.DevDouble) == 2.5
    assert utils.seqStr_2_obj(["true"], T.DevBoolean) is True
    assert utils.seqStr_2_obj(["1", "2"], T.DevVarLongArray) == [1, 2]
    assert utils.seqStr_2_obj(["1", "2"], T.DevVarDoubleArray) == [1.0, 2.0]
    assert utils.seqStr_2_obj(["yes", "no"], T.DevVarBooleanArray) == [True, False]
    assert utils.seqStr_2_obj(["a", "b"], T.DevVarStringArray) == ["a", "b"]
    assert utils.seqStr_2_obj(["1", "2"], T.DevLong, F.SPECTRUM) == [1, 2]
    assert utils.seqStr_2_obj(["1", "2"], T.DevLong, F.SCALAR) == 1
    assert utils.seqStr_2_obj([["1", "2"], ["3", "4"]], T.DevDouble, F.IMAGE) == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(ValueError):
        utils.seqStr_2_obj([], T.DevLong)


def test_ensure_binary_and_versions():
    assert utils.ensure_binary("é") == "é".encode()
    assert utils.ensure_binary("é", encoding="latin-1") == b"\xe9"
    assert utils.ensure_binary(b"x") == b"x"
    with pytest.raises(TypeError):
        utils.ensure_binary(1)
    assert utils.from_version_str_to_hex_str("10.3.1") == "0x0a030100"
    assert utils.from_version_str_to_int("9.3.4") == 0x09030400
    assert utils.strtobool("Y") is True and utils.strtobool("0") is False


def test_requires_pytango_and_tango():
    assert utils.requires_pytango(tango.__version__) is True
    assert utils.requires_pytango("1.0", conflicts=["2.0"]) is True
    with pytest.raises(Exception, match=r"MyDS requires pytango 99\.0 but .* installed"):
        utils.requires_pytango("99.0", software_name="MyDS")
    with pytest.raises(Exception, match="MyDS cannot run with pytango"):
        utils.requires_pytango(conflicts=[tango.__version__], software_name="MyDS")
    assert utils.requires_tango(tango.constants.TgLibVers) is True
    with pytest.raises(Exception, match="requires Tango 99"):
        utils.requires_tango("99")
    assert tango.requires_tango is utils.requires_tango


def test_info_names_the_versions():
    text = utils.info()
    assert f"PyTango {tango.Release.version_long}" in text
    assert f"Tango    : {tango.constants.TgLibVers}" in text
    assert f"Numpy    : {np.__version__}" in text


def test_dir2_and_get_home():
    class Base:
        a = 1

    class Child(Base):
        b = 2

    obj = Child()
    obj.c = 3
    assert {"a", "b", "c"} <= set(utils.dir2(obj))
    assert {"a", "b"} <= set(utils.dir2(Child))
    assert utils.get_home()


# -- caseless containers -------------------------------------------------------------------------

def test_caseless_dict():
    d = utils.CaselessDict({"Voltage": 1})
    d["CURRENT"] = 2
    assert d["voltage"] == d["VOLTAGE"] == 1 and "Current" in d and d.has_key("current")
    assert dict(d) == {"voltage": 1, "current": 2}
    assert d.get("VOLTAGE") == 1 and d.get("nothing", 5) == 5
    assert d.setdefault("Power", 3) == 3 and d["power"] == 3
    assert d.pop("POWER") == 3 and "power" not in d and d.pop("power", None) is None
    d.update({"Mode": "x"})
    d.update([("Gain", 4)])
    assert d["mode"] == "x" and d["GAIN"] == 4
    del d["MODE"]
    assert "mode" not in d
    keys = d.keys()
    assert isinstance(keys, utils.CaselessList) and "VOLTAGE" in keys
    assert utils.CaselessDict([("A", 1)]) == {"a": 1}
    assert utils.CaselessDict.fromkeys(["X", "y"], 0) == {"x": 0, "y": 0}
    assert isinstance(d.copy(), utils.CaselessDict)
    with pytest.raises(TypeError):
        utils.CaselessDict(A=1)  # as PyTango's: no keywords
    with pytest.raises(KeyError):
        d["missing"]
    assert 1 not in d
    for bad in (lambda: d[1], lambda: d.__setitem__(b"x", 1), lambda: d.get(None)):
        with pytest.raises(TypeError, match="keys are strings"):
            bad()


def test_caseless_list():
    items = utils.CaselessList(["Ab", "cD"])
    assert "AB" in items and "cd" in items and 3 not in items
    assert items.index("CD") == 1 and items.count("ab") == 1 and items.count(1) == 0
    assert items.findentry("AB") == "Ab" and items.findentry("zz") is None
    assert items.lowercopy() == ["ab", "cd"] and type(items.list()) is list
    part = items[0:1]
    assert isinstance(part, utils.CaselessList) and part == ["Ab"]
    assert isinstance(items + ["x"], utils.CaselessList) and isinstance(items * 2, utils.CaselessList)
    items += ["Ef"]
    assert items == ["Ab", "cD", "Ef"]
    items.remove("EF")
    assert items == ["Ab", "cD"]
    with pytest.raises(ValueError):
        items.remove("nothing")
    with pytest.raises(ValueError):
        items.index("ab", 1)
    for bad in (lambda: items.append(1), lambda: items.insert(0, None), lambda: items.extend([b"x"]),
                lambda: items.__setitem__(0, 2), lambda: utils.CaselessList([1])):
        with pytest.raises(TypeError, match="must be strings"):
            bad()
    assert items == ["Ab", "cD"]


# -- the Tango host of a test context ------------------------------------------------------------

@pytest.fixture
def test_context_host():
    yield utils._set_test_context_tango_host_fqtrl
    utils._clear_test_context_tango_host_fqtrl()


@pytest.mark.parametrize("host, name, resolved", [
    (None, "a/b/c", "a/b/c"),
    ("tango://host:12", "a/b/c", "tango://host:12/a/b/c"),
    ("tango://host:12#dbase=no", "a/b/c/attr", "tango://host:12/a/b/c/attr#dbase=no"),
    ("tango://127.0.0.1:12#dbase=yes", "a/b/c", "tango://127.0.0.1:12/a/b/c#dbase=yes"),
    ("tango://host:12", "tango://other:13/a/b/c", "tango://other:13/a/b/c"),
])
def test_device_names_resolve_to_the_test_context_host(test_context_host, host, name, resolved):
    test_context_host(host)
    assert utils._get_device_fqtrl_if_necessary(name) == resolved


@pytest.mark.parametrize("host", ["host:123", "tango://", "tango://:123", "tango://host",
                                  "tango://host:0", "tango://host:12/path", "tango://host:1?q=1",
                                  "tango://host:1#dbase=maybe", "tango://host:99999"])
def test_invalid_test_context_host(test_context_host, host):
    test_context_host(host)
    with pytest.raises(utils.InvalidTangoHostTrlError):
        utils._get_device_fqtrl_if_necessary("a/b/c")


def test_test_context_host_set_and_clear(test_context_host):
    assert utils._get_test_context_tango_host_fqtrl() is None
    test_context_host("tango://localhost:1234")
    test_context_host(None)  # None keeps the host that is set
    assert utils._get_test_context_tango_host_fqtrl() == "tango://localhost:1234"
    utils._clear_test_context_tango_host_fqtrl()
    assert utils._get_test_context_tango_host_fqtrl() is None
    utils._clear_test_context_tango_host_fqtrl()  # clearing twice is fine


# -- event callbacks on real subscriptions -------------------------------------------------------

class Pusher(Device):
    def init_device(self):
        self._value = 0.0
        self.set_change_event("level", True, False)
        self.set_state(DevState.ON)

    @attribute(dtype=float, unit="V", label="Level")
    def level(self):
        return self._value

    @command(dtype_in=float)
    def push(self, value):
        self._value = value
        self.push_change_event("level", value)


@pytest.fixture(scope="module")
def pusher():
    with DeviceTestContext(Pusher) as proxy:
        yield proxy


LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (\S+) (\S+) (\S+) (\S+) (.*)$")


def _last_values(callback, n):
    return [e.attr_value.value for e in callback.get_events()[-n:]]


def test_event_callback_formats_and_keeps_events(pusher):
    out = io.StringIO()
    callback = utils.EventCallback(fd=out, max_buf=3)
    eid = pusher.subscribe_event("level", EventType.CHANGE_EVENT, callback)
    try:
        # Once the channel delivers (cppTango may miss what is pushed right after subscribing).
        assert any(pusher.push(0.5) or wait_for(lambda: _last_values(callback, 1) == [0.5], timeout=1)
                   for _ in range(10))
        for value in (1.5, 2.5, 3.5, 4.5):
            pusher.push(value)
        assert wait_for(lambda: _last_values(callback, 1) == [4.5]), out.getvalue()
    finally:
        pusher.unsubscribe_event(eid)
    assert _last_values(callback, 4) == [2.5, 3.5, 4.5]  # max_buf=3: the last three are kept
    lines = out.getvalue().splitlines()
    dev_name = pusher.dev_name().upper()
    for line, value in zip(lines[-4:], ("1.5", "2.5", "3.5", "4.5"), strict=True):
        match = LINE.match(line)
        assert match, line
        assert match.group(1) == dev_name
        assert match.group(2) == "LEVEL"
        assert match.group(3) == "CHANGE"
        assert match.group(5) == f"[ATTR_VALID] {value}"


def test_event_callback_custom_format_and_errors(pusher):
    out = io.StringIO()
    callback = utils.EventCallback(format="{name}|{type}|{value}", fd=out)
    eid = pusher.subscribe_event("level", EventType.ATTR_CONF_EVENT, callback)
    try:
        assert wait_for(lambda: callback.get_events())
    finally:
        pusher.unsubscribe_event(eid)
    assert out.getvalue().splitlines()[0] == "LEVEL|ATTR_CONF|label='Level'; unit='V'"

    class Broken:
        err = True
        errors = ()

    callback.push_event(Broken())  # a malformed event is reported, not raised
    assert out.getvalue().splitlines()[-1] == "<N/A>|<UNKNOWN>|<UNKNOWN>"


def test_async_event_callback_on_an_asyncio_proxy(pusher):
    out = io.StringIO()
    callback = utils.AsyncEventCallback(format="{name} {value}", fd=out)
    assert asyncio.iscoroutinefunction(callback.push_event)

    async def main():
        dev = await tango.asyncio.DeviceProxy(pusher.get_full_name())
        eid = await dev.subscribe_event("level", EventType.CHANGE_EVENT, callback)
        try:
            await dev.push(7.25)
            for _ in range(1000):
                if "LEVEL [ATTR_VALID] 7.25" in out.getvalue():
                    return True
                await asyncio.sleep(0.01)  # the callback runs on this loop: let it
            return False
        finally:
            await dev.unsubscribe_event(eid)

    assert asyncio.run(main()), out.getvalue()


# -- threads -------------------------------------------------------------------------------------

def test_pytango_thread_and_pool_call_tango(tangotest):
    results = []

    def read():
        results.append(tango.DeviceProxy(tangotest.name).read_attribute("long_scalar_w").name)

    thread = utils.PyTangoThread(target=read)
    assert isinstance(thread, threading.Thread)
    thread.start()
    thread.join(30)
    assert results == ["long_scalar_w"]

    from tango.utils import PyTangoThreadPoolExecutor

    with PyTangoThreadPoolExecutor(max_workers=2) as pool:
        names = list(pool.map(lambda n: tango.DeviceProxy(tangotest.name).read_attribute(n).name,
                              ["double_scalar", "short_scalar"]))
    assert names == ["double_scalar", "short_scalar"]
    assert PyTangoThreadPoolExecutor.__module__ == "tango.utils"
