"""Import Markdown decision records (MADR 2, 3 and 4, adr-tools / Nygard, log4brains) as catalog ADRs.

How a Markdown ADR becomes an entry (English or German headings and metadata):

- id: the number of the file name (0007-use-postgresql.md) or of the title ('# 7. Use PostgreSQL',
  '# ADR-0007: ...'), zero-padded to four digits, then a slug of the title: 0007-use-postgresql.
  A record without a number (log4brains names files by date, 20210304-...) reuses the id of a
  catalog ADR with the same slug (an earlier import of it), or else takes the next number free in
  the catalog and the imported files.
- status: front matter, a '* Status:' line or the '## Status' section. Odd values are mapped
  ('Accepted 2021-03-04' is accepted on that date, 'draft' is proposed, 'Akzeptiert' is
  accepted); a missing or unknown status imports as proposed and is reported.
- date: front matter, a 'Date:' line, a date in the status line or a log4brains file name, in that
  order; without one, the date an earlier import of the record wrote, else today (--today), reported.
- deciders: front matter deciders / decision-makers or a 'Deciders:' line; without them,
  'Not recorded' (reported). consulted and informed likewise.
- options and outcome: '## Considered Options' and '## Pros and Cons of the Options' with
  '* Good, because ...' / '* Bad, because ...'; 'Chosen option: "X", because ...' names the chosen
  one and gives the justification. A Nygard record has one option, its title, chosen with the
  '## Decision' text as the justification.
- consequences: list items of the consequence sections, sorted by 'Good, because' / 'Bad, because'
  (or the Positive / Negative heading); other items are neutral.
- links: 'Supersedes' and 'Superseded by' in the status or the '## Links' section, by file name or
  by number, resolve to the imported files first, then to the catalog's ADRs; both sides are set.
  A link the catalog cannot hold (unknown target, or a catalog ADR that does not name this one
  back) stays in the text and is reported. Relative Markdown links become text naming the id.
- everything else (sections the model has no field for, paragraphs in list sections, unknown
  metadata) is appended to context under a '#### <Section title>' heading, so nothing is lost.
- common fields: summary = the first sentence of the context; owners = --owner; tags = imported
  plus the record's own tags; last_reviewed = the ADR date; review_every = 12 months; template =
  madr-4 (MADR, log4brains) or lightweight-adr (Nygard) when the catalog has them.

An entry is written only when it reads back through the catalog loader and model without a
problem; an existing entry is replaced only with --overwrite, and an identical one is left alone.
A record fails on its own, and the others are still imported, when it is not a regular file, is
larger than 1,000,000 bytes, has a number of more than 9 digits or more than 100 considered options.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import format_path
from ..load.catalog import Catalog
from ..load.documents import MAX_BYTES, decode, load_text
from ..load.entries import schema_line, typed
from ..models.adr import Adr, AdrTemplate
from ..models.common import Markdown
from ..models.walk import marked
from ..text import links, safe_link

NOT_RECORDED = "Not recorded in the imported ADR."
REVIEW_EVERY = "12 months"
MAX_LINE = 300
MAX_ID = 80
#: The longest ADR sequence number, in digits; the id keeps room for a slug of the title.
MAX_DIGITS = 9
#: The most considered options a record may list.
MAX_OPTIONS = 100
SKIPPED_NAMES = {"readme.md", "index.md", "template.md"}

_STATUS_WORDS = {
    "accepted": "accepted", "approved": "accepted", "adopted": "accepted", "decided": "accepted",
    "done": "accepted", "akzeptiert": "accepted", "angenommen": "accepted", "beschlossen": "accepted",
    "genehmigt": "accepted", "entschieden": "accepted",
    "proposed": "proposed", "draft": "proposed", "open": "proposed", "pending": "proposed",
    "review": "proposed", "wip": "proposed", "vorgeschlagen": "proposed", "entwurf": "proposed",
    "offen": "proposed",
    "rejected": "rejected", "declined": "rejected", "abgelehnt": "rejected", "verworfen": "rejected",
    "deprecated": "deprecated", "obsolete": "deprecated", "retired": "deprecated", "veraltet": "deprecated",
    "überholt": "deprecated",
    "superseded": "superseded", "replaced": "superseded", "ersetzt": "superseded",
}

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
    "links": ("links", "verweise", "related decisions"),
}
_ROLE_OF = {title: role for role, titles in _ROLES.items() for title in titles}

_META_KEYS = {
    "status": "status", "date": "date", "datum": "date", "last-updated": "date",
    "deciders": "deciders", "decision-makers": "deciders", "entscheider": "deciders",
    "consulted": "consulted", "konsultiert": "consulted", "informed": "informed", "informiert": "informed",
    "tags": "tags",
}

_HEADING = re.compile(r"(#{1,6})[ \t]+(.*)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_BULLET = re.compile(r"^ ?(?:[*+-]|\d+[.)])[ \t]+(.*)$")
_META_LINE = re.compile(r"^(?:[*+-][ \t]+)?([A-Za-zÄÖÜäöü][\w -]{0,40}?)[ \t]*:[ \t]*(.*)$")
#: No part of a link spans a '[', so each try stops where the next link could start: linear time.
_LINK = re.compile(r"!?\[([^\[\]]*)\]\(([^)\s\[]*)(?:\s[^)\[]*)?\)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_FILE_NUMBER = re.compile(r"^(?:adr[-_]?)?(\d+)[-_.]", re.I)
_TITLE_NUMBER = re.compile(r"^(?:ADR[-_ ]?(\d+)\s*[:.\-–]?|(\d+)[.:])\s+(.+)$", re.I)
_ADR_NUMBER = re.compile(r"\b(?:ADR[-_ ]?)?(\d{1,6})\b", re.I)
_CHOSEN = re.compile(r"^(?:chosen option|gewählte option|ausgewählte option)\s*:\s*(.+)$", re.I | re.S)
_QUOTED = re.compile(r"^[\"“„]([^\"“”]+)[\"“”][ \t]*,?\s*(?:(?:because|weil|denn|da)\b)?[ \t]*(.*)$", re.I | re.S)
_BECAUSE = re.compile(r"^(.*?\S)(?:\s*,)?\s+(?:because|weil|denn|da)\b[ \t]*(.*)$", re.I | re.S)
_PRO = re.compile(r"^(?:good|pro|positive|gut|vorteil)\b(?:\s*[,:])?\s*(?:because|weil|denn|da)?\b\s*(.+)$", re.I | re.S)
_CON = re.compile(r"^(?:bad|con|contra|negative|schlecht|nachteil)\b(?:\s*[,:])?\s*(?:because|weil|denn|da)?\b\s*(.+)$",
                  re.I | re.S)
_NEUTRAL = re.compile(r"^neutral\b(?:\s*[,:])?\s*(?:because|weil|denn|da)?\b\s*(.+)$", re.I | re.S)
_SUPERSEDED_BY = re.compile(r"^(?:superseded by|replaced by|ersetzt durch)\b[:\s]*(.+)$", re.I | re.S)
_SUPERSEDES = re.compile(r"^(?:supersedes|replaces)\b[:\s]*(.+)$", re.I | re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9ÄÖÜ\"“„(])")


class RecordError(Exception):
    """A record that cannot become a catalog entry; the message says why."""


# -- Markdown structure -----------------------------------------------------------------------


@dataclass
class Section:
    """A heading and what follows it; `children` are its `###` subsections."""

    title: str
    lines: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        return _ROLE_OF.get(_heading_key(self.title))

    def markdown(self) -> str:
        """Body and subsections as Markdown, headings demoted to sit below a `####` heading."""
        parts = [_demote(self.lines)]
        parts += [f"##### {child.title}\n\n{child.markdown()}".rstrip() for child in self.children]
        return _tidy("\n\n".join(part for part in parts if part.strip()))


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


def _heading_key(title: str) -> str:
    return _plain(title).casefold().rstrip(" :")  # _plain leaves single spaces only


def _heading(line: str) -> tuple[int, str] | None:
    """An ATX heading's level and text, without a closing run of '#' and trailing blanks; None for other lines."""
    m = _HEADING.fullmatch(line)
    if m is None:
        return None
    text = m.group(2).rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        text = bare.rstrip(" \t")
    return len(m.group(1)), text


