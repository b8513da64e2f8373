"""Catalog text made safe for the page it lands on.

Catalog text is data. Single-line fields become plain text inside Markdown: every
character that Markdown, attribute lists, macros or HTML could read as syntax is
written as a numeric character reference, so it shows as typed and does nothing.
Prose fields are Markdown: they are parsed once, which gives the check every link
and every citation written in them and gives the page HTML with raw HTML and images
switched off, cleaned with nh3 so that only http, https and mailto addresses remain;
they reach the page as a finished HTML block that no later stage interprets. A
citation (`[[entry-id]]`, `[[entry-id#item-id|own words]]`) is the only way prose
links inside the site: its place in the cleaned HTML is kept by a marker that no
valid prose can hold, and the page fills it in with a link it builds itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

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


#: A citation: `[[` and `]]` around what it cites and the author's own words, on at most a few lines.
_CITATION = re.compile(r"\[\[([^\[\]]{1,500})\]\]")
#: What names the family of a citation other than an entry's, as in `[[family:name]]`.
_FAMILY = re.compile(r"([a-z]+):")
#: Where a citation sits in a prose field's HTML until the page fills it in: its number between two Unicode
#: noncharacters, which prose may not hold (load.hygiene), and which a parse turns into U+FFFD anyway.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_PLACE = re.compile(f"{_OPEN}([0-9]+){_CLOSE}")
#: What prose holds in place of the two noncharacters, wherever they come from: as typed or percent-decoded.
_INERT = str.maketrans({_OPEN: "\ufffd", _CLOSE: "\ufffd"})


@dataclass(frozen=True)
class Citation:
    """A citation as written in prose: `[[ref]]` or `[[family:ref]]`, either with `|own words`."""

    #: The family of what it cites; empty for an entry or an item of one (the only family so far).
    family: str
    #: What it cites, e.g. `architecture-review` or `architecture-review#data-access-design`.
    ref: str
    #: The link text the author chose; empty for the title of what it cites.
    words: str

    @classmethod
    def read(cls, content: str) -> Citation:
        """The citation written as `[[content]]`."""
        body, _, words = content.partition("|")
        family = _FAMILY.match(body)
        ref = body[family.end():] if family else body
        return cls(family[1] if family else "", " ".join(ref.split()), " ".join(words.split()))

    @property
    def written(self) -> str:
        """The citation without its own words, as an author would look for it: `[[architecture-review]]`."""
        return f"[[{self.family}:{self.ref}]]" if self.family else f"[[{self.ref}]]"


def _citation(state: StateInline, silent: bool) -> bool:
    """Inline rule: `[[...]]` is a citation. Escapes and code spans are read first, so a bracket escaped with a
    backslash and a code span keep it as text; a link written around a citation is read as text, as one written
    around another link is. A `[[` with no `]]` after it in the same inline text is noted, for the check."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = _CITATION.match(state.src, state.pos, state.posMax)
    if match is None:
        if not silent and state.src.find("]]", state.pos + 2, state.posMax) < 0:
            state.env.setdefault("unclosed", []).append(" ".join(state.src[state.pos:state.posMax].split())[:40])
        return False
    if not silent:
        found = state.env.setdefault("citations", [])
        state.push("citation", "", 0).meta = {"number": len(found)}
        found.append(Citation.read(match[1]))
    state.pos = match.end()
    return True


def _place(renderer: object, tokens: list[Any], index: int, options: object, env: object) -> str:
    return f"{_OPEN}{tokens[index].meta['number']}{_CLOSE}"


def _parser() -> MarkdownIt:
    # Every link is parsed, so that the check can report each one; only safe ones keep their address on the page.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"]).disable(["image"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # An autolink's text is percent-decoded: it must not be able to write a citation's marker.
    normalize = md.normalizeLinkText
    md.normalizeLinkText = lambda link: normalize(link).translate(_INERT)  # type: ignore[method-assign]
    md.inline.ruler.before("link", "citation", _citation)
    md.add_render_rule("citation", _place)
    return md


