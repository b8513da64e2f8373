"""Architecture reviews of initiatives and the KPIs computed from them, all derived from the catalog."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field

from ..load.catalog import Catalog
from ..models.checklist import Checklist, Item
from ..models.initiative import Answer, Initiative
from ..models.kpi import Kpi
from ..models.measurements import PeriodSpan
from ..models.standard import Standard
from ..models.threat import Threat

SEVERITIES = ("blocker", "major", "minor")


@dataclass
class ChecklistStatus:
    """An initiative's answers to one checklist; unanswered items count as open."""

    checklist: Checklist
    answers: dict[str, Answer]

    def state(self, item: Item) -> str:
        answer = self.answers.get(item.id)
        return answer.state if answer else "open"

    @property
    def open(self) -> list[Item]:
        return [item for item in self.checklist.items if self.state(item) == "open"]

    @property
    def score(self) -> float:
        """Done items over applicable items, as a percentage."""
        applicable = [i for i in self.checklist.items if self.state(i) != "not-applicable"]
        done = [i for i in applicable if self.state(i) == "done"]
        return 100.0 * len(done) / len(applicable) if applicable else 100.0

    @property
    def complete(self) -> bool:
        return not self.open


def statuses(catalog: Catalog, initiative: Initiative) -> list[ChecklistStatus]:
    out = []
    for answered in initiative.checklists:
        checklist = catalog.entries.get(answered.checklist)
        if not isinstance(checklist, Checklist):
            continue  # left out of this edition
        out.append(ChecklistStatus(checklist, {a.item: a for a in answered.answers}))
    return out


def item_done(catalog: Catalog, initiative: Initiative, ref: str) -> bool:
    """Whether the initiative answered `checklist#item` done or not applicable."""
    checklist_id, _, item_id = ref.partition("#")  # an item left out of the edition matches nothing
    for status in statuses(catalog, initiative):
        if status.checklist.id == checklist_id:
            item = next((i for i in status.checklist.items if i.id == item_id), None)
            return item is not None and status.state(item) != "open"
    return False


@dataclass
class ThreatEvidence:
    threat: Threat
    evidenced: int
    total: int


@dataclass
class GapReport:
    """What a review of one initiative finds, ready for a page, the terminal or JSON."""

    initiative: Initiative
    checklists: list[ChecklistStatus]
    open_by_severity: dict[str, list[tuple[Checklist, Item]]]
    standards_met: list[Standard]
    standards_open: list[Standard]
    threats: list[ThreatEvidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "initiative": self.initiative.id,
            "stage": self.initiative.stage,
            "architecture": self.initiative.architecture,
            "checklists": [{"checklist": s.checklist.id, "score": round(s.score, 1), "open": [i.id for i in s.open]}
                           for s in self.checklists],
            "open_items": {sev: [f"{c.id}#{i.id}" for c, i in items] for sev, items in self.open_by_severity.items()},
            "standards_met": [s.id for s in self.standards_met],
            "standards_open": [s.id for s in self.standards_open],
            "threats": [{"threat": t.threat.id, "evidenced_mitigations": t.evidenced, "mitigations": t.total}
                        for t in self.threats],
        }


def gap_report(catalog: Catalog, initiative: Initiative) -> GapReport:
    checklist_statuses = statuses(catalog, initiative)
    open_by_severity: dict[str, list[tuple[Checklist, Item]]] = {sev: [] for sev in SEVERITIES}
    enforcement: dict[str, list[bool]] = {}
    for status in checklist_statuses:
        for item in status.checklist.items:
            state = status.state(item)
            if state == "open":
                open_by_severity[item.severity].append((status.checklist, item))
            for standard_id in item.enforces:
                enforcement.setdefault(standard_id, []).append(state != "open")
    standards = {sid: catalog.entries[sid] for sid in sorted(enforcement) if sid in catalog.entries}
    met = [s for sid, s in standards.items() if all(enforcement[sid])]
    unmet = [s for sid, s in standards.items() if not all(enforcement[sid])]
    threats = []
    architecture = catalog.entries.get(initiative.architecture or "")
    for threat_id in getattr(architecture, "threats", []):
        threat = catalog.entries.get(threat_id)
        if not isinstance(threat, Threat):
            continue  # left out of this edition
        evidenced = sum(1 for m in threat.mitigations
                        if m.checklist_items and all(item_done(catalog, initiative, ref) for ref in m.checklist_items))
        threats.append(ThreatEvidence(threat, evidenced, len(threat.mitigations)))
    return GapReport(initiative, checklist_statuses, open_by_severity, met, unmet, threats)  # type: ignore[arg-type]


