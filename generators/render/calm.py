"""Reference architectures as FINOS CALM architecture documents (release 1.2), one per architecture.

How an architecture becomes CALM (https://github.com/finos/architecture-as-code, calm/release/1.2/meta/core.json):

- nodes: each diagram node, with its label as `name` and the responsibility of the component it draws as
  `description` (the kind's description when it draws none); a component the diagram does not draw is a node too.
  `node-type` is `actor` for people, `webclient` for clients, `system` for what lies outside the platform,
  `database` for stores and `service` for the rest; the exact kind, the component, the catalog entry the node points
  at and its cloud services travel in `metadata.playbook`. A node pointing at another architecture names that
  architecture's CALM file in `details.detailed-architecture`.
- relationships: an edge from a person is `interacts`, every other edge `connects` (its label is the `description`,
  its style in `metadata.playbook`); each diagram cluster is a node of type `system` `composed-of` its nodes and
  inner clusters.
- interfaces: a node that edges point at exposes one interface per edge style (data, control, async, optional),
  named in the `destination` of those edges, as CALM advises for the node being called.
- controls: the standards the architecture applies, each as a control whose requirement is CALM's
  control-requirement schema, as CALM's own examples do; `adrs`: its decision records, as site pages or files.

Catalog text is data in a JSON string and nothing else; citations in it read as the site shows them, as text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.adr import Adr
from ..models.architecture import Architecture, Diagram, DiagramCluster, DiagramNode, drawn_as
from ..models.common import Entry
from ..models.standard import Standard
from ..models.tool import Tool
from ..vocabulary import VOCABULARY
from .pages import page_url

CALM_VERSION = "1.2"
CALM_SCHEMA = f"https://calm.finos.org/release/{CALM_VERSION}/meta/calm.json"
#: The schema a control's requirement follows; CALM's own examples point at it the same way
#: (examples/fluxnova/*.architecture.json in finos/architecture-as-code).
CONTROL_REQUIREMENT = f"https://calm.finos.org/release/{CALM_VERSION}/meta/control-requirement.json"
#: The CALM node type of each shape family of the diagram vocabulary (vocabulary.SHAPES); people are split below.
NODE_TYPES = {"person": "actor", "outside": "system", "store": "database"}
PERSON_TYPES = {"user": "actor", "client": "webclient"}
#: The order of a node's keys, as CALM's documentation writes them.
NODE_KEYS = ("unique-id", "node-type", "name", "description", "details", "interfaces", "metadata")


def calm_file(architecture_id: str) -> str:
    """The file an architecture's CALM document is written to, inside the export's `calm/` folder."""
    return f"{architecture_id}.architecture.json"


def page_address(site_url: str, entry: Entry) -> str:
    """The entry's page on the published site, or '' without a site address."""
    return f"{site_url.rstrip('/')}/playbook/{page_url(entry)}" if site_url else ""


def undrawn(architecture: Architecture) -> list[str]:
    """The names of the components the diagram (if any) does not draw, in the architecture's order."""
    drawn = {drawn_as(node).casefold() for node in architecture.diagram.nodes} if architecture.diagram else set()
    return [c.name for c in architecture.components if c.name.casefold() not in drawn]


def responsibility(catalog: Catalog, architecture: Architecture, name: str) -> str:
    """What the component called `name` (letter case aside) does, citations as text; '' when there is none."""
    component = next((c for c in architecture.components if c.name.casefold() == name.casefold()), None)
    return prose_text(catalog, component.responsibility) if component else ""


def node_type(kind: str) -> str:
    """The CALM node type closest to a diagram kind."""
    return PERSON_TYPES.get(kind) or NODE_TYPES.get(VOCABULARY[kind].family, "service")


