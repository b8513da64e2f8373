"""Governance computed from the catalog: review dates, KPIs from initiatives, gap reports, CODEOWNERS, pages."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generators.cli.main import main
from generators.load.governance import next_review
from generators.models import BY_KIND
from generators.models.initiative import Initiative
from generators.models.kpi import Kpi
from generators.pipeline import check, generate_pages
from generators.project import Project
from generators.resolve.portfolio import business_days, compute, gap_report, target_bound

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
TODAY = dt.date(2026, 11, 25)
HEAD = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
COMMON = """owners: [platform-team]
last_reviewed: 2026-11-01
review_every: 6 months
"""


def write(root: Path, folder: str, kind: str, entry_id: str, body: str) -> None:
    path = root / "catalog" / folder / f"{entry_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD.format(kind=kind) + f"id: {entry_id}\ntitle: {entry_id}\nsummary: s\n" + COMMON + body)


def initiative(root: Path, entry_id: str, stage: str, answers: str, architecture: bool = True,
               submitted: str = "", decided: str = "") -> None:
    review = ""
    if submitted:
        review = f"review:\n  submitted: {submitted}\n" + (f"  decided: {decided}\n  decision: approved\n" if decided else "")
    arch = "architecture: sample-architecture\n" if architecture else "no_architecture_reason: Nothing fits yet\n"
    write(root, "initiatives", "initiative", entry_id, f"status: active\nstage: {stage}\ndescription: d\n{arch}{review}"
          + (f"checklists:\n  - checklist: sample-checklist\n    answers:\n{answers}" if answers else ""))


DONE = "      - item: first-item\n        state: done\n        evidence: https://example.com/e\n"
OPEN = "      - item: first-item\n        state: open\n"
NA = "      - item: first-item\n        state: not-applicable\n        reason: no users yet\n"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """Five initiatives whose KPIs can be worked out by hand (see each test)."""
    shutil.copytree(MINIMAL / "catalog", tmp_path / "catalog")
    initiative(tmp_path, "alpha", "production", DONE, submitted="2026-06-01", decided="2026-06-12")  # Mon → Fri+1wk: 9 days
    initiative(tmp_path, "beta", "production", OPEN, submitted="2026-07-06", decided="2026-07-08")   # 2 days
    initiative(tmp_path, "gamma", "pilot", NA, submitted="2026-08-03", decided="2026-08-31")       # 20 days
    initiative(tmp_path, "delta", "build", "", architecture=False, submitted="2026-09-01")          # undecided
    initiative(tmp_path, "epsilon", "discovery", "", architecture=False)
    for kpi_id, target, computed in [
        ("adoption", "60–80% adoption within 6–12 months", "method: architecture-adoption"),
        ("readiness", "≥ 90% before production launch",
         "method: checklist-complete\n  checklist: sample-checklist\n  stages: [pilot, production]"),
        ("evidence", "≥ 50% of production services",
         "method: items-done\n  items: ['sample-checklist#first-item']\n  stages: [production]"),
        ("cycle", "Median ≤ 10 business days", "method: review-cycle-time"),
    ]:
        write(tmp_path, "kpis", "kpi", kpi_id, "status: active\nmeasures: m\nrationale: r\nunit: percent\n"
              f"target: {target}\nfrequency: monthly\nowner: o\ncomputed:\n  {computed}\n")
    return tmp_path


def kpi_values(root: Path) -> dict[str, object]:
    catalog, report = check(Project(root), TODAY)
    assert report.errors == [], [d.text() for d in report.errors]
    return {k.id: compute(catalog, k) for k in catalog.of_kind(Kpi)}


def test_adoption_counts_initiatives_with_a_reference_architecture(portfolio: Path) -> None:
    value = kpi_values(portfolio)["adoption"]
    assert value.value == 60.0 and value.counted == 5  # alpha, beta, gamma of five
    assert value.pulling_down == ["delta", "epsilon"] and value.target_met is True


def test_readiness_counts_pilot_and_production_with_no_open_item(portfolio: Path) -> None:
    value = kpi_values(portfolio)["readiness"]
    assert value.counted == 3 and value.value == pytest.approx(200 / 3)  # alpha done, gamma n/a, beta open
    assert value.pulling_down == ["beta"] and value.target_met is False


def test_items_done_counts_only_the_stages_asked_for(portfolio: Path) -> None:
    value = kpi_values(portfolio)["evidence"]
    assert (value.counted, value.value, value.pulling_down, value.target_met) == (2, 50.0, ["beta"], True)


def test_review_cycle_time_is_the_median_in_business_days(portfolio: Path) -> None:
    value = kpi_values(portfolio)["cycle"]
    assert (value.value, value.counted, value.unit) == (9, 3, "business days")
    assert value.pulling_down == ["gamma"] and value.target_met is True


def test_business_days_skip_weekends() -> None:
    assert business_days(dt.date(2026, 6, 1), dt.date(2026, 6, 12)) == 9
    assert business_days(dt.date(2026, 11, 27), dt.date(2026, 11, 30)) == 1  # Friday to Monday


@pytest.mark.parametrize(("text", "bound"), [
    ("≥ 90% before production launch", (">=", 90.0)), ("Median ≤ 10 business days", ("<=", 10.0)),
    ("60–80% adoption within 6–12 months", (">=", 60.0)), ("< 15% of reviewed initiatives", ("<", 15.0)),
    ("Downward trend; target depends on baseline", None),
])
def test_target_bounds(text: str, bound: tuple[str, float] | None) -> None:
    assert target_bound(text) == bound


@pytest.mark.parametrize(("last", "every", "due"), [
    ("2026-01-31", "1 month", "2026-02-28"), ("2026-05-15", "6 months", "2026-11-15"),
    ("2025-11-25", "1 year", "2026-11-25"), ("2026-11-01", "2 weeks", "2026-11-15"), ("2026-11-01", "90 days", "2027-01-30"),
])
def test_next_review(last: str, every: str, due: str) -> None:
    entry = BY_KIND["kpi"].model_construct(last_reviewed=dt.date.fromisoformat(last), review_every=every)
    assert next_review(entry) == dt.date.fromisoformat(due)


def test_gap_report_lists_open_items_standards_and_threat_evidence(portfolio: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(portfolio), "--today", "2026-11-25", "review", "beta", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "initiative": "beta", "stage": "production", "architecture": "sample-architecture",
        "checklists": [{"checklist": "sample-checklist", "score": 0.0, "open": ["first-item"]}],
        "open_items": {"blocker": [], "major": ["sample-checklist#first-item"], "minor": []},
        "standards_met": [], "standards_open": ["sample-standard"],
        "threats": [{"threat": "sample-threat", "evidenced_mitigations": 0, "mitigations": 1}],
        "ai_act": {"tier": None, "obligations": []},  # no tier recorded
    }
    catalog, _ = check(Project(portfolio), TODAY)
    alpha = gap_report(catalog, catalog.entries["alpha"])  # type: ignore[arg-type]
    assert [s.id for s in alpha.standards_met] == ["sample-standard"]
    assert [(t.threat.id, t.evidenced) for t in alpha.threats] == [("sample-threat", 1)]


def test_review_fails_on_open_blockers_only_when_asked(portfolio: Path) -> None:
    checklist = portfolio / "catalog" / "checklists" / "sample-checklist.yaml"
    checklist.write_text(checklist.read_text().replace("severity: major", "severity: blocker"))
    assert main(["--root", str(portfolio), "--today", "2026-11-25", "review", "beta"]) == 0
    assert main(["--root", str(portfolio), "--today", "2026-11-25", "review", "beta", "--fail-on-blockers"]) == 1
    assert main(["--root", str(portfolio), "--today", "2026-11-25", "review", "betta"]) == 2


def test_codeowners_maps_every_catalog_file_to_its_owners_handles(portfolio: Path) -> None:
    assert main(["--root", str(portfolio), "--today", "2026-11-25", "codeowners"]) == 0
    lines = (portfolio / ".github" / "CODEOWNERS").read_text().splitlines()
    assert lines[0].startswith("# Written by 'playbook codeowners'")
    files = sorted(p.relative_to(portfolio).as_posix() for p in (portfolio / "catalog").glob("*/*.yaml"))
    assert lines[1:] == [f"/{f} @example-org/platform-team" for f in files]


def test_dashboard_and_review_due_pages_show_computed_values(portfolio: Path) -> None:
    catalog, _ = check(Project(portfolio), TODAY)
    _, pages, _ = generate_pages(catalog, today=dt.date(2027, 4, 20))  # initiatives due 2027-05-01
    dashboard = pages["governance/portfolio.md"]
    tile = dashboard[dashboard.index("[readiness](../kpis/readiness.md)"):]
    tile = tile[:tile.index("</div>")]
    assert "** · 66.7 (" in tile  # 2 of the 3 pilot and production initiatives complete the checklist
    assert "Counted over 3 initiatives; pulled down by [beta](../initiatives/beta.md)." in tile
    due = pages["governance/review-due.md"]
    assert "## Platform team" in due and "[alpha](../initiatives/alpha.md)" in due and "**overdue**" not in due
    later, _ = generate_pages(catalog, today=dt.date(2027, 6, 1))[1:]
    assert "**overdue**" in later["governance/review-due.md"]
    assert '!!! warning "Review overdue"' in later["initiatives/alpha.md"]


def test_initiative_without_architecture_or_reason_is_refused(portfolio: Path) -> None:
    path = portfolio / "catalog" / "initiatives" / "delta.yaml"
    path.write_text(path.read_text().replace("no_architecture_reason: Nothing fits yet\n", ""))
    _, report = check(Project(portfolio), TODAY)
    assert [d.text() for d in report.errors] == [
        "catalog/initiatives/delta.yaml:2:1: error: name the reference architecture followed, or give no_architecture_reason"
    ]


def test_done_answer_needs_evidence(portfolio: Path) -> None:
    path = portfolio / "catalog" / "initiatives" / "alpha.yaml"
    path.write_text(path.read_text().replace("        evidence: https://example.com/e\n", ""))
    _, report = check(Project(portfolio), TODAY)
    assert [d.message for d in report.errors] == ["a done item needs evidence: a link a reviewer can open"]
    assert report.errors[0].path == "checklists[0].answers[0]"


def test_initiatives_are_initiative_models(portfolio: Path) -> None:
    catalog, _ = check(Project(portfolio), TODAY)
    assert sorted(i.id for i in catalog.of_kind(Initiative)) == ["alpha", "beta", "delta", "epsilon", "gamma"]
