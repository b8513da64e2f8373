"""KPIs: what the architecture function is measured on, with targets."""

from __future__ import annotations

from typing import Literal

from .common import Entry, Line, Prose


class Kpi(Entry):
    kind = "kpi"
    folder = "kpis"
    label = "KPIs"
    singular = "KPI"
    blurb = "What the architecture practice is measured on, with targets and a cadence."

    status: Literal["proposed", "active", "retired"]
    measures: Prose
    rationale: Prose
    unit: Line
    target: Line
    frequency: Literal["weekly", "monthly", "quarterly", "semiannual", "annual"]
    owner: Line
