"""Links between imported records, and to the catalog's ADRs, resolved to ids; supersede links on both sides.

A link names a file (relative to the record's folder) or a number, and means a record of the same
repository first: an imported file of the same folder, then a catalog ADR imported from the same
repository and folder (which may have been given another number), then any imported file or catalog ADR
of that file name or number, when only one has it.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from ..load.catalog import Catalog
from ..models.adr import Adr
from .adr_draft import Draft, Link
from .adr_parse import FILE_NUMBER, MAX_DIGITS


def leading_number(entry_id: str) -> int | None:
    """The sequence number an ADR id starts with (`0007-...` gives 7); None when it has none an ADR can have."""
    m = re.match(r"^(\d+)-", entry_id)
    return int(m.group(1)) if m and len(m.group(1)) <= MAX_DIGITS else None


def _file_number(name: str) -> int | None:
    m = FILE_NUMBER.match(name)
    return int(m.group(1)) if m and len(m.group(1)) <= MAX_DIGITS else None


def _one(ids: list[str]) -> str | None:
    unique = list(dict.fromkeys(ids))
    return unique[0] if len(unique) == 1 else None


class Targets:
    """Finds the entry a link written in an imported record means."""

    def __init__(self, drafts: list[Draft], catalog: Catalog) -> None:
        self.drafts = drafts
        self.adrs = {i: e for i, e in catalog.entries.items() if isinstance(e, Adr)}
        self.others = sorted(set(self.adrs) - {d.id for d in drafts})  # catalog ADRs this import does not write

    def file(self, d: Draft, written: str) -> str | None:
        """The entry the file path `written` (relative to `d`'s folder, '.md' or not) means, or None."""
        stem = Path(written).stem
        folder = Path(os.path.normpath(d.source.path.parent / posixpath.dirname(written)))
        near = [x.id for x in self.drafts if x.source.path.parent == folder and x.source.path.stem == stem]
        if near:
            return near[0]
        there = posixpath.normpath(posixpath.join(posixpath.dirname(d.place.path), posixpath.dirname(written)))
        imported = [i for i, e in sorted(self.adrs.items())
                    if e.source and e.source.repository == d.place.repository
                    and posixpath.dirname(e.source.path) == ("" if there == "." else there)
                    and Path(e.source.path).stem == stem]
        if imported:
            return imported[0]
        anywhere = [x.id for x in self.drafts if x.source.path.stem == stem]
        return anywhere[0] if anywhere else stem if stem in self.adrs else None

    def number(self, d: Draft, number: int) -> str | None:
        """The entry the sequence number means when only one record has it, or None."""
        folder = d.source.path.parent
        near = _one([x.id for x in self.drafts if x.source.path.parent == folder and x.source.number == number])
        if near:
            return near
        here = posixpath.dirname(d.place.path)
        imported = _one([i for i, e in sorted(self.adrs.items())
                         if e.source and e.source.repository == d.place.repository
                         and posixpath.dirname(e.source.path) == here
                         and _file_number(posixpath.basename(e.source.path)) == number])
        if imported:
            return imported
        numbered = [x.id for x in self.drafts if x.source.number == number]
        return _one(numbered) if numbered else _one([i for i in self.others if leading_number(i) == number])

    def link(self, d: Draft, link: Link) -> str | None:
        found = self.file(d, link.file) if link.file else None
        return found or (self.number(d, link.number) if link.number is not None else None)


def resolve_links(drafts: list[Draft], targets: Targets) -> None:
    """Turn supersede links into ids, both directions consistent; drop (and keep as text) the rest."""
    adrs = targets.adrs
    by_id = {d.id: d for d in drafts}
    for d in drafts:
        if d.superseded_by is None:
            continue
        target = targets.link(d, d.superseded_by)
        if target is None or target == d.id:
            d.drop(d.superseded_by, "no imported file or catalog ADR matches it")
        elif target in by_id or d.id in adrs[target].supersedes:
            d.data["superseded_by"] = target
        else:
            d.drop(d.superseded_by, f"'{target}' in the catalog does not list '{d.id}' in supersedes")
    for d in drafts:
        for link in d.supersedes:
            target = targets.link(d, link)
            if target is None or target == d.id:
                d.drop(link, "no imported file or catalog ADR matches it")
                continue
            old = by_id[target].data if target in by_id else None
            successor = old["superseded_by"] if old is not None else adrs[target].superseded_by
            if successor not in (None, d.id):
                d.drop(link, f"'{target}' is superseded by '{successor}'")
            elif old is None and successor is None:
                d.drop(link, f"'{target}' in the catalog does not name '{d.id}' in superseded_by")
            else:
                if old is not None:
                    old["superseded_by"] = d.id
                d.data["supersedes"].append(target)
    for d in drafts:
        successor = d.data["superseded_by"]
        if successor in by_id and d.id not in by_id[successor].data["supersedes"]:
            by_id[successor].data["supersedes"].append(d.id)
    for d in drafts:
        d.data["supersedes"] = sorted(set(d.data["supersedes"]))
        if d.data["superseded_by"] and d.data["status"] != "superseded":
            d.notes.append(f"status '{d.data['status']}' imported as superseded: '{d.data['superseded_by']}' supersedes it")
            d.data["status"] = "superseded"
        elif d.data["status"] == "superseded" and not d.data["superseded_by"]:
            d.notes.append("superseded, but its successor is not known; imported as deprecated")
            d.data["status"] = "deprecated"
