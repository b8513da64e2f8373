"""What readers see, in Debian's Chromium: pages render, search finds entries, nothing loads from other hosts."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from generators.cli import main



class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, make_project) -> Iterator[str]:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path_factory.mktemp("browser"))
    assert main(["--root", str(root), "build"]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


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
                                  "/playbook/onboarding/ai-architect-first-90-days/"])
def test_pages_load_from_this_host_only_without_console_errors(page: Page, base_url: str, path: str) -> None:
    hosts, errors = visit(page, base_url + path)
    assert set(hosts) == {"127.0.0.1"}
    assert errors == []
    assert page.locator("h1").first.is_visible()


def test_search_finds_an_entry_by_title(page: Page, base_url: str) -> None:
    visit(page, base_url + "/")
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    query.press_sequentially("prompt injection")
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for(timeout=15_000)
    top = [results.nth(i).get_attribute("href") or "" for i in range(min(5, results.count()))]
    assert any("/playbook/threats/prompt-injection/" in href for href in top), top


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
        icons = diagram.evaluate("""o => [...o.contentDocument.querySelectorAll('image')].map(i => i.getBBox().width)""")
        assert icons and all(width > 0 for width in icons), f"tab {index} shows no diagram icons"
