"""The pipeline, top to bottom: load, validate, resolve, render, write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .graph import Graph, build_graph
from .render import Pages, render
from .validate import Catalog, load_catalog
from .writer import WriteResult, write_pages

CATALOG_DIR = "catalog"
OUTPUT_DIR = "docs/playbook"


@dataclass(frozen=True)
class Project:
    """Where a playbook lives: its catalog and the folder the generator owns."""

    root: Path

    @property
    def catalog(self) -> Path:
        return self.root / CATALOG_DIR

    @property
    def output(self) -> Path:
        return self.root / OUTPUT_DIR

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"


def check(project: Project) -> tuple[Catalog, Report]:
    """Load and validate the whole catalog."""
    return load_catalog(project.root, project.catalog)


def generate_pages(catalog: Catalog) -> tuple[Graph, Pages]:
    """Resolve the relation graph and render every page in memory."""
    graph = build_graph(catalog.entries)
    return graph, render(catalog, graph)


def generate(project: Project) -> tuple[Report, WriteResult | None]:
    """Check, render and write; nothing is written when the catalog has errors."""
    catalog, report = check(project)
    if report.errors:
        return report, None
    _, pages = generate_pages(catalog)
    return report, write_pages(project.output, pages)
