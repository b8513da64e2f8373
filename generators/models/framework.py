"""External frameworks (OWASP's Top 10 lists, MITRE ATLAS, NIST AI RMF and AI 600-1, ISO/IEC 42001 Annex A, the EU AI
Act) as registries of ids and names, and the crosswalks that cite them."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from .common import Date, Entry, Line, Part, Prose, Ref, Statement, WebUrl

#: The framework entry that holds the EU AI Act's risk tiers, milestones and obligations.
AI_ACT = "eu-ai-act"


def item_anchor(item_id: str) -> str:
    """The fragment of a framework item's row on its framework's page: 'GOVERN 1.1' is 'item-govern-1-1'."""
    return "item-" + re.sub(r"[^a-z0-9]+", "-", item_id.lower()).strip("-")


class Crosswalk(Part):
    """An item of a framework registry, cited by id (and, where the framework names items briefly, by name); both
    must match the registry."""

    framework: Ref("framework")
    id: Line
    name: Statement | None = None


class FrameworkItem(Part):
    id: Line = Field(description="The framework's own id, e.g. 'LLM01:2025' or 'AML.T0051'.")
    name: Statement
    aliases: list[Statement] = Field(default_factory=list, description="Other spellings the framework itself uses for the "
                                "name (e.g. '&' for 'and'); a crosswalk may cite any of them.")
    group: Line | None = Field(default=None, description="Tactic, category or kind of the item, as the framework gives it.")
    date: Date | None = Field(default=None, description="When the item applies, for a regulation's milestones and "
                              "obligations.")
    standing: Literal["adopted", "superseded", "proposed"] | None = Field(
        default=None, description="Whether a date is law ('adopted'), replaced by a later act ('superseded') or not law "
                                  "yet ('proposed').")
    applies_to: list[Line] = Field(default_factory=list, description="The ids of the items (risk tiers) an obligation "
                                   "applies to.")

    @model_validator(mode="after")
    def _dated_with_standing(self) -> FrameworkItem:
        if self.date is not None and self.standing is None:
            raise ValueError("a dated item says whether the date is adopted, superseded or proposed (standing)")
        return self

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


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
