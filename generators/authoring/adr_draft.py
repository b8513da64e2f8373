"""A parsed record mapped to the data of a catalog ADR: status, date, people, options, outcome, consequences.

Links to other records are read as written (by file path or number) and left to `adr_links`. A record
exported by a playbook (`Source.exact`) is read as written: its arguments and consequences keep their first
letter, its names and tags are taken as they are, and the fields of its `playbook` front matter key
(render.madr) are the entry's, its owners where they are teams of the catalog and its template where the
catalog has it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models.adr import Adr
from ..render.madr import BAD, BLOCK, CHOSEN, GOOD, NEUTRAL, OPTION_VISIBILITY
from .adr_parse import (
    FILE_NUMBER,
    LINK,
    MAX_DIGITS,
    RecordError,
    Section,
    Source,
    as_written,
    demote,
    first_paragraph,
    items,
    paragraphs,
    plain,
)

NOT_RECORDED = "Not recorded in the imported ADR."
REVIEW_EVERY = "12 months"
MAX_LINE = 300
MAX_ID = 80
#: The most considered options a record may list.
MAX_OPTIONS = 100

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

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
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
#: The chosen option as an export writes it: its title in double quotes, backslash escapes inside.
_EXPORTED_CHOSEN = re.compile(re.escape(CHOSEN) + r'"((?:\\[\s\S]|[^"\\])+)"(?:, because |\n|$)')


def _text(blocks: list[tuple[str | None, list[str]]]) -> str:
    """The lines of `blocks` as Markdown below a `####` heading."""
    return demote([line for _, raw in blocks for line in raw])


# -- status, dates and links ------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link to another ADR as written: by file (its path relative to the record's folder) and/or number."""

    text: str
    file: str | None
    number: int | None


def _link(line: str, target: str) -> Link:
    """A link written on `line`; `target` is the part after 'Supersedes' or 'Superseded by'."""
    m = LINK.search(target)
    file = m.group(2).split("#")[0] if m and m.group(2) else None
    n = _ADR_NUMBER.search(m.group(1) if m else target) or (FILE_NUMBER.match(Path(file).name) if file else None)
    text = " ".join(re.sub(r"^(?:[*+-][ \t]+)?", "", line.strip()).split())
    return Link(text, file or None, int(n.group(1)) if n and len(n.group(1)) <= MAX_DIGITS else None)


def _better(first: Link | None, second: Link | None) -> Link | None:
    """Of two links to the same record, the one that names a file (more precise than a number), else `first`."""
    return second if second is not None and second.file and (first is None or not first.file) else first or second


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
    words = re.findall(r"[a-zäöüß]+", plain(text).casefold())
    for word in words[:1] + (words if len(words) <= 4 else []):
        if word in _STATUS_WORDS:
            return _STATUS_WORDS[word]
    return None


@dataclass
class StatusInfo:
    """What status lines say: the status, as written, its date, the supersede links and the lines not understood."""

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
        text = plain(re.sub(r"^(?:[*+-][ \t]+)?(?:status\s*:)?", "", line.strip(), flags=re.I))
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
    m = LINK.search(line)
    return line[m.start() :] if m else plain_rest


# -- the entry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A repository (its remote address or a name) and a path in it: where a record lives."""

    repository: str
    path: str

    def data(self) -> dict[str, str]:
        return {"repository": self.repository, "path": self.path}


@dataclass
class Draft:
    """One record on its way to becoming an entry, links not yet resolved.

    `origin` is the record's identity (its entry's `source`); `place` is where this import read it, the same
    but for an exported record that names the repository it first came from.
    """

    source: Source
    id: str
    data: dict[str, Any]
    kept: list[tuple[str, str]]
    notes: list[str]
    supersedes: list[Link]
    superseded_by: Link | None
    origin: Origin
    place: Origin
    unresolved: list[str] = field(default_factory=list)

    def drop(self, link: Link, why: str) -> None:
        """Keep a link the catalog cannot hold as text in the context, and say why."""
        self.unresolved.append(link.text)
        self.notes.append(f"'{link.text}': {why}; kept as text in the context")


def slug(title: str, limit: int) -> str:
    """Lowercase ASCII words of `title` joined by hyphens ('ß' as 'ss', umlauts as 'ae'...), cut at a word to `limit`."""
    text = title.casefold().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "adr"
    while len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0] if "-" in words[:limit] else words[:limit]
    return words


def _names(value: Any, exact: bool = False) -> list[str]:
    """Names from a list or from text separated by commas or semicolons (`exact`: a list's names as they are)."""
    if exact and isinstance(value, list):
        return [name for name in (str(part).strip() for part in value) if name]
    parts = value if isinstance(value, list) else re.split(r"[,;]", str(value or ""))
    return [name for name in (plain(str(part)) for part in parts) if name]


