"""Catalog entries to Markdown pages, in memory: one template per kind, one index per kind."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from .graph import Graph
from .models import KINDS, Entry
from .models.architecture import Architecture, DiagramCluster
from .vocabulary import VIEW_TITLES
from .text import Md, inline, prose
from .validate import Catalog

#: Generated files, relative to the generated folder: Markdown pages, SVG diagrams, icons.
Pages = dict[str, str | bytes]


def _finalize(value: Any) -> Any:
    """Escape every value a template prints unless it is already safe Markdown."""
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return inline(str(value))


def page_path(entry: Entry) -> str:
    """The entry's page, relative to the generated folder."""
    return f"{entry.folder}/{entry.id}.md"


def page_url(entry: Entry) -> str:
    """The entry's page URL relative to the generated folder (directory URLs)."""
    return f"{entry.folder}/{entry.id}/"


class Renderer:
    """Renders every page of one catalog; links are relative so any base URL works."""

    def __init__(self, catalog: Catalog, graph: Graph) -> None:
        self.catalog = catalog
        self.graph = graph
        self.env = Environment(
            loader=PackageLoader("generators", "templates"),
            undefined=StrictUndefined,
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.env.filters["prose"] = prose
        self.env.globals.update(
            link=self.link, links=self.links, status=self.status, url=self.url, bullets=self.bullets, related=self.related,
            diagram_views=self.diagram_views, diagram_groups=self.diagram_groups, diagram_label=self.diagram_label,
        )

    # -- helpers the templates call -------------------------------------------

    def link(self, target: str) -> Md:
        """A Markdown link to an entry (or to a checklist item, as 'checklist#item')."""
        entry_id, _, item_id = target.partition("#")
        entry = self.catalog.entries[entry_id]
        href = f"../{page_path(entry)}"
        text = inline(entry.title)
        if item_id:
            item = next(i for i in getattr(entry, "items") if i.id == item_id)
            href += f"#{item_id}"
            text = Md(f"{text}: {inline(item.title)}")
        return Md(f"[{text}]({href})")

    def links(self, targets: Iterable[str]) -> Md:
        return Md(", ".join(self.link(t) for t in targets))

    @staticmethod
    def bullets(items: Iterable[str]) -> Md:
        """A Markdown list of plain-text items."""
        return Md("\n".join(f"- {inline(item)}" for item in items))

    def related(self, title: str, ids: list[str]) -> Md:
        """A section listing links to related entries; nothing when there are none."""
        if not ids:
            return Md("")
        return Md(f"\n## {inline(title)}\n\n" + "\n".join(f"- {self.link(i)}" for i in ids))

    @staticmethod
    def diagram_views(entry: Architecture) -> list[dict[str, str]]:
        """One tab per view: its title, the SVG file next to the page, and the image's text alternative."""
        assert entry.diagram is not None
        return [
            {"title": VIEW_TITLES[view], "file": Md(f"{entry.id}.{view}.svg"),
             "alt": f"{entry.title}: {VIEW_TITLES[view]} view"}
            for view in ("neutral", *entry.diagram.providers)
        ]

    @staticmethod
    def diagram_groups(entry: Architecture) -> dict[str, str]:
        """The cluster path of every node, e.g. 'Platform / Retrieval'; empty outside clusters."""
        assert entry.diagram is not None
        groups = {node.id: "" for node in entry.diagram.nodes}

        def visit(clusters: list[DiagramCluster], path: tuple[str, ...]) -> None:
            for cluster in clusters:
                here = (*path, cluster.label)
                for node_id in cluster.nodes:
                    groups[node_id] = " / ".join(here)
                visit(cluster.clusters, here)

        visit(entry.diagram.clusters, ())
        return groups

    @staticmethod
    def diagram_label(entry: Architecture, node_id: str) -> str:
        assert entry.diagram is not None
        return next(node.label for node in entry.diagram.nodes if node.id == node_id)

    @staticmethod
    def status(value: str) -> Md:
        return Md(f"`{value}`")

    @staticmethod
    def url(value: str) -> Md:
        return Md(quote(value, safe=":/?#[]@!$&'()*+,;=%~"))

    # -- pages ------------------------------------------------------------------

    def front_matter(self, **values: Any) -> Md:
        """YAML front matter; every value is JSON, which YAML reads as it is."""
        lines = []
        for key, value in values.items():
            if isinstance(value, list):
                lines.append(f"{key}:" + ("" if value else " []"))
                lines.extend(f"  - {json.dumps(item)}" for item in value)
            else:
                lines.append(f"{key}: {json.dumps(value)}")
        return Md("\n".join(lines))

    def referenced_by(self, entry_id: str) -> list[tuple[str, list[str]]]:
        sources = [self.catalog.entries[s] for s in self.graph.referenced_by(entry_id)]
        groups = []
        for model in KINDS:
            ids = [s.id for s in sources if isinstance(s, model)]
            if ids:
                groups.append((model.label, ids))
        return groups

    def entry_page(self, entry: Entry) -> str:
        template = self.env.get_template(f"{entry.kind}.md.j2")
        return template.render(
            entry=entry,
            front_matter=self.front_matter(catalog_source=self.catalog.files[entry.id], tags=list(entry.tags)),
            kind_link=Md(f"[{inline(entry.singular)}](index.md)"),
            referenced_by=self.referenced_by(entry.id),
        )

    def index_page(self, model: type[Entry]) -> str:
        entries = sorted(self.catalog.of_kind(model), key=lambda e: (e.title.lower(), e.id))
        return self.env.get_template("index.md.j2").render(
            model=model, entries=entries, description=model.blurb,
            front_matter=self.front_matter(catalog_index=model.kind),
        )

    def home_page(self) -> str:
        sections = [
            {"link": Md(f"[{inline(m.label)}]({m.folder}/index.md)"), "count": len(self.catalog.of_kind(m)), "description": m.blurb}
            for m in KINDS
        ]
        return self.env.get_template("home.md.j2").render(sections=sections, front_matter=self.front_matter(catalog_index="home"))

    def pages(self) -> Pages:
        out: Pages = {"index.md": self.home_page()}
        for model in KINDS:
            out[f"{model.folder}/index.md"] = self.index_page(model)
        for entry in self.catalog.entries.values():
            out[page_path(entry)] = self.entry_page(entry)
        return dict(sorted(out.items()))


def render(catalog: Catalog, graph: Graph) -> Pages:
    """Every generated page of the catalog."""
    return Renderer(catalog, graph).pages()

