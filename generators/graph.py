"""The catalog as a graph: every reference an edge, every entry its links and backlinks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from .loader import Path_
from .models import Entry
from .models.common import RefTo
from .models.walk import marked


@dataclass(frozen=True, order=True)
class Reference:
    """`source` names `target` in the field at `path`, which must hold a `kind`."""

    source: str
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


def references(entry: Entry) -> Iterator[Reference]:
    """Every reference an entry makes, in the order it is written."""
    for path, ref, target in marked(entry, RefTo):
        yield Reference(entry.id, path, ref.kind, target)


@dataclass
class Graph:
    """Outgoing and incoming references of every entry."""

    outgoing: dict[str, list[Reference]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[Reference]] = field(default_factory=lambda: defaultdict(list))

    def referenced_by(self, entry_id: str) -> list[str]:
        """Ids of the entries that reference `entry_id`, each once, sorted."""
        return sorted({ref.source for ref in self.incoming.get(entry_id, []) if ref.source != entry_id})

    def links(self, entry_id: str) -> list[str]:
        return sorted({ref.target_id for ref in self.outgoing.get(entry_id, [])})


def build_graph(entries: dict[str, Entry]) -> Graph:
    """Resolve the references that land on existing entries (the checker reports the rest)."""
    graph = Graph()
    for entry in entries.values():
        for ref in references(entry):
            if ref.target_id in entries:
                graph.outgoing[entry.id].append(ref)
                graph.incoming[ref.target_id].append(ref)
    return graph
