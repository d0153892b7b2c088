"""The one place the version of pytango is written."""

__version__ = "10.0.0"
version_info = tuple(int(p) for p in __version__.split("."))
