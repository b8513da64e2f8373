"""A small graph per entry: the entry and its direct relations, each node a link to its page."""

from __future__ import annotations

from dataclasses import dataclass

import graphviz

from .graph import OWNED_BY, Graph
from .validate import Catalog

MAX_NEIGHBOURS = 24

#: Fill colours by kind, light enough for dark labels in both palettes (the canvas stays white).
_COLOURS = {
    "architecture": "#D6E4FF", "standard": "#FFE7BA", "checklist": "#D9F7BE", "threat": "#FFD6D6",
    "adr": "#EFDBFF", "adr-template": "#F4EBFF", "kpi": "#C6F6F1", "tool": "#E6F4FF", "incident-playbook": "#FFF1B8",
    "onboarding-kit": "#E4F7D2", "initiative": "#FFE0F0", "exception": "#F5F5F5", "team": "#EDEDED", "framework": "#E8E8E8",
}


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
class NeighbourhoodJob:
    entry_id: str
    folder: str
    title: str
    kind: str
    label: str
    neighbours: tuple[Neighbour, ...]
    more: int = 0
    icons: str = ""

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.entry_id}.relations.svg"

    def dot(self) -> str:
        graph = graphviz.Digraph(graph_attr={"rankdir": "LR", "bgcolor": "white", "pad": "0.2", "nodesep": "0.25",
                                             "ranksep": "0.9", "fontname": "Sans-Serif"},
                                 node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Sans-Serif",
                                            "fontsize": "11", "color": "#8C8C8C"},
                                 edge_attr={"fontname": "Sans-Serif", "fontsize": "9", "color": "#8C8C8C",
                                            "fontcolor": "#595959"})
        graph.node("self", _label(self.title, self.label), fillcolor=_COLOURS.get(self.kind, "#FFFFFF"), penwidth="2")
        for index, n in enumerate(self.neighbours):
            node = f"n{index}"
            graph.node(node, _label(n.title, n.label), fillcolor=_COLOURS.get(n.kind, "#FFFFFF"),
                       URL=n.url, target="_top", tooltip=graphviz.escape(n.title))
            source, target = ("self", node) if n.outgoing else (node, "self")
            graph.edge(source, target, label=graphviz.escape(n.relation))
        if self.more:
            graph.node("more", f"and {self.more} more", shape="plaintext", style="")
        return graph.source


def _label(title: str, kind: str) -> str:
    short = title if len(title) <= 40 else title[:39] + "…"
    return graphviz.escape(f"{short}\n{kind}")


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
