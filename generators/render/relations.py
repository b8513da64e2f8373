"""A small graph per entry: the entry and its direct relations, each node a link to its page.

A neighbourhood is a star, so it needs no layout engine: entries pointing at this one stand in a
column on the left, entries it points at in a column on the right, and the SVG is written here
directly, in well under a millisecond per entry. Every catalog string is XML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..load.catalog import Catalog
from ..models import BY_KIND
from ..models.graph import Graph
from ..models.relation import OWNED_BY

MAX_NEIGHBOURS = 24

# Geometry in pixels. Widths are estimated from the number of characters: no font is measured.
_PAD = 12
_NODE_HEIGHT = 36
_ROW_GAP = 10
_TITLE_CHAR = 6.3   # 11 px sans-serif
_LABEL_CHAR = 5.4   # 9 px sans-serif
_NODE_PADDING = 20
_STYLE = ("text{font-family:sans-serif}.t{font-size:11px;fill:#1F1F1F}.k{font-size:9px;fill:#595959}"
          ".r{font-size:9px;fill:#595959;paint-order:stroke;stroke:white;stroke-width:3px}.e{fill:none;stroke:#8C8C8C;stroke-width:1}")


@dataclass(frozen=True)
class Neighbour:
    id: str
    title: str
    kind: str
    label: str  # the kind's singular name
    url: str
    relation: str
    outgoing: bool


@dataclass(frozen=True)
class Box:
    """A node placed on the canvas: top-left corner and width."""

    x: float
    y: float
    width: float

    @property
    def middle(self) -> float:
        return self.y + _NODE_HEIGHT / 2


@dataclass(frozen=True)
class NeighbourhoodJob:
    entry_id: str
    folder: str
    title: str
    kind: str
    label: str
    neighbours: tuple[Neighbour, ...]
    more: int = 0

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.entry_id}.relations.svg"

    def svg(self) -> str:
        """The graph: incoming neighbours left, the entry in the middle, outgoing neighbours right."""
        left = [n for n in self.neighbours if not n.outgoing]
        right = [n for n in self.neighbours if n.outgoing]
        left_width = max((_width(n.title, n.label) for n in left), default=0)
        right_width = max((_width(n.title, n.label) for n in right), default=0)
        self_width = _width(self.title, self.label)
        left_gap = _gap(left)
        right_gap = _gap(right)
        rows = max(len(left), len(right), 1)
        body = rows * _NODE_HEIGHT + (rows - 1) * _ROW_GAP
        more = 18 if self.more else 0
        height = body + 2 * _PAD + more
        centre_x = _PAD + (left_width + left_gap if left else 0)
        width = centre_x + self_width + (right_gap + right_width if right else 0) + _PAD
        centre = Box(centre_x, _PAD + (body - _NODE_HEIGHT) / 2, self_width)

        def column(items: list[Neighbour], x: float, column_width: float) -> list[Box]:
            top = _PAD + (body - (len(items) * _NODE_HEIGHT + (len(items) - 1) * _ROW_GAP)) / 2
            return [Box(x, top + i * (_NODE_HEIGHT + _ROW_GAP), column_width) for i in range(len(items))]

        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img">',
            f"<title>{escape(f'Entries related to {self.title}')}</title>",
            f"<style>{_STYLE}</style>",
            '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" '
            'orient="auto"><path d="M0,0L8,4L0,8z" fill="#8C8C8C"/></marker></defs>',
            '<rect width="100%" height="100%" fill="white"/>',
        ]
        for neighbour, box in zip(left, column(left, _PAD, left_width)):
            start, end = (box.x + box.width, box.middle), (centre.x, centre.middle)
            parts.append(_edge(start, end, neighbour.relation, start[0] + 6, "start"))
            parts.append(_node(box, neighbour.title, neighbour.label, neighbour.kind, neighbour.url))
        for neighbour, box in zip(right, column(right, centre.x + self_width + right_gap, right_width)):
            start, end = (centre.x + self_width, centre.middle), (box.x, box.middle)
            parts.append(_edge(start, end, neighbour.relation, end[0] - 10, "end"))
            parts.append(_node(box, neighbour.title, neighbour.label, neighbour.kind, neighbour.url))
        parts.append(_node(centre, self.title, self.label, self.kind, None))
        if self.more:
            parts.append(f'<text class="k" x="{width / 2:.1f}" y="{height - _PAD:.1f}" text-anchor="middle">'
                         f"and {self.more} more</text>")
        parts.append("</svg>")
        return "\n".join(parts) + "\n"


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:39] + "…"


def _width(title: str, label: str) -> float:
    return max(len(_short(title)) * _TITLE_CHAR, len(label) * _LABEL_CHAR) + _NODE_PADDING


def _gap(neighbours: list[Neighbour]) -> float:
    """Room between a column and the entry: the longest relation name, and a curve that flattens as the column grows."""
    return max((len(n.relation) * _LABEL_CHAR for n in neighbours), default=0) + 60 + min(4 * len(neighbours), 100)


def _node(box: Box, title: str, label: str, kind: str, url: str | None) -> str:
    fill = BY_KIND[kind].colour
    stroke = 'stroke="#595959" stroke-width="2"' if url is None else 'stroke="#8C8C8C"'
    centre = box.x + box.width / 2
    shape = (f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{_NODE_HEIGHT}" rx="5" '
             f'fill="{fill}" {stroke}/>'
             f'<text class="t" x="{centre:.1f}" y="{box.y + 15:.1f}" text-anchor="middle">{escape(_short(title))}</text>'
             f'<text class="k" x="{centre:.1f}" y="{box.y + 28:.1f}" text-anchor="middle">{escape(label)}</text>')
    if url is None:
        return f"<g>{shape}</g>"
    return (f'<a href={quoteattr(url)} xlink:href={quoteattr(url)} target="_top">'
            f"<title>{escape(title)}</title>{shape}</a>")


def _edge(start: tuple[float, float], end: tuple[float, float], relation: str, label_x: float, anchor: str) -> str:
    """A curve from start to end with an arrowhead, its relation written just above the neighbour's end."""
    (x1, y1), (x2, y2) = start, end
    bend = (x2 - x1) / 2
    label_y = (y1 if anchor == "start" else y2) - 4
    return (f'<path class="e" d="M{x1:.1f},{y1:.1f}C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
            f'{x2:.1f},{y2:.1f}" marker-end="url(#arrow)"/>'
            f'<text class="r" x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}">{escape(relation)}</text>')


