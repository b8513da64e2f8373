"""Drawings read at a legible size in the page, and open in a full-screen viewer that zooms, pans, follows node
links and closes back to its button: measured in Chromium at a desktop and a phone width.

A label's size on screen is its computed font size times the scale of its `getScreenCTM()`: exactly the size the
browser draws it at, in CSS px, whatever transforms and viewBox lie between. A text's bounding box would measure the
glyphs instead (a line's ascent and descent, "ADR" without descenders), which depend on the font and are not the
font size."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import REPO

if TYPE_CHECKING:  # Playwright is needed only to run these tests, not to collect them
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.slow  # opens every architecture page at two widths

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [(1280, 900), (390, 844)]
INLINE_PX = 11
VIEWER_PX = 14
ARCHITECTURE = "/playbook/architectures/rag-assistant/"
RADAR = "/playbook/tools/radar/"
RELATIONS = "/playbook/standards/prompt-versioning/"

#: Every label of each shown drawing among `objects`, as [on-screen font size in px, text].
LABELS = """objects => objects.filter(o => o.getClientRects().length).map(o => {
  const doc = o.contentDocument, labels = [];
  for (const t of doc.querySelectorAll('text, tspan, textPath')) {
    if (![...t.childNodes].some(n => n.nodeType === 3 && n.data.trim())) continue;
    const m = t.getScreenCTM();
    labels.push([parseFloat(doc.defaultView.getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), t.textContent.trim()]);
  }
  return {drawing: o.getAttribute('data'), labels};
})"""
#: The same for the drawing in the open viewer: [smallest label in px, left edge of the first label].
VIEWER_LABELS = """() => {
  const labels = [...document.querySelectorAll('dialog[open] svg :is(text, tspan, textPath)')]
    .filter(t => [...t.childNodes].some(n => n.nodeType === 3 && n.data.trim()));
  const sizes = labels.map(t => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b));
  return [Math.min(...sizes), labels[0].getBoundingClientRect().left];
}"""
#: Select each diagram tab in turn (a click on its label, as a reader's), wait until its drawing is sized, and
#: measure its labels and how far the page scrolls sideways; in the page, so that 50 tabs take seconds.
EVERY_TAB = f"""async () => {{
  const measure = {LABELS};
  const until = test => new Promise((resolve, reject) => {{
    const start = performance.now();
    (function poll() {{
      if (test()) resolve();
      else if (performance.now() - start > 10000) reject(new Error('a drawing was not sized'));
      else requestAnimationFrame(poll);
    }})();
  }});
  const tabs = [];
  for (const [index, label] of [...document.querySelectorAll('.tabbed-labels label')].entries()) {{
    label.click();
    const block = document.querySelectorAll('.tabbed-block')[index];
    await until(() => block.querySelector('object.pb-diagram[data-pb-sized]'));
    tabs.push({{drawings: measure([...block.querySelectorAll('object.pb-diagram')]),
                overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth}});
  }}
  return tabs;
}}"""
#: Two touch pointers 100 px apart move to 200 px apart: a pinch that doubles the scale.
PINCH = """() => {
  const canvas = document.querySelector('dialog[open] .pb-viewer-canvas'), r = canvas.getBoundingClientRect();
  const at = (type, id, x) => canvas.dispatchEvent(new PointerEvent(type, {pointerId: id, pointerType: 'touch',
    isPrimary: id === 1, bubbles: true, clientX: r.left + x, clientY: r.top + r.height / 2}));
  at('pointerdown', 1, 300); at('pointerdown', 2, 400);
  for (let x = 410; x <= 500; x += 10) at('pointermove', 2, x);
  at('pointerup', 2, 500); at('pointerup', 1, 300);
}"""
#: The first node link in the viewer whose label is on screen: its address and the middle of its label.
LINK_ON_SCREEN = """() => {
  const canvas = document.querySelector('dialog[open] .pb-viewer-canvas').getBoundingClientRect();
  for (const a of document.querySelectorAll('dialog[open] svg a')) {
    const r = a.querySelector('text').getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x > canvas.left && x < canvas.right && y > canvas.top && y < canvas.bottom)
      return {href: a.getAttribute('href') || a.getAttribute('xlink:href'), x, y};
  }
}"""
#: Every shown drawing has been sized by the page's script.
SIZED = "() => [...document.querySelectorAll('object.pb-diagram')].filter(o => o.getClientRects().length).every(o => o.hasAttribute('data-pb-sized'))"


def new_page(browser: Browser, width: int = 1280, height: int = 900, **options: object) -> tuple[Page, list[str]]:
    """A page of its own context, and the console errors and failed requests it logs."""
    page = browser.new_context(viewport={"width": width, "height": height}, **options).new_page()  # type: ignore[arg-type]
    errors: list[str] = []
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def open_sized(page: Page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(SIZED, timeout=10_000)


def too_small(drawings: list[dict[str, Any]], where: str) -> list[str]:
    """The labels of `drawings` (as LABELS measures them) drawn smaller than INLINE_PX, one line each; sizes are
    compared to 1/100 px, as a browser lays out in fractions of a pixel."""
    return [f"{where} {drawing['drawing']}: {text!r} at {size:.2f} px"
            for drawing in drawings for size, text in drawing["labels"] if round(size, 2) < INLINE_PX]


def page_overflow(page: Page) -> int:
    """How far the page itself scrolls sideways, in px (the frames around drawings may; the page may not)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=[f"{w}px" for w, _ in WIDTHS])
