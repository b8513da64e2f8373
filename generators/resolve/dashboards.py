"""The data of the governance dashboards, computed from the catalog and its graph.

Traceability matrices (threats, architectures and checklists against standards), KPI coverage,
reviews due, exceptions and the portfolio: each is rows in a fixed order, with every cell worked
out here, so that rendering only lays them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..dates import plus_days
from ..load.catalog import Catalog
from ..load.governance import ENDED, active_exception, next_review, overdue
from ..models import Entry
from ..models.architecture import Architecture
from ..models.checklist import Checklist
from ..models.exception import StandardException
from ..models.framework import Framework
from ..models.graph import Graph
from ..models.initiative import Initiative
from ..models.kpi import Kpi
from ..models.standard import Standard
from ..models.threat import Threat
from .ai_act import Calendar, calendar
from .alignment import Coverage, coverage
from .kpi_status import KpiStatus, Point, changed_status, statuses
from .portfolio import KpiValue, business_days, compute, gap_report
from .subjects import LooseLink, loose_links

#: Reviews due within this many days are listed before they are overdue.
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class ThreatRow:
    """A threat against the standard columns: which its mitigations cite, and the checklist items evidencing them."""

    threat: Threat
    cited: list[bool]
    items: list[str]

    @property
    def covered(self) -> bool:
        return any(self.cited) or bool(self.items)


@dataclass(frozen=True)
class ArchitectureRow:
    """A reference architecture against the standard columns, and how many standards it applies."""

    architecture: Architecture
    applies: list[bool]
    count: int


@dataclass(frozen=True)
class EnforcementRow:
    """A standard against the checklist columns: how many items of each enforce it."""

    standard: Standard
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class KpiRow:
    """A KPI and the entries that name it as a measure of their success."""

    kpi: Kpi
    measures: list[str]


@dataclass(frozen=True)
class DueRow:
    """An entry whose review is overdue or due soon."""

    entry: Entry
    due: dt.date
    overdue: bool


@dataclass(frozen=True)
class OwnerReviews:
    """The reviews one owner has due, soonest first."""

    owner: Entry
    rows: list[DueRow]


@dataclass(frozen=True)
class ExceptionRow:
    """An exception to a standard, and whether it is in force today."""

    exception: StandardException
    active: bool


@dataclass(frozen=True)
class InitiativeRow:
    """An initiative's open review items by severity, and how many business days its review took ('' if open)."""

    initiative: Initiative
    cycle: str
    open: dict[str, int]
    #: Done over applicable items of every checklist the initiative answers, as a percentage; None if it answers none.
    readiness: float | None


@dataclass(frozen=True)
class Dashboards:
    """Every governance view of one catalog on one day."""

    standards: list[Standard]
    checklists: list[Checklist]
    threats: list[ThreatRow]
    architectures: list[ArchitectureRow]
    enforcement: list[EnforcementRow]
    kpis: list[KpiRow]
    reviews: list[OwnerReviews]
    overdue: int
    exceptions: list[ExceptionRow]
    values: list[KpiValue]
    #: Every KPI not retired, where it stands.
    statuses: list[KpiStatus]
    initiatives: list[InitiativeRow]
    loose: list[LooseLink]
    ai_act: Calendar | None
    frameworks: list[Coverage]

    @property
    def uncovered(self) -> int:
        return sum(not row.covered for row in self.threats)

    @property
    def unenforced(self) -> int:
        return sum(not row.total for row in self.enforcement)

    @property
    def moved(self) -> list[KpiStatus]:
        """The KPIs whose status differs from the period before."""
        return changed_status(self.statuses)

    @property
    def kpis_met(self) -> int:
        return sum(status.state == "met" for status in self.statuses)

    @property
    def computed(self) -> dict[str, KpiValue]:
        """The KPIs the catalog computes, by id: what they count and who pulls them down."""
        return {value.kpi.id: value for value in self.values}

    @property
    def active_exceptions(self) -> int:
        return sum(row.active for row in self.exceptions)


