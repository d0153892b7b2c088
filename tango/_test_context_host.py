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


_serves_in_thread = False


def _set_serves_in_thread():
    """This process has served a test context in a thread (tango.test_context)."""
    global _serves_in_thread
    _serves_in_thread = True


def _with_database_host(device_trl):
    """``a/b/c`` as ``tango://<TANGO_HOST>/a/b/c`` in a process that has served a test context
    in a thread. cppTango treats a process whose server exists as a server: a name resolved
    through TANGO_HOST there goes through the server's own database (cppTango 10 takes
    Util::get_database(), which a test context's server has from its -file=, or not at all), and
    cppTango 9.3 crashed there in the suite (a bad_alloc or a segfault in the proxy's
    constructor). With the host in the name cppTango asks that database, as any client does."""
    import os

    if "://" in device_trl or ":" in device_trl.split("/", 1)[0]:
        return device_trl  # a host already
    tango_host = os.environ.get("TANGO_HOST", "").split(",")[0].strip()
    if not tango_host or ":" not in tango_host:
        return device_trl
    return f"tango://{tango_host}/{device_trl.lstrip('/')}"


def _get_device_fqtrl_if_necessary(device_trl):
    """``device_trl`` with the test context's host when one is set and the name has none:
    ``a/b/c`` becomes ``tango://host:port/a/b/c#dbase=no``."""
    host_trl = _test_context_host_trl
    if not host_trl:
        return _with_database_host(device_trl) if _serves_in_thread else device_trl
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


