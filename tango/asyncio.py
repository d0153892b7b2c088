"""Proxies in the Asyncio green mode: ``dev = await tango.asyncio.DeviceProxy(name)``, then
``await dev.read_attribute("x")``, ``await dev.voltage``, ``await dev.Calibrate()``."""

from ._green_factories import GreenMode, factories

green_mode = GreenMode.Asyncio
DeviceProxy, AttributeProxy = factories(green_mode)

# PyTango's short names of the same factories
Device = DeviceProxy
Attribute = AttributeProxy

__all__ = ["DeviceProxy", "AttributeProxy", "green_mode"]
