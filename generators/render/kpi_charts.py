"""A KPI's status drawn: its trend chart, its sparkline, and the words a screen reader hears for each."""

from __future__ import annotations

from ..models.measurements import number, plausible_range
from ..resolve.kpi_status import KpiStatus
from .charts import Series, sparkline, trend_chart


def _series(status: KpiStatus) -> Series:
    floor, ceiling = plausible_range(status.kpi.unit)
    return Series([p.period.label for p in status.points], [p.value for p in status.points], status.threshold,
                  floor, ceiling)


def summary(status: KpiStatus) -> str:
    """One sentence of where the KPI stands: 'Latest 10.5 (2026 Q4) against a goal of at most 10: missed.'"""
    latest = status.latest
    if latest is None:
        return f"{status.kpi.title}: not measured yet."
    return (f"{status.kpi.title}: latest {number(latest.value)} ({latest.period.label}) against a goal of "
            f"{status.goal}: {status.word.lower()}.")


def chart(status: KpiStatus) -> str:
    """The trend chart of the recorded periods with the target line, '' when nothing is measured yet."""
    if not status.points:
        return ""
    values = ", ".join(f"{p.period.label} {number(p.value)}" for p in status.points)
    description = f"{summary(status)} Values by period: {values}. Unit: {status.kpi.unit}."
    target = f"Target: {status.goal}" if status.threshold is not None else ""
    return trend_chart(_series(status), f"trend-{status.kpi.id}", f"{status.kpi.title} by period", description, target)


def spark(status: KpiStatus) -> str:
    """The tile's sparkline, '' when nothing is measured yet."""
    if not status.points:
        return ""
    first, last = status.points[0], status.points[-1]
    label = (f"Trend over {len(status.points)} period{'s' * (len(status.points) != 1)}: from {number(first.value)} in "
             f"{first.period.label} to {number(last.value)} in {last.period.label}")
    return sparkline(_series(status), label)
