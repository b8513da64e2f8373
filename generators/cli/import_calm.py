"""`playbook import calm`: a FINOS CALM architecture as a draft reference architecture."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from ..authoring.calm_import import CalmError, default_id, draft, entry_text, read_calm, write_entry
from ..authoring.calm_import import __doc__ as MAPPING
from ..authoring.scaffold import default_owner
from ..load.entries import load_catalog
from ..models.architecture import Architecture
from ..models.common import PATTERN_MESSAGES, SLUG_PATTERN
from ..models.team import Team
from ..pipeline import check
from ..project import Project


def _shown(path: Path, root: Path) -> str:
    """`path` relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def cmd_import_calm(project: Project, args: argparse.Namespace) -> int:
    """Write the draft, print what could not be mapped, then check the new entry."""
    if not args.file.exists():
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return 2
    if args.id is not None and not re.fullmatch(SLUG_PATTERN, args.id):
        print(f"error: --id {args.id!r} {PATTERN_MESSAGES[SLUG_PATTERN]}", file=sys.stderr)
        return 2
    catalog, _ = load_catalog(project.root, project.catalog)
    teams = sorted(e.id for e in catalog.of_kind(Team))
    owner = args.owner or default_owner(project.root, project.catalog, Architecture.kind)
    if owner not in teams:
        print(f"error: --owner '{owner}' is not a team in catalog/teams; teams: {', '.join(teams) or 'none'}",
              file=sys.stderr)
        return 2
    display = args.file.as_posix()
    try:
        document = read_calm(args.file, display)
        entry_id = args.id or default_id(document, args.file)
        target = project.catalog / Architecture.folder / f"{entry_id}.yaml"
        shown = _shown(target, project.root)
        taken = sorted(_shown(p, project.root) for p in project.catalog.glob(f"*/{entry_id}.yaml"))
        if taken or entry_id in catalog.entries or entry_id in catalog.invalid:
            raise CalmError(f"the id '{entry_id}' is taken by {taken[0] if taken else 'another entry'}; "
                            "nothing is replaced: import under another --id")
        result = draft(document, entry_id, owner, args.today or dt.date.today(), catalog, display)
        text = entry_text(result, shown)
    except CalmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1
    for note in result.notes:
        print(f"{display}: {note}")
    if args.dry_run:
        print(text, end="")
        print(f"would write {shown}")
        return 0
    try:
        write_entry(project.catalog, result, text)
    except FileExistsError:
        print(f"error: {shown} appeared meanwhile; nothing is replaced: import under another --id", file=sys.stderr)
        return 1
    print(f"wrote {shown}")
    _, report = check(project, args.today)
    errors = [d for d in report.errors if d.file == shown]
    warnings = [d for d in report.warnings if d.file == shown]
    for diagnostic in errors + warnings:
        print(diagnostic.text())
    print(f"{shown}: {len(errors)} errors, {len(warnings)} warnings; complete the draft, then run playbook check")
    return 1 if errors else 0


def add_to(kinds: Any) -> None:
    """Add `import calm` to the subcommands of `playbook import`."""
    c = kinds.add_parser("calm", help="import a FINOS CALM architecture (JSON) as a draft reference architecture",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Write catalog/architectures/<id>.yaml, status draft, from a CALM architecture "
                                     "document. An existing entry is never replaced. Exit 0 when written, 1 when the "
                                     "file cannot be imported or the draft has errors, 2 on a usage error.",
                         epilog=(MAPPING or "").split("\n", 2)[2])
    c.add_argument("file", type=Path, metavar="FILE", help="the CALM architecture, a .json file")
    c.add_argument("--id", metavar="ID", help="the new entry's id, a slug (default: from the document's unique-id or "
                                              "name)")
    c.add_argument("--owner", metavar="TEAM", help="id of the team in catalog/teams that owns the entry (default: the "
                                                   "team owning most reference architectures)")
    c.add_argument("--dry-run", action="store_true", help="print the draft and what could not be mapped; write nothing")
    c.set_defaults(run=cmd_import_calm)
