"""`playbook sync`: each source fetched, its folder copied out of the pinned commit into the cache, and the commits
recorded in playbook.lock.

A source's repository is fetched (every branch and tag) into `.playbook-cache/sources/NAME.git`. The commit is the
one playbook.lock pins while playbook.toml names the same repository and ref; otherwise (or with `update`) the ref
is resolved anew. The files of its folder at that commit are written, exactly as committed (no attributes applied;
symbolic links and submodules left out), into a staging folder. Only when every source has been staged are the
copies replaced, each by one rename, and playbook.lock written: a failure leaves the previous copies and lock as
they were.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..project import LOCK_FILE, Project
from ..write.lock import cache_folder
from .git import GitError, git
from .sources import MARKER, Pin, Source, lock_text, marker_text, read_lock, read_sources

#: Every branch and tag of a source, kept under the same names in its fetched repository.
REFSPECS = ("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
#: One line of `git ls-tree -z`: mode, type, object name, a tab, the path (https://git-scm.com/docs/git-ls-tree#_output).
_TREE_ENTRY = re.compile(rb"([0-7]{6}) ([a-z]+) ([0-9a-f]{40}|[0-9a-f]{64})\t(.+)", re.DOTALL)
_FILE_MODES = (b"100644", b"100755")


class SyncError(Exception):
    """Sync could not finish and changed nothing; `problems` are the lines that say why: the settings' problems, or
    one `error: NAME: ...` per source that failed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Staged:
    """A source's files at its pinned commit, written to a staging folder beside its copy."""

    source: Source
    pin: Pin
    folder: Path


def sync(project: Project, config: Config, update: bool = False, offline: bool = False,
         say: Callable[[str], None] = lambda line: None) -> dict[str, Pin]:
    """Sync every source of `config` and return the pins written to playbook.lock; SyncError, with nothing changed,
    when a source cannot be read, fetched or found at its ref. `offline` fetches only sources on this machine;
    `say` is given one line of progress at a time."""
    sources, problems = read_sources(config)
    if problems:
        raise SyncError([d.text() for d in problems])
    pins, problems = read_lock(project.root)
    for problem in problems:
        say(f"{problem.text()}\n  every source's ref is resolved anew")
    store = cache_folder(project.sources)
    staged: list[Staged] = []
    failed: list[str] = []
    for source in sources:
        try:
            staged.append(_stage(project, store, source, pins.get(source.name), update, offline, say))
        except (GitError, OSError) as exc:
            failed.append(f"error: {source.name}: {exc}")
    if failed:
        for done in staged:
            shutil.rmtree(done.folder, ignore_errors=True)
        raise SyncError(failed)
    for done in staged:
        _replace(store / done.source.name, done.folder)
    synced = {done.source.name: done.pin for done in staged}
    lock = project.root / LOCK_FILE
    if synced or lock.exists():
        _write(lock, lock_text(synced))
    return synced


def _stage(project: Project, store: Path, source: Source, pin: Pin | None, update: bool, offline: bool,
           say: Callable[[str], None]) -> Staged:
    repository = store / f"{source.name}.git"
    if not repository.is_dir():
        git(repository, "init", "--bare", "--quiet")
    if offline and not source.local:
        say(f"{source.name}: offline; using what an earlier sync fetched from {source.repository}")
    else:
        say(f"{source.name}: fetching {source.repository}")
        try:
            git(repository, "fetch", "--quiet", "--force", "--prune", "--", source.address(project.root), *REFSPECS)
        except GitError as exc:
            raise GitError(f"cannot fetch {source.repository} ({exc}); check the address and that you may read it") from None
    unfetched = " (--offline: only what an earlier sync fetched is known)" if offline and not source.local else ""
    if pin is not None and not update and (pin.repository, pin.ref) == (source.repository, source.ref):
        commit = pin.commit
        try:
            git(repository, "cat-file", "-e", f"{commit}^{{commit}}")
        except GitError:
            raise GitError(f"commit {commit[:12]}, which {LOCK_FILE} pins for '{source.ref}', is not in "
                           f"{source.repository}{unfetched}; `playbook sync --update` pins '{source.ref}' anew") from None
    else:
        try:
            commit = git(repository, "rev-parse", "--verify", "--quiet", "--end-of-options",
                         f"{source.ref}^{{commit}}").decode().strip()
        except GitError:
            raise GitError(f"'{source.ref}' is not a branch, tag or commit of {source.repository}{unfetched}") from None
    new = Pin(source.repository, source.ref, commit)
    try:
        listing = git(repository, "ls-tree", "-r", "-z", f"{commit}:{source.path}" if source.path else commit)
    except GitError:
        raise GitError(f"there is no folder '{source.path}' in {source.repository} at '{source.ref}' "
                       f"(commit {commit[:12]}); set path in [sources.{source.name}] to the folder laid out like "
                       "catalog/") from None
    files, left_out = _tree(listing)
    staging = store / f".{source.name}.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for (_, name), data in zip(files, _blobs(repository, [oid for oid, _ in files])):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:
                handle.write(data)
        (staging / MARKER).write_text(marker_text(source, new), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    plural = "s" * (len(left_out) != 1)
    skipped = f"; left out {len(left_out)} link{plural} or submodule{plural}: {', '.join(left_out)}" if left_out else ""
    say(f"{source.name}: '{source.ref}' is commit {commit[:12]}; {len(files)} file{'s' * (len(files) != 1)}{skipped}")
    return Staged(source, new, staging)


def _tree(listing: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """The regular files of a recursive tree listing as (object, path), and the paths of everything else."""
    files, others = [], []
    for line in filter(None, listing.split(b"\0")):
        found = _TREE_ENTRY.fullmatch(line)
        if found is None:
            raise GitError(f"cannot read git's listing: {line[:80]!r}")
        mode, kind, oid, raw = found.groups()
        name = raw.decode("utf-8", "replace")
        if kind != b"blob" or mode not in _FILE_MODES:
            others.append(name)
        elif any(part in ("", ".", "..") for part in name.split("/")) or "\ufffd" in name:
            raise GitError(f"the repository holds a file git itself would refuse: {name!r}")
        else:
            files.append((oid.decode(), name))
    return files, others


def _blobs(repository: Path, oids: list[str]) -> list[bytes]:
    """The contents of objects, in order (`git cat-file --batch`: for each, '<object> <type> <size>', a line feed, the
    content, a line feed; https://git-scm.com/docs/git-cat-file#_batch_output)."""
    if not oids:
        return []
    output = git(repository, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    out, at = [], 0
    for oid in oids:
        end = output.index(b"\n", at)
        header = output[at:end].split()
        if len(header) != 3 or header[0].decode() != oid or header[1] != b"blob":
            raise GitError(f"cannot read object {oid} of the fetched repository")
        size = int(header[2])
        out.append(output[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return out


def _replace(copy: Path, staging: Path) -> None:
    """Put the staged folder where the copy is, by renames; the old copy is removed once the new one is in place."""
    old = copy.with_name(f".{copy.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if copy.is_symlink() or copy.is_file():
        copy.unlink()
    elif copy.exists():
        copy.rename(old)
    staging.rename(copy)
    shutil.rmtree(old, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    """Write a file by renaming a complete temporary one over it, unless it already holds `text`."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
