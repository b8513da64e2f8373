"""Field types and the base model every catalog kind shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from .compared import Items
from .relation import OWNED_BY, Relation

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r\n\u2028\u2029\ufffe\uffff]*$"
INTERVAL_PATTERN = r"^[1-9][0-9]{0,2} (?:day|week|month|year)s?$"
ITEM_REF_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$"
PERIOD_PATTERN = r"^[0-9]{4}-(?:Q[1-4]|0[1-9]|1[0-2])$"

#: Human wording for pattern mismatches, keyed by the pattern.
PATTERN_MESSAGES = {
    SLUG_PATTERN: "must be a lowercase slug of letters, digits and single hyphens, for example 'rag-assistant'",
    LINE_PATTERN: "must be a single line of text, without control characters",
    INTERVAL_PATTERN: "must be a review interval such as '90 days', '6 months' or '1 year'",
    ITEM_REF_PATTERN: "must name a checklist item as 'checklist-id#item-id'",
    PERIOD_PATTERN: "must be a quarter such as '2026-Q3' or a month such as '2026-09'",
}


def _text_only(value: Any) -> Any:
    """Refuse numbers and booleans where text is meant instead of coercing them."""
    if isinstance(value, bool | int | float):
        raise ValueError("expected text")
    return value


def _date_only(value: Any) -> Any:
    """Accept ISO dates only (not Unix timestamps, which pydantic would otherwise take)."""
    if isinstance(value, bool | int | float):
        raise ValueError(f"expected a date written as YYYY-MM-DD, got {value!r}")
    return value


@dataclass(frozen=True)
class Markdown:
    """Marks a text field whose Markdown formatting renders on the site."""


@dataclass(frozen=True)
class Cites:
    """Marks a line of plain text whose citations (`[[entry-id]]`, `[[value:name]]`) render as links on the site."""


Slug = Annotated[str, BeforeValidator(_text_only), StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Line = Annotated[
    str,
    BeforeValidator(_text_only),
    StringConstraints(pattern=LINE_PATTERN, min_length=1, max_length=300, strip_whitespace=True),
    Cites(),
]

#: A long single line, such as a framework's statement of a control.
Statement = Annotated[str, BeforeValidator(_text_only),
                      StringConstraints(pattern=LINE_PATTERN, min_length=1, max_length=1_000, strip_whitespace=True),
                      Cites()]


Prose = Annotated[str, BeforeValidator(_text_only), StringConstraints(min_length=1, max_length=20_000), Markdown()]
Interval = Annotated[str, BeforeValidator(_text_only), StringConstraints(pattern=INTERVAL_PATTERN)]
#: A web address: http or https, with no space, quote or angle bracket that would end it in a page.
WEB_URL = r"https?://[^\s<>\"']+"
WebUrl = Annotated[str, BeforeValidator(_text_only), StringConstraints(pattern=f"^{WEB_URL}$", max_length=500)]
Date = Annotated[dt.date, BeforeValidator(_date_only)]


@dataclass(frozen=True)
class RefTo:
    """Marks a string field as a reference to an entry of `kind` (`None`: any kind)."""

    kind: str | None


def Ref(kind: str | None) -> Any:  # noqa: N802 - reads as a type in model declarations
    """A reference to the id of an entry of `kind`."""
    return Annotated[str, BeforeValidator(_text_only), StringConstraints(pattern=SLUG_PATTERN), RefTo(kind)]


ItemRef = Annotated[
    str, BeforeValidator(_text_only), StringConstraints(pattern=ITEM_REF_PATTERN), RefTo("checklist-item")
]


class Model(BaseModel):
    """Strict base: unknown keys are errors, values are immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


#: The badges a status can wear (classes `pb-badge--NAME` of the site's stylesheet).
BADGES = ("current", "proposed", "paused", "ended", "other")

VISIBILITY = "Who may read this: a visibility level declared in playbook.toml (public, internal, restricted by default)."


class Part(Model):
    """An item of a list inside an entry; it can be narrower in visibility than the entry that holds it."""

    visibility: Slug | None = Field(default=None, description=VISIBILITY + " Defaults to the entry's.")


