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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import format_path
from ..load.catalog import Catalog
from ..load.documents import load_text
from ..load.entries import schema_line, typed
from ..models.adr import Adr, AdrTemplate
from ..models.common import Markdown
from ..models.walk import marked
from ..text import links, safe_link
from .adr_draft import MAX_ID, Draft, draft, slug
from .adr_links import leading_number, resolve_links
from .adr_parse import LINK, RecordError, Source, parse

SKIPPED_NAMES = {"readme.md", "index.md", "template.md"}


# -- the entry's file -------------------------------------------------------------------------


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
    """Links the site would refuse (relative paths, other schemes) as text; a link to an ADR file becomes a citation
    of its entry (`[[id|text]]`), which the site shows as a link to its page."""
    def target(url: str) -> str | None:
        return targets.get(Path(url.split("#")[0]).stem)

    def cited(entry_id: str, text: str) -> str:
        words = " ".join(text.split())
        return f"[[{entry_id}|{words}]]" if words and not set(words) & set("[]|") else f"[[{entry_id}]]"

    def inline(m: re.Match[str]) -> str:
        url = m.group(2)
        if safe_link(url):
            return m.group(0)
        entry_id = target(url)
        return cited(entry_id, m.group(1)) if entry_id else f"{m.group(1)} (`{url}`)"

    def reference(m: re.Match[str]) -> str:
        url = m.group(3)
        if safe_link(url):
            return m.group(0)
        entry_id = target(url)
        return f"{m.group(1)}{m.group(2)}: " + (f"[[{entry_id}]]" if entry_id else f"`{url}`")

    return _REFERENCE.sub(reference, LINK.sub(inline, markdown))


def _context(d: Draft) -> str:
    """The context with the kept sections and the links left unresolved below it, each under a `####` heading."""
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
    """`value` with its dates as ISO text, as the catalog loader reads them."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


# -- the batch --------------------------------------------------------------------------------


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
    used = {n for n in map(leading_number, existing) if n is not None} | {s.number for s in sources if s.number is not None}
    last = max(used, default=0)
    earlier: dict[str, str] = {}  # catalog ids by the slug after their number; the first in sorted order
    for i in sorted(existing):
        if m := re.fullmatch(r"\d+-(.+)", i):
            earlier.setdefault(m.group(1), i)
    ids = []
    for source in sources:
        if source.number is not None:
            prefix = f"{source.number:04d}-"
            ids.append(prefix + slug(source.title, MAX_ID - len(prefix)))
            continue
        titled = slug(source.title, MAX_ID - 5)
        if titled in earlier:
            ids.append(earlier[titled])
            continue
        last += 1
        ids.append(f"{last:04d}-{slug(source.title, MAX_ID - len(f'{last:04d}-'))}")
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
    """`path` relative to `root` (the working folder by default) when inside it, else as it is."""
    try:
        return path.relative_to(root if root else Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
