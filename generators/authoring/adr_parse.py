"""A Markdown decision record read into a neutral record: metadata, title, number and sections.

Blocks (headings, list items, code) are what markdown-it's block parser finds, so a title underlined
with '===' is a heading and a code fence ends only at a closing fence of its own kind; the text
inside a block (metadata lines, links, emphasis, backslash escapes) is read from the lines as written.

A record exported by `playbook export --format madr` carries the front matter key `playbook` (render.madr):
it is read as written, so that it gives back the entry it was made from. Its HTML comments are text, its
title holds no number, and its prose keeps its blank lines, its headings moving back up the levels the
export moved them down.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..load.documents import MAX_BYTES, decode, load_text
from ..render.madr import BLOCK, BLOCK_FIELDS, HEADING_SHIFT, OPTION_VISIBILITY, shift_headings

#: The longest ADR sequence number, in digits; the id keeps room for a slug of the title.
MAX_DIGITS = 9

#: Section headings (lowercase) and the part of an ADR they hold.
_ROLES = {
    "context": ("context", "context and problem statement", "problem statement", "kontext",
                "kontext und problemstellung", "problemstellung", "hintergrund"),
    "drivers": ("decision drivers", "entscheidungstreiber", "entscheidungskriterien"),
    "options": ("considered options", "options", "betrachtete optionen", "erwogene optionen", "optionen"),
    "outcome": ("decision outcome", "decision", "entscheidungsergebnis", "entscheidung", "ergebnis"),
    "consequences": ("consequences", "konsequenzen", "folgen", "auswirkungen"),
    "good": ("positive consequences", "positive konsequenzen", "positive folgen"),
    "bad": ("negative consequences", "negative konsequenzen", "negative folgen"),
    "confirmation": ("confirmation", "validation", "bestätigung", "validierung"),
    "pros-cons": ("pros and cons of the options", "vor- und nachteile der optionen"),
    "status": ("status",),
    "links": ("links", "verweise", "related decisions", "more information", "weitere informationen"),
}
_ROLE_OF = {title: role for role, titles in _ROLES.items() for title in titles}

_META_KEYS = {
    "status": "status", "date": "date", "datum": "date", "last-updated": "date",
    "deciders": "deciders", "decision-makers": "deciders", "entscheider": "deciders",
    "consulted": "consulted", "konsultiert": "consulted", "informed": "informed", "informiert": "informed",
    "tags": "tags",
}

_META_LINE = re.compile(r"^(?:[*+-][ \t]+)?([A-Za-zÄÖÜäöü][\w -]{0,40}?)[ \t]*:[ \t]*(.*)$")
#: No part of a link spans a '[', so each try stops where the next link could start: linear time.
LINK = re.compile(r"!?\[([^\[\]]*)\]\(([^)\s\[]*)(?:\s[^)\[]*)?\)")
FILE_NUMBER = re.compile(r"^(?:adr[-_]?)?(\d+)[-_.]", re.I)
_TITLE_NUMBER = re.compile(r"^(?:ADR[-_ ]?(\d+)\s*[:.\-–]?|(\d+)[.:])\s+(.+)$", re.I)

#: The block structure of CommonMark (nesting bounded); inline text is read from the lines.
_BLOCKS = MarkdownIt("commonmark").disable("inline")


class RecordError(Exception):
    """A record that cannot become a catalog entry; the message says why."""


# -- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    """A top-level heading: its lines [start, end), level and text on one line."""

    start: int
    end: int
    level: int
    text: str


def _tokens(lines: list[str]) -> list[Token]:
    return _BLOCKS.parse("\n".join(lines))


def _headings(lines: list[str]) -> dict[int, _Heading]:
    """The headings outside lists, quotes and code (ATX '#' or underlined), by their first line."""
    tokens = _tokens(lines)
    found = {}
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            text = " ".join(part.strip() for part in tokens[index + 1].content.split("\n"))
            found[token.map[0]] = _Heading(token.map[0], token.map[1], int(token.tag[1]), text)
    return found


def tidy(text: str) -> str:
    """`text` without trailing blanks, leading or trailing blank lines, or runs of blank lines."""
    lines = [line.rstrip() for line in text.strip("\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def demote(lines: list[str]) -> str:
    """Headings moved two levels down (at most `######`), to sit below a `####` heading; code left alone."""
    headings = _headings(lines)
    out, index = [], 0
    while index < len(lines):
        heading = headings.get(index)
        if heading is None:
            out.append(lines[index])
            index += 1
        else:
            out.append("#" * min(6, heading.level + 2) + " " + heading.text)
            index = heading.end
    return tidy("\n".join(out))


#: What `plain` reads, left to right: a backslash escape, a link, or a mark of strong emphasis or code.
_INLINE = re.compile(r"\\([!-/:-@\[-`{-~])|!?\[([^\[\]]*)\]\([^)\s\[]*(?:\s[^)\[]*)?\)|\*\*|__|`")


def as_written(lines: list[str]) -> str:
    """Prose of an exported record: the lines as they are without the blank ones around them, each heading moved
    back up the levels the export moved it down, ending with a line end as a YAML block of prose does ('' when
    there are none)."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "".join(f"{line}\n" for line in shift_headings(lines, -HEADING_SHIFT))


