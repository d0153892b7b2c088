"""Telemetry (OpenTelemetry traces of Tango calls), as PyTango 10.3 offers it: the names of
``tango.telemetry`` and the state behind them.

This build of pytango has no telemetry compiled in (``tango.constants.TELEMETRY_SUPPORTED`` is
False), so nothing is traced: the tracer providers that the factory makes are no-op ones, whose
tracers start spans that record nothing. The public names still behave as PyTango's do without
telemetry, so code written for a telemetry build runs unchanged:

    from tango.telemetry import TelemetryEndpoint, TelemetryExporter
    factory = tango.telemetry.get_telemetry_tracer_provider_factory()
    provider = factory("my.service")              # a no-op provider here
    tracer = provider.get_tracer("my.module")
    with tracer.start_as_current_span("work"):
        ...

The endpoints a factory gets by default are the client's tracing endpoints of the environment:
``TANGO_TELEMETRY_TRACING_EXPORTERS`` (a comma-separated list of console, grpc, http or none;
console when ``TANGO_TELEMETRY_ENABLE`` is on and the list is not given) and
``TANGO_TELEMETRY_TRACING_ENDPOINTS`` (their addresses, in the same order). Importing this module
never warns; an unknown exporter name warns when the environment is read (a factory called).
"""

import contextlib
import dataclasses
import enum
import importlib.util
import inspect
import os
import typing
import warnings

from .constants import TELEMETRY_SUPPORTED

__all__ = [
    "TelemetryEndpoint", "TelemetryExporter", "TelemetryTopic", "TelemetryType",
    "get_telemetry_tracer_provider_factory", "set_telemetry_tracer_provider_factory",
]


class TelemetryExporter(enum.IntEnum):
    """Where telemetry goes: an OTLP collector over gRPC or HTTP, or the console."""

    GRPC = 0
    HTTP = 1
    CONSOLE = 2


class TelemetryType(enum.IntEnum):
    """The kinds of telemetry signal (NONE: neither)."""

    TRACING = 0
    LOGGING = 1
    NONE = 2


class TelemetryTopic(enum.IntEnum):
    """The parts of Tango whose activity is traced (ALL is the one cppTango 10.3 honours fully)."""

    DATABASE = 0
    EVENTS = 1
    POLLING = 2
    USER = 3
    ALL = 4


@dataclasses.dataclass(frozen=True)
class TelemetryEndpoint:
    """One destination of telemetry: an exporter and its address ("" for its default)."""

    exporter: TelemetryExporter
    endpoint: str


class TracerProviderFactory(typing.Protocol):
    """What makes tracer providers: called with a service name and optionally its instance id,
    extra resource attributes and the endpoints to export to."""

    def __call__(self, service_name: str, service_instance_id: typing.Optional[str] = None,
                 extra_resource_attributes: typing.Optional[dict] = None,
                 endpoints: typing.Optional[tuple] = None): ...


# -- the no-op tracing objects ------------------------------------------------------------------


class _NoOpSpanContext(typing.NamedTuple):
    trace_id: int = 0
    span_id: int = 0
    is_remote: bool = False
    trace_flags: int = 0
    trace_state: dict = {}
    is_valid: bool = False


class _NoOpSpan:
    """A span that records nothing; usable as a context manager, as OpenTelemetry's spans."""

    def set_attribute(self, key, value):
        return None

    def set_attributes(self, attributes):
        return None

    def add_event(self, name, attributes=None, timestamp=None):
        return None

    def add_link(self, context, attributes=None):
        return None

    def update_name(self, name):
        return None

    def set_status(self, status, description=None):
        return None

    def record_exception(self, exception, attributes=None, timestamp=None, escaped=False):
        return None

    def is_recording(self):
        return False

    def end(self, end_time=None):
        return None

    def get_span_context(self):
        return _NoOpSpanContext(trace_state={})

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.end()
        return False


class _NoOpTracer:
    """A tracer whose spans record nothing."""

    def start_span(self, name, *args, **kwargs):
        return _NoOpSpan()

    @contextlib.contextmanager
    def start_as_current_span(self, name, *args, **kwargs):
        yield _NoOpSpan()


class _NoOpTracerProvider:
    def get_tracer(self, instrumenting_module_name, *args, **kwargs):
        return _NoOpTracer()


def _no_op_tracer_provider_factory(service_name, service_instance_id=None,
                                   extra_resource_attributes=None, endpoints=None):
    """The factory of this build: every provider it makes is a no-op one."""
    if not isinstance(service_name, str):
        raise TypeError(f"service_name must be a str, not {type(service_name).__name__}")
    return _NoOpTracerProvider()


