"""Onboarding kits and the 404 page, in Debian's Chromium.

A kit shows its overall progress as it changes, names each checkbox by its task's whole text, asks before it
resets, and prints as a checklist whose ticks show on paper. The 404 page, served for any missing address at any
depth, offers the search and the sections of the navigation (as the edition prunes it), and every link of it lands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import REPO
from test_diagram_viewer import AXE, new_page
from test_editions import MINIMAL

from benchmarks.legibility import served
from generators.cli.main import main

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

KIT = "/playbook/onboarding/ai-architect-first-90-days/"
MISSING = "/some/deep/missing/page/"
#: The sections the 404 page must offer, as the bundled mkdocs.yml names them.
SECTIONS = ["Home", "Playbook", "Reference architectures", "Standards and guardrails", "Checklists", "Decisions",
            "Tools and vendors", "Technology radar", "Onboarding kits", "Governance"]
#: The ::before mark of each task's box, and whether its checkbox is ticked.
MARKS = """items => items.map(li => [li.querySelector('input').checked,
  getComputedStyle(li.querySelector('.task-list-indicator'), '::before').content,
  getComputedStyle(li.querySelector('.task-list-indicator'), '::before').maskImage,
  getComputedStyle(li).breakInside])"""


def axe_serious(page: Page) -> list[Any]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


def open_kit(browser: Browser, base_url: str, width: int = 1280) -> tuple[Page, list[str]]:
    page, errors = new_page(browser, width, 900)
    page.goto(base_url + KIT, wait_until="networkidle")
    return page, errors


def test_the_kit_shows_its_overall_progress_and_updates_it_politely(browser: Browser, base_url: str) -> None:
    page, errors = open_kit(browser, base_url)
    boxes = page.locator(".pb-kit input[type=checkbox]")
    total = boxes.count()
    overall = page.locator(".pb-kit-overall")
    bar = page.locator(".pb-kit-status progress")
    before = overall.inner_text(), overall.get_attribute("aria-live"), bar.get_attribute("aria-label")
    boxes.nth(0).check(force=True)  # Material draws its own tick over the native box
    boxes.nth(3).check(force=True)
    after = overall.inner_text(), bar.evaluate("b => [b.value, b.max]")
    boxes.nth(3).uncheck(force=True)
    last = overall.inner_text()
    page.context.close()
    assert total > 10
    assert before == (f"0 of {total} tasks done", "polite", "Progress of the whole kit")
    assert after == (f"2 of {total} tasks done", [2, total])
    assert last == f"1 of {total} tasks done"
    assert errors == []


def test_reset_is_a_quiet_control_that_asks_first_and_cancelling_keeps_the_ticks(browser: Browser,
                                                                                 base_url: str) -> None:
    page, errors = open_kit(browser, base_url)
    boxes = page.locator(".pb-kit input[type=checkbox]")
    total = boxes.count()
    reset = page.get_by_role("button", name="Reset my progress…")
    untouched = reset.is_disabled()
    boxes.nth(1).check(force=True)
    boxes.nth(2).check(force=True)
    looks = reset.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).borderStyle, b.className]")
    asked: list[str] = []

    def answer(accept: bool) -> None:
        page.once("dialog", lambda dialog: (asked.append(dialog.message),
                                            dialog.accept() if accept else dialog.dismiss()))

    answer(False)
    reset.click()
    kept = [boxes.nth(i).is_checked() for i in range(3)], page.locator(".pb-kit-overall").inner_text()
    page.reload(wait_until="networkidle")
    kept_after_reload = [boxes.nth(i).is_checked() for i in range(3)]
    answer(True)
    reset.click()
    cleared = [boxes.nth(i).is_checked() for i in range(3)], page.locator(".pb-kit-overall").inner_text()
    page.reload(wait_until="networkidle")
    cleared_after_reload = [boxes.nth(i).is_checked() for i in range(3)], reset.is_disabled()
    page.context.close()
    assert untouched  # nothing to reset yet
    assert looks == ["rgba(0, 0, 0, 0)", "none", "pb-kit-reset"]  # a text button, not Material's outlined one
    assert asked == ["Untick all 2 ticked tasks of this kit? This cannot be undone."] * 2
    assert kept == ([False, True, True], f"2 of {total} tasks done") and kept_after_reload == [False, True, True]
    assert cleared == ([False, False, False], f"0 of {total} tasks done")
    assert cleared_after_reload == ([False, False, False], True)
    assert errors == []


def test_each_checkbox_is_named_by_its_whole_task_text(browser: Browser, base_url: str) -> None:
    from playwright.sync_api import expect

    page, errors = open_kit(browser, base_url)
    items = page.locator(".pb-kit li.task-list-item")
    texts = [" ".join(text.split()) for text in items.all_inner_texts()]
    for index, text in enumerate(texts):
        expect(items.nth(index).get_by_role("checkbox")).to_have_accessible_name(text)
    page.context.close()
    assert len(texts) > 10 and any(len(text) > 200 for text in texts)  # longer than the names once cut at 120
    assert all(re.search(r"\. Done when: .+[^ ]$", text) for text in texts), texts
    assert errors == []


def test_a_printed_kit_keeps_each_task_whole_shows_its_ticks_and_no_buttons(browser: Browser, base_url: str) -> None:
    page, errors = open_kit(browser, base_url)
    page.locator(".pb-kit input[type=checkbox]").nth(1).check(force=True)
    page.emulate_media(media="print")
    marks = page.locator(".pb-kit li.task-list-item").evaluate_all(MARKS)
    reset_shown = page.locator(".pb-kit-reset").is_visible()
    overall = page.locator(".pb-kit-overall")
    overall_text = overall.inner_text() if overall.is_visible() else None
    total = len(marks)
    page.context.close()
    assert marks[1] == [True, '"✓"', "none", "avoid"]
    assert all(mark == [False, '""', "none", "avoid"] for i, mark in enumerate(marks) if i != 1), marks
    assert not reset_shown
    assert overall_text == f"1 of {total} tasks done"
    assert errors == []


def test_axe_finds_no_serious_violation_on_a_kit_in_progress(browser: Browser, base_url: str) -> None:
    page, errors = open_kit(browser, base_url, 390)
    page.locator(".pb-kit input[type=checkbox]").nth(0).check(force=True)
    serious = axe_serious(page)
    page.context.close()
    assert serious == []
    assert errors == []


def test_without_javascript_a_kit_reads_as_a_list_of_its_tasks(browser: Browser, base_url: str) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(base_url + KIT)
    items = page.locator(".pb-kit li.task-list-item")
    count, first = items.count(), items.first.inner_text()
    controls = page.locator(".pb-kit-status, .pb-kit-reset").count()
    page.context.close()
    assert count > 10 and "Done when:" in first
    assert controls == 0


@pytest.fixture(scope="module")
def missing_url(bundled_site: Path) -> Iterator[str]:
    with served(bundled_site, missing="404.html") as url:
        yield url


def test_a_missing_page_three_folders_deep_offers_search_and_sections_whose_links_all_land(
        browser: Browser, missing_url: str) -> None:
    page, errors = new_page(browser, 390, 844)
    response = page.goto(missing_url + MISSING, wait_until="networkidle")
    assert response is not None and response.status == 404
    heading = page.locator("h1").inner_text()
    search_here = page.locator("[data-pb-search-here]").count()
    pointer = page.locator("#pb-404-search + p").inner_text()
    links = page.locator(".pb-404-sections a").evaluate_all("links => links.map(a => [a.textContent.trim(), a.href])")
    statuses = {href: page.request.get(href).status for _, href in links}
    serious = axe_serious(page)
    page.context.close()
    assert heading == "Page not found"
    assert search_here == 1
    assert pointer == "Type what you were looking for into the search box at the top of any page, or press /."
    assert [name for name, _ in links if name in SECTIONS] == SECTIONS
    assert all(href.startswith(missing_url + "/") for _, href in links)
    assert [href for href, status in statuses.items() if status != 200] == []
    assert serious == []
    # Nothing failed but the address itself, which answers 404 (and Chromium says so in the console).
    assert sorted(errors) == [f"404 {missing_url}{MISSING}",
                              "Failed to load resource: the server responded with a status of 404 (Not Found)"]


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> Path:
    """The public edition of a small project whose golden path page is internal."""
    root = make_project(tmp_path_factory.mktemp("edition404") / "project", MINIMAL)
    (root / "playbook.toml").write_bytes((REPO / "playbook.toml").read_bytes())
    (root / "docs" / "golden-path.md").write_text("---\nvisibility: internal\n---\n\n# Golden path\n", encoding="utf-8")
    site = root.parent / "site-public"
    assert main(["--root", str(root), "build", "--audience", "public", "--site-dir", str(site)]) == 0
    return site


@pytest.mark.slow  # builds a site
def test_the_404_page_of_an_edition_lists_only_the_sections_it_keeps(public_site: Path) -> None:
    page = (public_site / "404.html").read_text(encoding="utf-8")
    sections = page.split('<nav class="pb-404-sections"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', sections)
    assert ("/reading/", "Reading the playbook") in links
    assert ("/playbook/architectures/", "Reference architectures") in links
    assert "golden-path" not in sections and "Golden path" not in sections
    assert all((public_site / href.strip("/") / "index.html").is_file() for href, _ in links if href != "/.")
