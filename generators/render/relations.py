"""A small graph per entry: the entry and its direct relations, each neighbour once, each node a link to its page.

A neighbourhood is a star, so it needs no layout engine. The drawing is narrow enough for a phone's
column at natural size: the entry on top, a trunk down its left side, and one row per neighbour
below, in three sections (entries it links to, entries linking to it, both ways). A row's connector
carries every relation between the two entries, read from this entry's side, with an arrow for each
direction a reference goes. More than a few neighbours of one kind related the same way become one
group row that links to the list on the page, which names every neighbour (`relation_list`).

Text is measured with the advance widths of the font the page draws it in, titles wrap onto two
lines and are shortened only when they cannot fit them (the node's tooltip and the list keep the
full title). Every catalog string is XML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from xml.sax.saxutils import escape, quoteattr

from ..load.catalog import Catalog
from ..models import BY_KIND, KINDS, Entry
from ..models.graph import Graph
from ..models.relation import ORDER, OWNED_BY, Relation
from .font import FONT_URL, STACK, font_face, text_width

#: More neighbours than this sharing a kind, relations and direction are drawn as one group row.
GROUP_OVER = 6
#: Rows drawn at most; a larger neighbourhood says how many rows are left to the list.
MAX_ROWS = 40

WIDTH = 340
TITLE_PX = 13
LABEL_PX = 11
_PAD = 8             # canvas margin
_INSET = 10          # text inside a box
_TRUNK_X = 22        # the vertical line every connector starts from
_NODE_X = 44         # neighbour boxes' left edge
_TITLE_LINE = 16
_LABEL_LINE = 14
_ROW_GAP = 8
_ELLIPSIS = "…"
_SEPARATOR = " · "
_STYLE = (f"{font_face(FONT_URL)}text{{font-family:{STACK}}}.t,.h{{fill:#1F1F1F}}"
          ".k,.r{fill:#595959}.r{font-style:italic}.e{fill:none;stroke:#6E6E6E;stroke-width:1.5}")
_SECTIONS = (("out", "Links from this entry"), ("in", "Links to this entry"), ("both", "Links both ways"))


@dataclass(frozen=True)
class Neighbour:
    """An entry related to this one, with every relation between them read from this entry's side."""

    id: str
    title: str
    kind: str
    label: str  # the kind's singular name
    url: str
    relations: tuple[str, ...]  # e.g. ("applies", "pointed at by")
    outgoing: bool  # this entry names it
    incoming: bool  # it names this entry

    @property
    def direction(self) -> str:
        return "both" if self.outgoing and self.incoming else "out" if self.outgoing else "in"


@dataclass(frozen=True)
class RelatedGroup:
    """One line of the list beside the drawing: entries of one kind related one way, and the anchor of that line."""

    anchor: str
    label: str  # e.g. "Applies (standards and guardrails)"
    ids: tuple[str, ...]


def plural(kind: str) -> str:
    """The kind's plural name inside a sentence: "standards and guardrails", "KPIs", "ADR templates"."""
    label = BY_KIND[kind].label
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def anchor(relation: str, kind: str) -> str:
    """The id of the list line naming the entries of `kind` this entry relates to by `relation`."""
    return "relations-" + "-".join(relation.split()) + "-" + BY_KIND[kind].folder


@dataclass(frozen=True)
class _Row:
    """One row below the entry: a neighbour, or a group of neighbours of one kind related the same way."""

    members: tuple[Neighbour, ...]

    @property
    def first(self) -> Neighbour:
        return self.members[0]

    @property
    def grouped(self) -> bool:
        return len(self.members) > 1


@dataclass(frozen=True)
class _Text:
    """A line of text placed at its left end and baseline."""

    text: str
    x: float
    y: float
    size: int
    css: str

    def svg(self) -> str:
        return (f'<text class="{self.css}" x="{self.x:.1f}" y="{self.y:.1f}" font-size="{self.size}">'
                f"{escape(self.text)}</text>")


