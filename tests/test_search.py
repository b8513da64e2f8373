"""Search as a reader uses it, in Debian's Chromium: the box in the header opens with "/", realistic queries put the
entry the reader is after in the top three, results show kind, status and summary, the filters narrow them, the
keyboard opens a result, axe passes on the open search, and catalog text reaches a result as text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import REPO
from test_serve import fetch, free_port, wait_for

from benchmarks.legibility import served
from generators.load.entries import load_catalog
from generators.render.pages import page_url

if TYPE_CHECKING:  # Playwright is needed only to run these tests, not to collect them
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

#: What readers type, and the page they are after: it must be among the first three results.
RANKED = [
    ("model card", "/playbook/standards/model-system-cards/"),
    ("prompt injection", "/playbook/threats/prompt-injection/"),
    ("ADR 0004", "/playbook/adrs/0004-pgvector-default-vector-store/"),
    ("ADR 0001", "/playbook/adrs/0001-llm-provider-gateway/"),
    ("0007-evaluation-gate-thresholds", "/playbook/adrs/0007-evaluation-gate-thresholds/"),
    ("rag azure", "/playbook/architectures/rag-assistant/"),
    ("chatbot", "/playbook/architectures/rag-assistant/"),
    ("evaluation harness", "/playbook/architectures/evaluation-harness/"),
    ("llm evaluation checklist", "/playbook/checklists/llm-evaluation-design/"),
    ("llm gateway", "/playbook/adrs/0001-llm-provider-gateway/"),
    ("production readiness", "/playbook/checklists/production-readiness/"),
    ("incident response", "/playbook/standards/ai-incident-response/"),
    ("runaway cost", "/playbook/incidents/runaway-inference-cost/"),
    ("provider outage", "/playbook/incidents/llm-provider-outage/"),
    ("excessive agency", "/playbook/threats/excessive-agency/"),
    ("data poisoning", "/playbook/threats/data-poisoning/"),
    ("human oversight", "/playbook/standards/human-oversight/"),
    ("review cycle time", "/playbook/kpis/architecture-review-cycle-time/"),
    ("vendor scorecard", "/playbook/checklists/vendor-model-scorecard/"),
    ("kong", "/playbook/tools/kong/"),
    ("red teaming", "/playbook/standards/red-teaming/"),
]


def open_search(page: Page, url: str) -> None:
    """Open a page and its search with the "/" key, as a reader would."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("customElements.get('pagefind-modal-trigger') !== undefined")
    page.keyboard.press("/")
    page.locator("pagefind-modal input[type=search]").wait_for(state="visible")


def results_for(page: Page, text: str) -> list[str]:
    """The result links shown for a query typed into the open search, once those of the whole query are shown
    (while it searches, the summary reads "Searching for ...", with no count yet)."""
    page.locator("pagefind-modal input[type=search]").fill(text)
    counted = re.compile(rf"\d+ results? for {re.escape(text)}")
    page.locator("pagefind-modal pagefind-summary").filter(has_text=counted).wait_for(timeout=20_000)
    return shown_results(page, min(3, result_count(page)))


def result_count(page: Page) -> int:
    """How many results the search says it found."""
    counted = re.search(r"(\d+) results? for", page.locator("pagefind-modal pagefind-summary").inner_text())
    return int(counted.group(1)) if counted else 0


def shown_results(page: Page, at_least: int) -> list[str]:
    """The links of the first results, read at once when the first `at_least` of them have loaded (each result
    loads its page's data as it scrolls into view, and shows a placeholder until then)."""
    return page.wait_for_function(
        """n => {
          const items = [...document.querySelectorAll('pagefind-modal pagefind-results .pf-result')];
          const links = [];
          for (const item of items) {
            const link = item.querySelector('.pf-result-link');
            if (!link) break;
            links.push(link.pathname);
          }
          return links.length >= Math.max(n, 1) && links;
        }""", arg=at_least, timeout=20_000).json_value()


def ranked(page: Page, query: str, count: int = 3) -> list[str]:
    """The first `count` pages the site's search ranks for a query: its own index and the search box's ranking,
    asked through Pagefind's API in the page, which is what the search box shows in this order."""
    return page.evaluate("""async ([query, count]) => {
        const pagefind = await import('/pagefind/pagefind.js');  // the site is served at the root
        const search = await pagefind.search(query);
        return (await Promise.all(search.results.slice(0, count).map(result => result.data()))).map(data => data.url);
    }""", [query, count])


