"""The release commands of `playbook`: diff, publish and versions."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace
from typing import Any

from ..config import read_config
from ..history.releases import diff_markdown, published_versions, retired_versions
from ..history.snapshots import HistoryError, format_json, format_text, snapshot, terminal_safe
from ..load.pages import leaks_in_site
from ..load.visibility import load_visibility, site_environment
from ..pipeline import keep_parses, last_parses
from ..project import Project, read_folders, site_folder
from ..publish.mike import (
    DEFAULT_ALIAS,
    PublishError,
    Retirement,
    branch_head,
    deploy,
    prepare,
    push,
    release_environment,
    retire,
    serve,
    withdraw,
)
from ..publish.site_folder import SiteFolderError, check_site_folder, mark_site_folder
from ..resolve.changes import diff
from ..resolve.editions import edition
from ..write.lock import checkout_lock
from .audience import add_audience, audience_of
from .generation import generate_and_report

_FORMATS = {"text": format_text, "json": format_json, "markdown": diff_markdown}


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def cmd_diff(project: Project, args: argparse.Namespace) -> int:
    audience = audience_of(project, args.audience) if args.audience else None
    if args.audience and audience is None:
        return 2
    try:
        before, after = snapshot(project.root, args.ref_a), snapshot(project.root, args.ref_b)
    except HistoryError as exc:
        _error(str(exc))
        return exc.code
    for warning in (*before.warnings, *after.warnings):
        print(terminal_safe(f"warning: {warning}"), file=sys.stderr)
    if audience:
        visibility = load_visibility(read_config(project.root))
        before, after = (replace(s, catalog=edition(s.catalog, visibility, audience).catalog) for s in (before, after))
    output = _FORMATS[args.format](diff(before.catalog, after.catalog), before, after).rstrip("\n")
    print(output if args.format == "json" else terminal_safe(output))  # JSON escapes them itself
    return 0


def cmd_publish(project: Project, args: argparse.Namespace) -> int:
    aliases = list(dict.fromkeys(args.alias))
    audience = audience_of(project, args.audience)
    if audience is None:
        return 2
    try:
        release = prepare(project, args.version, aliases, args.branch or audience.branch)
    except PublishError as exc:
        _error(str(exc))
        return exc.code
    site = site_folder(project)
    try:
        check_site_folder(site, project.root, read_folders(project))
    except SiteFolderError as exc:
        _error(f"{exc} (site_dir of mkdocs.yml, which mike builds into)")
        return 1
    with checkout_lock(project.cache, "publish"):
        parsed = last_parses(project)  # read once: generation and the leak check below both load the catalog
        try:
            generated = generate_and_report(project, audience=audience.name, release=release, cache=parsed)
        except HistoryError as exc:  # the release notes read the branch: a broken versions.json or retired.json
            _error(f"{exc}; nothing was published")
            return 1
        keep_parses(project, parsed)
        if not generated:
            return 1
        mark_site_folder(site)
        head = branch_head(project, release.branch)
        try:
            deploy(project, release, aliases, args.title, release_environment(release, site_environment(audience)))
            leaks = leaks_in_site(project.root, load_visibility(read_config(project.root)), audience, site, parsed)
            if leaks:  # the site mike built is still in site_dir: read it before anything leaves the machine
                withdraw(project, release.branch, head)
                raise PublishError(f"the {audience.name} site holds what its edition leaves out: {', '.join(leaks)}; "
                                   f"nothing was published and {release.branch} is as it was")
            retirement = None
            if args.keep:
                try:
                    retirement = retire(project, release, args.keep, args.today or dt.date.today())
                except PublishError as exc:
                    withdraw(project, release.branch, head)
                    raise PublishError(f"{exc}; nothing was published and {release.branch} is as it was") from None
                _report_retirement(retirement, args.keep)
            if args.push:
                push(project, release.branch)
        except PublishError as exc:
            _error(str(exc))
            return 1
    named = f" ({', '.join(aliases)})" if aliases else ""
    where = "pushed to the remote" if args.push else "local only; publish again with --push to share it"
    print(f"published {release.version}{named} of the {audience.name} edition on branch {release.branch} "
          f"from commit {release.commit[:12]}: {where}",
          file=sys.stderr)
    if retirement is not None:
        held = retirement.held
        print(terminal_safe(f"{release.branch} holds {len(held)} version{'s' * (len(held) != 1)}: {', '.join(held)}"),
              file=sys.stderr)
    return 0


def _report_retirement(retirement: Retirement, keep: int) -> None:
    """One line per retired version, and one for the versions an alias kept beyond `keep`."""
    for retired in retirement.retired:
        source = f"published from {retired.commit[:12]}" if retired.commit else "no source commit recorded"
        print(terminal_safe(f"retired {retired.version} ({source})"), file=sys.stderr)
    if retirement.spared:
        why = ", ".join(f"{version} ({reason})" for version, reason in retirement.spared)
        print(terminal_safe(f"kept {len(retirement.spared)} more than --keep {keep}, as no version with an alias or "
                            f"the site root's default is retired: {why}"), file=sys.stderr)


def _keep(value: str) -> int:
    """The number of versions `--keep` keeps: a whole number, 1 or more."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of versions to keep: give a whole number, "
                                         "1 or more (the version being published is one of them)")
    return number