# -- the environment ----------------------------------------------------------------------------

_EXPORTER_NAMES = ("console", "grpc", "http", "none")


def _env(name):
    """The value of a Tango environment variable (None when it is not set)."""
    return os.environ.get(name)


def _env_on(name):
    return (_env(name) or "").strip().lower() in ("on", "1", "true", "yes", "y")


def _split(value):
    return [item.strip() for item in value.split(",")] if value else []


def _tracing_endpoints_from_env():
    """The client's tracing endpoints as the environment gives them (a tuple of
    TelemetryEndpoint; exporters named "none" give none)."""
    names = [n.lower() for n in _split(_env("TANGO_TELEMETRY_TRACING_EXPORTERS")) if n]
    if not names:
        names = ["console" if _env_on("TANGO_TELEMETRY_ENABLE") else "none"]
    addresses = _split(_env("TANGO_TELEMETRY_TRACING_ENDPOINTS"))
    if len(addresses) > len(names):
        warnings.warn(f"TANGO_TELEMETRY_TRACING_ENDPOINTS gives {len(addresses)} endpoints for "
                      f"{len(names)} exporters: the extra ones are ignored", stacklevel=3)
        addresses = addresses[:len(names)]
    addresses += [""] * (len(names) - len(addresses))
    endpoints = []
    for name, address in zip(names, addresses):
        if name not in _EXPORTER_NAMES:
            warnings.warn(f"TANGO_TELEMETRY_TRACING_EXPORTERS: unknown exporter {name!r} (known: "
                          f"{', '.join(_EXPORTER_NAMES)}); the console is used instead", stacklevel=3)
            name = "console"
        if name != "none":
            endpoints.append(TelemetryEndpoint(TelemetryExporter[name.upper()], address))
    return tuple(endpoints)


def _opentelemetry_available():
    try:
        return importlib.util.find_spec("opentelemetry") is not None
    except (ImportError, ValueError):
        return False


# -- the factory --------------------------------------------------------------------------------

_custom_factory = None


def _telemetry_active():
    """Whether spans can be made for real: telemetry compiled in and OpenTelemetry installed."""
    return bool(TELEMETRY_SUPPORTED) and _opentelemetry_available()


def _accepts_endpoints(factory):
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):  # a callable whose signature cannot be read: the full form
        return True
    return "endpoints" in parameters or any(
        p.kind == inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def _call_factory(factory, service_name, service_instance_id=None, extra_resource_attributes=None,
                  endpoints=None):
    """Call a factory, with ``endpoints`` if it takes them (PyTango 10.0's factories do not)."""
    if _accepts_endpoints(factory):
        return factory(service_name, service_instance_id, extra_resource_attributes, endpoints=endpoints)
    return factory(service_name, service_instance_id, extra_resource_attributes)


def set_telemetry_tracer_provider_factory(provider_factory):
    """Make ``provider_factory`` the maker of tracer providers (for the client and the devices).

    It is called as ``provider_factory(service_name, service_instance_id=None,
    extra_resource_attributes=None, endpoints=None)`` (a factory without ``endpoints`` is called
    without them) and returns an OpenTelemetry TracerProvider. Without telemetry compiled in,
    it is kept but not used: the providers stay no-op ones. None goes back to the default."""
    global _custom_factory
    if provider_factory is not None and not callable(provider_factory):
        raise TypeError(f"provider_factory must be callable, not {type(provider_factory).__name__}")
    _custom_factory = provider_factory


def _current_factory():
    if _telemetry_active() and _custom_factory is not None:
        return _custom_factory
    return _no_op_tracer_provider_factory


def get_telemetry_tracer_provider_factory():
    """The factory of tracer providers in use, as a callable ``factory(service_name,
    service_instance_id=None, extra_resource_attributes=None, endpoints=None)``; when
    ``endpoints`` is not given, it uses the client's tracing endpoints of the environment (read
    at each call). Without telemetry compiled in, its providers are no-op ones."""
    factory = _current_factory()

    def tracer_provider_factory(service_name, service_instance_id=None, extra_resource_attributes=None,
                                endpoints=None):
        if endpoints is None:
            endpoints = _tracing_endpoints_from_env()
        return _call_factory(factory, service_name, service_instance_id, extra_resource_attributes,
                             endpoints=endpoints)

    tracer_provider_factory.__wrapped__ = factory
    return tracer_provider_factory
