"""MkDocs hook: leave out of an edition the hand-written pages above its audience's level, and their nav items.

The audience is PLAYBOOK_AUDIENCE (set by `playbook build --audience`, `serve` and `publish`), or the
default audience of playbook.toml. Generated pages are cut by the generator before MkDocs runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generators.handwritten import current, prune_nav, readable


def on_files(files: Any, config: Any, **_: Any) -> Any:
    visibility, audience = current(Path(config.config_file_path).parent)
    left_out = {f.src_uri for f in files.documentation_pages()
                if not readable(Path(f.abs_src_path), visibility, audience)}
    for file in [f for f in files if f.src_uri in left_out]:
        files.remove(file)
    if left_out and config.nav is not None:
        config.nav = prune_nav(config.nav, left_out)
    return files
