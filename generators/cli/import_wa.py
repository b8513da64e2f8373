"""`playbook import wa-answers`: answers given in the AWS Well-Architected Tool, onto an initiative's checklists."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..authoring.wa_answers import AnswersError, import_wa_answers
from ..diagnostics import closest
from ..load.entries import load_catalog
from ..models.initiative import Initiative
from ..project import Project


def cmd_import_wa(project: Project, args: argparse.Namespace) -> int:
    """Map the answers, print one line per question, then write the initiative's file (unless --dry-run)."""
    if not args.file.is_file():
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return 2
    catalog, _ = load_catalog(project.root, project.catalog)
    if not isinstance(catalog.entries.get(args.initiative), Initiative):
        if catalog.invalid.get(args.initiative) == Initiative.kind:
            print(f"error: initiative '{args.initiative}' has errors; fix them first (playbook check lists them)",
                  file=sys.stderr)
            return 1
        known = [e.id for e in catalog.by_id(Initiative)]
        hint = closest(args.initiative, known) or f"initiatives: {', '.join(known) or 'none'}"
        print(f"error: no initiative '{args.initiative}' in {Initiative.folder}/; {hint}", file=sys.stderr)
        return 2
    if (origin := catalog.origins.get(args.initiative)) is not None:
        print(f"error: initiative '{args.initiative}' is kept in the source '{origin.source}' ({origin.file}); "
              "record the answers there", file=sys.stderr)
        return 2
    try:
        outcome = import_wa_answers(project.catalog, catalog, args.initiative, args.file, args.dry_run)
    except AnswersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1
    for line in outcome.lines:
        print(line)
    for note in outcome.notes:
        print(f"note: {note}")
    for error in outcome.errors:
        print(f"error: {error}", file=sys.stderr)
    if outcome.errors:
        print(f"nothing written: {len(outcome.errors)} errors", file=sys.stderr)
        return 1
    target = catalog.files[args.initiative]
    answers = f"{outcome.changed} answer{'' if outcome.changed == 1 else 's'}"
    if not outcome.changed:
        print(f"{target}: no answer changed; nothing written")
    elif args.dry_run:
        print(f"{target}: would change {answers} (--dry-run: nothing written)")
    else:
        print(f"{target}: {answers} changed; written")
    return 0


def add_to(kinds: Any) -> None:
    """Add `import wa-answers` to the kinds of `playbook import`."""
    p = kinds.add_parser("wa-answers", help="read answers given in the AWS Well-Architected Tool onto an initiative",
                         description="Map the answers of the custom lens made by 'playbook export --format wa-lens' "
                                     "onto the checklist answers of one initiative and rewrite its checklists. Exit 0 "
                                     "when written (or nothing changed), 1 on any error (nothing is written), 2 on a "
                                     "usage error.")
    p.add_argument("file", type=Path, metavar="FILE",
                   help="JSON printed by 'aws wellarchitected get-answer' or 'list-answers' (one or several outputs, "
                        "or an array of them)")
    p.add_argument("--initiative", required=True, metavar="ID", help="the id of the initiative in catalog/initiatives")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.set_defaults(run=cmd_import_wa)
