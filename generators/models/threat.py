"""AI threat model entries with mitigations and external crosswalks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .common import Entry, ItemRef, Line, Model, Prose, Ref

#: Checked against the reference lists in generators/data by `playbook check`.
OwaspId = Annotated[str, StringConstraints(min_length=1, max_length=20)]
AtlasId = Annotated[str, StringConstraints(min_length=1, max_length=20)]


class Mitigation(Model):
    control: Line
    standards: list[Ref("standard")] = Field(default_factory=list)
    checklist_items: list[ItemRef] = Field(default_factory=list)


class ExternalIds(Model):
    owasp_llm: list[OwaspId] = Field(default_factory=list, description="OWASP Top 10 for LLM Applications 2025.")
    mitre_atlas: list[AtlasId] = Field(default_factory=list, description="MITRE ATLAS technique or mitigation ids.")


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
    external_ids: ExternalIds = Field(default_factory=ExternalIds)
