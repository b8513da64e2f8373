"""The catalog commands of `playbook`: check, new, diagram, review, codeowners and schemas."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..authoring.codeowners import codeowners
from ..authoring.scaffold import adr_id, adr_title, default_owner, git_author, new_entry
from ..diagnostics import FORMATTERS, Report, closest
from ..load.governance import RULES
from ..models import BY_KIND
from ..models.architecture import Architecture
from ..models.common import SLUG_PATTERN
from ..models.initiative import Initiative
from ..pipeline import check, check_edition, diagram_jobs
from ..project import Project
from ..render.diagrams import DiagramError, DrawStats, draw
from ..render.downloads import DOCUMENTS, document_text
from ..render.schemas import schemas
from ..reserved import id_clash
from ..resolve.ai_act import format_obligations, obligations, obligations_dict
from ..resolve.portfolio import format_gaps, gap_report
from ..write.lock import cache_folder
from .audience import add_audience, audience_of


def _print_report(report: Report, fmt: str = "text") -> None:
    """The report is the command's output: on stdout, errors and warnings alike, so one stream holds all of it."""
    print(FORMATTERS[fmt](report))


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    if args.audience:
        _, report = check_edition(project, args.audience, args.today, args.strict_reviews)
    else:
        _, report = check(project, args.today, args.strict_reviews)
    _print_report(report, args.format)
    return 1 if report.errors else 0


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    if args.kind in DOCUMENTS:
        if args.title or args.owner:
            print(f"error: --title and --owner are for catalog entries; give {args.kind} its name as NAME", file=sys.stderr)
            return 2
        text = document_text(args.kind, args.id)
        if args.output in (None, "-"):
            sys.stdout.write(text)
            return 0
        try:
            with open(args.output, "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            print(f"error: {args.output} already exists; choose another file", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
            return 1
        print(f"wrote {args.output}", file=sys.stderr)
        return 0
    if args.output:
        print("error: -o is for the Markdown templates; a catalog entry is written to catalog/", file=sys.stderr)
        return 2
    if not args.id:
        print(f"error: give the id of the new {args.kind}" + (' (or its title: new adr "Title")' if args.kind == "adr" else ""),
              file=sys.stderr)
        return 2
    entry_id, title = args.id, args.title
    if args.kind == "adr" and (named := adr_title(args.id)) is not None:
        if args.title:
            print("error: give the title once: as the argument (the id is then numbered) or with --title and an id",
                  file=sys.stderr)
            return 2
        title, entry_id = named, adr_id(project.catalog, named)
    if not re.fullmatch(SLUG_PATTERN, entry_id):
        print(f"error: '{entry_id}' is not a valid id: use lowercase letters, digits and single hyphens", file=sys.stderr)
        return 2
    if (clash := id_clash(entry_id)) is not None:
        print(f"error: {clash[0]}; choose another id", file=sys.stderr)
        return 2
    title = title or entry_id.replace("-", " ").capitalize()
    owner = entry_id if args.kind == "team" else args.owner or default_owner(project.root, project.catalog, args.kind)
    if owner is None:
        print("error: the catalog has no active team to own the entry: create one first with 'playbook new team TEAM' "
              "(it then owns new entries by default), or pass --owner TEAM", file=sys.stderr)
        return 2
    author = git_author(project.root) if args.kind == "adr" else None
    if args.kind == "adr" and author is None:
        print("note: no git user.name is set for this folder, so deciders says 'unknown': name the deciders",
              file=sys.stderr)
    try:
        path = new_entry(project.catalog, args.kind, entry_id, title, owner, args.today or dt.date.today(),
                         deciders=author or "unknown")
    except FileExistsError as exc:
        print(f"error: {exc.filename} already exists; choose another id", file=sys.stderr)
        return 1
    print(path.relative_to(project.root))
    return 0


def cmd_diagram(project: Project, args: argparse.Namespace) -> int:
    catalog, report = check(project)
    if report.errors:
        _print_report(report)
        return 1
    entry = catalog.entries.get(args.id)
    if not isinstance(entry, Architecture) or entry.diagram is None:
        print(f"error: '{args.id}' is not a reference architecture with a diagram", file=sys.stderr)
        return 2
    view = args.provider or "neutral"
    if view != "neutral" and view not in entry.diagram.providers:
        print(f"error: '{args.id}' has no {view} view; it draws: neutral, {', '.join(entry.diagram.providers)}", file=sys.stderr)
        return 2
    job = next(j for j in diagram_jobs(catalog) if j.entry_id == args.id and j.view == view)
    stats = DrawStats()
    try:
        # icons embedded and no font file named: the file stands alone
        svg = draw(replace(job, icons="", font=""), cache_folder(project.cache) / "diagrams", stats)
    except DiagramError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for fallback in stats.fallbacks:
        print(f"warning: {args.id}: {fallback.message}", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(svg, encoding="utf-8")
    else:
        sys.stdout.write(svg)
    return 0


def cmd_review(project: Project, args: argparse.Namespace) -> int:
    audience = audience_of(project, args.audience)
    if audience is None:
        return 1
    # the edition's catalog, as the initiative's page computes it: what it leaves out is not counted
    result, report = check_edition(project, audience, args.today, detail=False)
    if result is None:
        _print_report(report)
        return 1
    catalog = result.catalog
    initiative = catalog.entries.get(args.id)
    if not isinstance(initiative, Initiative):
        choices = [e.id for e in catalog.of_kind(Initiative)]
        print(f"error: no initiative has the id '{args.id}'" + (f"; {closest(args.id, choices)}" if closest(args.id, choices) else ""),
              file=sys.stderr)
        return 2
    gaps = gap_report(catalog, initiative)
    duties = obligations(catalog, initiative, args.today or dt.date.today())
    if args.format == "json":
        print(json.dumps({**gaps.as_dict(), "ai_act": obligations_dict(initiative, duties)}, indent=2))
    else:
        print(format_gaps(gaps) + "\n\n" + format_obligations(initiative, duties))
    blockers = gaps.open_by_severity["blocker"] or [o for o in duties if o.missing and o.state == "in force"]
    return 1 if args.fail_on_blockers and blockers else 0


def cmd_codeowners(project: Project, args: argparse.Namespace) -> int:
    catalog, report = check(project, args.today)
    if report.errors:
        _print_report(report)
        return 1
    text = codeowners(catalog)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output) if args.output else project.root / ".github" / "CODEOWNERS"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


def cmd_schemas(project: Project, args: argparse.Namespace) -> int:
    folder = project.catalog / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        target = folder / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(project.root)}")
    return 0


