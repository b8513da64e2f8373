"""Catalog text made safe for the page it lands on.

Catalog text is data. Single-line fields become plain text inside Markdown: every
character that Markdown, attribute lists, macros or HTML could read as syntax is
written as a numeric character reference, so it shows as typed and does nothing.
Prose fields are Markdown: they are parsed once, which gives the check every link
written in them and gives the page HTML with raw HTML and images switched off,
cleaned with nh3 so that only http, https and mailto addresses remain; they reach
the page as a finished HTML block that no later stage interprets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import partial
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from .forked import jobs, run_forked, shares

#: Characters that mean something to Markdown, its extensions, Jinja or HTML.
_SYNTAX = "\\`*_{}[]()<>#+!|~^=:&\"'$%@"
_INLINE = str.maketrans({c: f"&#{ord(c)};" for c in _SYNTAX} | {"\n": " ", "\r": " ", "\t": " "})
_LIST_MARKER = re.compile(r"^(?:(\d+)\.|-)")

_BLOCK = str.maketrans({c: f"&#{ord(c)};" for c in "{}`~"})

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Below this many unparsed prose fields, forking costs more than it saves.
PARALLEL_TEXTS = 1000

_PROSE_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
_PROSE_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


class Md(str):
    """Markdown that is safe to place in a page as it is."""


def inline(text: str) -> Md:
    """Plain text for any inline Markdown context: headings, list items, table cells, link text."""
    text = text.strip().translate(_INLINE)
    # '1. ' or '- ' at the start would open a list
    return Md(_LIST_MARKER.sub(lambda m: f"{m.group(1)}&#46;" if m.group(1) else "&#45;", text))


def safe_link(url: str) -> bool:
    """Whether a prose link may reach the site: http, https or mailto, nothing else."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


def _parser() -> MarkdownIt:
    # Every link is parsed, so that the check can report each one; only safe ones keep their address on the page.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"]).disable(["image"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _parser()

def _safe_address(element: str, attribute: str, value: str) -> str | None:
    """An address survives only when `safe_link` allows it: relative and scheme-relative ones are dropped too."""
    return value if attribute != "href" or safe_link(value) else None


def _parse(markdown: str) -> tuple[tuple[str, ...], Md]:
    """One parse of a prose field: every link destination written in it, and its sanitised HTML block."""
    tokens = _MD.parse(markdown)
    found = tuple(str(child.attrGet("href") or "") for token in tokens
                  for child in token.children or () if child.type == "link_open")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 3)}"  # prose headings sit below the page's own
    html = _MD.renderer.render(tokens, _MD.options, {})
    clean = nh3.clean(
        html,
        tags=_PROSE_TAGS,
        attributes=_PROSE_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        attribute_filter=_safe_address,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # Braces would reach a template engine, backticks and tildes could open a fence that the
    # site's Markdown reads even inside an HTML block: as character references they only show.
    clean = clean.translate(_BLOCK).strip()
    return found, Md(f'<div class="pb-prose">\n{clean}\n</div>')


def links(markdown: str) -> tuple[str, ...]:
    """Every link destination written in a piece of Markdown (allowed or not)."""
    if "[" not in markdown and "<" not in markdown:
        return ()  # no inline, reference or autolink can be written without one of them
    return _parse(markdown)[0]


class Prose:
    """Prose fields parsed once, by their text: their link destinations and their HTML.

    A run keeps one with its catalog (a server for its whole life, through its parse cache), so that
    a field is parsed once however often it is checked and shown.
    """

    def __init__(self) -> None:
        self._done: dict[str, tuple[tuple[str, ...], Md]] = {}

    def _parsed(self, markdown: str) -> tuple[tuple[str, ...], Md]:
        done = self._done.get(markdown)
        if done is None:
            done = self._done[markdown] = _parse(markdown)
        return done

    def links(self, markdown: str) -> tuple[str, ...]:
        """Every link destination written in a prose field (allowed or not)."""
        if "[" not in markdown and "<" not in markdown:
            return ()
        return self._parsed(markdown)[0]

    def html(self, markdown: str) -> Md:
        """A prose field as a sanitised HTML block, ready to sit between Markdown blocks."""
        return self._parsed(markdown)[1]

    def parse_all(self, texts: Iterable[str], setting: int | None = None) -> None:
        """Parse many prose fields at once on `setting` processes (the free cores, at most 8, by default)."""
        todo = [text for text in dict.fromkeys(texts) if text not in self._done]
        processes = jobs(len(todo), PARALLEL_TEXTS, setting)
        if processes < 2 or not todo:
            return
        parts = shares(todo, processes)
        for part, results in zip(parts, run_forked([partial(_parse_many, part) for part in parts])):
            self._done.update(zip(part, results))


def _parse_many(texts: Sequence[str]) -> list[tuple[tuple[str, ...], Md]]:
    return [_parse(text) for text in texts]
