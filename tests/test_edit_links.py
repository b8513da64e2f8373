"""What a reader finds to edit and where: edit links open a file of the repository, the exception register is one
page, and "What changed" says why it is empty. Checked on the session's build of the bundled playbook."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TODAY, copy_project

from generators.history.releases import published_versions
from generators.pipeline import generate
from generators.project import Project
from generators.resolve.editions import Edition

pytestmark = pytest.mark.slow  # reads the session's build of the bundled playbook

#: repo_url of mkdocs.yml followed by -/edit/main/: both edit_uri (docs/) and catalog_edit_uri start with it.
EDIT = "https://git.example.com/architecture/ai-playbook/-/edit/main/"
EDIT_LINK = re.compile(r'<a href="([^"]+)"[^>]*\brel="edit"')
NOTHING_YET = ("No release notes yet: no version of the playbook has been published, or only one has, and each version "
               "is compared with the one published before it.")
WHEN = ("When <code>playbook publish</code> publishes a second version, this page lists what changed in the catalog "
        "since the version before it: every entry added, changed or removed, by kind, newest version first.")


def edit_links(page: Path) -> list[str]:
    return [html.unescape(href) for href in EDIT_LINK.findall(page.read_text(encoding="utf-8"))]


def built_page(site: Path, source: str) -> Path:
    """The HTML file MkDocs builds from the Markdown file `source` (relative to docs/), with directory URLs."""
    stem = source.removesuffix(".md")
    if stem == "index":
        return site / "index.html"
    return site / (stem.removesuffix("/index") if stem.endswith("/index") else stem) / "index.html"


def front_matter(markdown: Path) -> dict[str, object]:
    text = markdown.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]) if text.startswith("---\n") else {}


def test_no_edit_link_opens_generated_markdown(bundled_site: Path) -> None:
    pages = sorted(bundled_site.rglob("*.html"))
    linked = {page.relative_to(bundled_site).as_posix(): edit_links(page) for page in pages}
    assert sum(len(links) for links in linked.values()) > 100  # entry pages and hand-written pages have theirs
    assert {page: links for page, links in linked.items() if any("docs/playbook/" in link for link in links)} == {}


def test_every_edit_link_opens_the_file_a_person_edits(bundled_site: Path) -> None:
    """An entry page opens its catalog YAML, a hand-written page its Markdown; a page computed from many entries
    (front matter `catalog_index`) has no edit link. Every file linked exists in the repository."""
    docs = bundled_site.parent / "docs"
    expected: dict[str, list[str]] = {}
    for markdown in sorted(docs.rglob("*.md")):
        source = markdown.relative_to(docs).as_posix()
        meta = front_matter(markdown)
        page = built_page(bundled_site, source)
        if not page.is_file():
            continue  # a hand-written page the edition leaves out
        if "catalog_source" in meta:
            expected[source] = [f"{EDIT}{meta['catalog_source']}"]
        elif "catalog_index" in meta:
            expected[source] = []
        else:
            assert not source.startswith("playbook/"), f"{source}: a generated page says neither what it is made from nor that it is computed"
            expected[source] = [f"{EDIT}docs/{source}"]
    found = {source: edit_links(built_page(bundled_site, source)) for source in expected}
    assert found == expected
    computed = {source for source, links in expected.items() if not links}
    assert {"playbook/index.md", "playbook/changes.md", "playbook/standards/index.md", "playbook/governance/index.md",
            "playbook/governance/portfolio.md", "playbook/tools/radar.md", "playbook/architectures/guide.md",
            "playbook/templates/index.md", "playbook/governance/ai-act.md",
            "playbook/governance/health-report.md"} <= computed and len(computed) == 28
    for link in (link for links in found.values() for link in links):
        path = link.removeprefix(EDIT)
        assert (REPO / path).is_file() and not path.startswith("docs/playbook/"), link
        assert re.fullmatch(r"catalog/[a-z-]+/[a-z0-9-]+\.yaml|docs/[a-z0-9/-]+\.md", path), link


class _NavLinks(HTMLParser):
    """(href, text) of every link of the main navigation of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and "md-nav__link" in (values.get("class") or "").split():
            self._open = [values.get("href") or ""]

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._open[0], " ".join("".join(self._open[1:]).split())))
            self._open = None