def threat_coverage(threats: list[Threat], standards: list[Standard]) -> list[ThreatRow]:
    rows = []
    for threat in threats:
        cited = {s for m in threat.mitigations for s in m.standards}
        items = sorted({i for m in threat.mitigations for i in m.checklist_items})
        rows.append(ThreatRow(threat, [s.id in cited for s in standards], items))
    return rows


def architecture_standards(architectures: list[Architecture], standards: list[Standard]) -> list[ArchitectureRow]:
    return [ArchitectureRow(a, [s.id in a.standards for s in standards], len(a.standards)) for a in architectures]


def enforcement(standards: list[Standard], checklists: list[Checklist]) -> list[EnforcementRow]:
    return [EnforcementRow(s, [sum(s.id in i.enforces for i in c.items) for c in checklists]) for s in standards]


def kpi_coverage(kpis: list[Kpi], graph: Graph) -> list[KpiRow]:
    return [KpiRow(k, sorted(r.source for r in graph.incoming.get(k.id, []) if r.relation.name == "measured by"))
            for k in kpis]


def reviews_due(catalog: Catalog, today: dt.date) -> list[OwnerReviews]:
    """Entries overdue or due within DUE_SOON_DAYS, under each of their owners (by owner id)."""
    entries = catalog.entries
    due_soon = plus_days(today, DUE_SOON_DAYS) or dt.date.max
    by_owner: dict[str, list[DueRow]] = {}
    for entry in sorted(entries.values(), key=lambda e: (next_review(e), e.id)):
        due = next_review(entry)
        if entry.status in ENDED or due > due_soon:
            continue
        for owner in entry.owners:
            by_owner.setdefault(owner, []).append(DueRow(entry, due, due < today))
    return [OwnerReviews(entries[owner], rows) for owner, rows in sorted(by_owner.items()) if owner in entries]


def exceptions(catalog: Catalog, today: dt.date) -> list[ExceptionRow]:
    """Every exception, the latest expiry first."""
    found = sorted((e for e in catalog.entries.values() if isinstance(e, StandardException)),
                   key=lambda e: (e.expires, e.id), reverse=True)
    return [ExceptionRow(e, active_exception(e, today)) for e in found]


def initiative_rows(catalog: Catalog, initiatives: list[Initiative]) -> list[InitiativeRow]:
    rows = []
    for initiative in initiatives:
        gaps = gap_report(catalog, initiative)
        review = initiative.review
        cycle = f"{business_days(review.submitted, review.decided)} days" if review.submitted and review.decided else ""
        states = [status.state(item) for status in gaps.checklists for item in status.checklist.items]
        applicable = [state for state in states if state != "not-applicable"]
        readiness = 100.0 * applicable.count("done") / len(applicable) if applicable else None
        rows.append(InitiativeRow(initiative, cycle, {sev: len(items) for sev, items in gaps.open_by_severity.items()},
                                  readiness))
    return rows


def dashboards(catalog: Catalog, graph: Graph, today: dt.date,
               measured: Mapping[str, Sequence[Point]] | None = None) -> Dashboards:
    """The data of every governance page for `catalog` as of `today`; `measured` holds the computed KPIs' values in
    published versions."""
    standards, checklists = catalog.by_id(Standard), catalog.by_id(Checklist)
    kpis = catalog.by_id(Kpi)
    return Dashboards(
        standards=standards,
        checklists=checklists,
        threats=threat_coverage(catalog.by_id(Threat), standards),
        architectures=architecture_standards(catalog.by_id(Architecture), standards),
        enforcement=enforcement(standards, checklists),
        kpis=kpi_coverage(kpis, graph),
        reviews=reviews_due(catalog, today),
        overdue=sum(1 for e in catalog.entries.values() if e.status not in ENDED and overdue(e, today)),
        exceptions=exceptions(catalog, today),
        values=[v for k in kpis if (v := compute(catalog, k, k.period(today))) is not None],
        statuses=statuses(catalog, today, measured),
        initiatives=initiative_rows(catalog, catalog.by_id(Initiative)),
        loose=loose_links(standards, checklists),
        ai_act=calendar(catalog, today),
        frameworks=[coverage(catalog, framework) for framework in catalog.by_id(Framework)],
    )
