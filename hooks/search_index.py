"""MkDocs hook: index the built site for search with Pagefind (generators/publish/search_index.py).

It runs after every build MkDocs makes: `playbook build`, each rebuild under `playbook serve`, and the build
`playbook publish` has mike make. A Zensical build runs no hooks; `playbook build --engine zensical` indexes
its site itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generators.publish.search_index import SearchIndexError, index_site


@event_priority(-100)  # last: once every page and file is in the site folder
def on_post_build(config: Any, **_: Any) -> None:
    try:
        index_site(Path(config.site_dir))
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from None
