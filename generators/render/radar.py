"""The technology radar, drawn as SVG from the tools catalog: quadrants, rings, one numbered blip per tool,
and the legend and colour key the radar page prints beside it as text.

Positions depend only on the catalog: blips are placed by quadrant and ring, in id order, so the same
catalog draws the same bytes. A tool that moved ring in the latest version is drawn as a triangle.
Each blip takes taps on a circle of TAP px around it (the drawing is shown at its natural size on a phone,
its smallest text being 11 px), and blips sit at least TAP apart while their ring has room.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from ..load.catalog import Catalog
from ..models.tool import QUADRANTS, RINGS, Tool
from ..resolve.changes import ChangesByVersion
from .font import FONT_URL, STACK, font_face

SIZE = 820
CENTRE = SIZE / 2
#: Outer radius of each ring, from the centre out.
RADII = (170.0, 255.0, 325.0, 385.0)
#: Radius of a blip's circle.
BLIP = 12.0
#: Radius of the circle inscribed in the triangle of a blip that moved ring.
_TRIANGLE = 9.0
#: Diameter of the circle around each blip's centre where a tap or a click lands on it.
TAP = 28.0
#: Angle (degrees, clockwise from 3 o'clock in SVG coordinates) where each quadrant starts.
STARTS = (180.0, 270.0, 0.0, 90.0)
_PADDING_DEGREES = 6.0


@dataclass(frozen=True)
class RingColour:
    """How a ring's blips are drawn, and the words the colour key says it with."""

    ring: str
    colour: str
    name: str
    where: str


#: The colour key, from the centre out; playbook.css gives `.pb-ring--<ring>` the same colours.
KEY = (
    RingColour("adopt", "#1b5e20", "green", "the centre ring"),
    RingColour("trial", "#0d47a1", "blue", "the second ring"),
    RingColour("assess", "#6a1b9a", "purple", "the third ring"),
    RingColour("hold", "#b71c1c", "red", "the outer ring"),
)
_COLOURS = {key.ring: key.colour for key in KEY}


@dataclass(frozen=True)
class Blip:
    """One tool on the radar: its number, where it sits, and the ring it moved from (if it moved)."""

    number: int
    tool: Tool
    x: float
    y: float
    moved_from: str | None


@dataclass(frozen=True)
class LegendQuadrant:
    """One quadrant's list beside the radar: its title and, ring by ring from the centre out, its blips."""

    key: str
    title: str
    rings: tuple[tuple[str, tuple[Blip, ...]], ...]


def quadrant_title(key: str) -> str:
    return dict(QUADRANTS)[key]


def legend(blips: list[Blip]) -> list[LegendQuadrant]:
    """Every quadrant in drawing order, each with the rings that hold a blip of it, in blip order."""
    quadrants = []
    for key, title in QUADRANTS:
        cells = ((ring, tuple(b for b in blips if b.tool.quadrant == key and b.tool.ring == ring)) for ring in RINGS)
        quadrants.append(LegendQuadrant(key, title, tuple((ring, cell) for ring, cell in cells if cell)))
    return quadrants


