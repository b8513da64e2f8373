"""Where a KPI stands: its measured values by period (recorded in the catalog, or computed by the playbook), the
threshold its goal sets, and a status: met, at risk, missed, not measured yet, or no goal to test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..load.catalog import Catalog
from ..models.kpi import Kpi
from ..models.measurements import COMPARISONS, PeriodSpan, number, span
from .portfolio import compute

#: Each status: the word a page shows (never its colour alone), and its order from best to worst.
STATUSES = {"met": "Met", "at-risk": "At risk", "missed": "Missed", "not-measured": "Not measured yet",
            "no-goal": "No goal to test"}


@dataclass(frozen=True)
class Point:
    """One measured value: its period, when and from where it was measured, and whether the playbook computed it."""

    period: PeriodSpan
    value: float
    date: dt.date
    source: str | None
    note: str | None = None
    computed: bool = False


@dataclass(frozen=True)
class KpiStatus:
    kpi: Kpi
    points: list[Point]
    threshold: float | None
    state: str

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def word(self) -> str:
        return STATUSES[self.state]

    @property
    def goal(self) -> str:
        """The threshold in words: 'at most 10', or the target as written when there is no goal."""
        if self.threshold is None or self.kpi.goal is None:
            return self.kpi.target
        return f"{COMPARISONS[self.kpi.goal.comparison][0]} {number(self.threshold)}"

    @property
    def change(self) -> str:
        """The change from the previous period: '+2.5 since 2026 Q2', or '' without two values."""
        if self.latest is None or self.previous is None:
            return ""
        return f"{number(self.latest.value - self.previous.value, signed=True)} since {self.previous.period.label}"

    def state_before(self) -> str | None:
        """The status the previous period had, None without one."""
        if self.previous is None or self.threshold is None or self.kpi.goal is None:
            return None
        return _judge(self.previous.value, self.threshold, self.kpi.goal.comparison, self.kpi.goal.margin)


def _judge(value: float, threshold: float, comparison: str, margin: float) -> str:
    if not COMPARISONS[comparison][1](value, threshold):
        return "missed"
    return "at-risk" if abs(value - threshold) < abs(threshold) * margin / 100 else "met"


def kpi_status(catalog: Catalog, kpi: Kpi, today: dt.date, published: Sequence[Point] = ()) -> KpiStatus:
    """The KPI's values, oldest first: those the catalog records; for a KPI the playbook computes, today's value for
    the current period and the published versions' values for earlier ones, where the catalog records none (a
    recorded value wins: someone closed the period with it)."""
    points = {point.period.name: point for point in published}
    current = kpi.period(today)
    if (value := compute(catalog, kpi, current)) is not None and value.value is not None:  # today's value
        counted = f"{value.counted} initiative{'s' * (value.counted != 1)}"
        points[current.name] = Point(current, round(value.value, 1), today, f"Computed by the playbook from the "
                                     f"{counted} the catalog holds", computed=True)
    points.update({m.period: Point(span(m.period), m.value, m.date, m.source, m.note) for m in kpi.measurements})
    ordered = sorted(points.values(), key=lambda p: p.period)
    threshold = _threshold(kpi, {p.period.name: p.value for p in ordered})
    if not ordered:
        state = "not-measured"
    elif threshold is None or kpi.goal is None:
        state = "no-goal"
    else:
        state = _judge(ordered[-1].value, threshold, kpi.goal.comparison, kpi.goal.margin)
    return KpiStatus(kpi, ordered, threshold, state)


def _threshold(kpi: Kpi, values: Mapping[str, float]) -> float | None:
    goal = kpi.goal
    if goal is None:
        return None
    if goal.value is not None:
        return goal.value
    base = values.get(goal.baseline or "")
    return None if base is None else base * (1 + (goal.change or 0.0) / 100)


def statuses(catalog: Catalog, today: dt.date, published: Mapping[str, Sequence[Point]] | None = None) -> list[KpiStatus]:
    """Every KPI that is not retired, by title."""
    kpis = sorted((k for k in catalog.by_id(Kpi) if k.status != "retired"), key=lambda k: (k.title.lower(), k.id))
    return [kpi_status(catalog, k, today, (published or {}).get(k.id, ())) for k in kpis]


def changed_status(found: Sequence[KpiStatus]) -> list[KpiStatus]:
    """The KPIs whose status differs from the one their previous period had."""
    return [s for s in found if s.state_before() not in (None, s.state)]
