"""What readers see, in Debian's Chromium: pages render, index filters, the radar and onboarding
progress work, nothing loads from other hosts, axe-core finds no serious accessibility problem, and every page
reads without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from conftest import REPO

if TYPE_CHECKING:  # Playwright is needed only to run these tests, not to collect them
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: The pages the accessibility check covers: home, an index, an architecture with its diagram, the radar, a kit.
CHECKED = ["/", "/playbook/standards/", "/playbook/architectures/rag-assistant/", "/playbook/tools/radar/",
           "/playbook/onboarding/ai-architect-first-90-days/", "/playbook/kpis/architecture-review-cycle-time/",
           "/playbook/governance/portfolio/"]


def visit(page: Page, url: str) -> tuple[list[str], list[str]]:
    """Open a page; return the hosts it requested and the console errors and failed requests it logged."""
    hosts: list[str] = []
    errors: list[str] = []
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    return hosts, errors


@pytest.mark.parametrize("path", ["/", "/playbook/", "/playbook/architectures/rag-assistant/", "/playbook/standards/",
                                  "/playbook/onboarding/ai-architect-first-90-days/", "/playbook/tools/radar/",
                                  "/playbook/architectures/guide/", "/playbook/governance/portfolio/"])
def test_pages_load_from_this_host_only_without_console_errors(page: Page, base_url: str, path: str) -> None:
    hosts, errors = visit(page, base_url + path)
    assert set(hosts) == {"127.0.0.1"}
    assert errors == []
    assert page.locator("h1").first.is_visible()


def test_a_tag_filter_narrows_an_index_table(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/standards/")
    rows = page.locator(".pb-filterable tbody tr")
    total = rows.count()
    page.select_option("select[id$=-tags]", "privacy")
    visible = [rows.nth(i) for i in range(total) if rows.nth(i).is_visible()]
    assert 0 < len(visible) < total
    assert all("privacy" in row.locator("td").nth(3).inner_text().split(", ") for row in visible)
    assert page.locator(".pb-filter-count").inner_text() == f"{len(visible)} of {total} rows"
    page.select_option("select[id$=-tags]", "")
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total


def test_a_column_header_sorts_the_table(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/tools/")
    dates = lambda: page.locator(".pb-filterable tbody tr td:nth-child(5)").all_inner_texts()  # noqa: E731
    page.get_by_role("button", name="Last reviewed").click()
    assert dates() == sorted(dates())
    page.get_by_role("button", name="Last reviewed").click()
    assert dates() == sorted(dates(), reverse=True)


def test_entry_page_links_to_the_standards_that_apply(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/architectures/rag-assistant/")
    page.get_by_role("link", name="Prompts and model versions as code").first.click()
    page.wait_for_url("**/playbook/standards/prompt-versioning/")
    assert page.locator("h1").inner_text().startswith("Prompts and model versions as code")


def test_diagram_shows_in_every_tab(page: Page, base_url: str) -> None:
    hosts, errors = visit(page, base_url + "/playbook/architectures/rag-assistant/")
    assert set(hosts) == {"127.0.0.1"} and errors == []
    tabs = page.locator(".tabbed-labels label")
    assert tabs.count() >= 2
    for index in range(tabs.count()):
        tabs.nth(index).click()
        diagram = page.locator(".tabbed-block").nth(index).locator("object.pb-diagram")
        diagram.wait_for()
        diagram.evaluate("o => new Promise(r => o.contentDocument && o.contentDocument.querySelector('g.node') ? r(1) "
                         ": o.addEventListener('load', r, {once: true}))")
        # every node is drawn: a generic shape, or in a cloud view the provider's service icon
        shapes = diagram.evaluate("""o => [...o.contentDocument.querySelectorAll('g.node')].map(
            g => g.querySelector('image, polygon, ellipse, path').getBBox().width)""")
        assert shapes and all(width > 0 for width in shapes), f"tab {index} shows no diagram nodes"
        icons = diagram.evaluate("o => o.contentDocument.querySelectorAll('image').length")
        assert (icons == 0) == (index == 0), f"tab {index}: the neutral view alone draws no product icon"


def svg_frame(page: Page, suffix: str):  # type: ignore[no-untyped-def]
    """The frame of the <object> whose SVG address ends with `suffix`, once it has loaded."""
    page.wait_for_function(f"[...document.querySelectorAll('object')].some(o => o.data.endsWith('{suffix}') && o.contentDocument)")
    return next(f for f in page.frames if f.url.endswith(suffix))


def test_a_diagram_node_link_opens_its_entry(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/architectures/rag-assistant/")
    frame = svg_frame(page, "rag-assistant.neutral.svg")
    link = frame.locator("a[target=_top]").first
    target = link.get_attribute("xlink:href") or ""
    link.locator("text").first.click()
    page.wait_for_url("**/playbook/" + target.removeprefix("../"))
    assert page.locator(".pb-card").is_visible()


def test_the_radar_draws_every_tool_and_a_blip_opens_its_page(page: Page, base_url: str) -> None:
    hosts, errors = visit(page, base_url + "/playbook/tools/radar/")
    assert errors == []
    frame = svg_frame(page, "tools/radar.svg")
    blips = frame.locator("a.pb-blip")
    rows = page.locator(".pb-filterable tbody tr")
    assert blips.count() == rows.count() > 50
    assert frame.locator("title").first.text_content() == "Technology radar"
    first = rows.first.locator("td").nth(1).inner_text()
    blips.first.click()
    page.wait_for_url("**/playbook/tools/*/")
    assert page.locator("h1").inner_text().startswith(first)


def test_onboarding_ticks_survive_a_reload_and_reset_clears_them(page: Page, base_url: str) -> None:
    url = base_url + "/playbook/onboarding/ai-architect-first-90-days/"
    visit(page, url)
    boxes = page.locator(".pb-kit input[type=checkbox]")
    progress = page.locator(".pb-progress span").first
    total = progress.inner_text().split(" of ")[1]
    assert progress.inner_text() == f"0 of {total}"
    boxes.nth(1).check(force=True)  # Material draws its own tick over the native box
    assert boxes.nth(1).is_checked() and progress.inner_text() == f"1 of {total}"
    page.reload(wait_until="networkidle")
    assert page.locator(".pb-kit input[type=checkbox]").nth(1).is_checked()
    assert not page.locator(".pb-kit input[type=checkbox]").first.is_checked()
    assert page.locator(".pb-progress span").first.inner_text() == f"1 of {total}"
    page.once("dialog", lambda dialog: dialog.accept())  # the reset asks first
    page.get_by_role("button", name="Reset my progress").click()
    page.reload(wait_until="networkidle")
    assert not page.locator(".pb-kit input[type=checkbox]").nth(1).is_checked()


def test_the_print_stylesheet_keeps_the_checklist_and_drops_the_chrome(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/onboarding/ai-architect-first-90-days/")
    page.emulate_media(media="print")
    assert page.locator(".pb-kit .task-list-item").first.is_visible()
    assert not page.locator(".md-header").is_visible() and not page.locator(".pb-kit-note").is_visible()


def test_the_dark_palette_toggles(page: Page, base_url: str) -> None:
    visit(page, base_url + "/")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    before = scheme()
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert scheme() != before and {before, scheme()} == {"default", "slate"}


@pytest.mark.parametrize("path", CHECKED)
def test_axe_finds_no_serious_or_critical_violation(page: Page, base_url: str, path: str) -> None:
    visit(page, base_url + path)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_a_kpi_page_shows_its_status_and_a_trend_chart_with_its_data_as_a_table(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/kpis/architecture-review-cycle-time/")
    status = page.locator(".pb-kpi-now").inner_text()
    assert status.split(".")[0] in ("Met", "At risk", "Missed") and "Goal: at most 10" in status
    chart = page.get_by_role("img", name="Architecture review cycle time by period")
    assert chart.count() == 1 and chart.is_visible()
    rows = page.locator("table:below(#trend) tbody tr").filter(has=page.locator("td"))
    periods = [row.locator("td").first.inner_text() for row in rows.all()][:chart.locator("circle").count()]
    assert [c.text_content() for c in chart.locator("circle title").all()] == [
        f"{period}: {row.locator('td').nth(1).inner_text()}" for period, row in zip(periods, rows.all())]
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")  # dark mode: the text follows
    colour = chart.locator("text").first.evaluate("e => getComputedStyle(e).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colour != background and colour != "rgb(0, 0, 0)"


def test_the_dashboard_shows_a_tile_per_kpi_with_its_status_in_words(page: Page, base_url: str) -> None:
    visit(page, base_url + "/playbook/governance/portfolio/")
    tiles = page.locator(".pb-tile")
    words = [tile.locator("strong").first.inner_text() for tile in tiles.all()]
    assert len(words) >= 16 and set(words) <= {"Met", "At risk", "Missed", "Not measured yet", "No goal to test"}
    sparks = page.locator(".pb-tile svg.pb-spark")
    assert sparks.count() >= 16 and all((s.get_attribute("aria-label") or "").startswith("Trend over") for s in sparks.all())
    assert page.get_by_role("img", name="Readiness of each initiative").is_visible()
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2  # it prints on one or two pages


def test_diagrams_and_the_radar_have_text_alternatives(page: Page, base_url: str) -> None:
    for path in ("/playbook/architectures/rag-assistant/", "/playbook/tools/radar/"):
        visit(page, base_url + path)
        labels = page.locator("object.pb-diagram").evaluate_all("os => os.map(o => o.getAttribute('aria-label') || '')")
        assert labels and all(len(label) > 20 for label in labels), (path, labels)


@pytest.fixture
def no_script(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_pages_read_without_javascript(no_script: Page, base_url: str) -> None:
    no_script.goto(base_url + "/playbook/standards/")
    rows = no_script.locator(".pb-filterable tbody tr")
    assert rows.count() >= 15 and all(rows.nth(i).is_visible() for i in range(rows.count()))
    assert no_script.locator(".pb-filters").count() == 0
    no_script.goto(base_url + "/playbook/onboarding/ai-architect-first-90-days/")
    assert no_script.locator(".pb-kit .task-list-item").count() >= 10
    assert no_script.locator(".pb-kit .task-list-item").first.is_visible()
    no_script.goto(base_url + "/playbook/tools/radar/")
    assert no_script.locator(".pb-filterable tbody tr").count() > 50
    assert no_script.locator(".pb-card").count() == 0  # the radar is a page of its own, not an entry
    no_script.goto(base_url + "/playbook/architectures/rag-assistant/")
    assert no_script.locator(".pb-card dt").all_inner_texts()[:4] == ["Kind", "Status", "Owners", "Last reviewed"]
