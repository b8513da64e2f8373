"""Architecture decision records (MADR-compatible) and their templates."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Date, Entry, Line, Model, Part, Prose, Ref


class Option(Part):
    title: Line
    description: Prose | None = None
    pros: list[Line] = Field(default_factory=list)
    cons: list[Line] = Field(default_factory=list)


class Outcome(Model):
    chosen: Line = Field(description="The title of the chosen option.")
    justification: Prose


class Consequences(Model):
    good: list[Line] = Field(default_factory=list)
    bad: list[Line] = Field(default_factory=list)
    neutral: list[Line] = Field(default_factory=list)


class Adr(Entry):
    kind = "adr"
    folder = "adrs"
    label = "Architecture decision records"
    singular = "ADR"
    blurb = "Decisions with their context, the options considered and their consequences."

    status: Literal["proposed", "accepted", "rejected", "deprecated", "superseded"]
    date: Date
    deciders: list[Line] = Field(min_length=1)
    consulted: list[Line] = Field(default_factory=list)
    informed: list[Line] = Field(default_factory=list)
    context: Prose = Field(description="Context and problem statement.")
    decision_drivers: list[Line] = Field(default_factory=list)
    considered_options: list[Option] = Field(min_length=1)
    outcome: Outcome
    consequences: Consequences = Field(default_factory=Consequences)
    confirmation: Prose | None = None
    supersedes: list[Ref("adr")] = Field(default_factory=list)
    superseded_by: Ref("adr") | None = None
    template: Ref("adr-template") | None = None


class TemplateSection(Part):
    title: Line
    guidance: Prose
    required: bool = True


class AdrTemplate(Entry):
    kind = "adr-template"
    folder = "adr-templates"
    label = "ADR templates"
    singular = "ADR template"
    blurb = "Templates for writing decision records, section by section."

    status: Literal["draft", "active", "deprecated"]
    description: Prose
    based_on: Line
    sections: list[TemplateSection] = Field(min_length=1)
