"""The font every drawing is shown in: Playbook Sans, shipped with the site so no page asks another host for it.

Playbook Sans is Liberation Sans, whose widths are Arial's. Graphviz lays text out with its built-in
Arial metrics (it is told the font is Helvetica, and no font of the build machine is read), so a
label the browser draws in Playbook Sans fits the box Graphviz made for it, whatever fonts the
reader has. Drawings laid out here measure text with the font's own advance widths.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_FILE = Path(__file__).parent / "fonts" / "PlaybookSans-Regular.ttf"
LICENSE_FILE = Path(__file__).parent / "fonts" / "LICENSE.txt"
#: Where the font and its licence (the SIL Open Font License travels with every copy) are written, relative to
#: the generated folder.
FONT_PATH = "fonts/PlaybookSans-Regular.ttf"
LICENSE_PATH = "fonts/LICENSE.txt"
#: The font's address from a drawing, every drawing sitting in a folder of the generated one (a kind's folder).
FONT_URL = f"../{FONT_PATH}"
FAMILY = "Playbook Sans"
#: The font-family of drawings' text: the shipped font, then fonts with the same metrics.
STACK = "'Playbook Sans', Arial, 'Liberation Sans', Helvetica, sans-serif"


def font_face(url: str) -> str:
    """The CSS rule that loads the font from `url` (relative to the drawing)."""
    return f"@font-face{{font-family:'{FAMILY}';src:url('{url}') format('truetype')}}"


@cache
def _metrics() -> tuple[dict[int, int], int]:
    """Each character's advance width in font units, and the units per em."""
    font = TTFont(FONT_FILE)
    advances = font["hmtx"].metrics
    return {code: advances[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def text_width(text: str, size: float) -> float:
    """The width of `text` drawn at `size` px, without kerning (which only brings letters closer).

    A character the font lacks is drawn by a fallback font; it counts as a full em, wider than any letter here.
    """
    widths, em = _metrics()
    return sum(widths.get(ord(char), em) for char in text) * size / em


def font_files() -> dict[str, bytes]:
    """The font and its licence, by their paths in the generated folder."""
    return {FONT_PATH: FONT_FILE.read_bytes(), LICENSE_PATH: LICENSE_FILE.read_bytes()}
