"""What a diff of two versions of an entry spells out, as a kind declares it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Items:
    """A list field whose items are matched by a key, e.g. a standard's rules by id."""

    field: str
    noun: str
    key: str
    tracked: str | None = None  # an item field whose change is spelled out
    shown: str | None = None  # an item field shown beside the key when the item is added or removed
