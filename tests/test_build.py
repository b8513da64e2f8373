"""A real `playbook build` of the bundled playbook in a temporary folder, checked on the HTML."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generators.load.pages import pagefind_page_url
from generators.resolve.editions import Edition

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out


@pytest.fixture(scope="module")
def site(bundled_site: Path) -> Path:
    return bundled_site


@pytest.fixture(scope="module")
def bundled(bundled_edition: Edition) -> dict[str, object]:
    """The entries of the edition the site shows."""
    return dict(bundled_edition.catalog.entries)


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_every_entry_and_index_has_a_page(site: Path, bundled: dict[str, object]) -> None:
    for entry in bundled.values():
        page = html(site, f"playbook/{entry.folder}/{entry.id}")  # type: ignore[attr-defined]
        assert "<h1" in page and entry.id in page  # type: ignore[attr-defined]
    for folder in {e.folder for e in bundled.values()}:  # type: ignore[attr-defined]
        assert (site / "playbook" / folder / "index.html").is_file()


def test_edit_link_opens_the_catalog_yaml(site: Path) -> None:
    page = html(site, "playbook/standards/prompt-versioning")
    links = re.findall(r'<a href="([^"]+)" title="Edit this page"', page)
    assert links == ["https://git.example.com/architecture/ai-playbook/-/edit/main/catalog/standards/prompt-versioning.yaml"]


def test_hand_written_pages_edit_their_markdown(site: Path) -> None:
    links = re.findall(r'<a href="([^"]+)" title="Edit this page"', html(site, "contributing"))
    assert links == ["https://git.example.com/architecture/ai-playbook/-/edit/main/docs/contributing.md"]


def test_macros_quote_live_catalog_facts(site: Path, bundled: dict[str, object]) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    target = bundled["architecture-review-cycle-time"].target  # type: ignore[attr-defined]
    assert f"<strong>{target}</strong>" in home
    assert "{{" not in home


def test_no_third_party_fonts_scripts_or_styles(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page
        for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', text):
            pytest.fail(f"{page} loads {url} from another host")


def test_search_index_holds_every_entry(site: Path, bundled: dict[str, object]) -> None:
    indexed = {pagefind_page_url(path) for path in (site / "pagefind" / "fragment").iterdir()}
    for entry in bundled.values():
        assert f"/playbook/{entry.folder}/{entry.id}/" in indexed  # type: ignore[attr-defined]
    assert "/tags/" not in indexed  # the Tags page opts out: it lists entries that search finds on their own


def test_relations_link_back(site: Path) -> None:
    page = html(site, "playbook/standards/prompt-versioning")
    relations = page.split('id="relations"')[1]
    assert 'id="relations-applied-by-architectures"' in relations
    assert 'href="../../architectures/rag-assistant/"' in relations.split('id="relations-applied-by-architectures"')[1]


def test_tags_page_lists_entry_tags(site: Path, bundled: dict[str, object]) -> None:
    tags = (site / "tags" / "index.html").read_text(encoding="utf-8")
    some_tag = next(t for e in bundled.values() for t in e.tags)  # type: ignore[attr-defined]
    assert some_tag in tags


def test_diagram_images_and_their_links_resolve_inside_the_site(site: Path, bundled: dict[str, object]) -> None:
    architectures = [e for e in bundled.values() if getattr(e, "diagram", None) is not None]
    assert architectures
    for entry in architectures:
        page_dir = site / "playbook" / "architectures" / entry.id  # type: ignore[attr-defined]
        sources = re.findall(r'<object [^>]*data="([^"]+(?<!\.relations)\.svg)"', (page_dir / "index.html").read_text(encoding="utf-8"))
        assert len(sources) == 1 + len(entry.diagram.providers)  # type: ignore[attr-defined]
        for src in sources:
            svg_file = (page_dir / src).resolve()
            assert svg_file.is_file() and site.resolve() in svg_file.parents, src
            svg = svg_file.read_text(encoding="utf-8")
            assert "/work/" not in svg and "site-packages" not in svg
            for icon in re.findall(r'<image xlink:href="([^"]+)"', svg):
                assert (svg_file.parent / icon).resolve().is_file(), f"{svg_file.name} shows {icon}, which is not in the site"
            for href in re.findall(r'<a xlink:href="([^"]+)"', svg):
                target = (svg_file.parent / href).resolve()
                assert (target / "index.html").is_file(), f"{svg_file.name} links to {href}, which is not a page"


def test_review_counts_what_the_initiative_page_shows(site: Path) -> None:
    """`playbook review` judges the same edition as the site: a mitigation the edition leaves out counts in neither."""
    page = html(site, "playbook/initiatives/engineering-knowledge-search")
    shown = dict(re.findall(r'threats/([a-z0-9-]+)/">[^<]*</a></td>\s*<td>(\d+ of \d+)[^<]*</td>', page))
    review = subprocess.run([sys.executable, "-m", "generators", "--root", str(REPO), "review", "engineering-knowledge-search"],
                            capture_output=True, text=True, check=True).stdout
    printed = dict(re.findall(r"^  ([a-z0-9-]+): (\d+ of \d+)$", review, re.M))
    assert shown and printed == shown
    wider = subprocess.run([sys.executable, "-m", "generators", "--root", str(REPO), "review", "engineering-knowledge-search",
                            "--audience", "security"], capture_output=True, text=True, check=True).stdout
    assert "prompt-injection: 2 of 8" in wider and printed["prompt-injection"] == "2 of 7"  # one restricted mitigation


def test_an_entry_page_shows_its_tags_once(site: Path) -> None:
    """The theme lists an entry's tags, each a link to the tags page; the summary card does not repeat them."""
    page = html(site, "playbook/tools/kong")
    tags = re.findall(r'class="md-tag">([^<]+)</a>', page)
    assert tags == ["api-management", "gateway"]
    assert "<dt>Tags</dt>" not in page and page.count(">api-management<") == 1
