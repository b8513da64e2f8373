"""The catalog for other tools: the files the site publishes (catalog.json, schemas, llms.txt,
playbook.txt) and `playbook export --format json|yaml|csv`."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.cli import main as cli
from generators.cli.export import register
from generators.history.releases import COMMIT_ENV, VERSION_ENV
from generators.load.catalog import Catalog
from generators.load.citations import prose_text
from generators.load.pages import pagefind_page_url
from generators.models import BY_FOLDER, KINDS
from generators.pipeline import generate_pages
from generators.project import Project
from generators.render.exports import entry_data
from generators.resolve.editions import Edition

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 25)
ENDED = {"deprecated", "superseded", "retired", "rejected"}


@pytest.fixture(scope="module")
def bundled(bundled_edition: Edition) -> tuple[Catalog, dict[str, Any]]:
    """The bundled catalog's default edition and the files generated from it."""
    _, pages, _ = generate_pages(bundled_edition.catalog, today=TODAY)
    return bundled_edition.catalog, pages


@pytest.fixture(autouse=True)
def unreleased(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exports outside `playbook publish`: no version, no commit."""
    monkeypatch.delenv(VERSION_ENV, raising=False)
    monkeypatch.delenv(COMMIT_ENV, raising=False)


def playbook(*argv: str) -> int:
    """Run the `playbook` command with `export` registered."""
    top = cli.parser()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    if "export" not in sub.choices:
        register(sub)
    args = top.parse_args(argv)
    return int(args.run(Project(args.root.resolve()), args))


def test_site_files_are_static_files_under_the_generated_folder(bundled: tuple[Catalog, dict[str, Any]]) -> None:
    _, pages = bundled
    for name in ("catalog.json", "llms.txt", "playbook.txt", *(f"schemas/{m.kind}.schema.json" for m in KINDS)):
        assert name in pages
        assert isinstance(pages[name], str)
    assert not [n for n in pages if n.startswith("schemas/") and not n.endswith(".schema.json")]


def test_catalog_json_holds_every_entry_with_resolved_relations(bundled: tuple[Catalog, dict[str, Any]]) -> None:
    catalog, pages = bundled
    data = json.loads(pages["catalog.json"])
    assert data["schema_version"] == 1
    assert data["playbook"] == {"version": None, "commit": None}
    by_id = {e["id"]: e for e in data["entries"]}
    assert list(by_id) == sorted(catalog.entries)
    adr = by_id["0004-pgvector-default-vector-store"]
    assert adr["kind"] == "adr" and adr["status"] == "superseded"
    assert adr["file"] == "catalog/adrs/0004-pgvector-default-vector-store.yaml"
    assert adr["page"] == "adrs/0004-pgvector-default-vector-store/"
    assert adr["superseded_by"] in by_id
    assert {"relation": "superseded by", "target": adr["superseded_by"]} in adr["relations"]["outgoing"]
    successor = by_id[adr["superseded_by"]]
    assert {"relation": "supersedes", "source": "0004-pgvector-default-vector-store"} in successor["relations"]["incoming"]
    for entry in data["entries"]:  # each entry's own fields, its citations as the site shows them (as text)
        fields = {k: v for k, v in entry.items() if k not in ("kind", "file", "page", "relations")}
        assert fields == entry_data(catalog, catalog.entries[entry["id"]])


def test_published_schemas_are_the_committed_ones(bundled: tuple[Catalog, dict[str, Any]]) -> None:
    _, pages = bundled
    committed = sorted((REPO / "catalog" / "schemas").glob("*.schema.json"))
    assert len(committed) == len(KINDS)
    for path in committed:
        assert pages[f"schemas/{path.name}"] == path.read_text(encoding="utf-8")


def test_llms_txt_lists_current_entries_only(bundled: tuple[Catalog, dict[str, Any]]) -> None:
    catalog, pages = bundled
    text = pages["llms.txt"]
    assert text.startswith("# AI Architecture Playbook\n\n> ")
    links = re.findall(r"^- \[(.+)\]\(([a-z0-9-]+/[a-z0-9-]+/)\): (.+)$", text, re.M)
    listed = {url: (title, summary) for title, url, summary in links}
    current = {e.id for e in catalog.entries.values() if e.status not in ENDED}  # type: ignore[attr-defined]
    assert {url.split("/")[1] for url in listed} == current
    for entry in catalog.entries.values():
        url = f"{entry.folder}/{entry.id}/"
        if entry.id in current:
            assert listed[url] == (entry.title, prose_text(catalog, entry.summary))
        else:
            assert url not in text
    assert catalog.entries["0004-pgvector-default-vector-store"].status == "superseded"  # type: ignore[attr-defined]
    assert catalog.entries["0006-evaluation-gate-thresholds-v1"].status == "superseded"  # type: ignore[attr-defined]
    assert "adrs/0004-pgvector-default-vector-store/" not in text and "adrs/0006-evaluation-gate-thresholds-v1/" not in text
    assert "- [Prompts and model versions as code](standards/prompt-versioning/): " in text
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections[:2] == ["Reference architectures", "Standards and guardrails"] and sections[-1] == "Optional"
    assert "(schemas/adr.schema.json)" in text and "(playbook.txt)" in text and "(catalog.json)" in text


def test_playbook_txt_renders_an_entry_as_plain_text(bundled: tuple[Catalog, dict[str, Any]]) -> None:
    catalog, pages = bundled
    text = pages["playbook.txt"]
    standard = catalog.entries["prompt-versioning"]
    start = text.index(f"\n\n\n{standard.title}\n") + 3
    end = text.find("\n\n\n", start)
    block = text[start:end if end != -1 else len(text)].split("\n")
    assert block[:10] == [
        standard.title, "-" * len(standard.title), "Kind: Standard", "Id: prompt-versioning", "Status: active",
        f"Owners: {', '.join(standard.owners)}", f"Tags: {', '.join(standard.tags)}",
        f"Last reviewed: {standard.last_reviewed.isoformat()}", f"Review every: {standard.review_every}",
        "Page: standards/prompt-versioning/",
    ]
    assert block[10] == f"Summary: {standard.summary}"
    assert block[11] == "Scope:"
    scope = standard.scope.rstrip("\n").split("\n")  # type: ignore[attr-defined]
    assert block[12:12 + len(scope)] == [f"  {line}" if line.strip() else "" for line in scope]
    rule = standard.rules[0]  # type: ignore[attr-defined]
    at = block.index("Rules 1:")
    assert block[at + 1:at + 5] == [f"  Id: {rule.id}", f"  Level: {rule.level}", f"  Statement: {rule.statement}", "  Rationale:"]
    assert f"    {rule.rationale.split(chr(10))[0]}" == block[at + 5]
    assert "Related:" in block and f"  - {standard.related[0]}" in block  # type: ignore[attr-defined]
    assert "<" not in "\n".join(block).replace("<=", "")  # no HTML
    assert "Id: 0004-pgvector-default-vector-store" not in text and "Id: 0006-evaluation-gate-thresholds-v1" not in text
    assert "Id: 0007-evaluation-gate-thresholds" in text


def test_site_files_are_deterministic(bundled: tuple[Catalog, dict[str, Any]]) -> None:
    catalog, pages = bundled
    again = generate_pages(catalog, today=TODAY)[1]
    for name in ("catalog.json", "llms.txt", "playbook.txt"):
        assert again[name] == pages[name]


def test_site_publishes_the_files_as_they_are(tmp_path: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "build")
    assert cli.main(["--root", str(root), "--today", TODAY.isoformat(), "build"]) == 0
    for name in ("catalog.json", "llms.txt", "playbook.txt", "schemas/adr.schema.json"):
        assert (root / "site" / "playbook" / name).read_bytes() == (root / "docs" / "playbook" / name).read_bytes()
    indexed = [pagefind_page_url(path) or "" for path in (root / "site" / "pagefind" / "fragment").iterdir()]
    assert indexed and not [url for url in indexed if "llms" in url or url.endswith((".txt", ".json"))]
    assert not (root / "site" / "playbook" / "llms").exists()


def test_export_json_is_the_site_catalog_json(project: Path, bundled: tuple[Catalog, dict[str, Any]]) -> None:
    _, pages = bundled
    out = project / "out" / "nested"
    assert playbook("--root", str(project), "--today", TODAY.isoformat(), "export", "--format", "json", "-o", str(out)) == 0
    assert (out / "catalog.json").read_text(encoding="utf-8") == pages["catalog.json"]


def test_export_yaml_loads_back_as_the_json(project: Path, bundled: tuple[Catalog, dict[str, Any]]) -> None:
    _, pages = bundled
    assert playbook("--root", str(project), "export", "--format", "yaml", "-o", str(project / "out")) == 0
    text = (project / "out" / "catalog.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == json.loads(pages["catalog.json"])
    assert text.startswith("schema_version: 1\nplaybook:\n")  # keys in the JSON's order, not sorted
    assert "\\u" not in text and "—" in text  # unicode as typed


def _decoded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def test_export_csv_has_one_table_per_kind_that_reads_back(project: Path, bundled: tuple[Catalog, dict[str, Any]]) -> None:
    catalog, _ = bundled
    out = project / "tables"
    assert playbook("--root", str(project), "export", "--format", "csv", "-o", str(out)) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{m.folder}.csv" for m in KINDS)
    for path in out.iterdir():
        model = BY_FOLDER[path.stem]
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        entries = sorted(catalog.of_kind(model), key=lambda e: e.id)
        assert [row["id"] for row in rows] == [e.id for e in entries]
        for row, entry in zip(rows, entries):
            data = entry_data(catalog, entry)  # prose with its citations as the edition shows them
            assert list(row)[:8] == ["id", "title", "status", "owners", "tags", "last_reviewed", "review_every", "summary"]
            assert set(row) == set(data)
            assert row["owners"].split("; ") == data["owners"]
            assert (row["tags"].split("; ") if row["tags"] else []) == data["tags"]
            for key, value in data.items():
                cell = _decoded(row[key])
                if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
                    assert json.loads(cell) == value, (entry.id, key)
                elif isinstance(value, list):
                    assert cell in ("; ".join(value), json.dumps(value, ensure_ascii=False)), (entry.id, key)
                elif isinstance(value, bool):
                    assert cell == str(value).lower()
                else:
                    assert cell == ("" if value is None else str(value)), (entry.id, key)
    kpi = next(r for r in csv.DictReader((out / "kpis.csv").open(encoding="utf-8-sig", newline=""))
               if r["id"] == "ai-incident-mttr")
    assert {"target", "unit", "frequency"} <= set(kpi)
    tool = next(r for r in csv.DictReader((out / "tools.csv").open(encoding="utf-8-sig", newline=""))
                if r["id"] == "airflow")
    assert tool["ring"] and tool["category"] and tool["usage"].split("; ") == catalog.entries["airflow"].usage  # type: ignore[attr-defined]
    assert (out / "tools.csv").read_bytes().startswith(b"\xef\xbb\xbfid,title,")


def test_export_csv_keeps_spreadsheets_from_running_catalog_text(project: Path) -> None:
    path = project / "catalog" / "tools" / "airflow.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^summary: .*$", "summary: '=HYPERLINK(\"https://evil.example\",\"x\")'", text, count=1, flags=re.M),
                    encoding="utf-8")
    assert playbook("--root", str(project), "export", "--format", "csv", "-o", str(project / "out")) == 0
    rows = list(csv.DictReader((project / "out" / "tools.csv").open(encoding="utf-8-sig", newline="")))
    airflow = next(r for r in rows if r["id"] == "airflow")
    assert airflow["summary"] == "'=HYPERLINK(\"https://evil.example\",\"x\")"
    assert not [cell for row in rows for cell in row.values() if cell[:1] in ("=", "+", "-", "@")]


def test_export_refuses_a_catalog_with_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "catalog" / "standards" / "prompt-versioning.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: must", "level: mandatory", 1), encoding="utf-8")
    out = project / "out"
    assert playbook("--root", str(project), "export", "--format", "json", "-o", str(out)) == 1
    captured = capsys.readouterr()
    assert "catalog/standards/prompt-versioning.yaml:" in captured.out and "'mandatory' is not one of must, should, may" in captured.out
    assert "nothing exported" in captured.err
    assert not out.exists()


def test_export_needs_an_output_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert playbook("--root", str(project), "export", "--format", "csv") == 2
    assert "-o DIR" in capsys.readouterr().err
    assert not list(project.glob("*.csv"))


def test_export_reports_a_folder_it_cannot_write(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert playbook("--root", str(project), "export", "-o", str(project / "taken")) == 1
    assert "error: cannot write to" in capsys.readouterr().err


def test_export_rejects_an_unknown_format(project: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        playbook("--root", str(project), "export", "--format", "xml", "-o", str(project / "out"))
    assert exc.value.code == 2
