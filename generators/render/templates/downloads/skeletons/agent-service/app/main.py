"""The agent service's API. Reference architecture: playbook/architectures/agentic-workflow/.

- GET /healthz: liveness; no dependency is called.
- GET /readyz: readiness; settings, budgets, tool manifest and the planner prompt all load.
- POST /v1/runs: start a run of a workflow for the authenticated caller.
- GET /v1/runs/{run_id}: the run's state, executed tools and the step waiting for approval.
- POST /v1/runs/{run_id}/decision: an approver's decision on the waiting step.

The workflow API gateway in front of this service authenticates the caller with OIDC and sets the
X-Authenticated-User and X-Authenticated-Groups headers; the service must not be reachable any other
way. Runs are kept in memory here: replace RUNS with the Postgres run-state store of the reference
architecture (plans, steps and approval records kept 400 days for audit) before the first pilot.

Playbook: playbook/standards/human-oversight/ (rule stop-and-contest: the workflow flag stops new
runs), playbook/standards/logging-redaction/ (no task text or tool output in logs or spans),
playbook/incidents/runaway-inference-cost/.
"""

from __future__ import annotations

import logging
import os
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Response
from pydantic import BaseModel, Field

from app import clients
from app.budget import Meter
from app.config import ConfigError, load_settings
from app.policy import Step, Tool, load_manifest
from app.prompts import load_prompt
from app.runtime import Run, State, ToolResult, advance, decide
from app.telemetry import setup_tracing, tool_call_attributes, tracer

log = logging.getLogger("agent-service")

try:
    _startup = load_settings()
    setup_tracing(_startup.service_name, _startup.service_version)
except ConfigError:
    setup_tracing("agent-service", "0.0.0")  # /readyz reports what is missing

app = FastAPI(title="Agent service")
RUNS: dict[str, Run] = {}


class RunRequest(BaseModel):
    workflow: str = Field(min_length=1, max_length=100)
    task: str = Field(min_length=1, max_length=8000)


class DecisionRequest(BaseModel):
    approve: bool


class RunView(BaseModel):
    run_id: str
    workflow: str
    state: str
    reason: str
    executed: list[str]
    waiting_step: str | None
    tool_calls: int
    cost_usd: float


def _view(run: Run) -> RunView:
    waiting = run.plan[0].tool if run.state is State.WAITING_FOR_APPROVAL and run.plan else None
    return RunView(
        run_id=run.id,
        workflow=run.workflow,
        state=run.state.value,
        reason=run.reason,
        executed=run.executed,
        waiting_step=waiting,
        tool_calls=run.meter.tool_calls,
        cost_usd=round(run.meter.cost_usd, 4),
    )


def _workflow_enabled(workflow: str) -> bool:
    """The kill switch: AGENT_DISABLED_WORKFLOWS lists workflows that take no new runs (human-oversight)."""
    disabled = {name.strip() for name in os.environ.get("AGENT_DISABLED_WORKFLOWS", "").split(",")}
    return workflow not in disabled


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/readyz")
def readyz(response: Response) -> dict[str, object]:
    try:
        settings = load_settings()
        tools, workflows = load_manifest()
        load_prompt(settings.prompt_id, settings.prompt_version)
    except (ConfigError, ValueError, KeyError, OSError) as error:
        response.status_code = 503
        return {"status": "not ready", "problem": str(error)}
    return {"status": "ready", "workflows": sorted(workflows), "tools": len(tools)}


@app.post("/v1/runs", response_model=RunView, status_code=201)
def start_run(
    request: RunRequest,
    authorization: Annotated[str, Header()],
    x_authenticated_user: Annotated[str, Header()],
    x_authenticated_groups: Annotated[str, Header()] = "",
) -> RunView:
    if not authorization.startswith("Bearer "):
        raise HTTPException(status_code=401, detail="a delegated bearer token for the caller is required")
    try:
        settings = load_settings()
        tools, workflows = load_manifest()
        prompt = load_prompt(settings.prompt_id, settings.prompt_version)
    except (ConfigError, ValueError, KeyError, OSError) as error:
        log.error("not ready: %s", error)
        raise HTTPException(status_code=503, detail="the service is not ready") from error
    if request.workflow not in workflows or not _workflow_enabled(request.workflow):
        raise HTTPException(status_code=404, detail="no such workflow, or it is switched off")
    run = Run(
        task=request.task,
        workflow=request.workflow,
        requester=x_authenticated_user,
        entitlements=frozenset(g for g in x_authenticated_groups.split(",") if g),
        allowed=workflows[request.workflow],
        meter=Meter(settings.budget),
        delegated_token=authorization.removeprefix("Bearer "),
    )
    with tracer(__name__).start_as_current_span(
        "invoke_agent",
        attributes={"gen_ai.operation.name": "invoke_agent", "app.run.id": run.id, "app.workflow": run.workflow},
    ):
        advance(run, tools, clients.make_planner(settings, prompt), _traced_execute)
    RUNS[run.id] = run
    log.info("run %s of %s: %s after %d tool calls", run.id, run.workflow, run.state.value, run.meter.tool_calls)
    return _view(run)


@app.get("/v1/runs/{run_id}", response_model=RunView)
def get_run(run_id: str, x_authenticated_user: Annotated[str, Header()]) -> RunView:
    run = RUNS.get(run_id)
    if run is None or run.requester != x_authenticated_user:
        raise HTTPException(status_code=404, detail="no such run")
    return _view(run)


@app.post("/v1/runs/{run_id}/decision", response_model=RunView)
def decide_run(
    run_id: str,
    request: DecisionRequest,
    x_authenticated_user: Annotated[str, Header()],
    x_authenticated_groups: Annotated[str, Header()] = "",
) -> RunView:
    run = RUNS.get(run_id)
    if run is None:
        raise HTTPException(status_code=404, detail="no such run")
    settings = load_settings()
    tools, _ = load_manifest()
    prompt = load_prompt(settings.prompt_id, settings.prompt_version)
    try:
        decide(
            run,
            tools,
            x_authenticated_user,
            frozenset(g for g in x_authenticated_groups.split(",") if g),
            request.approve,
            clients.make_planner(settings, prompt),
            _traced_execute,
        )
    except ValueError as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    log.info("run %s decided by %s: %s", run.id, x_authenticated_user, run.state.value)
    return _view(run)


def _traced_execute(tool: Tool, step: Step, run: Run, idempotency_key: str) -> ToolResult:
    """clients.execute inside a span that names the tool, never its arguments or output."""
    attributes = tool_call_attributes(
        tool_name=tool.name, tool_version=tool.version, risk_tier=tool.risk, run_id=run.id
    )
    with tracer(__name__).start_as_current_span(f"execute_tool {tool.name}", attributes=attributes):
        return clients.execute(tool, step, run, idempotency_key)
