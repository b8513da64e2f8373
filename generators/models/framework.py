"""External frameworks (OWASP Top 10 for LLM Applications, MITRE ATLAS) as registries of ids and names."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Part, Prose
from .tool import WebUrl


class FrameworkItem(Part):
    id: Line = Field(description="The framework's own id, e.g. 'LLM01:2025' or 'AML.T0051'.")
    name: Line
    group: Line | None = Field(default=None, description="Tactic, category or kind of the item, as the framework gives it.")


class Framework(Entry):
    kind = "framework"
    folder = "frameworks"
    label = "Frameworks"
    singular = "Framework"
    blurb = "External catalogues that threats are mapped to, one entry per framework and version."
    relations = {}
    colour = "#E8E8E8"
    diff_fields = ()
    diff_items = ()
    badges = {"current": "current", "superseded": "ended"}
    standalone = False
    skeleton = """status: current
publisher: Who publishes the framework
version: "1.0"
url: https://example.com/framework
description: |
  What the framework catalogues and how threats cite it.
items:
  - id: ITEM-01
    name: The first item
"""

    status: Literal["current", "superseded"]
    publisher: Line
    version: Line
    url: WebUrl
    description: Prose
    items: list[FrameworkItem] = Field(min_length=1)
