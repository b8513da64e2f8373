"""The EU AI Act in practice: for an initiative's risk tier and a day, the obligations in force and those coming,
from the application dates pinned in the `eu-ai-act` framework entry, and whether the initiative evidences each
through the checklist items that cite it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..load.catalog import Catalog
from ..models.framework import AI_ACT, Framework, FrameworkItem
from ..models.initiative import Initiative
from .alignment import cited_by
from .portfolio import statuses

State = Literal["in force", "coming", "superseded"]


@dataclass(frozen=True)
class Obligation:
    """One obligation of an initiative's tier: whether it applies yet, the checklist items that evidence it, and
    whether the initiative answered all of them."""

    item: FrameworkItem
    state: State
    evidence: list[str]
    evidenced: bool

    @property
    def missing(self) -> bool:
        """An obligation that is or will be law, which the initiative does not evidence yet."""
        return self.state != "superseded" and not self.evidenced


def registry(catalog: Catalog) -> Framework | None:
    found = catalog.entries.get(AI_ACT)
    return found if isinstance(found, Framework) else None


def state(item: FrameworkItem, today: dt.date) -> State | None:
    """Where an obligation stands on `today`; None for one that is not law (proposed) or has no date."""
    if item.date is None or item.standing == "proposed":
        return None
    if item.standing == "superseded":
        return "superseded"
    return "in force" if item.date <= today else "coming"


def obligations(catalog: Catalog, initiative: Initiative, today: dt.date) -> list[Obligation]:
    """The obligations of the initiative's tier by date (superseded ones shown as such); none without a tier."""
    act = registry(catalog)
    if act is None or initiative.ai_act is None:
        return []
    cited = cited_by(catalog, act)
    # answered done: a legal obligation is not evidenced by an item marked not applicable
    done = {f"{s.checklist.id}#{item}" for s in statuses(catalog, initiative)
            for item, answer in s.answers.items() if answer.state == "done"}
    out = []
    for item in act.items:
        where = state(item, today)
        if initiative.ai_act.tier not in item.applies_to or where is None:
            continue
        refs = [ref for ref in cited[item.id] if "#" in ref]  # the checklist items that evidence it
        out.append(Obligation(item, where, refs, bool(refs) and all(ref in done for ref in refs)))
    return sorted(out, key=lambda o: (o.item.date or dt.date.max, o.item.id))


def format_obligations(initiative: Initiative, found: list[Obligation]) -> str:
    """The EU AI Act part of a review, for a terminal."""
    if initiative.ai_act is None:
        return "EU AI Act: no risk tier recorded (set ai_act: tier and reasoning)"
    lines = [f"EU AI Act: tier {initiative.ai_act.tier}"]
    for obligation in found:
        item = obligation.item
        mark = ("evidenced" if obligation.evidenced else
                "superseded" if obligation.state == "superseded" else
                "MISSING: no checklist item cites it" if not obligation.evidence else
                f"MISSING: answer {', '.join(obligation.evidence)}")
        lines.append(f"  {obligation.state} from {item.date}: {item.id}  {mark}")
    return "\n".join(lines)


def obligations_dict(initiative: Initiative, found: list[Obligation]) -> dict[str, object]:
    return {"tier": initiative.ai_act.tier if initiative.ai_act else None,
            "obligations": [{"id": o.item.id, "state": o.state, "from": o.item.date.isoformat() if o.item.date else None,
                             "evidence": o.evidence, "evidenced": o.evidenced} for o in found]}


@dataclass(frozen=True)
class Calendar:
    """The Act's dated milestones and, for every initiative, its tier's obligations on one day."""

    act: Framework
    today: dt.date
    milestones: list[FrameworkItem]
    initiatives: list[tuple[Initiative, list[Obligation]]]

    @property
    def missing(self) -> int:
        """Obligations in force or coming that initiatives do not evidence yet."""
        return sum(o.missing for _, duties in self.initiatives for o in duties)

    @property
    def untiered(self) -> list[Initiative]:
        return [initiative for initiative, _ in self.initiatives if initiative.ai_act is None]


def calendar(catalog: Catalog, today: dt.date) -> Calendar | None:
    """The calendar of the Act as of `today`; None when the catalog (or edition) holds no `eu-ai-act` entry."""
    act = registry(catalog)
    if act is None:
        return None
    milestones = sorted((item for item in act.items if item.date and not item.applies_to), key=lambda i: (i.date, i.id))
    initiatives = sorted((e for e in catalog.entries.values() if isinstance(e, Initiative) and e.status != "retired"),
                         key=lambda e: e.id)
    return Calendar(act, today, milestones, [(i, obligations(catalog, i, today)) for i in initiatives])
