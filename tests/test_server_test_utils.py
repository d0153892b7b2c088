"""tango.test_utils: assert_close, the value tables and the fixtures users import."""

import asyncio
import concurrent.futures
import enum
import threading

import numpy as np
import pytest

import tango
from tango import AttrDataFormat, AttrWriteType, CmdArgType, DevState, GreenMode
from tango.server import Device, attribute, command
from tango.test_utils import (  # noqa: F401  (fixtures are used by name)
    ALL_TYPED_VALUES, COMMAND_TYPED_VALUES, DEV_ENCODED_DATA, GENERAL_TYPED_VALUES, IMAGE_VALUES,
    IMAGE_TYPED_VALUES, NUMPY_TYPED_VALUES, TYPED_VALUES, DeviceTestContext, GoodEnum,
    MultiDeviceTestContext, SimpleDevice, assert_close, attr_data_format, attribute_numpy_typed_values,
    attribute_typed_values, base_type, client_green_mode, command_numpy_typed_values,
    command_typed_values,
    convert_dtype_to_typing_hint, create_result, dev_encoded_values, extract_as, general_decorator,
    general_typed_values, green_mode, image_typed_values, repr_type, server_green_mode,
    server_serial_model, state, typed_values, wait_for_proxy,
)


# -- assert_close ---------------------------------------------------------------------------------

@pytest.mark.parametrize("actual,expected", [
    (1, 1),
    (2**64 - 1, np.uint64(2**64 - 1)),
    (0.1 + 0.2, 0.3),
    (np.float32(0.1), 0.1),
    (float("nan"), float("nan")),
    (True, np.bool_(True)),
    (True, 1.0),  # by value, as PyTango's assert_close (a DevDouble read of a written bool)
    ([True, False], [1, 0]),
    ("text", "text"),
    (b"caf\xe9", "café"),  # bytes are Latin-1 text, as DevString
    (np.str_("x"), "x"),
    ([1, 2, 3], (1, 2, 3)),
    ([1, 2, 3], np.array([1, 2, 3], dtype=np.int16)),
    ([[1.0, 2.0], [3.0, 4.0]], np.array([[1.0, 2.0], [3.0, 4.0 + 1e-12]])),
    ((("a", "b"), ("c", "d")), [["a", "b"], ["c", "d"]]),
    (np.array(["a", "b"]), ("a", "b")),
    ([True, False], np.array([True, False])),
    ([], np.array([])),
    ({"a": [1.0], "b": "x"}, {"b": "x", "a": (1.0,)}),
    (DevState.ON, DevState.ON),
    (GoodEnum.MIDDLE, 1),
    (("fmt", b"data"), ("fmt", b"data")),
    ([np.array([1, 2]), ["x"]], ([1, 2], ("x",))),
    (np.array(3.0), 3.0),
])
def test_assert_close_accepts(actual, expected):
    assert_close(actual, expected)
    assert_close(expected, actual)


@pytest.mark.parametrize("actual,expected", [
    (1, 2),
    (1.0, 1.001),
    (float("nan"), 1.0),
    ("a", "b"),
    ("1", 1),
    (True, 0),  # booleans compare by value, as in PyTango
    ([True, False], [1.0, 1.0]),
    ([1, 2], [1, 2, 3]),
    ([[1, 2]], [1, 2]),
    (np.zeros((2, 3)), np.zeros((3, 2))),
    ([1.0, 2.0], [1.0, 2.1]),
    (["a", "b"], ["a", "c"]),
    ([["a"], ["b"]], [["a"], ["c"]]),
    ("ab", ["a", "b"]),
    ({"a": 1}, {"a": 1, "b": 2}),
    (DevState.ON, DevState.OFF),
    (2**63, 2**63 + 1),  # exact integers, beyond float precision
])
def test_assert_close_refuses(actual, expected):
    with pytest.raises(AssertionError):
        assert_close(actual, expected)
    with pytest.raises(AssertionError):
        assert_close(expected, actual)


def test_assert_close_tolerance_and_message():
    assert_close(1.0, 1.05, rtol=0.1)
    with pytest.raises(AssertionError, match=r"\[1\]\[0\]"):
        assert_close([["a"], ["b"]], [["a"], ["c"]])


# -- the tables -----------------------------------------------------------------------------------

