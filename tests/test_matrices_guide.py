"""Governance matrices and the decision guide, as readers use them in Chromium.

A matrix keeps its header row and first column in view while its frame scrolls both ways, heads its columns with
titles, and on a phone becomes one item per row. The decision guide groups the situations by architecture, one box
filters them all (matching each architecture's own text too), and a cloud facet narrows them; the count is announced.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import REPO, bare_project

from benchmarks.legibility import served
from generators.cli.main import main
from generators.load.entries import load_catalog
from generators.models.architecture import Architecture
from generators.pipeline import generate_pages

if TYPE_CHECKING:  # Playwright is needed only to run these tests, not to collect them
    from playwright.sync_api import Browser, Page, Route

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
MATRIX = "/playbook/governance/architecture-standards/"
MATRICES = [MATRIX, "/playbook/governance/checklist-standards/", "/playbook/governance/threat-coverage/"]
GUIDE = "/playbook/architectures/guide/"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"

#: Where each part of the matrix is, in viewport px, after its frame is scrolled to the far corner.
MEASURE = """() => {
  const frame = document.querySelector('.pb-matrix__frame');
  window.scrollTo(0, window.scrollY + frame.getBoundingClientRect().top - 64);  // below the site's own header
  frame.scrollLeft = frame.scrollWidth;
  frame.scrollTop = frame.scrollHeight;
  const box = e => { const r = e.getBoundingClientRect();
    return {top: r.top, left: r.left, bottom: r.bottom, right: r.right}; };
  const inner = frame.getBoundingClientRect();
  const rows = [...frame.querySelectorAll('tbody th[scope=row]')];
  const last = rows[rows.length - 1], cols = [...frame.querySelectorAll('thead th')];
  const onTop = e => { const r = e.getBoundingClientRect();
    return e.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); };
  return {frame: {top: inner.top + frame.clientTop, left: inner.left + frame.clientLeft},
          scrolled: [frame.scrollLeft, frame.scrollTop], corner: box(cols[0]), lastColumn: box(cols[cols.length - 2]),
          firstRow: box(rows[0]), lastRow: box(last), lastCell: box(last.nextElementSibling),
          onTop: [onTop(cols[0]), onTop(cols[cols.length - 2]), onTop(last)]};
}"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 640})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_script(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    yield context.new_page()
    context.close()


def axe_violations(page: Page) -> list[tuple[str, str, list[str]]]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


# -- matrices -------------------------------------------------------------------------------------------------------


def test_the_header_row_and_first_column_stay_in_view_while_the_frame_scrolls(page: Page, base_url: str) -> None:
    page.goto(base_url + MATRIX, wait_until="networkidle")
    at = page.evaluate(MEASURE)
    assert at["scrolled"][0] > 50 and at["scrolled"][1] > 50, "the frame should scroll both ways at 1280 x 640"
    frame = at["frame"]
    # the header row sits at the frame's top, over rows that have scrolled up beneath it
    assert abs(at["corner"]["top"] - frame["top"]) <= 1 and abs(at["lastColumn"]["top"] - frame["top"]) <= 1
    assert at["firstRow"]["top"] < at["corner"]["bottom"]
    # the first column sits at the frame's left, over cells that have scrolled left beneath it
    assert abs(at["corner"]["left"] - frame["left"]) <= 1 and abs(at["lastRow"]["left"] - frame["left"]) <= 1
    assert at["lastCell"]["left"] < at["lastRow"]["right"]
    assert at["onTop"] == [True, True, True], "the frozen cells are drawn over the cells scrolled beneath them"


def test_matrix_columns_are_headed_by_titles_and_cells_say_their_mark(page: Page, base_url: str) -> None:
    page.goto(base_url + MATRIX, wait_until="networkidle")
    heading = page.locator("th.pb-matrix__col", has_text="prompt-versioning")
    assert heading.inner_text().split() == ["Prompts", "and", "model", "versions", "as", "code", "prompt-versioning"]
    assert heading.locator("a").get_attribute("href") == "../../standards/prompt-versioning/"
    titles = page.locator(".pb-matrix__title").all_inner_texts()
    assert len(titles) == page.locator("th.pb-matrix__col").count() > 10 and all(" " in t for t in titles)
    # headers are scoped for screen readers; a mark is a word for them, a tick for the eye
    rows = page.locator("tbody th[scope=row]").count()
    assert rows == page.locator(".pb-matrix__item").count() > 5
    assert page.locator("thead th[scope=col]").count() == len(titles) + 2
    mark = page.locator(".pb-matrix__mark").first
    assert mark.text_content() == "applies"
    assert mark.evaluate("m => getComputedStyle(m, '::before').content").startswith('"✓"')
    assert page.get_by_role("region", name=re.compile("^Architectures × standards; scroll")).count() == 1


