"""Proxies in the Gevent green mode: calls let the other greenlets run (gevent is an extra)."""

from ._green_factories import GreenMode, factories
from .green import import_gevent as _import_gevent

_import_gevent()  # a clear error at import when gevent is missing

green_mode = GreenMode.Gevent
DeviceProxy, AttributeProxy = factories(green_mode)

__all__ = ["DeviceProxy", "AttributeProxy", "green_mode"]