@pytest.fixture(scope="module")
def site_page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/", wait_until="networkidle")
    yield page
    context.close()


def test_rag_evaluation_finds_the_evaluation_checklist_among_the_first_five(site_page: Page) -> None:
    """Pages about RAG that discuss evaluation come first; the checklist for designing an evaluation (tagged rag, with
    an item on scoring retrieval) follows among the first five, where a reader sees it without scrolling."""
    assert "/playbook/checklists/llm-evaluation-design/" in ranked(site_page, "RAG evaluation", 5)


@pytest.mark.parametrize(("query", "expected"), RANKED, ids=[query for query, _ in RANKED])
def test_a_realistic_query_puts_its_page_in_the_top_three(site_page: Page, query: str, expected: str) -> None:
    assert expected in ranked(site_page, query)


def test_the_search_box_shows_the_results_in_the_ranked_order(page: Page, base_url: str) -> None:
    open_search(page, base_url + "/")
    shown = results_for(page, "llm gateway")
    assert shown[:3] == ranked(page, "llm gateway")
    assert shown[0] == "/playbook/adrs/0001-llm-provider-gateway/"


def test_the_search_box_sits_in_the_header_and_opens_with_the_slash_key(page: Page, base_url: str) -> None:
    page.goto(base_url + "/playbook/standards/", wait_until="networkidle")
    box = page.locator(".md-header pagefind-modal-trigger button")
    assert box.get_attribute("aria-keyshortcuts") == "/"
    assert box.is_visible()
    page.keyboard.press("/")
    field = page.locator("pagefind-modal input[type=search]")
    field.wait_for(state="visible")
    assert field.evaluate("input => input === document.activeElement")


def test_a_result_shows_the_entry_s_kind_status_and_summary(page: Page, base_url: str) -> None:
    open_search(page, base_url + "/")
    results_for(page, "prompt injection")
    first = page.locator("pagefind-modal .pf-result").first
    assert first.locator(".pb-search-facts").inner_text() == "Threat · active"
    summary = first.locator(".pb-search-summary").inner_text()
    source = (REPO / "catalog" / "threats" / "prompt-injection.yaml").read_text(encoding="utf-8")
    assert summary and " ".join(summary.split()[:6]) in " ".join(source.split())


def choose(page: Page, name: str, value: str) -> tuple[int, int, list[str]]:
    """Pick one value of a filter from its list, as a reader does: the results before and after, and the first
    results shown after (read once the summary counts the filtered search)."""
    before = result_count(page)
    trigger = page.locator(f"pagefind-filter-dropdown[filter={name}] button.pf-dropdown-trigger")
    trigger.click()
    page.locator(f"pagefind-filter-dropdown[filter={name}] [role=option][data-value='{value}']").click()
    if trigger.get_attribute("aria-expanded") == "true":
        trigger.click()  # closes the list of values (Escape could close the whole search)
    page.wait_for_function("""n => {
        const summary = document.querySelector('pagefind-modal pagefind-summary').textContent;
        const counted = /^(\\d+) results? for/.exec(summary);
        return counted && Number(counted[1]) !== n;
    }""", arg=before)
    after = result_count(page)
    return before, after, shown_results(page, min(after, 3))


def test_the_kind_filter_keeps_only_that_kind(page: Page, base_url: str) -> None:
    open_search(page, base_url + "/")
    results_for(page, "data")
    everything, threats, found = choose(page, "kind", "Threat")
    assert 0 < threats < everything
    assert all(path.startswith("/playbook/threats/") for path in found), found
    facts = page.locator("pagefind-modal .pb-search-facts").all_inner_texts()
    assert facts and all(text.startswith("Threat · ") for text in facts)


@pytest.mark.parametrize(("name", "value", "query", "folder"),
                         [("cloud", "Azure", "retrieval", "/playbook/architectures/"),
                          ("status", "superseded", "evaluation", "/playbook/adrs/")])
def test_cloud_and_status_filters_narrow_the_results(page: Page, base_url: str, name: str, value: str, query: str,
                                                     folder: str) -> None:
    open_search(page, base_url + "/")
    results_for(page, query)
    everything, narrowed, found = choose(page, name, value)
    assert 0 < narrowed < everything
    assert all(path.startswith(folder) for path in found), found


