"""Where am I: every entry page has a place in the navigation (generators/site/navigation.py, hooks/navigation.py).

An entry page shows breadcrumbs to its section and its kind's index, its section's tab active, and its kind's
entries in the sidebar with itself marked; a long kind is listed a run at a time. An edition's sidebar lists nothing
the edition leaves out, and a title is text there, whatever it holds.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from conftest import REPO

from benchmarks.legibility import served
from generators.cli.main import main
from generators.site.navigation import in_title_order, sidebar, titled, with_entries

if TYPE_CHECKING:  # Playwright is needed only to run the browser tests, not to collect them
    from mkdocs.structure.nav import Navigation
    from playwright.sync_api import Browser, Locator, Page

#: The kind whose entries the sidebar lists on an entry page: its last nested section marked active.
KIND = ".md-sidebar--primary li.md-nav__item--active.md-nav__item--nested"
#: The items of that list, in order: entries, and the links to the runs before and after.
ITEMS = ":scope > nav > ul > li > a.md-nav__link"
HOSTILE = 'Agentic <img src=x onerror="window.pwned=1"> & <b>bold</b> workflow'


def catalog_titles(root: Path, folder: str) -> dict[str, str]:
    """Each entry's title, by id, as the catalog folder holds them."""
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["title"]
            for path in (root / "catalog" / folder).glob("*.yaml")}


def by_title(titles: dict[str, str]) -> list[str]:
    return sorted(titles, key=lambda entry: (titles[entry].casefold(), entry))


# --- the navigation, without a browser ------------------------------------------------------------------

