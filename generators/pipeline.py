"""The pipeline, top to bottom: load, validate, resolve, draw, render, write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .drawing import DrawStats, Job, draw_all, icon_bytes, icons_used, jobs_for
from .graph import Graph, build_graph
from .models.architecture import Architecture
from .render import Pages, page_url, render
from .validate import Catalog, load_catalog
from .writer import WriteResult, write_pages

CATALOG_DIR = "catalog"
OUTPUT_DIR = "docs/playbook"
CACHE_DIR = ".playbook-cache"
ICONS_DIR = "diagram-icons"


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


def check(project: Project) -> tuple[Catalog, Report]:
    """Load and validate the whole catalog."""
    return load_catalog(project.root, project.catalog)


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


def generate_pages(catalog: Catalog, cache: Path | None = None,
                   progress: Callable[[int, int], None] | None = None) -> tuple[Graph, Pages, DrawStats]:
    """Resolve the relation graph, draw the diagrams and render every page, all in memory."""
    graph = build_graph(catalog.entries)
    drawings, stats = draw_all(diagram_jobs(catalog), cache / "diagrams" if cache else None, progress=progress)
    pages: Pages = dict(render(catalog, graph))
    pages.update({f"{Architecture.folder}/{name}": svg for name, svg in drawings.items()})
    icons = {icon for svg in drawings.values() for icon in icons_used(svg, f"../{ICONS_DIR}/")}
    pages.update({f"{ICONS_DIR}/{icon}": icon_bytes(icon) for icon in icons})  # copied once, shared by every diagram
    return graph, dict(sorted(pages.items())), stats


def generate(project: Project, progress: Callable[[int, int], None] | None = None
             ) -> tuple[Report, WriteResult | None, DrawStats | None]:
    """Check, draw, render and write; nothing is written when the catalog has errors."""
    catalog, report = check(project)
    if report.errors:
        return report, None, None
    _, pages, stats = generate_pages(catalog, project.cache, progress)
    return report, write_pages(project.output, pages), stats