@pytest.mark.parametrize("path", MATRICES)
def test_on_a_phone_each_matrix_is_a_list_of_its_rows(phone: Page, base_url: str, path: str) -> None:
    phone.goto(base_url + path, wait_until="networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    assert not phone.locator(".pb-matrix__frame").is_visible()
    items = phone.locator(".pb-matrix__item")
    assert items.count() == phone.locator("tbody th[scope=row]").count() > 5
    items.first.locator("summary").click()
    assert items.first.get_by_role("link").first.is_visible()


def test_on_a_phone_the_list_shows_without_javascript(no_script: Page, base_url: str) -> None:
    no_script.goto(base_url + MATRIX)
    first = no_script.locator(".pb-matrix__item").first
    assert first.is_visible() and not no_script.locator(".pb-matrix__frame").is_visible()
    first.locator("summary").click()
    assert re.search(r"Applies: .+\nDoes not apply: ", first.inner_text())


# -- the decision guide ---------------------------------------------------------------------------------------------


def situations(page: Page) -> dict[str, list[tuple[str, str, bool]]]:
    """Each group's heading: its situations as (list, text, shown), in page order."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.pb-guide__group')].map(g => [
      g.querySelector('h2').textContent.replace(/¶$/, ''),
      [...g.querySelectorAll('.pb-guide__fits li, .pb-guide__misfits li')].map(li => [
        li.closest('.pb-guide__fits') ? 'fits' : 'misfits', li.textContent, li.getClientRects().length > 0])]))""")


def own_text(page: Page) -> dict[str, str]:
    """Each group's heading: the group's own text (heading, summary, clouds and tags, components)."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.pb-guide__group')].map(g => [
      g.querySelector('h2').textContent.replace(/¶$/, ''),
      [...g.children].filter(c => !c.matches('.pb-guide__verdicts')).map(c => c.textContent).join(' ')]))""")


def shown(page: Page) -> list[str]:
    return [text for rows in situations(page).values() for _, text, visible in rows if visible]


def test_the_guide_groups_situations_under_their_architecture(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE, wait_until="networkidle")
    groups = situations(page)
    assert list(groups) == sorted(groups, key=str.lower) and len(groups) >= 10
    assert all({kind for kind, _, _ in rows} == {"fits", "misfits"} for rows in groups.values())
    total = sum(len(rows) for rows in groups.values())
    assert page.locator(".pb-guide .pb-filter-count[aria-live=polite]").inner_text() == \
        f"{total} situations in {len(groups)} architectures"


def test_one_box_filters_every_situation_and_the_count_is_announced(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE, wait_until="networkidle")
    assert page.locator(".pb-guide input[type=search]").count() == 1
    total = len(shown(page))
    page.get_by_label("Filter situations and architectures").fill("ticket")
    groups = situations(page)
    visible = {(kind, text) for rows in groups.values() for kind, text, seen in rows if seen}
    assert {"fits", "misfits"} <= {kind for kind, _ in visible} and 0 < len(visible) < total
    own = own_text(page)
    for heading, rows in groups.items():
        for _, text, seen in rows:
            assert seen == ("ticket" in (own[heading] + text).lower()), (heading, text)
    toc = page.locator(".md-sidebar--secondary .md-nav--secondary > ul > li > a")
    assert [link.inner_text() for link in toc.all() if link.is_visible()] == \
        [heading for heading, rows in groups.items() if any(seen for _, _, seen in rows)]
    left = sum(any(seen for _, _, seen in rows) for rows in groups.values())
    assert page.locator(".pb-filter-count").inner_text() == \
        f"{len(visible)} of {total} situations in {left} of {len(groups)} architectures"


def test_words_readers_try_find_architectures(page: Page, base_url: str) -> None:
    page.goto(base_url + GUIDE, wait_until="networkidle")
    box = page.get_by_label("Filter situations and architectures")
    rag = page.get_by_role("heading", name="Enterprise assistant with permission-aware RAG")
    for query in ("chatbot", "Chat-bot"):  # "chat-bot front ends" is a component of the RAG assistant
        box.fill(query)
        assert shown(page) and rag.is_visible(), query
    for query in ("azure", "rag azure", "gcp"):  # each architecture's clouds, by name and by key
        box.fill(query)
        assert shown(page), query
    box.fill("rag azure")  # every architecture is drawn for Azure: "rag" alone narrows
    assert rag.is_visible() and len(shown(page)) < sum(len(rows) for rows in situations(page).values())


def test_the_cloud_facet_narrows_the_guide(page: Page, base_url: str) -> None:
    """The bundled architectures are each drawn for every cloud, so the guide is served here as if the first one
    had no Azure view: what an architecture drawn for fewer clouds looks like (see the test below)."""
    azure = '<span class="pb-guide__cloud pb-guide__cloud--azure">Azure</span>'

    def without_azure(route: Route) -> None:
        response = route.fetch()
        body = response.text()
        assert azure in body
        route.fulfill(response=response, body=body.replace(azure, "", 1))

    page.route(f"**{GUIDE}", without_azure)
    page.goto(base_url + GUIDE, wait_until="networkidle")
    facet = page.get_by_role("group", name="Cloud")
    assert facet.get_by_role("radio").evaluate_all("rs => rs.map(r => r.labels[0].textContent)") == \
        ["All", "AWS", "Azure", "Google Cloud"]
    groups = situations(page)
    first = next(iter(groups))
    everything = shown(page)
    facet.get_by_label("Azure").check()
    narrowed = shown(page)
    assert narrowed == [text for name, rows in groups.items() if name != first for _, text, _ in rows]
    assert len(narrowed) < len(everything)
    assert not page.get_by_role("heading", name=first).is_visible()
    page.get_by_label("Filter situations and architectures").fill("ticket")
    assert 0 < len(shown(page)) < len(narrowed)
    facet.get_by_label("All").check()
    page.get_by_label("Filter situations and architectures").fill("")
    assert shown(page) == everything