def _without_comments(text: str) -> str:
    """`text` without its HTML comments (an unclosed `<!--` and what follows it stay)."""
    parts, at = [], 0
    while (start := text.find("<!--", at)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        parts.append(text[at:start])
        at = end + 3
    return "".join(parts) + text[at:]


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _demote(lines: list[str]) -> str:
    """Headings inside a kept section moved two levels down (at most `######`); code left alone."""
    out, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (heading := _heading(line)):
            line = "#" * min(6, heading[0] + 2) + " " + heading[1]
        out.append(line)
    return _tidy("\n".join(out))


def _plain(text: str) -> str:
    """Markdown inline text as plain single-line text: links become their text, emphasis marks go."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"\*\*|__|`", "", text)
    return " ".join(text.split())


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
    document, problems = load_text(front, "front matter")  # YAML 1.2 and bounded; dates stay text for _date
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


def parse(path: Path, display: str) -> Source:
    """Read one Markdown record; raises RecordError when it is not a readable ADR."""
    text, problems = decode(_read(path), display)
    if text is None:
        raise RecordError(problems[0].message)
    text = _without_comments(text.replace("\r\n", "\n").replace("\r", "\n"))
    front, body = _front_matter(text)
    meta: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    for key, value in front.items():
        name = _META_KEYS.get(key.strip().lower().replace("_", "-").replace(" ", "-"))
        if name:
            meta[name] = value
        elif key != "title":
            extra.append((key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)))
    title: str | None = str(front["title"]) if front.get("title") else None
    preamble: list[str] = []
    sections: list[Section] = []
    fenced = False
    for line in body.split("\n"):
        heading = None if fenced else _heading(line)
        if _FENCE.match(line):
            fenced = not fenced
        if heading and heading[0] == 1 and title is None and not sections:
            title = heading[1]
        elif heading and heading[0] <= 2:
            sections.append(Section(heading[1]))
        elif heading and heading[0] == 3 and sections:
            sections[-1].children.append(Section(heading[1]))
        elif sections:
            (sections[-1].children[-1] if sections[-1].children else sections[-1]).lines.append(line)
        else:
            preamble.append(line)
    if not title or not _plain(title):
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
    title = _plain(title)
    if (m := _TITLE_NUMBER.match(title)) is not None:
        number = number if number is not None else _number(m.group(1) or m.group(2))
        title = m.group(3).strip()
    return Source(path, display, title, number, file_date, meta, extra, free, sections)


def _file_number(name: str) -> tuple[int | None, dt.date | None]:
    """The sequence number of a file name, or the date when it is a log4brains `YYYYMMDD-` name."""
    m = _FILE_NUMBER.match(name)
    if m is None:
        return None, None
    digits = m.group(1)
    if len(digits) == 8:
        try:
            return None, dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            pass
    return _number(digits), None


# -- blocks of a section ----------------------------------------------------------------------


def _blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Top-level list items as (text, lines) and everything else as (None, lines), in order."""
    blocks: list[tuple[str | None, list[str]]] = []
    fenced = False
    item: list[str] | None = None
    indented = _next_indented(lines)
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        bullet = None if fenced else _BULLET.match(line)
        if bullet:
            item = [line]
            blocks.append(("", item))
        elif item is not None and line.strip() and (line[:1] in " \t" or not _BULLET.match(line)):
            item.append(line)
        elif item is not None and not line.strip() and indented[index]:
            item.append(line)
        else:
            item = None
            if blocks and blocks[-1][0] is None:
                blocks[-1][1].append(line)
            else:
                blocks.append((None, [line]))
    out = []
    for kind, raw in blocks:
        if kind is None:
            out.append((None, raw))
        else:
            first = _BULLET.match(raw[0])
            assert first is not None
            out.append((_plain(" ".join([first.group(1), *(part.strip() for part in raw[1:])])), raw))
    return out


def _next_indented(lines: list[str]) -> list[bool]:
    """For each line, whether the next line with text after it is indented (a list item before it goes on)."""
    out, indented = [False] * len(lines), False
    for index in range(len(lines) - 1, -1, -1):
        out[index] = indented
        if lines[index].strip():
            indented = lines[index][:1] in " \t"
    return out


def _text(blocks: list[tuple[str | None, list[str]]]) -> str:
    return _demote([line for _, raw in blocks for line in raw])


# -- status, dates and links ------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link to another ADR as written: by file name and/or number."""

    text: str
    file: str | None
    number: int | None


def _link(line: str, target: str) -> Link:
    """A link written on `line`; `target` is the part after 'Supersedes' or 'Superseded by'."""
    m = _LINK.search(target)
    file = Path(m.group(2).split("#")[0]).name if m and m.group(2) else None
    n = _ADR_NUMBER.search(m.group(1) if m else target) or (_FILE_NUMBER.match(file) if file else None)
    text = " ".join(re.sub(r"^(?:[*+-][ \t]+)?", "", line.strip()).split())
    return Link(text, file or None, int(n.group(1)) if n and len(n.group(1)) <= MAX_DIGITS else None)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    try:
        if m := _ISO_DATE.search(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _DOTTED_DATE.search(text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def _status_word(text: str) -> str | None:
    """The status a status line names: its first word, or any word of a short line ('Final (accepted)')."""
    words = re.findall(r"[a-zäöüß]+", _plain(text).casefold())
    for word in words[:1] + (words if len(words) <= 4 else []):
        if word in _STATUS_WORDS:
            return _STATUS_WORDS[word]
    return None


@dataclass
class StatusInfo:
    status: str | None = None
    written: str = ""
    date: dt.date | None = None
    supersedes: list[Link] = field(default_factory=list)
    superseded_by: Link | None = None
    unmapped: list[str] = field(default_factory=list)


def _read_status(lines: list[str]) -> StatusInfo:
    """The status, its date and the supersede links of status lines; other lines are kept."""
    info = StatusInfo()
    for line in lines:
        text = _plain(re.sub(r"^(?:[*+-][ \t]+)?(?:status\s*:)?", "", line.strip(), flags=re.I))
        if not text:
            continue
        if m := _SUPERSEDED_BY.match(text):
            info.superseded_by = _link(line, _markdown_tail(line, m.group(1)))
        elif m := _SUPERSEDES.match(text):
            info.supersedes.append(_link(line, _markdown_tail(line, m.group(1))))
        elif word := _status_word(text):
            info.status, info.written = word, text
            info.date = _date(text) or info.date
            continue
        else:
            info.unmapped.append(line.strip())
            continue
        info.status = "superseded" if info.superseded_by else info.status
        info.date = _date(text) or info.date
    return info


def _markdown_tail(line: str, plain_rest: str) -> str:
    """The Markdown of `line` from where its plain-text tail `plain_rest` starts (keeps link targets)."""
    m = _LINK.search(line)
    return line[m.start() :] if m else plain_rest


# -- the entry --------------------------------------------------------------------------------


@dataclass
class Draft:
    """One record on its way to becoming an entry, links not yet resolved."""

    source: Source
    id: str
    data: dict[str, Any]
    kept: list[tuple[str, str]]
    notes: list[str]
    supersedes: list[Link]
    superseded_by: Link | None
    unresolved: list[str] = field(default_factory=list)

    def drop(self, link: Link, why: str) -> None:
        """Keep a link the catalog cannot hold as text in the context, and say why."""
        self.unresolved.append(link.text)
        self.notes.append(f"'{link.text}': {why}; kept as text in the context")


def _slug(title: str, limit: int) -> str:
    text = title.casefold().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "adr"
    while len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value or ""))
    return [name for name in (_plain(str(item)) for item in items) if name]


def _summary(markdown: str) -> str:
    for raw in re.split(r"\n\s*\n", markdown):
        if raw.strip() and not _heading(raw.strip()) and not _FENCE.match(raw):
            paragraph = _plain(re.sub(r"^\s*(?:>\s*|[*+-]\s+|\d+[.)]\s+)", "", raw))
            break
    else:
        return ""
    sentence = _SENTENCE_END.split(paragraph, 1)[0]
    if len(sentence) > MAX_LINE:
        sentence = sentence[: MAX_LINE - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def _classify(text: str) -> tuple[str, str]:
    """('good' | 'bad' | 'neutral' | '', text without its 'Good, because' prefix)."""
    for kind, pattern in (("good", _PRO), ("bad", _CON), ("neutral", _NEUTRAL)):
        if m := pattern.match(text):
            rest = m.group(1).strip()
            return kind, rest[:1].upper() + rest[1:]
    return "", text


def _key(title: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]+", "", _plain(title).casefold().strip("\"'“”„"))


