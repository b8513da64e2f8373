"""Reference architectures as a LikeC4 project: `specification.c4` declares the notation, one `<id>.c4` per
architecture holds its model and view.

LikeC4 rather than Structurizr DSL: LikeC4 lets a project declare its own element kinds, so each component kind of
the diagram vocabulary (`vector-store`, `llm-gateway`...) stays a kind instead of being forced into C4's four
levels; its VS Code extension draws the views as the files are edited, `likec4 validate` checks them in CI, and
`likec4 mcp` serves the model to AI assistants over the Model Context Protocol. A folder of these files opens as
one LikeC4 project: every architecture is an element of kind `architecture` holding its nodes, so node names never
clash between architectures, and `index` shows them all.

How an architecture maps: diagram nodes are elements of their kind (title: the label; description: the
responsibility of the component drawn; technology: the component's tool), clusters are elements of kind `cluster`
holding their nodes, components the diagram does not draw are elements of kind `component`, and edges are
relationships of kind `data`, `control`, `async` or `optional`, titled with their label. With a site address, the
architecture and each node pointing at a catalog entry link to their pages.

Syntax, checked against the LikeC4 documentation (https://likec4.dev/dsl/intro/ and the grammar,
packages/language-server/src/like-c4.langium in likec4/likec4): a name is `([a-zA-Z]|_+[a-zA-Z0-9])[-\\w]*` and
may not contain a dot, so names are ours (a prefix and the catalog id, hyphens as underscores); a string is quoted
with `'`, inside which a backslash escapes the next character. Catalog text only ever appears inside such a string.
"""

from __future__ import annotations

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.architecture import Architecture, DiagramCluster, DiagramNode
from ..models.tool import Tool
from ..vocabulary import VOCABULARY
from .calm import page_address, responsibility, undrawn

#: The shape and colour (LikeC4 theme colours) of each shape family of the diagram vocabulary.
FAMILY_STYLES = {"person": ("person", "sky"), "outside": ("rectangle", "muted"), "entry": ("rectangle", "amber"),
                 "compute": ("rectangle", "primary"), "store": ("cylinder", "indigo"), "flow": ("queue", "slate"),
                 "watch": ("document", "gray"), "trust": ("component", "green")}
#: Each edge style as a relationship kind: its line and colour.
EDGE_KINDS = {"data": ("solid", "gray"), "control": ("solid", "indigo"), "async": ("dashed", "gray"),
              "optional": ("dotted", "muted")}
HEADER = "// Written by `playbook export --format likec4`; change the catalog and export again rather than edit this file."


def string(text: str) -> str:
    """Text as a LikeC4 string: single-quoted, on one line, backslashes and quotes escaped."""
    return "'" + " ".join(text.split()).replace("\\", "\\\\").replace("'", "\\'") + "'"


def name(prefix: str, slug: str) -> str:
    """A LikeC4 element or view name for a catalog id: never a keyword, never starting with a digit."""
    return f"{prefix}_{slug.replace('-', '_')}"


def specification() -> str:
    """The notation every exported architecture uses."""
    lines = [HEADER, "", "specification {",
             "  element architecture {", "    notation 'Reference architecture'",
             "    style {", "      color secondary", "      opacity 5%", "    }", "  }",
             "  element cluster {", "    notation 'A group of the diagram'",
             "    style {", "      border dashed", "      opacity 10%", "    }", "  }",
             "  element component {", "    notation 'A component the diagram does not draw'",
             "    style {", "      color muted", "    }", "  }"]
    for kind, spec in sorted(VOCABULARY.items()):
        shape, colour = FAMILY_STYLES[spec.family]
        lines += [f"  element {kind} {{", f"    notation {string(spec.description)}",
                  "    style {", f"      shape {shape}", f"      color {colour}", "    }", "  }"]
    for kind, (line, colour) in EDGE_KINDS.items():
        lines += [f"  relationship {kind} {{", f"    line {line}", f"    color {colour}", "  }"]
    lines += ["}", "", "views {", "  view index {", "    title 'Reference architectures'", "    include *", "  }", "}"]
    return "\n".join(lines) + "\n"


def _element(catalog: Catalog, architecture: Architecture, node: DiagramNode, site_url: str) -> list[str]:
    """A node's lines, not indented."""
    body = []
    component = next((c for c in architecture.components if c.name.casefold() == (node.component or node.label).casefold()),
                     None)
    if component:
        body.append(f"description {string(responsibility(catalog, architecture, component.name))}")
        tool = catalog.entries.get(component.tool or "")
        if isinstance(tool, Tool):
            body.append(f"technology {string(tool.title)}")
    target = catalog.entries.get(node.ref or "")
    if target is not None and site_url:
        body.append(f"link {page_address(site_url, target)} {string(target.title)}")
    head = f"{name('n', node.id)} = {node.kind} {string(node.label)}"
    return [f"{head} {{", *(f"  {line}" for line in body), "}"] if body else [head]


def _clusters(clusters: list[DiagramCluster], elements: dict[str, list[str]], indent: str) -> list[str]:
    lines = []
    for cluster in clusters:
        lines.append(f"{indent}{name('g', cluster.id)} = cluster {string(cluster.label)} {{")
        for node_id in cluster.nodes:
            lines += [f"{indent}  {line}" for line in elements.pop(node_id, [])]
        lines += _clusters(cluster.clusters, elements, indent + "  ")
        lines.append(f"{indent}}}")
    return lines


def architecture_source(catalog: Catalog, architecture: Architecture, site_url: str = "") -> str:
    """One architecture's model and view."""
    outer = name("arch", architecture.id)
    inner = "    "
    lines = [HEADER, "", "model {", f"  {outer} = architecture {string(architecture.title)} {{",
             f"{inner}description {string(prose_text(catalog, architecture.summary))}"]
    if site_url:
        lines.append(f"{inner}link {page_address(site_url, architecture)} 'Playbook page'")
    diagram = architecture.diagram
    elements = {node.id: _element(catalog, architecture, node, site_url) for node in diagram.nodes} if diagram else {}
    grouped = _clusters(diagram.clusters, elements, inner) if diagram else []
    lines += [f"{inner}{line}" for node_lines in elements.values() for line in node_lines]
    lines += grouped
    for index, component in enumerate(undrawn(architecture), 1):
        lines.append(f"{inner}{name('c', str(index))} = component {string(component)} {{")
        lines.append(f"{inner}  description {string(responsibility(catalog, architecture, component))}")
        lines.append(f"{inner}}}")
    for edge in diagram.edges if diagram else []:
        title = f" {string(edge.label)}" if edge.label else ""
        lines.append(f"{inner}{name('n', edge.source)} -[{edge.style}]-> {name('n', edge.target)}{title}")
    lines += ["  }", "}", "", "views {", f"  view {name('view', architecture.id)} of {outer} {{",
              f"    title {string(architecture.title)}", f"    include *, {outer}.**", "  }", "}"]
    return "\n".join(lines) + "\n"


def likec4_files(catalog: Catalog, site_url: str = "") -> dict[str, str]:
    """`likec4/specification.c4` and `likec4/<id>.c4` for each architecture of the edition."""
    files = {"likec4/specification.c4": specification()}
    files |= {f"likec4/{a.id}.c4": architecture_source(catalog, a, site_url) for a in catalog.by_id(Architecture)}
    return files
