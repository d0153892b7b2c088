"""The factories of tango.futures, tango.gevent and tango.asyncio (one implementation)."""

from .enums import GreenMode
from .green import green_call


def factories(mode):
    """DeviceProxy and AttributeProxy factories that make proxies of one green mode.

    Creating a proxy connects to the device, a blocking call: it is made the way the mode makes
    calls (``dev = await tango.asyncio.DeviceProxy(name)``; a Future with ``wait=False``).
    """

    def DeviceProxy(*args, green_mode=None, wait=None, timeout=None, **kwargs):
        from .device_proxy import DeviceProxy as _DeviceProxy

        kwargs["green_mode"] = mode
        return green_call(mode, _DeviceProxy, args, kwargs, wait=wait, timeout=timeout)

    def AttributeProxy(*args, green_mode=None, wait=None, timeout=None, **kwargs):
        from .attribute_proxy import AttributeProxy as _AttributeProxy

        kwargs["green_mode"] = mode
        return green_call(mode, _AttributeProxy, args, kwargs, wait=wait, timeout=timeout)

    DeviceProxy.__doc__ = f"A DeviceProxy in the {mode.name} green mode."
    AttributeProxy.__doc__ = f"An AttributeProxy in the {mode.name} green mode."
    return DeviceProxy, AttributeProxy


__all__ = ["factories", "GreenMode"]
