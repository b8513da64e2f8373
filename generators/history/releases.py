"""Release notes from the catalog: what changed in each published version, and each entry's history.

The published versions are those `playbook publish` deployed with mike: `versions.json` on the
publishing branch lists them, and each one records the source commit it was built from as the
mike property `playbook-commit`. A version `playbook publish --keep` took off the branch is
recorded in `retired.json` at the branch's root, with its source commit, so that its changes
stay in the release notes. Catalog text reaches Markdown only through `text.inline`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from mike.versions import Versions
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, field_validator

from ..load.catalog import Catalog
from ..project import Release
from ..render.changes import sections
from ..resolve.changes import Changes, ChangesByVersion, diff
from ..text import inline
from .snapshots import HistoryError, Snapshot, describe_ref, git, require_repository, resolve, snapshot

#: The mike property (in versions.json) holding the commit a version was built from.
COMMIT_PROP = "playbook-commit"
VERSIONS_FILE = "versions.json"
#: The record of the versions taken off the publishing branch, at its root beside versions.json.
RETIRED_FILE = "retired.json"
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


_NOT_IN_A_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")
_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


class Retired(BaseModel):
    """A version taken off the publishing branch, as retired.json records it."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    #: A folder name on the branch, as mike accepts one (`mike.versions.VersionInfo`): not empty, not `.` or `..`,
    #: no slash or backslash; and no control character, since it is printed and shown.
    version: str
    title: str
    #: The commit the version was built from (None for a version published without one, by mike alone).
    commit: str | None
    retired_on: dt.date
    #: The version whose publishing retired it.
    retired_by: str

    @field_validator("version")
    @classmethod
    def _a_folder(cls, version: str) -> str:
        if version in ("", ".", "..") or _NOT_IN_A_NAME.search(version):
            raise ValueError("a version is a folder name: not empty, not '.' or '..', without a slash, a backslash "
                             "or a control character")
        return version

    @field_validator("commit")
    @classmethod
    def _a_commit(cls, commit: str | None) -> str | None:
        if commit is not None and not _COMMIT.fullmatch(commit):
            raise ValueError("a source commit is a full commit id: 40 (or 64) hexadecimal digits")
        return commit


_RECORD = TypeAdapter(list[Retired])


def reason(error: Any) -> str:
    """What a pydantic error says, without the prefix it gives a validator's own words."""
    return str(error["msg"]).removeprefix("Value error, ")


def _file(root: Path, branch: str, name: str) -> bytes | None:
    """A file at the root of `branch`; None when the branch or the file is missing."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}")
        return git(root, "show", f"{branch}:{name}")
    except HistoryError:
        require_repository(root)
        return None


def branch_versions(root: Path, branch: str) -> Versions:
    """versions.json of `branch`, newest version first; empty when the branch or the file is missing."""
    text = _file(root, branch, VERSIONS_FILE)
    if text is None:
        return Versions()
    try:
        return Versions.loads(text.decode("utf-8"))
    except (ValueError, KeyError, TypeError) as exc:
        raise HistoryError(f"{branch}:{VERSIONS_FILE} is not a mike versions file ({exc})", code=1) from None


def retired_record(root: Path, branch: str) -> list[Retired]:
    """retired.json of `branch` as it is written; empty when the branch or the file is missing, a HistoryError naming
    the file when it is not a record of retired versions."""
    text = _file(root, branch, RETIRED_FILE)
    if text is None:
        return []
    where = f"{branch}:{RETIRED_FILE}"
    hint = f"restore it from the branch's history (git log {branch} -- {RETIRED_FILE} lists its versions)"
    try:
        record = _RECORD.validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        raise HistoryError(f"{where} is not a record of retired versions ({path + ': ' if path else ''}"
                           f"{reason(first)}): {hint}", code=1) from None
    versions = [r.version for r in record]
    if len(set(versions)) != len(versions):
        twice = sorted({v for v in versions if versions.count(v) > 1})
        raise HistoryError(f"{where} records {', '.join(twice)} more than once: {hint}", code=1)
    return record


def _newest_first(names: Iterable[str]) -> list[str]:
    """Version names in mike's order, newest first, as versions.json lists them."""
    order = Versions()
    for name in names:
        order.add(name)
    return [str(i.version) for i in order]


def record_text(records: Iterable[Retired]) -> str:
    """retired.json holding `records`, newest version first."""
    by_version = {r.version: r for r in records}
    entries = [by_version[name].model_dump(mode="json") for name in _newest_first(by_version)]
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def retired_versions(root: Path, branch: str) -> list[Retired]:
    """The versions retired from `branch` that it does not hold again, newest first."""
    live = branch_versions(root, branch)
    by_version = {r.version: r for r in retired_record(root, branch) if live.find(r.version) is None}
    return [by_version[name] for name in _newest_first(by_version)]


def retired_days(root: Path, branch: str, upcoming: str | None = None) -> dict[str, dt.date]:
    """The day each version retired from `branch` was retired, newest first, for the release notes to mark them; a
    version being published again (`upcoming`) is not retired. Empty outside git, where nothing is published."""
    try:
        require_repository(root)
    except HistoryError:
        return {}
    return {r.version: r.retired_on for r in retired_versions(root, branch) if r.version != upcoming}


def source_commit(properties: object) -> str | None:
    """The source commit mike's properties of a version record (`playbook-commit`), None when they record none."""
    value = properties.get(COMMIT_PROP) if isinstance(properties, dict) else None
    return value if isinstance(value, str) else None


def published_versions(root: Path, branch: str) -> list[Published]:
    """The versions published on `branch`, newest first."""
    return [Published(str(i.version), i.title, tuple(sorted(i.aliases)), source_commit(i.properties))
            for i in branch_versions(root, branch)]


def release_commits(root: Path, branch: str) -> list[tuple[str, str | None]]:
    """Every version published from `branch`, on it or retired from it, newest first, with its source commit."""
    commits = {str(i.version): source_commit(i.properties) for i in branch_versions(root, branch)}
    commits.update((r.version, r.commit) for r in retired_versions(root, branch))
    return [(name, commits[name]) for name in _newest_first(commits)]


def published_history(root: Path, branch: str, upcoming: tuple[str, str] | None = None,
                      view: Callable[[Catalog], Catalog] | None = None,
                      known: dict[str, Any] | None = None) -> ChangesByVersion:
    """For each published version, newest first, the catalog changes since the previous published one; a version
    retired from the branch keeps its place among them, by the source commit its record keeps.

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
    commits = dict(release_commits(root, branch))
    if upcoming:
        commits[upcoming[0]] = upcoming[1]
    points = [(name, commit) for name in _newest_first(commits) if (commit := commits[name])]

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
            for (version, new), (previous, old) in pairwise(points)]


def diff_markdown(changes: Changes, before: Snapshot, after: Snapshot) -> str:
    """The changes between two refs as Markdown, to paste into a pull request description."""
    lines = [f"### Catalog changes from {inline(describe_ref(before))} to {inline(describe_ref(after))}", "",
             inline(changes.summary.capitalize()) + "."]
    lines += sections(changes, 4, lambda entry: None)
    return "\n".join(lines) + "\n"
