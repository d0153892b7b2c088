"""Release facts of pytango, as PyTango's ``tango.release.Release``."""

from ._tango import __cpptango_version__
from . import _version

__all__ = ["Release"]


class Release:
    """The release of pytango, as class attributes (``tango.Release.version`` and so on).

    ``version_info`` is ``(major, minor, micro)``, ``version_number`` is
    ``major * 100 + minor * 10 + micro``, ``release`` the pre/post/dev suffix (empty for a final
    release) and ``version_long`` the version with that suffix.
    """

    name = "pytango"
    version_info = tuple(_version.version_info)
    version = ".".join(str(part) for part in version_info[:3])
    release = "".join(str(part) for part in version_info[3:])
    separator = "." if ("dev" in release or "post" in release) else ""
    version_long = version + separator + release
    version_description = "The Python binding of Tango, on cppTango " + __cpptango_version__ + "."
    version_number = int(version_info[0]) * 100 + int(version_info[1]) * 10 + int(version_info[2])
    description = "A Python binding of the Tango control system"
    long_description = (
        "pytango: clients (DeviceProxy, AttributeProxy, events, green modes), device servers "
        "(tango.server) and test contexts, with the public API of PyTango, on cppTango."
    )
    license = "LGPL-3.0-or-later"
    authors = {"pytango": ("The pytango developers", "")}
    author_lines = "\n".join(f"{full} <{mail}>" for full, mail in authors.values())
    url = "https://www.tango-controls.org"
    download_url = "https://pypi.org/project/pytango"
    platform = ["Linux"]
    keywords = ["Tango", "CORBA", "binding"]
