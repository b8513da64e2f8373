"""Keep the search index whole while `playbook serve --dirty` rebuilds only the pages that changed.

A dirty MkDocs build writes a search index of the pages it rebuilt alone. After each build, the
index is merged into a full copy kept beside it: the rebuilt pages' records replace their old ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..write.cache_entries import write_atomic

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


def _index(path: Path) -> dict[str, Any] | None:
    """The search index at `path`; None when it is missing or damaged (a build killed while writing it)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    whole = isinstance(data, dict) and isinstance(data.get("docs"), list) and all(isinstance(r, dict) for r in data["docs"])
    return data if whole else None


def keep_whole(search_dir: Path) -> None:
    """After a build: the first index is kept as the full one; later, partial ones are merged into it.

    A full copy that is damaged is replaced by the current index, as after a first build.
    """
    index, full = search_dir / "search_index.json", search_dir / FULL
    current = _index(index)
    if current is None:
        return
    kept = _index(full)
    if kept is not None:
        current = merge(kept, current)
    text = json.dumps(current, separators=(",", ":")).encode("utf-8")
    if kept is not None:
        write_atomic(index, text)
    write_atomic(full, text)