def plain(text: str) -> str:
    """Markdown inline text as plain single-line text: links become their text, emphasis marks go, a character
    escaped with a backslash stays as itself."""
    def read(m: re.Match[str]) -> str:
        if m[1] is not None:
            return m[1]
        return plain(m[2]) if m[2] is not None else ""

    return " ".join(_INLINE.sub(read, text).split())


def items(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Top-level list items as (plain text, lines) and the lines between them as (None, lines), in order."""
    spans: dict[int, tuple[int, str]] = {}
    for token in _tokens(lines):
        if token.type == "list_item_open" and token.level == 1 and token.map:
            start, end = token.map
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1  # blank lines after an item stand between blocks
            first = lines[start].lstrip()[len(token.info) + len(token.markup):]
            spans[start] = (end, plain(" ".join([first, *(line.strip() for line in lines[start + 1 : end])])))
    out: list[tuple[str | None, list[str]]] = []
    index = 0
    while index < len(lines):
        if index in spans:
            end, text = spans[index]
            out.append((text, lines[index:end]))
            index = end
            continue
        if out and out[-1][0] is None:
            out[-1][1].append(lines[index])
        else:
            out.append((None, [lines[index]]))
        index += 1
    return out


def paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """The lines [start, end) of each paragraph outside lists, quotes and code."""
    return [(token.map[0], token.map[1]) for token in _tokens(lines)
            if token.type == "paragraph_open" and token.level == 0 and token.map]


def first_paragraph(markdown: str) -> str:
    """The plain text of the first paragraph of `markdown`, in a list or quote too; '' when it has none."""
    tokens = _BLOCKS.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open":
            return plain(tokens[index + 1].content)
    return ""


# -- the record -------------------------------------------------------------------------------


@dataclass
class Section:
    """A heading and what follows it; `children` are its `###` subsections."""

    title: str
    lines: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        return _ROLE_OF.get(plain(self.title).casefold().rstrip(" :"))  # plain leaves single spaces only

    def markdown(self, exact: bool = False) -> str:
        """Body and subsections as Markdown, headings demoted to sit below a `####` heading (`exact`: the body as
        an export wrote it, see `as_written`)."""
        if exact and not self.children:
            return as_written(self.lines)
        parts = [demote(self.lines)]
        parts += [f"##### {child.title}\n\n{child.markdown()}".rstrip() for child in self.children]
        return tidy("\n\n".join(part for part in parts if part.strip()))


@dataclass
class Source:
    """One Markdown record split into metadata and sections."""

    path: Path
    display: str
    title: str
    number: int | None
    file_date: dt.date | None
    meta: dict[str, Any]
    extra_meta: list[tuple[str, str]]
    preamble: list[str]
    sections: list[Section]
    #: The front matter key `playbook` of an exported record (render.madr); None for any other record.
    playbook: dict[str, Any] | None = None

    @property
    def exact(self) -> bool:
        """Whether the record is an export of a playbook, read as written."""
        return self.playbook is not None


def _without_comments(text: str) -> str:
    """`text` without its HTML comments (an unclosed `<!--` and what follows it stay)."""
    parts, at = [], 0
    while (start := text.find("<!--", at)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        parts.append(text[at:start])
        at = end + 3
    return "".join(parts) + text[at:]


def _has_alias(text: str) -> bool:
    """Whether YAML `text` uses an alias (*name) before any syntax error, which load_text reports."""
    try:
        events = yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return any(isinstance(event, yaml.AliasEvent) for event in events)
    except yaml.YAMLError:
        return False


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter (plain values only: no aliases) and the Markdown after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], re.M)
    if end is None:
        raise RecordError("the front matter opened by '---' is never closed")
    front = text[4 : 4 + end.start()]
    if _has_alias(front):
        raise RecordError("the front matter uses an alias (*name); write the value out")
    document, problems = load_text(front, "front matter")  # YAML 1.2 and bounded; dates stay text for the draft
    if document is None:
        fatal = problems[-1]  # after any the loader reported on the way
        raise RecordError(f"the front matter is not valid YAML at line {fatal.line + 1}: {fatal.message}")
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        raise RecordError("the front matter is not a mapping of keys and values")
    return data, text[4 + end.end() :].lstrip("\n")


def _read(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES."""
    if not path.is_file():
        raise RecordError("not a regular file")
    with path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise RecordError(f"the file is larger than {MAX_BYTES:,} bytes, the most a catalog entry can hold")
    return raw


def _number(digits: str) -> int:
    """An ADR's sequence number; raises RecordError when it is too long to be one."""
    if len(digits) > MAX_DIGITS:
        shown = digits if len(digits) <= 12 else digits[:12] + "…"
        raise RecordError(f"its number {shown} has {len(digits)} digits; an ADR number has at most {MAX_DIGITS}")
    return int(digits)


def _file_number(name: str) -> tuple[int | None, dt.date | None]:
    """The sequence number of a file name, or the date when it is a log4brains `YYYYMMDD-` name."""
    m = FILE_NUMBER.match(name)
    if m is None:
        return None, None
    digits = m.group(1)
    if len(digits) == 8:
        try:
            return None, dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            pass
    return _number(digits), None


def parse(path: Path, display: str) -> Source:
    """Read one Markdown record; raises RecordError when it is not a readable ADR."""
    text, problems = decode(_read(path), display)
    if text is None:
        raise RecordError(problems[0].message)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, body = _front_matter(_without_comments(text))
    if BLOCK in front:
        front, body = _front_matter(text)  # an exported record is read as written: its comments are text
    playbook = front.get(BLOCK)
    if playbook is not None and not isinstance(playbook, dict):
        raise RecordError(f"the front matter key '{BLOCK}' is not a mapping of field names and values")
    meta: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    if playbook is not None:
        known = {*BLOCK_FIELDS, OPTION_VISIBILITY}
        extra += [(f"{BLOCK}.{key}", _as_text(value)) for key, value in playbook.items() if key not in known]
        playbook = {key: value for key, value in playbook.items() if key in known}
    for key, value in front.items():
        name = _META_KEYS.get(key.strip().lower().replace("_", "-").replace(" ", "-"))
        if name:
            meta[name] = value
        elif key not in ("title", BLOCK):
            extra.append((key, _as_text(value)))
    title: str | None = str(front["title"]) if front.get("title") else None
    preamble: list[str] = []
    sections: list[Section] = []
    lines = body.split("\n")
    headings = _headings(lines)
    index = 0
    while index < len(lines):
        heading = headings.get(index)
        here = (sections[-1].children[-1] if sections[-1].children else sections[-1]).lines if sections else preamble
        if heading is None:
            here.append(lines[index])
            index += 1
            continue
        if heading.level == 1 and title is None and not sections:
            title = heading.text
        elif heading.level <= 2:
            sections.append(Section(heading.text))
        elif heading.level == 3 and sections:
            sections[-1].children.append(Section(heading.text))
        else:
            here.extend(lines[heading.start : heading.end])
        index = heading.end
    if not title or not plain(title):
        raise RecordError("no '# Title' heading")
    free: list[str] = []
    for line in preamble:
        m = _META_LINE.match(line.strip())
        name = _META_KEYS.get(m.group(1).strip().lower().replace(" ", "-")) if m else None
        if m and name and name not in meta:
            meta[name] = m.group(2).strip()
        elif m and not name and m.group(2).strip() and not m.group(2).startswith("//"):
            extra.append((m.group(1).strip(), m.group(2).strip()))
        else:
            free.append(line)
    number, file_date = _file_number(path.name)
    title = plain(title)
    if playbook is None and (m := _TITLE_NUMBER.match(title)) is not None:
        number = number if number is not None else _number(m.group(1) or m.group(2))
        title = m.group(3).strip()
    return Source(path, display, title, number, file_date, meta, extra, free, sections, playbook)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
