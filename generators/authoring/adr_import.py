"""Import Markdown decision records (MADR 2, 3 and 4, adr-tools / Nygard, log4brains) as catalog ADRs.

How a Markdown ADR becomes an entry (English or German headings and metadata):

- source: where the record lives, the entry's `source`: the repository (the address of the git remote
  'origin', or of the first remote, without scheme, user or '.git': git.example.com/team/decisions;
  the name given with --source; else the name of the repository's folder, or of the record's folder
  outside git) and the record's path in it. It is what identifies an imported record: importing it
  again finds its entry by the source, whatever its number or title, and changes the entry only
  with --overwrite. Records of several repositories are all kept, each under an id of its own.
  Give --source NAME when the records have no remote, so that an import on another machine or
  from another clone recognises them.
- id: the id of the entry with the same source; else the number of the file name
  (0007-use-postgresql.md) or of the title ('# 7. Use PostgreSQL', '# ADR-0007: ...'),
  zero-padded to four digits, then a slug of the title: 0007-use-postgresql. A record without a
  number (log4brains names files by date, 20210304-...) reuses the id of a catalog ADR without a
  source with the same slug, or else takes the next number free in the catalog and the imported
  files. When that id belongs to a record from another source (two repositories each hold
  adr-tools' 0001-record-architecture-decisions.md), the record takes the next free number:
  0009-record-architecture-decisions. A catalog ADR without a source (written by hand, or
  imported before sources were recorded) is taken to be the same record as one of its id.
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
- a record written by `playbook export --format madr` (front matter key `playbook`) gives back
  the entry it was made from: id, summary, owners (those that are teams here; else --owner),
  tags without 'imported', review fields, values, visibility and template come from its front
  matter, its text is read as written, and its `source` is the one it names, if any.

An entry is written only when it reads back through the catalog loader and model without a
problem; an existing entry is replaced only with --overwrite, and an identical one is left alone.
A record fails on its own, and the others are still imported, when it is not a regular file, is
larger than 1,000,000 bytes, has a number of more than 9 digits or more than 100 considered options.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..diagnostics import format_path
from ..load.catalog import Catalog
from ..load.documents import load_text
from ..load.entries import schema_line, typed
from ..models.adr import Adr, AdrTemplate
from ..models.common import SLUG_PATTERN, Markdown
from ..models.team import Team
from ..models.walk import marked
from ..text import links, safe_link
from ..yaml_out import Dumper
from .adr_draft import MAX_ID, Draft, Known, Origin, draft, slug
from .adr_links import Targets, leading_number, resolve_links
from .adr_parse import LINK, RecordError, Source, parse

SKIPPED_NAMES = {"readme.md", "index.md", "template.md"}


# -- the entry's file -------------------------------------------------------------------------


_REFERENCE = re.compile(r"^( {0,3})\[([^\]\n]+)\]:[ \t]*<?([^\s>]+)>?.*$", re.M)


def _safe_links(markdown: str, find: Callable[[str], str | None]) -> str:
    """Links the site would refuse (relative paths, other schemes) as text; a link to an ADR file becomes a citation
    of its entry (`[[id|text]]`, `[[id]]` when the text is the id), which the site shows as a link to its page."""
    def target(url: str) -> str | None:
        path = url.split("#")[0]
        return find(path) if path else None

    def cited(entry_id: str, text: str) -> str:
        words = " ".join(text.split())
        own = words and words != entry_id and not set(words) & set("[]|")
        return f"[[{entry_id}|{words}]]" if own else f"[[{entry_id}]]"

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
    if not kept:
        return d.data["context"]
    return "\n\n".join([d.data["context"].rstrip("\n"), *(f"#### {title}\n\n{markdown}" for title, markdown in kept)])


def render(d: Draft, find: Callable[[str], str | None]) -> tuple[dict[str, Any], str]:
    """The entry's data without empty fields, and the text of its catalog file.

    `find` gives the entry id a relative link to a file means, to write links between records as citations.
    """
    data = copy.deepcopy({k: v for k, v in (d.data | {"context": _context(d)}).items() if v not in (None, [], {})})
    for owner, key in [(data, "context"), (data, "confirmation"), (data["outcome"], "justification"),
                       *((option, "description") for option in data["considered_options"])]:
        if key in owner:
            owner[key] = _safe_links(owner[key], find)
    return data, schema_line(Adr.kind) + "\n" + yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True,
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


# -- where a record comes from ----------------------------------------------------------------


def _git(folder: Path, *args: str) -> str | None:
    """What `git -C folder ARGS` prints, or None when it fails (no git, no repository). No GIT_ variable of this
    process (a hook's GIT_DIR) points git at another repository than the folder's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30,
                              check=False, env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def repository_address(remote: str) -> str:
    """A remote's address without scheme, user, password, port or '.git', so that every way of cloning a
    repository names it alike: https://user:token@git.example.com/team/decisions.git and
    git@git.example.com:team/decisions both give git.example.com/team/decisions; a local path stays one."""
    remote = remote.strip()
    if "://" in remote:
        parts = urlsplit(remote)
        host, path = (parts.hostname or "").lower(), parts.path
    elif (m := re.match(r"^(?:[^@/]+@)?([^/:]{2,}):(.*)$", remote)) is not None:  # scp-like, not a drive letter
        host, path = m[1].lower(), m[2]
    else:
        host, path = "", remote
    path = re.sub(r"(?:\.git)?/*$", "", path.replace("\\", "/"))
    return f"{host}/{path.lstrip('/')}" if host else path


class Places:
    """Where each file lives: its repository and its path in it, found with git once per folder."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.folders: dict[Path, tuple[Path, str]] = {}

    def _repository(self, folder: Path) -> tuple[Path, str]:
        """The top folder of the repository holding `folder` (else `folder`) and the repository's name."""
        if folder not in self.folders:
            top = _git(folder, "rev-parse", "--show-toplevel")
            root = Path(top).resolve() if top else folder
            remotes = dict(line.split(" ", 1) for line in (_git(root, "config", "--get-regexp", r"^remote\..*\.url$")
                                                           or "").splitlines() if " " in line) if top else {}
            url = remotes.get("remote.origin.url") or next((remotes[k] for k in sorted(remotes)), "")
            self.folders[folder] = (root, repository_address(url) if url else root.name)
        return self.folders[folder]

    def of(self, path: Path) -> Origin:
        root, name = self._repository(path.parent)
        return Origin(self.name or name, path.relative_to(root).as_posix())


def _origin(source: Source, place: Origin) -> Origin:
    """The source an exported record names in its front matter, else where it was read."""
    named = (source.playbook or {}).get("source")
    if named is None:
        return place
    if not (isinstance(named, dict) and set(named) == {"repository", "path"}
            and all(isinstance(v, str) and v.strip() for v in named.values())):
        raise RecordError("playbook.source must name a repository and a path, as text")
    return Origin(named["repository"].strip(), named["path"].strip())


# -- ids ----------------------------------------------------------------------------------------


def _check_named_id(source: Source) -> None:
    """Raise RecordError when an exported record names an id no entry can have."""
    named = (source.playbook or {}).get("id")
    if named is not None and not (isinstance(named, str) and re.fullmatch(SLUG_PATTERN, named) and len(named) <= MAX_ID):
        raise RecordError(f"playbook.id {named!r} is not an entry id (a lowercase slug of at most {MAX_ID} characters)")


def _ids(records: list[tuple[Source, Origin]], catalog: Catalog) -> list[tuple[str, str | None]]:
    """Each record's id, in order, and a note when another record holds the id it would have: the id of the entry
    with the same source; else the id the record names (an export), its number and title slug, or a reused or the
    next free number; the next free number too when that id belongs to a record from another source."""
    adrs = {i: e for i, e in catalog.entries.items() if isinstance(e, Adr)}
    sourced = {(e.source.repository, e.source.path): i for i, e in sorted(adrs.items()) if e.source}
    #: Each id taken, with the source of its record: None for a catalog ADR without one, which a record may claim.
    taken: dict[str, Origin | str | None] = {i: "another kind" for i in catalog.entries if i not in adrs}
    taken |= {i: Origin(e.source.repository, e.source.path) if e.source else None for i, e in adrs.items()}
    # an ADR another repository keeps (a federated source) is that repository's to change: its id is not claimable
    taken |= {i: f"the source '{catalog.origins[i].source}'" for i in adrs if i in catalog.origins}
    used = {n for n in map(leading_number, adrs) if n is not None} | \
        {s.number for s, _ in records if s.number is not None}
    last = max(used, default=0)
    earlier: dict[str, str] = {}  # ids of catalog ADRs without a source by the slug after their number
    for i in sorted(adrs):
        if adrs[i].source is None and (m := re.fullmatch(r"\d+-(.+)", i)):
            earlier.setdefault(m.group(1), i)
    out: list[tuple[str, str | None]] = []
    for source, origin in records:
        if (origin.repository, origin.path) in sourced:
            entry_id = sourced[(origin.repository, origin.path)]
            out.append((entry_id, None))
            taken[entry_id] = origin
            continue
        named = (source.playbook or {}).get("id")
        if named:
            wanted = named
        elif source.number is not None:
            prefix = f"{source.number:04d}-"
            wanted = prefix + slug(source.title, MAX_ID - len(prefix))
        else:
            wanted = earlier.get(slug(source.title, MAX_ID - 5), "")
        note = None
        if not wanted or taken.get(wanted, origin) not in (None, origin):
            if wanted:
                holder = taken[wanted]
                note = (f"'{wanted}' is the id of a record from {holder.repository}: {holder.path}"
                        if isinstance(holder, Origin) else f"'{wanted}' is the id of an entry of {holder}")
            last += 1
            prefix = f"{last:04d}-"
            rest = re.sub(r"^\d+-", "", wanted) if wanted else slug(source.title, MAX_ID)
            wanted = prefix + slug(rest, MAX_ID - len(prefix))
            note = f"{note}; imported as {wanted}" if note else None
        taken[wanted] = origin
        out.append((wanted, note))
    return out


# -- the batch ----------------------------------------------------------------------------------


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


def import_adrs(root: Path, catalog_dir: Path, catalog: Catalog, files: list[Path], owner: str, today: dt.date,
                overwrite: bool = False, dry_run: bool = False, source_name: str | None = None) -> list[FileResult]:
    """Import the records in `files` into `catalog_dir`; one result per file, in order. `source_name` names the
    repository of every file (`--source`); by default git's remote does."""
    results: dict[Path, FileResult] = {}
    places = Places(source_name)
    records: list[tuple[Source, Origin, Origin]] = []
    seen: dict[Origin, str] = {}
    for path in files:
        display = _display(path)
        try:
            source = parse(path, display)
            _check_named_id(source)
            place = places.of(path)
            origin = _origin(source, place)
            if origin in seen:
                raise RecordError(f"its source ({origin.repository}: {origin.path}) is also the source of {seen[origin]}")
            seen[origin] = display
            records.append((source, origin, place))
        except (RecordError, OSError) as exc:
            reason = str(exc) if isinstance(exc, RecordError) else f"cannot read it: {exc.strerror or exc}"
            results[path] = FileResult(display, "failed", notes=[reason])
    known = Known(frozenset(e.id for e in catalog.entries.values() if isinstance(e, Team)),
                  frozenset(e.id for e in catalog.entries.values() if isinstance(e, AdrTemplate)))
    drafts: list[Draft] = []
    for (source, origin, place), (entry_id, renumbered) in zip(records, _ids([r[:2] for r in records], catalog),
                                                               strict=True):
        earlier = catalog.entries.get(entry_id)
        fallback = earlier.date if isinstance(earlier, Adr) else today
        try:
            d = draft(source, entry_id, owner, known, fallback, origin, place)
        except RecordError as exc:
            results[source.path] = FileResult(source.display, "failed", notes=[str(exc)])
            continue
        if renumbered:
            d.notes.insert(0, renumbered)
        drafts.append(d)
    targets = Targets(drafts, catalog)
    resolve_links(drafts, targets)
    folder = catalog_dir / Adr.folder
    for d in drafts:
        target = folder / f"{d.id}.yaml"
        shown = _display(target, root)
        results[d.source.path] = result = FileResult(d.source.display, "", shown, d.notes)
        others = [p for p in catalog_dir.glob(f"*/{d.id}.yaml") if p.parent != folder]
        data, text = render(d, lambda written, d=d: targets.file(d, written))
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