@dataclass(frozen=True)
class NeighbourhoodJob:
    entry_id: str
    folder: str
    title: str
    kind: str
    label: str
    neighbours: tuple[Neighbour, ...]

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.entry_id}.relations.svg"

    def rows(self) -> list[tuple[str, list[_Row]]]:
        """Each section's rows, neighbours kept in their order; a long run of one kind related one way is one row."""
        sections = []
        for direction, heading in _SECTIONS:
            rows: list[_Row] = []
            mine = [n for n in self.neighbours if n.direction == direction]
            for _, run in groupby(mine, key=lambda n: (n.relations, n.kind)):
                members = tuple(run)
                if len(members) > GROUP_OVER:
                    rows.append(_Row(members))
                else:
                    rows.extend(_Row((n,)) for n in members)
            if rows:
                sections.append((f"{heading} ({sum(len(r.members) for r in rows)})", rows))
        return sections

    def svg(self) -> str:
        """The graph: the entry on top, then each section under its heading, each run of rows under its relations."""
        inner = WIDTH - _PAD - _NODE_X
        entry_lines = wrap(self.title, TITLE_PX, WIDTH - 2 * _PAD - 2 * _INSET)
        parts = [_node(_PAD, _PAD, WIDTH - 2 * _PAD, entry_lines, self.label, self.kind, self.title, None)]
        y = trunk_top = last_connector = _PAD + _box_height(len(entry_lines))
        sections = self.rows()
        total = drawn = 0
        for heading, rows in sections:
            total += len(rows)
            if drawn == MAX_ROWS:
                continue
            y += 2 * _ROW_GAP
            parts.append(_Text(heading.upper(), _NODE_X, y + 10, LABEL_PX, "h").svg())
            y += _LABEL_LINE
            previous: tuple[str, ...] = ()
            for row in rows[:MAX_ROWS - drawn]:
                drawn += 1
                y += _ROW_GAP
                if row.first.relations != previous:
                    previous = row.first.relations
                    for line in wrap(_SEPARATOR.join(previous), LABEL_PX, inner, lines=None, separator=_SEPARATOR):
                        parts.append(_Text(line, _NODE_X, y + 10, LABEL_PX, "r").svg())
                        y += _LABEL_LINE
                    y += 2
                if row.grouped:
                    box_lines, detail, tooltip, url = self._group(row)
                else:
                    n = row.first
                    box_lines, detail, tooltip, url = wrap(n.title, TITLE_PX, inner - 2 * _INSET), n.label, n.title, n.url
                last_connector = y + _box_height(len(box_lines)) / 2
                parts.append(_connector(last_connector, row.first.direction))
                parts.append(_node(_NODE_X, y, inner, box_lines, detail, row.first.kind, tooltip, url, stacked=row.grouped))
                y += _box_height(len(box_lines))
        if drawn < total:
            y += _ROW_GAP
            note = f"{total - drawn} more rows are not drawn: the list below the drawing names every related entry."
            for line in wrap(note, LABEL_PX, WIDTH - 2 * _PAD, lines=None):
                parts.append(_Text(line, _PAD, y + 10, LABEL_PX, "h").svg())
                y += _LABEL_LINE
        if last_connector > trunk_top:
            parts.insert(0, f'<path class="e" d="M{_TRUNK_X},{trunk_top:.1f}V{last_connector:.1f}"/>')
        height = f"{y + _PAD:.0f}"
        head = [
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img">',
            f"<title>{escape(f'Entries related to {self.title}')}</title>",
            f"<desc>{escape(self.description())}</desc>",
            f"<style>{_STYLE}</style>",
            '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
            'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L8,4L0,8z" fill="#6E6E6E"/>'
            "</marker></defs>",
            f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        ]
        return "\n".join([*head, *parts, "</svg>"]) + "\n"

    def description(self) -> str:
        if not self.neighbours:
            return "No other entry is related to this one."
        count = {d: sum(n.direction == d for n in self.neighbours) for d, _ in _SECTIONS}
        ways = [f"{count['out']} this entry links to", f"{count['in']} linking to it", f"{count['both']} linked both ways"]
        total = len(self.neighbours)
        return (f"{total} related {'entry' if total == 1 else 'entries'}: "
                f"{', '.join(way for way in ways if not way.startswith('0 '))}. The list below the drawing names them all.")

    def _group(self, row: _Row) -> tuple[list[str], str, str, str]:
        """A group row's lines, detail, tooltip and link (to the list line naming its members)."""
        first = row.first
        text = f"{len(row.members)} {plural(first.kind)}"
        lines = wrap(text, TITLE_PX, WIDTH - _PAD - _NODE_X - 2 * _INSET)
        url = f"../{self.folder}/{self.entry_id}/#{anchor(first.relations[0], first.kind)}"
        return lines, "each listed below the drawing", f"{text}, each listed below the drawing", url


