"""The planner (a model call through the LLM gateway) and the tool executor (scoped calls to business APIs).

Playbook:
- playbook/adrs/0001-llm-provider-gateway/: the planner model is reached through the gateway only.
- playbook/standards/secrets-and-iam/ (rule delegated-tool-tokens): tools act with the caller's
  delegated token; the runtime itself holds no tool credential.
- playbook/architectures/agentic-workflow/: the planner sees only the tools allowed for this workflow
  and this caller; every call carries an idempotency key and a timeout.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from app.config import Settings
from app.policy import Step, Tool
from app.prompts import Prompt
from app.runtime import Planner, Run, ToolFailed, ToolResult


def _workload_token(settings: Settings) -> str:
    return Path(settings.workload_token_file).read_text(encoding="utf-8").strip()


def make_planner(settings: Settings, prompt: Prompt) -> Planner:
    def plan(run: Run, tools: dict[str, Tool]) -> list[Step]:
        visible = [
            {"name": t.name, "risk": t.risk, "arguments": t.arguments}
            for name, t in sorted(tools.items())
            if name in run.allowed and t.entitlement in run.entitlements
        ]
        user = {"task": run.task, "tools": visible, "observations": run.observations}
        body = {
            "route": settings.llm_route,
            "prompt_id": prompt.id,
            "prompt_version": prompt.version,
            "max_tokens": 1200,
            "response_format": "json",
            "messages": [{"role": "system", "content": prompt.text}, {"role": "user", "content": json.dumps(user)}],
        }
        try:
            response = httpx.post(
                f"{settings.llm_gateway_url}/v1/chat",
                json=body,
                headers={"Authorization": f"Bearer {_workload_token(settings)}"},
                timeout=settings.timeout_s,
            )
            response.raise_for_status()
            data = response.json()
        except httpx.HTTPError as error:
            raise ValueError(f"the planner call failed: {type(error).__name__}") from error
        run.meter.add_cost(float(data.get("cost_usd") or 0.0))
        try:
            steps = json.loads(data["text"])["steps"]
            return [Step(tool=str(s["tool"]), arguments=dict(s["arguments"])) for s in steps]
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError("the plan is not the JSON the planner prompt asks for") from error

    return plan


def execute(tool: Tool, step: Step, run: Run, idempotency_key: str) -> ToolResult:
    """Call the tool once, retry once with the same idempotency key, then give the run to a person; the
    tool's compensating action is run by on-call from the state store, not by the agent."""
    headers = {
        "Authorization": f"Bearer {run.delegated_token}",
        "Idempotency-Key": idempotency_key,
        "X-Agent-Run": run.id,
    }
    for attempt in (1, 2):
        try:
            response = httpx.post(tool.endpoint, json=step.arguments, timeout=tool.timeout_s, headers=headers)
            response.raise_for_status()
            return ToolResult(text=response.text)
        except httpx.HTTPError as error:
            if attempt == 2:
                raise ToolFailed(f"{tool.name} failed twice: {type(error).__name__}") from error
    raise AssertionError("unreachable")
