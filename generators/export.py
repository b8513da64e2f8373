"""catalog.json: every entry with its resolved relations, for other tools, with the version it was published as."""

from __future__ import annotations

import json

from .graph import Graph
from .releases import Release
from .validate import Catalog

#: Bumped when the shape of catalog.json changes in a way readers must know about.
SCHEMA_VERSION = 1


def catalog_json(catalog: Catalog, graph: Graph, release: Release | None) -> str:
    """The whole catalog as JSON; the same catalog and release give the same bytes."""
    entries = []
    for entry_id in sorted(catalog.entries):
        entry = catalog.entries[entry_id]
        entries.append({
            "kind": entry.kind,
            "file": catalog.files[entry_id],
            "page": f"{entry.folder}/{entry.id}/",
            **entry.model_dump(mode="json", by_alias=True),
            "relations": {
                "outgoing": [{"relation": r.relation.name, "target": r.target} for r in graph.outgoing.get(entry_id, [])],
                "incoming": [{"relation": r.relation.inverse, "source": r.source} for r in graph.incoming.get(entry_id, [])],
            },
        })
    payload = {
        "schema_version": SCHEMA_VERSION,
        "playbook": {"version": release.version if release else None, "commit": release.commit if release else None},
        "entries": entries,
    }
    return json.dumps(payload, indent=1, ensure_ascii=False) + "\n"
