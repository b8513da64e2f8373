"""The `playbook` command: its options, its command groups, and how a run ends."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..forked import JOBS_ENV, jobs_setting
from ..project import Project
from ..write.lock import Busy
from .catalog import register as register_catalog_commands
from .export import register as register_export_commands
from .impact import register as register_impact_commands
from .imports import register as register_import_commands
from .mcp import register as register_mcp_command
from .release import register as register_release_commands
from .site import register as register_site_commands
from .sync import register as register_sync_commands


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="playbook", description="Validate, generate and publish the AI architecture playbook.")
    top.add_argument("--root", type=Path, default=Path("."), help="the project folder holding catalog/ and mkdocs.yml (default: .)")
    top.add_argument("--today", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                     help="judge reviews, exception expiry and EU AI Act obligations as of this date (default: today)")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    register_catalog_commands(sub)
    register_site_commands(sub)
    register_release_commands(sub)
    register_export_commands(sub)
    register_impact_commands(sub)
    register_import_commands(sub)
    register_sync_commands(sub)
    register_mcp_command(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project(args.root.resolve())
    try:
        # PLAYBOOK_JOBS is read here, where the process starts, and travels on as an argument
        given = getattr(args, "jobs", None)
        args.jobs = given if given is not None else jobs_setting(os.environ.get(JOBS_ENV))
        if args.jobs is not None and args.jobs < 1:
            raise ValueError("--jobs: give a whole number of processes, 1 or more (1 works in one process)")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.run(project, args))
    except Busy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the next run repairs whatever was left half-done", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine, not the input: a full disk, a read-only or vanished folder
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
