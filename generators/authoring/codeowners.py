"""CODEOWNERS from the catalog: each entry's file is reviewed by the handles of its owners."""

from __future__ import annotations

from ..load.catalog import Catalog
from ..models.team import Team

HEADER = "# Written by 'playbook codeowners' from the owners of each catalog entry; edit the catalog, not this file.\n"


def codeowners(catalog: Catalog) -> str:
    lines = [HEADER]
    for entry_id in sorted((i for i in catalog.entries if i not in catalog.origins), key=lambda i: catalog.files[i]):
        entry = catalog.entries[entry_id]
        handles: list[str] = []
        for owner in entry.owners:
            team = catalog.entries[owner]
            assert isinstance(team, Team)
            handles += [h for h in team.codeowners if h not in handles]
        lines.append(f"/{catalog.files[entry_id]} {' '.join(handles)}\n")
    return "".join(lines)
