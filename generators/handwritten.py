"""Hand-written pages in an edition: a page whose front matter names a `visibility` is left out of
the editions of audiences below it, and so is its place in the navigation.

    ---
    visibility: internal
    ---
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data

from .audiences import AUDIENCE_ENV, Audience, Visibility, load_visibility


def page_level(path: Path) -> str | None:
    """The `visibility` a Markdown page's front matter names, read the way MkDocs reads front matter."""
    _, meta = get_data(path.read_text(encoding="utf-8-sig"))
    level = meta.get("visibility")
    return str(level) if level is not None else None


def current(root: Path) -> tuple[Visibility, Audience]:
    """The project's visibility settings and the audience being built (PLAYBOOK_AUDIENCE, or the default)."""
    visibility = load_visibility(root)
    return visibility, visibility.audience(os.environ.get(AUDIENCE_ENV) or None)


def readable(path: Path, visibility: Visibility, audience: Audience) -> bool:
    """Whether the audience may read a hand-written page; a level that is not declared counts as the narrowest."""
    level = page_level(path)
    return level is None or visibility.rank(level) <= visibility.rank(audience.level)


def prune_nav(nav: Any, left_out: set[str]) -> Any:
    """The navigation without the pages left out; sections left empty go too."""
    if isinstance(nav, list):
        items = [prune_nav(item, left_out) for item in nav]
        return [item for item in items if item not in (None, [], {})]
    if isinstance(nav, dict):
        pruned = {title: prune_nav(value, left_out) for title, value in nav.items()}
        return {title: value for title, value in pruned.items() if value not in (None, [], {})} or None
    return None if nav in left_out else nav
