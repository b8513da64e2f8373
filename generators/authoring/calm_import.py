"""Import a FINOS CALM architecture document (JSON) as a draft reference architecture.

How CALM becomes an entry of catalog/architectures (status draft, for an architect to complete and review):

- id: --id, else a slug of the document's `unique-id`, `name` or `title`, else of the file name.
- title: `name`, else `title`, else the id; summary: the first 300 characters of `description`; problem: the whole
  `description`. The fields CALM has no words for (when to use it and when not, budgets and SLOs, failure modes,
  rollout, rollback) hold the text `playbook new architecture` writes, for the architect to replace.
- nodes: each becomes a diagram node (id: a slug of its `unique-id`, label: `name`) and a component (name: `name`,
  responsibility: `description`). The kind comes from `node-type`: actor is `user`, webclient `client`, database
  `database`, ldap `identity`, service `service`; the part after a prefix (`ai:llm`, `acme:queue`) is read as a
  kind of the diagram vocabulary when it names one or a common word for one (`llm`, `guardrail`, `db`, `topic`);
  anything else is drawn as `service` and reported.
- relationships: `connects` (source node to destination node) and `interacts` (the actor to each node) become
  edges labelled with the `description` and the `protocol`; `composed-of` and `deployed-in` become clusters
  labelled with the container's name. A container with no edge of its own is only a cluster; otherwise it stays a
  node beside its cluster. A node held by two containers joins the first.
- flows: each transition, in sequence order, is a data-flow step; without flows, each edge is one.
- controls naming a catalog standard and `adrs` naming a catalog ADR (its id, file or page) become references.
- from a file exported by `playbook export --format calm` the diagram comes back as it was: its
  `metadata.playbook` restores kinds, components, the entries nodes point at, cloud services, edge styles,
  providers and tags (the prose does not travel).
- what has no place in the catalog (interfaces, other controls and ADR links, `options`, node details, other
  metadata) is reported, never guessed at.

Text is cleaned on the way in: control and invisible format characters are dropped, whitespace is collapsed,
single-line fields are cut at 300 characters, and `[[` is written `[ [` so that it cannot read as a citation; each
change is reported. A file larger than 2,000,000 bytes, with duplicate keys, not valid JSON, not shaped as CALM,
with more than 120 nodes or 300 edges, or naming nodes it does not declare is refused with every problem listed,
and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from ..load.catalog import Catalog
from ..load.documents import load_text
from ..load.entries import schema_line, typed
from ..models.adr import Adr
from ..models.architecture import MAX_EDGES, MAX_NODES, Architecture
from ..models.common import SLUG_PATTERN
from ..models.standard import Standard
from ..models.tool import Tool
from ..vocabulary import PROVIDERS, VOCABULARY
from ..yaml_out import IndentedDumper
from .scaffold import slugify

MAX_BYTES = 2_000_000
MAX_LINE = 300
MAX_PROSE = 20_000
MAX_RELATIONSHIPS = 2_000
#: CALM's node types (calm/release/1.2/meta/core.json, node-type-definition) and the kinds that draw them.
NODE_KINDS = {"actor": "user", "webclient": "client", "database": "database", "ldap": "identity", "service": "service"}
#: Words of custom node types that name a vocabulary kind in other words.
KIND_WORDS = {"llm": "llm-provider", "guardrail": "guardrails", "db": "database", "agent": "service",
              "gateway": "api-gateway", "topic": "stream", "bucket": "object-storage"}
EDGE_STYLES = ("data", "control", "async", "optional")
UNDESCRIBED = "Not described in the CALM file."


class CalmError(Exception):
    """The file cannot be imported; the message lists every reason and what to do."""


# -- the part of CALM that is read (everything else is ignored here and reported below) ---------------------------


class _Calm(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


Metadata = dict[str, Any] | list[dict[str, Any]] | None


class Endpoint(_Calm):
    node: StrictStr
    interfaces: list[StrictStr] = Field(default_factory=list)


class Connects(_Calm):
    source: Endpoint
    destination: Endpoint


class Interacts(_Calm):
    actor: StrictStr
    nodes: list[StrictStr] = Field(min_length=1)


class Holds(_Calm):
    container: StrictStr
    nodes: list[StrictStr] = Field(min_length=1)


class RelationshipType(_Calm):
    connects: Connects | None = None
    interacts: Interacts | None = None
    deployed_in: Holds | None = Field(default=None, alias="deployed-in")
    composed_of: Holds | None = Field(default=None, alias="composed-of")
    options: list[Any] | None = None


class Relationship(_Calm):
    unique_id: StrictStr = Field(alias="unique-id")
    description: StrictStr = ""
    relationship_type: RelationshipType = Field(alias="relationship-type")
    protocol: StrictStr | None = None
    controls: dict[str, Any] | None = None
    metadata: Metadata = None


class Node(_Calm):
    unique_id: StrictStr = Field(alias="unique-id")
    node_type: StrictStr = Field(alias="node-type")
    name: StrictStr
    description: StrictStr = ""
    interfaces: list[dict[str, Any]] = Field(default_factory=list)
    controls: dict[str, Any] | None = None
    details: dict[str, Any] | None = None
    metadata: Metadata = None


class Transition(_Calm):
    relationship_unique_id: StrictStr = Field(alias="relationship-unique-id")
    sequence_number: StrictInt = Field(alias="sequence-number")
    description: StrictStr


class Flow(_Calm):
    name: StrictStr
    transitions: list[Transition] = Field(min_length=1)


class CalmDocument(_Calm):
    unique_id: StrictStr | None = Field(default=None, alias="unique-id")
    name: StrictStr | None = None
    title: StrictStr | None = None
    description: StrictStr | None = None
    nodes: Annotated[list[Node], Field(min_length=1)]
    relationships: list[Relationship] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    adrs: list[StrictStr] = Field(default_factory=list)
    controls: dict[str, Any] | None = None
    metadata: Metadata = None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = Counter(key for key, _ in pairs)
    if twice := sorted(key for key, count in keys.items() if count > 1):
        raise CalmError(f"the key {twice[0]!r} appears twice in one object; keep one")
    return dict(pairs)


def _refuse_constant(name: str) -> Any:
    raise CalmError(f"{name} is not a JSON number; write a number or a string")


def read_calm(path: Path, display: str) -> CalmDocument:
    """The CALM document in `path`, or a CalmError naming the file and every problem."""
    if not path.is_file():
        raise CalmError(f"{display}: not a file")
    if path.stat().st_size > MAX_BYTES:
        raise CalmError(f"{display}: larger than {MAX_BYTES:,} bytes; a CALM architecture this large does not fit one "
                        "reference architecture, so split it")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"), object_pairs_hook=_no_duplicates,
                          parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise CalmError(f"{display}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise CalmError(f"{display}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise CalmError(f"{display}: nested too deeply to be a CALM architecture") from None
    except CalmError as exc:
        raise CalmError(f"{display}: {exc}") from None
    if not isinstance(data, dict):
        raise CalmError(f"{display}: a CALM architecture is a JSON object with 'nodes' and 'relationships', "
                        f"not {type(data).__name__ if data is not None else 'null'}")
    for key, limit in (("nodes", MAX_NODES), ("relationships", MAX_RELATIONSHIPS)):
        if isinstance(data.get(key), list) and len(data[key]) > limit:
            raise CalmError(f"{display}: {len(data[key])} {key} is more than a reference architecture may hold "
                            f"({limit}); split the architecture into several files")
    try:
        return CalmDocument.model_validate(data)
    except ValidationError as exc:
        problems = [f"{display}: {_where(error['loc'])}: {error['msg']}" for error in exc.errors()[:20]]
        more = len(exc.errors()) - len(problems)
        raise CalmError("\n".join(problems + ([f"{display}: and {more} more problems"] if more > 0 else []))) from None


def _where(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a JSON path: nodes[3].unique-id."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the document"


# -- text ---------------------------------------------------------------------------------------------------------


class _Text:
    """Cleans text on its way into the catalog and remembers what it had to change."""

    def __init__(self) -> None:
        self.dropped = self.cut = self.citations = 0

    def _clean(self, text: str) -> str:
        kept = "".join(c for c in text if not unicodedata.category(c).startswith("C") or c in "\t\n")
        self.dropped += len(kept) != len(text)
        return kept

    def line(self, text: str, limit: int = MAX_LINE) -> str:
        """One line of at most `limit` characters, without a citation."""
        one = " ".join(self._clean(text).split())
        unquoted = re.sub(r"\](?=\])", "] ", re.sub(r"\[(?=\[)", "[ ", one))
        self.citations += unquoted != one
        if len(unquoted) > limit:
            self.cut += 1
            unquoted = unquoted[:limit - 1].rstrip() + "…"
        return unquoted

    def prose(self, text: str) -> str:
        """Markdown that shows `text` as written: no link, citation or HTML can start in it."""
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", self._clean(text))]
        escaped = "\n\n".join(p for p in paragraphs if p).replace("\\", "\\\\")
        escaped = re.sub(r"([\[\]<>`])", r"\\\1", escaped)
        if len(escaped) > MAX_PROSE:
            self.cut += 1
            escaped = escaped[:MAX_PROSE - 1].rstrip("\\") + "…"
        return escaped

    def notes(self) -> list[str]:
        notes = []
        if self.dropped:
            notes.append(f"control or invisible characters were dropped from {self.dropped} texts")
        if self.cut:
            notes.append(f"{self.cut} texts were cut to the length the catalog allows ({MAX_LINE} characters on a line)")
        if self.citations:
            notes.append(f"'[[' or ']]' was spaced apart in {self.citations} texts, so that it does not read as a citation")
        return notes


# -- the draft ----------------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """The entry an import writes: its id, fields in file order, and what the architect should know."""

    entry_id: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _playbook(metadata: Metadata) -> dict[str, Any]:
    """The `playbook` object of CALM metadata (an object, or a list of objects), if there is one."""
    items = metadata if isinstance(metadata, list) else [metadata or {}]
    found = next((item["playbook"] for item in items if isinstance(item.get("playbook"), dict)), {})
    return found if isinstance(found, dict) else {}


def _slugs(names: list[str], fallback: str) -> list[str]:
    """A unique slug for each name, in order."""
    taken: set[str] = set()
    slugs = []
    for name in names:
        base = slugify(name, 72) or fallback
        unique, number = base, 1
        while unique in taken:
            number += 1
            unique = f"{base}-{number}"
        taken.add(unique)
        slugs.append(unique)
    return slugs


def _kind(node: Node, playbook: dict[str, Any]) -> tuple[str, bool]:
    """The vocabulary kind for a node, and whether it is a guess."""
    if playbook.get("kind") in VOCABULARY:
        return playbook["kind"], False
    node_type = node.node_type.strip().lower()
    if node_type in NODE_KINDS:
        return NODE_KINDS[node_type], False
    word = node_type.rsplit(":", 1)[-1]
    for candidate in (word, f"{word}s", KIND_WORDS.get(word)):
        if candidate in VOCABULARY:
            return candidate, False
    return "service", True


def _skeleton() -> dict[str, Any]:
    """The fields `playbook new architecture` writes, for those CALM has no words for."""
    skeleton = yaml.safe_load(Architecture.skeleton)
    return skeleton if isinstance(skeleton, dict) else {}


class _Mapping:
    """One CALM document mapped onto the fields of a draft architecture."""

    def __init__(self, document: CalmDocument, catalog: Catalog) -> None:
        self.document, self.catalog = document, catalog
        self.text = _Text()
        self.notes: list[str] = []
        self.problems: list[str] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(document.nodes):
            if node.unique_id in seen:
                self.problems.append(f"nodes[{index}]: the unique-id '{node.unique_id}' is also the id of "
                                     f"nodes[{seen[node.unique_id]}]; CALM ids are unique")
            seen.setdefault(node.unique_id, index)
        self.nodes = {node.unique_id: node for node in document.nodes}
        self.ids = dict(zip(self.nodes, _slugs(list(self.nodes), "node"), strict=True))

    def known(self, node_id: str, where: str) -> bool:
        if node_id not in self.nodes:
            self.problems.append(f"{where} names the node '{node_id}', which the file does not declare")
            return False
        return True

    def edges(self) -> list[dict[str, Any]]:
        edges = []
        for index, relationship in enumerate(self.document.relationships):
            kind, where = relationship.relationship_type, f"relationships[{index}]"
            style = _playbook(relationship.metadata).get("style")
            pairs: list[tuple[str, str]] = []
            if kind.connects:
                pairs = [(kind.connects.source.node, kind.connects.destination.node)]
            elif kind.interacts:
                pairs = [(kind.interacts.actor, target) for target in kind.interacts.nodes]
            elif not (kind.composed_of or kind.deployed_in or kind.options is not None):
                self.problems.append(f"{where}: its relationship-type is none of connects, interacts, composed-of, "
                                     "deployed-in and options")
            for source, target in pairs:
                if self.known(source, where) and self.known(target, where):
                    words = " ".join(filter(None, [relationship.description.strip(),
                                                   f"({relationship.protocol})" if relationship.protocol else ""]))
                    edge = {"from": self.ids[source], "to": self.ids[target]}
                    if words:
                        edge["label"] = self.text.line(words)
                    if style in EDGE_STYLES and style != "data":
                        edge["style"] = style
                    edges.append(edge)
        if len(edges) > MAX_EDGES:
            self.problems.append(f"{len(edges)} edges is more than a diagram may hold ({MAX_EDGES}); "
                                 "split the architecture into several files")
        return edges

    def containers(self, linked: set[str]) -> tuple[list[dict[str, Any]], set[str]]:
        """The clusters, nested, and the containers that are only clusters (they hold nodes but have no edge)."""
        holds: dict[str, list[str]] = {}
        parent: dict[str, str] = {}
        for index, relationship in enumerate(self.document.relationships):
            kind = relationship.relationship_type.composed_of or relationship.relationship_type.deployed_in
            if not kind or not self.known(kind.container, f"relationships[{index}]"):
                continue
            members = holds.setdefault(kind.container, [])
            for member in kind.nodes:
                if member == kind.container or member in members or not self.known(member, f"relationships[{index}]"):
                    continue
                members.append(member)
                if member in parent:
                    self.notes.append(f"'{self.nodes[member].name}' is held by '{self.nodes[parent[member]].name}' and "
                                      f"'{self.nodes[kind.container].name}'; the diagram puts it in the first")
                elif not self._encloses(member, kind.container, parent):
                    parent[member] = kind.container
        only = {container for container in holds if container not in linked}
        top = [c for c in holds if c not in parent]

        def cluster(container: str) -> dict[str, Any]:
            inner = [m for m in holds[container] if parent.get(m) == container]
            data: dict[str, Any] = {"id": self.ids[container], "label": self.text.line(self.nodes[container].name)}
            if nodes := [self.ids[m] for m in inner if m not in only]:
                data["nodes"] = nodes
            if clusters := [c for c in (cluster(m) for m in inner if m in holds) if "nodes" in c or "clusters" in c]:
                data["clusters"] = clusters
            return data

        return [c for c in map(cluster, top) if "nodes" in c or "clusters" in c], only

    def _encloses(self, member: str, container: str, parent: dict[str, str]) -> bool:
        """Whether `member` already holds `container` (directly or further out): a circle, which is reported."""
        outer = container
        while outer in parent:
            outer = parent[outer]
            if outer == member:
                self.notes.append(f"'{self.nodes[member].name}' and '{self.nodes[container].name}' hold each other; "
                                  "the diagram keeps the first of the two holdings")
                return True
        return member == container

    def parts(self, only: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str]]:
        """The components, the diagram nodes and the tools the components use."""
        components: list[dict[str, Any]] = []
        nodes: list[dict[str, Any]] = []
        tools: set[str] = set()
        names: set[str] = set()
        guessed: list[str] = []
        from_playbook = bool(_playbook(self.document.metadata))
        for calm_id, node in self.nodes.items():
            if calm_id in only:
                continue
            playbook = _playbook(node.metadata)
            label = self.text.line(node.name) or self.ids[calm_id]
            component = playbook.get("component") if isinstance(playbook.get("component"), str) else None
            component = self.text.line(component) if component else (None if from_playbook else label)
            if component:
                if component.casefold() in names:
                    component = self.text.line(f"{component} ({self.ids[calm_id]})")
                names.add(component.casefold())
                data: dict[str, Any] = {"name": component,
                                        "responsibility": self.text.line(node.description) or UNDESCRIBED}
                if isinstance(self.catalog.entries.get(str(playbook.get("tool"))), Tool):
                    data["tool"] = playbook["tool"]
                    tools.add(playbook["tool"])
                components.append(data)
            if playbook.get("drawn") is False and component:
                continue
            kind, guess = _kind(node, playbook)
            if guess:
                guessed.append(f"'{node.node_type}'")
            drawn: dict[str, Any] = {"id": self.ids[calm_id], "label": label, "kind": kind}
            if playbook.get("ref") in self.catalog.entries:
                drawn["ref"] = playbook["ref"]
            if component and component.casefold() != label.casefold():
                drawn["component"] = component
            services = playbook.get("services")
            if isinstance(services, dict):
                kept = {cloud: self.text.line(services[cloud]) for cloud in PROVIDERS
                        if isinstance(services.get(cloud), str) and services[cloud].strip()}
                if kept:
                    drawn["services"] = kept
            nodes.append(drawn)
        if guessed:
            self.notes.append(f"node types {', '.join(sorted(set(guessed)))} name no kind of the diagram vocabulary; "
                              "those nodes are drawn as 'service': pick their kinds")
        return components, nodes, tools

    def flow(self, edges: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
        steps = []
        for flow in self.document.flows:
            for transition in sorted(flow.transitions, key=lambda t: t.sequence_number):
                steps.append(self.text.line(f"{flow.name}, step {transition.sequence_number}: {transition.description}"))
        if steps:
            return steps
        return [self.text.line(f"{labels[e['from']]} to {labels[e['to']]}" + (f": {e['label']}" if "label" in e else ""))
                for e in edges]

    def references(self) -> tuple[list[str], list[str]]:
        """The catalog standards the controls name and the catalog ADRs the `adrs` name."""
        controls = self.document.controls or {}
        standards = [key for key in controls if isinstance(self.catalog.entries.get(key), Standard)]
        others = len(controls) - len(standards)
        if others:
            self.notes.append(f"{others} architecture controls name no standard of the catalog and are not kept")
        adrs, unknown = [], 0
        for link in self.document.adrs:
            match = re.search(r"(?:^|/)([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.yaml|/)?$", link.strip())
            if match and isinstance(self.catalog.entries.get(match.group(1)), Adr):
                adrs.append(match.group(1))
            else:
                unknown += 1
        if unknown:
            self.notes.append(f"{unknown} ADR links name no ADR of the catalog and are not kept; import the records "
                              "with 'playbook import adr' and add them to adrs")
        return list(dict.fromkeys(standards)), list(dict.fromkeys(adrs))

    def unmapped(self) -> None:
        """Report what the catalog has no field for."""
        interfaces = sum(len(node.interfaces) for node in self.nodes.values() if not _playbook(node.metadata))
        controls = sum(bool(node.controls) for node in self.nodes.values()) + \
            sum(bool(r.controls) for r in self.document.relationships)
        options = sum(r.relationship_type.options is not None for r in self.document.relationships)
        details = sum(bool(node.details) for node in self.nodes.values() if not _playbook(node.metadata))
        for count, what in ((interfaces, "node interfaces"), (controls, "nodes and relationships with controls"),
                            (options, "'options' relationships"), (details, "nodes with details")):
            if count:
                self.notes.append(f"{count} {what}: not kept, the catalog has no field for them")


def draft(document: CalmDocument, entry_id: str, owner: str, today: dt.date, catalog: Catalog, display: str) -> Draft:
    """The draft architecture a CALM document maps to; a CalmError lists what makes the document unusable."""
    mapping = _Mapping(document, catalog)
    text = mapping.text
    playbook = _playbook(document.metadata)
    edges = mapping.edges()
    linked = {e for r in document.relationships for e in _linked(r)}
    clusters, only = mapping.containers(linked)
    components, nodes, tools = mapping.parts(only)
    if mapping.problems:
        raise CalmError("\n".join(f"{display}: {problem}" for problem in dict.fromkeys(mapping.problems)))
    if not components:
        raise CalmError(f"{display}: no node describes a component (every node only holds others); add a node")
    drawn = {node["id"] for node in nodes}
    for container in only:
        if "cluster" not in _playbook(mapping.nodes[container].metadata):
            mapping.notes.append(f"'{mapping.nodes[container].name}' only holds other nodes: it is a cluster of the "
                                 "diagram, and its description is not kept")
    edges = [e for e in edges if e["from"] in drawn and e["to"] in drawn]
    standards, adrs = mapping.references()
    mapping.unmapped()
    skeleton = _skeleton()
    title = text.line(document.name or document.title or "") or entry_id
    described = (document.description or "").strip()
    labels = {node["id"]: node["label"] for node in nodes}
    providers = [p for p in PROVIDERS if p in _listed(playbook["providers"])] if "providers" in playbook else list(PROVIDERS)
    unmapped = [p for p in providers if any(not VOCABULARY[n["kind"]].has_mapping(p) and p not in n.get("services", {})
                                            for n in nodes)]
    if unmapped:
        mapping.notes.append(f"some node kinds have no {', '.join(unmapped)} service; those cloud views are left out")
    diagram: dict[str, Any] = {"nodes": nodes}
    if [p for p in providers if p not in unmapped] != list(PROVIDERS):
        diagram["providers"] = [p for p in providers if p not in unmapped]
    if playbook.get("direction") == "TB":  # left to right is the default
        diagram["direction"] = "TB"
    diagram |= {key: value for key, value in (("edges", edges), ("clusters", clusters)) if value}
    tags = [t for t in _listed(playbook.get("tags")) if isinstance(t, str) and re.fullmatch(SLUG_PATTERN, t)]
    playbook_tools = [t for t in _listed(playbook.get("tools")) if isinstance(catalog.entries.get(str(t)), Tool)]
    data: dict[str, Any] = {
        "id": entry_id, "title": title,
        "summary": text.line(described) if described else "Imported from a CALM architecture: say in one sentence what it is for.",
        "owners": [owner], "tags": tags, "last_reviewed": today, "review_every": "6 months", "status": "draft",
        "problem": text.prose(described) if described else skeleton["problem"],
        "when_to_use": skeleton["when_to_use"], "when_not_to_use": skeleton["when_not_to_use"],
        "components": components,
        "data_flow": mapping.flow(edges, labels) or skeleton["data_flow"],
        "nfrs": skeleton["nfrs"], "failure_modes": skeleton["failure_modes"],
        "rollout": skeleton["rollout"], "rollback": skeleton["rollback"],
        "standards": standards, "adrs": adrs, "tools": list(dict.fromkeys([*playbook_tools, *sorted(tools)])),
        "diagram": diagram,
    }
    placeholders = ["when_to_use", "when_not_to_use", "nfrs", "failure_modes", "rollout", "rollback",
                    *([] if described else ["problem"]), *([] if edges or document.flows else ["data_flow"])]
    notes = [*mapping.notes, *text.notes(),
             f"to write before review: {', '.join(placeholders[:-1])} and {placeholders[-1]} hold placeholder text"]
    return Draft(entry_id, {key: value for key, value in data.items() if value not in ([], None)}, notes)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _linked(relationship: Relationship) -> list[str]:
    """The nodes a relationship draws an edge to or from."""
    kind = relationship.relationship_type
    if kind.connects:
        return [kind.connects.source.node, kind.connects.destination.node]
    if kind.interacts:
        return [kind.interacts.actor, *kind.interacts.nodes]
    return []


def default_id(document: CalmDocument, path: Path) -> str:
    """The id an import takes without --id."""
    playbook_id = _playbook(document.metadata).get("id")
    for candidate in (document.unique_id, playbook_id if isinstance(playbook_id, str) else None, document.name,
                      document.title, path.name.removesuffix(".json").removesuffix(".architecture")):
        if candidate and (found := slugify(candidate, 80)):
            return found
    raise CalmError(f"{path.name}: no id can be made from the file; name one with --id")


# -- the entry's file ---------------------------------------------------------------------------------------------


def entry_text(d: Draft, display: str) -> str:
    """The catalog file of a draft, checked to read back as exactly its data and as a valid architecture."""
    text = schema_line(Architecture.kind) + "\n" + yaml.dump(d.data, Dumper=IndentedDumper, sort_keys=False, allow_unicode=True,
                                                            width=1_000_000)
    document, found = load_text(text, display)
    entry = None
    if document is not None and not found:
        entry, found = typed(document, Architecture)
    if entry is None or found:
        raise CalmError("\n".join(f"{display}: the draft would not be valid: {problem.message}" for problem in found)
                        or f"{display}: the draft would not read back")
    if document is not None and document.data != json.loads(json.dumps(d.data, default=str)):
        raise CalmError(f"{display}: the draft does not read back as the imported values")
    return text


def write_entry(catalog_dir: Path, d: Draft, text: str) -> Path:
    """Write the draft as catalog/architectures/<id>.yaml; never replaces a file."""
    target = catalog_dir / Architecture.folder / f"{d.entry_id}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target