def _number_or_text(value: Any) -> Any:
    """Refuse booleans, which YAML reads from yes and no, where a value is meant."""
    if isinstance(value, bool):
        raise ValueError("expected a number or text")
    return value


class NamedValue(Part):
    """A value stated once, at home in the entry that owns it; its owners are the entry's owners."""

    name: Slug = Field(description="Unique in the whole catalog; prose cites it as [[value:name]].")
    value: Annotated[int | float | Line, BeforeValidator(_number_or_text)] = Field(
        description="The number (or words, such as 'P0 and P1') a citation shows.")
    unit: Line | None = Field(default=None, description="What the number counts, e.g. 'tool calls', 'minutes', "
                                                        "'percentage points'; shown after it.")
    shown: Line | None = Field(default=None, description="How a citation writes the value when '<value> <unit>' reads "
                                                         "badly, e.g. '$0.50'.")
    rationale: Line = Field(description="Why this value, in one sentence.")

    def text(self) -> str:
        """What a citation of the value shows: `shown`, else the value and its unit."""
        if self.shown:
            return self.shown
        number = f"{self.value:,}" if isinstance(self.value, int | float) else self.value
        return f"{number} {self.unit}" if self.unit else str(number)


class Entry(Model):
    """Fields every catalog entry has."""

    kind: ClassVar[str]
    folder: ClassVar[str]
    label: ClassVar[str]
    singular: ClassVar[str]
    blurb: ClassVar[str]
    #: The relation each field holding references carries, by field name (`owners`, common to all, is declared here).
    relations: ClassVar[dict[str, Relation]]
    #: The fill of the kind's boxes in relation graphs, light enough for dark labels in both palettes.
    colour: ClassVar[str]
    #: Fields whose change a diff spells out besides `status` (anything else is 'text revised').
    diff_fields: ClassVar[tuple[str, ...]]
    #: List fields a diff compares item by item.
    diff_items: ClassVar[tuple[Items, ...]]
    #: The badge of each status, one of BADGES: how the site colours it.
    badges: ClassVar[dict[str, str]]
    #: Whether an entry of the kind stands on its own (an entry point, the radar, KPIs): never reported as an orphan.
    standalone: ClassVar[bool]
    #: What `playbook new` writes after the common fields: YAML that passes `playbook check`, where
    #: {today}, {expires} (90 days on), {entry_id} and {deciders} stand for the new entry's values.
    skeleton: ClassVar[str]
    #: The folder that holds the kind's page template `<kind>.md.j2`; None: the package's own templates.
    templates: ClassVar[str | None] = None

    @classmethod
    def noun(cls) -> str:
        """The kind's name inside a sentence: 'reference architecture', 'ADR template'."""
        return " ".join(word if word.isupper() else word.lower() for word in cls.singular.split())

    @classmethod
    def relation(cls, field: str) -> Relation:
        """The relation a reference written in `field` carries."""
        return OWNED_BY if field == "owners" else cls.relations[field]

    id: Slug = Field(description="Stable id; equals the file name without '.yaml'.")
    title: Line
    summary: Line = Field(description="One sentence shown in index tables and search results.")
    owners: list[Ref("team")] = Field(min_length=1, description="Ids of the teams or people accountable for this entry.")
    tags: list[Slug] = Field(default_factory=list)
    last_reviewed: Date
    review_every: Interval = Field(description="How often the entry is reviewed, e.g. '6 months'.")
    visibility: Slug | None = Field(default=None, description=VISIBILITY + " Defaults to the level playbook.toml sets for the kind.")
    values: list[NamedValue] = Field(
        default_factory=list,
        description="Values this entry is the home of (a budget, a threshold, a tolerance): prose anywhere cites one as "
                    "[[value:name]] instead of repeating it.")
    field_visibility: dict[Slug, Slug] = Field(
        default_factory=dict,
        description="Fields narrower in visibility than the entry, e.g. {rationale: internal}; their level, by field name.")
