"""Governance rules: checks computed from the relation graph and the calendar, each with a code teams can tune.

The codes and their default severities are below; `playbook.toml` at the project root overrides them:

    [rules]
    orphan = "off"              # "error", "warning" or "off"
    standard-unenforced = "error"
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..config import CONFIG_FILE, Config
from ..dates import plus_interval
from ..diagnostics import Diagnostic, Path_, Severity, closest, format_path
from ..models import Entry
from ..models.adr import Adr
from ..models.architecture import Architecture, node_drawing
from ..models.exception import StandardException
from ..models.graph import Graph
from ..models.incident import IncidentPlaybook
from ..models.initiative import Initiative
from ..models.kpi import Kpi
from ..models.relation import SUPERSEDED_BY, SUPERSEDES
from ..models.standard import Standard
from ..models.threat import Threat
from ..models.tool import Tool
from .catalog import Catalog
from .tags import near_duplicates

#: Every governance rule: its code, default severity and what it catches.
RULES: dict[str, tuple[Severity | None, str]] = {
    "threat-unmitigated": ("warning", "a threat with no mitigation pointing at a standard or a checklist item"),
    "standard-unenforced": ("warning", "a standard that no checklist item enforces"),
    "depends-on-ended": ("warning", "a current entry referencing a deprecated, superseded, retired or rejected one"),
    "superseded-without-successor": ("error", "a superseded ADR that does not name its successor"),
    "orphan": ("warning", "an entry that nothing in the catalog links to"),
    "review-overdue": ("warning", "an entry whose last review is older than its review cadence"),
    "exception-expired": ("error", "an approved exception past its expiry date"),
    "hidden-reference": ("warning", "with --audience: a visible entry pointing at an entry or item that edition leaves out"),
    "component-not-drawn": ("warning", "an architecture component that its diagram does not draw"),
    "near-duplicate-tag": ("warning", "two tags that are probably one: a plural, a hyphen or, in long tags, one letter apart"),
    "uses-tool-on-hold": ("error", "an approved architecture that uses a tool in the radar's hold ring"),
    "uses-tool-in-assess": ("warning", "an approved architecture that uses a tool still in the radar's assess ring"),
    "uses-ended-tool": ("error", "a current entry referencing a retired tool or one whose vendor discontinued it"),
    "ring-usage-mismatch": ("error", "a tool whose usage its ring forbids (common outside adopt, optional in hold) or a "
                                     "discontinued tool outside hold"),
    "facts-stale": ("warning", "a tool whose facts were never checked, or a tool's or architecture's facts checked more "
                               "than 12 months ago"),
    "incident-threat-link": ("warning", "an incident playbook linking no threat, or a high or critical threat that no "
                                        "incident playbook handles"),
    "kpi-untestable": ("warning", "a KPI without a data source or a goal, or whose target has no number to test against"),
    "measurement-unsourced": ("warning", "a KPI measurement that names no source"),
    "ai-act-untiered": ("warning", "an active initiative that records no EU AI Act risk tier"),
}

#: How long checked facts stay fresh.
FACTS_FRESH_FOR = "12 months"
#: Usage each radar ring forbids: the playbook's definitions (the radar page states them).
FORBIDDEN_USAGE = {"trial": {"common"}, "assess": {"common"}, "hold": {"common", "optional"}}

CURRENT = {"approved", "active", "accepted", "current"}
ENDED = {"deprecated", "superseded", "retired", "rejected"}


@dataclass
class Policy:
    """The severity of every rule for one project, and the date reviews and expiries are judged on."""

    today: dt.date
    severities: dict[str, Severity | None] = field(default_factory=lambda: {c: s for c, (s, _) in RULES.items()})
    problems: list[Diagnostic] = field(default_factory=list)


def load_policy(config: Config, today: dt.date, strict_reviews: bool = False) -> Policy:
    """The rule settings of playbook.toml; `strict_reviews` makes overdue reviews errors."""
    policy = Policy(today)
    if config.problem:
        policy.problems.append(Diagnostic(CONFIG_FILE, 1, 1, "error", config.problem, "", "", "config"))
    for code, value in config.table("rules").items():
        if code not in RULES:
            policy.problems.append(Diagnostic(CONFIG_FILE, 1, 1, "error", f"unknown rule '{code}'", f"rules.{code}",
                                              closest(code, RULES) or f"rules: {', '.join(RULES)}", "config"))
        elif value not in ("error", "warning", "off"):
            policy.problems.append(Diagnostic(CONFIG_FILE, 1, 1, "error", f"{value!r} is not one of error, warning, off",
                                              f"rules.{code}", "", "config"))
        else:
            policy.severities[code] = None if value == "off" else value
    if strict_reviews:
        policy.severities["review-overdue"] = "error"
    return policy


def next_review(entry: Entry) -> dt.date:
    """The date an entry's next review is due; 9999-12-31 when that is past the calendar (a check error)."""
    return plus_interval(entry.last_reviewed, entry.review_every) or dt.date.max


