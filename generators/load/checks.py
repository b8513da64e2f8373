"""Checks that span fields or entries: ids, references, citations in prose, ADR links, ids inside an entry."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping

from ..dates import plus_interval
from ..diagnostics import Diagnostic, Path_, closest, format_path
from ..models import BY_KIND, Entry
from ..models.adr import Adr
from ..models.architecture import MAX_EDGES, MAX_NODES, Architecture, DiagramCluster
from ..models.checklist import Checklist
from ..models.common import Cites, Markdown
from ..models.crosswalks import crosswalks
from ..models.exception import StandardException
from ..models.framework import AI_ACT, Framework, item_anchor
from ..models.graph import Reference
from ..models.initiative import Initiative
from ..models.kpi import Kpi
from ..models.onboarding import OnboardingKit
from ..models.standard import Standard
from ..models.walk import marked
from ..reserved import id_clash
from ..text import line_citations, safe_link
from ..vocabulary import VIEW_TITLES, VOCABULARY
from .catalog import Catalog
from .citations import problem, unclosed
from .measured import measurement_problems

#: Records a problem: (entry id, path, message, hint, code).
Reporter = Callable[[str, Path_, str, str, str], None]


def check_catalog(catalog: Catalog, path_stems: dict[str, str]) -> list[Diagnostic]:
    """Every cross-field and cross-entry problem of a catalog of typed entries."""
    problems: list[Diagnostic] = []

    def report(entry_id: str, path: Path_, message: str, hint: str, code: str) -> None:
        document = catalog.documents[entry_id]
        mark = document.position(path)
        problems.append(Diagnostic(document.file, mark.line, mark.column, "error", message, format_path(path), hint, code))

    kinds = {**catalog.invalid, **{e.id: e.kind for e in catalog.entries.values()}}  # invalid entries still count as existing
    for entry_id, entry in catalog.entries.items():
        if path_stems[entry_id] != entry.id:
            report(entry_id, ("id",), f"id '{entry.id}' differs from the file name '{path_stems[entry_id]}.yaml'",
                   "an entry's id is its file name; rename the file or change the id", "id-file-name")
        if (clash := id_clash(entry.id)) is not None:
            report(entry_id, ("id",), *clash, "reserved-id")
        for path, message in _duplicate_ids(entry):
            report(entry_id, path, message, "ids inside an entry are unique", "duplicate-id")
        if plus_interval(entry.last_reviewed, entry.review_every) is None:
            report(entry_id, ("last_reviewed",),
                   f"{entry.last_reviewed.isoformat()} plus review_every {entry.review_every} is past the year 9999",
                   "write the date of the last review, such as today's", "review-date")
        _check_references(catalog, entry_id, kinds, report)
        if isinstance(entry, Adr):
            _check_adr(catalog, entry, report)
        if isinstance(entry, Architecture) and entry.diagram is not None:
            _check_diagram(entry, report)
        _check_crosswalks(catalog, entry, report)
        if isinstance(entry, StandardException):
            _check_exception(catalog, entry, report)
        if isinstance(entry, Initiative):
            _check_answers(catalog, entry, report)
            if entry.ai_act is not None and not isinstance(catalog.entries.get(AI_ACT), Framework):
                report(entry_id, ("ai_act", "tier"), f"the catalog holds no '{AI_ACT}' framework entry to compute "
                       "the tier's obligations from", f"add catalog/frameworks/{AI_ACT}.yaml, or drop ai_act",
                       "unresolved-reference")
        if isinstance(entry, Kpi):
            for path, message, hint in measurement_problems(entry):
                report(entry_id, path, message, hint, "measurement")
        if isinstance(entry, Framework):
            for path, message, hint in _framework_problems(entry):
                report(entry_id, path, message, hint, "framework")
        for path, _, text in marked(entry, Markdown):
            for url in catalog.prose.links(text):
                if not safe_link(url):
                    report(entry_id, path, f"link to '{url}' is not allowed in prose",
                           "prose links use http, https or mailto; cite an entry of the playbook as [[entry-id]]",
                           "unsafe-link")
            for citation in catalog.prose.citations(text):
                if (found := problem(catalog, citation, kinds)) is not None:
                    report(entry_id, path, *found, "unresolved-citation")
            for start in catalog.prose.unclosed(text):
                report(entry_id, path, *unclosed(start), "unresolved-citation")
        for path, _, text in marked(entry, Cites):
            for citation in line_citations(text):
                if (where := _uncited(path)) is not None:
                    report(entry_id, path, f"{where} cannot cite, as {citation.written} does: it is shown as plain "
                           "text", "name what you cite in words, and cite it in the entry's prose", "unresolved-citation")
                elif (found := problem(catalog, citation, kinds)) is not None:
                    report(entry_id, path, *found, "unresolved-citation")
    for entry_id, path, message in _duplicate_values(catalog):
        report(entry_id, path, message, "a named value has one home: cite it as [[value:name]] everywhere else",
               "duplicate-value")
    return problems


def _uncited(path: Path_) -> str | None:
    """What a field is, when its text is shown as typed (navigation and search, diagrams, a value wherever it is
    quoted, a source's link text) and a citation in it would show as typed; None where citations render."""
    if path == ("title",):
        return "a title"
    if path[0] == "values" and path[-1] != "rationale":
        return "a named value"
    return {"facts": "a source", "diagram": "a diagram label"}.get(str(path[0]))


def _duplicate_values(catalog: Catalog) -> Iterator[tuple[str, Path_, str]]:
    """A named value whose name an earlier entry (in id order) or an earlier value of the same entry already uses."""
    homes: dict[str, str] = {}
    for entry_id in sorted(catalog.entries):
        for index, value in enumerate(catalog.entries[entry_id].values):
            if value.name in homes:
                yield (entry_id, ("values", index, "name"),
                       f"the value '{value.name}' is already named in '{homes[value.name]}'")
            else:
                homes[value.name] = entry_id


def _first_seen(items: Iterable[tuple[Path_, str]], what: str) -> Iterator[tuple[Path_, str]]:
    seen: dict[str, Path_] = {}
    for path, value in items:
        if value in seen:
            yield path, f"duplicate {what} '{value}' (first used at {format_path(seen[value])})"
        else:
            seen[value] = path


def _duplicate_ids(entry: object) -> Iterator[tuple[Path_, str]]:
    if isinstance(entry, Standard):
        yield from _first_seen(((("rules", i, "id"), r.id) for i, r in enumerate(entry.rules)), "rule id")
    elif isinstance(entry, Checklist):
        yield from _first_seen(((("items", i, "id"), item.id) for i, item in enumerate(entry.items)), "item id")
    elif isinstance(entry, OnboardingKit):
        yield from _first_seen(((("phases", i, "id"), p.id) for i, p in enumerate(entry.phases)), "phase id")
        tasks = [(("phases", i, "tasks", j, "id"), t.id) for i, p in enumerate(entry.phases) for j, t in enumerate(p.tasks)]
        yield from _first_seen(tasks, "task id")
    elif isinstance(entry, Architecture) and entry.diagram is not None:
        nodes = ((("diagram", "nodes", i, "id"), n.id) for i, n in enumerate(entry.diagram.nodes))
        yield from _first_seen(nodes, "node id")


def _check_references(catalog: Catalog, entry_id: str, kinds: dict[str, str], report: Reporter) -> None:
    for ref in catalog.references[entry_id]:
        if (wrong := reference_problem(ref, kinds, catalog.entries)) is not None:
            report(entry_id, ref.path, *wrong)


def reference_problem(ref: Reference, kinds: Mapping[str, str], entries: Mapping[str, Entry]) -> tuple[str, str, str] | None:
    """(message, hint, code) when `ref` names no entry (`kinds`: every id, valid or not), one of another kind, or no
    item of its checklist."""
    wanted = ref.kind if ref.kind != "checklist-item" else "checklist"
    label = BY_KIND[wanted].noun() if wanted else "entry"
    target_id = ref.target_id
    found = kinds.get(target_id)
    if found is None:
        choices = [i for i, k in kinds.items() if wanted is None or k == wanted]
        return f"no {label} has the id '{target_id}'", closest(target_id, choices), "unresolved-reference"
    if wanted is not None and found != wanted:
        return (f"'{target_id}' is {_a(BY_KIND[found].noun())}, not {_a(label)}",
                f"this field lists {BY_KIND[wanted].label.lower()}", "wrong-kind")
    if ref.kind == "checklist-item" and isinstance(checklist := entries.get(target_id), Checklist):
        item_id = ref.target.split("#", 1)[1]
        items = [item.id for item in checklist.items]
        if item_id not in items:
            return f"checklist '{target_id}' has no item '{item_id}'", closest(item_id, items), "unresolved-reference"
    return None


def _a(noun: str) -> str:
    """A noun with its indefinite article: 'a standard', 'an owner', 'an ADR'."""
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


def _check_adr(catalog: Catalog, adr: Adr, report: Reporter) -> None:
    entries = catalog.entries
    titles = [option.title for option in adr.considered_options]
    if adr.outcome.chosen not in titles:
        report(adr.id, ("outcome", "chosen"), f"'{adr.outcome.chosen}' is not one of the considered options",
               closest(adr.outcome.chosen, titles) or f"options: {', '.join(titles)}", "adr-outcome")
    for index, old_id in enumerate(adr.supersedes):
        old = entries.get(old_id)
        if isinstance(old, Adr) and old.superseded_by != adr.id:
            report(adr.id, ("supersedes", index), f"'{old_id}' does not name '{adr.id}' in superseded_by",
                   f"add 'superseded_by: {adr.id}' to {catalog.files[old_id]}", "adr-supersede")
    if adr.superseded_by is not None:
        new = entries.get(adr.superseded_by)
        if isinstance(new, Adr) and adr.id not in new.supersedes:
            report(adr.id, ("superseded_by",), f"'{adr.superseded_by}' does not list '{adr.id}' in supersedes",
                   f"add '{adr.id}' to supersedes in {catalog.files[adr.superseded_by]}", "adr-supersede")
        if adr.status != "superseded":
            report(adr.id, ("status",), f"status is '{adr.status}' but the ADR is superseded by '{adr.superseded_by}'",
                   "set status: superseded", "adr-supersede")


def _clusters(clusters: list[DiagramCluster], path: Path_) -> Iterator[tuple[Path_, DiagramCluster]]:
    for index, cluster in enumerate(clusters):
        here = path + (index,)
        yield here, cluster
        yield from _clusters(cluster.clusters, here + ("clusters",))


def _check_diagram(entry: Architecture, report: Reporter) -> None:
    diagram = entry.diagram
    assert diagram is not None
    if len(diagram.nodes) > MAX_NODES:
        report(entry.id, ("diagram", "nodes"), f"{len(diagram.nodes)} nodes is more than a diagram may hold ({MAX_NODES})",
               "split the architecture into several diagrams", "diagram")
    if len(diagram.edges) > MAX_EDGES:
        report(entry.id, ("diagram", "edges"), f"{len(diagram.edges)} edges is more than a diagram may hold ({MAX_EDGES})",
               "split the architecture into several diagrams", "diagram")
    names = [component.name for component in entry.components]
    for index, node in enumerate(diagram.nodes):
        if node.component is not None and node.component.casefold() not in {name.casefold() for name in names}:
            report(entry.id, ("diagram", "nodes", index, "component"),
                   f"'{node.component}' is not one of this architecture's components", closest(node.component, names),
                   "diagram")
        path = ("diagram", "nodes", index, "kind")
        kind = VOCABULARY.get(node.kind)
        if kind is None:
            close = difflib.get_close_matches(node.kind, sorted(VOCABULARY), n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "see the diagram vocabulary in 'Contributing'"
            report(entry.id, path, f"unknown component kind '{node.kind}'", hint, "diagram")
            continue
        for provider in diagram.providers:
            if not kind.has_mapping(provider) and getattr(node.services, provider, None) is None:
                report(entry.id, path, f"'{node.kind}' has no {VIEW_TITLES[provider]} service",
                       f"name the service it runs on under services.{provider}, drop '{provider}' from "
                       "diagram.providers, or use another kind", "diagram")
    declared = [node.id for node in diagram.nodes]
    for index, edge in enumerate(diagram.edges):
        for key, node_id in (("from", edge.source), ("to", edge.target)):
            if node_id not in declared:
                report(entry.id, ("diagram", "edges", index, key), f"edge {key} '{node_id}', which is not a declared node",
                       closest(node_id, declared), "diagram")
    cluster_of: dict[str, Path_] = {}
    cluster_ids: dict[str, Path_] = {}
    for path, cluster in _clusters(diagram.clusters, ("diagram", "clusters")):
        if cluster.id in cluster_ids:
            report(entry.id, path + ("id",), f"duplicate cluster id '{cluster.id}' (first used at {format_path(cluster_ids[cluster.id])})",
                   "cluster ids are unique in a diagram", "diagram")
        cluster_ids.setdefault(cluster.id, path)
        for node_index, node_id in enumerate(cluster.nodes):
            here = path + ("nodes", node_index)
            if node_id not in declared:
                report(entry.id, here, f"cluster holds '{node_id}', which is not a declared node", closest(node_id, declared), "diagram")
            elif node_id in cluster_of:
                report(entry.id, here, f"'{node_id}' is already in the cluster at {format_path(cluster_of[node_id])}",
                       "a node belongs to one cluster; nest clusters to group groups", "diagram")
            else:
                cluster_of[node_id] = path


def _framework_problems(framework: Framework) -> Iterator[tuple[Path_, str, str]]:
    """Item ids that are not unique, or whose anchors on the alignment page are empty or collide; `applies_to` naming
    no item of the framework; a date without its standing."""
    anchors: dict[str, str] = {}
    ids = {item.id for item in framework.items}
    for index, item in enumerate(framework.items):
        anchor = item_anchor(item.id)
        if anchor == "item-":
            yield (("items", index, "id"), f"'{item.id}' has no letter or digit to link its row by",
                   "write the id the framework gives, with its letters and digits")
        elif anchor in anchors:
            yield (("items", index, "id"), f"'{item.id}' is the same id as '{anchors[anchor]}' once case and "
                   "punctuation are set aside", "ids of a framework are unique")
        else:
            anchors[anchor] = item.id
        for position, tier in enumerate(item.applies_to):
            if tier not in ids:
                yield (("items", index, "applies_to", position), f"'{tier}' is not an item of {framework.title}",
                       closest(tier, ids) or "name the ids of the items (risk tiers) the obligation binds")


def _check_crosswalks(catalog: Catalog, entry: Entry, report: Reporter) -> None:
    for path, crosswalk, _ in crosswalks(entry):
        framework = catalog.entries.get(crosswalk.framework)
        if not isinstance(framework, Framework):
            continue  # reported as a reference problem
        items = {item.id: item for item in framework.items}
        if crosswalk.id not in items:
            report(entry.id, (*path, "id"), f"'{crosswalk.id}' is not an id of {framework.title}",
                   closest(crosswalk.id, items), "crosswalk")
        elif crosswalk.name is not None and crosswalk.name not in items[crosswalk.id].names():
            name = items[crosswalk.id].name
            report(entry.id, (*path, "name"), f"{crosswalk.id} is named '{name}' in {framework.title}, not "
                   f"'{crosswalk.name}'", f"write name: {name}", "crosswalk")


def _check_exception(catalog: Catalog, exception: StandardException, report: Reporter) -> None:
    standard = catalog.entries.get(exception.standard)
    if isinstance(standard, Standard):
        rules = [rule.id for rule in standard.rules]
        if exception.rule not in rules:
            report(exception.id, ("rule",), f"standard '{standard.id}' has no rule '{exception.rule}'",
                   closest(exception.rule, rules) or f"rules: {', '.join(rules)}", "unresolved-reference")


def _check_answers(catalog: Catalog, initiative: Initiative, report: Reporter) -> None:
    for index, answered in enumerate(initiative.checklists):
        checklist = catalog.entries.get(answered.checklist)
        if not isinstance(checklist, Checklist):
            continue
        items = [item.id for item in checklist.items]
        seen: set[str] = set()
        for position, answer in enumerate(answered.answers):
            path = ("checklists", index, "answers", position, "item")
            if answer.item not in items:
                report(initiative.id, path, f"checklist '{checklist.id}' has no item '{answer.item}'",
                       closest(answer.item, items), "unresolved-reference")
            elif answer.item in seen:
                report(initiative.id, path, f"item '{answer.item}' is answered twice", "keep one answer", "duplicate-id")
            seen.add(answer.item)
