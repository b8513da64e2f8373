"""From parsed YAML documents to typed entries, with every problem as a diagnostic."""

from __future__ import annotations

import contextlib
import hashlib
import math
import pickle
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..config import CONFIG_FILE, Config, read_config
from ..diagnostics import Diagnostic, Report, closest, format_path
from ..federation.sources import Origin, Synced, synced
from ..heap import uncollected
from ..models import BY_FOLDER, KINDS, Entry
from ..models.common import PATTERN_MESSAGES, Markdown
from ..models.walk import marked
from ..project import Project
from ..text import Prose
from ..write.cache_entries import write_atomic
from ..write.fingerprint import code_stamp
from .catalog import Catalog
from .checks import check_catalog
from .documents import MAX_BYTES, Document, load_bytes
from .hygiene import is_prose, text_problems
from .raw_references import check_raw_references
from .sources import SourceError, read_source, unsafe

SCHEMA_DIR = "schemas"


def schema_line(kind: str) -> str:
    """The first line of every catalog file, so editors find the kind's schema."""
    return f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{kind}.schema.json"


def discover(catalog_dir: Path, root: Path, shown: Callable[[str], str] | None = None
             ) -> tuple[list[tuple[Path, str, type[Entry]]], list[Diagnostic]]:
    """Catalog files in a stable order, and the files that do not belong there; `shown` names a file by its path in
    `catalog_dir` (a synced source's files), else it is named by its path in the project."""
    found: list[tuple[Path, str, type[Entry]]] = []
    problems: list[Diagnostic] = []
    if not catalog_dir.is_dir():
        return found, [Diagnostic(_display(catalog_dir, root), 1, 1, "error", "the catalog folder does not exist",
                                  "", "run the command from the project folder or pass --root", "layout")]
    refused = set()
    def display(path: Path) -> str:
        return shown(path.relative_to(catalog_dir).as_posix()) if shown else _display(path, root)

    for path, what in unsafe(catalog_dir):
        refused.add(path)
        problems.append(Diagnostic(display(path), 1, 1, "error",
                                   f"is {what}; the catalog holds only plain files and folders", "",
                                   "replace a link with the file or folder itself, and remove special files", "layout"))
    for path in sorted(catalog_dir.rglob("*")):
        rel = path.relative_to(catalog_dir)
        display = shown(rel.as_posix()) if shown else _display(path, root)
        if path in refused or rel.parts[0] == SCHEMA_DIR or any(p.startswith(".") for p in rel.parts) or path.is_dir():
            continue
        model = BY_FOLDER.get(rel.parts[0]) if len(rel.parts) == 2 else None
        if path.suffix == ".yml":
            problems.append(Diagnostic(display, 1, 1, "error", "catalog files end in '.yaml'", "",
                                       f"rename it to {path.stem}.yaml", "layout"))
        elif path.suffix != ".yaml":
            continue
        elif model is None:
            folders = ", ".join(m.folder for m in KINDS)
            hint = closest(rel.parts[0], [m.folder for m in KINDS]) if len(rel.parts) == 2 else ""
            problems.append(Diagnostic(display, 1, 1, "error", "not in a kind's folder; entries live in catalog/<kind>/<id>.yaml", "",
                                       hint or f"kind folders: {folders}", "layout"))
        else:
            found.append((path, display, model))
    return found, problems


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _unwrap(annotation: Any) -> Any:
    """The model class inside `list[X]`, `X | None` and similar, or the annotation itself."""
    while get_origin(annotation) in (list, tuple, Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0] if args else Any
    return annotation


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc`."""
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        if part not in fields:
            return None
        inner = _unwrap(fields[part].annotation)
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None
        model = inner
    return model


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _choices(expected: str) -> list[str]:
    return [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(", ")]


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return repr(value)


def explain(error: dict[str, Any], model: type[BaseModel], written: str | None = None) -> tuple[str, str]:
    """A pydantic error as (message, hint) in the words of the catalog; `written` is the value as typed."""
    kind, ctx, value, loc = error["type"], error.get("ctx") or {}, error.get("input"), error["loc"]
    name = str(loc[-1]) if loc else ""
    if written is not None and kind in ("value_error", "string_type"):
        return f"expected text, got {written}, which YAML reads as {_shown(value)}", f"quote it ('{written}') if it is text"
    if kind == "missing":
        return f"missing required key '{name}'", ""
    if kind == "extra_forbidden":
        owner = model_at(model, loc)
        allowed = _keys(owner) if owner else []
        return f"unknown key '{name}'", closest(name, allowed) or (f"allowed keys: {', '.join(allowed)}" if allowed else "")
    if kind == "literal_error":
        choices = _choices(ctx.get("expected", ""))
        return f"{_shown(value)} is not one of {', '.join(choices)}", closest(str(value), choices)
    if kind == "string_pattern_mismatch":
        wording = PATTERN_MESSAGES.get(ctx.get("pattern", ""), f"must match {ctx.get('pattern')}")
        return f"{_shown(value)} {wording}", ""
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "too_long" and isinstance(value, str):
        kind = "string_too_long"  # what pydantic calls the limit of a string it strips before measuring
    if kind == "string_too_long":
        hint = ("split it, or link to long material instead of copying it in" if is_prose(model, loc)
                else "move detail into a prose field")
        return f"is too long ({ctx.get('actual_length') or len(value)} characters; at most {ctx.get('max_length')})", hint
    if kind == "too_long":
        noun = "keys" if isinstance(value, dict) else "items"
        return f"has too many {noun} ({len(value)}; at most {ctx.get('max_length')})", ""
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"needs at least {least} item{'s' * (least != 1)}", ""
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_shown(value)}", "write each item on its own line starting with '- '"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys and values, got {_shown(value)}", ""
    if kind == "string_type":
        return f"expected text, got {_shown(value)}", "quote the value if it is text"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"):
        return f"{_shown(value)} is not a date", "write dates as YYYY-MM-DD"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_shown(value)}", ""
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])), ""
    return f"{error['msg'][0].lower()}{error['msg'][1:]}", ""


#: The code a schema problem is reported under, in the catalog's words (pydantic's error names are not).
SCHEMA_CODES = {
    "missing": "missing-key", "extra_forbidden": "unknown-key", "literal_error": "not-allowed",
    "string_pattern_mismatch": "bad-format", "string_too_short": "empty", "string_too_long": "too-long",
    "too_long": "too-long", "too_short": "too-short",
}


def schema_code(kind: str) -> str:
    """The diagnostic code of a pydantic error type: 'wrong-type' for any '..._type' or parsing error, else 'schema'."""
    if kind in SCHEMA_CODES:
        return SCHEMA_CODES[kind]
    return "wrong-type" if kind.endswith(("_type", "_parsing")) else "schema"


def typed(document: Document, model: type[Entry]) -> tuple[Entry | None, list[Diagnostic]]:
    """Validate one document against its kind's model."""
    if not isinstance(document.data, dict):
        mark = document.position(())
        return None, [Diagnostic(document.file, mark.line, mark.column, "error",
                                 f"a {model.noun()} is a mapping of keys, got {_shown(document.data)}",
                                 "", "start from 'playbook new' for a skeleton", "type")]
    refused = text_problems(document, model)
    problems = [diagnostic for _, _, diagnostic in refused]
    try:
        entry = model.model_validate(document.data)
    except ValidationError as exc:
        reported = {(path, key) for path, key, _ in refused}
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if (loc, error["type"] == "extra_forbidden") in reported:
                continue  # one problem per key or value: the refused character says more than a pattern
            at_key = error["type"] in ("extra_forbidden", "missing")
            mark = document.position(loc if error["type"] != "missing" else loc[:-1], key=at_key)
            message, hint = explain(error, model, document.written.get(loc))
            path = format_path(loc)
            problems.append(Diagnostic(document.file, mark.line, mark.column, "error", message, path, hint,
                                       schema_code(error["type"])))
        return None, problems
    return (None if problems else entry), problems


Parsed = tuple[Document | None, Entry | None, list[Diagnostic]]


class ParseCache:
    """Catalog files already parsed and typed, each with the digest of the bytes it was parsed from.

    A run that loads the catalog again and again (`playbook serve`) keeps one, so that each load
    parses only the files an edit changed; it holds one parse per file, the latest. A run that loads it
    once (`check`, `generate`, `build`) starts from what the last run kept in the cache folder (`stored`)
    and keeps what it parsed for the next (`keep`): a pull request's build parses only the files it changed.
    """

    def __init__(self) -> None:
        self._files: dict[tuple[str, str, str], tuple[str, Parsed]] = {}
        self._used: set[tuple[str, str, str]] = set()
        self.prose = Prose()  # and the prose of the entries, parsed once
        self.snapshots: dict[str, Any] = {}  # and the catalog at each published commit, for the release notes

    def get(self, key: tuple[str, str, str], digest: str) -> Parsed | None:
        found = self._files.get(key)
        if found and found[0] == digest:
            self._used.add(key)
            return found[1]
        return None

    def put(self, key: tuple[str, str, str], digest: str, parsed: Parsed) -> None:
        self._files[key] = (digest, parsed)
        self._used.add(key)

    @classmethod
    def stored(cls, path: Path) -> ParseCache:
        """The parses the last run kept in `path`; an empty cache when there are none, or they were made by other
        code or libraries, or the file cannot be read."""
        cache = cls()
        try:
            with path.open("rb") as handle, uncollected():
                stamp, files, prose = pickle.load(handle)
        except Exception:  # noqa: BLE001 - whatever a damaged file raises, the run parses afresh
            return cache
        if stamp == code_stamp() and isinstance(files, dict) and isinstance(prose, dict):
            cache._files = files
            cache.prose.adopt(prose)
        return cache

    def keep(self, path: Path) -> None:
        """Keep in `path` what this run parsed and used, for the next run (the files it no longer has are dropped);
        a run that loaded nothing leaves what an earlier run kept."""
        if not self._used:
            return
        files = {key: self._files[key] for key in self._used if key in self._files}
        data = pickle.dumps((code_stamp(), files, self.prose.kept()), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a cache that cannot be kept costs the next run time, nothing else
            write_atomic(path, data)


def _parsed(path: Path, display: str, model: type[Entry], cache: ParseCache | None) -> Parsed:
    """One catalog file loaded and typed: (document, entry, problems); either may be None on errors."""
    try:
        raw = read_source(path, MAX_BYTES)
    except SourceError as exc:
        return None, None, [Diagnostic(display, 1, 1, "error", f"the file {exc.reason}", "", "", "unreadable")]
    key, digest = (str(path), display, model.kind), hashlib.sha256(raw).hexdigest()
    if cache is not None and (known := cache.get(key, digest)) is not None:
        return known
    document, problems = load_bytes(raw, display)
    entry = None
    if document is not None:
        if document.first_line != schema_line(model.kind):
            problems = [*problems, Diagnostic(display, 1, 1, "error", "the first line does not name the kind's JSON Schema",
                                              "", f"make the first line: {schema_line(model.kind)}", "schema-line")]
        entry, typing_problems = typed(document, model)
        problems = [*problems, *typing_problems]
    if cache is not None:
        cache.put(key, digest, (document, entry, problems))
    return document, entry, problems


#: A file to load: its path, how it is named, its kind, and where it comes from when it is kept in another repository.
Found = tuple[Path, str, type[Entry], Origin | None]


def source_files(source: Synced, root: Path) -> tuple[list[Found], list[Diagnostic]]:
    """The files of a synced source's copy, named by their path in the source's repository; a file of a kind the
    source may not contribute is reported instead."""
    files, problems = discover(source.folder, root, source.source.shown)
    found: list[Found] = []
    name, kinds = source.source.name, source.source.kinds
    for path, display, model in files:
        if model.kind in kinds:
            found.append((path, display, model, source.origin(path.relative_to(source.folder).as_posix())))
        else:
            problems.append(Diagnostic(display, 1, 1, "error", f"source '{name}' may contribute {', '.join(kinds)} "
                                       f"entries, not {model.kind} entries", "",
                                       f"add \"{model.kind}\" to kinds of [sources.{name}] in {CONFIG_FILE}, "
                                       "or remove the file from the source", "source-kind"))
    return found, problems


@uncollected()  # a catalog lasts as long as the run that loads it (generators/heap.py)
def load_catalog(root: Path, catalog_dir: Path, jobs: int | None = None, cache: ParseCache | None = None,
                 config: Config | None = None) -> tuple[Catalog, Report]:
    """Load and validate every catalog file and those of the synced sources `config` names (the project's
    playbook.toml when None), reusing what `cache` holds of unchanged files; collect every problem. An id is unique
    across catalog/ and every source: the later file (catalog/ first, then the sources by name) is reported."""
    report = Report()
    catalog = Catalog(prose=cache.prose if cache is not None else Prose())
    files, problems = discover(catalog_dir, root)
    found: list[Found] = [(path, display, model, None) for path, display, model in files]
    report.extend(problems)
    sources, problems = synced(Project(root), config if config is not None else read_config(root))
    report.extend(problems)
    for source in sources:
        files_of_source, problems = source_files(source, root)
        found.extend(files_of_source)
        report.extend(problems)
    unvalidated: list[tuple[str, Document, type[Entry]]] = []  # still read for their references
    for path, display, model, origin in found:
        document, entry, problems = _parsed(path, display, model, cache)
        report.extend(problems)
        if document is None or entry is None:
            catalog.invalid[path.stem] = model.kind
            if document is not None:
                unvalidated.append((path.stem, document, model))
            continue
        if entry.id in catalog.entries:
            mark = document.position(("id",))
            report.add(Diagnostic(display, mark.line, mark.column, "error",
                                  f"duplicate id '{entry.id}' (also used by {catalog.files[entry.id]})", "id",
                                  "ids are unique across the whole catalog and its sources; rename one of the entries",
                                  "duplicate-id"))
            continue
        catalog.entries[entry.id] = entry
        catalog.files[entry.id] = display
        catalog.documents[entry.id] = document
        if origin is not None:
            catalog.origins[entry.id] = origin
    catalog.prose.parse_all((text for entry in catalog.entries.values() for _, _, text in marked(entry, Markdown)), jobs)
    report.extend(check_catalog(catalog, path_stems={e: Path(f).stem for e, f in catalog.files.items()}))
    report.extend(check_raw_references(catalog, unvalidated))
    return catalog, report
