"""Publishing versions of the site with mike: deploy, set the default, serve what is published.

`playbook publish` deploys the site mike builds to a branch (`gh-pages` by default); nothing leaves
the machine unless it is asked to push. While it runs, the environment names the release:
PLAYBOOK_VERSION, PLAYBOOK_COMMIT and PLAYBOOK_BRANCH; mkdocs.yml reads the first two into
`extra` for the footer; the generator is given the release as an argument.
PLAYBOOK_VERSION_PROVIDER=mike turns on Material's version selector for the build.
`playbook publish --keep N` then retires the versions beyond the N newest from the branch, in a
commit of its own that also adds them to the branch's record of retired versions.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mike.versions import Versions
from pydantic import ValidationError

from ..history.releases import (
    BRANCH_ENV,
    COMMIT_ENV,
    COMMIT_PROP,
    RETIRED_FILE,
    VERSION_ENV,
    VERSIONS_FILE,
    Retired,
    branch_versions,
    reason,
    record_text,
    retired_record,
    source_commit,
)
from ..history.snapshots import HistoryError, git, resolve
from ..project import CATALOG_DIR, PYTHON, Project, Release
from ..reserved import version_clash
from .serve import supervise
from .serve_errors import without_errors

#: mkdocs.yml reads the version selector's provider from this variable: `mike` while publishing.
PROVIDER_ENV = "PLAYBOOK_VERSION_PROVIDER"
#: The alias the site root redirects to; mkdocs.yml names it as `extra.version.default` too.
DEFAULT_ALIAS = "latest"
#: Version and alias names: they become folder names on the branch and parts of URLs.
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._+-]*"

# mike has no `python -m mike`; its console script is mike.driver:main.
_MIKE = "import sys; from mike.driver import main; sys.exit(main())"


class PublishError(Exception):
    """Publishing cannot go on; the message says why and `code` is the exit code (2: a usage error)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def prepare(project: Project, version: str, aliases: list[str], branch: str) -> Release:
    """Check the names and the working tree; the release is built from the commit checked out."""
    for name in (version, *aliases):
        if not re.fullmatch(NAME_PATTERN, name):
            raise PublishError(f"'{name}' is not a valid version or alias: use letters, digits, '.', '_', '+' and '-'", 2)
        if (clash := version_clash(name, branch)) is not None:
            raise PublishError(clash, 2)
    if version in aliases:
        raise PublishError(f"'{version}' cannot be both the version and an alias", 2)
    try:
        commit = resolve(project.root, "HEAD")
        dirty = git(project.root, "status", "--porcelain", "--", CATALOG_DIR).decode().strip()
    except HistoryError as exc:
        raise PublishError(f"{exc}; publishing records the commit the site is built from") from None
    if dirty:
        raise PublishError(f"{CATALOG_DIR}/ has uncommitted changes: commit them first, "
                           "so that the published version records the commit it was built from")
    return Release(version, commit, branch)


def release_environment(release: Release, edition: Mapping[str, str] | None = None) -> dict[str, str]:
    """The names the site build of a release runs with: the release, the version selector, the edition's settings."""
    return {VERSION_ENV: release.version, COMMIT_ENV: release.commit, BRANCH_ENV: release.branch, PROVIDER_ENV: "mike",
            **(edition or {})}


def mike(project: Project, *args: str, names: Mapping[str, str] | None = None) -> int:
    """Run a mike command in the project, with `names` added to its environment, and return its exit code."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**without_errors(os.environ), **(names or {}), "PATH": path}  # `mkdocs` is the one next to this Python
    return subprocess.call([*PYTHON, "-c", _MIKE, *args], cwd=project.root, env=env)


def _has_default(project: Project, branch: str) -> bool:
    """Whether the branch's root already redirects to a default version."""
    try:
        git(project.root, "cat-file", "-e", f"{branch}:index.html")
    except HistoryError:
        return False
    return True


def deploy(project: Project, release: Release, aliases: list[str], title: str | None,
           names: Mapping[str, str] | None = None) -> None:
    """Build the site with mike (its build's environment adding `names`) and commit it to the local branch."""
    config = ["--config-file", str(project.mkdocs_config), "--branch", release.branch]
    message = f"Published playbook {release.version} from {release.commit}"
    code = mike(project, "deploy", *config, "--update-aliases", "--title", title or release.version,
                "--message", message, "--prop-set-string", f"{COMMIT_PROP}={release.commit}",
                release.version, *aliases, names=names)
    if code:
        raise PublishError(f"mike deploy failed (exit code {code}); see its output above")
    if (DEFAULT_ALIAS in aliases and not _has_default(project, release.branch)
            and mike(project, "set-default", *config, DEFAULT_ALIAS, names=names)):
        raise PublishError(f"mike set-default {DEFAULT_ALIAS} failed; see its output above")


