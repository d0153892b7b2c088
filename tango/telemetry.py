"""PyTango's ``tango.telemetry``: the telemetry enums, endpoints and the tracer provider factory
(see tango/_telemetry.py: this build has no telemetry compiled in, its tracers are no-op)."""

from ._telemetry import (
    TelemetryEndpoint, TelemetryExporter, TelemetryTopic, TelemetryType,
    get_telemetry_tracer_provider_factory, set_telemetry_tracer_provider_factory,
)

__all__ = [
    "TelemetryEndpoint", "TelemetryExporter", "TelemetryTopic", "TelemetryType",
    "get_telemetry_tracer_provider_factory", "set_telemetry_tracer_provider_factory",
]
