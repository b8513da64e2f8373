"""Reference architectures as Mermaid flowcharts, one Markdown file each, for a README, a pull request or any page
that renders Mermaid code blocks (GitHub, GitLab).

The flowchart follows the provider-neutral diagram: the same nodes, clusters (as subgraphs) and edges, each node
in the shape of its family (people as stadiums, stores as cylinders, queues as parallelograms, gateways as
hexagons, identity and secrets as subroutines, telemetry as flags, services as rounded boxes, what lies outside the
platform as dashed boxes) and each edge style drawn apart (control thick, async and optional dotted) and coloured as
on the site. Components the diagram does not draw are plain boxes.

Catalog text is data: ids are ours (`n_` and the node id, hyphens as underscores), and every character of a label
other than ASCII letters, digits, spaces and `.,-_/()+?!%'` is written as a Mermaid entity code (`#quot;` style,
numeric: `#34;`), so no label can close its quotes, start Markdown, HTML or a directive, or read as an entity code
itself. One limit is Mermaid's own: it marks entity codes with the pairs `ﬂ°` and `¶ß` while it parses, and a label
holding those pairs shows them as `&` and `;` (as text, never as markup), whichever way they are written.
No `click` line is ever written. The heading and summary above the chart are plain Markdown text.
Syntax: https://mermaid.js.org/syntax/flowchart.html (shapes, subgraphs, link styles, entity codes).
"""

from __future__ import annotations

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.architecture import Architecture, DiagramCluster
from ..text import inline
from ..vocabulary import SHAPES, VOCABULARY
from .calm import page_address, undrawn

#: Characters a label keeps as typed; every other one becomes an entity code.
SAFE_PUNCTUATION = frozenset(" .,-_/()+?!%'")
#: Mermaid's opening and closing brackets of a node for each shape family of the diagram vocabulary.
BRACKETS = {"person": ("([", "])"), "outside": ("[", "]"), "entry": ("{{", "}}"), "compute": ("(", ")"),
            "store": ("[(", ")]"), "flow": ("[/", "/]"), "watch": (">", "]"), "trust": ("[[", "]]")}
#: The arrow and line colour of each edge style (the site's colours, diagrams.py).
ARROWS = {"data": ("-->", ""), "control": ("==>", "stroke:#4051B5"), "async": ("-.->", "stroke:#7B8894"),
          "optional": ("-.->", "stroke:#9AA5AE")}
#: Text stays dark on the light fills in GitHub's dark theme too.
TEXT_COLOUR = "#1F2328"


def label(text: str) -> str:
    """Text as a quoted Mermaid label: every character outside the safe set as an entity code."""
    escaped = "".join(c if c.isascii() and c.isalnum() or c in SAFE_PUNCTUATION else f"#{ord(c)};"
                      for c in " ".join(text.split()))
    return f'"{escaped}"'


def node_id(diagram_id: str) -> str:
    return "n_" + diagram_id.replace("-", "_")


def _subgraphs(clusters: list[DiagramCluster], boxes: dict[str, str], indent: str) -> list[str]:
    lines = []
    for cluster in clusters:
        lines.append(f"{indent}subgraph c_{cluster.id.replace('-', '_')} [{label(cluster.label)}]")
        lines += [f"{indent}  {boxes.pop(n)}" for n in cluster.nodes if n in boxes]
        lines += _subgraphs(cluster.clusters, boxes, indent + "  ")
        lines.append(f"{indent}end")
    return lines


def flowchart(architecture: Architecture) -> str:
    """The architecture's diagram as Mermaid flowchart source."""
    diagram = architecture.diagram
    lines = [f"flowchart {diagram.direction if diagram else 'LR'}"]
    families: dict[str, list[str]] = {}
    boxes: dict[str, str] = {}
    for node in diagram.nodes if diagram else []:
        family = VOCABULARY[node.kind].family
        opening, closing = BRACKETS[family]
        boxes[node.id] = f"{node_id(node.id)}{opening}{label(node.label)}{closing}"
        families.setdefault(family, []).append(node_id(node.id))
    clustered = _subgraphs(diagram.clusters, boxes, "  ") if diagram else []
    lines += [f"  {box}" for box in boxes.values()]
    lines += [f"  u_{index}[{label(name)}]" for index, name in enumerate(undrawn(architecture), 1)]
    lines += clustered
    styled: dict[str, list[str]] = {}
    for index, edge in enumerate(diagram.edges if diagram else []):
        arrow, colour = ARROWS[edge.style]
        text = f"|{label(edge.label)}|" if edge.label else ""
        lines.append(f"  {node_id(edge.source)} {arrow}{text} {node_id(edge.target)}")
        if colour:
            styled.setdefault(colour, []).append(str(index))
    for family, ids in sorted(families.items()):
        shape = SHAPES[family]
        dashed = ",stroke-dasharray:5 3" if "dashed" in shape.style else ""
        lines.append(f"  classDef {family} fill:{shape.fill},stroke:#5F6B73,color:{TEXT_COLOUR}{dashed}")
        lines.append(f"  class {','.join(ids)} {family}")
    lines += [f"  linkStyle {','.join(indexes)} {colour}" for colour, indexes in sorted(styled.items())]
    return "\n".join(lines) + "\n"


def mermaid_page(catalog: Catalog, architecture: Architecture, site_url: str = "") -> str:
    """A Markdown file: the title, the summary, a link to the site's page and the flowchart."""
    parts = [f"# {inline(architecture.title)}", "", inline(prose_text(catalog, architecture.summary)), ""]
    if site_url:
        parts += [f"The full reference architecture: <{page_address(site_url, architecture)}>", ""]
    return "\n".join(parts) + "\n```mermaid\n" + flowchart(architecture) + "```\n"


def mermaid_files(catalog: Catalog, site_url: str = "") -> dict[str, str]:
    """`mermaid/<id>.md` for each architecture of the edition."""
    return {f"mermaid/{a.id}.md": mermaid_page(catalog, a, site_url) for a in catalog.by_id(Architecture)}
