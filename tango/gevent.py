"""Proxies in the Gevent green mode: calls let the other greenlets run (gevent is an extra)."""

from ._green_factories import GreenMode, factories
from .green import import_gevent as _import_gevent


def check_requirements():
    """Check that gevent can serve the Gevent green mode: ImportError, saying what is missing,
    when gevent is not installed or older than 1.0; nothing otherwise."""
    gevent = _import_gevent()
    version = getattr(gevent, "__version__", "")
    if _release(version) < (1, 0):
        raise ImportError(f"the Gevent green mode needs gevent >= 1.0, not {version or 'an unknown version'}: "
                          "pip install -U gevent (or use the Futures green mode)")


def _release(version):
    """The leading numbers of a version string, as a tuple ("1.5a2" -> (1, 5)); () when none."""
    numbers = []
    for part in str(version).split("."):
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) < len(part):  # a pre-release or local suffix ends the release numbers
            break
    return tuple(numbers)


check_requirements()  # a clear error at import when gevent is missing or too old

green_mode = GreenMode.Gevent
DeviceProxy, AttributeProxy = factories(green_mode)

# PyTango's short names of the same factories
Device = DeviceProxy
Attribute = AttributeProxy

__all__ = ["DeviceProxy", "AttributeProxy", "green_mode"]
