"""`playbook export`: the catalog, or parts of it, in the formats other tools read, written to a folder."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..config import read_config
from ..diagnostics import FORMATTERS
from ..history.releases import current_release, published_history
from ..history.snapshots import HistoryError
from ..load.catalog import Catalog
from ..load.visibility import load_visibility
from ..pipeline import check_edition
from ..project import Project
from ..render.calm import calm_files
from ..render.exports import catalog_data, catalog_json, csv_tables
from ..render.likec4 import likec4_files
from ..render.madr import madr_files
from ..render.mermaid import mermaid_files
from ..render.radar_exchange import backstage_radar, byor_csv
from ..render.wa_lens import wa_lens
from ..resolve.changes import ChangesByVersion
from ..resolve.editions import edition
from .audience import add_audience, bad_site_url


@dataclass(frozen=True)
class Context:
    """What an export may need beyond the edition's catalog: the latest published version's changes (`history`)
    and the published site's address (`site_url`, empty when not given)."""

    history: ChangesByVersion = field(default_factory=list)
    site_url: str = ""


def _json(catalog: Catalog, _: Context) -> dict[str, str]:
    # a CI job may name the release it exports for
    return {"catalog.json": catalog_json(catalog, catalog.graph, current_release(os.environ))}


def _yaml(catalog: Catalog, _: Context) -> dict[str, str]:
    data = catalog_data(catalog, catalog.graph, current_release(os.environ))  # JSON values only: YAML reads back the same
    return {"catalog.yaml": yaml.safe_dump(data, sort_keys=False, allow_unicode=True)}


@dataclass(frozen=True)
class Format:
    """One export format: what it writes (file names relative to the output folder, mapped to their text), and
    whether it needs the published history."""

    write: Callable[[Catalog, Context], dict[str, str]]
    help: str
    history: bool = False
    encoding: str = "utf-8"


#: Every export format, in the order `--help` lists them.
FORMATS: dict[str, Format] = {
    "json": Format(_json, "catalog.json, as the site publishes it (default)"),
    "yaml": Format(_yaml, "catalog.yaml, the same data"),
    # spreadsheets read UTF-8 only with a byte-order mark
    "csv": Format(lambda catalog, _: csv_tables(catalog), "<kind folder>.csv, one table per kind for spreadsheets",
                  encoding="utf-8-sig"),
    "backstage-radar": Format(lambda catalog, c: {"tech-radar.json": backstage_radar(catalog, c.history, c.site_url)},
                              "tech-radar.json for the Backstage tech-radar plugin", history=True),
    "byor": Format(lambda catalog, c: {"radar.csv": byor_csv(catalog, c.history)},
                   "radar.csv for Thoughtworks' Build Your Own Radar", history=True),
    "madr": Format(lambda catalog, _: madr_files(catalog), "adrs/<id>.md, every decision record as MADR 4 Markdown"),
    "wa-lens": Format(lambda catalog, c: wa_lens(catalog, c.site_url),
                      "wa-lens.json, the active checklists as an AWS Well-Architected Tool custom lens"),
    "calm": Format(lambda catalog, c: calm_files(catalog, c.site_url),
                   "calm/<id>.architecture.json, each reference architecture as a FINOS CALM 1.2 architecture"),
    "likec4": Format(lambda catalog, c: likec4_files(catalog, c.site_url),
                     "likec4/*.c4, the reference architectures as one LikeC4 project"),
    "mermaid": Format(lambda catalog, c: mermaid_files(catalog, c.site_url),
                      "mermaid/<id>.md, each reference architecture as a Mermaid flowchart for a README"),
}


def export_files(catalog: Catalog, fmt: str, history: ChangesByVersion | None = None, site_url: str = "") -> dict[str, str]:
    """File names mapped to their text for one export format."""
    return FORMATS[fmt].write(catalog, Context(history or [], site_url))


def cmd_export(project: Project, args: argparse.Namespace) -> int:
    if not args.output:
        print("error: name the folder to write to with -o DIR (it is created when missing)", file=sys.stderr)
        return 2
    if bad_site_url(args.site_url):  # a usage error, told before the catalog is checked
        return 2
    result, report = check_edition(project, args.audience, args.today, detail=False)
    if result is None:
        print(FORMATTERS["text"](report), file=sys.stdout)
        print("nothing exported: fix the errors above first", file=sys.stderr)
        return 1
    fmt = FORMATS[args.format]
    history = []
    if fmt.history:  # what moved in the latest version this edition published
        visibility = load_visibility(read_config(project.root))
        try:
            history = published_history(project.root, result.audience.branch,
                                        view=lambda catalog: edition(catalog, visibility, result.audience).catalog)
        except HistoryError as exc:  # a damaged versions.json or retired.json on the publishing branch
            print(f"error: {exc}; nothing exported", file=sys.stderr)
            return 1
    folder = Path(args.output)
    try:
        files = fmt.write(result.catalog, Context(history, args.site_url or ""))
        outside = [name for name in files if Path(name).is_absolute() or ".." in Path(name).parts]
        if outside:  # a name built from catalog text stays inside the folder; checked before anything is written
            raise ValueError(f"an export named a file outside its folder: {outside[0]!r}")
        for name, text in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding=fmt.encoding, newline="") as handle:  # the csv module ends rows itself
                handle.write(text)
            print(f"wrote {target}", file=sys.stderr)
    except ValueError as exc:  # a format's own limit, with what to change
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write to {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def register(sub: Any) -> None:
    """Add `playbook export` to the subcommands."""
    p = sub.add_parser("export", help="write the catalog, or parts of it, in formats other tools read",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Check the catalog of one edition, then write it to DIR in one format. Nothing is "
                                   "written when the catalog has errors.",
                       epilog="formats:\n" + "\n".join(f"  {name:<16} {f.help}" for name, f in FORMATS.items()))
    p.add_argument("--format", choices=list(FORMATS), default="json", metavar="FORMAT",
                   help="what to write (default: json); the formats are listed below")
    p.add_argument("--site-url", metavar="URL", help="the published site's address, so that exported entries link to "
                                                    "their pages (backstage-radar and the formats that link)")
    p.add_argument("-o", "--output", metavar="DIR", help="the folder to write to, created when missing (required)")
    add_audience(p)
    p.set_defaults(run=cmd_export)
