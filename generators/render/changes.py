"""Release notes as Markdown: the "What changed" page and the sections a catalog diff is shown in.

Catalog text reaches Markdown only through `text.inline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping

from ..models import BY_KIND
from ..resolve.changes import Changes, ChangesByVersion, EntryChange
from ..text import inline

#: The "What changed" page while there are not two published versions to compare.
NOTHING_YET = (
    "No release notes yet: no version of the playbook has been published, or only one has, and each version is "
    "compared with the one published before it.\n\n"
    "When `playbook publish` publishes a second version, this page lists what changed in the catalog since the "
    "version before it: every entry added, changed or removed, by kind, newest version first."
)


def _entry_line(entry: EntryChange, link: Callable[[EntryChange], str | None]) -> str:
    name = inline(entry.title)
    href = link(entry)
    shown = f"[{name}]({href}) (`{entry.id}`)" if href else f"{name} (`{entry.id}`)"  # ids are slugs
    verb = f"**{entry.change.capitalize()}**"
    return f"- {verb} {shown}: {inline(entry.summary)}" if entry.change == "changed" else f"- {verb} {shown}"


def sections(changes: Changes, level: int, link: Callable[[EntryChange], str | None]) -> list[str]:
    """Markdown lines: one heading per kind, one list item per changed entry."""
    lines: list[str] = []
    for model, group in changes.by_kind():
        lines += ["", f"{'#' * level} {inline(model.label)}", ""]
        lines += [_entry_line(entry, link) for entry in group]
    if changes.skipped:
        ids = ", ".join(f"`{i}`" for i in changes.skipped)  # ids are file names: slugs
        lines += ["", f"Not compared, invalid in one of the two versions: {ids}."]
    return lines


def _retired_on(day: dt.date) -> str:
    return f"retired on {day.isoformat()}, no longer on the site"


def what_changed_page(changes_by_version: ChangesByVersion, existing: Collection[str] | None = None,
                      link_prefix: str = "", retired: Mapping[str, dt.date] | None = None) -> str:
    """Markdown of the "What changed" page (docs/playbook/changes.md): each version, newest first.

    Entry names link to `<link_prefix><folder>/<id>.md`; only entries in `existing` (the ids of the
    catalog being generated) are linked, every entry not removed when it is None. `retired` maps each
    version retired from the publishing branch, newest first, to the day it was retired: the page
    lists them, and marks each one's section.
    """
    def link(entry: EntryChange) -> str | None:
        if entry.change == "removed" or (existing is not None and entry.id not in existing):
            return None
        return f"{link_prefix}{BY_KIND[entry.kind].folder}/{entry.id}.md"

    retired = retired or {}
    lines = ["# What changed", ""]
    if not changes_by_version:
        lines.append(NOTHING_YET)
    else:
        lines.append("What changed in the catalog in each published version, since the version before it, "
                     "newest first.")
    if retired:
        gone = ", ".join(f"{inline(version)} ({_retired_on(day)})" for version, day in retired.items())
        lines += ["", f"Retired versions: {gone}. Their changes stay listed here."]
    for version, changes in changes_by_version:
        lines += ["", f"## {inline(version)}", ""]
        if version in retired:
            lines += [f"*{_retired_on(retired[version]).capitalize()}.*", ""]
        lines.append(inline(changes.summary.capitalize()) + ".")
        lines += sections(changes, 3, link)
    return "\n".join(lines) + "\n"
