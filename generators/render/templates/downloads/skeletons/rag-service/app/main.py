"""The RAG service: answers a question from permission-filtered retrieval, through the LLM gateway.

Reference architecture: playbook/architectures/rag-assistant/ (components, latency budget, SLOs and
failure modes). Endpoints:

- GET /healthz: liveness, the process answers; no dependency is called.
- GET /readyz: readiness, settings complete and the configured prompt version released.
- POST /v1/answer: the answer with its citations; the caller's bearer token is passed to retrieval.

Playbook: playbook/standards/ai-endpoint-slos/ (what the SLOs measure), playbook/standards/logging-redaction/
(no question or answer text in logs or spans), playbook/standards/prompt-versioning/ (the prompt is
loaded by id and version), playbook/incidents/llm-provider-outage/ (what on-call does when the gateway fails).
"""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

import httpx
from fastapi import FastAPI, Header, HTTPException, Response
from opentelemetry.trace import SpanKind
from pydantic import BaseModel, Field

from app import clients
from app.config import ConfigError, load_settings
from app.prompts import load_prompt
from app.telemetry import llm_call_attributes, setup_tracing, tracer

log = logging.getLogger("rag-service")

try:
    _startup = load_settings()
    setup_tracing(_startup.service_name, _startup.service_version)
except ConfigError:
    setup_tracing("rag-service", "0.0.0")  # /readyz reports what is missing

app = FastAPI(title="RAG service")

#: Said when retrieval finds nothing the caller may read; the model is not called.
NO_SOURCES = "I could not find a source you have access to that answers this question."


class Question(BaseModel):
    question: str = Field(min_length=1, max_length=4000)


class Citation(BaseModel):
    document_id: str
    chunk_id: str
    title: str
    url: str


class Answer(BaseModel):
    request_id: str
    answer: str
    citations: list[Citation]
    prompt_version: str
    model: str | None


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/readyz")
def readyz(response: Response) -> dict[str, object]:
    try:
        settings = load_settings()
        load_prompt(settings.prompt_id, settings.prompt_version)
    except (ConfigError, ValueError, OSError) as error:
        response.status_code = 503
        return {"status": "not ready", "problem": str(error)}
    return {"status": "ready", "prompt": f"{settings.prompt_id} {settings.prompt_version}"}


@app.post("/v1/answer", response_model=Answer)
def answer(question: Question, authorization: Annotated[str, Header()]) -> Answer:
    if not authorization.startswith("Bearer "):
        raise HTTPException(status_code=401, detail="a bearer token for the caller is required")
    try:
        settings = load_settings()
        prompt = load_prompt(settings.prompt_id, settings.prompt_version)
    except (ConfigError, ValueError, OSError) as error:
        log.error("not ready: %s", error)
        raise HTTPException(status_code=503, detail="the service is not ready") from error
    request_id = str(uuid.uuid4())
    spans = tracer(__name__)
    with spans.start_as_current_span("rag.answer", attributes={"app.request.id": request_id}):
        try:
            with spans.start_as_current_span("retrieval.search"):
                chunks = clients.search(settings, question.question, authorization)
            if not chunks:
                return Answer(
                    request_id=request_id, answer=NO_SOURCES, citations=[], prompt_version=prompt.version, model=None
                )
            with spans.start_as_current_span(f"chat {settings.llm_route}", kind=SpanKind.CLIENT) as span:
                reply = clients.complete(settings, prompt, question.question, chunks)
                span.set_attributes(
                    llm_call_attributes(
                        provider=reply.provider,
                        request_model=settings.llm_route,
                        response_model=reply.model,
                        prompt_id=prompt.id,
                        prompt_version=prompt.version,
                        input_tokens=reply.input_tokens,
                        output_tokens=reply.output_tokens,
                        cost_usd=reply.cost_usd,
                    )
                )
        except httpx.HTTPError as error:
            # Logged without the question or any retrieved text (logging-redaction, rule redact-before-write).
            log.warning("upstream call failed for request %s: %s", request_id, type(error).__name__)
            raise HTTPException(status_code=502, detail="an upstream service failed; try again") from error
    citations = [Citation(document_id=c.document_id, chunk_id=c.chunk_id, title=c.title, url=c.url) for c in chunks]
    return Answer(
        request_id=request_id, answer=reply.text, citations=citations, prompt_version=prompt.version, model=reply.model
    )