def _rows(inner: float, outer: float, count: int) -> list[tuple[float, int]]:
    """(radius, number of blips) for each row of one ring's cell, filled in proportion to the row's length."""
    gap = TAP
    inner = max(inner, 1.25 * TAP)
    rows = max(1, int((outer - inner) // gap))
    radii = [inner + (outer - inner) * (k + 0.5) / rows for k in range(rows)]
    arc = math.radians(90 - 2 * _PADDING_DEGREES)
    room = [max(1, int(arc * r // gap)) for r in radii]
    shares = [count * r // sum(room) for r in room]
    for k in sorted(range(rows), key=lambda k: -room[k])[: count - sum(shares)]:
        shares[k] += 1
    return [(r, n) for r, n in zip(radii, shares) if n]


def place(tools: list[Tool], moved: dict[str, str]) -> list[Blip]:
    """Blips numbered quadrant by quadrant, ring by ring, in id order; spread evenly over each cell's rows."""
    blips: list[Blip] = []
    arc = 90 - 2 * _PADDING_DEGREES
    for q, (quadrant, _) in enumerate(QUADRANTS):
        for r, ring in enumerate(RINGS):
            cell = sorted((t for t in tools if t.quadrant == quadrant and t.ring == ring), key=lambda t: t.id)
            placed = iter(cell)
            for k, (radius, n) in enumerate(_rows(RADII[r - 1] if r else 0.0, RADII[r], len(cell))):
                for j in range(n):
                    tool = next(placed)
                    fraction = (j + 0.5 + 0.5 * (k % 2)) / (n + 0.5)  # alternate rows are staggered
                    angle = math.radians(STARTS[q] + _PADDING_DEGREES + fraction * arc)
                    blips.append(Blip(len(blips) + 1, tool, round(CENTRE + radius * math.cos(angle), 1),
                                      round(CENTRE + radius * math.sin(angle), 1), moved.get(tool.id)))
    return blips


def _shape(blip: Blip) -> str:
    """The blip's circle, or its triangle when it moved ring (centred on the same point), under a transparent stroke
    that makes a tap within TAP / 2 of that point land on it: a stroke takes pointer events, and is left out of the
    shape's box that the blip's number must fit."""
    colour = _COLOURS[blip.tool.ring]
    if blip.moved_from:
        r, x, y = _TRIANGLE, blip.x, blip.y
        points = (f"{x},{round(y - 2 * r, 1)} {round(x + math.sqrt(3) * r, 1)},{round(y + r, 1)} "
                  f"{round(x - math.sqrt(3) * r, 1)},{round(y + r, 1)}")
        return (f'<polygon points="{points}" fill="{colour}" stroke="#fff" stroke-opacity="0" '
                f'stroke-width="{TAP - 2 * r}" stroke-linejoin="round"/>')
    return (f'<circle cx="{blip.x}" cy="{blip.y}" r="{BLIP}" fill="{colour}" stroke="#fff" stroke-opacity="0" '
            f'stroke-width="{TAP - 2 * BLIP}"/>')


def radar_svg(blips: list[Blip], href: dict[str, str]) -> str:
    """The radar as a standalone SVG; `href` maps a tool id to its page, relative to the SVG file."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        f'role="img" aria-labelledby="radar-title radar-desc" font-family="{STACK}">',
        '<title id="radar-title">Technology radar</title>',
        f'<desc id="radar-desc">{len(blips)} tools in four quadrants and four rings (adopt, trial, assess, hold); '
        'the lists and the table on the page name every one.</desc>',
        f"<style>{font_face(FONT_URL)}</style>",
    ]
    for radius, shade in zip(reversed(RADII), ("#f2f2f2", "#e6e6e6", "#dadada", "#cecece")):
        parts.append(f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{radius}" fill="{shade}" stroke="#fff" stroke-width="2"/>')
    parts.append(f'<path d="M{CENTRE - RADII[-1]},{CENTRE}H{CENTRE + RADII[-1]}M{CENTRE},{CENTRE - RADII[-1]}'
                 f'V{CENTRE + RADII[-1]}" stroke="#fff" stroke-width="4"/>')
    for r, ring in enumerate(RINGS):
        inner = RADII[r - 1] if r else 0.0
        parts.append(f'<text x="{CENTRE + (inner + RADII[r]) / 2}" y="{CENTRE - 6}" text-anchor="middle" '
                     f'font-size="13" font-weight="bold" fill="#333">{ring.upper()}</text>')
    corners = ((14, 24, "start"), (SIZE - 14, 24, "end"), (SIZE - 14, SIZE - 12, "end"), (14, SIZE - 12, "start"))
    for (_, title), (x, y, anchor) in zip(QUADRANTS, corners):
        parts.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="16" font-weight="bold" fill="#222">'
                     f'{escape(title)}</text>')
    for blip in blips:
        moved = f", moved from {blip.moved_from}" if blip.moved_from else ""
        label = escape(f"{blip.number}. {blip.tool.title} ({blip.tool.ring}{moved})")
        parts.append(
            f'<a href="{escape(href[blip.tool.id])}" target="_top" class="pb-blip">'
            f'<title>{label}</title>{_shape(blip)}'
            f'<text x="{blip.x}" y="{blip.y + 4}" text-anchor="middle" font-size="11" font-weight="bold" '
            f'fill="#fff">{blip.number}</text></a>')
    parts.append("</svg>\n")
    return "\n".join(parts)


def latest_moves(history: ChangesByVersion) -> tuple[str, dict[str, str], set[str]]:
    """The latest published version, the ring each tool moved from in it, and the tools it added."""
    if not history:
        return "", {}, set()
    version, changes = history[0]
    moved: dict[str, str] = {}
    added: set[str] = set()
    for change in changes.entries:
        if change.kind != Tool.kind:
            continue
        if change.change == "added":
            added.add(change.id)
        moved.update({change.id: d.before for d in change.details if d.field == "ring" and d.before})
    return version, moved, added


def current_tools(catalog: Catalog) -> list[Tool]:
    """The tools on the radar: every tool not retired, by id."""
    return [tool for tool in catalog.by_id(Tool) if tool.status != "retired"]
