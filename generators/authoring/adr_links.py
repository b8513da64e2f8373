"""Supersede links between imported records, and to the catalog's ADRs, resolved to ids on both sides."""

from __future__ import annotations

import re
from pathlib import Path

from ..load.catalog import Catalog
from ..models.adr import Adr
from .adr_draft import Draft, Link
from .adr_parse import MAX_DIGITS


def leading_number(entry_id: str) -> int | None:
    """The sequence number an ADR id starts with (`0007-...` gives 7); None when it has none an ADR can have."""
    m = re.match(r"^(\d+)-", entry_id)
    return int(m.group(1)) if m and len(m.group(1)) <= MAX_DIGITS else None


def resolve_links(drafts: list[Draft], catalog: Catalog) -> None:
    """Turn supersede links into ids, both directions consistent; drop (and keep as text) the rest."""
    adrs = {i: e for i, e in catalog.entries.items() if isinstance(e, Adr)}
    by_id = {d.id: d for d in drafts}
    by_stem: dict[str, str] = {}
    by_number: dict[int, list[str]] = {}
    for d in drafts:
        by_stem.setdefault(d.source.path.stem, d.id)
        if d.source.number is not None:
            by_number.setdefault(d.source.number, []).append(d.id)
    catalog_numbers: dict[int, list[str]] = {}
    for i in adrs:
        if i not in by_id and (number := leading_number(i)) is not None:
            catalog_numbers.setdefault(number, []).append(i)

    def find(link: Link) -> str | None:
        if link.file:
            stem = Path(link.file).stem
            named = by_stem.get(stem) or (stem if stem in adrs else None)
            if named:
                return named
        if link.number is not None:
            numbered = by_number.get(link.number) or catalog_numbers.get(link.number, [])
            if len(numbered) == 1:
                return numbered[0]
        return None

    for d in drafts:
        if d.superseded_by is None:
            continue
        target = find(d.superseded_by)
        if target is None or target == d.id:
            d.drop(d.superseded_by, "no imported file or catalog ADR matches it")
        elif target in by_id or d.id in adrs[target].supersedes:
            d.data["superseded_by"] = target
        else:
            d.drop(d.superseded_by, f"'{target}' in the catalog does not list '{d.id}' in supersedes")
    for d in drafts:
        for link in d.supersedes:
            target = find(link)
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
