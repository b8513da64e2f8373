"""A lighter published version: the whitespace of a built site's pages collapsed, before Pagefind indexes them.

A page of the theme is mostly indentation. Every run of spaces, tabs and line breaks in a page's text becomes one
character: a line break when the run holds one, a space otherwise. A browser lays either out as it laid out the run
(CSS Text, "Segment Break Transformation Rules": https://drafts.csswg.org/css-text-3/#line-break-transform; a line
break between two Chinese characters is dropped where a space would show). Nothing else changes: tags and their
attributes, entities, comments and the doctype are copied as they were, so escaped text stays escaped and no markup
is made from text. The text of elements whose whitespace is shown or read as typed (`pre`, `textarea`, `code`, `kbd`,
`script`, `style` and a few more: KEPT) is copied as it was too.

A minifier does more: minify-html (https://github.com/wilsonzlin/minify-html, "Whitespace" in its README) removes
the whitespace-only text between the children of elements it takes for layout (`div`, `nav`, `dl`...), with no
option to keep it. Pagefind then reads `<dt>Kind</dt><dd>Reference architecture</dd>` as "KindReference", and a
page is no longer found by those words. Collapsing keeps every word apart: Pagefind indexes a lightened site into
the same files, byte for byte, as the site before.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from ..forked import jobs, run_forked, shares
from ..write.cache_entries import write_atomic

#: A run of HTML whitespace (https://infra.spec.whatwg.org/#ascii-whitespace); never a no-break space.
RUN = re.compile(r"[ \t\n\f\r]+")
#: Elements whose text is copied as it was: shown as typed (by the browser's own style sheet, or by the theme's,
#: which sets `white-space: pre-wrap` on code and kbd), or read by a program.
KEPT = frozenset({"pre", "listing", "xmp", "plaintext", "textarea", "code", "kbd", "samp", "script", "style"})
#: From this many pages on, pages are read on every core.
PARALLEL_PAGES = 400


@dataclass(frozen=True)
class LightenReport:
    """What lightening did to a site: the pages read, those rewritten, their bytes before and after, and the
    pages left as they were because they are not UTF-8 (paths inside the site)."""

    pages: int
    rewritten: int
    before: int
    after: int
    not_utf8: tuple[str, ...] = ()

    @property
    def saved(self) -> int:
        return self.before - self.after


class _Text(HTMLParser):
    """The places of a page's text outside the kept elements, as (offset, text) in the order they come."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)  # an entity is its own event, copied as written
        self.starts = [0, *(match.end() for match in re.finditer("\n", page))]  # the offset of each line
        self.open = dict.fromkeys(KEPT, 0)
        self.spans: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in KEPT:
            self.open[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.open.get(tag):
            self.open[tag] -= 1

    def handle_data(self, data: str) -> None:
        if not any(self.open.values()):
            line, column = self.getpos()
            self.spans.append((self.starts[line - 1] + column, data))


def _one(run: re.Match[str]) -> str:
    return "\n" if "\n" in run[0] or "\r" in run[0] else " "


def collapse(page: str) -> str:
    """The page with each whitespace run of its text (outside the kept elements) made one character."""
    parser = _Text(page)
    parser.feed(page)
    parser.close()
    parts: list[str] = []
    at = 0
    for start, data in parser.spans:
        if page[start:start + len(data)] != data:  # html.parser reports where each piece of text starts
            raise RuntimeError(f"html.parser placed text at offset {start} that is not there")
        parts += [page[at:start], RUN.sub(_one, data)]
        at = start + len(data)
    parts.append(page[at:])
    return "".join(parts)


def _pages(site: Path) -> list[str]:
    """The HTML files of the site, by their path inside it, sorted; links are never followed."""
    found = []
    for top, folders, names in os.walk(site):
        folders[:] = sorted(name for name in folders if not (Path(top) / name).is_symlink())
        for name in sorted(names):
            path = Path(top) / name
            if name.endswith(".html") and not path.is_symlink() and path.is_file():
                found.append(path.relative_to(site).as_posix())
    return found


class _Page(NamedTuple):
    path: str  # inside the site
    size: int
    lighter: bytes | None  # None when nothing changes
    utf8: bool


def _lightened(site: Path, pages: Sequence[str]) -> list[_Page]:
    """Each page made lighter, in memory."""
    done = []
    for page in pages:
        data = (site / page).read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            done.append(_Page(page, len(data), None, False))
            continue
        lighter = collapse(text).encode("utf-8")
        done.append(_Page(page, len(data), lighter if lighter != data else None, True))
    return done


def lighten_site(site: Path, processes: int | None = None) -> LightenReport:
    """Collapse the whitespace of every HTML page of the built site in `site`, in place.

    Every page is read and made lighter before the first is written, and each is replaced whole: a failure
    leaves each page as it was or lighter, never half written. `processes` share the reading (default: the free
    cores, at most 8, for a large site).
    """
    pages = _pages(site)
    parts = shares(pages, jobs(len(pages), PARALLEL_PAGES, processes))
    done = sorted(page for part in run_forked([partial(_lightened, site, part) for part in parts]) for page in part)
    for page in done:
        if page.lighter is not None:
            write_atomic(site / page.path, page.lighter)
    return LightenReport(pages=len(done), rewritten=sum(page.lighter is not None for page in done),
                         before=sum(page.size for page in done),
                         after=sum(page.size if page.lighter is None else len(page.lighter) for page in done),
                         not_utf8=tuple(page.path for page in done if not page.utf8))
