"""The site build's page cache: after any kind of change, a build that takes unchanged pages from the last build
writes the same site, byte for byte, as a build that makes every page afresh; and it does take them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, copy_project, site_files

pytestmark = pytest.mark.slow  # builds whole sites again and again

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
REUSED = re.compile(r"site cache: (\d+) of (\d+) pages taken from the last build, (\d+) made afresh")


def build(root: Path, site: str, *options: str) -> str:
    """`playbook build` of `root` into `site` on two processes (the parallel build, as on a large playbook); its
    output."""
    done = subprocess.run([sys.executable, "-m", "generators", "--root", str(root), "build", "--site-dir", site,
                           "--jobs", "2", *options], cwd=root, env=ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-4000:]
    return done.stdout


def reused(output: str) -> tuple[int, int]:
    """(pages taken from the cache, pages in all) as the build reported them."""
    match = REUSED.search(output)
    assert match, output[-3000:]
    return int(match[1]), int(match[2])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_an_entry(root: Path) -> None:
    _replace(root / "catalog/standards/dataset-cards.yaml", "title: ", "title: Revised - ")


def add_an_entry(root: Path) -> None:
    source = root / "catalog/standards/data-minimisation.yaml"
    text = source.read_text(encoding="utf-8").replace("id: data-minimisation", "id: data-minimisation-two", 1)
    (root / "catalog/standards/data-minimisation-two.yaml").write_text(text.replace("title: ", "title: Second ", 1),
                                                                        encoding="utf-8")


def remove_an_entry(root: Path) -> None:
    (root / "catalog/standards/data-minimisation-two.yaml").unlink()


def rename_a_tag(root: Path) -> None:
    for path in (root / "catalog").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "  - identity\n" in text:
            path.write_text(text.replace("  - identity\n", "  - workload-identity\n"), encoding="utf-8")


def change_the_settings(root: Path) -> None:
    """The internal edition loses its repository links: every page's edit button goes."""
    _replace(root / "playbook.toml", 'branch = "gh-pages"\n', 'branch = "gh-pages"\nrepository = false\n')


def change_a_template(root: Path) -> None:
    _replace(root / "overrides/partials/copyright.html", '<div class="md-copyright">',
             '<div class="md-copyright"><div class="pb-note">Kept by the architecture group</div>')


CHANGES: list[Callable[[Path], None]] = [edit_an_entry, add_an_entry, remove_an_entry, rename_a_tag,
                                         change_the_settings, change_a_template]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("site-cache") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    return root


def test_after_each_kind_of_change_the_cached_build_is_the_fresh_build(root: Path) -> None:
    output = build(root, "site")
    taken, pages = reused(output)
    assert taken == 0 and pages > 200  # nothing to take from on the first build
    before = site_files(root / "site")
    assert reused(build(root, "site")) == (pages, pages)  # nothing changed: every page taken
    for change in CHANGES:
        change(root)
        output = build(root, "site")
        cached = site_files(root / "site")
        build(root, "fresh", "--no-cache")
        fresh = site_files(root / "fresh")
        assert cached.keys() == fresh.keys(), change.__name__
        differ = [name for name in fresh if cached[name] != fresh[name]]
        assert differ == [], f"after {change.__name__}, the cached build differs in {differ[:5]}"
        assert cached != before, f"{change.__name__} changed nothing on the site"
        taken, _ = reused(output)
        if change in (edit_an_entry, rename_a_tag):  # a page-sized change: most pages are taken
            assert taken > pages // 2, f"{change.__name__}: only {taken} of {pages} pages taken from the cache"
        before = cached


def test_a_warning_of_a_cached_page_fails_the_strict_build_again(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "docs/notes.md").write_text("# Notes\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    command = [sys.executable, "-m", "generators", "--root", str(root), "build", "--jobs", "1"]
    outputs = []
    for _ in range(2):
        done = subprocess.run(command, cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=900, check=False)
        assert done.returncode != 0
        outputs.append(done.stdout)
    assert all("notes.md" in out and "missing.md" in out for out in outputs)
    taken, pages = reused(outputs[1])
    assert taken == pages  # nothing changed: every page, the broken one too, came from the cache and said its warning


def test_a_verbose_build_keeps_no_conversion_without_its_anchor_links(tmp_path: Path) -> None:
    """MkDocs records a page's links to anchors only when it logs less than DEBUG: a `-v` build must not leave
    conversions that let a later strict build skip the anchor check."""
    root = tmp_path / "site-project"
    (root / "docs").mkdir(parents=True)
    (root / "hooks").mkdir()
    shutil.copy2(REPO / "hooks" / "site_cache.py", root / "hooks" / "site_cache.py")
    (root / "mkdocs.yml").write_text("site_name: Anchors\nvalidation:\n  anchors: warn\nhooks:\n  - hooks/site_cache.py\n",
                                     encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n\nSee [b](b.md#nowhere).\n", encoding="utf-8")
    (root / "docs" / "b.md").write_text("# B\n", encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")]
    subprocess.run([*command, "-v"], cwd=root, env=ENV, capture_output=True, text=True, check=False)  # passes: no check
    strict = subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True, check=False)
    assert strict.returncode != 0, strict.stderr
    assert "does not contain an anchor '#nowhere'" in strict.stderr
