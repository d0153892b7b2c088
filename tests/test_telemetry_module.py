"""tango.telemetry without telemetry compiled in: the enums, endpoints, the tracer provider
factory (no-op providers, the environment's endpoints by default) and a quiet import."""

import dataclasses
import enum
import subprocess
import sys
import warnings

import pytest

import tango
import tango._telemetry
import tango.telemetry
from tango.telemetry import (TelemetryEndpoint, TelemetryExporter, TelemetryTopic, TelemetryType,
                             get_telemetry_tracer_provider_factory, set_telemetry_tracer_provider_factory)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("TANGO_TELEMETRY_ENABLE", "TANGO_TELEMETRY_TRACING_EXPORTERS",
                 "TANGO_TELEMETRY_TRACING_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    yield
    set_telemetry_tracer_provider_factory(None)


def test_the_build_has_no_telemetry():
    assert tango.constants.TELEMETRY_SUPPORTED is False


def test_enums_members_and_values():
    for cls in (TelemetryExporter, TelemetryType, TelemetryTopic):
        assert issubclass(cls, enum.IntEnum)
    assert {m.name: m.value for m in TelemetryExporter} == {"GRPC": 0, "HTTP": 1, "CONSOLE": 2}
    assert {m.name: m.value for m in TelemetryType} == {"TRACING": 0, "LOGGING": 1, "NONE": 2}
    assert {m.name: m.value for m in TelemetryTopic} == {
        "DATABASE": 0, "EVENTS": 1, "POLLING": 2, "USER": 3, "ALL": 4}
    assert tango.telemetry.__all__ == ["TelemetryEndpoint", "TelemetryExporter", "TelemetryTopic",
                                       "TelemetryType", "get_telemetry_tracer_provider_factory",
                                       "set_telemetry_tracer_provider_factory"]


def test_endpoint_is_a_frozen_value():
    a = TelemetryEndpoint(TelemetryExporter.HTTP, "http://h:4318/v1/traces")
    assert a == TelemetryEndpoint(TelemetryExporter.HTTP, "http://h:4318/v1/traces")
    assert hash(a) == hash(TelemetryEndpoint(TelemetryExporter.HTTP, "http://h:4318/v1/traces"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.endpoint = "other"


def test_default_factory_makes_no_op_tracers():
    provider = get_telemetry_tracer_provider_factory()("my.service")
    tracer = provider.get_tracer("my.module")
    with tracer.start_as_current_span("work") as span:
        assert span.is_recording() is False
        span.set_attribute("k", 1)
        span.add_event("e")
        context = span.get_span_context()
    assert (context.trace_id, context.span_id, context.is_valid) == (0, 0, False)
    assert tracer.start_span("other").is_recording() is False
    with pytest.raises(TypeError, match="service_name"):
        get_telemetry_tracer_provider_factory()(123)


def test_a_custom_factory_is_kept_but_not_used_without_telemetry():
    calls = []

    def factory(service_name, service_instance_id=None, extra_resource_attributes=None, endpoints=None):
        calls.append(service_name)
        return "custom"

    set_telemetry_tracer_provider_factory(factory)
    assert tango._telemetry._custom_factory is factory
    provider = get_telemetry_tracer_provider_factory()("svc")
    assert calls == []
    assert provider.get_tracer("m").start_span("s").is_recording() is False
    with pytest.raises(TypeError, match="callable"):
        set_telemetry_tracer_provider_factory("not a factory")


def test_endpoints_come_from_the_environment_when_not_given(monkeypatch):
    seen = []

    def factory(service_name, service_instance_id=None, extra_resource_attributes=None, endpoints=None):
        seen.append((service_name, service_instance_id, extra_resource_attributes, endpoints))

    monkeypatch.setattr(tango._telemetry, "_current_factory", lambda: factory)
    monkeypatch.setenv("TANGO_TELEMETRY_TRACING_EXPORTERS", "http, grpc,none")
    monkeypatch.setenv("TANGO_TELEMETRY_TRACING_ENDPOINTS", "http://a:4318/v1/traces,grpc://b:4317")
    wrapped = get_telemetry_tracer_provider_factory()
    wrapped("s1", "id1", {"k": "v"})
    given = (TelemetryEndpoint(TelemetryExporter.CONSOLE, ""),)
    wrapped("s2", endpoints=given)
    assert seen == [
        ("s1", "id1", {"k": "v"}, (TelemetryEndpoint(TelemetryExporter.HTTP, "http://a:4318/v1/traces"),
                                   TelemetryEndpoint(TelemetryExporter.GRPC, "grpc://b:4317"))),
        ("s2", None, None, given),
    ]


def test_default_exporter_is_console_when_enabled_none_otherwise(monkeypatch):
    assert tango._telemetry._tracing_endpoints_from_env() == ()
    monkeypatch.setenv("TANGO_TELEMETRY_ENABLE", "on")
    assert tango._telemetry._tracing_endpoints_from_env() == (TelemetryEndpoint(TelemetryExporter.CONSOLE, ""),)


def test_unknown_exporters_and_extra_endpoints_warn(monkeypatch):
    monkeypatch.setenv("TANGO_TELEMETRY_TRACING_EXPORTERS", "carrier-pigeon")
    monkeypatch.setenv("TANGO_TELEMETRY_TRACING_ENDPOINTS", "a,b")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        endpoints = tango._telemetry._tracing_endpoints_from_env()
    assert endpoints == (TelemetryEndpoint(TelemetryExporter.CONSOLE, "a"),)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert "extra ones are ignored" in messages[0]
    assert "'carrier-pigeon'" in messages[1]


def test_a_factory_of_pytango_10_0_without_endpoints_is_called_without_them(monkeypatch):
    seen = []

    def old_factory(service_name, service_instance_id=None, extra_resource_attributes=None):
        seen.append(service_name)

    monkeypatch.setattr(tango._telemetry, "_current_factory", lambda: old_factory)
    get_telemetry_tracer_provider_factory()("old")
    assert seen == ["old"]


def test_import_is_quiet_even_with_the_environment_configured(monkeypatch):
    # in a fresh interpreter, every warning an error: importing must not warn
    monkeypatch.setenv("TANGO_TELEMETRY_ENABLE", "on")
    monkeypatch.setenv("TANGO_TELEMETRY_TRACING_EXPORTERS", "http,bogus")
    done = subprocess.run([sys.executable, "-W", "error", "-c",
                           "import tango.telemetry as t; print(int(t.TelemetryType.TRACING))"],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "0\n", "")
