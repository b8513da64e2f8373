"""The agent runtime: plan, check, execute and observe, as an explicit state machine.

Playbook: playbook/architectures/agentic-workflow/ (data flow and failure modes). The planner only
proposes steps; app/policy.py decides; the executor calls business APIs with the caller's delegated
token and an idempotency key, outside the model's context (playbook/standards/agent-identity/, rule
credentials-outside-context). A rejected step allows one replan; a second rejection, a budget reached
or a call repeated too often ends the run and hands it to a person with its state kept.

The planner and the executor are passed in, so tests run the loop without a model or a network.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from app.budget import BudgetExceeded, Meter
from app.policy import Step, Tool, approval_valid, check_step

#: A plan has at most this many steps (the planner component of the reference architecture).
MAX_PLAN_STEPS = 8
#: Tool output reaches the planner truncated to about 4,000 tokens.
MAX_OUTPUT_CHARS = 16_000
#: The circuit breaker: after this many identical tool calls in one run, the next one stops the run
#: (playbook/standards/agent-runtime-containment/, rule blast-radius-limits).
REPEAT_CALL_BREAKER = 3


class State(StrEnum):
    RUNNING = "running"
    WAITING_FOR_APPROVAL = "waiting-for-approval"
    DONE = "done"
    HANDED_TO_HUMAN = "handed-to-human"
    REJECTED = "rejected"


class ToolFailed(RuntimeError):
    """A tool call failed after its retry; the run stops for a person."""


@dataclass(frozen=True)
class ToolResult:
    text: str
    cost_usd: float = 0.0


@dataclass
class Run:
    task: str
    workflow: str
    requester: str
    entitlements: frozenset[str]
    allowed: frozenset[str]
    meter: Meter
    delegated_token: str = field(repr=False, default="")
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    state: State = State.RUNNING
    plan: list[Step] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    tainted: bool = False
    rejections: int = 0
    waiting_since: dt.datetime | None = None
    reason: str = ""


Planner = Callable[[Run, dict[str, Tool]], list[Step]]
Executor = Callable[[Tool, Step, Run, str], ToolResult]


def _plan(run: Run, tools: dict[str, Tool], planner: Planner) -> list[Step]:
    steps = planner(run, tools)
    if not steps:
        raise ValueError("the planner found no way to do the task with the allowed tools")
    if len(steps) > MAX_PLAN_STEPS:
        raise ValueError(f"the planner proposed {len(steps)} steps; a plan has at most {MAX_PLAN_STEPS}")
    return list(steps)


def _execute(run: Run, tool: Tool, step: Step, executor: Executor) -> None:
    call = json.dumps([tool.name, step.arguments], sort_keys=True)
    if run.calls.count(call) >= REPEAT_CALL_BREAKER:
        raise BudgetExceeded(f"the same call of {tool.name} was about to run a {REPEAT_CALL_BREAKER + 1}th time")
    run.calls.append(call)
    run.meter.before_tool_call()
    idempotency_key = f"{run.id}:{len(run.executed)}"
    result = executor(tool, step, run, idempotency_key)
    run.meter.add_cost(result.cost_usd)
    if tool.untrusted_output:
        run.tainted = True
    text = result.text[:MAX_OUTPUT_CHARS]
    run.observations.append(
        f'<tool-output tool="{tool.name}" untrusted="{str(tool.untrusted_output).lower()}">\n{text}\n</tool-output>'
    )
    run.executed.append(f"{tool.name}@{tool.version}")


def advance(
    run: Run,
    tools: dict[str, Tool],
    planner: Planner,
    executor: Executor,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> Run:
    """Run until the plan is done, a step waits for approval, or the run stops."""
    try:
        if run.state is State.RUNNING and not run.plan and not run.executed:
            run.plan = _plan(run, tools, planner)
        while run.state is State.RUNNING and run.plan:
            step = run.plan[0]
            decision = check_step(step, tools, run.allowed, run.entitlements, run.tainted)
            if not decision.allowed:
                run.rejections += 1
                if run.rejections > 1:
                    run.state, run.reason = State.HANDED_TO_HUMAN, f"plan rejected twice: {decision.reason}"
                    break
                run.meter.before_replan()
                run.plan = _plan(run, tools, planner)
                continue
            if decision.needs_approval:
                run.state, run.reason, run.waiting_since = State.WAITING_FOR_APPROVAL, decision.reason, now()
                break
            _execute(run, tools[step.tool], step, executor)
            run.plan.pop(0)
        if run.state is State.RUNNING:
            run.state = State.DONE
    except (BudgetExceeded, ToolFailed) as stop:
        run.state, run.reason = State.HANDED_TO_HUMAN, str(stop)
    except ValueError as error:  # no usable plan: the planner failed, found nothing to do, or overran
        run.state, run.reason = State.HANDED_TO_HUMAN, str(error)
    return run


def decide(
    run: Run,
    tools: dict[str, Tool],
    approver: str,
    approver_groups: frozenset[str],
    approve: bool,
    planner: Planner,
    executor: Executor,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> Run:
    """Record a person's decision on the waiting step, then carry on or stop."""
    if run.state is not State.WAITING_FOR_APPROVAL or not run.plan or run.waiting_since is None:
        raise ValueError("the run is not waiting for an approval")
    tool = tools[run.plan[0].tool]
    valid, reason = approval_valid(tool, approver, approver_groups, run.requester, run.waiting_since, now())
    if not approve or not valid:
        run.state, run.reason = State.REJECTED, reason if approve else f"rejected by {approver}"
        return run
    run.state, run.waiting_since = State.RUNNING, None
    try:
        _execute(run, tool, run.plan.pop(0), executor)
    except (BudgetExceeded, ToolFailed) as stop:
        run.state, run.reason = State.HANDED_TO_HUMAN, str(stop)
        return run
    return advance(run, tools, planner, executor, now)