def _match(title: str, options: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The option `title` names: the same words, or (when unique) one title starting with the other."""
    key = _key(title)
    exact = [o for o in options if o["key"] == key]
    if exact:
        return exact[0]
    near = [o for o in options
            if min(len(key), len(o["key"])) >= 3 and (o["key"].startswith(key) or key.startswith(o["key"]))]
    return near[0] if len(near) == 1 else None


class _Builder:
    """Maps the sections of one Source onto the fields of an Adr."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.notes: list[str] = []
        self.kept: list[tuple[str, str]] = []
        self.context = ""
        self.drivers: list[str] = []
        self.options: list[dict[str, Any]] = []
        self.chosen: str | None = None
        self.justification = ""
        self.decision_text = ""
        self.consequences: dict[str, list[str]] = {"good": [], "bad": [], "neutral": []}
        self.confirmation = ""
        self.status = StatusInfo()

    def keep(self, title: str, markdown: str) -> None:
        if markdown.strip():
            self.kept.append((title, markdown.strip()))

    def add_option(self, title: str) -> dict[str, Any]:
        """A new considered option, with the key `_match` finds it by; raises RecordError past MAX_OPTIONS."""
        if len(self.options) == MAX_OPTIONS:
            raise RecordError(f"more than {MAX_OPTIONS} considered options")
        option = {"title": title, "key": _key(title)}
        self.options.append(option)
        return option

    def run(self) -> None:
        for section in self.source.sections:
            handler = getattr(self, f"on_{(section.role or 'other').replace('-', '_')}")
            handler(section)

    def on_other(self, section: Section) -> None:
        self.keep(section.title, section.markdown())

    def on_context(self, section: Section) -> None:
        if self.context:
            self.keep(section.title, section.markdown())
        else:
            self.context = section.markdown()

    def on_drivers(self, section: Section) -> None:
        rest = []
        for text, raw in _blocks(section.lines):
            (self.drivers.append(text) if text else rest.append((text, raw)))
        self.keep(section.title, _text(rest))
        for child in section.children:
            self.keep(child.title, child.markdown())

    def on_options(self, section: Section) -> None:
        rest = []
        for text, raw in _blocks(section.lines):
            if not text:
                rest.append((text, raw))
            elif _key(text) not in {o["key"] for o in self.options}:
                self.add_option(text)
        self.keep(section.title, _text(rest))
        self.options_from(section.children)

    def on_pros_cons(self, section: Section) -> None:
        self.keep(section.title, _demote(section.lines))
        self.options_from(section.children)

    def options_from(self, children: list[Section]) -> None:
        """`### Option` subsections: their Good/Bad bullets and the rest as the description."""
        for child in children:
            option = _match(child.title, self.options)
            if option is None:
                option = self.add_option(_plain(child.title))
            rest = []
            for text, raw in _blocks(child.lines):
                kind, item = _classify(text) if text else ("", "")
                if kind in ("good", "bad"):
                    option.setdefault("pros" if kind == "good" else "cons", []).append(item)
                else:
                    rest.append((text, raw))
            description = _text(rest)
            if description:
                option["description"] = "\n\n".join(filter(None, [option.get("description"), description]))

    def on_outcome(self, section: Section) -> None:
        if self.decision_text:
            self.keep(section.title, section.markdown())
            return
        paragraphs = [p for p in re.split(r"\n\s*\n", _demote(section.lines)) if p.strip()]
        chosen_at = next((i for i, p in enumerate(paragraphs) if _CHOSEN.match(p.strip())), None)
        if chosen_at is None:
            self.decision_text = "\n\n".join(paragraphs)
        else:
            m = _CHOSEN.match(paragraphs[chosen_at].strip())
            assert m is not None
            head, why = m.group(1), ""
            if b := _QUOTED.match(head) or _BECAUSE.match(head):
                head, why = b.group(1), b.group(2)
            self.chosen = _plain(head).strip(" \"'“”„`.")
            others = paragraphs[:chosen_at] + paragraphs[chosen_at + 1 :]
            why = why.strip()
            self.justification = "\n\n".join(filter(None, [why[:1].upper() + why[1:], *others]))
            self.decision_text = self.justification or NOT_RECORDED
        for child in section.children:
            self.on_child(child)

    def on_child(self, child: Section) -> None:
        role = child.role
        if role in ("good", "bad", "consequences"):
            self.read_consequences(child, role if role != "consequences" else "")
        elif role == "confirmation":
            self.on_confirmation(child)
        else:
            self.keep(child.title, child.markdown())

    def on_consequences(self, section: Section) -> None:
        self.read_consequences(section, "")
        for child in section.children:
            self.on_child(child)

    def on_good(self, section: Section) -> None:
        self.read_consequences(section, "good")

    def on_bad(self, section: Section) -> None:
        self.read_consequences(section, "bad")

    def read_consequences(self, section: Section, default: str) -> None:
        rest = []
        for text, raw in _blocks(section.lines):
            if not text:
                rest.append((text, raw))
                continue
            kind, item = _classify(text)
            self.consequences[kind or default or "neutral"].append(item)
        self.keep(section.title, _text(rest))
        if section.children and section.role in ("good", "bad"):
            for child in section.children:
                self.keep(child.title, child.markdown())

    def on_confirmation(self, section: Section) -> None:
        text = section.markdown()
        if self.confirmation:
            self.keep(section.title, text)
        else:
            self.confirmation = text

    def on_status(self, section: Section) -> None:
        info = _read_status(section.lines)
        self.status = info
        self.keep(section.title, "\n\n".join(info.unmapped))
        for child in section.children:
            self.keep(child.title, child.markdown())

    def on_links(self, section: Section) -> None:
        rest = []
        for text, raw in _blocks(section.lines):
            info = _read_status([" ".join(raw)]) if text else None
            if info and (info.supersedes or info.superseded_by):
                self.status.supersedes += info.supersedes
                self.status.superseded_by = info.superseded_by or self.status.superseded_by
                if info.superseded_by and self.status.status in (None, "accepted"):
                    self.status.status = "superseded"
            else:
                rest.append((text, raw))
        self.keep(section.title, _text(rest))
        for child in section.children:
            self.keep(child.title, child.markdown())


def draft(source: Source, entry_id: str, owner: str, templates: set[str], fallback_date: dt.date) -> Draft:
    """Map one parsed record to the data of an Adr entry; links are resolved by `resolve_links`."""
    b = _Builder(source)
    b.run()
    meta, notes = source.meta, b.notes
    if "status" in meta:
        info = _read_status([str(meta["status"])])
        b.status = StatusInfo(info.status or b.status.status, info.written or b.status.written,
                              info.date or b.status.date, b.status.supersedes + info.supersedes,
                              info.superseded_by or b.status.superseded_by, b.status.unmapped + info.unmapped)
    status = b.status.status
    if status is None:
        odd = b.status.unmapped
        notes.append(f"status '{odd[0]}' not recognised; imported as proposed" if odd else "no status; imported as proposed")
        status = "proposed"
    elif b.status.written.casefold() not in ("", status):
        notes.append(f"status '{b.status.written}' read as {status}")
    if b.status.unmapped:
        b.keep("Status", "\n\n".join(b.status.unmapped))

    date = _date(meta["date"]) if meta.get("date") else None
    if meta.get("date") and date is None:
        notes.append(f"date '{meta['date']}' is not a date")
    date = date or b.status.date or source.file_date
    if date is None:
        date = fallback_date
        notes.append(f"no date; used {date.isoformat()}")

    deciders = _names(meta.get("deciders"))
    if not deciders:
        deciders = ["Not recorded"]
        notes.append("no deciders; recorded as 'Not recorded'")

    if not b.decision_text:
        raise RecordError("no decision: expected a '## Decision Outcome' or '## Decision' section")
    nygard = not b.options and b.chosen is None
    if nygard:
        b.add_option(source.title)
        b.chosen, b.justification = source.title, b.decision_text
    elif b.chosen is None:
        if len(b.options) != 1:
            raise RecordError("the decision does not name the chosen option: write 'Chosen option: \"Title\", because ...'")
        b.chosen, b.justification = b.options[0]["title"], b.decision_text
    elif (option := _match(b.chosen, b.options)) is not None:
        b.chosen = option["title"]
    else:
        b.add_option(b.chosen)
        notes.append(f"chosen option '{b.chosen}' is not among the considered options; added it")
    if not b.justification:
        b.justification = NOT_RECORDED
        notes.append("no justification for the chosen option")
    if not b.context:
        notes.append("no context section")
    intro = _demote(source.preamble)
    kept = ([("Introduction", intro)] if intro else []) + source.extra_meta + b.kept
    if kept:
        notes.append("kept in the context: " + ", ".join(f"'{title}'" for title, _ in kept))
    tags = meta.get("tags") if isinstance(meta.get("tags"), list) else re.split(r"[\s,]+", str(meta.get("tags") or ""))
    template = "lightweight-adr" if nygard else "madr-4"
    data: dict[str, Any] = {
        "id": entry_id,
        "title": source.title,
        "summary": _summary(b.context) or _summary(b.justification) or source.title,
        "owners": [owner],
        "tags": list(dict.fromkeys(["imported", *(_slug(tag, MAX_ID) for tag in _names(tags))])),
        "last_reviewed": date,
        "review_every": REVIEW_EVERY,
        "status": status,
        "date": date,
        "deciders": deciders,
        "consulted": _names(meta.get("consulted")),
        "informed": _names(meta.get("informed")),
        "supersedes": [],
        "context": b.context or NOT_RECORDED,
        "decision_drivers": b.drivers,
        "considered_options": [{k: o[k] for k in ("title", "description", "pros", "cons") if o.get(k)} for o in b.options],
        "outcome": {"chosen": b.chosen, "justification": b.justification},
        "consequences": {k: v for k, v in b.consequences.items() if v},
        "confirmation": b.confirmation or None,
        "superseded_by": None,
        "template": template if template in templates else None,
    }
    return Draft(source, entry_id, data, kept, notes, b.status.supersedes, b.status.superseded_by)


def _leading_number(entry_id: str) -> int | None:
    m = re.match(r"^(\d+)-", entry_id)
    return int(m.group(1)) if m and len(m.group(1)) <= MAX_DIGITS else None


def resolve_links(drafts: list[Draft], catalog: Catalog) -> None:
    """Turn supersede links into ids, both directions consistent; drop (and keep as text) the rest."""
    adrs = {i: e for i, e in catalog.entries.items() if isinstance(e, Adr)}
    by_id = {d.id: d for d in drafts}
    by_stem: dict[str, str] = {}
    by_number: dict[int, list[str]] = {}
    for d in drafts:
        by_stem.setdefault(d.source.path.stem, d.id)
        if d.source.number is not None:
            by_number.setdefault(d.source.number, []).append(d.id)
    catalog_numbers: dict[int, list[str]] = {}
    for i in adrs:
        if i not in by_id and (number := _leading_number(i)) is not None:
            catalog_numbers.setdefault(number, []).append(i)

    def find(link: Link) -> str | None:
        if link.file:
            stem = Path(link.file).stem
            named = by_stem.get(stem) or (stem if stem in adrs else None)
            if named:
                return named
        if link.number is not None:
            numbered = by_number.get(link.number) or catalog_numbers.get(link.number, [])
            if len(numbered) == 1:
                return numbered[0]
        return None

    for d in drafts:
        if d.superseded_by is None:
            continue
        target = find(d.superseded_by)
        if target is None or target == d.id:
            d.drop(d.superseded_by, "no imported file or catalog ADR matches it")
        elif target in by_id or d.id in adrs[target].supersedes:
            d.data["superseded_by"] = target
        else:
            d.drop(d.superseded_by, f"'{target}' in the catalog does not list '{d.id}' in supersedes")
    for d in drafts:
        for link in d.supersedes:
            target = find(link)
            if target is None or target == d.id:
                d.drop(link, "no imported file or catalog ADR matches it")
                continue
            old = by_id[target].data if target in by_id else None
            successor = old["superseded_by"] if old is not None else adrs[target].superseded_by
            if successor not in (None, d.id):
                d.drop(link, f"'{target}' is superseded by '{successor}'")
            elif old is None and successor is None:
                d.drop(link, f"'{target}' in the catalog does not name '{d.id}' in superseded_by")
            else:
                if old is not None:
                    old["superseded_by"] = d.id
                d.data["supersedes"].append(target)
    for d in drafts:
        successor = d.data["superseded_by"]
        if successor in by_id and d.id not in by_id[successor].data["supersedes"]:
            by_id[successor].data["supersedes"].append(d.id)
    for d in drafts:
        d.data["supersedes"] = sorted(set(d.data["supersedes"]))
        if d.data["superseded_by"] and d.data["status"] != "superseded":
            d.notes.append(f"status '{d.data['status']}' imported as superseded: '{d.data['superseded_by']}' supersedes it")
            d.data["status"] = "superseded"
        elif d.data["status"] == "superseded" and not d.data["superseded_by"]:
            d.notes.append("superseded, but its successor is not known; imported as deprecated")
            d.data["status"] = "deprecated"


# -- writing ----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """safe_dump that also quotes text the catalog loader (YAML 1.2, YAML 1.1 traps) reads otherwise."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"))
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^0o[0-7]+$"), ["0"])
_Dumper.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?i:yes|no|on|off|y|n|true|false)$"),
                              list("yYnNoOtTfF"))
_Dumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


_REFERENCE = re.compile(r"^( {0,3})\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)>?.*$", re.M)


def _safe_links(markdown: str, targets: dict[str, str]) -> str:
    """Links the site would refuse (relative paths, other schemes) as text; ADR files become their ids."""
    def shown(url: str) -> str:
        stem = Path(url.split("#")[0]).stem
        return targets.get(stem, url)

    def inline(m: re.Match[str]) -> str:
        url = m.group(2)
        return m.group(0) if safe_link(url) else f"{m.group(1)} (`{shown(url)}`)"

    def reference(m: re.Match[str]) -> str:
        url = m.group(3)
        return m.group(0) if safe_link(url) else f"{m.group(1)}{m.group(2)}: `{shown(url)}`"

    return _REFERENCE.sub(reference, _LINK.sub(inline, markdown))


def _context(d: Draft) -> str:
    kept = d.kept + ([("Unresolved links", "\n".join(f"- {text}" for text in d.unresolved))] if d.unresolved else [])
    return "\n\n".join([d.data["context"], *(f"#### {title}\n\n{markdown}" for title, markdown in kept)])


def render(d: Draft, targets: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The entry's data without empty fields, and the text of its catalog file.

    `targets` maps ADR file names (without '.md') to entry ids, to write links between records as ids.
    """
    data = copy.deepcopy({k: v for k, v in (d.data | {"context": _context(d)}).items() if v not in (None, [], {})})
    for owner, key in [(data, "context"), (data, "confirmation"), (data["outcome"], "justification"),
                       *((option, "description") for option in data["considered_options"])]:
        if key in owner:
            owner[key] = _safe_links(owner[key], targets)
    return data, schema_line(Adr.kind) + "\n" + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                                          width=1_000_000)


def problems(data: dict[str, Any], text: str, display: str) -> list[str]:
    """Why `text` would not be a valid entry with exactly `data`: YAML traps, model errors, changed values."""
    document, found = load_text(text, display)
    if document is None or found:
        return [d.message for d in found] or ["the YAML could not be read back"]
    entry, found = typed(document, Adr)
    if entry is None:
        return [f"{d.path}: {d.message}" if d.path else d.message for d in found]
    unsafe = [f"{format_path(path)}: link to '{url}' is not allowed in prose"
              for path, _, markdown in marked(entry, Markdown) for url in links(markdown) if not safe_link(url)]
    if unsafe:
        return unsafe
    if document.data != _dates_as_text(data):
        return ["the YAML does not read back as the imported values"]
    return []


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass
class FileResult:
    """What happened to one Markdown file."""

    display: str
    outcome: str
    target: str = ""
    notes: list[str] = field(default_factory=list)


def collect(paths: list[Path]) -> list[Path]:
    """The Markdown files named, folders expanded to their `*.md` files (not README, index or template)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob("*.md") if p.is_file() and p.name.lower() not in SKIPPED_NAMES)
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _ids(sources: list[Source], catalog: Catalog) -> list[str]:
    """Ids in file order: the file's number and title slug, or a reused or next free number."""
    existing = [i for i, e in catalog.entries.items() if isinstance(e, Adr)]
    used = {n for n in map(_leading_number, existing) if n is not None} | {s.number for s in sources if s.number is not None}
    last = max(used, default=0)
    earlier: dict[str, str] = {}  # catalog ids by the slug after their number; the first in sorted order
    for i in sorted(existing):
        if m := re.fullmatch(r"\d+-(.+)", i):
            earlier.setdefault(m.group(1), i)
    ids = []
    for source in sources:
        if source.number is not None:
            prefix = f"{source.number:04d}-"
            ids.append(prefix + _slug(source.title, MAX_ID - len(prefix)))
            continue
        slug = _slug(source.title, MAX_ID - 5)
        if slug in earlier:
            ids.append(earlier[slug])
            continue
        last += 1
        ids.append(f"{last:04d}-{_slug(source.title, MAX_ID - len(f'{last:04d}-'))}")
    return ids