class _Ids:
    """CALM unique ids, unique across nodes, relationships and interfaces: a taken one gets a number."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        unique, number = wanted, 1
        while unique in self.taken:
            number += 1
            unique = f"{wanted}-{number}"
        self.taken.add(unique)
        return unique


def _clusters(clusters: list[DiagramCluster]) -> list[DiagramCluster]:
    """Every cluster, outer ones first."""
    return [item for cluster in clusters for item in (cluster, *_clusters(cluster.clusters))]


def _component_of(architecture: Architecture, node: DiagramNode) -> str | None:
    """The name of the component a node draws, as the architecture writes it, if it draws one."""
    key = drawn_as(node).casefold()
    return next((c.name for c in architecture.components if c.name.casefold() == key), None)


def _node(catalog: Catalog, architecture: Architecture, node: DiagramNode, site_url: str) -> dict[str, Any]:
    component = _component_of(architecture, node)
    playbook: dict[str, Any] = {"kind": node.kind}
    if component:
        playbook["component"] = component
        tool = next(c.tool for c in architecture.components if c.name == component)
        if tool in catalog.entries:
            playbook["tool"] = tool
    if node.ref in catalog.entries:
        playbook["ref"] = node.ref
        if site_url:
            playbook["page"] = page_address(site_url, catalog.entries[node.ref])
    if node.services:
        playbook["services"] = node.services.model_dump(exclude_none=True)
    data: dict[str, Any] = {
        "unique-id": node.id, "node-type": node_type(node.kind), "name": node.label,
        "description": (responsibility(catalog, architecture, component) if component else "")
        or VOCABULARY[node.kind].description,
    }
    if isinstance(catalog.entries.get(node.ref or ""), Architecture):
        data["details"] = {"detailed-architecture": calm_file(node.ref or "")}
    data["metadata"] = {"playbook": playbook}
    return data


def _interfaces(diagram: Diagram, by_id: dict[str, dict[str, Any]], ids: _Ids) -> dict[tuple[str, str], str]:
    """Add an interface to each node per style of the edges pointing at it; the interface's id by (node, style)."""
    found: dict[tuple[str, str], list[str]] = {}
    for edge in diagram.edges:
        if node_type(_kind(diagram, edge.source)) != "actor":
            found.setdefault((edge.target, edge.style), []).append(edge.label or f"from {by_id[edge.source]['name']}")
    named = {}
    for (target, style), carried in found.items():
        named[(target, style)] = unique = ids.claim(f"{target}-{style}-in")
        by_id[target].setdefault("interfaces", []).append({
            "unique-id": unique, "name": f"{by_id[target]['name']}: {style} in",
            "description": "Receives: " + "; ".join(dict.fromkeys(carried)),
        })
    return named


def _kind(diagram: Diagram, node_id: str) -> str:
    return next(node.kind for node in diagram.nodes if node.id == node_id)


def _relationships(diagram: Diagram, interfaces: dict[tuple[str, str], str], ids: _Ids) -> list[dict[str, Any]]:
    relationships = []
    for edge in diagram.edges:
        if node_type(_kind(diagram, edge.source)) == "actor":
            kind: dict[str, Any] = {"interacts": {"actor": edge.source, "nodes": [edge.target]}}
        else:
            kind = {"connects": {"source": {"node": edge.source},
                                 "destination": {"node": edge.target, "interfaces": [interfaces[(edge.target, edge.style)]]}}}
        relationship: dict[str, Any] = {"unique-id": ids.claim(f"{edge.source}-to-{edge.target}"), "relationship-type": kind}
        if edge.label:
            relationship["description"] = edge.label
        relationship["metadata"] = {"playbook": {"style": edge.style}}
        relationships.append(relationship)
    return relationships


