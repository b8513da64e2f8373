"""Onboarding kits: ordered phases of tasks through the playbook."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Part, Prose, Ref, Slug


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

    status: Literal["draft", "active", "retired"]
    audience: Line
    phases: list[Phase] = Field(min_length=1)
