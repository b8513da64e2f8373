"""MkDocs hook: sanitise the HTML of the generated pages (those under docs/playbook/)."""

from __future__ import annotations

from typing import Any

from generators.project import OUTPUT_DIR
from generators.site.sanitize import sanitize

_PREFIX = OUTPUT_DIR.split("/", 1)[1] + "/"


def on_page_content(html: str, page: Any, **_: Any) -> str:
    return sanitize(html) if page.file.src_uri.startswith(_PREFIX) else html
