"""Onboarding kits: ordered phases of tasks through the playbook."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Part, Prose, Ref, Slug
from .relation import POINTS_AT


class Task(Part):
    id: Slug
    title: Line
    entry: Ref(None) | None = Field(default=None, description="The catalog entry the task works through.")
    done_when: Line


class Phase(Part):
    id: Slug
    title: Line
    goal: Prose
    tasks: list[Task] = Field(min_length=1)


class OnboardingKit(Entry):
    kind = "onboarding-kit"
    folder = "onboarding"
    label = "Onboarding kits"
    singular = "Onboarding kit"
    blurb = "Ordered paths through the playbook for people joining a team."
    relations = {"phases": POINTS_AT}
    colour = "#E4F7D2"
    diff_fields = ()
    diff_items = ()
    badges = {"draft": "proposed", "active": "current", "retired": "ended"}
    standalone = True
    skeleton = """status: draft
audience: Who the kit is for
phases:
  - id: days-1-30
    title: Days 1-30
    goal: |
      What the newcomer achieves in this phase.
    tasks:
      - id: first-task
        title: The first task
        done_when: How the newcomer knows it is done
"""

    status: Literal["draft", "active", "retired"]
    audience: Line
    phases: list[Phase] = Field(min_length=1)