def overdue(entry: Entry, today: dt.date) -> bool:
    return next_review(entry) < today


def active_exception(exception: StandardException, today: dt.date) -> bool:
    return exception.status == "approved" and exception.expires >= today


def findings(catalog: Catalog, graph: Graph, today: dt.date) -> Iterator[tuple[str, str, Path_, str, str]]:
    """(code, entry id, path, message, hint) for every governance problem, whatever its severity."""
    entries = catalog.entries
    enforced = {ref.target_id for refs in graph.incoming.values() for ref in refs if ref.source_kind == "checklist"}
    for entry in entries.values():
        if isinstance(entry, Threat):
            cited = [m for m in entry.mitigations if m.standards or m.checklist_items]
            if not cited:
                yield ("threat-unmitigated", entry.id, ("mitigations",), "no mitigation points at a standard or a checklist item",
                       "name the standard or checklist item that carries each control")
        if isinstance(entry, Standard) and entry.status in CURRENT and entry.id not in enforced:
            yield ("standard-unenforced", entry.id, ("id",), "no checklist item enforces this standard",
                   "add the standard to the 'enforces' list of the checklist items that check it")
        if isinstance(entry, Adr) and entry.status == "superseded" and entry.superseded_by is None:
            yield ("superseded-without-successor", entry.id, ("status",), "status is 'superseded' but superseded_by is not set",
                   "name the ADR that replaces this one in superseded_by")
        if entry.status in CURRENT:
            tools_seen = set()  # a tool named in several places (components, tools, diagram) is reported once
            for ref in graph.outgoing.get(entry.id, []):
                target = entries[ref.target_id]
                if isinstance(target, Tool):
                    if target.id not in tools_seen:
                        tools_seen.add(target.id)
                        yield from _tool_use(entry, ref.path, target, today)
                elif target.status in ENDED and ref.relation not in (SUPERSEDES, SUPERSEDED_BY):
                    yield ("depends-on-ended", entry.id, ref.path,
                           f"'{entry.id}' is {entry.status} but references {target.status} '{target.id}'",
                           f"point at the entry that replaces '{target.id}', or drop the reference")
        if not entry.standalone and not graph.referenced_by(entry.id):
            yield ("orphan", entry.id, ("id",), f"nothing in the catalog links to this {entry.noun()}",
                   "reference it from the entries it belongs with, or retire it")
        if entry.status not in ENDED and overdue(entry, today):
            yield ("review-overdue", entry.id, ("last_reviewed",),
                   f"review was due on {next_review(entry).isoformat()} (reviewed {entry.last_reviewed.isoformat()}, "
                   f"every {entry.review_every})", "review the entry and update last_reviewed")
        if isinstance(entry, Architecture) and entry.diagram is not None:
            for index, component in enumerate(entry.components):
                if node_drawing(entry.diagram, component.name) is None:
                    yield ("component-not-drawn", entry.id, ("components", index, "name"),
                           f"the diagram does not draw the component '{component.name}'",
                           f"add a node for it, or name it on the node that draws it (component: {component.name})")
        if isinstance(entry, StandardException) and entry.status == "approved" and entry.expires < today:
            yield ("exception-expired", entry.id, ("expires",), f"the exception expired on {entry.expires.isoformat()}",
                   "renew it with a new approval and expiry, or close it")
        yield from _kind_findings(entry, graph, today)
    yield from _tag_findings(entries)


