"""The site commands of `playbook`: generate, build and serve."""

from __future__ import annotations

import argparse
import subprocess
import sys
from functools import partial
from typing import Any

from ..config import read_config
from ..forked import JOBS_ENV
from ..load.entries import ParseCache
from ..load.pages import leaks_in_site
from ..load.sources import source_problems
from ..load.visibility import load_visibility
from ..pipeline import keep_parses, last_parses
from ..project import CACHE_DIR, PYTHON, SITE_CACHE, SITE_CACHE_ENV, Project, read_folders, site_folder
from ..publish.serve import serve
from ..publish.serve_errors import errors_file, record_errors
from ..publish.site_folder import SiteFolderError, check_site_folder, mark_site_folder
from ..write.lock import checkout_lock
from ..write.writer import written_edition
from .audience import add_audience, audience_of, site_env
from .generation import generate_and_report


def cmd_generate(project: Project, args: argparse.Namespace) -> int:
    audience = audience_of(project, args.audience)
    if audience is None:
        return 1
    with checkout_lock(project.cache, "generate"):
        return 0 if generate_and_report(project, args.today, audience.name, jobs=args.jobs) else 1


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    audience = audience_of(project, args.audience)
    if audience is None:
        return 1
    site = site_folder(project, args.site_dir)
    try:
        check_site_folder(site, project.root, read_folders(project))
    except SiteFolderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if args.site_dir else 1
    if args.engine == "zensical":
        from ..publish.engines import zensical_command

        try:
            command = zensical_command(project, audience, args.site_dir)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    else:
        command = [*PYTHON, "-m", "mkdocs", "build", "--strict", "-f", str(project.mkdocs_config), "-d", str(site)]
    with checkout_lock(project.cache, "build"):
        parsed = last_parses(project)  # read once: generation and the leak check below both load the catalog
        if not generate_and_report(project, args.today, audience.name, jobs=args.jobs, cache=parsed):
            keep_parses(project, parsed)
            return 1
        if written_edition(project.output) != audience.name:
            keep_parses(project, parsed)
            print(f"error: {project.output} does not hold the {audience.name} edition's pages; nothing was built",
                  file=sys.stderr)
            return 1
        mark_site_folder(site)
        jobs = {JOBS_ENV: str(args.jobs)} if args.jobs is not None else {}  # for the parallel site build
        fresh = {SITE_CACHE_ENV: "off"} if args.no_cache else {}
        with subprocess.Popen(command, cwd=project.root, env={**site_env(audience), **jobs, **fresh}) as engine:
            try:
                keep_parses(project, parsed)  # while the engine starts
                status = engine.wait()
            except BaseException:
                engine.kill()
                raise
        if status != 0:
            print(f"error: the site build ({args.engine}) failed, its messages are above; {site} may be half-built "
                  "and the next build replaces it", file=sys.stderr)
            return 1
        mark_site_folder(site)  # an engine that empties the whole folder removed the mark
        leaks = leaks_in_site(project.root, load_visibility(read_config(project.root)), audience, site, parsed)
    if leaks:  # checked after the engine, whichever it is: the edition does not rest on a hook alone
        print(f"error: the {audience.name} site in {site} holds what its edition leaves out: {', '.join(leaks)}; "
              "do not publish it", file=sys.stderr)
        return 1
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    audience = audience_of(project, args.audience)
    if audience is None:
        return 1
    if args.versions:
        from ..publish.mike import serve as serve_versions

        return serve_versions(project, args.branch or audience.branch, args.dev_addr)
    with checkout_lock(project.cache, "serve"):
        # forced: every file is parsed once now, so each edit costs only what it changed
        parsed = ParseCache()  # owned by this server: each regeneration parses only the files an edit changed
        errors = errors_file(project.cache)  # each generation's errors, which the served pages show
        shown = partial(record_errors, errors)
        if not generate_and_report(project, args.today, audience.name, force=True, jobs=args.jobs, cache=parsed,
                                   reported=shown):
            if source_problems(project.root, read_folders(project)) or written_edition(project.output) != audience.name:
                return 1  # never serve a link's target, nor the last good pages of another edition
            print(f"serving the last pages generated for the {audience.name} edition until the errors are fixed",
                  file=sys.stderr)
        return serve(project, args.dev_addr,
                     lambda: generate_and_report(project, args.today, audience.name, jobs=args.jobs, cache=parsed,
                                                 reported=shown),
                     site_env(audience), dirty=args.dirty, errors=errors)


def register(sub: Any) -> None:
    """Add generate, build and serve to the `playbook` subcommands."""
    p = sub.add_parser("generate", help="check, then write the generated pages to docs/playbook/",
                       description="Check the catalog and write only the pages that changed; on errors nothing is written.")
    add_jobs(p)
    add_audience(p)
    p.set_defaults(run=cmd_generate)

    p = sub.add_parser("build", help="check, generate and build the site with mkdocs build --strict",
                       description="Check, generate and build the static site into site/.")
    p.add_argument("--site-dir", help="where to write the site (default: site_dir of mkdocs.yml)")
    p.add_argument("--engine", choices=["mkdocs", "zensical"], default="mkdocs",
                   help="the site builder: MkDocs (default) or Zensical, which builds the same pages "
                        "(pip install -e '.[zensical]'; the Benchmarks page compares them)")
    p.add_argument("--no-cache", action="store_true",
                   help="convert and render every page afresh instead of taking the pages whose inputs have not changed "
                        f"from the last build ({CACHE_DIR}/{SITE_CACHE}/; the site is the same either way)")
    add_jobs(p)
    add_audience(p)
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("serve", help="generate, serve on http://127.0.0.1:8000 and regenerate on catalog changes",
                       description="Serve the site with live reload; catalog edits regenerate the affected pages.")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    p.add_argument("--versions", action="store_true", help="serve the published versions (mike) instead of the working copy")
    p.add_argument("--branch", help="with --versions: the publishing branch (default: the audience's)")
    p.add_argument("--dirty", action="store_true",
                   help="rebuild only the pages an edit changed (seconds instead of minutes on a large playbook); "
                        "pages that gather others, such as Tags, may lag until the next full start")
    add_audience(p)
    p.set_defaults(run=cmd_serve)


def add_jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help=f"processes to share the work between (default: {JOBS_ENV}, else the free cores, at most 8, for a "
                        "large playbook; 1 works in one process)")


