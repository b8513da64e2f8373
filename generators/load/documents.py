"""Safe YAML loading that keeps the position of every key and value.

The loader builds plain Python values from PyYAML's event stream, without ever
constructing objects from tags. It reads scalars with YAML 1.2 core-schema rules
and reports the YAML 1.1 readings that would change a value's meaning, duplicate
keys, tags, aliases that expand too far, deep nesting, numbers too long to read
and bad encodings as diagnostics instead of raising.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Path_, format_path

#: libyaml's parser when PyYAML was built with it (much faster; the same events).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 50_000
#: The longest number a scalar may spell out; longer ones are refused, not converted.
MAX_NUMBER = 100

_STD = "tag:yaml.org,2002:"
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_YAML11_BOOL = {"yes", "no", "on", "off", "y", "n"}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")


@dataclass(frozen=True)
class Mark:
    line: int
    column: int


@dataclass
class Document:
    """The data of one YAML file and where each piece of it was written."""

    file: str
    data: Any
    first_line: str
    keys: dict[Path_, Mark] = field(default_factory=dict)
    values: dict[Path_, Mark] = field(default_factory=dict)
    #: How unquoted numbers, booleans and nulls were written, to quote them back in messages.
    written: dict[Path_, str] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> Mark:
        """The mark of `path`, or of its nearest written ancestor."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if key and path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Mark(1, 1))


class _Stop(Exception):
    """Raised inside the builder once a file cannot be read further."""


def _mark(event: Any) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


@dataclass
class _Frame:
    value: dict[str, Any] | list[Any]
    path: Path_
    anchor: str | None
    nodes: int = 1
    key: str | None = None
    discard: bool = False
    seen: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self.keys: dict[Path_, Mark] = {}
        self.values: dict[Path_, Mark] = {}
        self.written: dict[Path_, str] = {}
        self.anchors: dict[str, tuple[Any, int] | None] = {}
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def error(self, mark: Mark, message: str, hint: str = "", path: Path_ = ()) -> None:
        self.diagnostics.append(
            Diagnostic(self.file, mark.line, mark.column, "error", message, format_path(path), hint, "yaml")
        )

    # -- events ---------------------------------------------------------------

    def run(self, text: str) -> Any:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents == 2:
                    self.error(_mark(event), "a catalog file holds exactly one YAML document",
                               "remove the '---' separator and move the second document to its own file")
                    raise _Stop
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self.start_collection(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.end_collection()
            elif isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
        return self.root

    def awaiting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is None

    def next_path(self) -> Path_:
        """The path of the value about to be placed."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return frame.path + (len(frame.value),)
        return frame.path + (frame.key,)

    def place(self, value: Any, mark: Mark, nodes: int, new: int) -> None:
        """Put a value of `nodes` values into its parent; `new` of them were not counted yet."""
        self.nodes += new
        if self.nodes > MAX_NODES:
            self.error(mark, f"the document expands to more than {MAX_NODES} values",
                       "aliases (*name) that repeat large anchors multiply the document; write the values out")
            raise _Stop
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.nodes += nodes
        if isinstance(frame.value, list):
            frame.value.append(value)
        else:
            assert frame.key is not None
            if not frame.discard:
                frame.value[frame.key] = value
            frame.key, frame.discard = None, False

    def start_collection(self, event: Any) -> None:
        mark = _mark(event)
        if self.awaiting_key():
            self.error(mark, "a mapping key must be plain text, not a list or mapping", path=self.stack[-1].path)
            raise _Stop
        path = self.next_path()
        if len(self.stack) >= MAX_DEPTH:
            self.error(mark, f"nesting is deeper than {MAX_DEPTH} levels", path=path)
            raise _Stop
        is_map = isinstance(event, yaml.MappingStartEvent)
        expected = _STD + ("map" if is_map else "seq")
        if event.tag not in (None, "!", expected):
            self.error(mark, f"tag {_short_tag(event.tag)} is not allowed", "remove the tag; catalog files hold plain data", path)
        self.values[path] = mark
        frame = _Frame({} if is_map else [], path, event.anchor)
        if event.anchor:
            self.anchors[event.anchor] = None  # known, not finished: an alias to it now is recursive
        self.stack.append(frame)

    def end_collection(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.nodes)
        self.place(frame.value, self.values[frame.path], frame.nodes, new=1)  # children counted already

    def scalar(self, event: Any) -> None:
        mark = _mark(event)
        if self.awaiting_key():
            self.key(self.stack[-1], event, mark)
            return
        path = self.next_path()
        value = self.resolve(event, mark, path)
        self.values[path] = mark
        if not isinstance(value, str):
            self.written[path] = event.value
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self.place(value, mark, 1, new=1)

    def key(self, frame: _Frame, event: Any, mark: Mark) -> None:
        if event.tag not in (None, "!", _STD + "str"):
            self.error(mark, f"tag {_short_tag(event.tag)} is not allowed", "remove the tag; catalog files hold plain data", frame.path)
        name = event.value
        path = frame.path + (name,)
        if name in frame.seen:
            self.error(mark, f"duplicate key '{name}' (first defined at line {frame.seen[name]})",
                       "keep one of the two; YAML would silently keep only the last", frame.path)
            frame.discard = True  # read on, but keep the first value
        else:
            frame.seen[name] = mark.line
            self.keys[path] = mark
        frame.key = name

    def alias(self, event: Any) -> None:
        mark = _mark(event)
        if self.awaiting_key():
            self.error(mark, "an alias cannot be used as a mapping key", path=self.stack[-1].path)
            raise _Stop
        path = self.next_path()
        target = self.anchors.get(event.anchor)
        if target is None:
            self.error(mark, f"alias *{event.anchor} refers to a collection that contains it", path=path)
            raise _Stop
        value, nodes = target
        self.values[path] = mark
        self.place(value, mark, nodes, new=nodes)

    def resolve(self, event: Any, mark: Mark, path: Path_) -> Any:
        """A scalar's value under the YAML 1.2 core schema, flagging YAML 1.1 traps."""
        text = event.value
        tag = event.tag
        if tag not in (None, "!"):
            if tag == _STD + "str":
                return text
            self.error(mark, f"tag {_short_tag(tag)} is not allowed", "remove the tag; catalog files hold plain data", path)
            return text
        if event.style or not event.implicit[0]:
            return text  # quoted or block scalars are always text
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if text.lower() in _YAML11_BOOL:
            self.error(mark, f"'{text}' is read as true or false by some YAML tools and as text by others",
                       f"write true or false for a yes/no value, or quote it ('{text}') for text", path)
            return text
        if len(text) > MAX_NUMBER and any(pattern.fullmatch(text) for pattern in (_INT, _OCT, _HEX, _FLOAT)):
            self.error(mark, f"the number '{text[:20]}…' is {len(text):,} characters long; "
                             f"a number has at most {MAX_NUMBER}", "quote it if it is text", path)
            return text
        if _INT.fullmatch(text):
            digits = text.lstrip("+-")
            if len(digits) > 1 and digits.startswith("0"):
                self.error(mark, f"'{text}' has a leading zero: YAML 1.1 reads it as the octal number {int(digits, 8) if set(digits) <= set('01234567') else 'invalid'}",
                           f"quote it ('{text}') if it is text, or drop the leading zero if it is a number", path)
                return text
            return int(text)
        if _OCT.fullmatch(text):
            return int(text[2:], 8)
        if _HEX.fullmatch(text):
            return int(text[2:], 16)
        if _FLOAT.fullmatch(text):
            return float(text)
        if _INF.fullmatch(text):
            return -math.inf if text.startswith("-") else math.inf
        if _NAN.fullmatch(text):
            return math.nan
        return text


def _position_in(text: str, index: int) -> Mark:
    before = text[:index]
    return Mark(before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1)


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes as UTF-8 text, or a diagnostic that says where the encoding breaks."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Diagnostic(file, 1, 1, "error", "the file is UTF-16 encoded", "", "save it as UTF-8", "encoding")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", errors="replace")
        mark = _position_in(head, len(head))
        byte = raw[exc.start]
        return None, [Diagnostic(file, mark.line, mark.column, "error", f"byte 0x{byte:02x} is not valid UTF-8", "",
                                 "save the file as UTF-8", "encoding")]


