"""AttributeProxy: one attribute of one device, by its full name.

It composes a DeviceProxy: ``AttributeProxy("tango://h:p/dom/fam/mem/attr#dbase=no")`` talks to
the device ``tango://h:p/dom/fam/mem#dbase=no`` about ``attr``.
"""

from ._tango import ExtractAs
from .device_proxy import DeviceProxy
from .enums import GreenMode
from .errors import WrongNameSyntax
from ._tango import DevError, ErrSeverity

__all__ = ["AttributeProxy", "get_attribute_proxy"]


def split_attribute_name(full_name):
    """(device name, attribute name) of ``[tango://host:port/]dom/fam/mem/attr[#dbase=no]``."""
    name, sep, suffix = full_name.partition("#")
    prefix = ""
    rest = name
    if "://" in name:
        scheme, _, rest = name.partition("://")
        host, _, rest = rest.partition("/")
        prefix = f"{scheme}://{host}/"
    parts = rest.split("/")
    if len(parts) != 4 or not all(parts):
        raise WrongNameSyntax(
            DevError(
                "API_WrongAttributeNameSyntax",
                f"{full_name!r} is not an attribute name "
                "([tango://host:port/]domain/family/member/attribute[#dbase=no])",
                "AttributeProxy",
                ErrSeverity.ERR,
            )
        )
    device = prefix + "/".join(parts[:3]) + (sep + suffix if sep else "")
    return device, parts[3]


class AttributeProxy:
    """A proxy to one attribute of a device."""

    def __init__(self, name, attr_name=None, green_mode=None, wait=None, timeout=None):
        if isinstance(name, DeviceProxy) and attr_name is not None:
            # AttributeProxy(device_proxy, attr_name): share the device's proxy
            self._device, self._name = name, attr_name
            return
        if isinstance(name, AttributeProxy):
            device, attr = name._device.get_full_name(), name._name
        else:
            device, attr = split_attribute_name(name)
        self._device = DeviceProxy(device, green_mode=green_mode)
        self._name = attr

    def name(self):
        return self._name

    def get_device_proxy(self):
        return self._device

    def read(self, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None):
        return self._device.read_attribute(self._name, extract_as, **_green(green_mode, wait, timeout))

    def write(self, value, green_mode=None, wait=None, timeout=None):
        return self._device.write_attribute(self._name, value, **_green(green_mode, wait, timeout))

    def write_read(self, value, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None):
        return self._device.write_read_attribute(self._name, value, extract_as,
                                                 **_green(green_mode, wait, timeout))

    def get_config(self, green_mode=None, wait=None, timeout=None):
        return self._device.get_attribute_config(self._name, **_green(green_mode, wait, timeout))

    def set_config(self, attr_info, green_mode=None, wait=None, timeout=None):
        return self._device.set_attribute_config(attr_info, **_green(green_mode, wait, timeout))

    def ping(self, green_mode=None, wait=None, timeout=None):
        return self._device.ping(**_green(green_mode, wait, timeout))

    def state(self, green_mode=None, wait=None, timeout=None):
        return self._device.state(**_green(green_mode, wait, timeout))

    def status(self, green_mode=None, wait=None, timeout=None):
        return self._device.status(**_green(green_mode, wait, timeout))

    def get_transparency_reconnection(self):
        return self._device.get_transparency_reconnection()

    def set_transparency_reconnection(self, yesno):
        self._device.set_transparency_reconnection(yesno)

    # -- the attribute's properties, in its device's database ----------------------------------

    def get_property(self, propname):
        """The attribute's properties named by ``propname`` (str, sequence, dict or DbDatum),
        as {name: [str, ...]}."""
        from .db import _names

        names = [d.name for d in _names(propname)]
        props = self._device.get_device_db().get_device_attribute_property(
            self._device.dev_name(), self._name)[self._name]
        return {n: props.get(n, []) for n in names}

    def put_property(self, value):
        """Store attribute properties: a dict {name: value}, a DbDatum or a sequence of them."""
        from .db import _to_put

        props = {d.name: list(d.value_string) for d in _to_put(value)}
        self._device.get_device_db().put_device_attribute_property(self._device.dev_name(), {self._name: props})

    def delete_property(self, value):
        """Delete the attribute properties named by ``value`` (str, sequence, dict or DbDatum)."""
        from .db import _names

        names = [d.name for d in _names(value)]
        self._device.get_device_db().delete_device_attribute_property(self._device.dev_name(), {self._name: names})

    def get_green_mode(self):
        return self._device.get_green_mode()

    def set_green_mode(self, green_mode=None):
        self._device.set_green_mode(green_mode)

    def __repr__(self):
        return f"AttributeProxy({self._name})"

    __str__ = __repr__


def _green(green_mode, wait, timeout):
    """The green arguments to pass on to the device proxy (none when they are the defaults, so
    the compiled synchronous methods are called as they are)."""
    if green_mode is None and wait is None and timeout is None:
        return {}
    return {"green_mode": green_mode, "wait": wait, "timeout": timeout}


def get_attribute_proxy(*args, green_mode=None, wait=None, timeout=None, **kwargs):
    """An AttributeProxy, made the way its green mode makes calls (as get_device_proxy)."""
    from .green import _as_mode, get_green_mode, green_call

    mode = _as_mode(green_mode) if green_mode is not None else get_green_mode()
    if mode == GreenMode.Synchronous:
        return AttributeProxy(*args, green_mode=mode, **kwargs)
    return green_call(mode, AttributeProxy, args, dict(kwargs, green_mode=mode), wait=wait, timeout=timeout)
