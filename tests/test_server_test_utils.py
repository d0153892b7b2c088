"""tango.test_utils: assert_close, the value tables and the fixtures users import."""

import enum
import math

import numpy as np
import pytest

import tango
from tango import AttrDataFormat, AttrWriteType, CmdArgType, DevState, GreenMode
from tango.server import Device, attribute, command
from tango.test_utils import (  # noqa: F401  (fixtures are used by name)
    ALL_TYPED_VALUES, COMMAND_TYPED_VALUES, DEV_ENCODED_DATA, GENERAL_TYPED_VALUES, IMAGE_VALUES,
    IMAGE_TYPED_VALUES, NUMPY_TYPED_VALUES, TYPED_VALUES, DeviceTestContext, GoodEnum,
    MultiDeviceTestContext, SimpleDevice, assert_close, attr_data_format, attribute_numpy_typed_values,
    attribute_typed_values, base_type, client_green_mode, command_typed_values,
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
    (True, 1),  # a boolean is not a number here
    ([True, False], [1, 0]),
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

def test_state_fixture_covers_every_state(state):
    assert isinstance(state, DevState)
    assert state in list(DevState)


def test_green_mode_fixtures(server_green_mode, client_green_mode, green_mode):
    # only the synchronous mode is implemented so far (the others come with the green modes)
    assert isinstance(server_green_mode, GreenMode)
    assert isinstance(client_green_mode, GreenMode)
    assert isinstance(green_mode, GreenMode)


def test_attr_data_format_fixture(attr_data_format):
    assert attr_data_format in (AttrDataFormat.SCALAR, AttrDataFormat.SPECTRUM, AttrDataFormat.IMAGE)


def test_base_type_fixture(base_type):
    assert base_type in (int, float, str, bool)


def test_extract_as_fixture(extract_as):
    mode, python_type = extract_as
    assert isinstance(mode, tango.ExtractAs) and isinstance(python_type, type)


def test_server_serial_model_fixture(server_serial_model):
    assert isinstance(server_serial_model, tango.SerialModel)


def test_dev_encoded_values_fixture(dev_encoded_values):
    kind, data = dev_encoded_values
    assert type(data).__name__ == kind


def test_typed_values_fixture(typed_values):
    dtype, values = typed_values
    assert values == TYPED_VALUES[dtype]


def _check_value_fixture(fixture_value):
    dtype, values, expected = fixture_value
    assert len(values) >= 2
    for value in values:
        assert_close(expected(value), create_result(dtype, value))


def test_general_typed_values_fixture(general_typed_values):
    _check_value_fixture(general_typed_values)
    assert general_typed_values[0] in GENERAL_TYPED_VALUES


def test_command_typed_values_fixture(command_typed_values):
    _check_value_fixture(command_typed_values)


def test_image_typed_values_fixture(image_typed_values):
    _check_value_fixture(image_typed_values)
    assert image_typed_values[0] in IMAGE_TYPED_VALUES


def _roundtrip_device(dtype, green):
    dims = {}
    if isinstance(dtype, tuple):
        dims["max_dim_x"] = 300
        if isinstance(dtype[0], tuple):
            dims["max_dim_y"] = 300

    class Roundtrip(Device):
        green_mode = green

        def init_device(self):
            self._value = None

        @attribute(dtype=dtype, access=AttrWriteType.READ_WRITE, **dims)
        def value(self):
            return self._value

        @value.setter
        def value(self, value):
            self._value = value

    return Roundtrip


def test_attribute_typed_values_round_trip(attribute_typed_values, server_green_mode,
                                           client_green_mode):
    """The way PyTango users parametrise server tests with these fixtures."""
    dtype, values, expected = attribute_typed_values
    with DeviceTestContext(_roundtrip_device(dtype, server_green_mode), debug=0) as proxy:
        proxy.set_green_mode(client_green_mode)
        for value in values:
            proxy.value = value
            assert_close(proxy.value, expected(value))


def test_numpy_typed_values_as_hints(attribute_numpy_typed_values):
    hint, dformat, value, expected = attribute_numpy_typed_values

    class NumpyHinted(Device):
        @attribute(dformat=dformat, max_dim_x=4, max_dim_y=4)
        def value(self) -> hint:
            return value

    (spec,) = NumpyHinted._tango_spec().attributes
    assert spec.dformat == dformat


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
    assert math.isclose(1.0, 1.0)
    assert issubclass(GoodEnum, enum.IntEnum)