def branch_head(project: Project, branch: str) -> str | None:
    """The commit the publishing branch points at, None when it does not exist yet."""
    try:
        return git(project.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").decode().strip() or None
    except HistoryError:
        return None


def withdraw(project: Project, branch: str, head: str | None) -> None:
    """Put the local branch back where it was before a deploy that must not be published."""
    if head is None:
        git(project.root, "update-ref", "-d", f"refs/heads/{branch}")
    else:
        git(project.root, "update-ref", f"refs/heads/{branch}", head)


@dataclass(frozen=True)
class Retirement:
    """What `retire` left on the branch: the versions it retired, those beyond the number to keep that stayed
    (each with why), and the versions the branch holds, newest first."""

    retired: tuple[Retired, ...]
    spared: tuple[tuple[str, str], ...]
    held: tuple[str, ...]


#: Where mike's redirect at the branch root sends a reader (`url=` in its template, mike/templates/redirect.html).
_REDIRECT = re.compile(r'url=([^"]*)"')


def _default(project: Project, branch: str) -> str | None:
    """The version or alias the branch root redirects to (`mike set-default`), None without a redirect."""
    try:
        page = git(project.root, "show", f"{branch}:index.html").decode("utf-8", "replace")
    except HistoryError:
        return None
    match = _REDIRECT.search(page)
    return html.unescape(match.group(1)).strip("/") if match else None


def retire(project: Project, release: Release, keep: int, today: dt.date) -> Retirement:
    """Keep the `keep` newest versions on the branch, `release.version` among them, and retire the others in one commit
    that also records them in retired.json; a version with an alias, or the one the branch root redirects to, stays.

    Nothing is committed when nothing is to be retired. A PublishError says why the branch could not be changed;
    the branch is then as it was before the call.
    """
    root, branch = project.root, release.branch
    try:
        versions, record = branch_versions(root, branch), retired_record(root, branch)
    except HistoryError as exc:
        raise PublishError(f"retiring old versions failed: {exc}") from None
    default = _default(project, branch)
    names = [str(i.version) for i in versions]
    order = [release.version, *(name for name in names if name != release.version)]
    retiring, spared = [], []
    for name in order[keep:]:
        aliases = sorted(versions[name].aliases)
        if aliases or name == default:
            spared.append((name, f"alias {', '.join(aliases)}" if aliases else "the site root's default"))
        else:
            retiring.append(name)
    if not retiring:
        return Retirement((), tuple(spared), tuple(names))
    retired = tuple(_record(name, versions, today, release, branch) for name in retiring)
    versions.difference_update(retiring)
    earlier = [r for r in record if r.version not in retiring]  # a version retired again: its newest retirement stands
    files = {VERSIONS_FILE: versions.dumps() + "\n", RETIRED_FILE: record_text([*earlier, *retired])}  # as mike writes
    message = f"Retired playbook {', '.join(retiring)} on publishing {release.version} with --keep {keep}"
    try:
        _commit_tree(project, branch, set(retiring), files, message)
    except HistoryError as exc:
        raise PublishError(f"retiring old versions failed: {exc}") from None
    return Retirement(retired, tuple(spared), tuple(str(i.version) for i in versions))


def _record(name: str, versions: Versions, today: dt.date, release: Release, branch: str) -> Retired:
    """The record of retiring version `name`, or a PublishError when retired.json cannot hold it."""
    info = versions[name]
    try:
        return Retired(version=name, title=info.title, commit=source_commit(info.properties), retired_on=today,
                       retired_by=release.version)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise PublishError(f"retiring old versions failed: {branch}:{VERSIONS_FILE} holds version {name!r}, which "
                           f"{RETIRED_FILE} cannot record ({first['loc'][0]}: {reason(first)}); delete it with "
                           "'mike delete' or publish without --keep") from None


def _commit_tree(project: Project, branch: str, removed: set[str], files: Mapping[str, str], message: str) -> None:
    """Commit to `branch` its root tree without the entries named in `removed` and with `files` written at its root;
    the branch moves only if nothing else moved it meanwhile."""
    root = project.root
    head = git(root, "rev-parse", "--verify", f"refs/heads/{branch}^{{commit}}").decode().strip()
    entries = []
    for entry in git(root, "ls-tree", "-z", head).split(b"\0"):
        name = entry.partition(b"\t")[2].decode("utf-8", "surrogateescape")
        if entry and name not in removed and name not in files:
            entries.append(entry)
    for name, text in sorted(files.items()):
        blob = git(root, "hash-object", "-w", "--stdin", stdin=text.encode()).strip()
        entries.append(b"100644 blob " + blob + b"\t" + name.encode())
    tree = git(root, "mktree", "-z", stdin=b"".join(entry + b"\0" for entry in entries)).decode().strip()
    commit = git(root, "commit-tree", tree, "-p", head, "-m", message).decode().strip()
    git(root, "update-ref", "-m", message, f"refs/heads/{branch}", commit, head)


def push(project: Project, branch: str, remote: str = "origin") -> None:
    """Push the publishing branch to the remote, as `mike deploy --push` does."""
    try:
        git(project.root, "push", "--", remote, branch)
    except HistoryError as exc:
        raise PublishError(f"pushing {branch} to {remote} failed: {exc}") from None


def serve(project: Project, branch: str, address: str) -> int:
    """Serve every published version from the branch until interrupted or terminated."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    command = [*PYTHON, "-c", _MIKE, "serve", "--config-file", str(project.mkdocs_config), "--branch", branch,
               "--dev-addr", address]
    return supervise(subprocess.Popen(command, cwd=project.root, env={**without_errors(os.environ), "PATH": path}))
