"""The deterministic controls around the planner: allow-list, schemas, entitlements, taint, approvals, budgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.budget import DEFAULT, Budget, BudgetExceeded, Meter, budget_from_env
from app.policy import MANIFEST, Step, Tool, approval_valid, check_step, load_manifest
from app.runtime import Run, State, ToolResult, advance, decide

TOOLS, WORKFLOWS = load_manifest()
ALLOWED = WORKFLOWS["ticket-triage"]
SUPPORT = frozenset({"support-agents"})
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def run_of(meter: Meter | None = None) -> Run:
    return Run(
        task="Customer on ticket T-1 asks for a credit",
        workflow="ticket-triage",
        requester="ana",
        entitlements=SUPPORT,
        allowed=ALLOWED,
        meter=meter or Meter(DEFAULT),
    )


def fixed_plan(*steps: Step):  # type: ignore[no-untyped-def]
    return lambda run, tools: list(steps)


def echo(tool: Tool, step: Step, run: Run, key: str) -> ToolResult:
    return ToolResult(text=f"{tool.name} ok", cost_usd=0.01)


READ_TICKET = Step("get-ticket", {"ticket_id": "T-1"})
CREDIT = Step("issue-goodwill-credit", {"account_id": "A-9", "amount_cents": 2500, "reason": "outage"})
NOTE = Step("add-internal-note", {"ticket_id": "T-1", "note": "checked the plan"})


def test_the_manifest_is_well_formed() -> None:
    assert {t.risk for t in TOOLS.values()} <= {"read", "write-low", "write-high"}
    assert all(t.approver_group for t in TOOLS.values() if t.risk != "read")


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        (Step("delete-account", {"account_id": "A-9"}), "not allowed"),
        (Step("get-ticket", {"ticket_id": 7}), "schema"),
        (Step("get-ticket", {"ticket_id": "T-1", "extra": "x"}), "schema"),
        (Step("get-customer-plan", {"account_id": True}), "schema"),
    ],
)
def test_steps_outside_the_allow_list_or_schema_are_refused(step: Step, reason: str) -> None:
    decision = check_step(step, TOOLS, ALLOWED, SUPPORT, tainted=False)
    assert not decision.allowed and reason in decision.reason


def test_a_caller_without_the_entitlement_is_refused() -> None:
    assert not check_step(READ_TICKET, TOOLS, ALLOWED, frozenset({"finance"}), tainted=False).allowed


def test_high_risk_always_and_writes_when_tainted_need_approval() -> None:
    assert check_step(CREDIT, TOOLS, ALLOWED, SUPPORT, tainted=False).needs_approval
    assert not check_step(NOTE, TOOLS, ALLOWED, SUPPORT, tainted=False).needs_approval
    assert check_step(NOTE, TOOLS, ALLOWED, SUPPORT, tainted=True).needs_approval
    assert not check_step(READ_TICKET, TOOLS, ALLOWED, SUPPORT, tainted=True).needs_approval


def test_approvals_need_another_person_of_the_group_within_30_minutes() -> None:
    tool = TOOLS["issue-goodwill-credit"]
    leads = frozenset({"support-leads"})
    assert approval_valid(tool, "lee", leads, "ana", START, START + dt.timedelta(minutes=5))[0]
    assert not approval_valid(tool, "ana", leads, "ana", START, START)[0]
    assert not approval_valid(tool, "lee", frozenset({"support-agents"}), "ana", START, START)[0]
    assert not approval_valid(tool, "lee", leads, "ana", START, START + dt.timedelta(minutes=31))[0]


def test_a_tainted_run_waits_for_approval_then_finishes() -> None:
    run = advance(run_of(), TOOLS, fixed_plan(READ_TICKET, NOTE), echo, now=lambda: START)
    assert run.state is State.WAITING_FOR_APPROVAL and run.tainted  # the ticket text is untrusted
    assert run.executed == ["get-ticket@1.0.0"]
    run = decide(
        run,
        TOOLS,
        "lee",
        frozenset({"support-leads"}),
        True,
        fixed_plan(),
        echo,
        now=lambda: START + dt.timedelta(minutes=2),
    )
    assert run.state is State.DONE and run.executed == ["get-ticket@1.0.0", "add-internal-note@1.0.0"]


def test_tool_output_reaches_the_planner_as_untrusted_data() -> None:
    run = advance(run_of(), TOOLS, fixed_plan(READ_TICKET), echo, now=lambda: START)
    assert run.observations == ['<tool-output tool="get-ticket" untrusted="true">\nget-ticket ok\n</tool-output>']


def test_a_second_rejected_plan_goes_to_a_person() -> None:
    run = advance(run_of(), TOOLS, fixed_plan(Step("delete-account", {})), echo)
    assert run.state is State.HANDED_TO_HUMAN and "rejected twice" in run.reason and run.executed == []


def test_budgets_end_the_run() -> None:
    many = [Step("get-customer-plan", {"account_id": f"A-{i}"}) for i in range(8)]
    run = advance(run_of(Meter(Budget(max_tool_calls=3))), TOOLS, fixed_plan(*many), echo)
    assert run.state is State.HANDED_TO_HUMAN and run.meter.tool_calls == 3
    with pytest.raises(BudgetExceeded):
        Meter(DEFAULT).add_cost(0.51)
    ticks = iter([0.0, 601.0])
    with pytest.raises(BudgetExceeded):
        Meter(DEFAULT, clock=lambda: next(ticks)).check_time()


def test_budgets_may_be_lowered_but_not_raised() -> None:
    assert budget_from_env({"AGENT_MAX_TOOL_CALLS": "6", "AGENT_MAX_COST_USD": ""}).max_tool_calls == 6
    assert budget_from_env({}) == DEFAULT
    with pytest.raises(ValueError):
        budget_from_env({"AGENT_MAX_TOOL_CALLS": "40"})
    with pytest.raises(ValueError):
        budget_from_env({"AGENT_MAX_COST_USD": "0"})


def test_a_repeated_identical_call_trips_the_breaker() -> None:
    same = [READ_TICKET] * 5
    run = advance(run_of(), TOOLS, fixed_plan(*same), echo)
    assert run.state is State.HANDED_TO_HUMAN and "same call" in run.reason and len(run.executed) == 3


def test_a_tool_definition_changed_after_review_does_not_load(tmp_path: Path) -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    changed = tmp_path / "manifest.yaml"
    changed.write_text(text.replace("timeout_s: 10", "timeout_s: 60", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="changed after its review"):
        load_manifest(changed)
