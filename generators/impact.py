"""What a change to the catalog touches: the changed entries and everything that depends on them.

The changed files are those that differ between the merge base of a ref and HEAD and the working
tree, committed or not, plus untracked catalog files. From each changed entry the relation graph
is followed backwards (who references it), ownership aside. The first step lists every entry that
references it; further steps follow only dependencies, not the plain "points at" links, so that a
"see also" does not pull in half the catalog.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from .graph import ORDER, OWNED_BY, POINTS_AT, Reference, references
from .history import HistoryError, git, resolve
from .models import BY_FOLDER, BY_KIND, KINDS
from .pipeline import CATALOG_DIR, OUTPUT_DIR, Project, check
from .text import inline

Change = Literal["added", "changed", "removed", "renamed"]

#: The refs tried, in order, when no base is given.
DEFAULT_BASES = ("origin/main", "main")
#: How many steps back through the relation graph an impact reaches by default.
DEFAULT_DEPTH = 2
SITE_FOLDER = PurePosixPath(OUTPUT_DIR).name


@dataclass(frozen=True)
class EntryFile:
    """A catalog entry named by its file: catalog/<folder>/<id>.yaml."""

    kind: str
    id: str

    @classmethod
    def parse(cls, path: str) -> EntryFile | None:
        parts = PurePosixPath(path).parts
        if len(parts) != 3 or parts[0] != CATALOG_DIR or parts[1] not in BY_FOLDER or not parts[2].endswith(".yaml"):
            return None
        return cls(BY_FOLDER[parts[1]].kind, parts[2].removesuffix(".yaml"))

    @property
    def page(self) -> str:
        return f"{SITE_FOLDER}/{BY_KIND[self.kind].folder}/{self.id}/"

    @property
    def noun(self) -> str:
        return BY_KIND[self.kind].singular


@dataclass(frozen=True)
class FileChange:
    """One changed entry file; `old` is the file it was renamed from."""

    change: Change
    entry: EntryFile
    old: EntryFile | None = None


@dataclass(frozen=True)
class Affected:
    """An entry reached from a changed one; `chain` leads from it, reference by reference, to the change."""

    entry: EntryFile
    title: str
    chain: tuple[Reference, ...]

    @property
    def depth(self) -> int:
        return len(self.chain)


@dataclass(frozen=True)
class Impact:
    """A changed entry, its title when it is valid now, and what depends on it."""

    file: FileChange
    title: str | None
    affected: tuple[Affected, ...]


@dataclass(frozen=True)
class ImpactReport:
    """Every changed entry since `base` (a ref) at `commit`, its merge base with HEAD."""

    base: str
    commit: str
    impacts: tuple[Impact, ...]

    @property
    def summary(self) -> str:
        if not self.impacts:
            return "no catalog entry changed"
        counts = defaultdict(int)
        for impact in self.impacts:
            counts[impact.file.change] += 1
        changed = ", ".join(f"{counts[c]} {c}" for c in ("added", "changed", "renamed", "removed") if counts[c])
        reached = {a.entry for i in self.impacts for a in i.affected} - {i.file.entry for i in self.impacts}
        return f"entries {changed}; {len(reached)} more {'entry' if len(reached) == 1 else 'entries'} affected"


def merge_base(root: Path, ref: str | None) -> tuple[str, str]:
    """(the ref used, the merge base of it and HEAD); HistoryError when there is none."""
    if ref is None:
        for candidate in DEFAULT_BASES:
            try:
                resolve(root, candidate)
            except HistoryError:
                continue
            ref = candidate
            break
        else:
            resolve(root, "HEAD")  # outside a repository, say so first
            raise HistoryError(f"neither {' nor '.join(DEFAULT_BASES)} exists; pass --base REF")
    commit = resolve(root, ref)
    head = resolve(root, "HEAD")
    try:
        return ref, git(root, "merge-base", commit, head).decode().strip()
    except HistoryError:
        raise HistoryError(f"'{ref}' and HEAD have no common ancestor") from None


def changed_files(root: Path, base: str) -> list[FileChange]:
    """The entry files that differ from `base` in the working tree, untracked ones included, by path."""
    diff = git(root, "diff", "--name-status", "-M", "-z", base, "--", f"{CATALOG_DIR}/").decode("utf-8", "surrogateescape")
    fields = diff.split("\0")
    changes: dict[str, FileChange] = {}
    at = 0
    while at < len(fields) and fields[at]:
        status = fields[at][0]
        if status in "RC":
            old, new, at = EntryFile.parse(fields[at + 1]), EntryFile.parse(fields[at + 2]), at + 3
            path = fields[at - 1]
            if status == "R" and old and new:
                changes[path] = FileChange("renamed", new, old)
                continue
            if old and status == "R":
                changes[fields[at - 2]] = FileChange("removed", old)
            if new:
                changes[path] = FileChange("added", new)
            continue
        path, at = fields[at + 1], at + 2
        if entry := EntryFile.parse(path):
            changes[path] = FileChange({"A": "added", "D": "removed"}.get(status, "changed"), entry)  # type: ignore[arg-type]
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", f"{CATALOG_DIR}/")
    for path in filter(None, untracked.decode("utf-8", "surrogateescape").split("\0")):
        if entry := EntryFile.parse(path):
            changes[path] = FileChange("added", entry)
    return [changes[p] for p in sorted(changes)]


def _incoming(project: Project) -> tuple[dict[str, str], dict[str, list[Reference]]]:
    """The titles of the valid entries, and every reference they make by the id it names.

    References to entries that do not exist (any more) count too: they lead to what a removal breaks.
    """
    catalog, _ = check(project)
    index: dict[str, list[Reference]] = defaultdict(list)
    for entry in catalog.entries.values():
        for ref in references(entry):
            if ref.relation is not OWNED_BY and ref.source != ref.target_id:
                index[ref.target_id].append(ref)
    order = {relation: i for i, relation in enumerate(ORDER)}
    for refs in index.values():
        refs.sort(key=lambda r: (order.get(r.relation, len(order)), r.source, r.path))
    return {e.id: e.title for e in catalog.entries.values()}, index


def _reach(start: list[str], titles: dict[str, str], index: dict[str, list[Reference]], kinds: dict[str, str],
           depth: int) -> tuple[Affected, ...]:
    """Entries that reference the `start` ids, then (dependencies only) what references those, `depth` steps."""
    seen = set(start)
    frontier: list[tuple[str, tuple[Reference, ...]]] = [(target, ()) for target in start]
    found: list[Affected] = []
    for _ in range(depth):
        following = []
        for target, chain in frontier:
            for ref in index.get(target, []):
                if ref.source in seen:
                    continue
                seen.add(ref.source)
                step = (ref, *chain)
                found.append(Affected(EntryFile(kinds[ref.source], ref.source), titles[ref.source], step))
                if ref.relation is not POINTS_AT:
                    following.append((ref.source, step))
        frontier = following
    position = {model.kind: i for i, model in enumerate(KINDS)}
    return tuple(sorted(found, key=lambda a: (a.depth, position[a.entry.kind], a.entry.id)))


def impact(project: Project, ref: str | None, depth: int = DEFAULT_DEPTH) -> ImpactReport:
    """The changed entries since the merge base of `ref` and HEAD, each with what depends on it."""
    base, commit = merge_base(project.root, ref)
    files = changed_files(project.root, commit)
    titles, index = _incoming(project) if files else ({}, {})
    kinds = {ref.source: ref.source_kind for refs in index.values() for ref in refs}
    impacts = []
    for file in files:
        start = [file.entry.id] + ([file.old.id] if file.old and file.old.id != file.entry.id else [])
        if file.change == "removed":
            start = [file.entry.id] if file.entry.id not in titles else []  # an id now used elsewhere is no loss
        title = titles.get(file.entry.id) if file.change != "removed" else None
        impacts.append(Impact(file, title, _reach(start, titles, index, kinds, depth) if start else ()))
    return ImpactReport(base, commit, tuple(impacts))


def through(affected: Affected) -> str:
    """How an entry depends on the change, e.g. 'follows `rag-assistant`, which applies `prompt-versioning`'."""
    return ", which ".join(f"{ref.relation.name} `{ref.target_id}`" for ref in affected.chain)


def _heading(impact: Impact) -> str:
    file = impact.file
    if file.change == "renamed" and file.old:
        moved = f" (was the {file.old.noun.lower()} `{file.old.id}`)" if file.old.kind != file.entry.kind else ""
        return f"{file.entry.noun} `{file.entry.id}` — renamed from `{file.old.id}`{moved}"
    return f"{file.entry.noun} `{file.entry.id}` — {file.change}"


def _notes(impact: Impact) -> list[str]:
    """What to know about the changed entry itself: its page, or why it has none."""
    file = impact.file
    if file.change == "removed":
        notes = [f"Its page `{file.entry.page}` is gone."]
        if impact.affected:
            notes.append(f"Entries that still name it fail `playbook check` until they change.")
        return notes
    notes = [f"Page: `{file.entry.page}`" if impact.title is not None
             else "It does not pass `playbook check`: no page until it does."]
    if file.change == "renamed" and file.old:
        notes.append(f"The old page `{file.old.page}` is gone; entries that still name `{file.old.id}` fail `playbook check`.")
    return notes


def format_markdown(report: ImpactReport) -> str:
    """The impact as Markdown for a pull-request comment."""
    lines = [f"### Catalog impact since {inline(report.base)} ({report.commit[:12]})", "",
             inline(report.summary[0].upper() + report.summary[1:]) + "."]
    for item in report.impacts:
        title = f": {inline(item.title)}" if item.title else ""
        lines += ["", f"#### {_heading(item)}{title}", "", *(f"{n}  " for n in _notes(item)[:-1]), _notes(item)[-1], ""]
        if not item.affected:
            lines.append("Nothing else references it." if item.file.change != "removed" else "Nothing references it any more.")
            continue
        lines += ["| Affected entry | Kind | Through | Page |", "| --- | --- | --- | --- |"]
        lines += [f"| `{a.entry.id}`: {inline(a.title)} | {a.entry.noun} | {through(a)} | `{a.entry.page}` |"
                  for a in item.affected]
    return "\n".join(lines) + "\n"


def format_text(report: ImpactReport) -> str:
    """The impact as plain text for a terminal."""
    lines = [f"Catalog impact since {report.base} ({report.commit[:12]}): {report.summary}"]
    for item in report.impacts:
        title = f": {item.title}" if item.title else ""
        lines += ["", f"{_heading(item).replace('`', '')}{title}", *(f"  {n.replace('`', '')}" for n in _notes(item))]
        lines += [f"  {a.entry.noun.lower()} {a.entry.id} ({through(a).replace('`', '')}): {a.entry.page}"
                  for a in item.affected]
    return "\n".join(lines) + "\n"
