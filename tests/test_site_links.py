"""Every internal link of the built site lands: HTML pages and the links inside SVG diagrams and the radar,
down to the anchor, in the default edition and in the public one."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from test_history import playbook

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out

ATTRIBUTES = {"href", "src", "data", "xlink:href"}


class _Links(HTMLParser):
    """The link targets and the anchor ids of one HTML or SVG file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ATTRIBUTES:
                self.targets.append(value)
            if name in ("id", "name"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def broken_links(site: Path) -> list[str]:
    """'page -> target' for every internal link whose file or anchor does not exist."""
    files = [p for p in site.rglob("*") if p.suffix in (".html", ".svg")]
    parsed = {p: parse(p) for p in files}
    broken = []
    for path, links in parsed.items():
        base = "http://site/" + path.relative_to(site).as_posix()
        for target in links.targets:
            url = urlsplit(urljoin(base, target))
            if url.scheme in ("mailto", "data", "javascript") or url.netloc != "site":
                continue
            local = site / unquote(url.path.lstrip("/"))
            if local.is_dir():
                local = local / "index.html"
            if not local.is_file():
                broken.append(f"{path.relative_to(site)} -> {target}")
            elif url.fragment and local.suffix == ".html" and url.fragment not in parsed[local].ids:
                broken.append(f"{path.relative_to(site)} -> {target} (no such anchor)")
    return broken


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, make_project: Any, bundled_site: Path) -> dict[str, Path]:
    """The internal edition (the default) shared by the session, and the public one built here."""
    root = make_project(tmp_path_factory.mktemp("links") / "project")
    (root / "playbook.toml").write_text((Path(__file__).parent.parent / "playbook.toml").read_text(encoding="utf-8"))
    result = playbook(root, "build", "--audience", "public", "--site-dir", str(root.parent / "public"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[macros]" not in result.stderr  # mkdocs-macros' setup report is not repeated on every build
    return {"internal": bundled_site, "public": root.parent / "public"}


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_no_internal_link_or_anchor_is_broken(sites: dict[str, Path], audience: str) -> None:
    site = sites[audience]
    assert (site / "playbook" / "tools" / "radar.svg").is_file()
    assert broken_links(site) == []


def test_the_checker_finds_a_broken_link_and_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="here"><a href="../b/">b</a> <a href="#here">x</a> '
                                               '<a href="#gone">y</a> <a href="https://example.com/">z</a></p>')
    (tmp_path / "d.svg").write_text('<svg><a xlink:href="a/#here">ok</a><a xlink:href="c/">c</a></svg>')
    assert sorted(broken_links(tmp_path)) == ["a/index.html -> #gone (no such anchor)", "a/index.html -> ../b/", "d.svg -> c/"]
