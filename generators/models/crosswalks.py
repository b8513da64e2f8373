"""Where entries cite framework items: the crosswalks of threats, standards and checklist items."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Path_
from .checklist import Checklist
from .common import Entry
from .framework import Crosswalk
from .standard import Standard
from .threat import Threat


def crosswalks(entry: Entry) -> Iterator[tuple[Path_, Crosswalk, str]]:
    """Every crosswalk an entry writes, at its path, with what writes it: a threat or a standard (its id), or a
    checklist item ('checklist-id#item-id')."""
    if isinstance(entry, Threat | Standard):
        for index, crosswalk in enumerate(entry.crosswalks):
            yield ("crosswalks", index), crosswalk, entry.id
    elif isinstance(entry, Checklist):
        for i, item in enumerate(entry.items):
            for index, crosswalk in enumerate(item.crosswalks):
                yield ("items", i, "crosswalks", index), crosswalk, f"{entry.id}#{item.id}"
