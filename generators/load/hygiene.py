"""Characters catalog text may not hold, checked on every string of a file, keys included.

A reviewer reads a pull request as it is shown, not as it is stored: a right-to-left override
reorders what follows it (the Trojan Source trick), a zero-width space splits a word without a
trace, an escape sequence repaints the terminal that prints an export. So:

- no text holds a control character other than tab and newline, a bidirectional control, a Unicode
  noncharacter, or U+2028/U+2029 (line breaks to some tools and not to others, Markdown among them);
- single-line text (every field but prose, and every key) holds no line break and no invisible
  format character (Unicode category Cf) either;
- prose keeps two format characters, U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER:
  Persian, the Indic scripts and emoji sequences need them to be spelt right, and neither reorders
  or hides text.

YAML refuses raw control characters and reads CRLF line ends as newlines (`loader.py`), so what
this finds came through an escape in a double-quoted scalar ("\\e", "\\r", "\\u202e") or, for
format characters, as typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from ..diagnostics import Diagnostic, Path_, format_path
from ..models.common import Markdown
from ..models.walk import marker_of, options
from .documents import Document

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters YAML reads as line breaks.
LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
#: The format characters prose may hold.
PROSE_JOINERS = frozenset("\u200c\u200d")

#: Names of the control characters, which `unicodedata.name` does not know (Unicode's name aliases).
_CONTROL_NAMES = dict(zip(
    [*range(0x20), 0x7F, 0x85],
    ["NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE",
     "ALERT", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN",
     "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
     "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
     "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
     "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE", "DELETE", "NEXT LINE"],
    strict=True,
))

#: What each kind of refused character is, and what to do about it.
_WHY = {
    "line-break": ("a line break, but this field is a single line",
                   "write it on one line; longer text belongs in a prose field"),
    "control": ("a control character", "delete it; text holds no control character other than tab and newline"),
    "bidi": ("an invisible bidirectional control",
             "delete it: it can make the text display in an order other than the one it is stored in"),
    "format": ("an invisible format character", "delete it: readers and reviewers cannot see it"),
    "separator": ("a line separator that Markdown does not read as a line break", "use a newline instead"),
    "noncharacter": ("a Unicode noncharacter", "delete it; it is not meant to appear in text"),
}


@dataclass(frozen=True)
class Finding:
    """The first refused character of a string: which, where (1-based) and why."""

    char: str
    position: int
    why: str

    @property
    def message(self) -> str:
        return f"contains {describe(self.char)} (character {self.position}), {_WHY[self.why][0]}"

    @property
    def hint(self) -> str:
        return _WHY[self.why][1]


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`; the code point alone for a character without a name."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "")
    return f"U+{ord(char):04X} {name}".rstrip()


def _why(char: str, prose: bool) -> str | None:
    """Why `char` is refused in prose or single-line text, or None when it is not."""
    if char in LINE_BREAKS and not prose:
        return "line-break"
    if char in "\t\n":
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        return "control"
    if char in BIDI_CONTROLS:
        return "bidi"
    if category == "Cf":
        return None if prose and char in PROSE_JOINERS else "format"
    if category in ("Zl", "Zp"):
        return "separator"
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return "noncharacter"
    return None


def first_refused(text: str, prose: bool) -> Finding | None:
    """The first character of `text` that prose (or single-line text) may not hold."""
    allowed = text.replace("\t", "")
    if (allowed.replace("\n", "") if prose else allowed).isprintable():
        return None  # printable text holds no control, format, separator or unassigned character
    for index, char in enumerate(text):
        if (why := _why(char, prose)) is not None:
            return Finding(char, index + 1, why)
    return None


@cache
def _fields(model: type[BaseModel]) -> dict[str, tuple[Any, list[Any]]]:
    return {info.alias or name: (info.annotation, info.metadata) for name, info in model.model_fields.items()}


def _field(model: type[BaseModel], path: Path_) -> tuple[Any, list[Any]] | None:
    """The annotation and metadata of the field holding `path` in a `model` document; None off the model."""
    annotation: Any = model
    metadata: list[Any] = []
    for part in path:
        choices = options(annotation)
        if isinstance(part, int):
            inner = [get_args(o)[0] for o in choices if get_origin(o) in (list, tuple)]
            if not inner:
                return None
            annotation, metadata = inner[0], []
        elif mappings := [get_args(o)[1] for o in choices if get_origin(o) is dict]:
            annotation, metadata = mappings[0], []
        else:
            models = [o for o in choices if isinstance(o, type) and issubclass(o, BaseModel)]
            if not models or part not in _fields(models[0]):
                return None
            annotation, metadata = _fields(models[0])[part]
    return annotation, metadata


def is_prose(model: type[BaseModel], path: Path_) -> bool:
    """Whether the string at `path` of a `model` document is prose (a field marked Markdown), or lies off the
    model (under an unknown key, reported as such), where the rules of prose apply."""
    found = _field(model, path)
    return found is None or any(marker_of(option, found[1], Markdown) is not None for option in options(found[0]))


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str, bool]]:
    """(path, text, is a key) for every string of a parsed document."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), key, True
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _shown(path: Path_) -> str:
    """The path as `format_path` writes it, with every character that is not printable escaped (keys are text too)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in format_path(path))


def text_problems(document: Document, model: type[BaseModel]) -> list[tuple[Path_, bool, Diagnostic]]:
    """(path, is a key, diagnostic) for every string of `document` (a `model` entry) holding a refused character."""
    problems = []
    for path, text, key in _strings(document.data, ()):
        if first_refused(text, prose=False) is None:
            continue  # fine as a single line, so fine anywhere
        found = first_refused(text, prose=not key and is_prose(model, path))
        if found is None:
            continue
        mark = document.position(path, key=key)
        message = f"a key {found.message}" if key else found.message
        problems.append((path, key, Diagnostic(document.file, mark.line, mark.column, "error", message, _shown(path),
                                               found.hint, "text")))
    return problems