def _groups(diagram: Diagram, ids: _Ids) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A `system` node per cluster and its `composed-of` relationship."""
    cluster_ids = {cluster.id: ids.claim(cluster.id) for cluster in _clusters(diagram.clusters)}
    nodes, relationships = [], []
    for cluster in _clusters(diagram.clusters):
        unique = cluster_ids[cluster.id]
        nodes.append({"unique-id": unique, "node-type": "system", "name": cluster.label,
                      "description": f"The group '{cluster.label}' of the diagram.",
                      "metadata": {"playbook": {"cluster": cluster.id}}})
        members = [*cluster.nodes, *(cluster_ids[inner.id] for inner in cluster.clusters)]
        if members:
            relationships.append({"unique-id": ids.claim(f"{unique}-holds"),
                                  "relationship-type": {"composed-of": {"container": unique, "nodes": members}}})
    return nodes, relationships


def _controls(catalog: Catalog, architecture: Architecture, site_url: str) -> dict[str, Any]:
    controls = {}
    for standard_id in architecture.standards:
        standard = catalog.entries.get(standard_id)
        if not isinstance(standard, Standard):
            continue
        config = {"control-id": standard.id, "name": standard.title, "description": prose_text(catalog, standard.summary)}
        if site_url:
            config["reference-url"] = page_address(site_url, standard)
        controls[standard.id] = {"description": config["description"],
                                 "requirements": [{"requirement-url": CONTROL_REQUIREMENT, "config": config}]}
    return controls


def calm_document(catalog: Catalog, architecture: Architecture, site_url: str = "") -> dict[str, Any]:
    """One architecture as a CALM architecture document."""
    ids = _Ids()
    diagram = architecture.diagram
    nodes = [_node(catalog, architecture, node, site_url) for node in diagram.nodes] if diagram else []
    ids.taken.update(node["unique-id"] for node in nodes)
    for name in undrawn(architecture):
        component = next(c for c in architecture.components if c.name == name)
        playbook: dict[str, Any] = {"component": name, "drawn": False}
        if component.tool in catalog.entries:
            playbook["tool"] = component.tool
        nodes.append({"unique-id": ids.claim(_slug(name)), "node-type": "service", "name": name,
                      "description": responsibility(catalog, architecture, name), "metadata": {"playbook": playbook}})
    relationships: list[dict[str, Any]] = []
    if diagram:
        groups, composed = _groups(diagram, ids)
        by_id = {node["unique-id"]: node for node in nodes}
        relationships = _relationships(diagram, _interfaces(diagram, by_id, ids), ids) + composed
        nodes = [{key: node[key] for key in NODE_KEYS if key in node} for node in nodes] + groups
    document: dict[str, Any] = {
        "$schema": CALM_SCHEMA, "unique-id": architecture.id, "name": architecture.title,
        "description": prose_text(catalog, architecture.summary), "nodes": nodes, "relationships": relationships,
    }
    if controls := _controls(catalog, architecture, site_url):
        document["controls"] = controls
    adrs = [catalog.entries[i] for i in architecture.adrs if isinstance(catalog.entries.get(i), Adr)]
    if adrs:
        document["adrs"] = [page_address(site_url, adr) if site_url else catalog.files[adr.id] for adr in adrs]
    playbook: dict[str, Any] = {"id": architecture.id, "status": architecture.status, "owners": architecture.owners}
    if architecture.tags:
        playbook["tags"] = architecture.tags
    if diagram:
        playbook |= {"direction": diagram.direction, "providers": diagram.providers}
    tools = [t for t in architecture.tools if isinstance(catalog.entries.get(t), Tool)]
    if tools:
        playbook["tools"] = tools
    if site_url:
        playbook["page"] = page_address(site_url, architecture)
    document["metadata"] = {"playbook": playbook}
    return document


def _slug(name: str) -> str:
    """A node id for a component the diagram does not draw: its name in lowercase ASCII words and hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "component"


def calm_files(catalog: Catalog, site_url: str = "") -> dict[str, str]:
    """`calm/<id>.architecture.json` for each architecture of the edition."""
    return {f"calm/{calm_file(a.id)}": json.dumps(calm_document(catalog, a, site_url), indent=2, ensure_ascii=False) + "\n"
            for a in catalog.by_id(Architecture)}
