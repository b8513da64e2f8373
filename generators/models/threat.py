"""AI threat model entries with mitigations and crosswalks to external frameworks."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, ItemRef, Line, Part, Prose, Ref
from .framework import Crosswalk
from .relation import MITIGATED_BY, POINTS_AT


class Mitigation(Part):
    control: Line
    standards: list[Ref("standard")] = Field(default_factory=list)
    checklist_items: list[ItemRef] = Field(default_factory=list)


class Threat(Entry):
    kind = "threat"
    folder = "threats"
    label = "Threat models"
    singular = "Threat"
    blurb = "AI-specific threats with likelihood, impact, mitigations and OWASP and MITRE ATLAS crosswalks."
    relations = {"mitigations": MITIGATED_BY, "crosswalks": POINTS_AT}
    colour = "#FFD6D6"
    diff_fields = ()
    diff_items = ()
    badges = {"draft": "proposed", "active": "current", "retired": "ended"}
    standalone = False
    skeleton = """status: draft
description: |
  How the attack works against an AI system.
assets:
  - What the attacker is after
likelihood: medium
impact: high
mitigations:
  - control: The control that reduces the risk
"""

    status: Literal["draft", "active", "retired"]
    description: Prose
    assets: list[Line] = Field(min_length=1, description="What the attacker is after.")
    likelihood: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high", "critical"]
    mitigations: list[Mitigation] = Field(min_length=1)
    crosswalks: list[Crosswalk] = Field(default_factory=list)