def _summary(markdown: str) -> str:
    """The first sentence of the first paragraph, shortened at a word to MAX_LINE characters."""
    sentence = _SENTENCE_END.split(first_paragraph(markdown), 1)[0]
    if len(sentence) > MAX_LINE:
        sentence = sentence[: MAX_LINE - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def _classify(text: str, exact: bool = False) -> tuple[str, str]:
    """('good' | 'bad' | 'neutral' | '', text without its 'Good, because' prefix), the first letter made a capital
    (`exact`: only MADR 4's own prefixes, the rest as written)."""
    if exact:
        return next(((kind, text[len(prefix):]) for kind, prefix in (("good", GOOD), ("bad", BAD), ("neutral", NEUTRAL))
                     if text.startswith(prefix) and text[len(prefix):].strip()), ("", text))
    for kind, pattern in (("good", _PRO), ("bad", _CON), ("neutral", _NEUTRAL)):
        if m := pattern.match(text):
            rest = m.group(1).strip()
            return kind, rest[:1].upper() + rest[1:]
    return "", text


def _key(title: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]+", "", plain(title).casefold().strip("\"'“”„"))


def _match(title: str, options: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The option `title` names: the same title, the same words, or (when unique) one title starting with the other."""
    same = [o for o in options if o["title"] == plain(title)]
    if same:
        return same[0]
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
        self.exact = source.exact
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
            self.context = section.markdown(self.exact)

    def on_drivers(self, section: Section) -> None:
        rest = []
        for text, raw in items(section.lines):
            (self.drivers.append(text) if text else rest.append((text, raw)))
        self.keep(section.title, _text(rest))
        for child in section.children:
            self.keep(child.title, child.markdown())

    def on_options(self, section: Section) -> None:
        rest = []
        for text, raw in items(section.lines):
            if not text:
                rest.append((text, raw))
            elif self.exact or _key(text) not in {o["key"] for o in self.options}:
                self.add_option(text)
        self.keep(section.title, _text(rest))
        self.options_from(section.children)

    def on_pros_cons(self, section: Section) -> None:
        self.keep(section.title, demote(section.lines))
        self.options_from(section.children)

    def options_from(self, children: list[Section]) -> None:
        """`### Option` subsections: their Good/Bad bullets and the rest as the description."""
        for child in children:
            option = _match(child.title, self.options)
            if option is None:
                option = self.add_option(plain(child.title))
            rest = []
            for text, raw in items(child.lines):
                kind, item = _classify(text, self.exact) if text else ("", "")
                if kind in ("good", "bad"):
                    option.setdefault("pros" if kind == "good" else "cons", []).append(item)
                else:
                    rest.append((text, raw))
            description = as_written([line for _, raw in rest for line in raw]) if self.exact else _text(rest)
            if description:
                option["description"] = "\n\n".join(filter(None, [option.get("description"), description]))

    def on_outcome(self, section: Section) -> None:
        if self.decision_text:
            self.keep(section.title, section.markdown())
            return
        if self.exact and self.exported_outcome(section):
            return
        text = demote(section.lines)
        lines = text.split("\n")
        chosen = next(((start, end, m) for start, end in paragraphs(lines)
                       if (m := _CHOSEN.match("\n".join(lines[start:end]).strip()))), None)
        if chosen is None:
            self.decision_text = text
        else:
            start, end, m = chosen
            head, why = m.group(1), ""
            if b := _QUOTED.match(head) or _BECAUSE.match(head):
                head, why = b.group(1), b.group(2)
            self.chosen = plain(head).strip(" \"'“”„`.")
            others = ["\n".join(lines[:start]).strip("\n"), "\n".join(lines[end:]).strip("\n")]
            why = why.strip()
            self.justification = "\n\n".join(filter(None, [why[:1].upper() + why[1:], *others]))
            self.decision_text = self.justification or NOT_RECORDED
        for child in section.children:
            self.on_child(child)

    def exported_outcome(self, section: Section) -> bool:
        """Read the outcome as an export writes it ('Chosen option: "Title", because' and the justification);
        False when the section does not start so."""
        text = "\n".join(section.lines).lstrip()
        m = _EXPORTED_CHOSEN.match(text)
        if m is None:
            return False
        self.chosen = plain(m.group(1))
        self.justification = self.decision_text = as_written(text[m.end():].split("\n")) or NOT_RECORDED
        for child in section.children:
            self.on_child(child)
        return True

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
        for text, raw in items(section.lines):
            if not text:
                rest.append((text, raw))
                continue
            kind, item = _classify(text, self.exact)
            self.consequences[kind or default or "neutral"].append(item)
        self.keep(section.title, _text(rest))
        if section.children and section.role in ("good", "bad"):
            for child in section.children:
                self.keep(child.title, child.markdown())

    def on_confirmation(self, section: Section) -> None:
        text = section.markdown(self.exact)
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
        for text, raw in items(section.lines):
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


@dataclass(frozen=True)
class Known:
    """What the catalog holds that an imported entry may name: its teams and ADR templates."""

    teams: frozenset[str]
    templates: frozenset[str]


def draft(source: Source, entry_id: str, owner: str, known: Known, fallback_date: dt.date, origin: Origin,
          place: Origin) -> Draft:
    """Map one parsed record to the data of an Adr entry; links are resolved by `resolve_links`."""
    b = _Builder(source)
    b.run()
    meta, notes = source.meta, b.notes
    if "status" in meta:
        info = _read_status([str(meta["status"])])
        b.status = StatusInfo(info.status or b.status.status, info.written or b.status.written,
                              info.date or b.status.date, b.status.supersedes + info.supersedes,
                              _better(b.status.superseded_by, info.superseded_by), b.status.unmapped + info.unmapped)
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

    deciders = _names(meta.get("deciders"), source.exact)
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
    intro = demote(source.preamble)
    kept = ([("Introduction", intro)] if intro else []) + source.extra_meta + b.kept
    if kept:
        notes.append("kept in the context: " + ", ".join(f"'{title}'" for title, _ in kept))
    tags = meta.get("tags") if isinstance(meta.get("tags"), list) else re.split(r"[\s,]+", str(meta.get("tags") or ""))
    template = None if source.exact else "lightweight-adr" if nygard else "madr-4"
    data: dict[str, Any] = {
        "id": entry_id,
        "title": source.title,
        "summary": _summary(b.context) or _summary(b.justification) or source.title,
        "owners": [owner],
        "tags": list(dict.fromkeys([*([] if source.exact else ["imported"]),
                                    *(slug(tag, MAX_ID) for tag in _names(tags, source.exact))])),
        "last_reviewed": date,
        "review_every": REVIEW_EVERY,
        "visibility": None,
        "values": [],
        "field_visibility": {},
        "status": status,
        "date": date,
        "deciders": deciders,
        "consulted": _names(meta.get("consulted"), source.exact),
        "informed": _names(meta.get("informed"), source.exact),
        "supersedes": [],
        "context": b.context or NOT_RECORDED,
        "decision_drivers": b.drivers,
        "considered_options": [{k: o[k] for k in ("title", "description", "pros", "cons") if o.get(k)} for o in b.options],
        "outcome": {"chosen": b.chosen, "justification": b.justification},
        "consequences": {k: v for k, v in b.consequences.items() if v},
        "confirmation": b.confirmation or None,
        "superseded_by": None,
        "template": template if template in known.templates else None,
        "source": origin.data(),
    }
    if source.playbook is not None:
        _exported(source.playbook, data, notes, owner, known)
    return Draft(source, entry_id, data, kept, notes, b.status.supersedes, b.status.superseded_by, origin, place)


def _exported(block: dict[str, Any], data: dict[str, Any], notes: list[str], owner: str, known: Known) -> None:
    """The fields of an exported record's `playbook` key in place of those drawn from its text; `id` and
    `source` are the import's to use."""
    for key, value in block.items():
        if key in ("id", "source", OPTION_VISIBILITY):
            continue
        if key == "owners" and isinstance(value, list):
            teams = [team for team in value if team in known.teams]
            if len(teams) < len(value):
                missing = ", ".join(f"'{team}'" for team in value if team not in known.teams)
                notes.append(f"owners {missing} are not teams in catalog/teams; " +
                             ("left out" if teams else f"owned by '{owner}' instead"))
            data["owners"] = teams or [owner]
        elif key == "template" and value not in known.templates:
            notes.append(f"template '{value}' is not in catalog/adr-templates; left out")
        else:
            data[key] = (_date(value) or value) if Adr.model_fields[key].annotation is dt.date else value
    shown = block.get(OPTION_VISIBILITY, {})
    if not isinstance(shown, dict):
        raise RecordError(f"{BLOCK}.{OPTION_VISIBILITY} is not a mapping of option titles to visibility levels")
    titles = {option["title"]: option for option in data["considered_options"]}
    for title, level in shown.items():
        if title in titles:
            titles[title]["visibility"] = level
        else:
            notes.append(f"{BLOCK}.{OPTION_VISIBILITY} names '{title}', which is not a considered option; left out")
