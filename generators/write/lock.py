"""One run at a time per checkout.

Generation, builds, `serve` and `publish` share the generated folder and the cache: two of them at
once could mix one edition's pages into another's site. Each takes an exclusive lock on a file in
the cache folder; the operating system releases it when the process ends, however it ends, so a
killed run never leaves the checkout locked. A second run is refused at once, naming the first.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "lock"
#: Temporary files of the run holding the lock (a parallel build's swap files); a killed run's are removed by the next.
SCRATCH = "tmp"


class Busy(Exception):
    """The checkout cannot be used now: another playbook command holds it, or its cache is not a plain folder."""


def plain_folder(cache: Path) -> bool:
    """Whether the cache folder may be read and written: missing, or a folder that is not a symbolic link."""
    return not cache.is_symlink() and (cache.is_dir() or not cache.exists())


def cache_folder(cache: Path) -> Path:
    """The cache folder, created when missing; Busy when it is a symbolic link or not a folder (it is written and emptied)."""
    if not plain_folder(cache):
        raise Busy(f"{cache} is {'a symbolic link' if cache.is_symlink() else 'not a folder'}; the cache is written "
                   "and emptied by every run, so it must be a plain folder of the project: remove it")
    cache.mkdir(parents=True, exist_ok=True)
    return cache


@contextmanager
def checkout_lock(cache: Path, command: str) -> Iterator[None]:
    """Hold the checkout whose cache folder is `cache` for `command` (its name, shown to a second run)."""
    fd = os.open(cache_folder(cache) / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another playbook command"
            raise Busy(f"{holder} is using {cache.parent} (generated pages and cache); "
                       "wait for it to finish or stop it, then run this again") from None
        shutil.rmtree(cache / SCRATCH, ignore_errors=True)  # no live run owns what is there
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"playbook {command} (process {os.getpid()})\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock; a forked child still holding the file keeps it until it ends
