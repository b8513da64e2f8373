"""AI threat model entries with mitigations and crosswalks to external frameworks."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, ItemRef, Line, Part, Prose, Ref


class Mitigation(Part):
    control: Line
    standards: list[Ref("standard")] = Field(default_factory=list)
    checklist_items: list[ItemRef] = Field(default_factory=list)


class Crosswalk(Part):
    """An item of a framework registry, cited by id and name; both must match the registry."""

    framework: Ref("framework")
    id: Line
    name: Line


class Threat(Entry):
    kind = "threat"
    folder = "threats"
    label = "Threat models"
    singular = "Threat"
    blurb = "AI-specific threats with likelihood, impact, mitigations and OWASP and MITRE ATLAS crosswalks."

    status: Literal["draft", "active", "retired"]
    description: Prose
    assets: list[Line] = Field(min_length=1, description="What the attacker is after.")
    likelihood: Literal["low", "medium", "high"]
    impact: Literal["low", "medium", "high", "critical"]
    mitigations: list[Mitigation] = Field(min_length=1)
    crosswalks: list[Crosswalk] = Field(default_factory=list)