def test_every_architecture_view_reads_at_11px_without_the_page_scrolling_sideways(
        browser: Browser, base_url: str, bundled_site: Path, width: int, height: int) -> None:
    ids = sorted(path.stem for path in (bundled_site.parent / "catalog" / "architectures").glob("*.yaml"))
    assert len(ids) >= 10
    page, errors = new_page(browser, width, height)
    problems: list[str] = []
    for entry in ids:
        open_sized(page, f"{base_url}/playbook/architectures/{entry}/")
        tabs = page.evaluate(EVERY_TAB)
        assert len(tabs) >= 2, entry
        for index, tab in enumerate(tabs):
            assert tab["drawings"], f"{entry} tab {index} shows no drawing"
            problems += too_small(tab["drawings"], f"{entry} tab {index}")
            if tab["overflow"] > 0:
                problems.append(f"{entry} tab {index}: the page scrolls sideways by {tab['overflow']} px")
    page.context.close()
    assert problems == []
    assert errors == []


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=[f"{w}px" for w, _ in WIDTHS])
@pytest.mark.parametrize("path", [RADAR, RELATIONS], ids=["radar", "relations"])
def test_the_radar_and_a_relation_graph_read_at_11px(browser: Browser, base_url: str, path: str, width: int,
                                                     height: int) -> None:
    page, errors = new_page(browser, width, height)
    open_sized(page, base_url + path)
    selector = "object.pb-radar" if path == RADAR else "object.pb-neighbourhood"
    assert page.locator(selector).count() == 1
    problems = too_small(page.locator(selector).evaluate_all(LABELS), path)
    overflow = page_overflow(page)
    page.context.close()
    assert problems == []
    assert overflow == 0
    assert errors == []


def test_a_wide_drawing_scrolls_in_a_labelled_focusable_frame(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser, 390, 844)
    open_sized(page, base_url + ARCHITECTURE)
    frame = page.locator(".tabbed-block").first.locator(".pb-diagram-frame")
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("role") == "group"
    assert frame.get_attribute("aria-label") == "Drawing; scroll sideways to see all of it"
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    frame.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("f => f.scrollLeft > 0", arg=frame.element_handle())
    page.context.close()
    assert errors == []


def test_a_drawing_is_sized_again_when_the_window_narrows(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser)
    open_sized(page, base_url + RELATIONS)
    frame = page.locator(".pb-diagram-frame", has=page.locator("object.pb-neighbourhood"))
    assert frame.get_attribute("tabindex") is None and frame.get_attribute("role") is None, \
        "the relation graph fits the desktop column: no tab stop, no group to announce"
    page.set_viewport_size({"width": 280, "height": 700})
    page.wait_for_function("f => f.tabIndex === 0 && f.scrollWidth > f.clientWidth", arg=frame.element_handle())
    problems = too_small(page.locator("object.pb-neighbourhood").evaluate_all(LABELS), "280px")
    overflow = page_overflow(page)
    page.context.close()
    assert problems == []
    assert overflow == 0
    assert errors == []


