"""`playbook new`: a valid skeleton entry to start from, and the id and author of a new ADR."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from ..dates import plus_days
from ..load.entries import load_catalog, schema_line
from ..models import BY_KIND
from ..models.team import Team

_BODIES = {
    "architecture": """status: draft
problem: |
  Describe the problem this architecture solves and for whom.
when_to_use:
  - Describe a situation this pattern fits.
when_not_to_use:
  - Describe a situation where another pattern is better.
components:
  - name: Component
    responsibility: What it does in the architecture.
data_flow:
  - The first step of a request.
nfrs:
  latency_budget:
    - "End to end: 1000 ms at p95"
  slos:
    - sli: Availability of the endpoint
      objective: 99.9% of requests succeed over 30 days
  cost_drivers:
    - What the bill grows with.
failure_modes:
  - failure: A dependency is unavailable
    fallback: What the system does instead
rollout: |
  How the architecture reaches production, stage by stage.
rollback: |
  How a bad release is undone, and how fast.
""",
    "standard": """status: draft
scope: |
  Which systems and teams this standard applies to.
rules:
  - id: first-rule
    level: must
    statement: State the rule in one sentence.
    rationale: |
      Why the rule exists.
    check: |
      How compliance is verified.
""",
    "kpi": """status: proposed
measures: |
  What is counted, and how.
rationale: |
  Why it matters.
unit: percent
target: State the target
frequency: monthly
owner: ai-architecture
""",
    "adr": """status: proposed
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
""",
    "adr-template": """status: draft
description: |
  When to use this template.
based_on: MADR 4.0
sections:
  - title: Context and problem statement
    guidance: |
      What to write in this section.
""",
    "checklist": """status: draft
purpose: |
  What the checklist verifies.
used_at: before production launch
items:
  - id: first-item
    title: State what must be true
    severity: major
    evidence: What a reviewer expects to see
""",
    "threat": """status: draft
description: |
  How the attack works against an AI system.
assets:
  - What the attacker is after
likelihood: medium
impact: high
mitigations:
  - control: The control that reduces the risk
""",
    "onboarding-kit": """status: draft
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
""",
    "tool": """status: active
category: Category
quadrant: delivery-and-operations
ring: assess
usage:
  - optional
rationale: |
  Why the tool sits in this ring.
""",
    "framework": """status: current
publisher: Who publishes the framework
version: "1.0"
url: https://example.com/framework
description: |
  What the framework catalogues and how threats cite it.
items:
  - id: ITEM-01
    name: The first item
""",
    "team": """status: active
type: team
description: |
  What the team does and what it owns in the playbook.
contact: "#team-channel on chat"
codeowners:
  - "@example-org/{entry_id}"
""",
    "initiative": """status: active
stage: discovery
description: |
  What the initiative delivers, for whom, and why now.
no_architecture_reason: Not chosen yet; decided at the first architecture review
""",
    "exception": """status: requested
standard: standard-id
rule: rule-id
initiative: initiative-id
reason: |
  Why the initiative cannot meet the rule yet, and what it does instead.
approved_by: Name of the approver
adr: adr-id
expires: {expires}
""",
    "incident-playbook": """status: draft
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
""",
}


#: The longest slug a title contributes to an ADR id.
SLUG_LENGTH = 60
_NUMBERED = re.compile(r"^(\d+)(?:-|$)")


def slugify(title: str, limit: int = SLUG_LENGTH) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if slug[limit] != "-" and "-" in cut else cut.rstrip("-")
    return slug


def next_adr_number(catalog_dir: Path) -> int:
    """One more than the highest number an ADR id starts with (`0007-...` gives 8); 1 when none is numbered."""
    numbers = [int(match.group(1)) for path in (catalog_dir / "adrs").glob("*.yaml")
               if (match := _NUMBERED.match(path.stem))]
    return max(numbers, default=0) + 1


def adr_id(catalog_dir: Path, title: str) -> str:
    """The id of a new ADR titled `title`: the next number, four digits at least, and a slug of the title.

    A title with no ASCII letter or digit gives 'NNNN-decision' (a bare '0009' would read as a number).
    """
    return f"{next_adr_number(catalog_dir):04d}-{slugify(title) or 'decision'}"


def default_owner(root: Path, catalog_dir: Path, kind: str) -> str | None:
    """The active team that owns the most valid entries of `kind` (the first by id on a tie), or the
    first active team when none owns one; None when the catalog has no active team."""
    catalog, _ = load_catalog(root, catalog_dir)
    teams = sorted(team.id for team in catalog.of_kind(Team) if isinstance(team, Team) and team.status == "active")
    owned = Counter(owner for entry in catalog.of_kind(BY_KIND[kind]) for owner in entry.owners)
    return min(teams, key=lambda team: (-owned[team], team), default=None)


def git_author(folder: Path) -> str | None:
    """`git config user.name` as seen from `folder`, or None when git or the setting is missing."""
    try:
        result = subprocess.run(["git", "-C", str(folder), "config", "user.name"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    name = " ".join(result.stdout.split())
    return name if result.returncode == 0 and name else None


def skeleton(kind: str, entry_id: str, title: str, owner: str, today: dt.date, deciders: str = "Name or team") -> str:
    """The text of a new entry that passes `playbook check`; `deciders` is the first decider of an ADR."""
    head = f"""{schema_line(kind)}
id: {entry_id}
title: {json.dumps(title, ensure_ascii=False)}
summary: One sentence that says what this entry is for.
owners:
  - {owner}
tags: []
last_reviewed: {today.isoformat()}
review_every: 6 months
"""
    expires = plus_days(today, 90) or dt.date.max
    return head + _BODIES[kind].format(today=today.isoformat(), entry_id=entry_id, expires=expires.isoformat(),
                                       deciders=json.dumps(deciders, ensure_ascii=False))


def new_entry(catalog_dir: Path, kind: str, entry_id: str, title: str, owner: str, today: dt.date,
              deciders: str = "Name or team") -> Path:
    """Write a skeleton entry; never overwrites an existing file."""
    model = BY_KIND[kind]
    path = catalog_dir / model.folder / f"{entry_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(skeleton(kind, entry_id, title, owner, today, deciders))
    return path
