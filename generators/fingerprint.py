"""Whether anything `playbook generate` reads has changed since it last wrote the pages.

The inputs are summed up from file metadata alone (size and modification time of every catalog
file, playbook.toml, mkdocs.yml and the generator's own code), the audience, the day reviews are
judged on, the release being published and the head of the publishing branch. The outputs are the
files the last run wrote, as they are on disk now. When both match the last run's, nothing would
change: generation is skipped, and the last run's diagnostics are reported again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic

STATE = "generated-{audience}.json"
_CODE = Path(__file__).resolve().parent


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
    digest.update(json.dumps(_stats([root / "playbook.toml", root / "mkdocs.yml"], root)).encode())
    digest.update(json.dumps(_stats(_files(_CODE), _CODE)).encode())
    digest.update(_branch_head(root, branch).encode())
    return digest.hexdigest()


def outputs(output: Path, names: Iterable[str]) -> str:
    """A digest of the generated files as they are now; a file deleted or edited by hand changes it."""
    return hashlib.sha256(json.dumps(_stats((output / n for n in names), output)).encode()).hexdigest()


def load(cache: Path, audience: str) -> dict[str, Any] | None:
    path = cache / STATE.format(audience=audience)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save(cache: Path, audience: str, key: str, output: Path, names: list[str], diagnostics: list[Diagnostic]) -> None:
    """Record a successful run; a failure to record only costs the next run its shortcut."""
    state = {"inputs": key, "outputs": outputs(output, names), "files": names,
             "diagnostics": [asdict(d) for d in diagnostics]}
    try:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / STATE.format(audience=audience)).write_text(json.dumps(state), encoding="utf-8")
    except OSError:
        pass


def unchanged(cache: Path, audience: str, key: str, output: Path) -> tuple[list[Diagnostic], int] | None:
    """The last run's diagnostics and file count when neither inputs nor outputs changed since; else None."""
    state = load(cache, audience)
    if not state or state.get("inputs") != key:
        return None
    names = [str(n) for n in state.get("files", [])]
    if state.get("outputs") != outputs(output, names):
        return None
    return [Diagnostic(**d) for d in state.get("diagnostics", [])], len(names)
