"""Checklists: items with stable ids that enforce standards."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Part, Prose, Ref, Slug
from .compared import Items
from .framework import Crosswalk
from .relation import ENFORCES, POINTS_AT


class Item(Part):
    id: Slug = Field(description="Stable id; other entries cite it as 'checklist-id#item-id'.")
    title: Line
    severity: Literal["blocker", "major", "minor"]
    evidence: Line = Field(description="What a reviewer expects to see.")
    enforces: list[Ref("standard")] = Field(default_factory=list)
    crosswalks: list[Crosswalk] = Field(default_factory=list, description="The framework items (controls, "
                                        "subcategories, obligations) this item checks.")


class Checklist(Entry):
    kind = "checklist"
    folder = "checklists"
    label = "Checklists"
    singular = "Checklist"
    blurb = "Items with stable ids and the evidence a reviewer expects, each enforcing standards."
    relations = {"items": ENFORCES, "items.crosswalks": POINTS_AT}
    colour = "#D9F7BE"
    diff_fields = ()
    diff_items = (Items("items", "item", "id", shown="title"),)
    badges = {"draft": "proposed", "active": "current", "deprecated": "ended"}
    standalone = False
    skeleton = """status: draft
purpose: |
  What the checklist verifies.
used_at: before production launch
items:
  - id: first-item
    title: State what must be true
    severity: major
    evidence: What a reviewer expects to see
"""

    status: Literal["draft", "active", "deprecated"]
    purpose: Prose
    used_at: Line = Field(description="The moment the checklist is used, e.g. 'before production launch'.")
    items: list[Item] = Field(min_length=1)
