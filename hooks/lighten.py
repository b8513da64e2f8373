"""MkDocs hook: a version being published is made lighter (generators/publish/lighten.py) before Pagefind indexes it.

It acts only in the build `playbook publish` has mike make, which PLAYBOOK_VERSION_PROVIDER=mike names
(generators/publish/mike.py): `playbook build`, `serve` and pull-request builds keep their pages as MkDocs wrote them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generators.forked import JOBS_ENV, jobs_setting
from generators.publish.lighten import lighten_site
from generators.publish.mike import PROVIDER_ENV

log = logging.getLogger("mkdocs.plugins.lighten")


@event_priority(-90)  # before hooks/search_index.py (-100): Pagefind reads the pages as they are published
def on_post_build(config: Any, **_: Any) -> None:
    if os.environ.get(PROVIDER_ENV) != "mike":
        return
    try:
        processes = jobs_setting(os.environ.get(JOBS_ENV))
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    report = lighten_site(Path(config.site_dir), processes)
    log.info("Lightened %d of %d pages for publishing: %.1f MB of HTML, %.1f MB before",
             report.rewritten, report.pages, report.after / 1e6, report.before / 1e6)
    for page in report.not_utf8:  # someone's own file, whole as it is: not worth failing a strict build for
        log.info("Left %s as it was: it is not UTF-8", page)
