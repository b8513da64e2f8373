"""One audience's edition of the catalog: the entries, fields and items it may read, and nothing else.

Every later stage (graph, pages, diagrams, exports, release notes, macros) works on the edition, so
what an audience may not read never reaches its site. What stays visible but pointed at a hidden
entry follows the declared rules: a reference becomes "unavailable" (or is omitted), a diagram node
loses its label and link (or the diagram is refused).
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..diagnostics import Diagnostic, Path_, Severity, format_path
from ..load.catalog import Catalog
from ..load.citations import cited
from ..load.visibility import Audience, Visibility
from ..models import Entry
from ..models.adr import Adr
from ..models.architecture import Architecture, Diagram, DiagramCluster
from ..models.checklist import Checklist
from ..models.common import Cites, Markdown, Part, RefTo
from ..models.exception import StandardException
from ..models.framework import Crosswalk
from ..models.initiative import Initiative
from ..models.standard import Standard
from ..models.threat import Threat
from ..models.walk import marked, marker_of, options
from ..text import Citation, line_citations

#: Stands in for a reference to an entry or checklist item the edition leaves out; never a valid id.
UNAVAILABLE = "(unavailable)"
#: The label of a diagram node whose entry the edition leaves out.
HIDDEN_NODE_LABEL = "Not in this edition"


@dataclass(frozen=True)
class Hidden:
    """A visible entry pointing, at `path`, at something the audience may not read."""

    entry: str
    path: Path_
    target: str
    refused: bool = False
    #: How prose holds the target, which no rule can rewrite, so the author must reword: it "names" its id (as
    #: `id`, shown as written) or "cites" it (as [[id]], shown without title or link); empty for a field.
    mention: Literal["", "names", "cites"] = ""


@dataclass
class Edition:
    """The catalog as one audience sees it, and what in it points at hidden content."""

    audience: Audience
    catalog: Catalog
    hidden: list[Hidden] = field(default_factory=list)


def _optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


class _Editor:
    """Rewrites entries for one audience."""

    _DROP = object()

    def __init__(self, catalog: Catalog, visibility: Visibility, audience: Audience) -> None:
        self.visibility = visibility
        self.limit = visibility.rank(audience.level)
        self.visible = {i for i, e in catalog.entries.items() if self.shown(visibility.entry_level(e))}
        #: Items other entries cite, as "entry#item": checklist items, a standard's rules, a framework's items.
        self.cited = {f"{e.id}#{part.id}" for e in catalog.entries.values() if e.id in self.visible
                      for part in [*getattr(e, "rules", []), *getattr(e, "items", [])]
                      if isinstance(part, Part) and self.shown(part.visibility)}
        self.hidden: list[Hidden] = []
        self.entry_id = ""

    def shown(self, level: str | None) -> bool:
        return level is None or self.visibility.rank(level) <= self.limit

    def reachable(self, target: str) -> bool:
        return target in self.cited if "#" in target else target in self.visible

    def entry(self, entry: Entry) -> Entry:
        self.entry_id = entry.id
        fields = type(entry).model_fields
        hidden = [name for name in fields if not self.shown(self.visibility.field_level(entry, name))]
        if hidden:  # the hidden fields go, and so does the record of their names
            cleared = {name: fields[name].get_default(call_default_factory=True) for name in hidden}
            kept = {name: level for name, level in entry.field_visibility.items() if name not in hidden}
            entry = entry.model_copy(update={**cleared, "field_visibility": kept})
        if isinstance(entry, Architecture) and entry.diagram is not None:
            entry = entry.model_copy(update={"diagram": self.diagram(entry.diagram)})
        entry = self.citations(entry)
        return self.value(entry, type(entry), [], ())  # type: ignore[no-any-return]

    def crosswalks(self, entry_id: str, path: Path_, crosswalks: list[Crosswalk]) -> list[Crosswalk]:
        """The crosswalks whose framework item the edition shows; the others are recorded as hidden."""
        kept = []
        for index, crosswalk in enumerate(crosswalks):
            target = f"{crosswalk.framework}#{crosswalk.id}"
            if self.shown(crosswalk.visibility) and target not in self.cited:
                self.hidden.append(Hidden(entry_id, (*path, index), target))
            else:
                kept.append(crosswalk)
        return kept

    def citations(self, entry: Entry) -> Entry:
        """Items cited by their id rather than by a reference: crosswalks, answers, exception rules, chosen options."""
        if isinstance(entry, Threat | Standard):
            kept = self.crosswalks(entry.id, ("crosswalks",), entry.crosswalks)
            return entry.model_copy(update={"crosswalks": kept}) if len(kept) != len(entry.crosswalks) else entry
        if isinstance(entry, Checklist):
            items = []
            for i, item in enumerate(entry.items):
                kept = self.crosswalks(entry.id, ("items", i, "crosswalks"), item.crosswalks)
                items.append(item.model_copy(update={"crosswalks": kept}) if len(kept) != len(item.crosswalks) else item)
            return entry.model_copy(update={"items": items})
        if isinstance(entry, Initiative):
            answered = []
            for c, group in enumerate(entry.checklists):
                answers = []
                for a, answer in enumerate(group.answers):
                    target = f"{group.checklist}#{answer.item}"
                    if self.shown(answer.visibility) and self.shown(group.visibility) and target not in self.cited:
                        if group.checklist in self.visible:  # a hidden checklist is reported once, as a reference
                            self.hidden.append(Hidden(entry.id, ("checklists", c, "answers", a, "item"), target))
                        continue
                    answers.append(answer)
                answered.append(group.model_copy(update={"answers": answers}) if len(answers) != len(group.answers) else group)
            return entry.model_copy(update={"checklists": answered})
        if isinstance(entry, StandardException) and f"{entry.standard}#{entry.rule}" not in self.cited:
            if entry.standard in self.visible:
                self.hidden.append(Hidden(entry.id, ("rule",), f"{entry.standard}#{entry.rule}"))
            return entry.model_copy(update={"rule": UNAVAILABLE})
        if isinstance(entry, Adr):
            chosen = [o for o in entry.considered_options if o.title == entry.outcome.chosen]
            if chosen and not any(self.shown(o.visibility) for o in chosen):
                index = entry.considered_options.index(chosen[0])
                self.hidden.append(Hidden(entry.id, ("outcome", "chosen"), f"{entry.id}: considered_options[{index}]"))
                return entry.model_copy(update={"outcome": entry.outcome.model_copy(update={"chosen": UNAVAILABLE})})
        return entry

    def diagram(self, diagram: Diagram) -> Diagram | None:
        """Hidden nodes go with their edges; nodes pointing at hidden entries lose id, label, link and edge labels,
        or refuse the diagram."""
        nodes = []
        anonymous: dict[str, str] = {}
        for index, node in enumerate(diagram.nodes):
            if not self.shown(node.visibility):
                continue
            if node.ref is not None and not self.reachable(node.ref):
                refuse = self.visibility.hidden_diagram_nodes == "refuse"
                self.hidden.append(Hidden(self.entry_id, ("diagram", "nodes", index, "ref"), node.ref, refused=refuse))
                if refuse:
                    return None
                anonymous[node.id] = f"hidden-{len(anonymous) + 1}"
                node = node.model_copy(update={"id": anonymous[node.id], "label": HIDDEN_NODE_LABEL, "ref": None,
                                               "component": None, "services": None})
            nodes.append(node)
        if not nodes:
            return None
        kept = {node.id for node in nodes}
        edges = []
        for edge in diagram.edges:
            source, target = anonymous.get(edge.source, edge.source), anonymous.get(edge.target, edge.target)
            if source in kept and target in kept and self.shown(edge.visibility):
                renamed = source != edge.source or target != edge.target
                edges.append(edge.model_copy(update={"source": source, "target": target, "label": None}) if renamed else edge)

        def clusters(items: list[DiagramCluster]) -> list[DiagramCluster]:
            out = []
            for cluster in items:
                inner = clusters(cluster.clusters)
                members = [anonymous.get(n, n) for n in cluster.nodes if anonymous.get(n, n) in kept]
                if members or inner:
                    out.append(cluster.model_copy(update={"nodes": members, "clusters": inner}))
            return out

        return diagram.model_copy(update={"nodes": nodes, "edges": edges, "clusters": clusters(diagram.clusters)})

    def value(self, value: Any, annotation: Any, metadata: list[Any], path: Path_) -> Any:
        if isinstance(value, BaseModel):
            updates = {}
            for name, info in type(value).model_fields.items():
                old = getattr(value, name)
                new = self.value(old, info.annotation, info.metadata, path + (info.alias or name,))
                if new is self._DROP:
                    new = None if _optional(info.annotation) else UNAVAILABLE
                if new is not old:
                    updates[name] = new
            return value.model_copy(update=updates) if updates else value
        for option in options(annotation):
            if isinstance(value, str):
                if marker_of(option, metadata, RefTo) is not None and not self.reachable(value):
                    self.hidden.append(Hidden(self.entry_id, path, value))
                    return self._DROP if self.visibility.hidden_references == "omit" else UNAVAILABLE
                return value
            if isinstance(value, list | tuple) and get_origin(option) in (list, tuple):
                inner = get_args(option)[0]
                out = []
                for index, item in enumerate(value):
                    if isinstance(item, Part) and not self.shown(item.visibility):
                        continue
                    new = self.value(item, inner, [], path + (index,))
                    if new is self._DROP or (isinstance(new, str) and new == UNAVAILABLE and UNAVAILABLE in out):
                        continue
                    out.append(new)
                changed = len(out) != len(value) or any(a is not b for a, b in zip(out, value))
                return type(value)(out) if changed else value
        return value


_NAMED = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`")


def _shown_prose(entry: Entry, edited: Entry, marker: type = Markdown) -> list[tuple[Path_, str]]:
    """The prose fields (or, with the Cites marker, the lines) of `entry` that its edition `edited` still shows, at
    their paths in the catalog file (the edition's own paths shift where it leaves list items out)."""
    shown = {text for _, _, text in marked(edited, marker)}
    return [(path, text) for path, _, text in marked(entry, marker) if text in shown]


def _mentions(prose: list[tuple[Path_, str]], entry_id: str, hidden_ids: set[str]) -> list[Hidden]:
    """Prose of a visible entry naming a hidden entry's id in backticks."""
    return [Hidden(entry_id, path, named, mention="names")
            for path, text in prose for named in dict.fromkeys(_NAMED.findall(text)) if named in hidden_ids]


def _hidden_citations(prose: list[tuple[Path_, str]], entry_id: str, catalog: Catalog, out: Catalog,
                      read: Callable[[str], Iterable[Citation]]) -> list[Hidden]:
    """Citations (as `read` finds them in a text) in a visible entry's prose or lines of what the whole catalog holds
    and the edition `out` leaves out."""
    found = {(path, citation.written[2:-2]): None for path, text in prose for citation in read(text)
             if cited(out, citation) is None and cited(catalog, citation) is not None}
    return [Hidden(entry_id, path, ref, mention="cites") for path, ref in found]


def edition(catalog: Catalog, visibility: Visibility, audience: Audience) -> Edition:
    """The entries, fields and list items `audience` may read; references to the rest follow the declared rules."""
    editor = _Editor(catalog, visibility, audience)
    hidden_ids = set(catalog.entries) - editor.visible
    out = Catalog(prose=catalog.prose)
    for entry_id, entry in catalog.entries.items():
        if entry_id in editor.visible:
            out.entries[entry_id] = editor.entry(entry)
            out.files[entry_id] = catalog.files[entry_id]
            out.documents[entry_id] = catalog.documents[entry_id]
            if not audience.repository:  # where an entry was kept or imported from names the organisation's git
                shown = out.entries[entry_id]
                if isinstance(shown, Adr) and shown.source is not None:
                    out.entries[entry_id] = shown.model_copy(update={"source": None})
            elif entry_id in catalog.origins:
                out.origins[entry_id] = catalog.origins[entry_id]
    for entry_id, edited in out.entries.items():
        prose = _shown_prose(catalog.entries[entry_id], edited)
        editor.hidden.extend(_mentions(prose, entry_id, hidden_ids))
        editor.hidden.extend(_hidden_citations(prose, entry_id, catalog, out, catalog.prose.citations))
        lines = _shown_prose(catalog.entries[entry_id], edited, Cites)
        editor.hidden.extend(_hidden_citations(lines, entry_id, catalog, out, line_citations))
    return Edition(audience, out, editor.hidden)


def hidden_diagnostics(result: Edition, catalog: Catalog, severity: Severity | None, rule: str) -> list[Diagnostic]:
    """What `check --audience` reports: visible entries whose meaning depends on hidden ones."""
    out = []
    for hidden in result.hidden:
        if severity is None and not hidden.refused:
            continue
        document = catalog.documents[hidden.entry]
        mark = document.position(hidden.path)
        if hidden.mention:
            shown = "shows it as written" if hidden.mention == "names" else "shows no title or link in its place"
            message = (f"the text {hidden.mention} '{hidden.target}', which the {result.audience.name} edition leaves out, "
                       f"and {shown} [hidden-reference]")
            hint = "reword the text, or narrow this field's visibility"
        elif hidden.refused:
            message = (f"this diagram points at '{hidden.target}', which the {result.audience.name} edition leaves out, "
                       "and hidden_diagram_nodes is 'refuse' [hidden-diagram-node]")
            hint = "drop the node's ref, widen the target's visibility, or narrow this entry's"
        else:
            shown = "omitted" if rule == "omit" else "shown as unavailable"
            message = f"'{hidden.target}' is not in the {result.audience.name} edition, where this reference is {shown} [hidden-reference]"
            hint = "widen the target's visibility, or narrow this entry's or the item's"
        out.append(Diagnostic(document.file, mark.line, mark.column, "error" if hidden.refused else severity or "warning",
                              message, format_path(hidden.path), hint, "hidden-diagram-node" if hidden.refused else "hidden-reference"))
    return out
