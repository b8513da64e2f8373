"""The catalog as it is at a git ref, and what changed between two of them, entry by entry."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from ..load.catalog import Catalog
from ..load.entries import load_catalog
from ..models import BY_KIND
from ..resolve.changes import Changes


class HistoryError(Exception):
    """A git or catalog problem at a ref, worded for the command line; `code` is the exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `root` and return its output; a failure raises HistoryError with git's own words."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise HistoryError("git is not installed") from None
    if result.returncode:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(lines[0] if lines else f"git {args[0]} failed")
    return result.stdout


def require_repository(root: Path) -> None:
    """Raise a HistoryError unless `root` is inside a git repository."""
    try:
        git(root, "rev-parse", "--git-dir")
    except HistoryError as exc:
        raise HistoryError(f"{root} is not inside a git repository ({exc})") from None


def resolve(root: Path, ref: str) -> str:
    """The full commit id `ref` names, or a HistoryError that says why it names none."""
    require_repository(root)
    if not ref or ref.startswith("-"):
        raise HistoryError(f"'{ref}' is not a git ref")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except HistoryError:
        raise HistoryError(f"'{ref}' is not a commit, branch or tag of this repository") from None


def _export(root: Path, commit: str, folder: str, target: Path) -> bool:
    """Write the regular files under `folder` at `commit` into `target`; False when there are none."""
    listing = git(root, "ls-tree", "-r", "-z", commit, "--", folder).split(b"\0")
    files: list[tuple[str, str]] = []
    for record in filter(None, listing):
        meta, _, name = record.decode("utf-8", "surrogateescape").partition("\t")
        mode, kind, sha = meta.split()
        if kind == "blob" and mode in ("100644", "100755") and ".." not in PurePosixPath(name).parts:
            files.append((sha, name))
    if not files:
        return False
    out = git(root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in files).encode())
    at = 0
    for _, name in files:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return True


@dataclass(frozen=True)
class Snapshot:
    """The valid entries of the catalog at one commit, and what was left out of them."""

    ref: str
    commit: str
    catalog: Catalog
    warnings: tuple[str, ...] = ()


def snapshot(root: Path, ref: str) -> Snapshot:
    """Load the catalog as it is at `ref`; entries that fail validation are left out with a warning."""
    from ..project import CATALOG_DIR  # imported late: the pipeline's renderers may import this module

    commit = resolve(root, ref)
    with tempfile.TemporaryDirectory(prefix="playbook-history-") as tmp:
        folder = Path(tmp)
        if not _export(root, commit, CATALOG_DIR, folder):
            raise HistoryError(f"'{ref}' has no {CATALOG_DIR}/ folder", code=1)
        catalog, report = load_catalog(folder, folder / CATALOG_DIR)
    files = {f"{CATALOG_DIR}/{BY_KIND[kind].folder}/{stem}.yaml" for stem, kind in catalog.invalid.items()}
    warnings = []
    for file in sorted(files):
        first = min((d for d in report.errors if d.file == file), default=None)
        reason = f" ({first.path + ': ' if first.path else ''}{first.message})" if first else ""
        warnings.append(f"{ref}: skipped {file}, which is invalid there{reason}")
    others = [d for d in report.errors if d.file not in files]
    if others:
        warnings.append(f"{ref}: the catalog has {len(others)} more error{'s' * (len(others) != 1)} there; "
                        "entries are compared as they load")
    return Snapshot(ref, commit, catalog, tuple(warnings))


def describe_ref(snap: Snapshot) -> str:
    """`ref (abbreviated commit)`, or just the commit when the ref is one."""
    short = snap.commit[:12]
    return short if snap.commit.startswith(snap.ref) else f"{snap.ref} ({short})"


#: Control characters other than newlines, as escapes a terminal shows instead of obeying.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) != "\n"}
#: C1 control characters, which json.dumps leaves as they are, as JSON escapes.
_JSON_C1 = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


def terminal_safe(text: str) -> str:
    """Text made inert for a terminal: control characters other than newlines show as escapes."""
    return text.translate(_CONTROL)


def format_text(changes: Changes, before: Snapshot, after: Snapshot) -> str:
    """The changes as terminal text, grouped by kind."""
    lines = [f"Catalog changes from {describe_ref(before)} to {describe_ref(after)}: {changes.summary}"]
    for model, group in changes.by_kind():
        lines += ["", model.label]
        for entry in group:
            lines.append(f"  {entry.change:<8} {entry.id}: {entry.title}")
            lines += [f"{'':11}{d.text}" for d in entry.details]
    if changes.skipped:
        lines += ["", f"Not compared (invalid at one of the two refs): {', '.join(changes.skipped)}"]
    return "\n".join(lines)


def format_json(changes: Changes, before: Snapshot, after: Snapshot) -> str:
    """The changes as JSON, for scripts."""
    payload = {
        "from": {"ref": before.ref, "commit": before.commit},
        "to": {"ref": after.ref, "commit": after.commit},
        "summary": {c: changes.count(c) for c in ("added", "removed", "changed")},
        "changes": [
            {"id": e.id, "kind": e.kind, "label": BY_KIND[e.kind].label, "title": e.title, "change": e.change,
             "details": [asdict(d) | {"text": d.text} for d in e.details]}
            for e in changes.entries
        ],
        "not_compared": list(changes.skipped),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False).translate(_JSON_C1)
