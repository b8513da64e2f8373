"""Names that collide are refused: entry ids that are generated pages or Windows device names, and
version names that are what mike and a web host keep at the root of the publishing branch."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mike import commands as mike_commands

from generators.authoring.scaffold import skeleton
from generators.cli.main import main
from generators.diagnostics import Diagnostic
from generators.load.entries import load_catalog
from generators.models import BY_FOLDER, BY_KIND
from generators.pipeline import check, generate_pages
from generators.project import Project
from generators.publish.mike import PublishError, prepare
from generators.reserved import BRANCH_ROOT, GENERATED_PAGES, WINDOWS_DEVICES

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
TEAM = "platform-team"  # the minimal catalog's team
PAGE_HINT = ("choose another id and rename the file to match; guide, index, radar are kept for generated pages in "
             "every kind folder")


def add_entry(root: Path, kind: str, entry_id: str) -> str:
    """Write a valid skeleton `kind` entry called `entry_id` (as an editor would, without `playbook new`)."""
    folder = root / "catalog" / BY_KIND[kind].folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{entry_id}.yaml").write_text(skeleton(kind, entry_id, "Title", TEAM, dt.date(2026, 11, 25)),
                                            encoding="utf-8")
    return f"catalog/{BY_KIND[kind].folder}/{entry_id}.yaml"


def errors(root: Path) -> list[Diagnostic]:
    _, report = load_catalog(root, root / "catalog")
    return report.errors


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL / "catalog", tmp_path / "catalog")
    return tmp_path


# -- ids that are generated pages -----------------------------------------------------------------


@pytest.mark.parametrize(("kind", "entry_id", "page"), [
    ("tool", "radar", "the technology radar (tools/radar.md and tools/radar.svg)"),
    ("architecture", "guide", "the decision guide of the reference architectures (architectures/guide.md)"),
    ("standard", "index", "the index page of every kind (<kind folder>/index.md)"),
    ("threat", "radar", "the technology radar (tools/radar.md and tools/radar.svg)"),  # refused in every kind folder
])
def test_an_id_that_is_a_generated_page_is_refused_at_the_id(minimal: Path, kind: str, entry_id: str, page: str) -> None:
    file = add_entry(minimal, kind, entry_id)
    assert errors(minimal) == [Diagnostic(file, 2, 5, "error", f"id '{entry_id}' is the name of a generated page, {page}",
                                          "id", PAGE_HINT, "reserved-id")]


def test_ids_that_are_windows_device_names_are_refused(minimal: Path) -> None:
    names = ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))]
    assert set(names) <= WINDOWS_DEVICES
    files = {name: add_entry(minimal, "tool", name) for name in names}
    assert sorted(errors(minimal)) == sorted(
        Diagnostic(file, 2, 5, "error", f"id '{name}' is a device name on Windows, where a file named {name}.yaml "
                   "cannot be checked out", "id", "choose another id and rename the file to match", "reserved-id")
        for name, file in files.items())


def test_ids_that_only_start_like_a_reserved_name_are_fine(minimal: Path) -> None:
    for name in ("radar-tool", "guides", "console", "com10", "index-of-risks"):
        add_entry(minimal, "tool", name)
    assert errors(minimal) == []


def test_new_refuses_a_reserved_id_before_writing(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(minimal), "new", "tool", "radar"]) == 2
    assert capsys.readouterr().err == ("error: id 'radar' is the name of a generated page, the technology radar "
                                       "(tools/radar.md and tools/radar.svg); choose another id\n")
    assert not (minimal / "catalog" / "tools" / "radar.yaml").exists()


def test_every_page_beside_the_entry_pages_has_a_reserved_name(project: Path) -> None:
    """Generated from the bundled catalog: a file in a kind folder is an entry's (its id before the first dot) or reserved."""
    catalog, report = check(Project(project))
    assert report.errors == []
    _, pages, _ = generate_pages(catalog)
    beside = {path.split("/")[1].split(".")[0] for path in pages
              if path.count("/") == 1 and path.split("/")[0] in BY_FOLDER}
    assert beside - set(catalog.entries) == set(GENERATED_PAGES)  # nothing unreserved, and no reservation left unused
    assert not set(catalog.entries) & set(GENERATED_PAGES)


# -- version names that collide with the root of the publishing branch ------------------------------------------


@pytest.mark.parametrize(("version", "aliases", "message"), [
    ("versions.json", [], "'versions.json' cannot be a version or alias: at the root of branch 'gh-pages', "
                          "versions.json is mike's list of the published versions"),
    ("1.2", ["Versions.JSON"], "'Versions.JSON' cannot be a version or alias: at the root of branch 'gh-pages', "
                               "versions.json is mike's list of the published versions"),
    ("index.html", [], "'index.html' cannot be a version or alias: at the root of branch 'gh-pages', "
                       "index.html is mike's redirect to the default version"),
    ("1.2", ["latest", "404.html"], "'404.html' cannot be a version or alias: at the root of branch 'gh-pages', "
                                    "404.html is the page a host shows for a missing address"),
    ("sitemap.xml", [], "'sitemap.xml' cannot be a version or alias: at the root of branch 'gh-pages', "
                        "sitemap.xml is the sitemap crawlers read"),
    ("Assets", [], "'Assets' cannot be a version or alias: at the root of branch 'gh-pages', "
                   "assets is the folder of the theme's scripts, styles and images"),
    ("search", [], "'search' cannot be a version or alias: at the root of branch 'gh-pages', "
                   "search is the folder of the search index"),
    ("cname", [], "'cname' cannot be a version or alias: at the root of branch 'gh-pages', "
                  "CNAME is the custom domain of GitHub Pages"),
    ("NUL.1", [], "'NUL.1' cannot be a version or alias: Windows reserves the name, so branch 'gh-pages' could not "
                  "be checked out there"),
])
def test_publish_refuses_names_that_collide_with_the_branch_root(tmp_path: Path, version: str, aliases: list[str],
                                                                 message: str) -> None:
    with pytest.raises(PublishError) as raised:
        prepare(Project(tmp_path), version, aliases, "gh-pages")
    assert (str(raised.value), raised.value.code) == (message, 2)


def test_every_name_mike_writes_at_the_branch_root_is_refused() -> None:
    """mike's deploy writes versions.json and .nojekyll, set-default writes index.html (`mike/commands.py`)."""
    assert {mike_commands.versions_file, mike_commands.make_nojekyll().path, "index.html"} <= set(BRANCH_ROOT)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(minimal: Path) -> Path:
    git(minimal, "init", "-q", "-b", "main")
    git(minimal, "add", "-A")
    git(minimal, "commit", "-q", "-m", "catalog")
    return minimal


def test_publish_versions_json_fails_and_leaves_no_branch(repository: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generators", "--root", str(repository), "publish", "versions.json"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (2, "error: 'versions.json' cannot be a version or alias: at the root of "
                                                 "branch 'gh-pages', versions.json is mike's list of the published "
                                                 "versions\n")
    assert "gh-pages" not in git(repository, "branch", "--list")


def test_ordinary_names_pass(repository: Path) -> None:
    release = prepare(Project(repository), "2026.1", ["latest", "stable"], "gh-pages")
    assert (release.version, release.branch) == ("2026.1", "gh-pages")
