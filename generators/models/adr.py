"""Architecture decision records (MADR-compatible) and their templates."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from .common import LINE_PATTERN, Date, Entry, Line, Model, Part, Prose, Ref, _text_only
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


#: A single line of plain text that cites nothing: a repository's address or a path in it.
Address = Annotated[str, BeforeValidator(_text_only),
                    StringConstraints(pattern=LINE_PATTERN, min_length=1, max_length=1_000, strip_whitespace=True)]


class ImportedFrom(Model):
    """Where an imported record came from; importing the same record again finds its entry by it."""

    repository: Address = Field(description="The repository's remote address without scheme, user or '.git' "
                                            "(git.example.com/team/decisions), the name given with --source, or the "
                                            "name of its folder when it has no remote.")
    path: Address = Field(description="The record's path inside the repository, with '/' between folders.")


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
    source: ImportedFrom | None = Field(default=None, description="Where `playbook import adr` read the record; empty for "
                                                            "a record written in the catalog.")


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
