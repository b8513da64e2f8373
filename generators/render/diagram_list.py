"""A diagram drawn as a list, for a view Graphviz could not lay out: its clusters, nodes and edges, one per line.

The page keeps a drawing that shows the whole spec, under a line that says it is a list.
Nothing here can fail on a spec `playbook check` accepts: there is no layout, text is XML-escaped,
and widths are estimated from the number of characters, no font is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..models.architecture import Diagram, DiagramCluster

_PAD = 16
_ROW = 20
_INDENT = 18
_CHAR = 7.2  # 13 px Helvetica, generous
_STYLE = ("text{font-family:Helvetica,sans-serif;font-size:13px;fill:#2D3436}"
          ".h{font-weight:bold}.k{fill:#6B7780;font-weight:normal;font-style:normal}.w{font-style:italic}")
NOTICE = "Graphviz could not lay this diagram out, so its parts are listed instead."


@dataclass(frozen=True)
class _Row:
    indent: int
    text: str
    detail: str = ""
    style: str = ""
    url: str | None = None

    @property
    def width(self) -> float:
        return self.indent * _INDENT + len(self.text + self.detail) * _CHAR


def _grouped(clusters: list[DiagramCluster]) -> set[str]:
    return {node for cluster in clusters for node in (*cluster.nodes, *_grouped(cluster.clusters))}


def _rows(spec: Diagram, links: dict[str, str]) -> list[_Row]:
    """Components (each cluster followed by its nodes and inner clusters, then the nodes of none), then connections."""
    by_id = {node.id: node for node in spec.nodes}
    rows = [_Row(0, "Components", style="h")]

    def node(node_id: str, depth: int) -> _Row:
        return _Row(depth, by_id[node_id].label, f"  ({by_id[node_id].kind})", url=links.get(node_id))

    def cluster(group: DiagramCluster, depth: int) -> None:
        rows.append(_Row(depth, group.label, "  (group)", style="h"))
        rows.extend(node(node_id, depth + 1) for node_id in group.nodes)
        for inner in group.clusters:
            cluster(inner, depth + 1)

    for group in spec.clusters:
        cluster(group, 1)
    grouped = _grouped(spec.clusters)
    rows.extend(node(n.id, 1) for n in spec.nodes if n.id not in grouped)
    if spec.edges:
        rows.append(_Row(0, "Connections", style="h"))
    for edge in spec.edges:
        detail = ", ".join(part for part in (edge.label, edge.style if edge.style != "data" else None) if part)
        rows.append(_Row(1, f"{by_id[edge.source].label} → {by_id[edge.target].label}", f"  ({detail})" if detail else ""))
    return rows


def listed_svg(spec: Diagram, links: dict[str, str], title: str) -> str:
    """The spec as a standalone SVG list; `links` maps a node id to its page, `title` names the view."""
    rows = [_Row(0, NOTICE, style="w"), *_rows(spec, links)]
    width = round(max(max(row.width for row in rows) + 2 * _PAD, 420))
    height = len(rows) * _ROW + 2 * _PAD + _ROW // 2
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f"<title>{escape(f'{title}: its parts, listed')}</title>",
        f"<style>{_STYLE}</style>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<rect x="{_PAD // 2}" y="{_PAD // 2}" width="{width - _PAD}" height="{_ROW + _PAD}" rx="4" '
        'fill="#FFF8E1" stroke="#E0C46C"/>',
    ]
    for index, row in enumerate(rows):
        y = _PAD + (index + 1) * _ROW - 5 + (_ROW // 2 if index else 0)
        detail = f'<tspan class="k">{escape(row.detail)}</tspan>' if row.detail else ""
        style = f' class="{row.style}"' if row.style else ""
        text = f'<text x="{_PAD + row.indent * _INDENT}" y="{y}"{style}>{escape(row.text)}{detail}</text>'
        if row.url is not None:
            text = f"<a href={quoteattr(row.url)} xlink:href={quoteattr(row.url)} target=\"_top\">{text}</a>"
        parts.append(text)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
