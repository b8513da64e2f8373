"""The catalog as one typed graph: every reference an edge with a relation, every entry its links and backlinks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..diagnostics import Path_
from . import BY_KIND, Entry
from .common import RefTo
from .relation import OWNED_BY, Relation
from .walk import marked


@dataclass(frozen=True, order=True)
class Reference:
    """`source` (of `source_kind`) names `target` in the field at `path`, which must hold a `kind`."""

    source: str
    source_kind: str
    path: Path_
    kind: str | None
    target: str

    @property
    def field(self) -> str:
        return next(str(p) for p in self.path if isinstance(p, str))

    @property
    def target_id(self) -> str:
        """The entry a reference lands on (a checklist item lands on its checklist)."""
        return self.target.split("#", 1)[0]

    @property
    def relation(self) -> Relation:
        """The relation the field at `path` carries: the most specific one its kind declares ('items.crosswalks'
        before 'items')."""
        model = BY_KIND[self.source_kind]
        names = [str(p) for p in self.path if isinstance(p, str)]
        deeper = (".".join(names[:depth]) for depth in range(len(names), 1, -1))
        return model.relation(next((key for key in deeper if key in model.relations), self.field))


def references(entry: Entry) -> tuple[Reference, ...]:
    """Every reference an entry makes, in the order it is written (a `Catalog` keeps them for its entries)."""
    return tuple(Reference(entry.id, entry.kind, path, ref.kind, target) for path, ref, target in marked(entry, RefTo))


@dataclass
class Graph:
    """Outgoing and incoming references of every entry."""

    outgoing: dict[str, list[Reference]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[Reference]] = field(default_factory=lambda: defaultdict(list))

    def referenced_by(self, entry_id: str) -> list[str]:
        """Ids of the entries that reference `entry_id` (ownership aside), each once, sorted."""
        return sorted({r.source for r in self.incoming.get(entry_id, []) if r.source != entry_id and r.relation is not OWNED_BY})

    def links(self, entry_id: str) -> list[str]:
        return sorted({ref.target_id for ref in self.outgoing.get(entry_id, [])})


def build_graph(entries: dict[str, Entry], found: Mapping[str, tuple[Reference, ...]] | None = None) -> Graph:
    """Resolve the references (`found` by entry id, when known) that land on existing entries (the checker reports the rest)."""
    graph = Graph()
    for entry in entries.values():
        for ref in found[entry.id] if found is not None else references(entry):
            if ref.target_id in entries:
                graph.outgoing[entry.id].append(ref)
                graph.incoming[ref.target_id].append(ref)
    return graph