def open_viewer(page: Page) -> Locator:
    """Click the first shown drawing's "Open full screen" and return the dialog once its drawing is in place."""
    label = page.locator(".tabbed-block").first.locator("object.pb-diagram").get_attribute("aria-label") or ""
    page.get_by_role("button", name="Open full screen").first.click()
    dialog = page.get_by_role("dialog", name=label)
    dialog.wait_for()
    page.wait_for_selector("dialog[open][data-pb-ready]")
    return dialog


def test_the_viewer_opens_large_zooms_pans_and_closes_back_to_its_button(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser)
    open_sized(page, base_url + ARCHITECTURE)
    button = page.get_by_role("button", name="Open full screen").first
    dialog = open_viewer(page)
    assert dialog.evaluate("d => d.open && d.matches(':modal')")
    assert "Esc closes" in dialog.locator("#" + (dialog.get_attribute("aria-describedby") or "")).inner_text()
    smallest, _ = page.evaluate(VIEWER_LABELS)
    assert smallest >= VIEWER_PX - 0.005

    canvas = dialog.locator(".pb-viewer-canvas")
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"() => ({VIEWER_LABELS})()[0] > {smallest} * 1.2")
    wheeled, _ = page.evaluate(VIEWER_LABELS)
    page.keyboard.press("+")
    zoomed, left = page.evaluate(VIEWER_LABELS)
    assert zoomed > wheeled * 1.2
    page.keyboard.press("ArrowRight")
    _, moved = page.evaluate(VIEWER_LABELS)
    assert moved < left - 20
    page.keyboard.press("0")
    assert page.evaluate(VIEWER_LABELS)[0] == pytest.approx(smallest)
    page.evaluate(PINCH)
    assert page.evaluate(VIEWER_LABELS)[0] == pytest.approx(smallest * 2, rel=0.05)
    page.keyboard.press("0")
    reset, left = page.evaluate(VIEWER_LABELS)
    assert reset == pytest.approx(smallest)

    link = page.evaluate(LINK_ON_SCREEN)  # a drag that starts on a node link moves the drawing
    page.mouse.move(link["x"], link["y"])
    page.mouse.down()
    page.mouse.move(link["x"] - 150, link["y"], steps=5)
    page.mouse.up()
    _, dragged = page.evaluate(VIEWER_LABELS)
    assert dragged == pytest.approx(left - 150, abs=2)
    assert page.url == base_url + ARCHITECTURE  # a drag over a link does not follow it

    canvas.focus()
    page.keyboard.press("Tab")  # to the first node link, brought on screen if it was not
    assert page.evaluate("""() => {
      const link = document.activeElement, c = document.querySelector('dialog[open] .pb-viewer-canvas').getBoundingClientRect();
      const r = link.getBoundingClientRect();
      return link.closest('dialog svg') !== null && link.localName === 'a' &&
        r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom;
    }""")

    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert button.evaluate("b => b === document.activeElement")
    page.context.close()
    assert errors == []


def test_a_node_link_clicked_in_the_viewer_opens_its_entry(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser)
    open_sized(page, base_url + ARCHITECTURE)
    open_viewer(page)
    target = page.evaluate(LINK_ON_SCREEN)
    assert target["href"].startswith(base_url + "/playbook/"), target
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(target["href"])
    assert page.locator(".pb-card").is_visible()
    page.context.close()
    assert errors == []


def test_axe_finds_no_serious_violation_with_the_viewer_open(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser)
    open_sized(page, base_url + ARCHITECTURE)
    open_viewer(page)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    page.context.close()
    assert serious == []
    assert errors == []


def test_in_the_dark_palette_drawings_stay_on_a_light_canvas(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser, color_scheme="dark")
    open_sized(page, base_url + ARCHITECTURE)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    white = "rgb(255, 255, 255)"
    assert page.locator(".tabbed-block").first.locator("object.pb-diagram").evaluate("o => getComputedStyle(o).backgroundColor") == white
    dialog = open_viewer(page)
    assert dialog.locator(".pb-viewer-canvas").evaluate("c => getComputedStyle(c).backgroundColor") == white
    page.context.close()
    assert errors == []