def test_tables_have_the_pytango_shape():
    assert set(TYPED_VALUES) == {int, float, str, bool, (int,), (float,), (str,), (bool,)}
    assert set(GENERAL_TYPED_VALUES) == set(TYPED_VALUES)
    assert set(IMAGE_TYPED_VALUES) == {((int,),), ((float,),), ((str,),), ((bool,),)}
    assert IMAGE_VALUES is IMAGE_TYPED_VALUES
    assert ALL_TYPED_VALUES == {**GENERAL_TYPED_VALUES, **IMAGE_TYPED_VALUES}
    assert set(COMMAND_TYPED_VALUES) == {CmdArgType.DevVarLongStringArray,
                                         CmdArgType.DevVarDoubleStringArray}
    assert set(DEV_ENCODED_DATA) == {"str", "bytes", "bytearray"}
    for table in (TYPED_VALUES, GENERAL_TYPED_VALUES, IMAGE_TYPED_VALUES, COMMAND_TYPED_VALUES):
        assert all(len(values) >= 2 for values in table.values())
    for dtype, (scalar, spectrum, image) in NUMPY_TYPED_VALUES.items():
        info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
        for value in [scalar, *spectrum, *(v for row in image for v in row)]:
            assert info is None or info.min <= value <= info.max


@pytest.mark.parametrize("dtype,name", [
    (int, "int"), ((float,), "(float,)"), (((str,),), "((str,),)"), (np.uint8, "uint8"),
    (CmdArgType.DevVarLongStringArray, "DevVarLongStringArray"),
])
def test_repr_type(dtype, name):
    assert repr_type(dtype) == name


def test_create_result():
    assert create_result(str, b"caf\xe9") == "café"
    assert create_result((str,), [b"a", "b"]) == ["a", "b"]
    assert create_result(((int,),), [[1, 2]]) == [[1, 2]]
    assert create_result(CmdArgType.DevVarLongStringArray, ([1], [b"x"])) == [[1], ["x"]]
    assert create_result(float, 1.5) == 1.5


@pytest.mark.parametrize("dtype", [int, float, str, bool, (int,), (float,), ((float,),), ((str,),)])
def test_convert_dtype_to_typing_hint_means_the_same(dtype):
    from tango.server.dtypes import from_dtype

    tuple_hint, list_hint, is_array, is_image = convert_dtype_to_typing_hint(dtype)
    assert from_dtype(tuple_hint) == from_dtype(list_hint) == from_dtype(dtype)
    assert is_array == isinstance(dtype, tuple)
    assert is_image == (is_array and isinstance(dtype[0], tuple))


# -- the fixtures ---------------------------------------------------------------------------------
#
# Each fixture's values go through a real server: written to (or passed to) an attribute or a
# command of the fixture's type and format, read back and compared with what the fixture says a
# client gets (its `expected`), so a wrong table entry or a wrong `expected` fails here.

ATTR_DTYPES = list(ALL_TYPED_VALUES)  # the scalar, spectrum and image forms
CMD_DTYPES = list({**GENERAL_TYPED_VALUES, **COMMAND_TYPED_VALUES})
HINTED_ATTRS = tango.test_utils._numpy_cases(with_images=True)  # (dtype, hint, dformat, value)
HINTED_CMDS = tango.test_utils._numpy_cases(with_images=False)
FORMAT_DTYPES = {AttrDataFormat.SCALAR: float, AttrDataFormat.SPECTRUM: (float,),
                 AttrDataFormat.IMAGE: ((float,),)}
LETTERS = np.array([65, 66, 67], dtype=np.uint8)


def _attr_name(dtype):
    return f"attr{ATTR_DTYPES.index(dtype)}"


def _hinted_name(hint, dformat):
    return f"hinted{[(h, f) for _, h, f, _ in HINTED_ATTRS].index((hint, dformat))}"


def _stored_attribute(name, **options):
    def read(self):
        return self._stored[name]

    def write(self, value):
        self._stored[name] = value

    return attribute(fget=read, fset=write, access=AttrWriteType.READ_WRITE, max_dim_x=16,
                     max_dim_y=16, **options)


def _hinted_attribute(name, hint, dformat):
    def read(self):
        return self._stored[name]

    def write(self, value):
        self._stored[name] = value

    read.__annotations__ = {"return": hint}
    write.__annotations__ = {"value": hint}
    return attribute(fget=read, fset=write, dformat=dformat, access=AttrWriteType.READ_WRITE,
                     max_dim_x=4, max_dim_y=4)


