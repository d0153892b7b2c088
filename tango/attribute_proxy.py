"""AttributeProxy: one attribute of one device, by its full name.

It composes a DeviceProxy: ``AttributeProxy("tango://h:p/dom/fam/mem/attr#dbase=no")`` talks to
the device ``tango://h:p/dom/fam/mem#dbase=no`` about ``attr``.
"""

from ._tango import ExtractAs
from .device_proxy import DeviceProxy
from .enums import GreenMode
from .green import _as_mode
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
    """A proxy to one attribute of a device.

    ``AttributeProxy("[tango://host:port/]dom/fam/mem/attr[#dbase=no]")``, or
    ``AttributeProxy(device_proxy, "attr")`` to share a device's proxy. Every call that talks to
    the device takes ``green_mode=``, ``wait=`` and ``timeout=`` and is made as the device
    proxy's green mode makes calls (the attribute proxy's mode is its device proxy's).
    """

    def __init__(self, *args, green_mode=None):
        self._device = self._name = None  # (what repr shows if connecting fails)
        # the proxy's own green mode; None: its device proxy's
        self._green_mode = None if green_mode is None else _as_mode(green_mode)
        if len(args) == 2 and isinstance(args[0], DeviceProxy):
            # AttributeProxy(device_proxy, attr_name): share the device's proxy
            if not isinstance(args[1], str):
                raise TypeError(f"the attribute name must be a str, not {type(args[1]).__name__}")
            self._device, self._name = args
            return
        if len(args) != 1:
            raise TypeError("AttributeProxy(full_attr_name) or AttributeProxy(device_proxy, attr_name)")
        name = args[0]
        if isinstance(name, AttributeProxy):
            device, attr = name._device.get_full_name(), name._name
        elif isinstance(name, str):
            device, attr = split_attribute_name(name)
        else:
            raise TypeError(f"the attribute name must be a str, not {type(name).__name__}")
        self._device = DeviceProxy(device, green_mode=green_mode)
        self._name = attr

    def name(self):
        return self._name

    def get_device_proxy(self):
        return self._device

    # -- reading and writing --------------------------------------------------------------------

    def read(self, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None):
        return self._device.read_attribute(self._name, extract_as, **self._green(green_mode, wait, timeout))

    def write(self, value, green_mode=None, wait=None, timeout=None):
        return self._device.write_attribute(self._name, value, **self._green(green_mode, wait, timeout))

    def write_read(self, value, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None):
        return self._device.write_read_attribute(self._name, value, extract_as,
                                                 **self._green(green_mode, wait, timeout))

    def read_asynch(self, cb=None, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None):
        """Start reading: an id for read_reply, or (with ``cb``) cb.attr_read(event) later."""
        return self._device.read_attribute_asynch(self._name, cb, extract_as, **self._green(green_mode, wait, timeout))

    def read_reply(self, idx, poll_timeout=None, extract_as=ExtractAs.Numpy, green_mode=None, wait=None,
                   timeout=None):
        """The DeviceAttribute of read_asynch ``idx`` (``poll_timeout`` in ms: None does not wait,
        0 waits for ever)."""
        return self._device.read_attribute_reply(idx, poll_timeout, extract_as, **self._green(green_mode, wait, timeout))

    def write_asynch(self, value, cb=None, green_mode=None, wait=None, timeout=None):
        """Start writing: an id for write_reply, or (with ``cb``) cb.attr_written(event) later."""
        return self._device.write_attribute_asynch(self._name, value, cb, **self._green(green_mode, wait, timeout))

    def write_reply(self, idx, poll_timeout=None, green_mode=None, wait=None, timeout=None):
        """Wait for write_asynch ``idx`` (``poll_timeout`` as in read_reply)."""
        return self._device.write_attribute_reply(idx, poll_timeout, **self._green(green_mode, wait, timeout))

    # -- configuration --------------------------------------------------------------------------

    def get_config(self, green_mode=None, wait=None, timeout=None):
        return self._device.get_attribute_config(self._name, **self._green(green_mode, wait, timeout))

    def set_config(self, attr_info, green_mode=None, wait=None, timeout=None):
        return self._device.set_attribute_config(attr_info, **self._green(green_mode, wait, timeout))

    # -- the device -----------------------------------------------------------------------------

    def ping(self, green_mode=None, wait=None, timeout=None):
        return self._device.ping(**self._green(green_mode, wait, timeout))

    def state(self, green_mode=None, wait=None, timeout=None):
        return self._device.state(**self._green(green_mode, wait, timeout))

    def status(self, green_mode=None, wait=None, timeout=None):
        return self._device.status(**self._green(green_mode, wait, timeout))

    def get_transparency_reconnection(self):
        return self._device.get_transparency_reconnection()

    def set_transparency_reconnection(self, yesno):
        self._device.set_transparency_reconnection(yesno)

    # -- polling --------------------------------------------------------------------------------

    def poll(self, period, green_mode=None, wait=None, timeout=None):
        """Have the device poll the attribute every ``period`` ms."""
        return self._device.poll_attribute(self._name, period, **self._green(green_mode, wait, timeout))

    def stop_poll(self, green_mode=None, wait=None, timeout=None):
        return self._device.stop_poll_attribute(self._name, **self._green(green_mode, wait, timeout))

    def is_polled(self, green_mode=None, wait=None, timeout=None):
        return self._device.is_attribute_polled(self._name, **self._green(green_mode, wait, timeout))

    def get_poll_period(self, green_mode=None, wait=None, timeout=None):
        """The polling period in ms (0: not polled)."""
        return self._device.get_attribute_poll_period(self._name, **self._green(green_mode, wait, timeout))

    def history(self, depth, extract_as=ExtractAs.Numpy, green_mode=None, wait=None, timeout=None):
        """The last ``depth`` readings of the polling buffer, oldest first."""
        return self._device.attribute_history(self._name, depth, extract_as, **self._green(green_mode, wait, timeout))

    # -- events ---------------------------------------------------------------------------------

    def subscribe_event(self, event_type, cb_or_queuesize, *args, green_mode=None, wait=None, timeout=None,
                        **kwargs):
        """Subscribe to an event of the attribute (see DeviceProxy.subscribe_event: the same
        arguments after the attribute name)."""
        return self._device.subscribe_event(self._name, event_type, cb_or_queuesize, *args,
                                            **self._green(green_mode, wait, timeout), **kwargs)

    def unsubscribe_event(self, event_id, green_mode=None, wait=None, timeout=None):
        return self._device.unsubscribe_event(event_id, **self._green(green_mode, wait, timeout))

    def get_events(self, event_id, callback=None, extract_as=ExtractAs.Numpy):
        """Drain the queue of a pull-model subscription (see DeviceProxy.get_events)."""
        return self._device.get_events(event_id, callback, extract_as)

    def event_queue_size(self, event_id):
        return self._device.event_queue_size(event_id)

    def get_last_event_date(self, event_id):
        return self._device.get_last_event_date(event_id)

    def is_event_queue_empty(self, event_id):
        return self._device.is_event_queue_empty(event_id)

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
        return self._device.get_green_mode() if self._green_mode is None else self._green_mode

    def set_green_mode(self, green_mode=None):
        """The green mode of this proxy's calls (None: its device proxy's)."""
        self._green_mode = None if green_mode is None else _as_mode(green_mode)

    def _green(self, green_mode, wait, timeout):
        """The green arguments to pass on to the device proxy (none when they are the defaults, so
        the compiled synchronous methods are called as they are)."""
        if green_mode is None:
            green_mode = self._green_mode
        if green_mode is None and wait is None and timeout is None:
            return {}  # (keyword arguments only, so they never take a positional's place)
        return {"green_mode": green_mode, "wait": wait, "timeout": timeout}

    def __repr__(self):
        if self._device is None:
            return "AttributeProxy(<Unknown attribute: the proxy was not fully initialized>)"
        return f"AttributeProxy({self._name})"

    __str__ = __repr__


def get_attribute_proxy(*args, green_mode=None, wait=None, timeout=None, **kwargs):
    """An AttributeProxy, made the way its green mode makes calls (as get_device_proxy)."""
    from .green import _as_mode, get_green_mode, green_call

    mode = _as_mode(green_mode) if green_mode is not None else get_green_mode()
    if mode == GreenMode.Synchronous:
        return AttributeProxy(*args, green_mode=mode, **kwargs)
    return green_call(mode, AttributeProxy, args, dict(kwargs, green_mode=mode), wait=wait, timeout=timeout)
