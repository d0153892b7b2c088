"""``dumps``/``loads``: a value as ``(format, data)`` in pickle or JSON, as PyTango's
``tango.codec`` (an experimental API there, deprecated, to be removed in PyTango 11)."""

import warnings

__all__ = ["dumps", "loads"]


def _deprecated(name):
    warnings.warn(f"tango.codec.{name} was an experimental API: it will be removed in PyTango 11.0.0",
                  DeprecationWarning, stacklevel=3)


def _codec(fmt):
    """pickle or json for a format name that starts with "pickle" or "json"."""
    if not isinstance(fmt, str):
        raise TypeError(f"the format must be a str starting with 'pickle' or 'json', not {fmt!r}")
    if fmt.startswith("pickle"):
        import pickle

        return pickle
    if fmt.startswith("json"):
        import json

        return json
    raise TypeError(f"Format '{fmt}' not supported (it must start with 'pickle' or 'json')")


def loads(fmt, data):
    """The value that ``data`` encodes in format ``fmt`` ("pickle..." or "json...")."""
    _deprecated("loads")
    return _codec(fmt).loads(data)


def dumps(fmt, obj):
    """``(fmt, data)``: ``obj`` encoded in format ``fmt`` ("pickle..." or "json...")."""
    _deprecated("dumps")
    codec = _codec(fmt)
    if codec.__name__ == "pickle":
        return fmt, codec.dumps(obj, protocol=codec.HIGHEST_PROTOCOL)
    return fmt, codec.dumps(obj)
