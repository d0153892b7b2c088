"""Constants of Tango, as PyTango's ``tango.constants`` (``import tango.constants``).

The values that belong to cppTango (``TgLibVers``, ``DEFAULT_TIMEOUT``, ``AlrmValueNotSpec``...)
come from the cppTango the extension was built with: they are the compiled module's
``tango._tango.constants``, re-exported here one for one, so they can never drift from the
library. This module adds only what is not cppTango's to give.
"""

from . import _tango

globals().update(
    (name, value) for name, value in vars(_tango.constants).items() if not name.startswith("_")
)

# TgLibVers as one number, 0xMMmmpp00 (10.0.2 is 0x10000200), as PyTango gives it.
TANGO_VERSION_HEX = int("0x{:02d}{:02d}{:02d}00".format(*(int(part) for part in _tango.constants.TgLibVers.split(".")[:3])), 16)

# pytango has no OpenTelemetry support (yet): telemetry calls report that it is off.
TELEMETRY_SUPPORTED = False

__all__ = sorted([name for name in globals() if not name.startswith("_")] + ["NUMPY_VERSION"])


def __getattr__(name):
    # NUMPY_VERSION, the numpy that values are converted with: looked up when asked for, so
    # that `import tango` does not import numpy
    if name == "NUMPY_VERSION":
        import numpy

        return numpy.__version__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