def test_the_guide_reads_fully_without_javascript(no_script: Page, base_url: str) -> None:
    no_script.goto(base_url + GUIDE)
    rows = [row for rows in situations(no_script).values() for row in rows]
    assert len(rows) > 50 and all(seen for _, _, seen in rows)
    assert no_script.locator(".pb-guide input").count() == 0


@pytest.mark.parametrize(("path", "width"), [(MATRIX, 1280), (MATRIX, 390), (GUIDE, 1280)])
def test_axe_finds_no_serious_violation_on_the_matrix_and_the_guide(browser: Browser, base_url: str, path: str,
                                                                     width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="networkidle")
        if path == GUIDE:
            page.get_by_label("Filter situations and architectures").fill("ticket")
        assert axe_violations(page) == []
    finally:
        context.close()


# -- what the guide says of clouds (no browser) ---------------------------------------------------------------------


def test_the_guide_names_the_clouds_an_architecture_is_drawn_for(tmp_path: Path) -> None:
    catalog = shutil.copytree(MINIMAL / "catalog", tmp_path / "catalog")
    source = catalog / "architectures" / "sample-architecture.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\ndiagram:\n", "\ndiagram:\n  providers: [gcp, aws]\n"), encoding="utf-8")
    loaded, report = load_catalog(tmp_path, catalog)
    assert report.diagnostics == []
    guide = generate_pages(loaded, today=None, edit_base=None)[1]["architectures/guide.md"]
    assert 'Clouds: <span class="pb-guide__cloud pb-guide__cloud--gcp">Google Cloud</span>, ' \
           '<span class="pb-guide__cloud pb-guide__cloud--aws">AWS</span>' in guide
    assert "azure" not in guide.lower()


@pytest.fixture(scope="module")
def listed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A playbook whose matrices are past the grid's limit, built by `playbook build` and served."""
    root = bare_project(tmp_path_factory.mktemp("listed") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generators.render.pages.GRID_CELLS", 0)  # generation runs in this process
        assert main(["--root", str(root), "build"]) == 0
    with served(root / "site") as url:
        yield url


@pytest.mark.parametrize("path", MATRICES)
def test_on_a_wide_screen_a_matrix_past_the_grid_s_limit_is_its_list(page: Page, listed_url: str, path: str) -> None:
    page.goto(listed_url + path, wait_until="networkidle")
    assert page.locator(".pb-matrix--list").is_visible() and page.locator(".pb-matrix__frame").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    items = page.locator(".pb-matrix__item")
    assert items.count() == 1 and items.first.is_visible()  # the minimal catalog: one row in each matrix
    items.first.locator("summary").click()
    assert items.first.get_by_role("link").first.is_visible()
    assert axe_violations(page) == []


def test_a_matrix_too_large_for_a_grid_is_its_list_on_every_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past GRID_CELLS a matrix would grow with the product of its sides (hundreds of megabytes at 10,000 entries):
    its page holds the list alone, which names every link the grid would have marked."""
    catalog, report = load_catalog(REPO, REPO / "catalog")
    assert not report.errors
    pages = generate_pages(catalog, today=None, edit_base=None)[1]
    assert '<table class="pb-matrix__grid"' in pages["governance/architecture-standards.md"]
    monkeypatch.setattr("generators.render.pages.GRID_CELLS", 10)
    small = generate_pages(catalog, today=None, edit_base=None)[1]
    for name in ("architecture-standards", "checklist-standards", "threat-coverage"):
        text = small[f"governance/{name}.md"]
        assert '<table class="pb-matrix__grid"' not in text and 'class="pb-matrix pb-matrix--list"' in text, name
        assert "The grid is drawn up to 10 cells" in text, name
    listed = small["governance/architecture-standards.md"]
    items = listed.split('<details class="pb-matrix__item" markdown>')[1:]
    for architecture in catalog.of_kind(Architecture):
        item = next(i for i in items if "Reference architecture: [" in i and f"(../architectures/{architecture.id}.md)" in i)
        for standard in architecture.standards:
            assert f"(../standards/{standard}.md)" in item.split("</details>")[0], (architecture.id, standard)
    assert "Does not apply" not in listed  # the complement is what grows with the product
    assert "A column with no mark" not in listed  # no grid, no columns to speak of
