"""The catalog facts hand-written pages quote, written next to the generated pages so that the MkDocs
build reads one small file instead of loading and checking the whole catalog a second time.

The file starts with a dot, so MkDocs never publishes it; it describes the same edition as the
pages beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..load.catalog import Catalog
from ..load.citations import prose_text
from .pages import page_path

FACTS_FILE = ".playbook-facts.json"


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def facts_json(catalog: Catalog, audience: str) -> str:
    """Kind, title, page, every single-valued field (its citations as the page shows them) and the named values of
    every entry of the edition, as JSON."""
    entries = {}
    for entry_id, entry in sorted(catalog.entries.items()):
        fields = {name: prose_text(catalog, text) for name in type(entry).model_fields
                  if (text := _scalar(getattr(entry, name))) is not None}
        entries[entry_id] = {"kind": entry.kind, "page": page_path(entry), "fields": fields,
                             "values": {value.name: value.text() for value in entry.values}}
    return json.dumps({"audience": audience, "entries": entries}, ensure_ascii=False, sort_keys=True) + "\n"


def read_facts(path: Path, audience: str) -> dict[str, Any] | None:
    """The entries of the facts file at `path` when it is whole and describes `audience`'s edition; else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("audience") != audience or not isinstance(data.get("entries"), dict):
        return None
    entries = data["entries"]
    whole = all(isinstance(e, dict) and isinstance(e.get("kind"), str) and isinstance(e.get("page"), str)
                and isinstance(e.get("fields"), dict) and isinstance(e.get("values", {}), dict)
                for e in entries.values())
    return entries if whole else None
