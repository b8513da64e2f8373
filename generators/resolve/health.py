"""The quarterly architecture health report: for the quarter a day falls in, computed from the catalog alone: the
KPIs it can measure against their targets, exceptions, reviews due, decisions taken and EU AI Act dates ahead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..dates import plus_days
from ..load.catalog import Catalog
from ..load.governance import ENDED, active_exception, next_review
from ..models import Entry
from ..models.adr import Adr
from ..models.exception import StandardException
from ..models.initiative import Initiative
from .ai_act import Obligation, obligations
from .kpi_status import KpiStatus, Point, changed_status, statuses

#: The statuses of an ADR whose decision was taken (a proposed one is not yet; a rejected one decided nothing).
DECIDED = ("accepted", "superseded", "deprecated")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year} Q{self.number}"


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class ReviewDecision:
    initiative: Initiative
    decided: dt.date
    decision: str


@dataclass(frozen=True)
class HealthReport:
    """What the report shows for one quarter, as of `today` (a day inside it)."""

    quarter: Quarter
    today: dt.date
    #: Every KPI not retired, where it stands.
    statuses: list[KpiStatus]
    exceptions: list[StandardException]
    expiring: list[StandardException]
    reviews_due: list[tuple[Entry, dt.date]]
    adrs: list[Adr]
    review_decisions: list[ReviewDecision]
    #: Obligations of initiatives' tiers that begin to apply within a year.
    ai_act_ahead: list[tuple[Initiative, Obligation]]

    @property
    def kpis_met(self) -> int:
        return sum(status.state == "met" for status in self.statuses)

    @property
    def unmeasured(self) -> list[KpiStatus]:
        return [status for status in self.statuses if status.state == "not-measured"]

    @property
    def moved(self) -> list[KpiStatus]:
        """The KPIs whose status differs from the period before."""
        return changed_status(self.statuses)


def health_report(catalog: Catalog, today: dt.date, measured: Mapping[str, Sequence[Point]] | None = None) -> HealthReport:
    """The health report of the quarter `today` falls in; `measured` holds the computed KPIs' values in published
    versions."""
    quarter = quarter_of(today)
    exceptions = [e for e in catalog.by_id(StandardException) if active_exception(e, today)]
    horizon = plus_days(quarter.end, 90) or dt.date.max  # this quarter and the next
    due = sorted(((e, next_review(e)) for e in catalog.entries.values()
                  if e.status not in ENDED and next_review(e) <= quarter.end), key=lambda pair: (pair[1], pair[0].id))
    adrs = sorted((a for a in catalog.by_id(Adr) if a.status in DECIDED and quarter.start <= a.date <= quarter.end),
                  key=lambda a: (a.date, a.id))
    decisions = [ReviewDecision(i, i.review.decided, i.review.decision) for i in catalog.by_id(Initiative)
                 if i.review.decided and i.review.decision and quarter.start <= i.review.decided <= quarter.end]
    year_ahead = plus_days(today, 365) or dt.date.max
    ahead = [(i, o) for i in catalog.by_id(Initiative) if i.status != "retired"
             for o in obligations(catalog, i, today) if o.state == "coming" and o.item.date and o.item.date <= year_ahead]
    return HealthReport(quarter, today, statuses(catalog, today, measured), exceptions,
                        [e for e in exceptions if e.expires <= horizon], due, adrs,
                        sorted(decisions, key=lambda d: (d.decided, d.initiative.id)), ahead)
