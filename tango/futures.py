"""Proxies in the Futures green mode: ``dev.read_attribute("x", wait=False)`` is a Future."""

from ._green_factories import GreenMode, factories

green_mode = GreenMode.Futures
DeviceProxy, AttributeProxy = factories(green_mode)

# PyTango's short names of the same factories
Device = DeviceProxy
Attribute = AttributeProxy

__all__ = ["DeviceProxy", "AttributeProxy", "green_mode"]
