"""Incident playbooks for AI failure modes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Entry, Line, Prose, Ref
from .relation import APPLIES, MEASURED_BY


class IncidentPlaybook(Entry):
    kind = "incident-playbook"
    folder = "incidents"
    label = "Incident playbooks"
    singular = "Incident playbook"
    blurb = "What to do when an AI system fails: signals, first actions, escalation and recovery."
    relations = {"threats": APPLIES, "kpis": MEASURED_BY}
    colour = "#FFF1B8"
    diff_fields = ()
    diff_items = ()
    badges = {"draft": "proposed", "active": "current", "retired": "ended"}
    standalone = False
    skeleton = """status: draft
severity: P2
trigger: |
  What starts this playbook.
detection_signals:
  - The alert or signal that shows the problem
immediate_actions:
  - The first thing to do
escalation:
  - Who to call, and when
recovery:
  - How service is restored
follow_up:
  - What happens after the incident
"""

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