_MD = _parser()

def _safe_address(element: str, attribute: str, value: str) -> str | None:
    """An address survives only when `safe_link` allows it: relative and scheme-relative ones are dropped too."""
    return value if attribute != "href" or safe_link(value) else None


@dataclass(frozen=True)
class _Parsed:
    """One prose field parsed: every link destination and citation written in it, the start of each `[[` left
    without its `]]`, and its HTML block with the citations' places marked."""

    links: tuple[str, ...]
    citations: tuple[Citation, ...]
    unclosed: tuple[str, ...]
    html: Md


def _parse(markdown: str) -> _Parsed:
    """One parse of a prose field."""
    markdown = markdown.translate(_INERT)  # only citations mark places
    env: dict[str, Any] = {}
    tokens = _MD.parse(markdown, env)
    found = tuple(str(child.attrGet("href") or "") for token in tokens
                  for child in token.children or () if child.type == "link_open")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 3)}"  # prose headings sit below the page's own
    rendered = _MD.renderer.render(tokens, _MD.options, env)
    clean = nh3.clean(
        rendered,
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
    return _Parsed(found, tuple(env.get("citations", ())), tuple(env.get("unclosed", ())),
                   Md(f'<div class="pb-prose">\n{clean}\n</div>'))


def html_text(text: str) -> str:
    """Plain text inside a prose block: escaped for HTML, and inert for the site's Markdown and templates."""
    return html.escape(text).translate(_BLOCK)


def html_link(text: str, href: str) -> str:
    """A citation's link inside a prose block; `href` is made by the generator, never taken from an author."""
    return f'<a class="pb-cite" href="{html_text(href)}">{html_text(text)}</a>'


def replace_citations(markdown: str, cite: Callable[[Citation], str]) -> str:
    """Prose as written with every `[[...]]` replaced by what `cite` gives: in code spans and after a backslash too,
    so that text made from it (an export) holds no citation as typed."""
    return _CITATION.sub(lambda match: cite(Citation.read(match[1])), markdown) if "[[" in markdown else markdown


def line_citations(text: str) -> tuple[Citation, ...]:
    """Every citation written in a line of plain text, in order."""
    return tuple(Citation.read(match[1]) for match in _CITATION.finditer(text)) if "[[" in text else ()


def inline_cited(text: str, cite: Callable[[Citation], str]) -> Md:
    """A line of plain text for an inline Markdown context (`inline`), each citation in it replaced by the Markdown
    `cite` gives for it."""
    if "[[" not in text:
        return inline(text)
    text = text.strip()
    pieces, end = [], 0
    for match in _CITATION.finditer(text):
        pieces += [text[end:match.start()].translate(_INLINE), cite(Citation.read(match[1]))]
        end = match.end()
    pieces.append(text[end:].translate(_INLINE))
    return Md(_LIST_MARKER.sub(lambda m: f"{m.group(1)}&#46;" if m.group(1) else "&#45;", "".join(pieces)))


def links(markdown: str) -> tuple[str, ...]:
    """Every link destination written in a piece of Markdown (allowed or not)."""
    if "[" not in markdown and "<" not in markdown:
        return ()  # no inline, reference or autolink can be written without one of them
    return _parse(markdown).links


class Prose:
    """Prose fields parsed once, by their text: their link destinations, their citations and their HTML.

    A run keeps one with its catalog (a server for its whole life, through its parse cache), so that
    a field is parsed once however often it is checked and shown. What a citation cites is not part of
    the parse: each page fills its citations in from the catalog (or edition) it shows.
    """

    def __init__(self) -> None:
        self._done: dict[str, _Parsed] = {}
        self._used: set[str] = set()  # the fields this run asked for: what is worth keeping for the next run

    def _parsed(self, markdown: str) -> _Parsed:
        done = self._done.get(markdown)
        if done is None:
            done = self._done[markdown] = _parse(markdown)
        self._used.add(markdown)
        return done

    def kept(self) -> dict[str, _Parsed]:
        """The parses this run used, to be handed to the next run's `Prose` (`adopt`)."""
        return {text: self._done[text] for text in self._used if text in self._done}

    def adopt(self, parsed: dict[str, _Parsed]) -> None:
        """Take the parses an earlier run kept: a field parses the same in every run of the same code."""
        self._done.update(parsed)

    def links(self, markdown: str) -> tuple[str, ...]:
        """Every link destination written in a prose field (allowed or not)."""
        if "[" not in markdown and "<" not in markdown:
            return ()
        return self._parsed(markdown).links

    def citations(self, markdown: str) -> tuple[Citation, ...]:
        """Every citation written in a prose field, in order."""
        if "[[" not in markdown:
            return ()
        return self._parsed(markdown).citations

    def unclosed(self, markdown: str) -> tuple[str, ...]:
        """The start of each `[[` in a prose field with no `]]` after it in the same paragraph, heading or cell."""
        if "[[" not in markdown:
            return ()
        return self._parsed(markdown).unclosed

    def html(self, markdown: str, cite: Callable[[Citation], str]) -> Md:
        """A prose field as a sanitised HTML block, ready to sit between Markdown blocks; `cite` gives each
        citation's HTML."""
        parsed = self._parsed(markdown)
        if _OPEN not in parsed.html:
            return parsed.html
        return Md(_fill(parsed.html, parsed.citations, cite))

    def parse_all(self, texts: Iterable[str], setting: int | None = None) -> None:
        """Parse many prose fields at once on `setting` processes (the free cores, at most 8, by default)."""
        todo = [text for text in dict.fromkeys(texts) if text not in self._done]
        processes = jobs(len(todo), PARALLEL_TEXTS, setting)
        if processes < 2 or not todo:
            return
        parts = shares(todo, processes)
        for part, results in zip(parts, run_forked([partial(_parse_many, part) for part in parts])):
            self._done.update(zip(part, results))


def _fill(block: str, citations: Sequence[Citation], cite: Callable[[Citation], str]) -> str:
    """`block` with its citations' places filled in; a marker other than the next one expected is shown as U+FFFD,
    so that no text can place a citation twice, out of order or inside another."""
    placed = 0

    def place(match: re.Match[str]) -> str:
        nonlocal placed
        if placed >= len(citations) or match[1] != str(placed):
            return "\ufffd"
        placed += 1
        return cite(citations[placed - 1])

    return _PLACE.sub(place, block)


def _parse_many(texts: Sequence[str]) -> list[_Parsed]:
    return [_parse(text) for text in texts]


#: The markup a generated page may hold once rendered.
PAGE_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "a", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "code", "pre", "strong", "em", "del", "blockquote", "hr", "br", "input", "label",
    "details", "summary", "img", "object", "dl", "dt", "dd",
    # the charts of render/charts.py, drawn inline so that they take the page's colours
    "svg", "title", "desc", "line", "polyline", "circle", "rect", "text",
}
PAGE_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "download"},
    "ol": {"start"},
    "input": {"type", "disabled", "checked", "name"},
    "label": {"for"},
    "th": {"scope"},  # matrices name their row and column headers
    "img": {"src", "alt"},
    "object": {"data", "type", "aria-label"},
    "div": {"data-tabs", "data-search-exclude"},  # a matrix is left out of Zensical's search index, as of Pagefind's
    "svg": {"viewBox", "role", "aria-labelledby", "aria-label", "width", "height", "xmlns"},
    "line": {"x1", "x2", "y1", "y2"},
    "polyline": {"points"},
    "circle": {"cx", "cy", "r"},
    "rect": {"x", "y", "width", "height"},
    "text": {"x", "y", "text-anchor"},
}


def clean_page(html: str) -> str:
    """The HTML of a generated page with only the markup such pages use: no script, handler, style or unsafe link
    (the site's Markdown extension `site/sanitize.py` and the printable files run it)."""
    return nh3.clean(
        html,
        tags=PAGE_TAGS,
        attributes=PAGE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
