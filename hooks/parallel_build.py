"""MkDocs hook: build a large site on every core (see generators/site/parallel_build.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from generators.project import CACHE_DIR
from generators.site.parallel_build import ShardedBuild, started
from generators.write.lock import SCRATCH

_command: str | None = None
_build: ShardedBuild | None = None


def on_startup(command: str, dirty: bool, **_: Any) -> None:
    global _command
    _command = None if dirty else command


@event_priority(-100)  # after every other plugin has seen the files and the navigation
def on_nav(nav: Any, config: Any, files: Any, **_: Any) -> Any:
    global _build
    if _command == "build":
        _build = started(config, files, Path(config.config_file_path).parent / CACHE_DIR / SCRATCH)
    return nav


@event_priority(200)  # before the tags plugin fills its listings from the pages' content
def on_env(env: Any, config: Any, files: Any, **_: Any) -> Any:
    if _build is not None:
        _build.swap(config, files)
    return env


@event_priority(200)  # before hooks/search_index.py indexes the written site
def on_post_build(config: Any, **_: Any) -> None:
    global _build
    if _build is not None:
        build, _build = _build, None
        build.finish()  # stops and reaps the workers, and cleans up, whatever happens


def on_build_error(error: Exception, **_: Any) -> None:
    global _build
    if _build is None:
        return
    if _build.parent is not None:  # a worker: it shows its error and leaves; the main process reports it
        _build.fail()
    build, _build = _build, None
    build.close(kill=True)
