"""Citations in the site's downloads and in `playbook export`: each is resolved per edition as its pages show it,
as plain text, and the post-build leak check finds a citation of a hidden entry that a download kept as typed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TODAY

from generators.cli.export import export_files
from generators.cli.main import main
from generators.config import read_config
from generators.load.entries import ParseCache
from generators.load.pages import leaks_in_site
from generators.load.visibility import load_visibility
from generators.pipeline import check_edition
from generators.project import CACHE_DIR, PARSED_FILE, Project
from generators.render.downloads import download_files
from generators.render.exports import site_files

#: Entries the bundled public edition leaves out, and cited from public ones with the author's own words.
HIDDEN = ("0002-hybrid-retrieval", "data-exposure")
ADR_TITLE = "Use hybrid lexical and vector retrieval for the enterprise assistant"
ITEM_TEXT = ("AI threat modelling: The data-flow diagram marks every trust boundary, including user input, "
             "retrieved content, tool results and the model provider")


def downloads(root: Path, audience: str) -> dict[str, str | bytes]:
    """Every download the generator makes for `audience`, and every `playbook export` format, by name."""
    result, report = check_edition(Project(root), audience, TODAY, detail=False)
    assert result is not None, [d.text() for d in report.errors]
    catalog = result.catalog
    files = {**site_files(catalog, catalog.graph, None), **download_files(catalog)}
    for fmt in ("json", "yaml", "csv"):
        files.update({f"export/{name}": text for name, text in export_files(catalog, fmt).items()})
    return files


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> Path:
    """The bundled playbook, with citations of a hidden entry and of a checklist item without the author's words."""
    root = make_project(tmp_path_factory.mktemp("citations") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    tool = root / "catalog" / "tools" / "opensearch.yaml"
    text = tool.read_text(encoding="utf-8")
    cited = "[[0002-hybrid-retrieval]] (see [[ai-threat-modelling#trust-boundaries-drawn]])"
    tool.write_text(text.replace("[[0002-hybrid-retrieval|ADR 0002]]", cited, 1), encoding="utf-8")
    return root


def rationale(files: dict[str, str]) -> str:
    entries = json.loads(files["catalog.json"])["entries"]
    return next(e for e in entries if e["id"] == "opensearch")["rationale"]


def test_no_download_of_the_public_edition_cites_a_hidden_entry_as_typed() -> None:
    files = downloads(REPO, "public")
    assert {"catalog.json", "llms.txt", "playbook.txt", "export/catalog.yaml", "export/tools.csv"} <= files.keys()
    leaks = [(name, entry_id) for name, text in files.items() for entry_id in HIDDEN
             if (f"[[{entry_id}" if isinstance(text, str) else f"[[{entry_id}".encode()) in text]
    assert leaks == []
    assert [name for name, text in files.items() if isinstance(text, str) and "0002-hybrid-retrieval" in text] == []
    pinecone = next(e for e in json.loads(files["catalog.json"])["entries"] if e["id"] == "pinecone")
    assert "time-limited pilot, and ADR 0002 rejected a" in pinecone["rationale"]  # the author's words, no link
    assert "time-limited pilot, and ADR 0002 rejected a" in files["playbook.txt"]


def test_a_hidden_entry_s_citation_without_own_words_is_unavailable_and_a_visible_one_shows_its_title(
        project: Path) -> None:
    public, internal = downloads(project, "public"), downloads(project, "internal")
    assert rationale(public).startswith(f"Chosen for the enterprise assistant in unavailable in this edition "
                                        f"(see {ITEM_TEXT})\nand offered")
    assert rationale(internal).startswith(f"Chosen for the enterprise assistant in {ADR_TITLE} (see {ITEM_TEXT})\n")
    for files in (public, internal):
        assert [name for name, text in files.items() if isinstance(text, str)
                and ("[[0002-hybrid-retrieval]]" in text or "[[ai-threat-modelling#" in text)] == []
    assert f"in {ADR_TITLE} (see" in internal["playbook.txt"]
    assert "in unavailable in this edition (see" in public["export/tools.csv"]


def test_playbook_export_for_an_audience_resolves_citations(project: Path, tmp_path: Path) -> None:
    for fmt in ("json", "yaml", "csv"):
        assert main(["--root", str(project), "export", "--audience", "public", "--format", fmt,
                     "-o", str(tmp_path)]) == 0
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8-sig")
        assert "0002-hybrid-retrieval" not in text and "[[" not in text, path.name
    assert rationale({"catalog.json": (tmp_path / "catalog.json").read_text(encoding="utf-8")}).startswith(
        "Chosen for the enterprise assistant in unavailable in this edition (see AI threat modelling: ")


def test_the_leak_check_finds_a_citation_of_a_hidden_entry_kept_in_a_download(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "playbook" / "templates").mkdir(parents=True)
    (site / "playbook" / "catalog.json").write_text(json.dumps(
        {"entries": [{"a": "per [[0002-hybrid-retrieval|ADR 0002]]", "b": "[[ 0002-hybrid-retrieval ]]",
                      "c": "[[opensearch]] and [[0002-hybrid-retrieval-x]]"}]}), encoding="utf-8")
    (site / "playbook" / "llms.txt").write_text("- per ADR 0002 and [[opensearch]]\n", encoding="utf-8")
    (site / "playbook" / "templates" / "adr-x.template").write_text("<!-- [[data-exposure#step]] -->",
                                                                    encoding="utf-8")
    (site / "playbook" / "index.html").write_text("<code>[[data-exposure]]</code>", encoding="utf-8")
    visibility = load_visibility(read_config(project))
    assert leaks_in_site(project, visibility, visibility.audience("public"), site) == [
        "playbook/catalog.json: cites 0002-hybrid-retrieval",
        "playbook/templates/adr-x.template: cites data-exposure"]
    assert leaks_in_site(project, visibility, visibility.audience("internal"), site) == []


def test_the_leak_check_given_the_parses_a_build_kept_reads_the_files_changed_since(make_project: Any,
                                                                                    tmp_path: Path) -> None:
    root = make_project(tmp_path / "own")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    (root / CACHE_DIR).mkdir()
    assert main(["--root", str(root), "check"]) == 0  # keeps its parses, as a build does
    kept = ParseCache.stored(root / CACHE_DIR / PARSED_FILE)
    tool = next(key for key in kept._files if key[1] == "catalog/tools/opensearch.yaml")
    parsed_before = kept._files[tool][0]
    path = root / "catalog" / "tools" / "opensearch.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "visibility: restricted\n", encoding="utf-8")
    site = tmp_path / "site"
    (site / "playbook").mkdir(parents=True)
    (site / "playbook" / "llms.txt").write_text("- per [[0002-hybrid-retrieval]] on [[opensearch]]\n", encoding="utf-8")
    visibility = load_visibility(read_config(root))
    assert leaks_in_site(root, visibility, visibility.audience("internal"), site, kept) == [
        "playbook/llms.txt: cites opensearch"]
    assert kept._files[tool][0] != parsed_before  # parsed again; every other file was taken from the kept parses
