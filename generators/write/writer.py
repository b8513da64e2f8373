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
from typing import Any

MANIFEST = ".playbook-manifest.json"
#: The prefix of a file being written; one left by an interrupted run is removed by the next.
TEMPORARY = ".tmp-"


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


def _read_manifest(out: Path) -> dict[str, Any]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = {str(name) for name in data["files"]}
        edition = data.get("edition")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WriteError(f"{path} is damaged ({exc}); delete the output folder and generate again") from exc
    return {"files": files, "edition": edition if isinstance(edition, str) else None}


def written_edition(out: Path) -> str | None:
    """The edition (audience) whose pages the folder holds, as its manifest records it; None when unknown."""
    try:
        return _read_manifest(out).get("edition")
    except WriteError:
        return None


def _manifest_bytes(files: set[str], edition: str | None, complete: bool) -> bytes:
    manifest = {"generator": "playbook", "files": sorted(files), "edition": edition, "complete": complete}
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def _sweep_temporary(out: Path) -> None:
    """Remove the temporary files an interrupted run left behind (never following a link)."""
    for top, folders, names in os.walk(out):
        for name in names:
            if name.startswith(TEMPORARY):
                (Path(top) / name).unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY, suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pages(out: Path, pages: Mapping[str, str | bytes], edition: str | None = None) -> WriteResult:
    """Make `out` hold exactly `pages` (of `edition`, recorded in the manifest), touching only what changed.

    The manifest is rewritten first to name every file the run may leave behind, and last to name the
    pages alone; so a run interrupted at any point, even by a kill, leaves only files the next run
    knows as its own, and that run finishes the work.
    """
    if out.is_symlink():
        raise WriteError(f"refusing to write: the output folder {out} is a symbolic link")
    if out.exists() and not out.is_dir():
        raise WriteError(f"refusing to write: {out} exists and is not a folder")
    if out.exists():
        _sweep_temporary(out)
    if out.exists() and not (out / MANIFEST).exists() and any(not p.is_dir() for p in out.rglob("*")):
        raise WriteError(f"refusing to write: {out} holds files the generator did not write; choose an empty or new folder")
    manifest = _read_manifest(out) if out.exists() else {}
    previous: set[str] = manifest.get("files", set())

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
    final = _manifest_bytes(set(encoded), edition, True)
    manifest_path = out / MANIFEST
    if manifest_path.exists() and manifest_path.read_bytes() == final:
        return _apply(out, plan_write, plan_remove, None, result) if plan_write or plan_remove else result
    intent = _manifest_bytes(previous | set(encoded), edition, False) if plan_write or plan_remove else None
    return _apply(out, plan_write, plan_remove, (intent, final), result)


def _keep(path: Path) -> Path | None:
    """Link an existing file to a hidden name beside it, so that it can be put back without writing a byte."""
    if not path.exists():
        return None
    keep = path.with_name(f"{TEMPORARY}keep-{path.name}")
    keep.unlink(missing_ok=True)
    os.link(path, keep)
    return keep


def _apply(out: Path, plan_write: dict[str, bytes], plan_remove: list[str], manifests: tuple[bytes | None, bytes] | None,
           result: WriteResult) -> WriteResult:
    """Carry out a plan: the intent manifest, the writes and removals, the final manifest; put everything back on failure.

    Every file replaced or removed is first kept under a hidden name (a hard link: no space needed),
    so that a failure, a full disk included, puts the previous output back by renaming alone.
    """
    kept: list[tuple[Path, Path | None]] = []
    try:
        if manifests:
            kept.append((out / MANIFEST, _keep(out / MANIFEST)))
            if manifests[0] is not None:
                _atomic_write(out / MANIFEST, manifests[0])
        for name, data in sorted(plan_write.items()):
            target = out / name
            kept.append((target, _keep(target)))
            _atomic_write(target, data)
            result.written.append(name)
        for name in plan_remove:
            target = out / name
            kept.append((target, _keep(target)))
            target.unlink()
            result.removed.append(name)
        if manifests:
            _atomic_write(out / MANIFEST, manifests[1])
    except BaseException as exc:
        restored = _restore(out, kept)
        if not isinstance(exc, OSError):
            raise  # an interruption: whatever was not put back, the intent manifest names for the next run
        outcome = "the previous output was restored" if restored else "the next generate finishes the work"
        raise WriteError(f"writing {out} failed ({exc.strerror or exc}); {outcome}") from None
    for _, keep in kept:
        if keep is not None:
            keep.unlink(missing_ok=True)
    for name in result.removed:
        _prune_empty(out, (out / name).parent)
    return result


def _restore(out: Path, kept: list[tuple[Path, Path | None]]) -> bool:
    """Put back every file a failed run changed, the manifest last; False when something could not be."""
    try:
        for target, keep in reversed(kept):
            if keep is None:
                target.unlink(missing_ok=True)
                _prune_empty(out, target.parent)
            elif target.exists() and os.path.samefile(keep, target):
                keep.unlink()  # never replaced; renaming one link of a file onto another would do nothing
            else:
                os.replace(keep, target)
    except OSError:
        return False
    return True


def _prune_empty(out: Path, folder: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
