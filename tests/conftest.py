"""Shared fixtures: a copy of the bundled project in a temporary folder, and golden files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING
from pathlib import Path

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
#: Debian's Chromium, started the way this machine allows: headless, no sandbox, no background traffic.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled playbook project, safe to change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def make_project():  # type: ignore[no-untyped-def]
    """`make_project(folder, catalog=None)`: copy the project into a folder (usable in module fixtures)."""
    return copy_project


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for every browser test (marked `browser`, so `pytest -m "not browser"` runs without it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
