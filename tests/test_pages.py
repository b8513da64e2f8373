"""Golden files of the pages generated from tests/fixtures/minimal (rewrite with --update-goldens)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from generators.load.entries import load_catalog
from generators.models import KINDS
from generators.pipeline import generate_pages
from generators.render import pages

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
TODAY = dt.date(2026, 11, 25)  # review dates on the pages are judged on a fixed day
GOLDEN = Path(__file__).parent / "golden" / "pages"
EDIT_BASE = "https://git.example.com/playbook/-/edit/main/"


def minimal_pages(edit_base: str | None = EDIT_BASE) -> dict[str, str]:
    catalog, report = load_catalog(FIXTURE, FIXTURE / "catalog")
    assert report.diagnostics == []
    _, pages, _ = generate_pages(catalog, today=TODAY, edit_base=edit_base)
    return {name: text for name, text in pages.items() if name.endswith(".md")}


def test_pages_match_golden_files(update_goldens: bool) -> None:
    pages = minimal_pages()
    if update_goldens:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in pages.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for name, text in pages.items():
        assert text == expected[name], f"{name} differs from its golden file; rerun with --update-goldens if intended"


def test_every_kind_has_an_index_and_every_entry_a_page() -> None:
    pages = minimal_pages()
    catalog_files = sorted(p.relative_to(FIXTURE / "catalog").with_suffix(".md").as_posix()
                           for p in (FIXTURE / "catalog").glob("*/*.yaml"))
    indexes = [f"{model.folder}/index.md" for model in KINDS]
    governance = [f"governance/{name}.md" for name in ("index", "portfolio", "threat-coverage", "architecture-standards",
                                                       "checklist-standards", "kpi-coverage", "review-due", "ai-act",
                                                       "health-report")]
    extra = ["architectures/guide.md", "tools/radar.md"]
    assert sorted(pages) == sorted(["index.md", "changes.md", "templates/index.md", *indexes, *catalog_files, *governance, *extra])


def test_entry_page_front_matter_names_its_catalog_file_and_tags() -> None:
    page = minimal_pages()["standards/sample-standard.md"]
    front = yaml.safe_load(page.split("---\n")[1])
    assert front == {"catalog_source": "catalog/standards/sample-standard.yaml", "tags": [],
                     "facets": {"id": "sample-standard", "kind": "Standard", "status": front["facets"]["status"],
                                "owners": ["Platform team"], "tags": [], "clouds": [],
                                "summary": "One sentence that says what this entry is for."}}
    assert f"[Edit catalog/standards/sample-standard.yaml]({EDIT_BASE}catalog/standards/sample-standard.yaml)" in page


def test_without_a_repository_a_page_names_no_catalog_file() -> None:
    page = minimal_pages(edit_base=None)["standards/sample-standard.md"]
    assert yaml.safe_load(page.split("---\n")[1]).keys() == {"tags", "facets"}
    assert "catalog/standards" not in page and "Edit" not in page


def test_relations_list_every_entry_pointing_at_a_page() -> None:
    page = minimal_pages()["standards/sample-standard.md"]
    backlinks = page.split("## Relations")[1]
    assert "[Sample architecture](../architectures/sample-architecture.md)" in backlinks
    assert "[Sample checklist](../checklists/sample-checklist.md)" in backlinks
    assert "[Sample threat](../threats/sample-threat.md)" in backlinks
    assert "## Referenced by" not in page  # the relations name both directions: no second list


def test_an_entry_related_to_nothing_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, report = load_catalog(FIXTURE, FIXTURE / "catalog")
    assert not report.errors
    monkeypatch.setattr(pages, "relation_list", lambda *_: [])  # as for an entry nothing relates to
    page = pages.Renderer(catalog, catalog.graph, TODAY, []).entry_page(catalog.entries["sample-framework"])
    relations = page.split("## Relations")[1].split("##")[0]
    assert relations.replace("</div>", "").strip().endswith("No other entry is related to this one.")


def test_generation_is_deterministic() -> None:
    assert minimal_pages() == minimal_pages()