#: A quantity in a sentence: a digit that does not end a name such as 'Tier-1' or 'P0'.
_QUANTITY = re.compile(r"(?<![\w-])\d")


def states_a_number(target: str) -> bool:
    """Whether a KPI target states a quantity to test a measurement against ('≥ 90%', 'median ≤ 10 days')."""
    return _QUANTITY.search(target) is not None


def _ended(tool: Tool, today: dt.date) -> str | None:
    """How a tool has ended, if it has: retired here, or discontinued by its vendor."""
    if tool.status == "retired":
        return "retired"
    if tool.discontinued is not None and tool.discontinued <= today:
        return f"discontinued by its vendor on {tool.discontinued.isoformat()}"
    return None


def _tool_use(entry: Entry, path: Path_, tool: Tool, today: dt.date) -> Iterator[tuple[str, str, Path_, str, str]]:
    """What is wrong with a current entry using `tool`: the tool has ended, or an approved architecture uses a tool
    the radar does not yet (assess) or no longer (hold) recommends."""
    if (ended := _ended(tool, today)) is not None:
        yield ("uses-ended-tool", entry.id, path, f"'{entry.id}' is {entry.status} but uses '{tool.id}', {ended}",
               f"replace '{tool.id}' with a current tool, or retire this {entry.noun()}")
    elif isinstance(entry, Architecture) and tool.ring in ("hold", "assess"):
        code = "uses-tool-on-hold" if tool.ring == "hold" else "uses-tool-in-assess"
        yield (code, entry.id, path, f"approved architecture uses '{tool.id}', which the radar places in {tool.ring}",
               "use a tool in adopt or trial, or move the tool's ring with the evidence that justifies it")