def neighbourhood_jobs(catalog: Catalog, graph: Graph) -> list[NeighbourhoodJob]:
    """One job per entry; ownership edges are left out except on an owner's own graph."""
    jobs = []
    for entry in catalog.entries.values():
        seen: dict[tuple[str, str, bool], None] = {}
        for ref in graph.outgoing.get(entry.id, []):
            if ref.relation is not OWNED_BY and ref.target_id != entry.id:
                seen[(ref.target_id, ref.relation.name, True)] = None
        for ref in graph.incoming.get(entry.id, []):
            if (ref.relation is not OWNED_BY or entry.kind == "team") and ref.source != entry.id:
                seen[(ref.source, ref.relation.name, False)] = None
        keys = sorted(seen, key=lambda k: (not k[2], k[1], k[0]))
        neighbours = []
        for other_id, relation, outgoing in keys[:MAX_NEIGHBOURS]:
            other = catalog.entries[other_id]
            neighbours.append(Neighbour(other.id, other.title, other.kind, other.singular,
                                        f"../{other.folder}/{other.id}/", relation, outgoing))
        jobs.append(NeighbourhoodJob(entry.id, entry.folder, entry.title, entry.kind, entry.singular,
                                     tuple(neighbours), max(0, len(keys) - MAX_NEIGHBOURS)))
    return jobs


def relation_graphs(catalog: Catalog, graph: Graph) -> dict[str, str]:
    """Every entry's relation graph as SVG, by its path in the generated folder."""
    return {job.path: job.svg() for job in neighbourhood_jobs(catalog, graph)}
