"""The owners registry: teams and people that own catalog entries."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .common import Entry, Line, Prose

#: A GitHub user or team handle as CODEOWNERS expects it: @user or @org/team.
Handle = Annotated[str, StringConstraints(pattern=r"^@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]


class Team(Entry):
    kind = "team"
    folder = "teams"
    label = "Owners"
    singular = "Owner"
    blurb = "The teams and people who own catalog entries, declared once and referenced by id."
    relations = {}
    colour = "#EDEDED"
    diff_fields = ()
    diff_items = ()
    badges = {"active": "current", "retired": "ended"}
    standalone = True
    skeleton = """status: active
type: team
description: |
  What the team does and what it owns in the playbook.
contact: "#team-channel on chat"
codeowners:
  - "@example-org/{entry_id}"
"""

    status: Literal["active", "retired"]
    type: Literal["team", "person"] = "team"
    description: Prose
    contact: Line = Field(description="Where to reach the owner: a channel, a mailing list or an address.")
    codeowners: list[Handle] = Field(min_length=1, description="Handles that review pull requests on owned files.")
