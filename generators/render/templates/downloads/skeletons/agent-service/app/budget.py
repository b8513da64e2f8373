"""Budgets of one agent run: tool calls, wall-clock time, model cost and replans.

Playbook: playbook/architectures/agentic-workflow/ (the budgets and the hand-over to a human when one
is reached), playbook/standards/cost-controls/, playbook/threats/unbounded-consumption/ and
playbook/incidents/runaway-inference-cost/. The defaults are the playbook's named values
agent-run-max-tool-calls, agent-run-max-duration and agent-run-max-cost; a workflow may lower them
through the environment, and raising them needs a decision record, so this module refuses it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Budget:
    max_tool_calls: int = 12
    max_duration_s: int = 600  # 10 minutes
    max_cost_usd: float = 0.50
    max_replans: int = 3


DEFAULT = Budget()
_ENVIRONMENT = {
    "max_tool_calls": "AGENT_MAX_TOOL_CALLS",
    "max_duration_s": "AGENT_MAX_DURATION_S",
    "max_cost_usd": "AGENT_MAX_COST_USD",
    "max_replans": "AGENT_MAX_REPLANS",
}


def budget_from_env(environ: Mapping[str, str] = os.environ) -> Budget:
    """The run budget, lowered where the environment says so; a higher or non-positive value raises ValueError."""
    values: dict[str, float | int] = {}
    for item in fields(Budget):
        default = getattr(DEFAULT, item.name)
        raw = environ.get(_ENVIRONMENT[item.name]) or None  # empty means unset
        value = default if raw is None else type(default)(raw)
        if not 0 < value <= default:
            raise ValueError(
                f"{_ENVIRONMENT[item.name]} must be above 0 and at most {default}; "
                "a higher budget needs a decision record"
            )
        values[item.name] = value
    return Budget(**values)


class BudgetExceeded(RuntimeError):
    """A run reached one of its budgets; it stops, keeps its state and goes to a human."""


@dataclass
class Meter:
    budget: Budget
    clock: Callable[[], float] = time.monotonic
    tool_calls: int = 0
    cost_usd: float = 0.0
    replans: int = 0
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def check_time(self) -> None:
        if self.clock() - self.started > self.budget.max_duration_s:
            raise BudgetExceeded(f"the run took longer than {self.budget.max_duration_s} seconds")

    def before_tool_call(self) -> None:
        self.check_time()
        if self.tool_calls + 1 > self.budget.max_tool_calls:
            raise BudgetExceeded(f"the run would exceed {self.budget.max_tool_calls} tool calls")
        self.tool_calls += 1

    def before_replan(self) -> None:
        self.check_time()
        if self.replans + 1 > self.budget.max_replans:
            raise BudgetExceeded(f"the run would exceed {self.budget.max_replans} replans")
        self.replans += 1

    def add_cost(self, usd: float) -> None:
        self.cost_usd += usd
        if self.cost_usd > self.budget.max_cost_usd:
            raise BudgetExceeded(f"the run cost more than ${self.budget.max_cost_usd:.2f}")