def business_days(start: dt.date, end: dt.date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`."""
    weeks, rest = divmod(max((end - start).days, 0), 7)
    return weeks * 5 + sum((start.weekday() + offset) % 7 < 5 for offset in range(1, rest + 1))


@dataclass
class KpiValue:
    """A KPI computed from the catalog: its value, how many initiatives it counts, who pulls it down."""

    kpi: Kpi
    value: float | None
    unit: str
    counted: int
    pulling_down: list[str]
    target_met: bool | None

    def shown(self) -> str:
        if self.value is None:
            return "no data"
        return f"{self.value:.0f}%" if self.unit == "%" else f"{self.value:g} {self.unit}"


_TARGET = re.compile(r"(≥|>=|≤|<=|<|>)?\s*(\d+(?:\.\d+)?)")


def target_bound(target: str) -> tuple[str, float] | None:
    """The comparison a target text states: '≥ 90% before launch' is ('>=', 90); a range keeps its lower bound."""
    match = _TARGET.search(target)
    if match is None:
        return None
    op = {"≥": ">=", "≤": "<=", None: ">="}.get(match.group(1), match.group(1))
    return op, float(match.group(2))


def goal_bound(kpi: Kpi) -> tuple[str, float] | None:
    """The comparison a KPI's value is judged by: its goal's fixed threshold, else what its target text states."""
    goal = kpi.goal
    if goal is not None and goal.value is not None:
        return {"at-least": ">=", "at-most": "<=", "above": ">", "below": "<"}[goal.comparison], goal.value
    return target_bound(kpi.target)


def _meets(value: float, bound: tuple[str, float] | None) -> bool | None:
    if bound is None:
        return None
    op, limit = bound
    return {">=": value >= limit, ">": value > limit, "<=": value <= limit, "<": value < limit}[op]


def compute(catalog: Catalog, kpi: Kpi, within: PeriodSpan | None = None) -> KpiValue | None:
    """The KPI's value over the catalog's initiatives, or None when the KPI says nothing of how to compute it.

    A state (adoption, readiness, items done) is counted as the catalog holds it. The review cycle time, a flow,
    counts the reviews decided `within` a period when one is given, else every decided review."""
    how = kpi.computed
    if how is None:
        return None
    counted = [i for i in catalog.of_kind(Initiative)
               if isinstance(i, Initiative) and i.status != "retired" and i.stage in how.stages]
    if how.method == "review-cycle-time":
        cycles = {i.id: business_days(i.review.submitted, i.review.decided)
                  for i in counted if i.review.submitted and i.review.decided
                  and (within is None or within.start <= i.review.decided <= within.end)}
        if not cycles:
            return KpiValue(kpi, None, "business days", 0, [], None)
        median = statistics.median(cycles.values())
        bound = goal_bound(kpi)
        slow = sorted(i for i, days in cycles.items() if bound and not _meets(days, bound))
        return KpiValue(kpi, median, "business days", len(cycles), slow, _meets(median, bound))
    if how.method == "architecture-adoption":
        passing = {i.id: i.architecture is not None for i in counted}
    elif how.method == "checklist-complete":
        passing = {i.id: any(s.checklist.id == how.checklist and s.complete for s in statuses(catalog, i)) for i in counted}
    else:
        passing = {i.id: all(item_done(catalog, i, ref) for ref in how.items) for i in counted}
    if not passing:
        return KpiValue(kpi, None, "%", 0, [], None)
    value = 100.0 * sum(passing.values()) / len(passing)
    return KpiValue(kpi, value, "%", len(passing), sorted(i for i, ok in passing.items() if not ok),
                    _meets(value, goal_bound(kpi)))


def format_gaps(gaps: GapReport) -> str:
    """The gap report for a terminal."""
    i = gaps.initiative
    lines = [f"{i.title} ({i.id}): stage {i.stage}, architecture {i.architecture or 'none'}", "", "Readiness:"]
    lines += [f"  {s.checklist.id}: {s.score:.0f}% ({len(s.open)} open)" for s in gaps.checklists] or ["  no checklist answered"]
    lines += ["", "Open items:"]
    for severity, items in gaps.open_by_severity.items():
        lines += [f"  {severity}: {c.id}#{item.id}  {item.title}" for c, item in items]
    if not any(gaps.open_by_severity.values()):
        lines.append("  none")
    lines += ["", f"Standards met: {', '.join(s.id for s in gaps.standards_met) or 'none'}",
              f"Standards not yet evidenced: {', '.join(s.id for s in gaps.standards_open) or 'none'}"]
    if gaps.threats:
        lines += ["", "Threats of the reference architecture (mitigations evidenced):"]
        lines += [f"  {t.threat.id}: {t.evidenced} of {t.total}" for t in gaps.threats]
    return "\n".join(lines)
