"""History records for the polling buffers a device fills itself.

``Util.fill_attr_polling_buffer`` (or ``Device.fill_attr_polling_buffer``) writes a list of
``TimedAttrData`` into the polling buffer of an attribute polled "externally triggered" (polling
period 0); ``fill_cmd_polling_buffer`` does the same with ``TimedCmdData`` for a command.
Clients then read them with ``attribute_history`` / ``command_history``.
"""

import time

from ._tango import AttrQuality

__all__ = ["TimedAttrData", "TimedCmdData"]


class TimedAttrData:
    """One attribute history record.

    value       the read value (scalar, or array/nested lists for spectra and images); may be
                None when quality is ATTR_INVALID
    quality     an AttrQuality (ATTR_VALID by default)
    w_value     the set point, READ_WRITE attributes only (None: not recorded)
    error       an exception (DevFailed or any other) instead of a value
    time_stamp  seconds since the epoch (float) or a TimeVal; None means now
    """

    __slots__ = ("value", "quality", "w_value", "error", "time_stamp")

    def __init__(self, value=None, quality=AttrQuality.ATTR_VALID, w_value=None, error=None,
                 time_stamp=None):
        self.value = value
        self.quality = AttrQuality(quality)
        self.w_value = w_value
        self.error = error
        self.time_stamp = time.time() if time_stamp is None else time_stamp

    def __repr__(self):
        return (f"TimedAttrData(value={self.value!r}, quality={self.quality!r}, w_value={self.w_value!r}, "
                f"error={self.error!r}, time_stamp={self.time_stamp!r})")


class TimedCmdData:
    """One command history record: a result ``value`` or an ``error`` (an exception), and its
    ``time_stamp`` (seconds since the epoch or a TimeVal; None means now)."""

    __slots__ = ("value", "error", "time_stamp")

    def __init__(self, value=None, error=None, time_stamp=None):
        self.value = value
        self.error = error
        self.time_stamp = time.time() if time_stamp is None else time_stamp

    def __repr__(self):
        return f"TimedCmdData(value={self.value!r}, error={self.error!r}, time_stamp={self.time_stamp!r})"
