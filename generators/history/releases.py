"""Release notes from the catalog: what changed in each published version, and each entry's history.

The published versions are those `playbook publish` deployed with mike: `versions.json` on the
publishing branch lists them, and each one records the source commit it was built from as the
mike property `playbook-commit`. Catalog text reaches Markdown only through `text.inline`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mike.versions import Versions

from ..load.catalog import Catalog
from ..project import Release
from ..render.changes import sections
from ..resolve.changes import Changes, ChangesByVersion, diff
from ..text import inline
from .snapshots import HistoryError, Snapshot, describe_ref, git, require_repository, resolve, snapshot

#: The mike property (in versions.json) holding the commit a version was built from.
COMMIT_PROP = "playbook-commit"
VERSIONS_FILE = "versions.json"
#: Set by `playbook publish` for the site build mike runs.
VERSION_ENV = "PLAYBOOK_VERSION"
COMMIT_ENV = "PLAYBOOK_COMMIT"
BRANCH_ENV = "PLAYBOOK_BRANCH"

@dataclass(frozen=True)
class Published:
    """One version on the publishing branch."""

    version: str
    title: str
    aliases: tuple[str, ...]
    commit: str | None


def current_release(environ: Mapping[str, str]) -> Release | None:
    """The release a build's environment names (the site build of `playbook publish` runs with it), None otherwise."""
    values = [environ.get(name, "") for name in (VERSION_ENV, COMMIT_ENV, BRANCH_ENV)]
    return Release(*values) if all(values) else None


def _versions(root: Path, branch: str) -> Versions:
    """versions.json of `branch`, newest version first; empty when the branch or the file is missing."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")
        text = git(root, "show", f"{branch}:{VERSIONS_FILE}")
    except HistoryError:
        require_repository(root)
        return Versions()
    try:
        return Versions.loads(text.decode("utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise HistoryError(f"{branch}:{VERSIONS_FILE} is not a mike versions file ({exc})", code=1) from None


def _commit(properties: object) -> str | None:
    value = properties.get(COMMIT_PROP) if isinstance(properties, dict) else None
    return value if isinstance(value, str) else None


def published_versions(root: Path, branch: str) -> list[Published]:
    """The versions published on `branch`, newest first."""
    return [Published(str(i.version), i.title, tuple(sorted(i.aliases)), _commit(i.properties))
            for i in _versions(root, branch)]


def published_history(root: Path, branch: str, upcoming: tuple[str, str] | None = None,
                      view: Callable[[Catalog], Catalog] | None = None,
                      known: dict[str, Any] | None = None) -> ChangesByVersion:
    """For each published version, newest first, the catalog changes since the previous published one.

    `upcoming` is `(version, commit)` of a version being published, compared as if it were on the
    branch already. Versions without a recorded source commit are left out; the oldest version
    has nothing to compare with and is left out too. `view` cuts each version's catalog to what the
    edition being built may show; `known` keeps the catalog loaded at each commit for a run that asks again.
    """
    loaded = known if known is not None else {}  # the catalog at each commit, loaded once: a commit never changes
    try:
        require_repository(root)
    except HistoryError:
        return []  # nothing is published from a folder outside git
    versions = _versions(root, branch)
    commits = {str(i.version): _commit(i.properties) for i in versions}
    if upcoming:
        versions.add(upcoming[0])
        commits[upcoming[0]] = upcoming[1]
    points = [(str(i.version), commits[str(i.version)]) for i in versions if commits[str(i.version)]]

    def load(version: str, commit: str) -> Catalog:
        try:
            full = resolve(root, commit)
            if full not in loaded:
                loaded[full] = snapshot(root, full)
            catalog = loaded[full].catalog
        except HistoryError as exc:
            raise HistoryError(f"version {version}: {exc} (is the full history fetched?)", exc.code) from None
        return view(catalog) if view else catalog

    return [(version, diff(load(previous, old), load(version, new)))
            for (version, new), (previous, old) in zip(points, points[1:])]


def diff_markdown(changes: Changes, before: Snapshot, after: Snapshot) -> str:
    """The changes between two refs as Markdown, to paste into a pull request description."""
    lines = [f"### Catalog changes from {inline(describe_ref(before))} to {inline(describe_ref(after))}", "",
             inline(changes.summary.capitalize()) + "."]
    lines += sections(changes, 4, lambda entry: None)
    return "\n".join(lines) + "\n"
