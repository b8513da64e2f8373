"""Shared fixtures: a copy of the bundled project in a temporary folder, and golden files."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from benchmarks.legibility import served
from generators.cli.main import main
from generators.pipeline import check_edition
from generators.project import Project
from generators.resolve.editions import Edition

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parent.parent
#: Debian's Chromium, started the way this machine allows: headless, no sandbox, no background traffic.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The day reviews and expiries of the bundled catalog are judged on in tests.
TODAY = dt.date(2026, 11, 25)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that opens the browser is a browser test: `pytest -m "not browser"` runs the rest without Chromium."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def copy_project(target: Path, catalog: Path | None = None) -> Path:
    """The site configuration, hand-written docs and a catalog (the bundled one by default) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides", "hooks"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    shutil.copytree(REPO / "docs", target / "docs", ignore=shutil.ignore_patterns("playbook"))
    shutil.copytree(catalog or REPO / "catalog", target / "catalog")
    return target


def bare_project(target: Path) -> Path:
    """The minimal catalog with one plain hand-written page and no navigation: a site that builds in seconds."""
    root = copy_project(target, REPO / "tests" / "fixtures" / "minimal" / "catalog")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")  # its audiences: public, internal, security
    shutil.rmtree(root / "docs")
    (root / "docs" / "assets").mkdir(parents=True)
    for name in ("playbook.css", "playbook.js"):
        shutil.copy2(REPO / "docs" / "assets" / name, root / "docs" / "assets" / name)
    (root / "docs" / "index.md").write_text("# Home\n\nPlain text.\n", encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config[:config.index("\nnav:")] + "\n", encoding="utf-8")
    return root


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, its bytes by its path; Pagefind's index as the pages it recorded (see
    generators/publish/search_index.py: the names and order of its filter files change from run to run)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    index = {name: data for name, data in files.items() if name.startswith("pagefind/")}
    records = sorted(gzip.decompress(data) for name, data in index.items() if name.startswith("pagefind/fragment/"))
    return {**{name: data for name, data in files.items() if name not in index}, "pagefind records": b"\0".join(records)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled playbook project, safe to change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def make_project():  # type: ignore[no-untyped-def]
    """`make_project(folder, catalog=None)`: copy the project into a folder (usable in module fixtures)."""
    return copy_project


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled playbook (with its playbook.toml) built once by `playbook build`, for every test that only reads
    the site; a test that changes a project makes its own copy."""
    root = copy_project(tmp_path_factory.mktemp("bundled") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    assert main(["--root", str(root), "build"]) == 0
    return root / "site"


@pytest.fixture(scope="session")
def base_url(bundled_site: Path) -> Iterator[str]:
    """The session's build of the bundled playbook, served on a local port."""
    with served(bundled_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for every browser test (marked `browser`, so `pytest -m "not browser"` runs without it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab in a context of its own: nothing cached, stored or granted by another test."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def bundled_edition() -> Edition:
    """The bundled catalog checked on TODAY and cut to its default edition, shared read-only by the session."""
    result, report = check_edition(Project(REPO), today=TODAY)
    assert result is not None and report.errors == [], [d.text() for d in report.errors]
    return result
