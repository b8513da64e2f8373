"""Time-boxed exceptions to a standard's rule, granted to one initiative."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Date, Entry, Line, Prose, Ref, Slug
from .relation import EXEMPTS_FROM, POINTS_AT


class StandardException(Entry):
    kind = "exception"
    folder = "exceptions"
    label = "Exceptions"
    singular = "Exception"
    blurb = "Time-boxed exceptions to standards: which rule, for which initiative, why, approved by whom, until when."
    relations = {"standard": EXEMPTS_FROM, "initiative": POINTS_AT, "adr": POINTS_AT}
    colour = "#F5F5F5"
    diff_fields = ()
    diff_items = ()
    badges = {"requested": "proposed", "approved": "current", "rejected": "ended", "closed": "other"}
    standalone = True
    skeleton = """status: requested
standard: standard-id
rule: rule-id
initiative: initiative-id
reason: |
  Why the initiative cannot meet the rule yet, and what it does instead.
approved_by: Name of the approver
adr: adr-id
expires: {expires}
"""

    status: Literal["requested", "approved", "rejected", "closed"]
    standard: Ref("standard")
    rule: Slug = Field(description="The id of the rule within the standard.")
    initiative: Ref("initiative")
    reason: Prose
    compensating_controls: list[Line] = Field(default_factory=list)
    approved_by: Line
    adr: Ref("adr") = Field(description="The decision record that documents the exception.")
    expires: Date