#: What usually causes a YAML syntax error, by words of the parser's message; the first that matches is the hint.
YAML_HINTS = (
    ("mapping values are not allowed", "a value holding ': ' needs quotes ('a: b'), and a key must line up with the "
                                       "keys around it"),
    ("tab character", "indent with spaces, not tabs"),
    ("'\\t'", "indent with spaces, not tabs"),
    ("quoted scalar", "close the quotes the value opens"),
    ("flow sequence", "close the list with ']' and separate its items with ','"),
    ("flow mapping", "close the mapping with '}' and separate its pairs with ','"),
    ("block", "line the key up with the keys around it (indent with spaces), or quote a value that starts with "
              "'-', '[', '{', '*', '&', '!', '|', '>' or '%'"),
)


def yaml_hint(message: str) -> str:
    """How to fix a YAML syntax error, from the parser's message."""
    return next((hint for words, hint in YAML_HINTS if words in message),
                "compare the indentation and quoting of this line with the lines around it")


def load_text(text: str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one catalog file's text; never raises on bad input."""
    builder = _Builder(file)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        data = builder.run(text)
    except _Stop:
        return None, builder.diagnostics
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{message} ({exc.context})"
        return None, builder.diagnostics + [Diagnostic(file, line, column, "error", message, "", yaml_hint(message), "yaml")]
    except yaml.reader.ReaderError as exc:
        mark = _position_in(text, exc.position) if exc.position <= len(text) else Mark(1, 1)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return None, builder.diagnostics + [
            Diagnostic(file, mark.line, mark.column, "error", f"control character U+{ord(char):04X} is not allowed in YAML",
                       "", "delete the character or write it as an escape inside double quotes", "encoding")
        ]
    except yaml.YAMLError as exc:
        return None, builder.diagnostics + [Diagnostic(file, 1, 1, "error", str(exc).strip(), "", "", "yaml")]
    document = Document(file, data, first_line, builder.keys, builder.values, builder.written)
    return document, builder.diagnostics


def load_bytes(raw: bytes, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one catalog file's bytes, reporting size and encoding problems."""
    if len(raw) > MAX_BYTES:
        return None, [Diagnostic(file, 1, 1, "error", f"the file is larger than {MAX_BYTES:,} bytes", "",
                                 "split the entry or move long material out of the catalog", "yaml")]
    text, problems = decode(raw, file)
    if text is None:
        return None, problems
    return load_text(text, file)