def import_adrs(root: Path, catalog_dir: Path, catalog: Catalog, files: list[Path], owner: str, today: dt.date,
                overwrite: bool = False, dry_run: bool = False) -> list[FileResult]:
    """Import the records in `files` into `catalog_dir`; one result per file, in order."""
    results: dict[Path, FileResult] = {}
    sources: list[Source] = []
    for path in files:
        display = _display(path)
        try:
            sources.append(parse(path, display))
        except (RecordError, OSError) as exc:
            reason = str(exc) if isinstance(exc, RecordError) else f"cannot read it: {exc.strerror or exc}"
            results[path] = FileResult(display, "failed", notes=[reason])
    templates = {e.id for e in catalog.entries.values() if isinstance(e, AdrTemplate)}
    drafts: list[Draft] = []
    seen: dict[str, str] = {}
    for source, entry_id in zip(sources, _ids(sources, catalog), strict=True):
        earlier = catalog.entries.get(entry_id)
        fallback = earlier.date if isinstance(earlier, Adr) else today
        try:
            if entry_id in seen:
                raise RecordError(f"its id '{entry_id}' is also the id of {seen[entry_id]}")
            drafts.append(draft(source, entry_id, owner, templates, fallback))
            seen[entry_id] = source.display
        except RecordError as exc:
            results[source.path] = FileResult(source.display, "failed", notes=[str(exc)])
    resolve_links(drafts, catalog)
    targets = {i: i for i, e in catalog.entries.items() if isinstance(e, Adr)} | {d.source.path.stem: d.id for d in drafts}
    folder = catalog_dir / Adr.folder
    for d in drafts:
        target = folder / f"{d.id}.yaml"
        shown = _display(target, root)
        results[d.source.path] = result = FileResult(d.source.display, "", shown, d.notes)
        others = [p for p in catalog_dir.glob(f"*/{d.id}.yaml") if p.parent != folder]
        data, text = render(d, targets)
        wrong = problems(data, text, shown)
        if others:
            result.outcome, result.target = "failed", ""
            result.notes.append(f"the id '{d.id}' is taken by {_display(others[0], root)}")
        elif wrong:
            result.outcome, result.target = "failed", ""
            result.notes.extend(f"not written: {message}" for message in wrong)
        elif target.exists() and target.read_bytes() == text.encode("utf-8"):
            result.outcome = "unchanged"
        elif target.exists() and not overwrite:
            result.outcome = "skipped (exists; --overwrite replaces it)"
        else:
            result.outcome = ("would overwrite" if dry_run else "overwritten") if target.exists() else \
                ("would write" if dry_run else "written")
            if not dry_run:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(text.encode("utf-8"))
                except OSError as exc:
                    result.outcome = "failed"
                    result.notes.append(f"cannot write {shown}: {exc.strerror or exc}")
    return [results[path] for path in files]


def _display(path: Path, root: Path | None = None) -> str:
    try:
        return path.relative_to(root if root else Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