def test_the_keyboard_opens_a_result(page: Page, base_url: str) -> None:
    open_search(page, base_url + "/playbook/")
    first = results_for(page, "excessive agency")[0]
    assert first == "/playbook/threats/excessive-agency/"
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(first)
    assert page.locator("h1").first.inner_text().rstrip("¶") == "Excessive agency in tool-using assistants and agents"


def test_axe_finds_no_serious_problem_in_the_open_search(page: Page, base_url: str) -> None:
    open_search(page, base_url + "/")
    results_for(page, "gateway")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document.querySelector('pagefind-modal'), "
                               "{resultTypes: ['violations']})).violations")
    serious = [(v["id"], [(n["target"], n["html"][:120]) for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []


HOSTILE = '<img src=x onerror="window.pwned=1"> "quoted" & <b>bold</b>'


@pytest.fixture(scope="module")
def hostile_site(make_project, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The bundled playbook with a threat whose title and summary are markup, built into a site."""
    root = make_project(tmp_path_factory.mktemp("hostile-search") / "project")
    path = root / "catalog" / "threats" / "prompt-injection.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^summary: .*$", lambda _: f"summary: '{HOSTILE}'", text, count=1)
    path.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "generators", "--root", str(root), "build"],
                   check=True, capture_output=True)
    return root / "site"


def test_catalog_markup_in_a_result_is_shown_as_text(page: Page, browser: Browser, hostile_site: Path) -> None:
    with served(hostile_site) as url:
        open_search(page, url + "/")
        results_for(page, "prompt injection")
        summary = page.locator("pagefind-modal .pf-result").first.locator(".pb-search-summary")
        assert summary.inner_text() == HOSTILE
        assert summary.locator("img, b").count() == 0
        assert page.evaluate("window.pwned") is None


@pytest.fixture
def serving(project: Path) -> Iterator[tuple[str, Path]]:
    """`playbook serve` on a copy of the bundled playbook."""
    port = free_port()
    with (project / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generators", "--root", str(project), "serve", "-a", f"127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            yield f"http://127.0.0.1:{port}", project
        finally:
            process.terminate()
            process.wait(timeout=20)


def test_search_works_under_serve_and_finds_an_edit(page: Page, serving: tuple[str, Path]) -> None:
    base, project = serving
    log = project / "serve.log"
    assert wait_for(lambda: '"page_count"' in fetch(f"{base}/pagefind/pagefind-entry.json")), log.read_text()
    from playwright.sync_api import Error as PageError

    def first(query: str) -> str | None:
        """The first result for `query` on a freshly opened page (live reload keeps a request open, so the network
        never idles under serve, and may open the page again while the query runs: then there is no answer yet)."""
        try:
            page.goto(base + "/")
            return (ranked(page, query) or [None])[0]
        except PageError:
            return None

    assert wait_for(lambda: first("kong") == "/playbook/tools/kong/", timeout=60), log.read_text()

    source = project / "catalog" / "tools" / "kong.yaml"
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    source.write_text(text.replace(title, "title: Kong Gateway, renamed zebracorn"), encoding="utf-8")
    assert wait_for(lambda: first("zebracorn") == "/playbook/tools/kong/", timeout=90), log.read_text()


@pytest.mark.parametrize(("name", "value", "query"), [("owner", "FinOps", "evaluation"), ("tag", "rag", "evaluation")])
def test_owner_and_tag_filters_keep_only_entries_with_that_owner_or_tag(page: Page, base_url: str, name: str,
                                                                         value: str, query: str) -> None:
    """The filtered results are entries the catalog gives that owner (by the team's title) or tag."""
    catalog, _ = load_catalog(REPO, REPO / "catalog")
    by_path = {f"/playbook/{page_url(entry)}": entry for entry in catalog.entries.values()}
    open_search(page, base_url + "/")
    results_for(page, query)
    everything, narrowed, found = choose(page, name, value)
    assert 0 < narrowed < everything
    for path in found:
        entry = by_path[path]
        labels = [catalog.entries[o].title for o in entry.owners] if name == "owner" else entry.tags
        assert value in labels, (path, labels)