def _kind_findings(entry: Entry, graph: Graph, today: dt.date) -> Iterator[tuple[str, str, Path_, str, str]]:
    """The rules about one kind's own fields: tools' rings and facts, incident playbooks and threats, KPIs."""
    if isinstance(entry, Tool):
        for usage in sorted(set(entry.usage) & FORBIDDEN_USAGE.get(entry.ring, set())):
            yield ("ring-usage-mismatch", entry.id, ("usage", entry.usage.index(usage)),
                   f"usage '{usage}' is not allowed in the {entry.ring} ring",
                   "common use belongs in adopt, and hold allows only context-specific use; change the ring or the usage")
        if entry.discontinued is not None and entry.discontinued <= today and entry.ring != "hold":
            yield ("ring-usage-mismatch", entry.id, ("ring",),
                   f"the vendor discontinued '{entry.id}' on {entry.discontinued.isoformat()}, but its ring is {entry.ring}",
                   "move it to hold and say in the rationale what replaces it")
    if isinstance(entry, Tool | Architecture) and entry.status not in ENDED:
        facts = entry.facts
        if facts is None and isinstance(entry, Tool):
            yield ("facts-stale", entry.id, ("id",), "no record of when this tool's facts were checked, or against what",
                   "add facts: with checked: <date> and the sources you checked them against")
        elif facts is not None and (plus_interval(facts.checked, FACTS_FRESH_FOR) or dt.date.max) < today:
            yield ("facts-stale", entry.id, ("facts", "checked"),
                   f"facts were last checked on {facts.checked.isoformat()}, more than {FACTS_FRESH_FOR} ago",
                   "check them against current sources, fix what changed and update facts.checked")
    if isinstance(entry, IncidentPlaybook) and entry.status != "retired" and not entry.threats:
        yield ("incident-threat-link", entry.id, ("threats",) if "threats" in entry.model_fields_set else ("id",),
               "this incident playbook links no threat", "name the threats whose realisation it handles in threats")
    if isinstance(entry, Threat) and entry.status == "active" and entry.impact in ("high", "critical"):
        handled = any(ref.source_kind == IncidentPlaybook.kind for ref in graph.incoming.get(entry.id, []))
        if not handled:
            yield ("incident-threat-link", entry.id, ("impact",),
                   f"impact is {entry.impact} but no incident playbook handles this threat",
                   "link it from the threats of the incident playbook that responds to it, or write one")
    if isinstance(entry, Initiative) and entry.status == "active" and entry.ai_act is None:
        yield ("ai-act-untiered", entry.id, ("id",), "this initiative records no EU AI Act risk tier",
               "record ai_act: tier and reasoning, confirmed by privacy-legal (standard ai-act-classification)")
    if isinstance(entry, Kpi) and entry.status != "retired":
        if entry.data_source is None:
            yield ("kpi-untestable", entry.id, ("id",), "this KPI names no data source",
                   "say where the measurement comes from in data_source")
        for index, measurement in enumerate(entry.measurements):
            if measurement.source is None:
                yield ("measurement-unsourced", entry.id, ("measurements", index),
                       f"the {measurement.period} value names no source", "say where the value comes from in source")
        if entry.goal is None:
            yield ("kpi-untestable", entry.id, ("target",), "this KPI states no goal to test its measurements against",
                   "add goal: the comparison and the number its target states")
        if not states_a_number(entry.target):
            yield ("kpi-untestable", entry.id, ("target",), f"the target '{entry.target}' has no number to test against",
                   f"state the target as a number in the unit ({entry.unit})")


def _uses(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _tag_findings(entries: dict[str, Entry]) -> Iterator[tuple[str, str, Path_, str, str]]:
    """A near-duplicate-tag finding per tag that looks like a more used one, at the first entry using the rarer tag."""
    used: dict[str, list[tuple[str, int]]] = defaultdict(list)  # tag: (entry id, index in its tags), in id order
    for entry in sorted(entries.values(), key=lambda e: e.id):
        for index, tag in enumerate(entry.tags):
            used[tag].append((entry.id, index))
    counts = {tag: len(places) for tag, places in used.items()}
    for rarer, kept in near_duplicates(counts):
        (entry_id, index), *others = used[rarer]
        named = ", ".join(other for other, _ in others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        where = f" here and in {named}" if others else ""
        hint = (f"keep '{kept}', the more used: write it instead of '{rarer}'{where}" if counts[kept] > counts[rarer]
                else "both are used as often: choose one and write it in every entry tagged with the other")
        yield ("near-duplicate-tag", entry_id, ("tags", index),
               f"tag '{rarer}' (used {_uses(counts[rarer])}) looks like '{kept}' (used {_uses(counts[kept])})", hint)


#: Rules that judge the whole catalog (what it lacks, how often a tag is used): meaningless while some entries are invalid.
WHOLE_CATALOG = {"orphan", "standard-unenforced", "near-duplicate-tag"}


def check_governance(catalog: Catalog, graph: Graph, policy: Policy, complete: bool = True) -> list[Diagnostic]:
    """The governance findings at the severity the project chose; rules switched off report nothing.

    When some entries failed validation (`complete` false), rules about what the catalog lacks are skipped.
    """
    out = list(policy.problems)
    for code, entry_id, path, message, hint in findings(catalog, graph, policy.today):
        severity = policy.severities[code]
        if severity is None or (code in WHOLE_CATALOG and not complete):
            continue
        document = catalog.documents[entry_id]
        mark = document.position(path)
        out.append(Diagnostic(document.file, mark.line, mark.column, severity, f"{message} [{code}]",
                              format_path(path), hint, code))
    return out

