"""device_property and class_property: defaults, values given to the test context, mandatory."""

import json

import pytest

from tango import DevFailed
from tango.server import attribute, class_property, command, device_property

from _green_server import GreenDeviceTestContext, GreenModeProbe, GreenMultiDeviceTestContext


class Configurable(GreenModeProbe):
    host = device_property(dtype=str, default_value="localhost", doc="where the hardware is")
    port = device_property(dtype=int, default_value=5000)
    ratio = device_property(dtype=float, default_value=0.5)
    enabled = device_property(dtype=bool, default_value=False)
    names = device_property(dtype=(str,), default_value=["a", "b"])
    gains = device_property(dtype=(float,), default_value=[1.0])
    channels = device_property(dtype=(int,), default_value=[1, 2, 3])
    inferred = device_property(default_value=7)  # type from the default value
    no_default = device_property(dtype=str)
    site = class_property(dtype=str, default_value="lab")
    levels = class_property(dtype=(int,), default_value=[0])

    def init_device(self):
        self.seen_in_init = self.host  # properties are loaded before init_device

    @attribute(dtype=str)
    def values(self):
        return json.dumps({name: getattr(self, name) for name in (
            "host", "port", "ratio", "enabled", "names", "gains", "channels", "inferred",
            "no_default", "site", "levels", "seen_in_init")})

    @command(dtype_out=str)
    def types(self):
        return json.dumps({name: type(getattr(self, name)).__name__ for name in (
            "host", "port", "ratio", "enabled", "names", "gains", "channels", "inferred")})


DEFAULTS = {"host": "localhost", "port": 5000, "ratio": 0.5, "enabled": False, "names": ["a", "b"],
            "gains": [1.0], "channels": [1, 2, 3], "inferred": 7, "no_default": None,
            "site": "lab", "levels": [0], "seen_in_init": "localhost"}


def test_defaults(server_mode):
    with GreenDeviceTestContext(Configurable, server_mode, debug=0) as proxy:
        assert json.loads(proxy.values) == DEFAULTS
        assert json.loads(proxy.types()) == {
            "host": "str", "port": "int", "ratio": "float", "enabled": "bool", "names": "list",
            "gains": "list", "channels": "list", "inferred": "int"}


@pytest.mark.parametrize("given,seen", [
    ({"host": "psu.example"}, {"host": "psu.example", "seen_in_init": "psu.example"}),
    ({"port": 6000}, {"port": 6000}),
    ({"port": "0x10"}, {"port": 16}),
    ({"ratio": 2.75}, {"ratio": 2.75}),
    ({"ratio": "-1e-3"}, {"ratio": -0.001}),
    ({"enabled": True}, {"enabled": True}),
    ({"enabled": "false"}, {"enabled": False}),
    ({"enabled": "1"}, {"enabled": True}),
    ({"names": ["x", "y", "z"]}, {"names": ["x", "y", "z"]}),
    ({"names": "single"}, {"names": ["single"]}),
    ({"gains": [0.25, 4]}, {"gains": [0.25, 4.0]}),
    ({"channels": [9]}, {"channels": [9]}),
    ({"inferred": 11}, {"inferred": 11}),
    ({"no_default": "now set"}, {"no_default": "now set"}),
    ({"host": "a b \"quoted\" c"}, {"host": "a b \"quoted\" c", "seen_in_init": "a b \"quoted\" c"}),
])
def test_values_given_through_the_test_context(given, seen, server_mode):
    with GreenDeviceTestContext(Configurable, server_mode, properties=given, debug=0) as proxy:
        assert json.loads(proxy.values) == {**DEFAULTS, **seen}


def test_class_properties_given_through_the_test_contexts(server_mode):
    with GreenDeviceTestContext(Configurable, server_mode,
                                class_properties={"site": "beamline", "levels": [3, 4]},
                                debug=0) as proxy:
        values = json.loads(proxy.values)
        assert (values["site"], values["levels"]) == ("beamline", [3, 4])
    info = [{"class": Configurable, "class_properties": {"site": "hall"},
             "devices": [{"name": "test/conf/1"}, {"name": "test/conf/2", "properties": {"port": 1}}]}]
    with GreenMultiDeviceTestContext(info, server_mode, debug=0) as ctx:
        one, two = (json.loads(ctx.get_device(f"test/conf/{i}").values) for i in (1, 2))
        assert one["site"] == two["site"] == "hall"
        assert (one["port"], two["port"]) == (5000, 1)
    with GreenMultiDeviceTestContext([{"class": Configurable, "devices": [{"name": "test/conf/1"}]}],
                                     server_mode, class_properties={"Configurable": {"levels": [7]}},
                                     debug=0) as ctx:
        assert json.loads(ctx.get_device("test/conf/1").values)["levels"] == [7]


class Strict(GreenModeProbe):
    needed = device_property(dtype=str, mandatory=True)
    needed_number = device_property(dtype=int, mandatory=True)

    @attribute(dtype=str)
    def summary(self):
        return f"{self.needed}:{self.needed_number}"


def test_mandatory_properties(server_mode):
    with GreenDeviceTestContext(Strict, server_mode, properties={"needed": "yes", "needed_number": 3},
                                debug=0) as proxy:
        assert proxy.summary == "yes:3"
    for missing, absent in (({}, "needed"), ({"needed": "yes"}, "needed_number"),
                            ({"needed_number": 3}, "needed")):
        # cppTango refuses a device whose init fails: the server does not come up, and the
        # context raises the server's error (as PyTango does), naming the missing property
        with pytest.raises(DevFailed, match=f"Device property {absent} is mandatory") as info:
            with GreenDeviceTestContext(Strict, server_mode, properties=missing, debug=0, timeout=20):
                pass
        assert info.value.args[0].reason == "PyDs_MissingDeviceProperty"
        assert "Strict" in str(info.value.__cause__)


def test_properties_reloaded_by_init(server_mode):
    class Counting(GreenModeProbe):
        limit = device_property(dtype=int, default_value=1)

        def init_device(self):
            self._inits = getattr(self, "_inits", 0) + 1

        @attribute(dtype=str)
        def state_of_things(self):
            return f"{self.limit}/{self._inits}"

    with GreenDeviceTestContext(Counting, server_mode, properties={"limit": 4}, debug=0) as proxy:
        assert proxy.state_of_things == "4/1"
        proxy.Init()
        assert proxy.state_of_things == "4/2"


def test_property_declarations_are_readable_on_the_class():
    assert Configurable.host.default_value == "localhost"
    assert Configurable.host.doc == "where the hardware is"
    assert Strict.needed.mandatory is True
    assert isinstance(Configurable.site, class_property)
