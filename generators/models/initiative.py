"""AI initiatives of the portfolio and their answers to the checklists that apply."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, model_validator

from .common import Date, Entry, Line, Model, Part, Prose, Ref, Slug, WebUrl
from .relation import ANSWERS, APPLIES, FOLLOWS


class Answer(Part):
    item: Slug = Field(description="The id of the checklist item.")
    state: Literal["done", "not-applicable", "open"]
    evidence: WebUrl | None = Field(default=None, description="Where a reviewer sees that the item is done.")
    reason: Line | None = Field(default=None, description="Why the item does not apply, or what is missing.")

    @model_validator(mode="after")
    def _explained(self) -> Answer:
        if self.state == "done" and self.evidence is None:
            raise ValueError("a done item needs evidence: a link a reviewer can open")
        if self.state == "not-applicable" and self.reason is None:
            raise ValueError("a not-applicable item needs a reason")
        return self


class ChecklistAnswers(Part):
    checklist: Ref("checklist")
    answers: list[Answer] = Field(default_factory=list, description="Items not answered count as open.")


class Review(Model):
    submitted: Date | None = None
    decided: Date | None = None
    decision: Literal["approved", "approved-with-conditions", "changes-requested", "rejected"] | None = None


#: The EU AI Act risk tiers an initiative can fall in: the ids of the tier items of the `eu-ai-act` framework entry.
AiActTier = Literal["prohibited", "high-risk", "transparency", "gpai", "minimal"]
AI_ACT_TIERS = get_args(AiActTier)


class AiAct(Model):
    """Where an initiative falls under the EU AI Act, and why; the privacy and legal team confirms it."""

    tier: AiActTier = Field(
        description="The risk tier, an id of a tier of the eu-ai-act framework entry.")
    reasoning: Prose = Field(description="Why this tier: the use, the people affected, the Annex III area or Art. 50 "
                                         "case that applies or does not.")


class Initiative(Entry):
    kind = "initiative"
    folder = "initiatives"
    label = "Initiatives"
    singular = "Initiative"
    blurb = "The AI initiatives under architecture review, with their evidence against the checklists that apply."
    relations = {"architecture": FOLLOWS, "adrs": APPLIES, "checklists": ANSWERS}
    colour = "#FFE0F0"
    diff_fields = ()
    diff_items = ()
    badges = {"active": "current", "paused": "paused", "retired": "ended"}
    standalone = True
    skeleton = """status: active
stage: discovery
description: |
  What the initiative delivers, for whom, and why now.
no_architecture_reason: Not chosen yet; decided at the first architecture review
"""

    status: Literal["active", "paused", "retired"]
    stage: Literal["discovery", "build", "pilot", "production"]
    description: Prose
    architecture: Ref("architecture") | None = None
    no_architecture_reason: Line | None = Field(default=None, description="Why no reference architecture fits.")
    adrs: list[Ref("adr")] = Field(default_factory=list)
    review: Review = Field(default_factory=Review)
    checklists: list[ChecklistAnswers] = Field(default_factory=list)
    ai_act: AiAct | None = Field(default=None, description="The initiative's EU AI Act risk tier and the reasoning; the "
                                 "playbook computes the obligations in force and coming from it.")

    @model_validator(mode="after")
    def _architecture_or_reason(self) -> Initiative:
        if self.architecture is None and self.no_architecture_reason is None:
            raise ValueError("name the reference architecture followed, or give no_architecture_reason")
        return self
