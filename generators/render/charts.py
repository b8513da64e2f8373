"""Charts drawn at build time as inline SVG: a KPI's trend against its target, a sparkline for a dashboard tile, and
horizontal bars. Each is readable without JavaScript (plain SVG), follows the page's colours in light and dark mode
(classes styled by docs/assets/playbook.css, text in `currentColor`), is named for a screen reader (a title and a
description; the page shows the same data as a table), and gives the same bytes for the same data."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..models.measurements import number

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 44


@dataclass(frozen=True)
class Series:
    """Values by period label, oldest first, and the threshold to draw (None: no target line)."""

    labels: Sequence[str]
    values: Sequence[float]
    threshold: float | None = None
    #: The lowest and highest values the unit allows (a percentage: 0 and 100), None where unbounded.
    floor: float | None = None
    ceiling: float | None = None


def _f(value: float) -> str:
    """A coordinate: one decimal, no '-0'."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


#: Characters that XML, Markdown or a template engine would read as markup, as character references: a chart sits
#: inline in a generated page, whose Markdown would otherwise read '*' or '_' in a title as emphasis across tags.
_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'*_`[]{}\\~|#!"})


def _text(value: str) -> str:
    """Catalog text as SVG text: inert for XML, Markdown and templates alike, in one pass."""
    return value.translate(_INERT)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high: steps of 1, 2 or 5 times a power of ten."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _range(series: Series) -> tuple[float, float, list[float]]:
    shown = [*series.values, *([series.threshold] if series.threshold is not None else [])]
    low, high = min(shown), max(shown)
    pad = (high - low) * 0.15 or abs(high) * 0.15 or 1.0
    low, high = low - pad, high + pad
    if series.floor is not None:
        low = max(low, series.floor)
    if series.ceiling is not None:
        high = min(high, series.ceiling)
    ticks = nice_ticks(low, high)
    if series.floor is not None:  # a tick below the floor goes; the floor itself is the axis' end when it must be
        ticks = [t for t in ticks if t >= series.floor]
        if not ticks or ticks[0] > low:
            ticks.insert(0, series.floor)
    if series.ceiling is not None:
        ticks = [t for t in ticks if t <= series.ceiling]
        if not ticks or ticks[-1] < high:
            ticks.append(series.ceiling)
    return ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1, ticks


def trend_chart(series: Series, chart_id: str, title: str, description: str, target_label: str = "") -> str:
    """A line chart of the values with the threshold as a dashed line, on one line of SVG markup."""
    low, high, ticks = _range(series)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(series.values)

    def x(index: int) -> float:
        return LEFT + (plot_w * (index + 0.5) / n if n else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts = [f'<svg class="pb-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{_text(title)}</title>',
             f'<desc id="{chart_id}-desc">{_text(description)}</desc>']
    for tick in ticks:
        parts.append(f'<line class="pb-chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(y(tick))}" '
                     f'y2="{_f(y(tick))}"/>')
        parts.append(f'<text class="pb-chart__tick" x="{LEFT - 8}" y="{_f(y(tick) + 4)}" '
                     f'text-anchor="end">{_text(number(tick))}</text>')
    every = 1 + (n - 1) // 6  # at most six period labels, so that they stay apart on a phone
    for index, label in enumerate(series.labels):
        if (n - 1 - index) % every:
            continue  # the latest period is always labelled
        parts.append(f'<text class="pb-chart__tick" x="{_f(x(index))}" y="{HEIGHT - BOTTOM + 20}" '
                     f'text-anchor="middle">{_text(label)}</text>')
    if series.threshold is not None and low <= series.threshold <= high:
        level = _f(y(series.threshold))
        parts.append(f'<line class="pb-chart__target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{level}" y2="{level}"/>')
        if target_label:
            parts.append(f'<text class="pb-chart__target-label" x="{LEFT + 6}" y="{_f(y(series.threshold) - 6)}">'
                         f'{_text(target_label)}</text>')
    if n > 1:
        path = " ".join(f"{_f(x(i))},{_f(y(v))}" for i, v in enumerate(series.values))
        parts.append(f'<polyline class="pb-chart__line" points="{path}"/>')
    for index, (label, value) in enumerate(zip(series.labels, series.values)):
        parts.append(f'<circle class="pb-chart__point" cx="{_f(x(index))}" cy="{_f(y(value))}" r="4">'
                     f'<title>{_text(label)}: {_text(number(value))}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline(series: Series, label: str, width: int = 120, height: int = 32) -> str:
    """A small line of the values, the threshold dotted, named by `label` for a screen reader."""
    low, high, _ = _range(series)
    n = len(series.values)

    def x(index: int) -> float:
        return 2 + (width - 4) * (index / (n - 1) if n > 1 else 0.5)

    def y(value: float) -> float:
        return 2 + (height - 4) * (1 - (value - low) / (high - low))

    parts = [f'<svg class="pb-spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{_text(label)}" xmlns="http://www.w3.org/2000/svg">']
    if series.threshold is not None and low <= series.threshold <= high:
        level = _f(y(series.threshold))
        parts.append(f'<line class="pb-chart__target" x1="0" x2="{width}" y1="{level}" y2="{level}"/>')
    if n > 1:
        path = " ".join(f"{_f(x(i))},{_f(y(v))}" for i, v in enumerate(series.values))
        parts.append(f'<polyline class="pb-chart__line" points="{path}"/>')
    if n:
        parts.append(f'<circle class="pb-chart__point" cx="{_f(x(n - 1))}" cy="{_f(y(series.values[-1]))}" r="2.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def bars(rows: Sequence[tuple[str, float]], chart_id: str, title: str, description: str, unit: str = "%") -> str:
    """Horizontal bars from 0 to 100, a row per (label, value), each labelled with its value."""
    row_h, label_w, value_w = 28, 220, 56
    height = TOP + row_h * len(rows) + 8
    plot_w = WIDTH - label_w - value_w
    parts = [f'<svg class="pb-chart pb-chart--bars" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{_text(title)}</title>',
             f'<desc id="{chart_id}-desc">{_text(description)}</desc>']
    for index, (label, value) in enumerate(rows):
        top = TOP + index * row_h
        shown = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text class="pb-chart__tick" x="{label_w - 8}" y="{top + 17}" text-anchor="end">'
                     f'{_text(shown)}</text>')
        parts.append(f'<rect class="pb-chart__track" x="{label_w}" y="{top + 4}" width="{plot_w}" height="18"/>')
        parts.append(f'<rect class="pb-chart__bar" x="{label_w}" y="{top + 4}" '
                     f'width="{_f(plot_w * max(0.0, min(value, 100.0)) / 100)}" height="18"/>')
        parts.append(f'<text class="pb-chart__tick" x="{WIDTH - value_w + 8}" y="{top + 17}">'
                     f'{_text(number(value))}{_text(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
