"""The Tango host of the running test context, for names without a host (tango.test_context):
a module of its own, with no imports of the package, so that the proxies can use it."""

_test_context_host_trl = None


class InvalidTangoHostTrlError(ValueError):
    """A Tango host TRL that is not ``tango://host:port`` (optionally ``#dbase=no|yes``)."""

    __module__ = "tango.utils"  # where users import it from


def _set_test_context_tango_host_fqtrl(host_trl):
    """Device names without a host resolve to ``host_trl`` from now on (None leaves it as is)."""
    global _test_context_host_trl
    if host_trl is not None:
        _test_context_host_trl = host_trl


def _clear_test_context_tango_host_fqtrl():
    global _test_context_host_trl
    _test_context_host_trl = None


def _get_test_context_tango_host_fqtrl():
    return _test_context_host_trl


def _get_device_fqtrl_if_necessary(device_trl):
    """``device_trl`` with the test context's host when one is set and the name has none:
    ``a/b/c`` becomes ``tango://host:port/a/b/c#dbase=no``."""
    host_trl = _test_context_host_trl
    if not host_trl:
        return device_trl
    from urllib.parse import urlparse

    device = urlparse(device_trl)
    if device.scheme == "tango":
        return device_trl
    host = urlparse(host_trl)
    try:
        port = host.port
    except ValueError:
        port = None
    valid = (host.scheme == "tango" and host.hostname and port and not host.path and not host.params
             and not host.query and host.fragment in ("", "dbase=no", "dbase=yes"))
    if not valid:
        raise InvalidTangoHostTrlError(
            f"Invalid form for Tango host: {host_trl!r} (expected tango://host:port, optionally "
            f"#dbase=no or #dbase=yes), resolving device {device_trl!r}")
    fragment = f"#{host.fragment}" if host.fragment else ""
    return f"tango://{host.netloc}/{device.path.lstrip('/')}{fragment}"