def build_nav(nav: list[Any], uris: list[str], tmp_path: Path) -> tuple[Navigation, dict[str, Any]]:
    """The navigation MkDocs makes of `nav` over pages at `uris`, and its pages by path."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import get_navigation

    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site"), "nav": nav})
    (tmp_path / "docs").mkdir(exist_ok=True)
    assert config.validate() == ([], [])
    files = Files([File(uri, config.docs_dir, config.site_dir, True) for uri in uris])
    return get_navigation(files, config), {file.src_uri: file.page for file in files}


def texts(items: list[Any]) -> list[str]:
    return [item.title if item.is_link else item.file.src_uri for item in items]


def test_a_kind_index_becomes_a_section_of_its_index_and_the_pages_beside_it_the_nav_does_not_name() -> None:
    nav = [{"Home": "index.md"},
           {"Playbook": ["playbook/index.md",
                         {"Reference architectures": "playbook/architectures/index.md"},
                         {"Which architecture fits?": "playbook/architectures/guide.md"},
                         {"Templates": "playbook/templates/index.md"}]},
           {"Using": [{"Guide": "guide/index.md"}]}]
    pages = ["index.md", "guide/index.md", "guide/more.md", "playbook/index.md", "playbook/changes.md",
             "playbook/architectures/index.md", "playbook/architectures/guide.md", "playbook/architectures/rag.md",
             "playbook/architectures/batch.md", "playbook/architectures/deeper/page.md", "playbook/templates/index.md"]
    assert with_entries(nav, pages, "playbook") == [
        {"Home": "index.md"},
        {"Playbook": ["playbook/index.md",
                      {"Reference architectures": ["playbook/architectures/index.md", "playbook/architectures/batch.md",
                                                   "playbook/architectures/rag.md"]},
                      {"Which architecture fits?": "playbook/architectures/guide.md"},
                      {"Templates": "playbook/templates/index.md"}]},
        {"Using": [{"Guide": "guide/index.md"}]}]  # outside the generated folder: as mkdocs.yml has it


def test_an_entry_left_out_of_the_edition_is_not_in_the_navigation() -> None:
    nav = [{"Decisions": "playbook/adrs/index.md"}]
    assert with_entries(nav, ["playbook/adrs/index.md", "playbook/adrs/0001-kept.md"], "playbook") == [
        {"Decisions": ["playbook/adrs/index.md", "playbook/adrs/0001-kept.md"]}]
    assert with_entries(nav, ["playbook/adrs/index.md"], "playbook") == nav


def test_a_long_kind_is_shown_one_run_at_a_time_and_the_navigation_is_left_as_it_is(tmp_path: Path) -> None:
    entries = [f"k/e{n:02d}.md" for n in range(70)]
    nav, pages = build_nav([{"Home": "index.md"}, {"Kind": ["k/index.md", *entries]}, {"Other": ["o/index.md", "o/a.md"]}],
                           ["index.md", "k/index.md", *entries, "o/index.md", "o/a.md"], tmp_path)
    page = pages["k/e45.md"]
    page.active = True
    view = sidebar(nav, page, size=30)
    kind = view.items[1]
    assert texts(kind.children) == ["k/index.md", "Previous 30", *entries[30:60], "Next 10"]
    assert [kind.children[1].url, kind.children[-1].url] == ["k/e00/", "k/e60/"]
    assert texts(view.items[2].children) == ["o/index.md"]  # folded: shown as a link to its first page
    assert len(nav.items[1].children) == 71 and len(nav.items[2].children) == 2
    page.active = False
    last = pages["k/e69.md"]
    last.active = True
    assert texts(sidebar(nav, last, size=30).items[1].children) == ["k/index.md", "Previous 30", *entries[60:]]
    last.active = False
    index = pages["k/index.md"]
    index.active = True
    assert texts(sidebar(nav, index, size=30).items[1].children) == ["k/index.md", *entries[:30], "Next 30"]
    assert texts(sidebar(nav, index, size=30, pruned=False).items[2].children) == ["o/index.md", "o/a.md"]


def test_entries_are_listed_by_title_and_a_page_not_read_is_named_from_its_file(tmp_path: Path) -> None:
    kind = ["playbook/k/index.md", "playbook/k/b.md", "playbook/k/a.md", "playbook/k/c.md", "playbook/k/d-e.md"]
    governance = ["playbook/governance/index.md", "playbook/changes.md", "playbook/governance/z.md",
                  "playbook/governance/a.md"]
    nav, pages = build_nav([{"Kind": kind}, {"Governance": governance}], kind + governance, tmp_path)
    headings = {"playbook/k/b.md": "# &lt;b&gt; first", "playbook/k/a.md": "# zebra", "playbook/k/c.md": "# Apple",
                "playbook/governance/z.md": "# Zulu", "playbook/governance/a.md": "# Alpha"}
    for uri, markdown in headings.items():
        pages[uri].markdown, pages[uri].meta = markdown, {}
    titled(pages.values())
    in_title_order(pages.values(), "playbook")
    assert texts(nav.items[0].children) == ["playbook/k/index.md", "playbook/k/b.md", "playbook/k/c.md",
                                            "playbook/k/d-e.md", "playbook/k/a.md"]
    assert pages["playbook/k/d-e.md"].title == "D e"  # not read (serve --dirty): MkDocs' title from the file name
    assert texts(nav.items[1].children) == governance  # not a kind's list: the order mkdocs.yml gives


# --- what a reader sees ------------------------------------------------------------------------------------

@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def breadcrumbs(page: Page) -> list[tuple[str, str]]:
    """The breadcrumbs' text and the path each links to."""
    links = page.locator("nav.md-path a.md-path__link")
    return [(links.nth(i).inner_text().strip(), re.sub(r"^https?://[^/]+", "", links.nth(i).evaluate("a => a.href")))
            for i in range(links.count())]


def kind_list(page: Page) -> tuple[Locator, list[str]]:
    """The sidebar's list of the page's kind and the text of its items."""
    kind = page.locator(KIND).last
    return kind, [text.strip() for text in kind.locator(ITEMS).all_inner_texts()]


def active_tab(page: Page) -> str:
    return page.locator(".md-tabs__item--active").inner_text().strip()


@pytest.mark.parametrize(("folder", "entry", "tab", "index"), [
    ("architectures", "rag-assistant", "Playbook", "Reference architectures"),
    ("adrs", "0001-llm-provider-gateway", "Playbook", "Decisions"),
    ("teams", "sre", "Governance", "Owners"),
])
def test_an_entry_page_says_where_it_belongs(page: Page, base_url: str, bundled_site: Path, folder: str, entry: str,
                                             tab: str, index: str) -> None:
    page.goto(f"{base_url}/playbook/{folder}/{entry}/")
    tab_url = "/playbook/" if tab == "Playbook" else "/playbook/governance/"
    assert breadcrumbs(page) == [("Home", "/"), (tab, tab_url), (index, f"/playbook/{folder}/")]
    assert active_tab(page) == tab
    kind, items = kind_list(page)
    assert kind.locator(":scope > div > a.md-nav__link").first.inner_text().strip() == index  # the kind's index
    titles = catalog_titles(bundled_site.parent, folder)
    assert len(items) == len(titles) <= 30
    assert items == sorted(items, key=str.casefold)
    current = kind.locator(f"{ITEMS}.md-nav__link--active")
    assert current.count() == 1
    assert current.inner_text().strip() == page.locator("h1").first.inner_text().removesuffix("¶").strip()
    assert current.is_visible()


