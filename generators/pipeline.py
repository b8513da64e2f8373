"""The pipeline, top to bottom: load, validate, resolve, draw, render, write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .drawing import Drawable, DrawStats, Job, draw_all, icon_bytes, icons_used, jobs_for
from .graph import Graph
from .downloads import download_files
from .export import site_files
from .neighbourhood import neighbourhood_jobs
from .releases import ChangesByVersion, Release, current_release, published_history
from .policy import check_governance, load_policy
from .models.architecture import Architecture
from .render import Pages, page_url, render
from .validate import Catalog, load_catalog
from .writer import WriteResult, write_pages

CATALOG_DIR = "catalog"
OUTPUT_DIR = "docs/playbook"
CACHE_DIR = ".playbook-cache"
ICONS_DIR = "diagram-icons"
DEFAULT_BRANCH = "gh-pages"


@dataclass(frozen=True)
class Project:
    """Where a playbook lives: its catalog, the folder the generator owns, and its cache."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / CATALOG_DIR

    @property
    def output(self) -> Path:
        return self.root / OUTPUT_DIR

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"


def check(project: Project, today: dt.date | None = None, strict_reviews: bool = False) -> tuple[Catalog, Report]:
    """Load and validate the whole catalog, then apply the governance rules as of `today`."""
    catalog, report = load_catalog(project.root, project.catalog)
    policy = load_policy(project.root, today or dt.date.today(), strict_reviews)
    report.extend(check_governance(catalog, catalog.graph, policy, complete=not report.errors))
    return catalog, report


def diagram_jobs(catalog: Catalog) -> list[Job]:
    """Every view of every architecture diagram; linked nodes point at their entry's page."""
    jobs = []
    for architecture in catalog.of_kind(Architecture):
        assert isinstance(architecture, Architecture)
        if architecture.diagram is None:
            continue
        links = {node.id: "../" + page_url(catalog.entries[node.ref])
                 for node in architecture.diagram.nodes if node.ref in catalog.entries}
        jobs.extend(jobs_for(architecture, links, icons=f"../{ICONS_DIR}/"))
    return jobs


def generate_pages(catalog: Catalog, cache: Path | None = None, progress: Callable[[int, int], None] | None = None,
                   today: dt.date | None = None, history: ChangesByVersion = (),
                   release: Release | None = None) -> tuple[Graph, Pages, DrawStats]:
    """Resolve the relation graph, draw the diagrams and render every page, all in memory."""
    graph = catalog.graph
    jobs: list[Drawable] = [*diagram_jobs(catalog), *neighbourhood_jobs(catalog, graph)]
    drawings, stats = draw_all(jobs, cache / "diagrams" if cache else None, progress=progress)
    pages: Pages = dict(render(catalog, graph, today or dt.date.today(), list(history)))
    pages.update(site_files(catalog, graph, release))
    pages.update(download_files(catalog))
    pages.update(drawings)
    icons = {icon for svg in drawings.values() for icon in icons_used(svg, f"../{ICONS_DIR}/")}
    pages.update({f"{ICONS_DIR}/{icon}": icon_bytes(icon) for icon in icons})  # copied once, shared by every diagram
    return graph, dict(sorted(pages.items())), stats


def generate(project: Project, progress: Callable[[int, int], None] | None = None, today: dt.date | None = None,
             strict_reviews: bool = False) -> tuple[Report, WriteResult | None, DrawStats | None]:
    """Check, draw, render and write; nothing is written when the catalog has errors."""
    catalog, report = check(project, today, strict_reviews)
    if report.errors:
        return report, None, None
    release = current_release()
    history = published_history(project.root, release.branch if release else DEFAULT_BRANCH,
                                (release.version, release.commit) if release else None)
    _, pages, stats = generate_pages(catalog, project.cache, progress, today, history, release)
    return report, write_pages(project.output, pages), stats
