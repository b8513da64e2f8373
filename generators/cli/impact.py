"""The `playbook impact` command: what a branch's catalog changes touch, for a pull-request comment."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..history.impact import DEFAULT_BASES, DEFAULT_DEPTH, format_markdown, format_text, impact
from ..history.snapshots import HistoryError, terminal_safe
from ..project import Project

_FORMATS = {"markdown": format_markdown, "text": format_text}


def _depth(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of steps, 1 or more")
    return int(value)


def cmd_impact(project: Project, args: argparse.Namespace) -> int:
    try:
        report = impact(project, args.base, args.depth)
    except HistoryError as exc:
        print(terminal_safe(f"error: {exc}"), file=sys.stderr)
        return 2
    sys.stdout.write(_FORMATS[args.format](report))
    return 0


def register(sub: Any) -> None:
    """Add impact to the `playbook` subcommands."""
    p = sub.add_parser("impact", help="the entries and pages a branch's catalog changes affect, as Markdown",
                       description="List the catalog entries changed since the merge base of --base and HEAD "
                                   "(committed, uncommitted and untracked), every entry that depends on them "
                                   "through the relation graph, and every generated page whose content changes, "
                                   "with the owners to ask.")
    p.add_argument("--base", metavar="REF",
                   help=f"the branch the changes go into (default: {' if it exists, else '.join(DEFAULT_BASES)})")
    p.add_argument("--format", choices=sorted(_FORMATS), default="markdown",
                   help="markdown (a pull-request comment, the default) or text")
    p.add_argument("--depth", type=_depth, default=DEFAULT_DEPTH, metavar="N",
                   help=f"how many steps back through the relation graph to follow (default: {DEFAULT_DEPTH})")
    p.set_defaults(run=cmd_impact)