def _echo_command(name, hint=None, **options):
    def echo(self, value):
        return value

    echo.__name__ = echo.__qualname__ = name
    if hint is not None:
        echo.__annotations__ = {"value": hint, "return": hint}
    return command(echo, **options)


def _echo_class():
    """A device with a read/write attribute per dtype form of the tables, one per numpy type
    hint, an echo command per command type and per hint, and the commands the other fixtures
    need."""

    def init_device(self):
        self._stored = {}
        self.set_state(DevState.ON)

    def read_letters(self):
        return LETTERS

    def read_where(self):
        return threading.current_thread().name

    def set_state_to(self, state):
        self.set_state(state)

    def use_serial_model(self, model):
        util = tango.Util.instance()
        before = util.get_serial_model()
        util.set_serial_model(tango.SerialModel(model))
        try:
            return int(util.get_serial_model())
        finally:
            util.set_serial_model(before)

    body = {
        "init_device": init_device,
        "letters": attribute(fget=read_letters, dtype=(np.uint8,), max_dim_x=3),
        "where": attribute(fget=read_where, dtype=str),
        "set_state_to": command(set_state_to, dtype_in=DevState),
        "use_serial_model": command(use_serial_model, dtype_in=int, dtype_out=int),
    }
    for dtype in ATTR_DTYPES:
        body[_attr_name(dtype)] = _stored_attribute(_attr_name(dtype), dtype=dtype)
    for i, (_, hint, dformat, _) in enumerate(HINTED_ATTRS):
        body[f"hinted{i}"] = _hinted_attribute(f"hinted{i}", hint, dformat)
    for i, dtype in enumerate(CMD_DTYPES):
        body[f"echo{i}"] = _echo_command(f"echo{i}", dtype_in=dtype, dtype_out=dtype)
    for i, (_, hint, _, _) in enumerate(HINTED_CMDS):
        body[f"echo_hinted{i}"] = _echo_command(f"echo_hinted{i}", hint=hint)
    return type("FixtureEcho", (Device,), body)


FixtureEcho = _echo_class()


@pytest.fixture(scope="module")
def echo_servers():
    """One FixtureEcho server per server green mode, started when first asked for."""
    contexts = {}

    def get(mode=GreenMode.Synchronous):
        if mode not in contexts:
            context = DeviceTestContext(FixtureEcho, device_name=f"test/echo/{mode.name.lower()}",
                                        green_mode=mode, debug=0)
            context.start()
            contexts[mode] = context
        return tango.DeviceProxy(contexts[mode].get_device_access())

    try:
        yield get
    finally:
        for context in contexts.values():
            context.stop()


@pytest.fixture
def echo(echo_servers):
    return echo_servers()


def _round_trip(proxy, name, value):
    proxy.write_attribute(name, value)
    return proxy.read_attribute(name).value


def test_state_fixture_covers_every_state(state, echo):
    try:
        echo.set_state_to(state)
        assert echo.state() == state
        assert echo.read_attribute("State").value == state
    finally:
        echo.set_state_to(DevState.ON)


SERVER_THREADS = {GreenMode.Futures: "pytango-futures", GreenMode.Asyncio: "pytango-asyncio",
                  GreenMode.Gevent: "pytango-gevent"}


def test_server_green_mode_fixture_runs_the_server_in_its_mode(server_green_mode, echo_servers):
    where = echo_servers(server_green_mode).where
    if server_green_mode == GreenMode.Synchronous:
        assert not where.startswith("pytango-")  # one of cppTango's request threads
    else:
        assert where == SERVER_THREADS[server_green_mode]


def _client_call(proxy, mode, method, *args):
    """``proxy.method(*args)`` made the way a ``mode`` client makes it (an asyncio call on a
    running loop, a Futures or Gevent call through its pool), checked to be that mode's call."""
    proxy.set_green_mode(mode)
    try:
        call = getattr(proxy, method)
        if mode == GreenMode.Asyncio:
            async def on_a_loop():
                future = call(*args)
                assert isinstance(future, asyncio.Future)
                return await future

            return asyncio.run(on_a_loop())
        if mode == GreenMode.Futures:
            future = call(*args, wait=False)
            assert isinstance(future, concurrent.futures.Future)
            return future.result(10)
        if mode == GreenMode.Gevent:
            import gevent.event

            result = call(*args, wait=False)
            assert isinstance(result, gevent.event.AsyncResult)
            return result.get(timeout=10)
        return call(*args)
    finally:
        proxy.set_green_mode(GreenMode.Synchronous)


