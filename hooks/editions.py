"""MkDocs hook: leave out of an edition what `generators.load.pages.left_out` names (hand-written pages above
its audience's level and the files beside them that no kept page uses), and their nav items.

The audience is PLAYBOOK_AUDIENCE (set by `playbook build --audience`, `serve` and `publish`), or the
default audience of playbook.toml. Generated pages are cut by the generator before MkDocs runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.load.pages import current, left_out, prune_nav


def on_files(files: Any, config: Any, **_: Any) -> Any:
    root = Path(config.config_file_path).parent
    left = left_out(root, *current(root))
    for file in [f for f in files if f.src_uri in left]:
        files.remove(file)
    if left and config.nav is not None:
        config.nav = prune_nav(config.nav, left)
    return files
