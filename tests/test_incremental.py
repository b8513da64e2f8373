"""Generation at scale: nothing read changed means nothing loaded, drawn or written; one entry changed rewrites
only the pages that show it; the macros read the facts file instead of the catalog; a dirty serve keeps its
search index whole."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from generators.pipeline import generate
from generators.project import Project
from generators.render.facts import FACTS_FILE
from generators.site.macros import CatalogFacts
from generators.write import fingerprint

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def generated(project: Path) -> Project:
    report, result, _ = generate(Project(project), today=TODAY)
    assert result is not None and result.written, report.errors
    return Project(project)


def test_nothing_changed_means_nothing_loaded_drawn_or_written(generated: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p: p.stat().st_mtime_ns for p in generated.output.rglob("*") if p.is_file()}
    monkeypatch.setattr("generators.pipeline.check_edition", lambda *a, **k: pytest.fail("the catalog was loaded"))
    report, result, stats = generate(generated, today=TODAY)
    assert result is not None and result.written == [] and result.removed == [] and result.unchanged == len(before) - 1  # the manifest
    assert stats is None  # no diagram drawn, none even looked up
    assert {p: p.stat().st_mtime_ns for p in generated.output.rglob("*") if p.is_file()} == before


def test_the_last_runs_warnings_are_reported_again(generated: Project) -> None:
    first, _, _ = generate(generated, today=TODAY, strict_reviews=False)
    again, _, _ = generate(generated, today=TODAY)
    assert again.diagnostics == first.diagnostics


@pytest.mark.parametrize("change", ["edit a catalog file", "delete a generated page", "edit a generated page",
                                    "judge reviews on another day", "another audience", "edit playbook.toml"])
def test_any_change_to_what_generation_reads_or_wrote_regenerates(generated: Project, change: str) -> None:
    page = generated.output / "tools" / "kong.md"
    kwargs: dict[str, Any] = {"today": TODAY}
    if change == "edit a catalog file":
        source = generated.catalog / "tools" / "kong.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    elif change == "delete a generated page":
        page.unlink()
    elif change == "edit a generated page":
        time.sleep(0.01)
        page.write_text("changed by hand\n", encoding="utf-8")
    elif change == "judge reviews on another day":
        kwargs["today"] = TODAY + dt.timedelta(days=20)
    elif change == "another audience":
        kwargs["audience"] = "public"
    else:
        (generated.root / "playbook.toml").write_text('[rules]\norphan = "off"\n', encoding="utf-8")
    report, result, stats = generate(generated, **kwargs)
    assert result is not None and stats is not None, report.errors  # generated again, not skipped
    if change != "another audience":  # the public edition of this project holds no tool
        assert page.is_file() and "changed by hand" not in page.read_text(encoding="utf-8")


def test_one_entry_changed_rewrites_only_the_pages_that_show_it(generated: Project) -> None:
    source = generated.catalog / "tools" / "kong.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
    _, result, stats = generate(generated, today=TODAY)
    assert result is not None and stats is not None
    referencing = {p.relative_to(generated.output).as_posix() for p in generated.output.rglob("*.md")
                   if "(../tools/kong.md)" in p.read_text(encoding="utf-8")}
    expected = {"tools/kong.md", "tools/index.md", "tools/radar.md", "tools/radar.svg", "catalog.json", "llms.txt",
                "playbook.txt", FACTS_FILE}
    assert set(result.written) - expected - referencing - {p for p in result.written if p.endswith(".relations.svg")} == set()
    assert len(result.written) < 40 and stats.drawn <= len([p for p in result.written if p.endswith(".svg")])


def test_macros_read_the_facts_file_of_the_same_edition(generated: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generators.site.macros.check_edition", lambda *a, **k: pytest.fail("the catalog was loaded"))
    facts = CatalogFacts(generated.root)
    assert facts.audience == "internal"
    assert str(facts.field("kong", "ring")) in ("adopt", "trial", "assess", "hold")
    assert "[" in facts.link("kong", "reading.md")
    with pytest.raises(KeyError, match="is not a single value"):
        facts.field("kong", "usage")


def test_without_a_facts_file_of_that_edition_the_macros_load_the_catalog(generated: Project) -> None:
    data = json.loads((generated.output / FACTS_FILE).read_text(encoding="utf-8"))
    (generated.output / FACTS_FILE).write_text(json.dumps({**data, "audience": "public", "entries": {}}), encoding="utf-8")
    assert CatalogFacts(generated.root).field("kong", "id") == "kong"


def test_the_fingerprint_does_not_depend_on_the_order_files_are_listed(tmp_path: Path) -> None:
    (tmp_path / "catalog" / "a").mkdir(parents=True)
    for name in ("x.yaml", "y.yaml"):
        (tmp_path / "catalog" / "a" / name).write_text(name, encoding="utf-8")
    key = fingerprint.inputs(tmp_path, tmp_path / "catalog", {"audience": "x"}, "gh-pages")
    assert key == fingerprint.inputs(tmp_path, tmp_path / "catalog", {"audience": "x"}, "gh-pages")
    os.utime(tmp_path / "catalog" / "a" / "x.yaml", ns=(1, 1))
    assert key != fingerprint.inputs(tmp_path, tmp_path / "catalog", {"audience": "x"}, "gh-pages")


def test_byte_code_written_by_a_later_import_does_not_count_as_a_code_change(tmp_path: Path) -> None:
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "render.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "__pycache__" / "render.cpython-311.pyc").write_bytes(b"\0")
    assert fingerprint._files(tmp_path) == [tmp_path / "render.py"]
