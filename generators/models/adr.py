"""Architecture decision records (MADR-compatible) and their templates."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Date, Entry, Line, Model, Part, Prose, Ref
from .relation import SUPERSEDED_BY, SUPERSEDES, USES


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
    relations = {"supersedes": SUPERSEDES, "superseded_by": SUPERSEDED_BY, "template": USES}
    colour = "#EFDBFF"
    diff_fields = ("superseded_by",)
    diff_items = ()
    badges = {"proposed": "proposed", "accepted": "current", "rejected": "ended", "deprecated": "ended", "superseded": "ended"}
    standalone = False
    skeleton = """status: proposed
date: {today}
deciders:
  - {deciders}
context: |
  The context and the problem to decide.
considered_options:
  - title: First option
    pros:
      - A good consequence.
    cons:
      - A bad consequence.
outcome:
  chosen: First option
  justification: |
    Why this option was chosen.
"""

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
    relations = {}
    colour = "#F4EBFF"
    diff_fields = ()
    diff_items = ()
    badges = {"draft": "proposed", "active": "current", "deprecated": "ended"}
    standalone = False
    skeleton = """status: draft
description: |
  When to use this template.
based_on: MADR 4.0
sections:
  - title: Context and problem statement
    guidance: |
      What to write in this section.
"""

    status: Literal["draft", "active", "deprecated"]
    description: Prose
    based_on: Line
    sections: list[TemplateSection] = Field(min_length=1)
