"""The warning category of pytango and a warn-once helper, as PyTango's ``tango._warnings``.

Every warning pytango emits for users is a ``PyTangoUserWarning`` (a ``UserWarning``), so a
test suite or an application can filter or escalate them in one place::

    warnings.simplefilter("error", tango.PyTangoUserWarning)
"""

import warnings

__all__ = ["PyTangoUserWarning", "warn_once"]

# the keys warned about already (PyTango names this set _already_warned_keys: tests clear it)
_warned = _already_warned_keys = set()


class PyTangoUserWarning(UserWarning):
    """A warning pytango gives its users (deprecations keep DeprecationWarning)."""


def warn_once(message, key, category=Warning, stacklevel=1):
    """Warn with ``message`` the first time ``key`` is seen; True if it warned now."""
    if key in _warned:
        return False
    _warned.add(key)
    warnings.warn(message, category=category, stacklevel=stacklevel + 1)
    return True
