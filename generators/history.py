"""The catalog as it is at a git ref, and what changed between two of them, entry by entry."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .models import BY_KIND, KINDS, Entry
from .validate import Catalog, load_catalog

Change = Literal["added", "removed", "changed"]

#: Scalar fields whose change is spelled out, by kind; every kind's `status` is too.
_FIELDS: dict[str, tuple[str, ...]] = {"adr": ("superseded_by",), "kpi": ("target",), "tool": ("ring",)}


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
    from .pipeline import CATALOG_DIR  # imported late: the pipeline's renderers may import this module

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


@dataclass(frozen=True)
class Detail:
    """One meaningful change of an entry: a field from `before` to `after`, an item added or removed."""

    field: str
    before: str | None = None
    after: str | None = None
    subject: str | None = None

    @property
    def text(self) -> str:
        name = f"{self.field} {self.subject}" if self.subject else self.field
        if self.before is not None and self.after is not None:
            return f"{name}: {self.before} → {self.after}"
        if self.after is not None:
            return f"{name} added: {self.after}"
        if self.before is not None:
            return f"{name} removed: {self.before}"
        return name


@dataclass(frozen=True)
class EntryChange:
    """An entry added, removed or changed between two catalogs."""

    id: str
    kind: str
    title: str
    change: Change
    details: tuple[Detail, ...] = ()

    @property
    def summary(self) -> str:
        """'added', 'removed', or the changes spelled out, e.g. 'status: proposed → accepted; text revised'."""
        return "; ".join(d.text for d in self.details) if self.change == "changed" else self.change


@dataclass(frozen=True)
class Changes:
    """Every entry that differs between two catalogs, in kind order then by id."""

    entries: tuple[EntryChange, ...] = ()
    #: Ids left out of the comparison because they are invalid in one of the two catalogs.
    skipped: tuple[str, ...] = ()

    def count(self, change: Change) -> int:
        return sum(1 for e in self.entries if e.change == change)

    @property
    def summary(self) -> str:
        if not self.entries:
            return "no changes"
        return ", ".join(f"{self.count(c)} {c}" for c in ("added", "removed", "changed") if self.count(c))

    def by_kind(self) -> list[tuple[type[Entry], list[EntryChange]]]:
        return [(m, group) for m in KINDS if (group := [e for e in self.entries if e.kind == m.kind])]


@dataclass(frozen=True)
class _Items:
    """A list field whose items are matched by a key, e.g. a standard's rules by id."""

    field: str
    noun: str
    key: str
    tracked: str | None = None  # an item field whose change is spelled out
    shown: str | None = None  # an item field shown beside the key when the item is added or removed

    def describe(self, item: dict[str, Any]) -> str:
        return f"{item[self.key]} ({_shown(item[self.shown])})" if self.shown else _shown(item[self.key])


_LISTS: dict[str, tuple[_Items, ...]] = {
    "standard": (_Items("rules", "rule", "id", tracked="level", shown="level"),),
    "checklist": (_Items("items", "item", "id", shown="title"),),
    "architecture": (_Items("components", "component", "name"),),
}


def _shown(value: Any) -> str:
    return "none" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _compare_items(spec: _Items, old: dict[str, Any], new: dict[str, Any]) -> list[Detail]:
    """Items added, removed or with a tracked change; leaves the rest of the common items to compare."""
    before = {item[spec.key]: item for item in old.get(spec.field) or []}
    after = {item[spec.key]: item for item in new.get(spec.field) or []}
    details = [Detail(spec.noun, before=spec.describe(before[k])) for k in before if k not in after]
    details += [Detail(spec.noun, after=spec.describe(after[k])) for k in after if k not in before]
    if spec.tracked:
        details += [Detail(spec.noun, _shown(before[k][spec.tracked]), _shown(after[k][spec.tracked]), subject=str(k))
                    for k in after if k in before and before[k][spec.tracked] != after[k][spec.tracked]]

    def rest(items: dict[Any, dict[str, Any]], other: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
        return [{f: v for f, v in item.items() if f != spec.tracked} for k, item in items.items() if k in other]

    old[spec.field], new[spec.field] = rest(before, after), rest(after, before)
    return details


def compare(before: Entry, after: Entry) -> tuple[Detail, ...]:
    """The meaningful changes from one version of an entry to the next; anything else is 'text revised'."""
    old = before.model_dump(mode="json", by_alias=True)
    new = after.model_dump(mode="json", by_alias=True)
    details = []
    for name in ("status", *_FIELDS.get(after.kind, ())):
        if old.get(name) != new.get(name):
            details.append(Detail(name.replace("_", " "), _shown(old.get(name)), _shown(new.get(name))))
        old.pop(name, None)
        new.pop(name, None)
    for spec in _LISTS.get(after.kind, ()):
        details += _compare_items(spec, old, new)
    if old != new:
        details.append(Detail("text revised"))
    return tuple(details)


def diff(before: Catalog, after: Catalog) -> Changes:
    """Entries added, removed and changed from `before` to `after`; an id that moved kind is removed and added."""
    skipped = set(before.invalid) | set(after.invalid)
    old = {(e.kind, e.id): e for e in before.entries.values() if e.id not in skipped}
    new = {(e.kind, e.id): e for e in after.entries.values() if e.id not in skipped}
    order = {m.kind: i for i, m in enumerate(KINDS)}
    changes = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (order[k[0]], k[1])):
        if key not in new:
            changes.append(EntryChange(key[1], key[0], old[key].title, "removed"))
        elif key not in old:
            changes.append(EntryChange(key[1], key[0], new[key].title, "added"))
        elif details := compare(old[key], new[key]):
            changes.append(EntryChange(key[1], key[0], new[key].title, "changed", details))
    return Changes(tuple(changes), tuple(sorted(skipped)))


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
