"""A KPI's measured values by period, and its target as a number to test them against."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from .common import PERIOD_PATTERN, Date, Line, Model, Part

Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]

#: How each comparison reads in a sentence, and whether a value meets it.
COMPARISONS = {
    "at-least": ("at least", lambda value, threshold: value >= threshold),
    "at-most": ("at most", lambda value, threshold: value <= threshold),
    "above": ("above", lambda value, threshold: value > threshold),
    "below": ("below", lambda value, threshold: value < threshold),
}


def _number(value: Any) -> Any:
    """A measured value is a number: not text, and not a boolean that YAML read from yes or no."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number, such as 42 or 97.5, without its unit")
    return value


Number = Annotated[float, BeforeValidator(_number)]


@dataclass(frozen=True, order=True)
class PeriodSpan:
    """A quarter ('2026-Q3') or a month ('2026-09'), ordered by when it starts."""

    start: dt.date
    end: dt.date
    name: str

    @property
    def quarterly(self) -> bool:
        return "Q" in self.name

    @property
    def label(self) -> str:
        """'2026 Q3' or 'Sep 2026'."""
        return f"{self.name[:4]} {self.name[5:]}" if self.quarterly else self.start.strftime("%b %Y")


def span(period: str) -> PeriodSpan:
    """The days a period covers; `period` matches PERIOD_PATTERN."""
    year, part = int(period[:4]), period[5:]
    if part.startswith("Q"):
        first = 3 * int(part[1]) - 2
        start, months = dt.date(year, first, 1), 3
    else:
        start, months = dt.date(year, int(part), 1), 1
    last = start.month + months - 1  # the period's last month, 12 at most
    end = dt.date(year, 12, 31) if last == 12 else dt.date(year, last + 1, 1) - dt.timedelta(days=1)
    return PeriodSpan(start, end, period)


def period_of(day: dt.date, quarterly: bool) -> str:
    """The quarter or the month `day` falls in."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}" if quarterly else f"{day.year:04d}-{day.month:02d}"


def plausible_range(unit: str) -> tuple[float, float | None]:
    """The values a unit can take: 0 to 100 for a percentage, the ends of a rating scale ('1–5 scale'), else any
    number from 0 (counts, durations, money); None means no upper bound."""
    scale = re.search(r"(\d+(?:\.\d+)?)\s*(?:–|-|to)\s*(\d+(?:\.\d+)?)\s+scale", unit)
    if scale:
        return float(scale.group(1)), float(scale.group(2))
    if "%" in unit or "percent" in unit.lower():
        return 0.0, 100.0
    return 0.0, None


class Measurement(Part):
    """The KPI's value over one period, as measured on a date from a source."""

    period: Period = Field(description="The quarter ('2026-Q3') or the month ('2026-09') the value covers.")
    value: Number = Field(description="The measured value, in the KPI's unit.")
    unit: Line | None = Field(default=None, description="The unit, when written: it must be the KPI's own.")
    date: Date = Field(description="When it was measured (YYYY-MM-DD), on or after the period began.")
    source: Line | None = Field(default=None, description="Where the value comes from: the report, query or export. "
                                                          "A value without one is reported by check.")
    note: Line | None = Field(default=None, description="What a reader needs to know about this value.")


class Goal(Model):
    """The KPI's target as a number to test measurements against: a fixed `value`, or a `change` in percent from the
    value measured in a `baseline` period ('Improve 20% within 6 months' is `baseline` and `change: -20` for a time
    that should fall)."""

    comparison: Literal["at-least", "at-most", "above", "below"] = Field(
        description="How a measured value compares with the threshold when the goal is met.")
    value: Number | None = Field(default=None, description="The threshold, in the KPI's unit.")
    baseline: Period | None = Field(default=None, description="The period whose measured value `change` starts from.")
    change: Number | None = Field(default=None, description="Percent change from the baseline's value, e.g. -20.")
    margin: Number = Field(default=5.0, ge=0, le=100,
                           description="A value that meets the goal by less than this percentage of the threshold is "
                                       "'at risk' (default 5).")

    @model_validator(mode="after")
    def _one_threshold(self) -> Goal:
        if (self.value is None) == (self.baseline is None):
            raise ValueError("give the threshold as value, or as baseline and change, not both")
        if (self.baseline is None) != (self.change is None):
            raise ValueError("baseline and change go together: the change is measured from the baseline's value")
        return self

    def sentence(self, unit: str) -> str:
        """The goal in words: 'at most 10 (Business days (median))'."""
        words = COMPARISONS[self.comparison][0]
        if self.value is not None:
            return f"{words} {number(self.value)} ({unit})"
        return f"{words} {number(self.change or 0.0, signed=True)}% from the {span(self.baseline or '').label} value"


def number(value: float, signed: bool = False) -> str:
    """A measured value as the site writes it: at most two decimals, no trailing zeros, thousands grouped."""
    text = f"{value:{'+' if signed else ''},.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0") and not signed else text
