"""Whether anything `playbook generate` reads has changed since it last wrote the pages.

The inputs are summed up from file metadata alone (size and modification time of every catalog
file, playbook.toml, mkdocs.yml and the generator's own code), the audience, the day reviews are
judged on, the release being published and the head of the publishing branch. The outputs are the
files the last run wrote, as they are on disk now. When both match the last run's, nothing would
change: generation is skipped, and the last run's diagnostics are reported again. A state that is
missing, damaged or of another shape counts as a change.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, fields
from pathlib import Path, PurePosixPath
from typing import Any, get_args

from ..diagnostics import Diagnostic, Severity
from ..project import Project
from . import cache_entries

STATE = "generated-{audience}.json"
_CODE = Path(__file__).resolve().parent.parent


def _stats(paths: Iterable[Path], base: Path) -> list[tuple[str, int, int]]:
    out = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            out.append((path.relative_to(base).as_posix(), -1, -1))
            continue
        out.append((path.relative_to(base).as_posix(), info.st_size, info.st_mtime_ns))
    return sorted(out)


def _files(folder: Path) -> list[Path]:
    """Every file under `folder` but Python's byte-code caches, which any later import may rewrite."""
    return [Path(top) / name for top, _, names in os.walk(folder) if Path(top).name != "__pycache__" for name in names]


@functools.cache  # the code a process runs is the code it imported: stamped once
def code_stamp() -> str:
    """What a result this package made and kept depends on besides its own inputs: the package's code (its content, not
    its file times), the Python version and the version of every installed package. The parsed catalog and the site's
    page cache are kept under it."""
    digest = hashlib.sha256(sys.version.encode())
    versions = sorted({(d.metadata["Name"] or "", d.version) for d in importlib.metadata.distributions()})
    digest.update(json.dumps(versions).encode())
    for path in sorted(_files(_CODE)):
        digest.update(path.relative_to(_CODE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _branch_head(root: Path, branch: str) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=root,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def inputs(root: Path, catalog: Path, settings: dict[str, Any], branch: str) -> str:
    """A digest of everything generation reads; `settings` holds the run's own choices (audience, day, ...)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    digest.update(json.dumps(_stats(_files(catalog), root)).encode())
    digest.update(json.dumps(_stats([root / "playbook.toml", root / "playbook.lock", root / "mkdocs.yml"], root)).encode())
    sources = Project(root).sources  # the synced copies of other repositories' entries (not their fetched .git)
    copies = [f for f in _files(sources) if not f.relative_to(sources).parts[0].endswith(".git")]
    digest.update(json.dumps(_stats(copies, root)).encode())
    digest.update(json.dumps(_stats(_files(_CODE), _CODE)).encode())
    digest.update(_branch_head(root, branch).encode())
    return digest.hexdigest()


def outputs(output: Path, names: Iterable[str]) -> str:
    """A digest of the generated files as they are now; a file deleted or edited by hand changes it."""
    return hashlib.sha256(json.dumps(_stats((output / n for n in names), output)).encode()).hexdigest()


_TEXT_FIELDS = ("file", "message", "path", "hint", "code")


def _diagnostic(raw: Any) -> Diagnostic | None:
    """A diagnostic as `save` recorded it; None for anything else."""
    names = {f.name for f in fields(Diagnostic)}
    if not isinstance(raw, dict) or set(raw) != names:
        return None
    numbers = all(type(raw[name]) is int for name in ("line", "column"))
    if not numbers or raw["severity"] not in get_args(Severity) or not all(isinstance(raw[n], str) for n in _TEXT_FIELDS):
        return None
    return Diagnostic(**raw)


def _inside(name: Any) -> bool:
    """A file name the generator could have written: a relative path that stays in the output folder."""
    return isinstance(name, str) and bool(name) and not PurePosixPath(name).is_absolute() and ".." not in PurePosixPath(name).parts


def load(cache: Path, audience: str) -> dict[str, Any] | None:
    """The last run's state; None when there is none or it is damaged, which counts as a change."""
    state = cache_entries.load(cache / STATE.format(audience=audience))
    if state is None or not all(isinstance(state.get(key), str) for key in ("inputs", "outputs")):
        return None
    files, diagnostics = state.get("files"), state.get("diagnostics")
    if not isinstance(files, list) or not all(_inside(name) for name in files) or not isinstance(diagnostics, list):
        return None
    parsed = [_diagnostic(d) for d in diagnostics]
    if any(d is None for d in parsed):
        return None
    return {**state, "diagnostics": parsed}


def save(cache: Path, audience: str, key: str, output: Path, names: list[str], diagnostics: list[Diagnostic]) -> None:
    """Record a successful run; a failure to record only costs the next run its shortcut."""
    state = {"inputs": key, "outputs": outputs(output, names), "files": names,
             "diagnostics": [asdict(d) for d in diagnostics]}
    try:
        cache_entries.store(cache / STATE.format(audience=audience), state)
    except OSError:
        pass


def unchanged(cache: Path, audience: str, key: str, output: Path) -> tuple[list[Diagnostic], int] | None:
    """The last run's diagnostics and file count when neither inputs nor outputs changed since; else None."""
    state = load(cache, audience)
    if state is None or state["inputs"] != key or state["outputs"] != outputs(output, state["files"]):
        return None
    return state["diagnostics"], len(state["files"])
