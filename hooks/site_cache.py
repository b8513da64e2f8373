"""MkDocs hook: pages whose inputs are the last build's are taken from the page cache instead of being converted
and rendered again (generators/site/page_cache.py). PLAYBOOK_SITE_CACHE=off builds every page afresh."""

from __future__ import annotations

import os
from typing import Any

from mkdocs.plugins import event_priority

from generators.site.page_cache import PageCache, enabled, started

_cache: PageCache | None = None

@event_priority(-90)  # after the plugins' own navigation, before hooks/parallel_build.py forks (-100)
def on_nav(nav: Any, config: Any, files: Any, **_: Any) -> Any:
    global _cache
    if _cache is not None:
        _cache.stop()
    _cache = started(config, files) if enabled(os.environ) else None
    return nav

@event_priority(-10_000)  # last: the context as every other plugin left it is what the page's template is given
def on_page_context(context: Any, page: Any, **_: Any) -> Any:
    if _cache is not None:
        _cache.capture(context, page)
    return context

@event_priority(0)  # after hooks/parallel_build.py has waited for its workers (200)
def on_post_build(config: Any, **_: Any) -> None:
    global _cache
    if _cache is not None:
        cache, _cache = _cache, None
        cache.finish()

def on_build_error(**_: Any) -> None:
    global _cache
    if _cache is not None:
        cache, _cache = _cache, None
        cache.stop()
