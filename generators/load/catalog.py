"""The catalog: every valid entry by id, with the file and parsed document it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from ..federation.sources import Origin
from ..models import Entry
from ..models.common import NamedValue
from ..models.crosswalks import crosswalks
from ..models.graph import Graph, Reference, build_graph, references
from ..text import Prose
from .documents import Document

E = TypeVar("E", bound=Entry)


@dataclass
class Catalog:
    """Every valid entry, by id, with the file and document it came from."""

    entries: dict[str, Entry] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    #: Ids (file names) of entries that failed validation, with their kind, so that
    #: references to them are not reported a second time.
    invalid: dict[str, str] = field(default_factory=dict)
    #: The entries' prose, each field parsed once for the checks and the pages.
    prose: Prose = field(default_factory=Prose)
    #: Where each entry kept in another repository (a synced source) comes from; entries of catalog/ have none.
    origins: dict[str, Origin] = field(default_factory=dict)

    @cached_property
    def references(self) -> dict[str, tuple[Reference, ...]]:
        """Every reference each entry makes, found once per catalog."""
        return {entry_id: references(entry) for entry_id, entry in self.entries.items()}

    @cached_property
    def graph(self) -> Graph:
        """The relation graph of the valid entries, resolved once the catalog is loaded."""
        return build_graph(self.entries, self.references)

    @cached_property
    def values(self) -> dict[str, tuple[Entry, NamedValue]]:
        """Every named value, by name, with the entry it is at home in (the first, when a name is used twice: a check
        error)."""
        found: dict[str, tuple[Entry, NamedValue]] = {}
        for entry_id in sorted(self.entries):
            entry = self.entries[entry_id]
            for value in entry.values:
                found.setdefault(value.name, (entry, value))
        return found

    @cached_property
    def citations(self) -> dict[str, dict[str, list[str]]]:
        """For each framework id, each item id its crosswalks cite, with what cites it (entry ids, or
        'checklist-id#item-id'), in id order and each once: found in one pass over the catalog."""
        found: dict[str, dict[str, list[str]]] = {}
        for entry_id in sorted(self.entries):
            for _, crosswalk, where in crosswalks(self.entries[entry_id]):
                cited = found.setdefault(crosswalk.framework, {}).setdefault(crosswalk.id, [])
                if where not in cited:
                    cited.append(where)
        return found

    def by_id(self, model: type[E]) -> list[E]:
        """The entries of one kind, in id order."""
        return sorted((e for e in self.entries.values() if isinstance(e, model)), key=lambda e: e.id)

    def of_kind(self, model: type[Entry]) -> list[Entry]:
        return [e for e in self.entries.values() if isinstance(e, model)]
