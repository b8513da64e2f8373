"""The `playbook sync` command: fetch the sources playbook.toml names and pin their commits in playbook.lock."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..config import CONFIG_FILE, read_config
from ..federation.sync import SyncError, sync
from ..history.snapshots import terminal_safe
from ..project import LOCK_FILE, Project
from ..write.lock import checkout_lock


def _say(line: str) -> None:
    print(terminal_safe(line), file=sys.stderr)


def cmd_sync(project: Project, args: argparse.Namespace) -> int:
    config = read_config(project.root)
    if config.problem:
        _say(f"error: {CONFIG_FILE}: {config.problem}")
        return 1
    with checkout_lock(project.cache, "sync"):
        try:
            pins = sync(project, config, update=args.update, offline=args.offline, say=_say)
        except SyncError as exc:
            for problem in exc.problems:
                _say(problem)
            _say(f"nothing was changed: the copies of the sources and {LOCK_FILE} are as they were")
            return 1
    if not pins:
        _say(f"{CONFIG_FILE} names no sources; nothing to sync")
    else:
        _say(f"synced {len(pins)} source{'s' * (len(pins) != 1)}; {LOCK_FILE} pins "
             f"{'its commit' if len(pins) == 1 else 'their commits'}: commit it")
    return 0


def register(sub: Any) -> None:
    """Add sync to the `playbook` subcommands."""
    p = sub.add_parser("sync", help="fetch the sources playbook.toml names and pin their commits in playbook.lock",
                       description=f"Fetch the repository of every [sources.NAME] of {CONFIG_FILE}, copy its folder "
                                   f"at the pinned commit into .playbook-cache/sources/, and record the commits in "
                                   f"{LOCK_FILE}. A source keeps the commit {LOCK_FILE} pins until its repository or "
                                   "ref changes, or --update is given. check, generate and build read these copies "
                                   "and never fetch. If any source fails, nothing is changed.")
    p.add_argument("--update", action="store_true",
                   help=f"resolve every ref anew (a branch's newest commit) instead of keeping the commit {LOCK_FILE} pins")
    p.add_argument("--offline", action="store_true",
                   help="fetch nothing over the network: use what an earlier sync fetched (a source in a local folder "
                        "or at a file:// address is still read)")
    p.set_defaults(run=cmd_sync)
