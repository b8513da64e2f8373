"""The technology radar: every current tool drawn once, in its quadrant and ring, the same way every time,
with ring moves of the latest version marked and catalog text escaped; a colour key and a legend per quadrant
in the page's text pointing where the blips point; blips large enough to tap on a phone."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest
from conftest import REPO
from test_diagram_viewer import AXE, new_page, open_sized

from generators.models.tool import QUADRANTS, RINGS, Tool
from generators.render.pages import Renderer
from generators.render.radar import CENTRE, KEY, RADII, STARTS, TAP, legend, place, radar_svg
from generators.resolve.changes import Changes, Detail, EntryChange
from generators.resolve.editions import Edition

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 11, 25)
RADAR = "/playbook/tools/radar/"
#: The legend as the page shows it: {quadrant: {ring: [[number, absolute address], ...]}}, and the blips of the
#: drawing as {number: absolute address} (an SVG link resolves against the drawing's own address).
LEGEND_AND_BLIPS = """() => {
  const legend = {};
  for (const quadrant of document.querySelectorAll('.pb-radar-quadrant')) {
    const rings = legend[quadrant.querySelector('h3').textContent.replace(/¶$/, '').trim()] = {};
    for (const ring of quadrant.querySelectorAll(':scope > ul > li')) {
      rings[ring.querySelector('strong').textContent] = [...ring.querySelectorAll('li')].map(
        item => [Number(item.querySelector('.pb-blip-no').textContent), item.querySelector('a').href]);
    }
  }
  const svg = document.querySelector('object.pb-radar').contentDocument;
  const blips = {};
  for (const a of svg.querySelectorAll('a.pb-blip')) {
    blips[Number(a.querySelector('text').textContent)] = new URL(a.getAttribute('href'), svg.URL).href;
  }
  return {legend, blips};
}"""
#: For each blip, where a tap lands: at its centre and at 12 px from it in eight directions (a 24 px target),
#: as [number, the numbers of the blips the nine taps opened]; the drawing's own pixels are the page's here.
TAPS = """() => {
  const object = document.querySelector('object.pb-radar'), doc = object.contentDocument;
  const scale = object.getBoundingClientRect().width / doc.documentElement.viewBox.baseVal.width;
  return [...doc.querySelectorAll('a.pb-blip')].map(a => {
    const box = a.querySelector('circle, polygon').getBoundingClientRect();
    const [x, y] = a.querySelector('polygon')
      ? [box.left + box.width / 2, box.top + box.height * 2 / 3] : [box.left + box.width / 2, box.top + box.height / 2];
    const around = [...Array(8).keys()].map(k => [12 * Math.cos(k * Math.PI / 4), 12 * Math.sin(k * Math.PI / 4)]);
    const hits = [[0, 0], ...around]
      .map(([dx, dy]) => doc.elementFromPoint(x + dx, y + dy))
      .map(hit => hit && hit.closest('a') ? Number(hit.closest('a').querySelector('text').textContent) : null);
    return [Number(a.querySelector('text').textContent), hits, scale];
  });
}"""


@pytest.fixture(scope="module")
def tools(bundled_edition: Edition) -> list[Tool]:
    return [t for t in bundled_edition.catalog.of_kind(Tool) if t.status != "retired"]  # type: ignore[misc]


def test_every_blip_sits_in_its_quadrant_and_ring_without_overlapping(tools: list[Tool]) -> None:
    blips = place(tools, {})
    assert sorted(b.tool.id for b in blips) == sorted(t.id for t in tools)
    assert [b.number for b in blips] == list(range(1, len(tools) + 1))
    for blip in blips:
        radius = math.hypot(blip.x - CENTRE, blip.y - CENTRE)
        ring = RINGS.index(blip.tool.ring)
        assert (RADII[ring - 1] if ring else 0) < radius < RADII[ring], blip
        angle = math.degrees(math.atan2(blip.y - CENTRE, blip.x - CENTRE)) % 360
        start = STARTS[[q for q, _ in QUADRANTS].index(blip.tool.quadrant)]
        assert (angle - start) % 360 < 90, blip
    closest = min(math.dist((a.x, a.y), (b.x, b.y)) for i, a in enumerate(blips) for b in blips[i + 1:])
    assert closest >= TAP  # the circles a tap lands in never overlap


def test_a_tap_within_half_tap_of_a_blip_lands_on_its_circle_or_its_triangle(tools: list[Tool]) -> None:
    """The transparent stroke reaches TAP / 2 from the centre all round, for a triangle (whose nearest points are
    the middles of its sides) as for a circle; the browser test below taps the circles of the bundled radar."""
    blips = place(tools[:2], {tools[0].id: "hold"})
    tree = ET.fromstring(radar_svg(blips, {t.id: f"{t.id}/" for t in tools[:2]}))
    triangle, circle = next(tree.iter(f"{SVG}polygon")), tree.findall(f".//{SVG}a/{SVG}circle")[0]
    corners = [tuple(map(float, point.split(","))) for point in (triangle.get("points") or "").split()]
    x, y = next((b.x, b.y) for b in blips if b.moved_from)
    nearest = min(abs((bx - ax) * (ay - y) - (ax - x) * (by - ay)) / math.dist((ax, ay), (bx, by))
                  for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1]))
    assert nearest + float(triangle.get("stroke-width") or 0) / 2 >= TAP / 2 - 0.1
    assert float(circle.get("r") or 0) + float(circle.get("stroke-width") or 0) / 2 == TAP / 2 >= 12
    assert {triangle.get("stroke-opacity"), circle.get("stroke-opacity")} == {"0"}


def test_the_legend_lists_every_blip_once_by_quadrant_then_ring(tools: list[Tool]) -> None:
    blips = place(tools, {})
    quadrants = legend(blips)
    assert [(q.key, q.title) for q in quadrants] == list(QUADRANTS)
    listed = [b for q in quadrants for _, cell in q.rings for b in cell]
    assert [b.number for b in listed] == list(range(1, len(blips) + 1))
    for quadrant in quadrants:
        assert [ring for ring, _ in quadrant.rings] == [r for r in RINGS if r in {ring for ring, _ in quadrant.rings}]
        assert all(b.tool.quadrant == quadrant.key and b.tool.ring == ring
                   for ring, cell in quadrant.rings for b in cell)


def test_the_key_colours_are_the_colours_the_page_styles_the_legend_with() -> None:
    css = (REPO / "docs" / "assets" / "playbook.css").read_text(encoding="utf-8")
    styled = dict(re.findall(r"\.pb-ring--([a-z]+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert styled == {key.ring: key.colour for key in KEY}
    assert [key.ring for key in KEY] == list(RINGS)


def test_the_same_catalog_draws_the_same_radar(tools: list[Tool]) -> None:
    links = {t.id: f"{t.id}/" for t in tools}
    assert radar_svg(place(tools, {}), links) == radar_svg(place(list(reversed(tools)), {}), links)


def test_a_tool_that_moved_ring_in_the_latest_version_is_a_triangle_with_its_old_ring(bundled_edition: Edition) -> None:
    result = bundled_edition
    moved = EntryChange("kong", "tool", "Kong", "changed", (Detail("ring", "trial", "adopt"),))
    other = EntryChange("rag-assistant", "architecture", "RAG", "changed", (Detail("ring", "x", "y"),))
    renderer = Renderer(result.catalog, result.catalog.graph, TODAY, [("2.0", Changes((moved, other)))])
    files = renderer.radar_files()
    page, svg = html.unescape(str(files["tools/radar.md"])), ET.fromstring(str(files["tools/radar.svg"]))
    assert ("A triangle, in its ring's colour: moved ring. Triangles mark the 1 tool that moved ring in version 2.0; "
            "the lists name the ring each moved from.") in page
    row = next(line for line in page.splitlines() if "(../tools/kong.md)" in line and line.startswith("|"))
    assert row.rstrip(" |").endswith("| adopt | trial")
    blips = {a.get("href"): a for a in svg.iter(f"{SVG}a")}
    assert blips["kong/"].find(f"{SVG}polygon") is not None
    assert all(a.find(f"{SVG}circle") is not None for href, a in blips.items() if href != "kong/")
    assert "moved from trial" in (blips["kong/"].findtext(f"{SVG}title") or "")
    item = next(line for line in page.splitlines() if "(../tools/kong.md)" in line and "pb-blip-no" in line)
    assert item.endswith("[Kong Gateway](../tools/kong.md) (moved from trial)")


def test_catalog_text_in_the_radar_is_escaped(tools: list[Tool]) -> None:
    hostile = tools[0].model_copy(update={"title": '</title><script>alert(1)</script> & "x"'})
    svg = radar_svg(place([hostile], {}), {hostile.id: f"{hostile.id}/"})
    tree = ET.fromstring(svg)  # still well-formed XML
    assert not list(tree.iter(f"{SVG}script"))
    assert '</title><script>alert(1)</script> & "x"' in (next(tree.iter(f"{SVG}a")).findtext(f"{SVG}title") or "")


def test_the_legend_names_each_blip_of_each_quadrant_by_ring_and_links_where_the_blip_does(
        browser: Browser, base_url: str, bundled_edition: Edition) -> None:
    page, errors = new_page(browser)
    open_sized(page, base_url + RADAR)
    shown = page.evaluate(LEGEND_AND_BLIPS)
    page.context.close()
    blips = place([t for t in bundled_edition.catalog.of_kind(Tool) if t.status != "retired"], {})  # type: ignore[misc]
    expected = {title: {ring.capitalize(): [[b.number, f"{base_url}/playbook/tools/{b.tool.id}/"] for b in cell]
                        for ring, cell in quadrant.rings} for quadrant in legend(blips) for title in [quadrant.title]}
    assert shown["legend"] == expected
    assert {int(number): href for number, href in shown["blips"].items()} == {
        number: href for quadrant in expected.values() for cell in quadrant.values() for number, href in cell}
    assert errors == []


def test_on_a_phone_every_blip_takes_a_tap_within_12_px_of_its_centre(browser: Browser, base_url: str) -> None:
    page, errors = new_page(browser, 390, 844)
    open_sized(page, base_url + RADAR)
    taps = page.evaluate(TAPS)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    page.context.close()
    assert len(taps) > 50 and all(scale >= 1 for _, _, scale in taps)
    assert [(number, hits) for number, hits, _ in taps if hits != [number] * 9] == []
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")] == []
    assert errors == []


def test_without_javascript_the_key_and_the_legend_read_as_text(browser: Browser, base_url: str) -> None:
    page = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
    page.goto(base_url + RADAR)
    key = page.locator(".pb-radar-key li").all_inner_texts()
    items = page.locator(".pb-radar-quadrant li li")
    count, visible = items.count(), items.first.is_visible()
    page.context.close()
    assert [" ".join(k.split()) for k in key] == [f"{k.name.capitalize()}, in {k.where}: {k.ring}" for k in KEY]
    assert count > 50 and visible
