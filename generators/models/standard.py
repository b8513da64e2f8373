"""Standards and guardrails: rules with a level and a way to check them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Part, Prose, Ref, Slug
from .compared import Items
from .framework import Crosswalk
from .relation import POINTS_AT


class Rule(Part):
    id: Slug
    level: Literal["must", "should", "may"]
    statement: Line
    rationale: Prose
    check: Prose = Field(description="How compliance is verified, by whom or by what automation.")


class Standard(Entry):
    kind = "standard"
    folder = "standards"
    label = "Standards and guardrails"
    singular = "Standard"
    blurb = "Rules every AI system follows, each with a level (must, should, may), its rationale and how compliance is checked."
    relations = {"related": POINTS_AT, "crosswalks": POINTS_AT}
    colour = "#FFE7BA"
    diff_fields = ()
    diff_items = (Items("rules", "rule", "id", tracked="level", shown="level"),)
    badges = {"draft": "proposed", "active": "current", "deprecated": "ended", "retired": "ended"}
    standalone = False
    skeleton = """status: draft
scope: |
  Which systems and teams this standard applies to.
rules:
  - id: first-rule
    level: must
    statement: State the rule in one sentence.
    rationale: |
      Why the rule exists.
    check: |
      How compliance is verified.
"""

    status: Literal["draft", "active", "deprecated", "retired"]
    scope: Prose
    rules: list[Rule] = Field(min_length=1)
    related: list[Ref("standard")] = Field(default_factory=list)
    crosswalks: list[Crosswalk] = Field(default_factory=list, description="The framework items (controls, "
                                        "subcategories, obligations) this standard addresses.")