def nav_links(page: Path) -> list[tuple[str, str]]:
    parser = _NavLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def test_the_nav_has_one_exceptions_page_the_register(bundled_site: Path) -> None:
    governance = bundled_site / "playbook" / "governance" / "index.html"
    named = [(href, text) for href, text in nav_links(governance) if "xception" in text or "exceptions" in href]
    assert named == [("../exceptions/", "Exceptions")]
    assert not (bundled_site / "playbook" / "governance" / "exceptions").exists()


def test_every_link_to_exceptions_lands_on_the_register(bundled_site: Path, bundled_edition: Edition) -> None:
    """The governance overview links the register; no page links the governance page the register replaced."""
    stale = sorted(page.relative_to(bundled_site).as_posix() for page in bundled_site.rglob("*.html")
                   if re.search(r'href="[^"]*governance/exceptions', page.read_text(encoding="utf-8")))
    assert stale == []
    overview = (bundled_site / "playbook" / "governance" / "index.html").read_text(encoding="utf-8")
    assert '<td><a href="../exceptions/">Exceptions</a></td>' in overview
    register = (bundled_site / "playbook" / "exceptions" / "index.html").read_text(encoding="utf-8")
    assert register.count("<h1") == 1 and '<h1 id="exceptions">Exceptions<' in register
    exceptions = [e for e in bundled_edition.catalog.entries.values() if e.kind == "exception"]
    rows = re.findall(r'<tr>\s*<td><a href="([a-z0-9-]+)/">', register)
    assert len(exceptions) == 3 and rows == [e.id for e in sorted(exceptions, key=lambda e: (e.expires, e.id), reverse=True)]
    for exception in exceptions:
        row = re.search(rf'<tr>\s*<td><a href="{exception.id}/">.*?</tr>', register, re.S)
        assert row is not None
        cells = row.group(0)
        assert f'href="../standards/{exception.standard}/"' in cells and f": {exception.rule}</td>" in cells
        assert f'href="../initiatives/{exception.initiative}/"' in cells and f"<td>{exception.expires}</td>" in cells


def test_what_changed_says_why_it_is_empty_before_any_version_is_published(bundled_site: Path) -> None:
    page = (bundled_site / "playbook" / "changes" / "index.html").read_text(encoding="utf-8")
    assert f"<p>{NOTHING_YET}</p>" in page and f"<p>{WHEN}</p>" in page


def git(root: Path, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Tests", "-c", "user.email=tests@example.com",
                           "-c", "commit.gpgsign=false", *args], input=stdin, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_what_changed_says_why_it_is_empty_with_one_published_version(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", REPO / "tests" / "fixtures" / "minimal" / "catalog")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Catalog")
    source = git(root, "rev-parse", "HEAD")
    versions = [{"version": "1.0", "title": "1.0", "aliases": ["latest"], "properties": {"playbook-commit": source}}]
    blob = git(root, "hash-object", "-w", "--stdin", stdin=json.dumps(versions))
    tree = git(root, "mktree", stdin=f"100644 blob {blob}\tversions.json\n")
    git(root, "update-ref", "refs/heads/gh-pages", git(root, "commit-tree", tree, "-m", "Deployed 1.0"))
    assert [(v.version, v.commit) for v in published_versions(root, "gh-pages")] == [("1.0", source)]

    report, written, _ = generate(Project(root), today=TODAY)
    assert written is not None, [d.text() for d in report.errors]
    page = (root / "docs" / "playbook" / "changes.md").read_text(encoding="utf-8")
    assert page.split("# What changed\n\n", 1)[1] == (
        f"{NOTHING_YET}\n\n{WHEN.replace('<code>', '`').replace('</code>', '`')}\n")


def test_without_a_catalog_edit_address_an_entry_page_has_no_edit_link(tmp_path: Path) -> None:
    """With repo_url but no catalog_edit_uri, an entry page cannot open its YAML: it shows no edit link rather
    than MkDocs' link to its generated Markdown, while hand-written pages keep theirs."""
    root = copy_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^  catalog_edit_uri: .*\n", "", text), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generators", "--root", str(root), "build"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    site = root / "site"
    assert edit_links(site / "playbook" / "standards" / "prompt-versioning" / "index.html") == []
    assert edit_links(site / "contributing" / "index.html") == [f"{EDIT}docs/contributing.md"]
    assert [p for p in site.rglob("*.html") if any("docs/playbook/" in link for link in edit_links(p))] == []
