"""What changed between two catalogs, entry by entry, and each entry's history across published versions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from ..load.catalog import Catalog
from ..models import KINDS, Entry
from ..models.compared import Items

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Detail:
    """One meaningful change of an entry: a field from `before` to `after`, an item added or removed."""

    field: str
    before: str | None = None
    after: str | None = None
    subject: str | None = None

    @property
    def text(self) -> str:
        name = f"{self.field} {self.subject}" if self.subject else self.field
        if self.before is not None and self.after is not None:
            return f"{name}: {self.before} → {self.after}"
        if self.after is not None:
            return f"{name} added: {self.after}"
        if self.before is not None:
            return f"{name} removed: {self.before}"
        return name


@dataclass(frozen=True)
class EntryChange:
    """An entry added, removed or changed between two catalogs."""

    id: str
    kind: str
    title: str
    change: Change
    details: tuple[Detail, ...] = ()

    @property
    def summary(self) -> str:
        """'added', 'removed', or the changes spelled out, e.g. 'status: proposed → accepted; text revised'."""
        return "; ".join(d.text for d in self.details) if self.change == "changed" else self.change


@dataclass(frozen=True)
class Changes:
    """Every entry that differs between two catalogs, in kind order then by id."""

    entries: tuple[EntryChange, ...] = ()
    #: Ids left out of the comparison because they are invalid in one of the two catalogs.
    skipped: tuple[str, ...] = ()

    def count(self, change: Change) -> int:
        return sum(1 for e in self.entries if e.change == change)

    @property
    def summary(self) -> str:
        if not self.entries:
            return "no changes"
        return ", ".join(f"{self.count(c)} {c}" for c in ("added", "removed", "changed") if self.count(c))

    def by_kind(self) -> list[tuple[type[Entry], list[EntryChange]]]:
        return [(m, group) for m in KINDS if (group := [e for e in self.entries if e.kind == m.kind])]


def _shown(value: Any) -> str:
    return "none" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _describe(spec: Items, item: dict[str, Any]) -> str:
    return f"{item[spec.key]} ({_shown(item[spec.shown])})" if spec.shown else _shown(item[spec.key])


def _compare_items(spec: Items, old: dict[str, Any], new: dict[str, Any]) -> list[Detail]:
    """Items added, removed or with a tracked change; leaves the rest of the common items to compare."""
    before = {item[spec.key]: item for item in old.get(spec.field) or []}
    after = {item[spec.key]: item for item in new.get(spec.field) or []}
    details = [Detail(spec.noun, before=_describe(spec, before[k])) for k in before if k not in after]
    details += [Detail(spec.noun, after=_describe(spec, after[k])) for k in after if k not in before]
    if spec.tracked:
        details += [Detail(spec.noun, _shown(before[k][spec.tracked]), _shown(after[k][spec.tracked]), subject=str(k))
                    for k in after if k in before and before[k][spec.tracked] != after[k][spec.tracked]]

    def rest(items: dict[Any, dict[str, Any]], other: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
        return [{f: v for f, v in item.items() if f != spec.tracked} for k, item in items.items() if k in other]

    old[spec.field], new[spec.field] = rest(before, after), rest(after, before)
    return details


def compare(before: Entry, after: Entry) -> tuple[Detail, ...]:
    """The meaningful changes from one version of an entry to the next; anything else is 'text revised'."""
    old = before.model_dump(mode="json", by_alias=True)
    new = after.model_dump(mode="json", by_alias=True)
    details = []
    for name in ("status", *after.diff_fields):
        if old.get(name) != new.get(name):
            details.append(Detail(name.replace("_", " "), _shown(old.get(name)), _shown(new.get(name))))
        old.pop(name, None)
        new.pop(name, None)
    for spec in after.diff_items:
        details += _compare_items(spec, old, new)
    if old != new:
        details.append(Detail("text revised"))
    return tuple(details)


def diff(before: Catalog, after: Catalog) -> Changes:
    """Entries added, removed and changed from `before` to `after`; an id that moved kind is removed and added."""
    skipped = set(before.invalid) | set(after.invalid)
    old = {(e.kind, e.id): e for e in before.entries.values() if e.id not in skipped}
    new = {(e.kind, e.id): e for e in after.entries.values() if e.id not in skipped}
    order = {m.kind: i for i, m in enumerate(KINDS)}
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (order[k[0]], k[1])):
        if key not in new:
            changes.append(EntryChange(key[1], key[0], old[key].title, "removed"))
        elif key not in old:
            changes.append(EntryChange(key[1], key[0], new[key].title, "added"))
        elif details := compare(old[key], new[key]):
            changes.append(EntryChange(key[1], key[0], new[key].title, "changed", details))
    return Changes(tuple(changes), tuple(sorted(skipped)))


#: Each published version, newest first, with what changed in it since the version before.
ChangesByVersion = list[tuple[str, Changes]]


def entry_history(changes_by_version: ChangesByVersion) -> dict[str, list[tuple[str, str]]]:
    """Entry id → [(version, how it changed)], newest first; plain text, to escape where it is shown."""
    history: dict[str, list[tuple[str, str]]] = {}
    for version, changes in changes_by_version:
        for entry in changes.entries:
            history.setdefault(entry.id, []).append((version, entry.summary))
    return history

