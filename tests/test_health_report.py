"""The quarterly architecture health report and the links a reviewer must confirm, computed from the catalog."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from test_citations import edit

from generators.models.checklist import Checklist
from generators.models.standard import Standard
from generators.pipeline import check
from generators.project import Project
from generators.render.pages import Renderer
from generators.resolve.health import Quarter, health_report, quarter_of
from generators.resolve.subjects import loose_links

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(("day", "quarter", "start", "end"), [
    (dt.date(2026, 1, 1), Quarter(2026, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 6, 30), Quarter(2026, 2), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    (dt.date(2026, 12, 31), Quarter(2026, 4), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
])
def test_a_day_falls_in_its_calendar_quarter(day: dt.date, quarter: Quarter, start: dt.date, end: dt.date) -> None:
    assert quarter_of(day) == quarter
    assert (quarter.start, quarter.end) == (start, end)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root / "catalog")
    return root


def test_the_report_counts_what_the_quarter_holds(minimal: Path) -> None:
    edit(minimal, "catalog/adrs/sample-adr.yaml", lambda data: data.update(date="2026-11-03", status="accepted"))
    edit(minimal, "catalog/kpis/sample-kpi.yaml", lambda data: data.update(status="active"))
    catalog, report = check(Project(minimal), TODAY)
    health = health_report(catalog, TODAY)
    assert str(health.quarter) == "2026 Q4"
    assert [adr.id for adr in health.adrs] == ["sample-adr"]
    assert [s.kpi.id for s in health.unmeasured] == ["sample-kpi"]  # no measurement recorded, none computed
    assert health_report(catalog, dt.date(2027, 1, 4)).adrs == []   # the next quarter holds no decision
    edit(minimal, "catalog/adrs/sample-adr.yaml", lambda data: data.update(status="proposed"))
    catalog, report = check(Project(minimal), TODAY)
    assert health_report(catalog, TODAY).adrs == []  # a proposed ADR is not a decision taken


def test_the_report_page_shows_every_section(minimal: Path) -> None:
    catalog, _ = check(Project(minimal), TODAY)
    page = Renderer(catalog, catalog.graph, TODAY, []).governance_pages()["governance/health-report.md"]
    assert "# Quarterly architecture health report: 2026 Q4" in page
    for heading in ("## KPIs", "## Exceptions", "## Reviews due", "## Decisions taken", "## Radar moves",
                    "## EU AI Act: the year ahead"):
        assert f"\n{heading}\n" in page


def test_an_item_enforcing_a_standard_that_says_nothing_of_its_subject_is_listed(minimal: Path) -> None:
    edit(minimal, "catalog/checklists/sample-checklist.yaml", lambda data: data["items"][0].update(
        title="Dashboards show token spend per tenant", evidence="A link to the spend dashboard"))
    edit(minimal, "catalog/standards/sample-standard.yaml", lambda data: data["rules"][0].update(
        id="prompts-in-repository", statement="Every prompt lives in the repository and is reviewed like code."))
    catalog, _ = check(Project(minimal), TODAY)
    standards = [e for e in catalog.entries.values() if isinstance(e, Standard)]
    checklists = [e for e in catalog.entries.values() if isinstance(e, Checklist)]
    assert [(link.item.id, link.standard.id) for link in loose_links(standards, checklists)] == [
        ("first-item", "sample-standard")]
    edit(minimal, "catalog/standards/sample-standard.yaml", lambda data: data["rules"][0].update(
        statement="Token spend is shown per tenant on a dashboard."))
    catalog, _ = check(Project(minimal), TODAY)
    standards = [e for e in catalog.entries.values() if isinstance(e, Standard)]
    assert loose_links(standards, checklists) == []


def test_the_printable_report_is_one_file_with_the_page_s_sections_charts_and_site_links(minimal: Path) -> None:
    """The file to print or keep: every section of the page, the KPI tiles, links to pages at their site addresses,
    nothing fetched, and catalog text as text."""
    hostile = 'Rate <script>alert(1)</script> {{ 7*7 }} "quoted"'
    edit(minimal, "catalog/kpis/sample-kpi.yaml", lambda data: data.update(
        status="active", title=hostile,
        measurements=[{"period": p, "value": v, "date": d, "source": "Tracker"}
                      for p, v, d in (("2026-Q2", 80, "2026-07-02"), ("2026-Q3", 99, "2026-10-02"))]))
    catalog, report = check(Project(minimal), TODAY)
    assert not report.errors
    pages = Renderer(catalog, catalog.graph, TODAY, []).governance_pages()
    page, html = pages["governance/health-report.md"], pages["governance/health-report.html"]
    assert "[health-report.html](health-report.html)" in page
    assert html.startswith("<!doctype html>") and "<title>Quarterly architecture health report: 2026 Q4</title>" in html
    for heading in ("KPIs", "Exceptions", "Reviews due", "Decisions taken", "Radar moves", "EU AI Act: the year ahead"):
        assert f">{heading}</h2>" in html
    assert 'class="pb-tile pb-status--met' in html and 'class="pb-spark"' in html  # 99 against at least 90
    assert 'href="../kpis/sample-kpi/"' in html and ".md" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert "<script" not in html and "&lt;script&gt;" in html and "{{ 7*7 }}" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from another host
