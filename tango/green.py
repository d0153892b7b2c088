"""The default green mode of the process (the green mode machinery itself comes later)."""

from .enums import GreenMode

_default_green_mode = GreenMode.Synchronous


def get_green_mode():
    """The green mode used by proxies created without an explicit one."""
    return _default_green_mode


def set_green_mode(green_mode=None):
    """Set the default green mode (None means Synchronous)."""
    global _default_green_mode
    if green_mode is None:
        green_mode = GreenMode.Synchronous
    _default_green_mode = GreenMode(green_mode)
