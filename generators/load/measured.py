"""What makes a KPI's measurements wrong: a unit other than the KPI's, periods repeated, out of order or mixing
quarters with months, a value its unit cannot take, a date before its period began, a baseline never measured."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Path_
from ..models.kpi import Kpi
from ..models.measurements import number, plausible_range, span


def measurement_problems(kpi: Kpi) -> Iterator[tuple[Path_, str, str]]:
    """(path, message, hint) for each problem of `kpi`'s measurements and goal."""
    low, high = plausible_range(kpi.unit)
    seen: dict[str, int] = {}
    previous = None
    for index, m in enumerate(kpi.measurements):
        at = ("measurements", index)
        if m.unit is not None and m.unit != kpi.unit:
            yield ((*at, "unit"), f"unit '{m.unit}' is not the KPI's unit '{kpi.unit}'",
                   "convert the value to the KPI's unit and write that unit, or leave unit out")
        period = span(m.period)
        if m.period in seen:
            yield ((*at, "period"), f"period {m.period} is measured twice (also measurements[{seen[m.period]}])",
                   "keep one value per period; put what differs in its note")
        elif previous is not None and period.quarterly != previous.quarterly:
            yield ((*at, "period"), f"period {m.period} mixes {'quarters' if period.quarterly else 'months'} with the "
                   f"{'quarters' if previous.quarterly else 'months'} before it",
                   "measure a KPI by quarter or by month throughout")
        elif previous is not None and period < previous:
            yield ((*at, "period"), f"period {m.period} comes after {previous.name} in the list but before it in time",
                   "list measurements oldest first")
        seen.setdefault(m.period, index)
        previous = max(previous, period) if previous else period
        if m.value < low or (high is not None and m.value > high):
            bounds = f"from {number(low)} to {number(high)}" if high is not None else f"{number(low)} or more"
            yield ((*at, "value"), f"{number(m.value)} is not a plausible value of '{kpi.unit}', which runs {bounds}",
                   "check the value and its unit")
        if m.date < period.start:
            yield ((*at, "date"), f"measured on {m.date.isoformat()}, before period {m.period} began",
                   f"write the day the value was measured, on or after {period.start.isoformat()}")
    goal = kpi.goal
    if goal is not None and goal.baseline is not None and goal.baseline not in seen:
        yield (("goal", "baseline"), f"the baseline period {goal.baseline} has no measurement",
               "record the baseline period's value in measurements, or give the goal a fixed value")
    if goal is not None and goal.value is not None and (goal.value < low or (high is not None and goal.value > high)):
        yield (("goal", "value"), f"{number(goal.value)} is not a plausible value of '{kpi.unit}'",
               "state the threshold in the KPI's unit")
