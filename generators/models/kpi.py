"""KPIs: what the architecture function is measured on, with targets."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .common import Entry, ItemRef, Line, Model, Prose, Ref
from .measurements import Goal, Measurement, PeriodSpan, period_of, span
from .relation import POINTS_AT

#: Frequencies measured by quarter; the others by month.
QUARTERLY = ("quarterly", "semiannual", "annual")

Stage = Literal["discovery", "build", "pilot", "production"]


class Computation(Model):
    """How the portfolio dashboard computes the KPI from the initiatives in the catalog.

    - `architecture-adoption`: share of initiatives that follow a reference architecture;
    - `checklist-complete`: share of initiatives with no open item in `checklist`;
    - `items-done`: share of initiatives with every item of `items` done (or not applicable);
    - `review-cycle-time`: median business days from review submission to decision.
    """

    method: Literal["architecture-adoption", "checklist-complete", "items-done", "review-cycle-time"]
    stages: list[Stage] = Field(default_factory=lambda: ["discovery", "build", "pilot", "production"],
                                description="The initiatives counted, by stage.")
    checklist: Ref("checklist") | None = None
    items: list[ItemRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _inputs(self) -> Computation:
        if self.method == "checklist-complete" and self.checklist is None:
            raise ValueError("method checklist-complete needs a checklist")
        if self.method == "items-done" and not self.items:
            raise ValueError("method items-done needs items")
        return self


class Kpi(Entry):
    kind = "kpi"
    folder = "kpis"
    label = "KPIs"
    singular = "KPI"
    blurb = "What the architecture practice is measured on, with targets and a cadence."
    relations = {"computed": POINTS_AT}
    colour = "#C6F6F1"
    diff_fields = ("target",)
    diff_items = ()
    badges = {"proposed": "proposed", "active": "current", "retired": "ended"}
    standalone = True  # most measure the practice, not an entry
    skeleton = """status: proposed
measures: |
  What is counted, and how.
rationale: |
  Why it matters.
unit: percent
target: At least 90% (state the number to test against)
frequency: monthly
owner: ai-architecture
data_source: The system, report or query the measurement comes from
"""

    status: Literal["proposed", "active", "retired"]
    measures: Prose
    rationale: Prose
    unit: Line
    target: Line
    frequency: Literal["weekly", "monthly", "quarterly", "semiannual", "annual"]
    owner: Line
    data_source: Line | None = Field(default=None, description="Where the measurement comes from: the system, report "
                                     "or query, e.g. 'incident tracker, tickets labelled ai-incident'.")
    computed: Computation | None = Field(default=None, description="Set when the catalog itself can measure the KPI.")
    goal: Goal | None = Field(default=None, description="The target as a number that measurements are tested against; "
                              "without it a KPI's status is 'no goal to test'.")
    measurements: list[Measurement] = Field(default_factory=list, description="Measured values by period, oldest "
                                            "first; one per quarter or month.")

    def period(self, day: dt.date) -> PeriodSpan:
        """The period `day` falls in, as this KPI is measured: by quarter or by month, as its recorded periods are,
        else as its frequency says."""
        quarterly = span(self.measurements[0].period).quarterly if self.measurements else self.frequency in QUARTERLY
        return span(period_of(day, quarterly))