def cmd_versions(project: Project, args: argparse.Namespace) -> int:
    audience = audience_of(project, args.audience)
    if audience is None:
        return 2
    branch = args.branch or audience.branch
    try:
        versions, retired = published_versions(project.root, branch), retired_versions(project.root, branch)
    except HistoryError as exc:
        _error(str(exc))
        return exc.code
    if not versions:
        _error(f"nothing is published on branch '{branch}' (it has no versions.json); run 'playbook publish' first")
        return 1
    if args.serve:
        return serve(project, branch, args.dev_addr)
    for v in versions:
        aliases = f" [{', '.join(v.aliases)}]" if v.aliases else ""
        title = f" \"{v.title}\"" if v.title != v.version else ""
        source = f" from {v.commit[:12]}" if v.commit else " (no source commit recorded)"
        print(terminal_safe(f"{v.version}{aliases}{title}{source}"))
    for r in retired:
        title = f" \"{r.title}\"" if r.title != r.version else ""
        source = f" from {r.commit[:12]}" if r.commit else " (no source commit recorded)"
        print(terminal_safe(f"{r.version}{title}{source}: retired on {r.retired_on.isoformat()} when {r.retired_by} "
                            "was published, no longer on the site"))
    return 0


def register(sub: Any) -> None:
    """Add diff, publish and versions to the `playbook` subcommands."""
    p = sub.add_parser("diff", help="what changed in the catalog between two git refs",
                       description="Compare the catalog at two git refs: entries added, removed and changed, by kind.")
    p.add_argument("ref_a", metavar="REF_A", help="the older ref: a commit, branch or tag")
    p.add_argument("ref_b", metavar="REF_B", nargs="?", default="HEAD", help="the newer ref (default: HEAD)")
    p.add_argument("--format", choices=sorted(_FORMATS), default="text",
                   help="text (terminal), json (scripts) or markdown (pull request descriptions)")
    p.add_argument("--audience", metavar="NAME", help="compare only what this audience's edition shows")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("publish", help="generate, build and deploy the site as a version with mike",
                       description="Generate the pages, build the site with mike and commit it to the publishing branch "
                                   "as VERSION. Nothing leaves the machine without --push.")
    p.add_argument("version", metavar="VERSION", help="the version to publish, e.g. 1.2")
    p.add_argument("--alias", action="append", default=[],
                   help=f"an alias for this version, moved from any older version, e.g. {DEFAULT_ALIAS} (repeatable)")
    p.add_argument("--title", help="the title in the version selector (default: the version)")
    p.add_argument("--branch", help="the branch the site is committed to (default: the audience's branch in "
                                    "playbook.toml; gh-pages for the default audience)")
    p.add_argument("--push", action="store_true", help="push the branch to the remote after committing")
    p.add_argument("--keep", type=_keep, metavar="N",
                   help="keep the N newest versions on the branch, this one among them, and retire the others "
                        "(a version with an alias stays); their release notes stay on the What changed page")
    add_audience(p)
    p.set_defaults(run=cmd_publish)

    p = sub.add_parser("versions", help="list the published versions, or serve them with --serve",
                       description="List the versions on the publishing branch with their aliases and source commits, "
                                   "then the versions retired from it.")
    p.add_argument("--branch", help="the publishing branch (default: the audience's)")
    add_audience(p)
    p.add_argument("--serve", action="store_true", help="serve every published version locally with its version selector")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    p.set_defaults(run=cmd_versions)
