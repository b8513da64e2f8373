"""`playbook import adr`: bring existing Markdown decision records into the catalog."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..authoring.adr_import import __doc__ as MAPPING
from ..authoring.adr_import import collect, import_adrs
from ..load.entries import load_catalog
from ..models.team import Team
from ..pipeline import check
from ..project import Project
from .import_calm import add_to as add_calm_to
from .import_wa import add_to as add_wa_to

DEFAULT_OWNER = "ai-architecture"


def cmd_import_adr(project: Project, args: argparse.Namespace) -> int:
    """Import the ADRs named, print one report line per file and note, then check what was written."""
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    files = collect(args.paths)
    if not files:
        print("error: no Markdown files (*.md) found in the folders given", file=sys.stderr)
        return 2
    catalog, _ = load_catalog(project.root, project.catalog)
    teams = sorted(e.id for e in catalog.entries.values() if isinstance(e, Team))
    if args.owner not in teams:
        print(f"error: --owner '{args.owner}' is not a team in catalog/teams; teams: {', '.join(teams) or 'none'}",
              file=sys.stderr)
        return 2
    if args.source is not None and not args.source.strip():
        print("error: --source needs a name, such as the repository's address", file=sys.stderr)
        return 2
    results = import_adrs(project.root, project.catalog, catalog, [p.resolve() for p in files], args.owner,
                          args.today or dt.date.today(), args.overwrite, args.dry_run,
                          args.source.strip() if args.source else None)
    for result in results:
        print(f"{result.display}: {result.outcome}" + (f" {result.target}" if result.target else ""))
        for note in result.notes:
            print(f"{result.display}: {note}")
    counts = {outcome: sum(r.outcome.split(" (")[0] == outcome for r in results)
              for outcome in ("written", "overwritten", "would write", "would overwrite", "unchanged", "skipped", "failed")}
    print(", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n or outcome == "failed"))
    failed = counts["failed"] > 0
    written = {r.target for r in results if r.outcome in ("written", "overwritten")}
    if written:
        _, report = check(project, args.today)
        errors = [d for d in report.errors if d.file in written]
        warnings = [d for d in report.warnings if d.file in written]
        for diagnostic in errors:
            print(diagnostic.text())
        if errors or warnings:
            print(f"imported entries: {len(errors)} errors, {len(warnings)} warnings (playbook check lists them)")
        if len(report.errors) > len(errors):
            print(f"the rest of the catalog has {len(report.errors) - len(errors)} errors (playbook check lists them)")
        failed = failed or bool(errors)
    return 1 if failed else 0


def register(sub: Any) -> None:
    """Add `import adr` to the `playbook` command."""
    p = sub.add_parser("import", help="import records written elsewhere (ADRs, CALM architectures, AWS Well-Architected answers)",
                       description="Import records written elsewhere into the catalog: Markdown ADRs, a FINOS CALM architecture as a "
                                   "draft, or the AWS Well-Architected Tool's answers into an initiative.")
    kinds = p.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    a = kinds.add_parser("adr", help="import Markdown ADRs (MADR 2-4, adr-tools/Nygard, log4brains)",
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Write catalog/adrs/<id>.yaml for each Markdown ADR. Exit 0 when every file was "
                                     "imported, unchanged or skipped, 1 when any failed, 2 on a usage error.",
                         epilog=(MAPPING or "").split("\n", 2)[2])
    a.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="Markdown files, or folders whose *.md files are imported (README, index and template skipped)")
    a.add_argument("--owner", default=DEFAULT_OWNER, metavar="TEAM",
                   help=f"id of the team in catalog/teams that owns the entries (default: {DEFAULT_OWNER})")
    a.add_argument("--overwrite", action="store_true", help="replace entries that exist and differ")
    a.add_argument("--dry-run", action="store_true", help="report what would be written; write nothing")
    a.add_argument("--source", metavar="NAME", help="the name of the repository the records come from, recorded as "
                                                    "their source (default: its git remote, else its folder's name)")
    a.set_defaults(run=cmd_import_adr)
    add_wa_to(kinds)
    add_calm_to(kinds)