HOSTILE = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:html="http://www.w3.org/1999/xhtml" width="600pt" height="300pt" viewBox="0 0 600 300" onload="top.pwned='onload'">
<style>.md-header{display:none} .t{font-size:12px}</style>
<script>top.pwned = 'script'</script>
<html:script>top.pwned = 'html script'</html:script>
<html:iframe src="javascript:top.pwned='iframe'"></html:iframe>
<foreignObject width="100" height="100"><html:img src="x" onerror="top.pwned='img'"/></foreignObject>
<defs><marker id="arrow"><path d="M0,0L8,4L0,8z"/></marker></defs>
<a xlink:href="javascript:top.pwned='link'" target="_top"><text x="10" y="40" class="t">Bad link</text></a>
<a href="x"><animate attributeName="href" to="javascript:top.pwned='animate'"/><text x="10" y="80" class="t">Animated</text></a>
<a xlink:href="../tools/kong/" target="_top"><text x="10" y="120" class="t" onclick="top.pwned='click'">Kong</text></a>
<image xlink:href="../diagram-icons/x.png" width="10" height="10"/>
<path d="M0,0L100,100" marker-end="url(#arrow)"/>
</svg>"""


def test_the_viewer_copy_of_a_hostile_drawing_runs_nothing_and_restyles_nothing(browser: Browser, base_url: str) -> None:
    page, _ = new_page(browser)
    open_sized(page, base_url + ARCHITECTURE)
    drawing = page.locator(".tabbed-block").first.locator("object.pb-diagram").evaluate("o => o.data")
    page.route(drawing, lambda route: route.fulfill(status=200, content_type="image/svg+xml", body=HOSTILE))
    open_viewer(page)
    svg = page.locator("dialog[open] svg")
    svg.locator("text", has_text="Bad link").click()
    assert page.evaluate("window.pwned") is None
    assert page.url == base_url + ARCHITECTURE
    copy = svg.evaluate("""s => ({
      unsafe: s.querySelectorAll('script, foreignObject, animate, iframe').length,
      handlers: [s, ...s.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => /^on/i.test(n)),
      links: [...s.querySelectorAll('a')].map(a => a.getAttribute('href') || a.getAttribute('xlink:href')),
      image: s.querySelector('image').getAttribute('xlink:href'),
      marker: s.querySelector('path[marker-end]').getAttribute('marker-end'),
      markerId: s.querySelector('marker').id})""")
    folder = drawing.rsplit("/", 1)[0]  # .../playbook/architectures
    playbook = folder.rsplit("/", 1)[0]
    assert copy == {"unsafe": 0, "handlers": [], "links": [None, folder + "/x", playbook + "/tools/kong/"],
                    "image": playbook + "/diagram-icons/x.png", "marker": "url(#pb-v-arrow)", "markerId": "pb-v-arrow"}
    assert page.locator(".md-header").evaluate("h => getComputedStyle(h).display") != "none"
    page.context.close()


def test_printed_drawings_fit_the_page_without_buttons(browser: Browser, base_url: str) -> None:
    page, _ = new_page(browser, 390, 844)
    open_sized(page, base_url + ARCHITECTURE)
    page.emulate_media(media="print")
    shown = page.locator(".tabbed-block").first
    assert not shown.locator(".pb-diagram-open").is_visible()
    fits = shown.locator(".pb-diagram-frame").evaluate(
        "f => f.scrollWidth <= f.clientWidth && f.firstElementChild.getBoundingClientRect().width <= f.clientWidth")
    page.context.close()
    assert fits


def test_without_javascript_the_drawing_fills_the_column_and_no_button_shows(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser, java_script_enabled=False)
    page.goto(base_url + ARCHITECTURE)
    drawing = page.locator("object.pb-diagram").first
    assert drawing.is_visible()
    assert page.locator(".pb-diagram-frame, .pb-diagram-open").count() == 0
    assert page.get_by_role("link", name="Open the Provider-neutral view full size").is_visible()
    page.context.close()
    assert errors == []
