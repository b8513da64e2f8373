"""How big a built site is, by what it holds, and how many versions of it fit in what GitHub Pages publishes.

    .venv/bin/python -m benchmarks.sizes SITE [SITE...]

prints a Markdown table: one row per site, its bytes by category, its pages, and the versions that fit in 1 GB.
With more than one site, each row after the first also counts the bytes of its files that are the same, path and
content, in the first site: what versions of one catalog could share.

`playbook publish` keeps a whole copy of the site for each version on the publishing branch (mike), and
"Published GitHub Pages sites may be no larger than 1 GB"
(https://docs.github.com/en/pages/getting-started-with-github-pages/github-pages-limits, "Usage limits"):
the versions that fit are LIMIT divided by one version's size.
"""

from __future__ import annotations

import argparse
import os
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generators.load.pages import DOWNLOADS

#: GitHub Pages' limit on a published site, in bytes (1 GB).
LIMIT = 1_000_000_000
#: What a site holds, in the order the table shows it:
#: pages: the HTML pages; search: Pagefind's index and interface (pagefind/);
#: diagrams: the SVG drawings, the icons and the font they use; exports: the files other tools read (catalog.json,
#: llms.txt, playbook.txt, the schemas, CSV tables, templates); assets: the theme's and the site's own scripts, style
#: sheets and images (assets/); other: the rest (the tags list, the sitemap).
CATEGORIES = ("pages", "search", "diagrams", "exports", "assets", "other")
#: Beside a drawing: the folders of the icons and of the font its text is drawn in.
DIAGRAM_FOLDERS = frozenset({"diagram-icons", "fonts"})


def category(path: PurePosixPath) -> str:
    """The category of a file of a site, by its path inside the site."""
    if path.parts[0] == "pagefind":
        return "search"
    if path.parts[0] == "assets":
        return "assets"
    if path.suffix == ".html":
        return "pages"
    if path.suffix == ".svg" or DIAGRAM_FOLDERS.intersection(path.parts[:-1]):
        return "diagrams"
    if path.suffix in (*DOWNLOADS, ".csv") and len(path.parts) > 1:  # the site's root holds MkDocs' own files
        return "exports"
    return "other"


@dataclass(frozen=True)
class SiteSize:
    """A built site's bytes by category (every one of CATEGORIES), its pages and the sizes of its HTML pages."""

    bytes: dict[str, int]
    pages: int
    page_mean: float
    page_median: float

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    @property
    def versions(self) -> int:
        """How many versions of this size fit in LIMIT."""
        return LIMIT // self.total if self.total else 0


def files(site: Path) -> Iterator[tuple[PurePosixPath, Path]]:
    """Every plain file of the site, by its path inside it, sorted; links are never followed."""
    for top, folders, names in os.walk(site):
        folders[:] = sorted(name for name in folders if not (Path(top) / name).is_symlink())
        for name in sorted(names):
            path = Path(top) / name
            if not path.is_symlink() and path.is_file():
                yield PurePosixPath(path.relative_to(site).as_posix()), path


def site_size(site: Path) -> SiteSize:
    """Measure the built site in `site`."""
    found = dict.fromkeys(CATEGORIES, 0)
    pages: list[int] = []
    for inside, path in files(site):
        size = path.stat().st_size
        found[category(inside)] += size
        if inside.suffix == ".html":
            pages.append(size)
    return SiteSize(found, len(pages), statistics.fmean(pages) if pages else 0.0,
                    statistics.median(pages) if pages else 0.0)


def shared_bytes(site: Path, other: Path) -> int:
    """The bytes of the files of `site` that `other` holds too, at the same path and with the same content."""
    same = 0
    for inside, path in files(site):
        twin = other.joinpath(*inside.parts)
        if twin.is_file() and not twin.is_symlink() and twin.stat().st_size == path.stat().st_size \
                and twin.read_bytes() == path.read_bytes():
            same += path.stat().st_size
    return same


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f}"


def table(sites: list[Path]) -> str:
    """The Markdown table of the sites' sizes (MB are 1,000,000 bytes; a page's size in KB, 1,000 bytes)."""
    head = ["site", "total MB", "versions in 1 GB", "pages", "mean page KB", "median page KB",
            *(f"{name} MB" for name in CATEGORIES), "same as the first, MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for index, site in enumerate(sites):
        size = site_size(site)
        shared = _mb(shared_bytes(site, sites[0])) if index else ""
        cells = [str(site), _mb(size.total), str(size.versions), f"{size.pages:,}", f"{size.page_mean / 1e3:,.1f}",
                 f"{size.page_median / 1e3:,.1f}", *(_mb(size.bytes[name]) for name in CATEGORIES), shared]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sizes",
                                     description="Measure built sites: bytes by category, pages, versions in 1 GB.")
    parser.add_argument("sites", metavar="SITE", nargs="+", type=Path, help="a built site's folder, e.g. site/")
    args = parser.parse_args(argv)
    missing = [str(site) for site in args.sites if not site.is_dir()]
    if missing:
        parser.error(f"not a folder: {', '.join(missing)}; give the folder a build wrote, e.g. site/")
    print(table(args.sites))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
