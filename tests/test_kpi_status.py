"""KPIs against their goals: the status each measurement gives, what the playbook computes itself, and the charts
drawn from them (a golden file holds the trend chart's bytes)."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from generators.history.measured import published_measurements
from generators.history.releases import COMMIT_PROP
from generators.load.catalog import Catalog
from generators.load.entries import load_catalog
from generators.models.initiative import Initiative
from generators.models.kpi import Kpi
from generators.models.measurements import span
from generators.render.charts import Series, bars, nice_ticks, trend_chart
from generators.render.kpi_charts import chart, spark
from generators.resolve.kpi_status import Point, changed_status, kpi_status, statuses
from generators.resolve.portfolio import business_days, compute

GOLDEN = REPO / "tests" / "golden" / "charts"
TODAY = dt.date(2026, 12, 2)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    catalog, report = load_catalog(REPO, REPO / "catalog")
    assert not report.errors
    return catalog


def kpi(goal: dict[str, Any] | None, values: list[tuple[str, float]], **extra: Any) -> Kpi:
    """A KPI measured by quarter with `values` ((period, value), oldest first)."""
    data = {"id": "review-time", "title": "Review time", "summary": "One sentence.", "owners": ["a"], "tags": [],
            "last_reviewed": "2026-11-25", "review_every": "6 months", "status": "active", "measures": "Days.",
            "rationale": "Why.", "unit": "Business days (median)", "target": "Median ≤ 10 business days",
            "frequency": "quarterly", "owner": "Chair", "goal": goal,
            "measurements": [{"period": p, "value": v, "date": f"{p[:4]}-12-31", "source": "Tracker"} for p, v in values],
            **extra}
    return Kpi.model_validate(data)


@pytest.mark.parametrize(("values", "state"), [
    ([("2026-Q2", 12), ("2026-Q3", 11)], "missed"),
    ([("2026-Q3", 10)], "at-risk"),          # meets at most 10, but by less than 5% of it
    ([("2026-Q3", 9.6)], "at-risk"),
    ([("2026-Q3", 9.4)], "met"),
    ([], "not-measured"),
])
def test_the_latest_value_against_the_goal_gives_the_status(bundled: Catalog, values: list[tuple[str, float]],
                                                             state: str) -> None:
    assert kpi_status(bundled, kpi({"comparison": "at-most", "value": 10}, values), TODAY).state == state


def test_a_kpi_without_a_goal_is_not_judged(bundled: Catalog) -> None:
    found = kpi_status(bundled, kpi(None, [("2026-Q3", 50)]), TODAY)
    assert (found.state, found.word, found.goal) == ("no-goal", "No goal to test", "Median ≤ 10 business days")


def test_a_relative_goal_is_measured_from_its_baseline(bundled: Catalog) -> None:
    """'Improve 20%': a time of 100 in the baseline quarter sets the threshold at 80."""
    found = kpi_status(bundled, kpi({"comparison": "at-most", "baseline": "2026-Q1", "change": -20},
                                    [("2026-Q1", 100), ("2026-Q2", 90), ("2026-Q3", 70)]), TODAY)
    assert (found.threshold, found.state, found.change) == (80.0, "met", "-20 since 2026 Q2")
    assert found.state_before() == "missed" and changed_status([found]) == [found]


def test_the_playbook_adds_today_s_value_of_a_kpi_it_computes_and_a_recorded_value_wins(bundled: Catalog) -> None:
    cycle = bundled.entries["architecture-review-cycle-time"]
    assert isinstance(cycle, Kpi) and cycle.computed is not None
    found = kpi_status(bundled, cycle, TODAY)
    latest = found.latest
    assert latest is not None and latest.computed and latest.period.name == "2026-Q4" and latest.date == TODAY
    decided = [business_days(i.review.submitted, i.review.decided) for i in bundled.by_id(Initiative)
               if i.review.submitted and i.review.decided and dt.date(2026, 10, 1) <= i.review.decided <= TODAY]
    assert decided and latest.value == statistics.median(decided)  # a flow: the reviews decided in the quarter
    recorded = cycle.model_copy(update={"measurements": [*cycle.measurements, *kpi(None, [("2026-Q4", 9)]).measurements]})
    latest = kpi_status(bundled, recorded, TODAY).latest
    assert latest is not None and (latest.value, latest.computed) == (9, False)


def test_every_active_bundled_kpi_has_a_goal_and_at_least_four_periods(bundled: Catalog) -> None:
    found = statuses(bundled, TODAY)
    assert len(found) >= 16
    assert [s.kpi.id for s in found if s.kpi.goal is None or len(s.points) < 4] == []
    assert {s.state for s in found} >= {"met", "missed"}


def test_the_trend_chart_is_named_for_a_screen_reader_and_draws_every_value_and_the_target(bundled: Catalog) -> None:
    found = kpi_status(bundled, kpi({"comparison": "at-most", "value": 10},
                                    [("2025-Q4", 14), ("2026-Q1", 12.5), ("2026-Q2", 11), ("2026-Q3", 9)]), TODAY)
    svg = ET.fromstring(chart(found))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "2025 Q4 14, 2026 Q1 12.5, 2026 Q2 11, 2026 Q3 9" in (desc.text or "") and "met" in (desc.text or "")
    points = [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")]  # type: ignore[union-attr]
    assert points == ["2025 Q4: 14", "2026 Q1: 12.5", "2026 Q2: 11", "2026 Q3: 9"]
    assert len(list(svg.iter(f"{SVG}polyline"))) == 1
    assert [t.text for t in svg.iter(f"{SVG}text") if "Target" in (t.text or "")] == ["Target: at most 10"]


def test_a_higher_value_is_drawn_higher() -> None:
    svg = ET.fromstring(trend_chart(Series(["a", "b"], [1.0, 3.0], 2.0), "t", "T", "D"))
    first, second = ([float(c.get("cy", 0)) for c in svg.iter(f"{SVG}circle")])
    assert second < first  # SVG's y axis points down


def test_percentages_stay_within_0_and_100() -> None:
    ticks = nice_ticks(-5, 104)
    assert ticks[0] <= -5 and ticks[-1] >= 104
    svg = trend_chart(Series(["a", "b"], [2.0, 99.0], 95.0, 0.0, 100.0), "t", "T", "D")
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "0" in labels and "100" in labels and "120" not in labels and "-20" not in labels


def test_catalog_text_in_a_chart_is_text(bundled: Catalog) -> None:
    hostile = '<script>alert(1)</script> & "quotes" Sam\'s {{ 7*7 }}'
    for svg in (bars([(hostile, 50.0)], "x", hostile, hostile), trend_chart(Series([hostile], [1.0]), "y", hostile, hostile)):
        assert "<script" not in svg and "{{" not in svg and "*" not in svg  # inert for a template and for Markdown
        drawn = ET.fromstring(svg)  # well-formed, and it reads back as typed
        assert drawn.find(f"{SVG}title").text == hostile  # type: ignore[union-attr]


def test_the_same_data_draws_the_same_bytes(bundled: Catalog, update_goldens: bool) -> None:
    found = kpi_status(bundled, kpi({"comparison": "at-most", "value": 10},
                                    [("2025-Q4", 14), ("2026-Q1", 12.5), ("2026-Q2", 11), ("2026-Q3", 10.2)]), TODAY)
    drawn = {"trend.svg": chart(found), "sparkline.svg": spark(found),
             "bars.svg": bars([("Claims triage", 92.5), ("Support assistant", 40)], "readiness", "Readiness", "D")}
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, svg in drawn.items():
        golden: Path = GOLDEN / name
        if update_goldens:
            golden.write_text(svg + "\n", encoding="utf-8")
        assert svg + "\n" == golden.read_text(encoding="utf-8"), name


def _git(root: Path, *args: str, date: str = "2026-05-12T10:00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def _blob(root: Path, text: str) -> str:
    return subprocess.run(["git", "-C", str(root), "hash-object", "-w", "--stdin"], input=text, check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize("retired", [False, True], ids=["on the branch", "retired from it"])
def test_a_computed_kpi_takes_earlier_periods_from_published_versions(tmp_path: Path, make_project: Any,
                                                                      retired: bool) -> None:
    """A version published from a commit of May 2026 gives the computed KPIs a 2026 Q2 value: their value over that
    version's catalog, also once `publish --keep` has retired it. A period the catalog records keeps the recorded
    value."""
    root = make_project(tmp_path / "project")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "catalog")
    source = _git(root, "rev-parse", "HEAD").strip()
    if retired:  # 1.0 taken off the branch when 1.1, published from no recorded commit, was published
        listed = [{"version": "1.1", "title": "1.1", "aliases": [], "properties": {}}]
        record = [{"version": "1.0", "title": "1.0", "commit": source, "retired_on": "2026-06-01", "retired_by": "1.1"}]
        files = {"versions.json": json.dumps(listed), "retired.json": json.dumps(record)}
    else:
        files = {"versions.json": json.dumps([{"version": "1.0", "title": "1.0", "aliases": [],
                                               "properties": {COMMIT_PROP: source}}])}
    listing = "".join(f"100644 blob {_blob(root, text)}\t{name}\n" for name, text in sorted(files.items()))
    tree = subprocess.run(["git", "-C", str(root), "mktree"], input=listing, check=True,
                          capture_output=True, text=True).stdout.strip()
    _git(root, "update-ref", "refs/heads/gh-pages", _git(root, "commit-tree", tree, "-m", "publish 1.0").strip())
    measured = published_measurements(root, "gh-pages")
    catalog, _ = load_catalog(root, root / "catalog")
    computed = sorted(k.id for k in catalog.by_id(Kpi) if k.computed is not None)
    assert sorted(measured) == computed
    adoption = catalog.entries["reference-architecture-adoption"]
    assert isinstance(adoption, Kpi)
    [point] = measured[adoption.id]
    expected = compute(catalog, adoption)
    assert expected is not None
    assert (point.period.name, point.value, point.date, point.computed) == ("2026-Q2", round(expected.value, 1),
                                                                            dt.date(2026, 5, 12), True)
    assert "version 1.0" in (point.source or "")
    unrecorded = adoption.model_copy(update={"measurements": [m for m in adoption.measurements if m.period != "2026-Q2"]})
    shown = {p.period.name: p for p in kpi_status(catalog, unrecorded, TODAY, [point]).points}
    assert shown["2026-Q2"] == point
    assert any(m.period == "2026-Q2" for m in adoption.measurements)  # the bundled catalog records the quarter
    recorded = {p.period.name: p for p in kpi_status(catalog, adoption, TODAY, [point]).points}
    assert not recorded["2026-Q2"].computed


def test_today_s_value_replaces_a_published_one_of_the_same_period(bundled: Catalog) -> None:
    """A version published earlier in the quarter gave its value then; the page shows the value of today."""
    adoption = bundled.entries["reference-architecture-adoption"]
    assert isinstance(adoption, Kpi)
    earlier = Point(span("2026-Q4"), 1.0, dt.date(2026, 10, 20), "Computed by the playbook for version 1.0", computed=True)
    latest = kpi_status(bundled, adoption, TODAY, [earlier]).latest
    expected = compute(bundled, adoption)
    assert latest is not None and expected is not None and expected.value is not None
    assert (latest.period.name, latest.value, latest.date) == ("2026-Q4", round(expected.value, 1), TODAY)


def test_a_value_the_unit_allows_at_the_floor_is_drawn_inside_the_chart() -> None:
    """A 1 to 10 rating of 1: the axis starts at the floor, not at the first round tick above it."""
    svg = ET.fromstring(trend_chart(Series(["a", "b"], [1.0, 10.0], None, 1.0, 10.0), "t", "T", "D"))
    heights = [float(c.get("cy", 0)) for c in svg.iter(f"{SVG}circle")]
    assert all(0 <= y <= 240 for y in heights), heights
