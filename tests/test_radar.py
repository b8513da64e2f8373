"""The technology radar: every current tool drawn once, in its quadrant and ring, the same way every time,
with ring moves of the latest version marked and catalog text escaped."""

from __future__ import annotations

import datetime as dt
import html
import math
import xml.etree.ElementTree as ET

import pytest

from generators.models.tool import QUADRANTS, RINGS, Tool
from generators.render.pages import Renderer
from generators.render.radar import CENTRE, RADII, STARTS, place, radar_svg
from generators.resolve.changes import Changes, Detail, EntryChange
from generators.resolve.editions import Edition

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 11, 25)


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
    assert closest >= 18  # two blips of radius 10 may touch, never cover each other's number


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
    assert "Triangles mark the 1 tool that moved ring in version 2.0." in page
    row = next(line for line in page.splitlines() if "(../tools/kong.md)" in line)
    assert row.rstrip(" |").endswith("| adopt | trial")
    blips = {a.get("href"): a for a in svg.iter(f"{SVG}a")}
    assert blips["kong/"].find(f"{SVG}polygon") is not None
    assert all(a.find(f"{SVG}circle") is not None for href, a in blips.items() if href != "kong/")
    assert "moved from trial" in (blips["kong/"].findtext(f"{SVG}title") or "")


def test_catalog_text_in_the_radar_is_escaped(tools: list[Tool]) -> None:
    hostile = tools[0].model_copy(update={"title": '</title><script>alert(1)</script> & "x"'})
    svg = radar_svg(place([hostile], {}), {hostile.id: f"{hostile.id}/"})
    tree = ET.fromstring(svg)  # still well-formed XML
    assert not list(tree.iter(f"{SVG}script"))
    assert '</title><script>alert(1)</script> & "x"' in (next(tree.iter(f"{SVG}a")).findtext(f"{SVG}title") or "")