def _box_height(title_lines: int) -> float:
    return 8 + title_lines * _TITLE_LINE + _LABEL_LINE + 6


def _node(x: float, y: float, width: float, lines: list[str], detail: str, kind: str, tooltip: str, url: str | None,
          *, stacked: bool = False) -> str:
    """A box with its title lines (13 px) and a detail line (11 px); a link when `url` is given."""
    height = _box_height(len(lines))
    stroke = 'stroke="#595959" stroke-width="2"' if url is None else 'stroke="#8C8C8C"'
    texts = [_Text(line, x + _INSET, y + 20 + i * _TITLE_LINE, TITLE_PX, "t") for i, line in enumerate(lines)]
    texts.append(_Text(_detail(detail, width), x + _INSET, y + 8 + len(lines) * _TITLE_LINE + 11, LABEL_PX, "k"))
    pile = (f'<path d="M{x + 4:.1f},{y + height:.1f}V{y + height + 3:.1f}H{x + width + 3:.1f}V{y + 4:.1f}H{x + width:.1f}" '
            'fill="none" stroke="#8C8C8C"/>' if stacked else "")  # a group row looks like a pile of boxes
    shape = (f"<title>{escape(tooltip)}</title>{pile}"
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.0f}" rx="5" '
             f'fill="{BY_KIND[kind].colour}" {stroke}/>' + "".join(t.svg() for t in texts))
    if url is None:
        return f"<g>{shape}</g>"
    return f'<a href={quoteattr(url)} xlink:href={quoteattr(url)} target="_top">{shape}</a>'


def _detail(detail: str, width: float) -> str:
    return wrap(detail, LABEL_PX, width - 2 * _INSET, lines=1)[0]


def _connector(y: float, direction: str) -> str:
    """A line from the trunk to a row's box, with an arrowhead at the end each reference points to."""
    ends = {"out": 'marker-end="url(#arrow)"', "in": 'marker-start="url(#arrow)"',
            "both": 'marker-start="url(#arrow)" marker-end="url(#arrow)"'}[direction]
    return f'<path class="e" d="M{_TRUNK_X},{y:.1f}H{_NODE_X}" {ends}/>'