def test_a_long_kind_is_listed_a_run_at_a_time(page: Page, base_url: str, bundled_site: Path) -> None:
    tools = by_title(titles := catalog_titles(bundled_site.parent, "tools"))
    assert 60 < len(tools) <= 90, "the bundled catalog no longer has three runs of tools"
    page.goto(f"{base_url}/playbook/tools/{tools[-1]}/")
    _, items = kind_list(page)
    assert items == ["Previous 30", *(titles[tool] for tool in tools[60:])]
    page.locator(KIND).last.get_by_role("link", name="Previous 30").click()
    page.wait_for_url(f"**/playbook/tools/{tools[30]}/")
    _, items = kind_list(page)
    assert items == ["Previous 30", *(titles[tool] for tool in tools[30:60]), f"Next {len(tools) - 60}"]
    assert breadcrumbs(page)[-1] == ("Tools and vendors", "/playbook/tools/")


@pytest.mark.parametrize(("path", "trail", "tab"), [
    ("/playbook/standards/", [("Home", "/"), ("Playbook", "/playbook/"), ("Standards and guardrails", "/playbook/standards/")],
     "Playbook"),
    ("/playbook/governance/portfolio/", [("Home", "/"), ("Governance", "/playbook/governance/")], "Governance"),
    ("/golden-path/", [("Home", "/"), ("Using the playbook", "/golden-path/")], "Using the playbook"),
])
def test_index_governance_and_hand_written_pages_show_breadcrumbs(page: Page, base_url: str, path: str,
                                                                  trail: list[tuple[str, str]], tab: str) -> None:
    page.goto(base_url + path)
    assert breadcrumbs(page) == trail
    assert active_tab(page) == tab


# --- an edition ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> Path:
    """The public edition of the bundled playbook, with one architecture made internal and one titled with markup."""
    root = make_project(tmp_path_factory.mktemp("navigation") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    hidden = root / "catalog" / "architectures" / "batch-scoring.yaml"
    hidden.write_text(hidden.read_text(encoding="utf-8").replace("\ntitle:", "\nvisibility: internal\ntitle:", 1),
                      encoding="utf-8")
    marked = root / "catalog" / "architectures" / "agentic-workflow.yaml"
    marked.write_text(re.sub(r"^title: .*$", lambda _: f"title: {json.dumps(HOSTILE)}", marked.read_text(encoding="utf-8"),
                             count=1, flags=re.M), encoding="utf-8")
    site = root / "site-public"
    assert main(["--root", str(root), "build", "--audience", "public", "--site-dir", str(site)]) == 0
    return site


def test_no_sidebar_of_an_edition_lists_what_it_leaves_out(public_site: Path) -> None:
    hidden = ["architectures/batch-scoring/", *(f"adrs/{adr}/" for adr in catalog_titles(REPO, "adrs"))]
    pages = sorted(public_site.rglob("*.html"))
    assert len(pages) > 100
    for html in pages:
        text = html.read_text(encoding="utf-8")
        start, end = text.find('data-md-component="tabs"'), text.find("<article")
        navigation = text[start:end] if 0 <= start < end else text  # the tabs, the sidebar and the breadcrumbs
        assert "Batch scoring pipeline" not in navigation, html
        assert not [url for url in hidden if url in navigation], html


def test_a_title_is_text_in_the_sidebar(browser: Browser, public_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with served(public_site) as url:
        page.goto(f"{url}/playbook/architectures/rag-assistant/")
        _, items = kind_list(page)
        assert HOSTILE in items
        assert "Batch scoring pipeline for ML and LLM workloads" not in items
        assert page.locator(f"{KIND} img, {KIND} b").count() == 0
        assert page.evaluate("window.pwned") is None
    context.close()
