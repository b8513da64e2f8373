"""Incident playbooks for AI failure modes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Prose, Ref


class IncidentPlaybook(Entry):
    kind = "incident-playbook"
    folder = "incidents"
    label = "Incident playbooks"
    singular = "Incident playbook"
    blurb = "What to do when an AI system fails: signals, first actions, escalation and recovery."

    status: Literal["draft", "active", "retired"]
    severity: Literal["P0", "P1", "P2", "P3"] = Field(description="Default severity when the trigger fires.")
    trigger: Prose
    detection_signals: list[Line] = Field(min_length=1)
    immediate_actions: list[Line] = Field(min_length=1)
    escalation: list[Line] = Field(min_length=1)
    recovery: list[Line] = Field(min_length=1)
    follow_up: list[Line] = Field(min_length=1)
    threats: list[Ref("threat")] = Field(default_factory=list)
    kpis: list[Ref("kpi")] = Field(default_factory=list)
