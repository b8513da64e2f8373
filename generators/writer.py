"""Write generated pages into the one folder the generator owns, and nothing else.

The writer plans before it touches anything: every target is checked (inside the
folder, no symbolic link on the way, not a file someone else wrote) and only then
are files written, each atomically, and only where the content changed. A
manifest of what the generator wrote tells its files from hand-written ones. If
anything fails half-way, every file is put back as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = ".playbook-manifest.json"


class WriteError(Exception):
    """The output folder cannot be written safely; nothing was changed."""


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.removed)} removed, {self.unchanged} unchanged"


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts or path.as_posix() != name or "\\" in name or "\0" in name:
        raise WriteError(f"refusing to write '{name}': generated paths stay inside the output folder")
    return path


def _check_no_links(out: Path, rel: PurePosixPath) -> None:
    current = out
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            raise WriteError(f"refusing to write through the symbolic link {current}")


def _read_manifest(out: Path) -> set[str]:
    path = out / MANIFEST
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(name) for name in data["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise WriteError(f"{path} is damaged ({exc}); delete the output folder and generate again") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pages(out: Path, pages: Mapping[str, str | bytes]) -> WriteResult:
    """Make `out` hold exactly `pages`, touching only what changed."""
    if out.is_symlink():
        raise WriteError(f"refusing to write: the output folder {out} is a symbolic link")
    if out.exists() and not out.is_dir():
        raise WriteError(f"refusing to write: {out} exists and is not a folder")
    if out.exists() and not (out / MANIFEST).exists() and any(not p.is_dir() for p in out.rglob("*")):
        raise WriteError(f"refusing to write: {out} holds files the generator did not write; choose an empty or new folder")
    previous = _read_manifest(out) if out.exists() else set()

    encoded = {str(_safe_relative(name)): data.encode("utf-8") if isinstance(data, str) else data
               for name, data in pages.items()}
    for name in sorted(set(encoded) | set(previous)):
        _check_no_links(out, _safe_relative(name))
    plan_write: dict[str, bytes] = {}
    result = WriteResult()
    for name, data in encoded.items():
        target = out / name
        if target.exists():
            if target.is_dir():
                raise WriteError(f"refusing to write {target}: a folder is in the way")
            if name not in previous:
                raise WriteError(f"refusing to overwrite {target}: it was not written by the generator")
            if target.read_bytes() == data:
                result.unchanged += 1
                continue
        plan_write[name] = data
    plan_remove = sorted(n for n in previous if n not in encoded and (out / n).is_file())

    backups: dict[str, bytes | None] = {}
    try:
        for name, data in sorted(plan_write.items()):
            target = out / name
            backups[name] = target.read_bytes() if target.exists() else None
            _atomic_write(target, data)
            result.written.append(name)
        for name in plan_remove:
            target = out / name
            backups[name] = target.read_bytes()
            target.unlink()
            result.removed.append(name)
        if set(encoded) != previous or not (out / MANIFEST).exists():
            manifest = {"generator": "playbook", "files": sorted(encoded)}
            _atomic_write(out / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    except OSError as exc:
        for name, old in backups.items():
            target = out / name
            if old is None:
                target.unlink(missing_ok=True)
                _prune_empty(out, target.parent)
            else:
                _atomic_write(target, old)
        raise WriteError(f"writing {out} failed ({exc}); the previous output was restored") from exc
    for name in result.removed:
        _prune_empty(out, (out / name).parent)
    return result


def _prune_empty(out: Path, folder: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
