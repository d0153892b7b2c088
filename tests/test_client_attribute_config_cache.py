"""What dev.attr keeps of an attribute's configuration (PyTango 10.3's cache): a DevEnum's labels,
and the type a write converts to. The device changes its attributes while the client runs."""

import enum

import pytest

import tango
from tango import AttrWriteType, DevFailed
from tango.server import Device, attribute, command
from tango.test_context import DeviceTestContext


class First(enum.IntEnum):
    LOW = 0
    HIGH = 1


class Second(enum.IntEnum):
    OFF = 0
    ON = 1
    BOTH = 2


class Changing(Device):
    def init_device(self):
        super().init_device()
        self.stored = {"level": 1, "count": 1}
        self.add_attribute(attribute(name="level", dtype=First, access=AttrWriteType.READ_WRITE))
        self.add_attribute(attribute(name="count", dtype=int, access=AttrWriteType.READ_WRITE))

    def read_level(self, attr):
        return self.stored["level"]

    def write_level(self, attr):
        self.stored["level"] = attr.get_write_value()

    def read_count(self, attr):
        return self.stored["count"]

    def write_count(self, attr):
        self.stored["count"] = attr.get_write_value()

    @command(dtype_in=str)
    def remake(self, what):
        """Remove an attribute and add it again with another type."""
        self.remove_attribute(what)
        if what == "level":
            self.add_attribute(attribute(name="level", dtype=Second, access=AttrWriteType.READ_WRITE))
        else:
            self.stored["count"] = "many"
            self.add_attribute(attribute(name="count", dtype=str, access=AttrWriteType.READ_WRITE))

    @command(dtype_in=str)
    def drop(self, what):
        self.remove_attribute(what)

    @command(dtype_out=str)
    def stored_repr(self):
        return repr(sorted(self.stored.items()))


@pytest.fixture
def proxy():
    with DeviceTestContext(Changing) as proxy:
        yield proxy


def test_the_cache_is_on_by_default_and_can_be_turned_off(proxy):
    assert proxy.is_attribute_config_cache_enabled() is True
    proxy.set_attribute_config_cache(False)
    assert proxy.is_attribute_config_cache_enabled() is False
    proxy.set_attribute_config_cache(True)
    assert proxy.is_attribute_config_cache_enabled() is True


def test_with_the_cache_the_old_labels_stay_until_invalidated(proxy):
    assert proxy.level.name == "HIGH"
    proxy.remake("level")
    assert proxy.level.name == "HIGH"  # value 1 under the labels first read
    proxy.invalidate_attribute_config_cache()
    assert proxy.level.name == "ON"


def test_without_the_cache_each_read_asks_the_labels(proxy):
    proxy.set_attribute_config_cache(False)
    assert proxy.level.name == "HIGH"
    proxy.remake("level")
    assert proxy.level.name == "ON"


def test_a_label_unknown_to_the_cache_is_looked_up_again(proxy):
    assert proxy.level.name == "HIGH"
    proxy.remake("level")
    proxy.level = "BOTH"  # not a label of the cached First: the labels are read again
    assert proxy.stored_repr() == repr([("count", 1), ("level", 2)])
    with pytest.raises(AttributeError, match=r"Invalid enum value NONE for attribute level\. "
                                             r"Valid values: \['OFF', 'ON', 'BOTH'\]"):
        proxy.level = "NONE"


def test_a_write_of_a_remade_attribute_uses_its_new_type(proxy):
    proxy.count = 5
    assert proxy.count == 5
    proxy.remake("count")  # now a DevString
    proxy.count = "several"  # refused by the type known first, so asked again
    assert proxy.count == "several"
    with pytest.raises(TypeError):
        proxy.count = 3.5j  # still a wrong value for the new type: refused, once asked


def test_a_removed_attribute_is_gone_for_reads_and_a_devfailed_for_writes(proxy):
    assert proxy.count == 1
    proxy.drop("count")
    for _ in range(2):
        with pytest.raises(DevFailed) as info:
            proxy.count = 2
        assert info.value.args[0].reason == "API_AttrNotFound"
    with pytest.raises(AttributeError, match="has no attribute or command 'count'"):
        proxy.count
    assert "count" not in proxy


def test_reads_in_asyncio_keep_the_cached_labels(proxy):
    import asyncio

    import tango.asyncio

    async def main():
        dev = await tango.asyncio.DeviceProxy(proxy.dev_name())
        first = await dev.level
        proxy.remake("level")
        second = await dev.level
        dev.invalidate_attribute_config_cache()
        third = await dev.level
        return first.name, second.name, third.name

    assert asyncio.run(main()) == ("HIGH", "HIGH", "ON")
