"""What a change to the catalog touches: the changed entries and everything that depends on them.

The changed files are those that differ between the merge base of a ref and HEAD and the working
tree, committed or not, plus untracked catalog files. From each changed entry the relation graph
is followed backwards (who references it), ownership aside. The first step lists every entry that
references it; further steps follow only dependencies, not the plain "points at" links, so that a
"see also" does not pull in half the catalog.

The graph answers "who depends on it"; the pages answer "what a reader sees change". Every page
is rendered twice in memory, from the catalog at the merge base and from the working tree, and
each page whose content differs is listed with its entry's owners: a new standard that names two
others changes their pages (they list it), its kind's index and the matrices, though nothing
references it yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from ..load.catalog import Catalog
from ..load.entries import load_catalog
from ..models import BY_FOLDER, BY_KIND, KINDS
from ..models.graph import Reference
from ..models.relation import ORDER, OWNED_BY, POINTS_AT
from ..project import CATALOG_DIR, OUTPUT_DIR, Project
from ..render.downloads import download_files
from ..render.pages import Renderer, page_path
from ..text import inline
from .snapshots import HistoryError, git, resolve, snapshot, terminal_safe

Change = Literal["added", "changed", "removed", "renamed"]

#: The refs tried, in order, when no base is given.
DEFAULT_BASES = ("origin/main", "main")
#: How many steps back through the relation graph an impact reaches by default.
DEFAULT_DEPTH = 2
SITE_FOLDER = PurePosixPath(OUTPUT_DIR).name
#: git's status letters other than renames and copies; anything else (modified, type changed) is a change.
_STATUS: dict[str, Change] = {"A": "added", "D": "removed"}


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
    def label(self) -> str:
        """The kind, capitalised: 'Reference architecture'."""
        return BY_KIND[self.kind].singular

    @property
    def noun(self) -> str:
        """The kind inside a sentence: 'reference architecture'."""
        return BY_KIND[self.kind].noun()


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
class PageChange:
    """A generated page whose content differs between the merge base and the working tree."""

    page: str
    change: Literal["added", "changed", "removed"]
    #: The entry the page shows, None for a page computed from the whole catalog (an index, a matrix).
    entry: EntryFile | None
    title: str
    owners: tuple[str, ...]


@dataclass(frozen=True)
class ImpactReport:
    """Every changed entry since `base` (a ref) at `commit`, its merge base with HEAD, and the pages that change.

    `pages` is None when they could not be compared, for the reason `unpaged` gives (plain text).
    """

    base: str
    commit: str
    impacts: tuple[Impact, ...]
    pages: tuple[PageChange, ...] | None = ()
    unpaged: str = ""
    #: The title of each owner the changed pages name, by id.
    owner_titles: tuple[tuple[str, str], ...] = ()

    @property
    def owners(self) -> list[str]:
        """Every owner of an entry whose page changes, each once, sorted."""
        return sorted({owner for page in self.pages or () for owner in page.owners})

    @property
    def summary(self) -> str:
        if not self.impacts:
            return "no catalog entry changed"
        counts: dict[str, int] = defaultdict(int)
        for item in self.impacts:
            counts[item.file.change] += 1
        breakdown = ", ".join(f"{counts[c]} {c}" for c in ("added", "changed", "renamed", "removed") if counts[c])
        reached = {a.entry for i in self.impacts for a in i.affected} - {i.file.entry for i in self.impacts}
        total = len(self.impacts)
        pages = ""
        if self.pages is not None:
            owners = len(self.owners)
            pages = (f"; {_count(len(self.pages), 'page')} change, "
                     f"{'owned by ' + _count(owners, 'owner') if owners else 'none of them an entry page'}")
        return (f"{total} catalog {'entry' if total == 1 else 'entries'} ({breakdown}); "
                f"{len(reached)} more affected through the relation graph{pages}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


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
        if status in "RC":  # a rename, or a copy when git is configured to find them
            old_path, path, at = fields[at + 1], fields[at + 2], at + 3
            old, new = EntryFile.parse(old_path), EntryFile.parse(path)
            if status == "R" and old and new:
                changes[path] = FileChange("renamed", new, old)
                continue
            if status == "R" and old:
                changes[old_path] = FileChange("removed", old)
            if new:
                changes[path] = FileChange("added", new)
            continue
        path, at = fields[at + 1], at + 2
        if entry := EntryFile.parse(path):
            changes[path] = FileChange(_STATUS.get(status, "changed"), entry)
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", f"{CATALOG_DIR}/")
    for path in filter(None, untracked.decode("utf-8", "surrogateescape").split("\0")):
        if entry := EntryFile.parse(path):
            changes[path] = FileChange("added", entry)
    return [changes[p] for p in sorted(changes)]


def _incoming(catalog: Catalog) -> tuple[dict[str, str], dict[str, list[Reference]]]:
    """The titles of the valid entries, and every reference they make by the id it names.

    References to entries that do not exist (any more) count too: they lead to what a removal breaks.
    """
    index: dict[str, list[Reference]] = defaultdict(list)
    for entry in catalog.entries.values():
        for ref in catalog.references[entry.id]:
            if ref.relation is not OWNED_BY and ref.source != ref.target_id:
                index[ref.target_id].append(ref)
    order = {relation: i for i, relation in enumerate(ORDER)}
    for refs in index.values():
        refs.sort(key=lambda r: (order.get(r.relation, len(order)), r.source))  # stable: as written after that
    return {e.id: e.title for e in catalog.entries.values()}, index


def _reach(start: list[str], titles: dict[str, str], index: dict[str, list[Reference]], depth: int) -> tuple[Affected, ...]:
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
                found.append(Affected(EntryFile(ref.source_kind, ref.source), titles[ref.source], step))
                if ref.relation is not POINTS_AT:
                    following.append((ref.source, step))
        frontier = following
    position = {model.kind: i for i, model in enumerate(KINDS)}
    return tuple(sorted(found, key=lambda a: (a.depth, position[a.entry.kind], a.entry.id)))


def _rendered(catalog: Catalog, today: dt.date) -> dict[str, tuple[str | bytes, ...]]:
    """Every Markdown page generation writes for `catalog`, by its path in the generated folder, with the picture it
    shows (the radar's drawing); release notes, edit links and diagrams aside, which no catalog change alone moves."""
    renderer = Renderer(catalog, catalog.graph, today, [])
    files = {**renderer.entry_pages(catalog.entries.values()), **renderer.shared_pages(), **download_files(catalog)}
    pages: dict[str, tuple[str | bytes, ...]] = {}
    for name in sorted(files):
        page = name.removesuffix(".svg") + ".md" if name.endswith(".svg") else name
        if page.endswith(".md") and page in files:
            pages[page] = (*pages.get(page, ()), files[name])
    return pages


def _site_page(name: str) -> str:
    """A generated page's address on the site: 'standards/index.md' is 'playbook/standards/'."""
    stem = name.removesuffix(".md")
    stem = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
    return f"{SITE_FOLDER}/{stem}"


def _page_heading(markdown: str) -> str:
    return next((line[2:] for line in markdown.splitlines() if line.startswith("# ")), "")


def changed_pages(before: Catalog, after: Catalog, today: dt.date) -> tuple[PageChange, ...]:
    """The pages whose content differs between two catalogs, each with the entry it shows and that entry's owners."""
    old, new = _rendered(before, today), _rendered(after, today)
    shown = {page_path(e): e for e in before.entries.values()} | {page_path(e): e for e in after.entries.values()}
    out = []
    for name in sorted(old.keys() | new.keys(), key=_site_page):
        if old.get(name) == new.get(name):
            continue
        change: Literal["added", "changed", "removed"] = (
            "added" if name not in old else "removed" if name not in new else "changed")
        entry = shown.get(name)
        if entry is None:
            out.append(PageChange(_site_page(name), change, None, _page_heading(str((new.get(name) or old[name])[0])), ()))
        else:
            out.append(PageChange(_site_page(name), change, EntryFile(entry.kind, entry.id), entry.title, tuple(entry.owners)))
    return tuple(out)


def _page_changes(project: Project, commit: str, after: Catalog, errors: int,
                  today: dt.date) -> tuple[tuple[PageChange, ...] | None, str]:
    """The pages that change since `commit`, or None and why they were not compared."""
    if errors:
        return None, (f"the working tree's catalog has {_count(errors, 'error')} (playbook check lists them); "
                      "the pages that change are listed once it passes")
    try:
        before = snapshot(project.root, commit)
    except HistoryError as exc:
        return None, f"the catalog at the merge base cannot be read ({exc})"
    if before.warnings:
        return None, f"the catalog at the merge base has errors ({before.warnings[0]})"
    return changed_pages(before.catalog, after, today), ""


def impact(project: Project, ref: str | None, depth: int = DEFAULT_DEPTH) -> ImpactReport:
    """The changed entries since the merge base of `ref` and HEAD, each with what depends on it, and every page whose
    content changes with its owners."""
    base, commit = merge_base(project.root, ref)
    files = changed_files(project.root, commit)
    if not files:
        return ImpactReport(base, commit, ())
    catalog, report = load_catalog(project.root, project.catalog)
    titles, index = _incoming(catalog)
    pages, unpaged = _page_changes(project, commit, catalog, len(report.errors), dt.date.today())
    owners = {owner for page in pages or () for owner in page.owners}
    owner_titles = tuple((o, catalog.entries[o].title) for o in sorted(owners) if o in catalog.entries)
    impacts = []
    for file in files:
        start = [file.entry.id] + ([file.old.id] if file.old and file.old.id != file.entry.id else [])
        if file.change == "removed":
            start = [file.entry.id] if file.entry.id not in titles else []  # an id now used elsewhere is no loss
        title = titles.get(file.entry.id) if file.change != "removed" else None
        impacts.append(Impact(file, title, _reach(start, titles, index, depth)))
    return ImpactReport(base, commit, tuple(impacts), pages, unpaged, owner_titles)


def through(affected: Affected) -> str:
    """How an entry depends on the change, e.g. 'follows `rag-assistant` → applies `prompt-versioning`'."""
    return " → ".join(f"{ref.relation.name} `{ref.target_id}`" for ref in affected.chain)


def _heading(item: Impact) -> str:
    file = item.file
    if file.change == "renamed" and file.old:
        moved = f" (was the {file.old.noun} `{file.old.id}`)" if file.old.kind != file.entry.kind else ""
        return f"{file.entry.label} `{file.entry.id}` — renamed from `{file.old.id}`{moved}"
    return f"{file.entry.label} `{file.entry.id}` — {file.change}"


def _notes(item: Impact) -> str:
    """What to know about the changed entry itself: its page, or why it has none."""
    file = item.file
    if file.change == "removed":
        gone = f"Its page `{file.entry.page}` is gone."
        return gone + (" The entries below still name it: `playbook check` fails until they change." if item.affected else "")
    notes = f"Page: `{file.entry.page}`." if item.title is not None else "It does not pass `playbook check`: no page until it does."
    if file.change == "renamed" and file.old:
        notes += f" The old page `{file.old.page}` is gone; entries that still name `{file.old.id}` fail `playbook check`."
    return notes


def _table(affected: list[Affected]) -> list[str]:
    return ["| Affected entry | Kind | Through | Page |", "| --- | --- | --- | --- |",
            *(f"| `{a.entry.id}`: {inline(a.title)} | {a.entry.label} | {through(a)} | `{a.entry.page}` |" for a in affected)]


def _shows(page: PageChange, text: Callable[[str], str] = inline) -> str:
    """What a page shows, ids in code spans, catalog text through `text` (Markdown by default)."""
    if page.entry is None:
        return f"{page.title}, computed from the whole catalog"  # the page's own heading, Markdown already
    return f"{page.entry.label} `{page.entry.id}`: {text(page.title)}"


def _owner_list(report: ImpactReport, text: Callable[[str], str] = inline) -> str:
    """The owners to ask, each with its title, catalog text through `text`."""
    titles = dict(report.owner_titles)
    return ", ".join(f"`{o}` ({text(titles[o])})" if o in titles else f"`{o}`" for o in report.owners)


def _pages_markdown(report: ImpactReport) -> list[str]:
    lines = ["", "### Pages that change", ""]
    if report.pages is None:
        return [*lines, f"Not compared: {inline(report.unpaged)}."]  # the reason may quote catalog text
    rows = [f"| `{p.page}` | {p.change} | {_shows(p)} | {', '.join(f'`{o}`' for o in p.owners) or '—'} |"
            for p in report.pages]
    lines += ["| Page | Change | Shows | Owners |", "| --- | --- | --- | --- |", *rows, ""]
    return lines + [f"Owners to ask: {_owner_list(report)}." if report.owners else "No entry page changes."]


def format_markdown(report: ImpactReport) -> str:
    """The impact as Markdown for a pull-request comment; what depends on a change indirectly is folded."""
    lines = [f"### Catalog impact since {inline(report.base)} ({report.commit[:12]})", "",
             report.summary[0].upper() + report.summary[1:] + "."]
    for item in report.impacts:
        title = f": {inline(item.title)}" if item.title else ""
        lines += ["", f"#### {_heading(item)}{title}", "", _notes(item), ""]
        if not item.affected:
            lines.append("Nothing references it any more." if item.file.change == "removed" else "Nothing else references it.")
            continue
        direct = [a for a in item.affected if a.depth == 1]
        indirect = [a for a in item.affected if a.depth > 1]
        lines += _table(direct) if direct else []
        if indirect:
            count = f"{len(indirect)} {'entry' if len(indirect) == 1 else 'entries'}"
            lines += ["", "<details>", f"<summary>{count} through another entry</summary>", "", *_table(indirect), "",
                      "</details>"]
    if report.impacts:
        lines += _pages_markdown(report)
    return "\n".join(lines) + "\n"


def format_text(report: ImpactReport) -> str:
    """The impact as plain text for a terminal; catalog text shows its control characters as escapes."""
    lines = [f"Catalog impact since {report.base} ({report.commit[:12]}): {report.summary}"]
    for item in report.impacts:
        title = f": {item.title}" if item.title else ""
        lines += ["", _plain(_heading(item)) + title, "  " + _plain(_notes(item))]
        lines += [f"  {a.entry.noun} {a.entry.id} ({_plain(through(a))}): {a.entry.page}" for a in item.affected]
    if report.impacts:
        lines += _pages_text(report)
    return terminal_safe("\n".join(lines)) + "\n"


def _pages_text(report: ImpactReport) -> list[str]:
    if report.pages is None:
        return ["", f"Pages not compared: {report.unpaged}"]
    lines = ["", f"Pages that change ({len(report.pages)}):"]
    for page in report.pages:
        owners = f", owned by {', '.join(page.owners)}" if page.owners else ""
        lines.append(f"  {page.change} {page.page}: {_plain(_shows(page, str))}{owners}")
    return lines + [f"Owners to ask: {_plain(_owner_list(report, str))}" if report.owners else "No entry page changes."]


def _plain(markdown: str) -> str:
    """Generated Markdown (ids in code spans) as plain text."""
    return markdown.replace("`", "")
