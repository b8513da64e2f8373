"""`playbook build --engine zensical`: the same generated pages, the same text, built by Zensical; refused
for an edition whose hand-written pages only a MkDocs hook can leave out."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from test_history import playbook

from benchmarks.compare import article_text, compare


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> tuple[Path, Path, Path]:
    root = make_project(tmp_path_factory.mktemp("engines") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    mkdocs = playbook(root, "build", "--site-dir", str(root.parent / "mkdocs-site"))
    assert mkdocs.returncode == 0, mkdocs.stderr[-2000:]
    zensical = playbook(root, "build", "--engine", "zensical")
    assert zensical.returncode == 0, zensical.stdout[-2000:] + zensical.stderr[-2000:]
    return root, root.parent / "mkdocs-site", root / "site"


def test_zensical_builds_every_page_with_the_same_text(builds: tuple[Path, Path, Path]) -> None:
    _, mkdocs, zensical = builds
    pages, same, differ = compare(mkdocs, zensical)
    assert pages > 180 and differ == [] and same == pages
    assert "Enterprise assistant with permission-aware RAG" in article_text(
        zensical / "playbook" / "architectures" / "rag-assistant" / "index.html")
    assert (zensical / "playbook" / "tools" / "radar.svg").is_file()


def test_the_comparison_notices_a_changed_page(builds: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, mkdocs, _ = builds
    copy = tmp_path / "copy"
    shutil.copytree(mkdocs, copy)
    page = copy / "playbook" / "tools" / "kong" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Kong", "Gnok"), encoding="utf-8")
    assert compare(mkdocs, copy)[2] == ["playbook/tools/kong/index.html"]


def test_an_edition_leaving_out_a_hand_written_page_is_refused(builds: tuple[Path, Path, Path]) -> None:
    root, _, _ = builds
    result = playbook(root, "build", "--engine", "zensical", "--audience", "public")
    assert result.returncode == 2
    assert "the public edition leaves out golden-path.md, and Zensical runs no MkDocs hook" in result.stderr