def test_client_green_mode_fixture_makes_calls_in_its_mode(client_green_mode, echo):
    assert _client_call(echo, client_green_mode, "read_attribute", "where").name == "where"
    echo.set_green_mode(client_green_mode)
    assert echo.get_green_mode() == client_green_mode
    echo.set_green_mode(GreenMode.Synchronous)


def test_green_mode_fixture_is_every_mode_a_proxy_takes(green_mode, echo):
    assert _client_call(echo, green_mode, "read_attribute", "letters").value.tolist() == [65, 66, 67]


def test_attr_data_format_fixture(attr_data_format, echo):
    name = _attr_name(FORMAT_DTYPES[attr_data_format])
    assert echo.get_attribute_config(name).data_format == attr_data_format
    value = {AttrDataFormat.SCALAR: 1.5, AttrDataFormat.SPECTRUM: [1.5, 2.5],
             AttrDataFormat.IMAGE: [[1.5, 2.5], [3.5, 4.5]]}[attr_data_format]
    assert_close(_round_trip(echo, name, value), value)


BASE_TANGO_TYPES = {int: CmdArgType.DevLong64, float: CmdArgType.DevDouble,
                    str: CmdArgType.DevString, bool: CmdArgType.DevBoolean}


def test_base_type_fixture(base_type, echo):
    name = _attr_name(base_type)
    assert echo.get_attribute_config(name).data_type == BASE_TANGO_TYPES[base_type]
    for value in TYPED_VALUES[base_type]:
        read = _round_trip(echo, name, value)
        assert type(read) is base_type
        assert read == value


EXTRACTED_LETTERS = {tango.ExtractAs.Numpy: LETTERS, tango.ExtractAs.Tuple: (65, 66, 67),
                     tango.ExtractAs.List: [65, 66, 67], tango.ExtractAs.Bytes: b"ABC",
                     tango.ExtractAs.ByteArray: bytearray(b"ABC"), tango.ExtractAs.String: "ABC"}


def test_extract_as_fixture(extract_as, echo):
    mode, python_type = extract_as
    value = echo.read_attribute("letters", extract_as=mode).value
    assert type(value) is python_type
    if python_type is np.ndarray:
        assert value.dtype == np.uint8 and value.tolist() == [65, 66, 67]
    else:
        assert value == EXTRACTED_LETTERS[mode]


def test_server_serial_model_fixture(server_serial_model, echo):
    # set in the server's Util and read back from it (then restored)
    assert echo.use_serial_model(int(server_serial_model)) == int(server_serial_model)


def test_typed_values_fixture(typed_values, echo):
    dtype, values = typed_values
    assert len(values) >= 2
    for value in values:
        read = _round_trip(echo, _attr_name(dtype), value)
        assert_close(read, value)
        if dtype in (int, float, str, bool):
            assert type(read) is dtype


def _check_value_fixture(fixture_value, send):
    """Each value of a (dtype, values, expected) fixture, sent through the server by
    ``send(dtype, value)``, comes back as ``expected(value)`` says."""
    dtype, values, expected = fixture_value
    assert len(values) >= 2
    for value in values:
        assert_close(send(dtype, value), expected(value))


def test_general_typed_values_fixture(general_typed_values, echo):
    _check_value_fixture(general_typed_values, lambda d, v: _round_trip(echo, _attr_name(d), v))
    assert general_typed_values[0] in GENERAL_TYPED_VALUES


def test_command_typed_values_fixture(command_typed_values, echo):
    _check_value_fixture(command_typed_values,
                         lambda d, v: echo.command_inout(f"echo{CMD_DTYPES.index(d)}", v))


def test_image_typed_values_fixture(image_typed_values, echo):
    _check_value_fixture(image_typed_values, lambda d, v: _round_trip(echo, _attr_name(d), v))
    assert image_typed_values[0] in IMAGE_TYPED_VALUES


