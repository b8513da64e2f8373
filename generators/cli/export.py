"""`playbook export`: the catalog as JSON, YAML or one CSV table per kind, written to a folder."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from ..config import read_config
from ..diagnostics import FORMATTERS
from ..history.releases import current_release, published_history
from ..load.catalog import Catalog
from ..load.visibility import load_visibility
from ..pipeline import check_edition
from ..project import Project
from ..render.exports import catalog_data, catalog_json, csv_tables
from ..render.radar_exchange import backstage_radar, byor_csv
from ..resolve.changes import ChangesByVersion
from ..resolve.editions import edition
from .audience import add_audience

FORMATS = ("json", "yaml", "csv", "backstage-radar", "byor")


def export_files(catalog: Catalog, fmt: str, history: ChangesByVersion | None = None, site_url: str = "") -> dict[str, str]:
    """File names mapped to their text for one export format; the radar formats mark what moved in the latest
    published version (`history`) and link entries under `site_url`."""
    if fmt == "backstage-radar":
        return {"tech-radar.json": backstage_radar(catalog, history or [], site_url)}
    if fmt == "byor":
        return {"radar.csv": byor_csv(catalog, history or [])}
    graph, release = catalog.graph, current_release(os.environ)  # a CI job may name the release it exports for
    if fmt == "json":
        return {"catalog.json": catalog_json(catalog, graph, release)}
    if fmt == "yaml":
        data = catalog_data(catalog, graph, release)  # JSON values only, so YAML reads back the same
        return {"catalog.yaml": yaml.safe_dump(data, sort_keys=False, allow_unicode=True)}
    return csv_tables(catalog)


def cmd_export(project: Project, args: argparse.Namespace) -> int:
    if not args.output:
        print("error: name the folder to write to with -o DIR (it is created when missing)", file=sys.stderr)
        return 2
    result, report = check_edition(project, args.audience, args.today, detail=False)
    if result is None:
        print(FORMATTERS["text"](report), file=sys.stdout)
        print("nothing exported: fix the errors above first", file=sys.stderr)
        return 1
    if args.site_url and not re.fullmatch(r"https?://[^\s<>\"']+", args.site_url):
        print(f"error: --site-url must be an http or https address, not {args.site_url!r}", file=sys.stderr)
        return 2
    history = []
    if args.format in ("backstage-radar", "byor"):  # what moved in the latest version this edition published
        visibility = load_visibility(read_config(project.root))
        history = published_history(project.root, result.audience.branch,
                                    view=lambda catalog: edition(catalog, visibility, result.audience).catalog)
    folder = Path(args.output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in export_files(result.catalog, args.format, history, args.site_url or "").items():
            target = folder / name
            # CSV for spreadsheets: a byte-order mark so they read it as UTF-8; the csv module ends rows itself
            with target.open("w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as handle:
                handle.write(text)
            print(f"wrote {target}", file=sys.stderr)
    except OSError as exc:
        print(f"error: cannot write to {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def register(sub: Any) -> None:
    """Add `playbook export` to the subcommands."""
    p = sub.add_parser("export", help="write the catalog as JSON, YAML or one CSV table per kind",
                       description="Check the catalog, then write it to DIR: catalog.json (as the site publishes it), "
                                   "catalog.yaml (the same data), <kind folder>.csv for spreadsheets, or the "
                                   "technology radar for Backstage or Build Your Own Radar. "
                                   "Nothing is written when the catalog has errors.")
    p.add_argument("--format", choices=FORMATS, default="json",
                   help="json (default), yaml, csv, or the radar for other tools: backstage-radar (tech-radar.json for "
                        "the Backstage tech-radar plugin) or byor (radar.csv for Build Your Own Radar)")
    p.add_argument("--site-url", metavar="URL", help="with backstage-radar: the published site's address, so that each "
                                                    "radar entry links to its page")
    p.add_argument("-o", "--output", metavar="DIR", help="the folder to write to, created when missing (required)")
    add_audience(p)
    p.set_defaults(run=cmd_export)
