"""Keep the search index whole while `playbook serve --dirty` rebuilds only the pages that changed.

A dirty MkDocs build writes a search index of the pages it rebuilt alone. After each build, the
index is merged into a full copy kept beside it: the rebuilt pages' records replace their old ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FULL = ".full_index.json"
#: Set while `playbook serve --dirty` runs MkDocs.
DIRTY_ENV = "PLAYBOOK_DIRTY"


def _page(record: dict[str, Any]) -> str:
    return str(record.get("location", "")).split("#", 1)[0]


def merge(full: dict[str, Any], partial: dict[str, Any]) -> dict[str, Any]:
    """`full` with the records of every page in `partial` replaced by `partial`'s."""
    rebuilt = {_page(r) for r in partial.get("docs", [])}
    docs = [r for r in full.get("docs", []) if _page(r) not in rebuilt] + list(partial.get("docs", []))
    return {**full, **{k: v for k, v in partial.items() if k != "docs"}, "docs": docs}


def keep_whole(search_dir: Path) -> None:
    """After a build: the first index is kept as the full one; later, partial ones are merged into it."""
    index, full = search_dir / "search_index.json", search_dir / FULL
    if not index.is_file():
        return
    current = json.loads(index.read_text(encoding="utf-8"))
    merged = full.is_file()
    if merged:
        current = merge(json.loads(full.read_text(encoding="utf-8")), current)
    text = json.dumps(current, separators=(",", ":"))
    if merged:
        index.write_text(text, encoding="utf-8")
    full.write_text(text, encoding="utf-8")
