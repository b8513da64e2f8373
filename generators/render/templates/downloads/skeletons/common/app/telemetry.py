"""OpenTelemetry tracing, exported over OTLP/HTTP to the platform's collector.

Playbook:
- playbook/adrs/0008-opentelemetry-genai-tracing/: one trace per request across every hop, LLM spans
  following the generative AI semantic conventions, metadata only.
- playbook/standards/logging-redaction/ (rule metadata-only-telemetry): spans carry identifiers,
  versions, token counts, cost and latency; prompt, context and answer text never go into a span.
- playbook/standards/prompt-versioning/ (rule immutable-versions-traced): every model call records
  prompt id, prompt version and model version.

The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_* variables itself. Sampling (10%
of successful traces, every error trace) and the attribute deny-list are applied in the collector,
so changing the back end never needs a code change here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

#: Attributes of the generative AI conventions that hold text users or documents wrote. The collector
#: drops them too; refusing them here keeps a mistake from ever leaving the process.
CONTENT_ATTRIBUTES = frozenset(
    {
        "gen_ai.input.messages",
        "gen_ai.output.messages",
        "gen_ai.system_instructions",
        "gen_ai.tool.definitions",
        "gen_ai.tool.call.arguments",
        "gen_ai.tool.call.result",
        "gen_ai.prompt",
        "gen_ai.completion",
    }
)

Value = str | bool | int | float


def setup_tracing(service_name: str, service_version: str) -> None:
    """Install the tracer provider; spans are exported only when a collector endpoint is configured."""
    resource = Resource.create({"service.name": service_name, "service.version": service_version})
    provider = TracerProvider(resource=resource)
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def safe_attributes(attributes: Mapping[str, Value | None]) -> dict[str, Value]:
    """The attributes without empty values; raises ValueError on an attribute that carries content."""
    refused = sorted(key for key in attributes if key in CONTENT_ATTRIBUTES)
    if refused:
        raise ValueError(f"content attributes are not allowed on spans: {', '.join(refused)}")
    return {key: value for key, value in attributes.items() if value is not None}


def llm_call_attributes(
    *,
    provider: str,
    request_model: str,
    prompt_id: str,
    prompt_version: str,
    response_model: str | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cost_usd: float | None = None,
    operation: str = "chat",
) -> dict[str, Value]:
    """The attributes of one model call. `app.*` names are house attributes; use the names your shared
    instrumentation library pins, so that every service reports prompt and cost the same way."""
    return safe_attributes(
        {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": provider,
            "gen_ai.request.model": request_model,
            "gen_ai.response.model": response_model,
            "gen_ai.usage.input_tokens": input_tokens,
            "gen_ai.usage.output_tokens": output_tokens,
            "app.prompt.id": prompt_id,
            "app.prompt.version": prompt_version,
            "app.cost.usd": cost_usd,
        }
    )


def tool_call_attributes(
    *, tool_name: str, tool_version: str, risk_tier: str, run_id: str, approved_by: str | None = None
) -> dict[str, Value]:
    """The attributes of one agent tool execution; the arguments and the result stay out of the span."""
    return safe_attributes(
        {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": tool_name,
            "app.tool.version": tool_version,
            "app.tool.risk_tier": risk_tier,
            "app.run.id": run_id,
            "app.approval.approver": approved_by,
        }
    )
