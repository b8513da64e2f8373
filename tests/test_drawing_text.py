"""Every text of every drawing of the bundled playbook fits its box and the drawing, in the font the page ships,
measured in Chromium (getBBox) in the light and the dark palette."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from benchmarks.legibility import drawing_files, measure_files

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out


VIEWS = (".neutral.svg", ".aws.svg", ".azure.svg", ".gcp.svg", "radar.svg")


def test_no_text_of_any_drawing_runs_past_its_box_or_the_drawing(browser: Browser, bundled_site: Path,
                                                                 base_url: str) -> None:
    files = drawing_files(bundled_site)
    assert sum(f.endswith(VIEWS) for f in files) >= 49 and sum(f.endswith(".relations.svg") for f in files) > 150
    drawings = measure_files(browser, base_url, files, "light")
    assert len(drawings) == len(files) and sum(d.texts for d in drawings) > 3000
    assert [(d.where, d.clipped) for d in drawings if d.clipped] == []


def test_in_the_dark_palette_no_text_of_an_architecture_view_or_the_radar_runs_past_its_box(
        browser: Browser, bundled_site: Path, base_url: str) -> None:
    """The drawings keep their own light canvas in the slate palette; their text is measured there too."""
    files = [f for f in drawing_files(bundled_site) if f.endswith(VIEWS)]
    drawings = measure_files(browser, base_url, files, "dark")
    assert len(drawings) >= 49 and [(d.where, d.clipped) for d in drawings if d.clipped] == []


def test_drawings_are_set_in_the_font_their_layout_assumed(browser: Browser, base_url: str) -> None:
    """The shipped font is the one the browser draws with, not a fallback of other widths."""
    page = browser.new_page()
    try:
        page.goto(base_url + "/playbook/architectures/rag-assistant.aws.svg", wait_until="load")
        loaded = page.evaluate("""async () => { await document.fonts.ready;
            return [document.fonts.check("13px 'Playbook Sans'"), [...document.fonts].map(f => f.status)]; }""")
    finally:
        page.close()
    assert loaded == [True, ["loaded"]]