def wrap(text: str, size: float, width: float, *, lines: int | None = 2, separator: str = " ") -> list[str]:
    """`text` broken at `separator` into lines at most `width` px wide at `size` px.

    A text longer than `lines` lines, or holding a word wider than a line, ends its last line with "…".
    """
    words = [w for w in (text.split() if separator == " " else text.split(separator)) if w]
    if not words:
        return [""]
    result: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current}{separator}{word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current and text_width(word, size) <= width and (lines is None or len(result) + 1 < lines):
            result.append(current)
            current = word
            continue
        rest = separator.join(words[index:])
        last = f"{current}{separator}{rest}" if current else rest
        return [*result, _shorten(last, size, width)]
    return [*result, current]


def _shorten(text: str, size: float, width: float) -> str:
    """The longest start of `text` that fits `width` with "…" after it."""
    room = width - text_width(_ELLIPSIS, size)
    used = 0.0
    for end, char in enumerate(text):
        used += text_width(char, size)
        if used > room:
            return text[:end].rstrip() + _ELLIPSIS
    return text.rstrip() + _ELLIPSIS


def _relations(graph: Graph, entry: Entry) -> dict[str, tuple[set[Relation], set[Relation]]]:
    """Every neighbour's relations with `entry`: those `entry` declares, those the neighbour declares.

    Ownership is left out (the card names the owners), except on an owner's own graph.
    """
    found: dict[str, tuple[set[Relation], set[Relation]]] = {}
    for ref in graph.outgoing.get(entry.id, []):
        if ref.relation is not OWNED_BY and ref.target_id != entry.id:
            found.setdefault(ref.target_id, (set(), set()))[0].add(ref.relation)
    for ref in graph.incoming.get(entry.id, []):
        if (ref.relation is not OWNED_BY or entry.kind == "team") and ref.source != entry.id:
            found.setdefault(ref.source, (set(), set()))[1].add(ref.relation)
    return found


def _labels(outgoing: set[Relation], incoming: set[Relation]) -> tuple[str, ...]:
    """The relations read from this entry's side, outgoing first, each in the order pages list them."""
    names = [r.name for r in ORDER if r in outgoing] + [r.inverse for r in ORDER if r in incoming]
    return tuple(dict.fromkeys(names))


_LABEL_ORDER = {label: i for i, label in enumerate(dict.fromkeys([r.name for r in ORDER] + [r.inverse for r in ORDER]))}




def _kind_ranks() -> dict[str, int]:
    """Kinds in the order they are registered, read when asked: a kind registered later has its place too."""
    return {model.kind: i for i, model in enumerate(KINDS)}


def neighbourhood_jobs(catalog: Catalog, graph: Graph) -> list[NeighbourhoodJob]:
    """One job per entry, its neighbours ordered by relation, kind and title."""
    jobs = []
    kind_rank = _kind_ranks()
    for entry in catalog.entries.values():
        neighbours = []
        for other_id, (outgoing, incoming) in _relations(graph, entry).items():
            other = catalog.entries[other_id]
            neighbours.append(Neighbour(other.id, other.title, other.kind, other.singular,
                                        f"../{other.folder}/{other.id}/", _labels(outgoing, incoming),
                                        bool(outgoing), bool(incoming)))
        neighbours.sort(key=lambda n: ([_LABEL_ORDER[r] for r in n.relations], kind_rank[n.kind], n.title.lower(), n.id))
        jobs.append(NeighbourhoodJob(entry.id, entry.folder, entry.title, entry.kind, entry.singular, tuple(neighbours)))
    return jobs


def relation_list(catalog: Catalog, graph: Graph, entry_id: str) -> list[RelatedGroup]:
    """The list beside the drawing: every neighbour under each of its relations, by relation then kind, then title."""
    groups: dict[tuple[str, str], set[str]] = {}
    for other_id, (outgoing, incoming) in _relations(graph, catalog.entries[entry_id]).items():
        for label in _labels(outgoing, incoming):
            groups.setdefault((label, catalog.entries[other_id].kind), set()).add(other_id)
    kind_rank = _kind_ranks()
    ordered = sorted(groups, key=lambda key: (_LABEL_ORDER[key[0]], kind_rank[key[1]]))
    return [RelatedGroup(anchor(label, kind), f"{label.capitalize()} ({plural(kind)})",
                         tuple(sorted(groups[label, kind], key=lambda i: (catalog.entries[i].title.lower(), i))))
            for label, kind in ordered]


def relation_graphs(catalog: Catalog, graph: Graph) -> dict[str, str]:
    """Every entry's relation graph as SVG, by its path in the generated folder."""
    return {job.path: job.svg() for job in neighbourhood_jobs(catalog, graph)}
