"""The folders a build reads, and the only way it reads a file from them.

Everything under these folders must be a plain file or folder. A symbolic link could name a file
outside the repository (a CI token in the build's environment, a system file) and publish it; a
FIFO or device could hang the build. Both are refused by name before anything is read, and a
file is opened without following a link and read only if it is still a regular file, bounded in
size, so that nothing swapped in between the two steps gets through either.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Diagnostic
from ..project import SOURCE_FOLDERS

_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


class SourceError(OSError):
    """A file the build was asked to read is not a plain file it may read: `str()` is the path and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path = path
        self.reason = reason


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def unsafe(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every symbolic link or special file at or under `folder`, with what it is; links are never followed."""
    try:
        info = folder.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        yield folder, f"a symbolic link to {os.readlink(folder)}"
        return
    if not stat.S_ISDIR(info.st_mode):
        if not stat.S_ISREG(info.st_mode):
            yield folder, _kind(info.st_mode)
        return
    pending = [folder]
    while pending:
        current = pending.pop()
        with os.scandir(current) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path = Path(entry.path)
                if entry.is_symlink():
                    yield path, f"a symbolic link to {os.readlink(path)}"
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                elif not entry.is_file(follow_symlinks=False):
                    yield path, _kind(entry.stat(follow_symlinks=False).st_mode)


def source_problems(root: Path, folders: tuple[str, ...] = SOURCE_FOLDERS) -> list[Diagnostic]:
    """One error per link or special file in the folders the build reads (or in the project folder's own path)."""
    out = []
    for name in folders:
        for path, what in unsafe(root / name):
            shown = path.relative_to(root).as_posix()
            out.append(Diagnostic(shown, 1, 1, "error", f"is {what}; the build reads only plain files and folders", "",
                                  "replace a link with the file or folder itself, and remove special files",
                                  "unsafe-file"))
    for name in ("main.py", "main"):  # mkdocs-macros imports a module of this name from the project folder
        if (root / name).exists() or (root / name).is_symlink():
            out.append(Diagnostic(name, 1, 1, "error", "mkdocs-macros would run this module on every build", "",
                                  "macros live in generators/site/macros.py; remove it or rename it", "unsafe-file"))
    return sorted(out)


def read_source(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, never through a symbolic link; SourceError when it is not one or is larger than `limit`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if path.is_symlink():
            raise SourceError(path, "is a symbolic link; the build reads only plain files") from None
        raise SourceError(path, f"cannot be read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(path, f"is {_kind(info.st_mode)}; the build reads only plain files")
        data = handle.read(limit + 1) if info.st_size <= limit else b""
    if info.st_size > limit or len(data) > limit:
        raise SourceError(path, f"is larger than {limit:,} bytes")
    return data
