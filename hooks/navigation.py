"""MkDocs hook: each generated entry in the navigation, in its kind's section, and a sidebar that lists at most a
run of each kind's entries (generators/site/navigation.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

from generators.project import OUTPUT_DIR
from generators.site.navigation import in_title_order, sidebar, titled, with_entries


def _generated(config: Any) -> str | None:
    """The generated folder as a path inside the docs folder; None when it is not inside it."""
    folder = Path(os.path.abspath(config.config_file_path)).parent / OUTPUT_DIR  # docs_dir is absolute, not resolved
    return folder.relative_to(config.docs_dir).as_posix() if folder.is_relative_to(config.docs_dir) else None


@event_priority(-50)  # after hooks/editions.py has removed what the edition leaves out: only kept pages are listed
def on_files(files: Any, config: Any, **_: Any) -> Any:
    if config.nav is not None and (folder := _generated(config)) is not None:
        pages = [file.src_uri for file in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)]
        config.nav = with_entries(config.nav, pages, folder)
    return files


@event_priority(-50)  # once every page has its title, in every process of a parallel build (after its swap)
def on_env(env: Any, config: Any, files: Any, **_: Any) -> Any:
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    titled(pages)
    if (folder := _generated(config)) is not None:
        in_title_order(pages, folder)
    return env


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any, **_: Any) -> dict[str, Any]:
    context["nav"] = sidebar(nav, page, pruned="navigation.prune" in config.theme.get("features", ()))
    return context
