"""The framework registries against the pinned reference tables (tests/fixtures/reference/, read from the sources
listed in its SOURCES file), their alignment pages, and the EU AI Act obligations the playbook computes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from test_citations import EDITIONS, edit, page

from generators.cli.main import main as playbook
from generators.load.catalog import Catalog
from generators.models.framework import Framework, FrameworkItem
from generators.models.initiative import AI_ACT_TIERS, Initiative
from generators.pipeline import check, check_edition
from generators.project import Project
from generators.resolve.ai_act import calendar, obligations
from generators.resolve.alignment import alignment

PINNED = REPO / "tests" / "fixtures" / "reference"
TODAY = dt.date(2026, 12, 2)


def table(name: str) -> list[dict[str, str]]:
    """The rows of a pinned table; a line starting with '#' is a comment."""
    lines = (PINNED / name).read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    found, report = check(Project(REPO), TODAY)
    assert report.errors == [], [d.text() for d in report.errors]
    return found


def registry(catalog: Catalog, framework_id: str) -> Framework:
    found = catalog.entries[framework_id]
    assert isinstance(found, Framework)
    return found


#: Each registry and its pinned table: (framework id, table, the table's column holding the name, group column).
PINNED_TABLES = [
    ("owasp-llm-2025", "owasp-llm-top10-2025.tsv", "name", None),
    ("owasp-agentic-2026", "owasp-agentic-top10-2026.tsv", "name", None),
    ("nist-ai-600-1", "nist-ai-600-1-risks.tsv", "name", None),
    ("nist-ai-rmf-1-0", "nist-ai-rmf-1.0.tsv", "text", "function"),
    ("iso-iec-42001-2023", "iso-iec-42001-annex-a.tsv", "title", None),
]


@pytest.mark.parametrize(("framework_id", "file", "name", "group"), PINNED_TABLES, ids=[t[0] for t in PINNED_TABLES])
def test_a_registry_holds_exactly_the_pinned_ids_and_names(catalog: Catalog, framework_id: str, file: str, name: str,
                                                           group: str | None) -> None:
    rows = table(file)
    framework = registry(catalog, framework_id)
    assert [(item.id, item.name) for item in framework.items] == [(row["id"], row[name]) for row in rows]
    if group:
        assert [item.group for item in framework.items] == [row[group] for row in rows]


def test_the_registries_have_the_sizes_their_sources_state(catalog: Catalog) -> None:
    sizes = {framework_id: len(registry(catalog, framework_id).items) for framework_id, *_ in PINNED_TABLES}
    assert sizes == {"owasp-llm-2025": 10, "owasp-agentic-2026": 10, "nist-ai-600-1": 12, "nist-ai-rmf-1-0": 91,
                     "iso-iec-42001-2023": 38}


def test_the_atlas_registry_holds_the_pinned_techniques_under_their_names(catalog: Catalog) -> None:
    pinned = {row["id"]: row["name"] for row in table("mitre-atlas-techniques.tsv")}
    names = {item.id: item.name for item in registry(catalog, "mitre-atlas-5-6").items}
    assert {i: n for i, n in names.items() if pinned.get(i) != n} == {}


def test_the_name_variants_the_sources_list_are_accepted(catalog: Catalog) -> None:
    """The reference README: '&' and 'and' both in OWASP Agentic names, ASI05 with or without '(RCE)', GAI-06 with
    'or' and 'and'."""
    agentic = {item.id: item.names() for item in registry(catalog, "owasp-agentic-2026").items}
    assert "Tool Misuse & Exploitation" in agentic["ASI02"] and "Identity & Privilege Abuse" in agentic["ASI03"]
    assert "Memory and Context Poisoning" in agentic["ASI06"]
    assert {"Unexpected Code Execution (RCE)", "Unexpected Code Execution"} <= set(agentic["ASI05"])
    gai = {item.id: item.names() for item in registry(catalog, "nist-ai-600-1").items}
    assert {"Harmful Bias or Homogenization", "Harmful Bias and Homogenization"} <= set(gai["GAI-06"])


def test_the_ai_act_registry_holds_every_adopted_and_superseded_date_of_the_pinned_table(catalog: Catalog) -> None:
    act = registry(catalog, "eu-ai-act")
    pinned = set()
    for row in table("eu-ai-act-milestones.tsv"):
        standing = re.match(r"\[(original date; superseded|adopted)", row["what"])
        if standing:
            pinned.add((row["date"], "superseded" if "superseded" in standing[1] else "adopted"))
    recorded = {(item.date.isoformat(), item.standing) for item in act.items
                if item.date and not item.applies_to and item.standing != "proposed"}
    assert recorded == pinned
    assert {item.id for item in act.items if item.group == "Risk tier"} == set(AI_ACT_TIERS)
    for item in act.items:
        assert set(item.applies_to) <= set(AI_ACT_TIERS), item.id
        if item.applies_to and item.standing == "adopted":
            assert (item.date.isoformat(), "adopted") in pinned, item.id


def test_every_crosswalk_in_the_bundled_catalog_names_an_item_of_its_registry(catalog: Catalog) -> None:
    """`check` passes on the bundled catalog, so every crosswalk id and name matches; and each registry is cited."""
    cited = {row.item.id for framework in catalog.of_kind(Framework) for row in alignment(catalog, framework)
             if row.addressed_by}
    assert cited, "no framework item is addressed"
    for framework in catalog.of_kind(Framework):
        assert any(row.addressed_by for row in alignment(catalog, framework)), framework.id


def test_the_alignment_page_lists_every_item_and_what_addresses_it(catalog: Catalog) -> None:
    framework = registry(catalog, "owasp-llm-2025")
    text = page(catalog, framework.id)
    rows = [line for line in text.splitlines() if line.startswith("| <span id=\"item-")]
    assert len(rows) == 10
    assert all("not addressed" not in row for row in rows)
    assert "(../threats/prompt-injection.md)" in next(row for row in rows if "LLM01&#58;2025" in row)
    rmf = page(catalog, "nist-ai-rmf-1-0")
    gaps = [row for row in alignment(catalog, registry(catalog, "nist-ai-rmf-1-0"))
            if row.addressable and not row.addressed_by]
    assert rmf.count("| **not addressed** |") == len(gaps)


def initiative(catalog: Catalog, tier: str, answered: bool) -> Initiative:
    """A copy of a bundled initiative in `tier`, having answered every item that cites an obligation, or none."""
    data = catalog.entries["support-copilot"].model_dump(by_alias=True)
    data.update(ai_act={"tier": tier, "reasoning": "Test."}, checklists=[])
    unanswered = Initiative.model_validate(data)
    evidence: dict[str, list[dict[str, str]]] = {}
    for checklist_id, item_id in (ref.split("#") for o in obligations(catalog, unanswered, TODAY) for ref in o.evidence):
        evidence.setdefault(checklist_id, []).append({"item": item_id, "state": "done" if answered else "open",
                                                      "evidence": "https://example.com/evidence"})
    data.update(checklists=[{"checklist": c, "answers": a} for c, a in evidence.items()])
    return Initiative.model_validate(data)


def test_a_high_risk_initiative_has_obligations_in_force_and_coming_by_date(catalog: Catalog) -> None:
    high = obligations(catalog, initiative(catalog, "high-risk", answered=False), TODAY)
    states = {o.item.id: o.state for o in high}
    assert states["art-4"] == "in force"
    assert states["art-50-1"] == "in force"                  # since 2 August 2026
    assert states["chapter-iii-annex-iii"] == "coming"       # 2 December 2027, as amended
    assert states["chapter-iii-annex-iii-original"] == "superseded"
    assert "art-53" not in states                            # a provider of a general-purpose model's duty
    after = {o.item.id: o.state for o in obligations(catalog, initiative(catalog, "high-risk", False),
                                                     dt.date(2027, 12, 2))}
    assert after["chapter-iii-annex-iii"] == "in force"


def test_an_obligation_is_evidenced_only_when_every_item_citing_it_is_answered(catalog: Catalog) -> None:
    open_ = obligations(catalog, initiative(catalog, "transparency", answered=False), TODAY)
    done = obligations(catalog, initiative(catalog, "transparency", answered=True), TODAY)
    art_50 = [o for o in done if o.item.id == "art-50-1"]
    assert art_50 and art_50[0].evidence, "no checklist item cites Art. 50(1)"
    assert all(o.missing for o in open_ if o.state != "superseded")
    assert all(not o.missing for o in done if o.evidence)


def test_the_calendar_shows_superseded_dates_as_such(catalog: Catalog) -> None:
    cal = calendar(catalog, TODAY)
    assert cal is not None
    superseded = [m for m in cal.milestones if m.standing == "superseded"]
    assert [m.date.isoformat() for m in superseded] == ["2026-08-02", "2027-08-02"]


def test_review_reports_a_high_risk_initiative_missing_its_obligations(project: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    edit(project, "catalog/initiatives/support-copilot.yaml", lambda data: data.update(
        ai_act={"tier": "high-risk", "reasoning": "Decides which customers get a refund (an essential service)."},
        checklists=[]))
    status = playbook(["--root", str(project), "--today", "2026-12-02", "review", "support-copilot", "--format", "json",
                       "--fail-on-blockers"])
    report = json.loads(capsys.readouterr().out)["ai_act"]
    assert report["tier"] == "high-risk"
    by_id = {o["id"]: o for o in report["obligations"]}
    assert by_id["chapter-iii-annex-iii"] == {"id": "chapter-iii-annex-iii", "state": "coming", "from": "2027-12-02",
                                              "evidence": by_id["chapter-iii-annex-iii"]["evidence"],
                                              "evidenced": False}
    assert by_id["art-50-1"]["state"] == "in force" and not by_id["art-50-1"]["evidenced"]
    assert status == 1  # an obligation in force without evidence fails the review in CI


def test_an_obligation_needs_every_item_done_not_some_and_not_waived(catalog: Catalog) -> None:
    """One evidence item open, or one marked not applicable, leaves a legal obligation unevidenced."""
    done = initiative(catalog, "high-risk", answered=True)
    duties = {o.item.id: o for o in obligations(catalog, done, TODAY)}
    several = next(o for o in duties.values() if len(o.evidence) >= 2 and o.state != "superseded")
    assert several.evidenced
    first = several.evidence[0].split("#")
    data = done.model_dump(by_alias=True)
    for answer_state, extra in (("open", {}), ("not-applicable", {"reason": "Does not apply to us.", "evidence": None})):
        for group in data["checklists"]:
            for answer in group["answers"]:
                if (group["checklist"], answer["item"]) == tuple(first):
                    answer.update(state=answer_state, **extra)
        changed = Initiative.model_validate(data)
        again = {o.item.id: o for o in obligations(catalog, changed, TODAY)}
        assert not again[several.item.id].evidenced, answer_state


def test_an_edition_drops_crosswalks_to_framework_items_it_leaves_out(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "fixtures" / "minimal" / "catalog", root / "catalog")
    (root / "playbook.toml").write_text(EDITIONS, encoding="utf-8")
    edit(root, "catalog/frameworks/sample-framework.yaml", lambda data: data["items"].append(
        {"id": "ITEM-02", "name": "A restricted item", "visibility": "restricted"}))
    crosswalk = [{"framework": "sample-framework", "id": "ITEM-01"}, {"framework": "sample-framework", "id": "ITEM-02"}]
    edit(root, "catalog/standards/sample-standard.yaml", lambda data: data.update(crosswalks=crosswalk))
    edit(root, "catalog/checklists/sample-checklist.yaml", lambda data: data["items"][0].update(crosswalks=crosswalk))
    for audience in ("public", "internal"):
        result, report = check_edition(Project(root), audience, today=TODAY)
        assert result is not None, [d.text() for d in report.errors]
        standard, checklist = result.catalog.entries["sample-standard"], result.catalog.entries["sample-checklist"]
        assert [c.id for c in standard.crosswalks] == [c.id for c in checklist.items[0].crosswalks] == ["ITEM-01"]
        pages = page(result.catalog, "sample-standard") + page(result.catalog, "sample-checklist")
        assert "ITEM-01" in pages and "ITEM-02" not in pages


def test_a_dated_item_says_whether_its_date_is_law() -> None:
    with pytest.raises(ValueError, match="standing"):
        FrameworkItem.model_validate({"id": "art-1", "name": "A duty", "date": "2026-08-02"})
    assert FrameworkItem.model_validate({"id": "art-1", "name": "A duty", "date": "2026-08-02",
                                         "standing": "proposed"}).standing == "proposed"


def test_check_reports_an_active_initiative_without_a_tier(project: Path) -> None:
    path = project / "catalog" / "initiatives" / "churn-scoring.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("ai_act:")], encoding="utf-8")
    _, report = check(Project(project), TODAY)
    assert [(d.file, d.code) for d in report.diagnostics if d.code == "ai-act-untiered"] == [
        ("catalog/initiatives/churn-scoring.yaml", "ai-act-untiered")]