def register(sub: Any) -> None:
    """Add check, new, diagram, review, codeowners and schemas to the `playbook` subcommands."""
    rules = "\n".join(f"  {code:30} {severity or 'off':8} {what}" for code, (severity, what) in RULES.items())
    p = sub.add_parser("check", help="validate the whole catalog and report every problem",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Validate every catalog file and apply the governance rules; exit 0 when clean, "
                                   "1 when there are errors.",
                       epilog=f"governance rules (code, default severity), tuned in playbook.toml under [rules]:\n{rules}")
    p.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                   help="text (file:line:col), json, or github (Actions annotations)")
    p.add_argument("--strict-reviews", action="store_true", help="treat overdue reviews as errors")
    p.add_argument("--audience", metavar="NAME",
                   help="also report what in this audience's edition points at entries or items it leaves out")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("new", help="write a valid skeleton entry, or a Markdown template such as a model card",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="For a catalog kind, write catalog/<kind folder>/<id>.yaml, a skeleton that passes "
                                   "check.\nFor a Markdown template, print it (or write it to -o FILE) with NAME in "
                                   "its title.",
                       epilog="catalog kinds:       " + ", ".join(sorted(BY_KIND)) + "\n"
                              "Markdown templates:  " + ", ".join(DOCUMENTS) + "\n\n"
                              "examples:\n"
                              "  playbook new standard model-cards --title \"Model and system cards\"\n"
                              "  playbook new adr \"Use pgvector for embeddings\"   "
                              "# next number, today's date, deciders from git\n"
                              "  playbook new model-card \"Ticket router v3\" -o docs/model-card.md")
    p.add_argument("kind", choices=[*sorted(BY_KIND), *DOCUMENTS], metavar="KIND",
                   help="a catalog kind or a Markdown template (listed below)")
    p.add_argument("id", nargs="?", metavar="ID|TITLE|NAME",
                   help="catalog kinds: the entry id, which is also its file name; adr also takes a title, "
                        "numbering the id; templates: the name to put in the title")
    p.add_argument("--title", help="the entry title (default: from the id)")
    p.add_argument("--owner", help="id of the owning team (default: the active team that owns the most entries of "
                                   "that kind, else the first active team by id)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="templates only: write to FILE, never overwriting it (default: stdout)")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("diagram", help="draw one architecture's diagram as SVG for a quick look",
                       description="Draw the diagram of one reference architecture; the SVG goes to stdout or -o FILE.")
    p.add_argument("id", help="the reference architecture's id")
    p.add_argument("--provider", choices=["aws", "azure", "gcp"], help="draw this provider's view (default: provider-neutral)")
    p.add_argument("-o", "--output", help="write the SVG to this file instead of stdout")
    p.set_defaults(run=cmd_diagram)

    p = sub.add_parser("review", help="print an initiative's review gaps: readiness, open items, standards, threats",
                       description="The gap report of one initiative, as its review page shows it.")
    p.add_argument("id", help="the initiative's id")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--fail-on-blockers", action="store_true", help="exit 1 when a blocker item is open, or an EU AI Act obligation in force is not evidenced (for CI)")
    add_audience(p)
    p.set_defaults(run=cmd_review)

    p = sub.add_parser("codeowners", help="write a CODEOWNERS file mapping each catalog file to its owners",
                       description="Map every catalog file to the code-owner handles of its owners.")
    p.add_argument("-o", "--output", help="where to write (default: .github/CODEOWNERS; '-' for stdout)")
    p.set_defaults(run=cmd_codeowners)

    p = sub.add_parser("schemas", help="write the JSON Schemas of every kind to catalog/schemas/",
                       description="Regenerate catalog/schemas/*.schema.json from the models.")
    p.set_defaults(run=cmd_schemas)