def test_attribute_typed_values_round_trip(attribute_typed_values, server_green_mode,
                                           client_green_mode, echo_servers):
    """The way PyTango users parametrise server tests with these fixtures: each value written
    and read back in each server and client green mode."""
    dtype, values, expected = attribute_typed_values
    proxy = echo_servers(server_green_mode)
    name = _attr_name(dtype)
    for value in values:
        _client_call(proxy, client_green_mode, "write_attribute", name, value)
        assert_close(_client_call(proxy, client_green_mode, "read_attribute", name).value,
                     expected(value))


# numpy type: (its Tango type, the Tango type of its arrays as command arguments)
NUMPY_TANGO_TYPES = {
    np.bool_: (CmdArgType.DevBoolean, CmdArgType.DevVarBooleanArray),
    np.uint8: (CmdArgType.DevUChar, CmdArgType.DevVarCharArray),
    np.int16: (CmdArgType.DevShort, CmdArgType.DevVarShortArray),
    np.uint16: (CmdArgType.DevUShort, CmdArgType.DevVarUShortArray),
    np.int32: (CmdArgType.DevLong, CmdArgType.DevVarLongArray),
    np.uint32: (CmdArgType.DevULong, CmdArgType.DevVarULongArray),
    np.int64: (CmdArgType.DevLong64, CmdArgType.DevVarLong64Array),
    np.uint64: (CmdArgType.DevULong64, CmdArgType.DevVarULong64Array),
    np.float32: (CmdArgType.DevFloat, CmdArgType.DevVarFloatArray),
    np.float64: (CmdArgType.DevDouble, CmdArgType.DevVarDoubleArray),
}


def test_numpy_typed_values_as_hints(attribute_numpy_typed_values, echo):
    """An attribute typed by the fixture's hint has the Tango type of that numpy type and the
    fixture's format, and the fixture's value comes back as its `expected` says."""
    hint, dformat, value, expected = attribute_numpy_typed_values
    name = _hinted_name(hint, dformat)
    dtype = next(d for d, h, f, _ in HINTED_ATTRS if (h, f) == (hint, dformat))
    config = echo.get_attribute_config(name)
    assert (config.data_type, config.data_format) == (NUMPY_TANGO_TYPES[dtype][0], dformat)
    read = _round_trip(echo, name, value)
    assert_close(read, expected(value))
    if dformat != AttrDataFormat.SCALAR:
        assert read.dtype == np.dtype(dtype)


def test_numpy_typed_values_as_command_hints(command_numpy_typed_values, echo):
    hint, dformat, value, expected = command_numpy_typed_values
    i = [(h, f) for _, h, f, _ in HINTED_CMDS].index((hint, dformat))
    dtype = HINTED_CMDS[i][0]
    info = echo.get_command_config(f"echo_hinted{i}")
    tango_type = NUMPY_TANGO_TYPES[dtype][0 if dformat == AttrDataFormat.SCALAR else 1]
    assert (info.in_type, info.out_type) == (tango_type, tango_type)
    assert_close(echo.command_inout(f"echo_hinted{i}", value), expected(value))


def test_simple_device_and_wait_for_proxy():
    with DeviceTestContext(SimpleDevice, debug=0) as proxy:
        assert proxy.state() == DevState.ON
        again = wait_for_proxy(proxy.get_full_name(), retries=50)
        assert again.state() == DevState.ON
    with pytest.raises(RuntimeError, match="did not answer"):
        wait_for_proxy("tango://127.0.0.1:1/no/such/device#dbase=no", retries=2, delay=0.01)


class Decorated(Device):
    @attribute(dtype=GoodEnum)
    @general_decorator
    def position(self):
        return GoodEnum.END

    @command(dtype_in=float, dtype_out=float)
    @general_decorator()
    def half(self, x):
        return x / 2


def test_general_decorator_and_good_enum():
    with DeviceTestContext(Decorated, debug=0) as proxy:
        assert proxy.position.name == "END"
        assert proxy.get_attribute_config("position").enum_labels == ["START", "MIDDLE", "END"]
        assert proxy.half(3.0) == 1.5


def test_contexts_are_reexported():
    import tango.test_context

    assert DeviceTestContext is tango.test_context.DeviceTestContext
    assert MultiDeviceTestContext is tango.test_context.MultiDeviceTestContext
    assert issubclass(GoodEnum, enum.IntEnum)
