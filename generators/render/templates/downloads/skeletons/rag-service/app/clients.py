"""Calls to the platform: permission-aware retrieval and the LLM gateway.

Playbook:
- playbook/standards/retrieval-access-control/ (rules filter-in-query and caller-identity): retrieval
  runs with the caller's own token, so the index filters by their permissions inside the query.
- playbook/standards/provider-abstraction/ (rule gateway-only-egress) and
  playbook/adrs/0001-llm-provider-gateway/: every model call goes through the gateway's internal
  request schema; this service imports no provider SDK and holds no provider key.
- playbook/standards/guardrails-output-filtering/ (rule screen-input-and-context): retrieved text is
  placed in a delimited data section that the system prompt tells the model never to obey.
- playbook/standards/cost-controls/ (rule quotas-and-caps): every request carries a max-tokens cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from app.config import Settings
from app.prompts import Prompt


@dataclass(frozen=True)
class Chunk:
    document_id: str
    chunk_id: str
    title: str
    url: str
    text: str


@dataclass(frozen=True)
class Completion:
    text: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: float | None


def workload_token(settings: Settings) -> str:
    """The service's workload identity token, which the platform mounts and rotates; never an env value."""
    return Path(settings.workload_token_file).read_text(encoding="utf-8").strip()


def search(settings: Settings, query: str, caller_authorization: str) -> list[Chunk]:
    response = httpx.post(
        f"{settings.retrieval_url}/search",
        json={"query": query, "top_k": settings.top_k},
        headers={"Authorization": caller_authorization},
        timeout=settings.timeout_s,
    )
    response.raise_for_status()
    return [Chunk(**{key: str(hit[key]) for key in Chunk.__dataclass_fields__}) for hit in response.json()["hits"]]


def context_section(chunks: list[Chunk]) -> str:
    """Retrieved text as data: each chunk inside its own delimiters, never as instructions."""
    parts = [f'<document id="{c.chunk_id}" title="{c.title}">\n{c.text}\n</document>' for c in chunks]
    return "<retrieved-documents>\n" + "\n".join(parts) + "\n</retrieved-documents>"


def complete(settings: Settings, prompt: Prompt, question: str, chunks: list[Chunk]) -> Completion:
    body = {
        "route": settings.llm_route,
        "prompt_id": prompt.id,
        "prompt_version": prompt.version,
        "max_tokens": settings.max_output_tokens,
        "messages": [
            {"role": "system", "content": prompt.text},
            {"role": "user", "content": f"{context_section(chunks)}\n\nQuestion: {question}"},
        ],
    }
    response = httpx.post(
        f"{settings.llm_gateway_url}/v1/chat",
        json=body,
        headers={"Authorization": f"Bearer {workload_token(settings)}"},
        timeout=settings.timeout_s,
    )
    response.raise_for_status()
    data = response.json()
    usage = data.get("usage", {})
    return Completion(
        text=data["text"],
        provider=data["provider"],
        model=data["model"],
        input_tokens=int(usage.get("input_tokens", 0)),
        output_tokens=int(usage.get("output_tokens", 0)),
        cost_usd=data.get("cost_usd"),
    )
