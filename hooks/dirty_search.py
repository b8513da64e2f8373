"""MkDocs hook: under `playbook serve --dirty` (PLAYBOOK_DIRTY=1), keep the search index whole."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from generators.site.search_merge import DIRTY_ENV, keep_whole


def on_post_build(config: Any, **_: Any) -> None:
    if os.environ.get(DIRTY_ENV) == "1":
        keep_whole(Path(config.site_dir) / "search")
