"""The radar for other tools: the Backstage tech-radar plugin's JSON and Build Your Own Radar's CSV, from the
edition's current tools, with what moved ring or joined in the latest published version."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TODAY
from test_citations import edit

from generators.cli.main import main as playbook
from generators.models.tool import QUADRANTS, RINGS, Tool
from generators.pipeline import check
from generators.project import Project
from generators.render.radar_exchange import backstage_radar, byor_csv
from generators.resolve.changes import Changes, Detail, EntryChange

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
#: The keys the plugin's parsers (tech-radar-common/src/schema.ts: TechRadarLoaderResponseParser) accept, and the
#: ones they require.
ENTRY_KEYS = ({"key", "id", "quadrant", "title", "url", "timeline", "description", "links"},
              {"key", "id", "quadrant", "title", "timeline"})
SNAPSHOT_KEYS = ({"date", "ringId", "description", "moved"}, {"date", "ringId"})


def history(*changes: EntryChange) -> list[tuple[str, Changes]]:
    return [("1.4", Changes(tuple(changes), ()))]


def moved(tool_id: str, before: str, after: str) -> EntryChange:
    return EntryChange(tool_id, "tool", tool_id, "changed", (Detail("ring", before, after),))


@pytest.fixture(scope="module")
def bundled() -> Any:
    catalog, report = check(Project(REPO), TODAY)
    assert report.errors == []
    return catalog


def test_the_backstage_radar_has_the_shape_the_plugin_parses(bundled: Any) -> None:
    data = json.loads(backstage_radar(bundled, [], "https://playbook.example.com/"))
    assert set(data) == {"quadrants", "rings", "entries"}
    assert [q["id"] for q in data["quadrants"]] == [key for key, _ in QUADRANTS]
    assert [r["id"] for r in data["rings"]] == list(RINGS)
    assert all(set(r) <= {"id", "name", "color", "description"} and r["color"].startswith("#") for r in data["rings"])
    current = sorted(t.id for t in bundled.of_kind(Tool) if t.status != "retired")
    assert [e["id"] for e in data["entries"]] == current
    for entry in data["entries"]:
        allowed, required = ENTRY_KEYS
        assert required <= set(entry) <= allowed, entry["id"]
        assert entry["quadrant"] in {q["id"] for q in data["quadrants"]}
        assert entry["url"] == f"https://playbook.example.com/playbook/tools/{entry['id']}/"
        for snapshot in entry["timeline"]:
            allowed, required = SNAPSHOT_KEYS
            assert required <= set(snapshot) <= allowed
            assert snapshot["ringId"] in RINGS and dt.date.fromisoformat(snapshot["date"])
            assert "[[" not in snapshot["description"]  # citations as the site shows them, as text


def test_a_move_toward_the_centre_is_up_and_outward_is_down(bundled: Any) -> None:
    tools = {t.id: t for t in bundled.of_kind(Tool)}
    inward = next(t for t in tools.values() if t.ring == "adopt")
    outward = next(t for t in tools.values() if t.ring == "hold")
    data = json.loads(backstage_radar(bundled, history(moved(inward.id, "trial", "adopt"),
                                                       moved(outward.id, "assess", "hold"))))
    timeline = {e["id"]: e["timeline"][0] for e in data["entries"]}
    assert timeline[inward.id]["moved"] == 1 and timeline[outward.id]["moved"] == -1
    assert timeline[inward.id]["description"].startswith("Moved from trial in version 1.4.")
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(byor_csv(bundled, history(
        moved(inward.id, "trial", "adopt"), moved(outward.id, "assess", "hold"),
        EntryChange("kong", "tool", tools["kong"].title, "added")))))}
    assert rows[inward.title]["status"] == "Moved In" and rows[outward.title]["status"] == "Moved Out"
    kong = rows[tools["kong"].title]
    assert (kong["status"], kong["isNew"]) == ("New", "TRUE")
    assert {row["status"] for name, row in rows.items()
            if name not in (inward.title, outward.title, tools["kong"].title)} == {"No Change"}


def test_the_byor_sheet_has_its_columns_and_one_row_per_current_tool(bundled: Any) -> None:
    text = byor_csv(bundled, [])
    assert text.splitlines()[0] == "name,ring,quadrant,isNew,status,description"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sum(1 for t in bundled.of_kind(Tool) if t.status != "retired")
    assert {row["quadrant"] for row in rows} <= {name for _, name in QUADRANTS}
    assert {row["ring"] for row in rows} <= set(RINGS)


def test_catalog_text_reaches_the_sheet_as_text(tmp_path: Path) -> None:
    """Build Your Own Radar reads names and descriptions as HTML, and a spreadsheet reads '=' as a formula."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root / "catalog")
    edit(root, "catalog/tools/sample-tool.yaml", lambda data: data.update(
        title="<img src=x onerror=alert(1)>", rationale="=HYPERLINK(\"http://evil.example\")", ring="adopt"))
    catalog, report = check(Project(root), TODAY)
    assert report.errors == [], [d.text() for d in report.errors]
    row = next(csv.DictReader(io.StringIO(byor_csv(catalog, []))))
    assert row["name"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert row["description"] == "'=HYPERLINK(\"http://evil.example\")"
    assert json.loads(backstage_radar(catalog, []))["entries"][0]["title"] == "<img src=x onerror=alert(1)>"


def test_the_export_writes_the_edition_s_radar_and_refuses_a_bad_site_url(project: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (project / "playbook.toml").write_text((REPO / "playbook.toml").read_text(encoding="utf-8"), encoding="utf-8")
    edit(project, "catalog/tools/kong.yaml", lambda data: data.update(visibility="internal"))
    out = tmp_path / "out"
    assert playbook(["--root", str(project), "export", "--format", "backstage-radar", "--audience", "public",
                     "--site-url", "https://playbook.example.com", "-o", str(out)]) == 0
    assert playbook(["--root", str(project), "export", "--format", "byor", "--audience", "public", "-o", str(out)]) == 0
    ids = [e["id"] for e in json.loads((out / "tech-radar.json").read_text(encoding="utf-8"))["entries"]]
    assert "kong" not in ids and "airflow" in ids
    names = [row["name"] for row in csv.DictReader(io.StringIO((out / "radar.csv").read_text(encoding="utf-8")))]
    assert "Kong Gateway" not in names and "Apache Airflow" in names
    assert playbook(["--root", str(project), "export", "--format", "backstage-radar", "--site-url",
                     "javascript:alert(1)", "-o", str(out)]) == 2
    assert "must be an http or https address" in capsys.readouterr().err
