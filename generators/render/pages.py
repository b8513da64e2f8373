"""Catalog entries to Markdown pages, in memory: one template per kind, one index per kind."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property, partial
from typing import Any
from urllib.parse import quote

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context

from ..load.catalog import Catalog
from ..load.citations import citation_html, citation_markdown, prose_text, value_anchor
from ..load.governance import ENDED, active_exception, next_review, overdue
from ..models import KINDS, Entry
from ..models.architecture import Architecture, DiagramCluster, drawn_as
from ..models.common import SLUG_PATTERN
from ..models.exception import StandardException
from ..models.framework import Crosswalk, Framework, item_anchor
from ..models.graph import Graph
from ..models.initiative import Initiative
from ..models.kpi import Kpi
from ..models.measurements import number
from ..models.standard import Standard
from ..models.tool import Tool
from ..reserved import GUIDE_PAGE, INDEX_PAGE, RADAR_PAGE
from ..resolve.ai_act import obligations
from ..resolve.alignment import alignment, coverage
from ..resolve.changes import ChangesByVersion, entry_history
from ..resolve.dashboards import InitiativeRow, dashboards
from ..resolve.dashboards import exceptions as exception_rows
from ..resolve.health import health_report
from ..resolve.kpi_status import STATUSES, Point, kpi_status
from ..resolve.portfolio import gap_report
from ..text import Md, inline, inline_cited
from ..vocabulary import PROVIDERS, SHAPES, VIEW_TITLES, VOCABULARY
from .changes import what_changed_page
from .charts import bars
from .diagrams import node_service
from .kpi_charts import chart, spark, summary
from .printable import printable
from .radar import KEY, Blip, current_tools, latest_moves, legend, place, quadrant_title, radar_svg
from .relations import relation_list

#: Generated files, relative to the generated folder: Markdown pages, SVG diagrams, icons.
Pages = dict[str, str | bytes]

#: The most cells a matrix page draws as a grid. A larger one (a catalog of hundreds of architectures and standards)
#: would be unreadable as a grid and grow with the product of its sides: it is shown as its list, which grows with the
#: links alone.
GRID_CELLS = 2_500
#: The first line of every generated page's body: the site build cleans the HTML of the pages that carry it
#: (generators/site/sanitize.py, a Markdown extension, so under any engine).
GENERATED_MARK = "<!-- playbook: generated page, its HTML is sanitised -->"
#: A page's front matter, as MkDocs tells it from the body (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def mark_generated(text: str) -> str:
    """`text` with the generated pages' mark as the first line after its front matter."""
    match = _FRONT_MATTER.match(text)
    end = match.end() if match else 0
    return f"{text[:end]}{GENERATED_MARK}\n{text[end:]}"


def page_path(entry: Entry) -> str:
    """The entry's page, relative to the generated folder."""
    return f"{entry.folder}/{entry.id}.md"


def page_url(entry: Entry) -> str:
    """The entry's page URL relative to the generated folder (directory URLs)."""
    return f"{entry.folder}/{entry.id}/"


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process: a server renders every page again at each edit.

    Jinja keys each template by its name and the checksum of its source, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Renderer:
    """Renders every page of one catalog; links are relative so any base URL works."""

    def __init__(self, catalog: Catalog, graph: Graph, today: dt.date, history: ChangesByVersion,
                 edit_base: str | None = None, measured: Mapping[str, Sequence[Point]] | None = None,
                 retired: Mapping[str, dt.date] | None = None) -> None:
        self.catalog = catalog
        self.retired = retired or {}
        self.measured = measured or {}
        self.edit_base = edit_base
        self.graph = graph
        self.today = today
        self.history = history
        self.entry_history = entry_history(history)
        self.env = Environment(
            loader=ChoiceLoader([PackageLoader("generators.render", "templates"),
                                 FileSystemLoader([m.templates for m in KINDS if m.templates])]),
            bytecode_cache=_COMPILED,
            undefined=StrictUndefined,
            finalize=self.finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.env.filters["prose"] = self.prose
        self.env.filters["plain"] = self.plain
        self.env.globals.update(
            link=self.link, links=self.links, crosswalks=self.crosswalks, item_anchor=item_anchor, value_anchor=value_anchor, rule_link=self.rule_link, owners=self.owners, badge=self.badge, slug=self.slug, url=self.url, bullets=self.bullets,
            diagram_views=self.diagram_views, diagram_groups=self.diagram_groups, diagram_label=self.diagram_label,
            diagram_components=self.diagram_components,
            shape_legend="; ".join(f"{shape.name} for {shape.meaning}" for shape in SHAPES.values()),
            clouds=VIEW_TITLES, kpi_chart=lambda status: Md(chart(status)), kpi_spark=lambda status: Md(spark(status)),
            kpi_summary=summary, kpi_statuses=STATUSES, number=lambda value: Md(number(value)), readiness_bars=self.readiness_bars,
        )

    # -- helpers the templates call -------------------------------------------

    def finalize(self, value: Any) -> Any:
        """Escape every value a template prints unless it is already safe Markdown; citations in it become links."""
        if isinstance(value, Md):
            return value
        if value is None:
            return ""
        return self.line(str(value))

    def plain(self, text: str) -> Md:
        """A line of catalog text where a link cannot sit (a heading, a link's own text): each citation as the words
        a page shows for it, unlinked."""
        return inline(prose_text(self.catalog, text))

    def line(self, text: str) -> Md:
        """A line of catalog text for any inline Markdown context, each citation in it a link (generated pages sit
        one folder below the site's root)."""
        return inline_cited(text, partial(citation_markdown, self.catalog))

    @pass_context
    def prose(self, context: Context, markdown: str) -> Md:
        """A prose field of the page's entry; each citation in it links from that page to what it cites."""
        up = "../" * page_url(context["entry"]).count("/")
        return self.catalog.prose.html(markdown, partial(citation_html, self.catalog, lambda entry: up + page_url(entry)))

    def link(self, target: str) -> Md:
        """A Markdown link to an entry (or to a checklist item, as 'checklist#item'); what the edition leaves out is unavailable."""
        entry_id, _, item_id = target.partition("#")
        entry = self.catalog.entries.get(entry_id)
        if entry is None:
            return Md("*unavailable in this edition*")
        href = f"../{page_path(entry)}"
        text = inline(entry.title)
        if item_id:
            item = next(i for i in getattr(entry, "items") if i.id == item_id)
            href += f"#{item_id}"
            text = Md(f"{text}: {self.plain(item.title)}")
        return Md(f"[{text}]({href})")

    def rule_link(self, standard: str, rule: str) -> Md:
        """A link to one rule of a standard; unavailable when the edition leaves either out."""
        entry = self.catalog.entries.get(standard)
        if entry is None or rule not in {r.id for r in getattr(entry, "rules", [])}:
            return Md("*unavailable in this edition*")
        return Md(f"[{inline(rule)}](../{page_path(entry)}#{rule})")  # ids are slugs: safe in a URL

    def crosswalks(self, crosswalks: Iterable[Crosswalk]) -> Md:
        """Each framework item a crosswalk cites, linked to its row on the framework's alignment page."""
        shown = []
        for crosswalk in crosswalks:
            framework = self.catalog.entries.get(crosswalk.framework)
            if framework is None:
                continue  # left out of this edition
            shown.append(f"[{inline(framework.title)}: {inline(crosswalk.id)}](../{page_path(framework)}"
                         f"#{item_anchor(crosswalk.id)})")
        return Md(", ".join(shown))

    def links(self, targets: Iterable[str]) -> Md:
        return Md(", ".join(self.link(t) for t in targets))

    def owners(self, entry: Entry) -> Md:
        return self.links(entry.owners)

    def facets(self, entry: Entry) -> dict[str, Any]:
        """What search shows and filters an entry by (overrides/main.html writes them into the page for Pagefind):
        its kind, status, owners, tags and clouds, its id and its summary, as the page itself shows them."""
        teams = self.catalog.entries
        clouds = ([VIEW_TITLES[p] for p in entry.diagram.providers]
                  if isinstance(entry, Architecture) and entry.diagram is not None else [])
        return {"id": entry.id, "kind": entry.singular, "status": entry.status,
                "owners": [teams[o].title for o in entry.owners if o in teams],
                "tags": list(entry.tags), "clouds": clouds,
                "summary": " ".join(prose_text(self.catalog, entry.summary).split())}

    def bullets(self, items: Iterable[str]) -> Md:
        """A Markdown list of lines of catalog text."""
        return Md("\n".join(f"- {self.line(item)}" for item in items))

    @staticmethod
    def diagram_views(entry: Architecture) -> list[dict[str, str]]:
        """One tab per view: its title, the SVG file next to the page, and the image's text alternative."""
        assert entry.diagram is not None
        return [
            {"title": VIEW_TITLES[view], "file": Md(f"{entry.id}.{view}.svg"),
             "alt": f"Architecture diagram, {VIEW_TITLES[view]} view"}
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
    def diagram_components(entry: Architecture) -> list[dict[str, Any]]:
        """One row per node: the component, what it does (its component's responsibility, else what its kind is), and
        the service it runs on in each cloud the diagram is drawn for ("—" for a cloud it is not drawn for)."""
        assert entry.diagram is not None
        does = {component.name.casefold(): component.responsibility for component in entry.components}
        rows = []
        for node in entry.diagram.nodes:
            kind = VOCABULARY[node.kind]
            clouds = ["—" if provider not in entry.diagram.providers else
                      node_service(node, provider) or ("outside the cloud" if kind.outside else "none")
                      for provider in PROVIDERS]
            rows.append({"node": node, "does": does.get(drawn_as(node).casefold(), kind.description), "clouds": clouds})
        return rows

    @staticmethod
    def diagram_label(entry: Architecture, node_id: str) -> str:
        assert entry.diagram is not None
        return next(node.label for node in entry.diagram.nodes if node.id == node_id)

    def readiness_bars(self, rows: list[InitiativeRow]) -> Md:
        """The initiatives' readiness as bars, named for a screen reader; the table below gives the same numbers."""
        values = [(prose_text(self.catalog, row.initiative.title), row.readiness or 0.0) for row in rows]
        return Md(bars(values, "readiness", "Readiness of each initiative",
                       "Share of applicable checklist items answered done: "
                       + "; ".join(f"{label} {number(value)}%" for label, value in values) + "."))

    @staticmethod
    def badge(entry: Entry) -> Md:
        """An entry's status as the badge its kind declares; statuses are fixed words of the models, never free text."""
        return Md(f'<span class="pb-badge pb-badge--{entry.badges[entry.status]}">{inline(entry.status)}</span>')

    @staticmethod
    def slug(value: str) -> Md:
        """An id checked against the slug pattern, safe in HTML attributes and code spans."""
        if not re.fullmatch(SLUG_PATTERN, value):
            raise ValueError(f"not a slug: {value!r}")
        return Md(value)

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
                lines.extend(f"  - {json.dumps(item, ensure_ascii=False)}" for item in value)
            else:
                lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        return Md("\n".join(lines))

    def entry_page(self, entry: Entry) -> str:
        template = self.env.get_template(f"{entry.kind}.md.j2")
        source, origin = self.catalog.files[entry.id], self.catalog.origins.get(entry.id)
        # an entry of a synced source is edited in its own repository, when that has a web address
        edit = (origin.edit_url if origin else self.edit_base + source) if self.edit_base else None
        return template.render(
            entry=entry,
            front_matter=self.front_matter(**({"catalog_source": source} if self.edit_base and not origin else {}),
                                           tags=list(entry.tags), facets=self.facets(entry)),
            entry_id=self.slug(entry.id),
            source=source,
            origin=origin,
            edit_url=self.url(edit) if edit else None,
            kind_link=Md(f"[{inline(entry.singular)}](index.md)"),
            related=relation_list(self.catalog, self.graph, entry.id),
            next_review=next_review(entry),
            overdue=entry.status not in ENDED and overdue(entry, self.today),
            neighbourhood=Md(f"../{entry.id}.relations.svg"),
            history=self.entry_history.get(entry.id, []),
            **self.extra_context(entry),
        )

    @cached_property
    def exceptions(self) -> dict[str, list[StandardException]]:
        """The exceptions to each standard, by its id: found once, not once per standard."""
        found: dict[str, list[StandardException]] = {}
        for exception in self.catalog.of_kind(StandardException):
            found.setdefault(exception.standard, []).append(exception)  # type: ignore[attr-defined]
        return found

    def extra_context(self, entry: Entry) -> dict[str, Any]:
        """What some kinds' pages show besides their own fields."""
        if isinstance(entry, Standard):
            exceptions = [e for e in self.exceptions.get(entry.id, ()) if active_exception(e, self.today)]
            return {"exceptions": sorted(exceptions, key=lambda e: e.expires)}
        if isinstance(entry, Kpi):
            return {"status": kpi_status(self.catalog, entry, self.today, self.measured.get(entry.id, ()))}
        if isinstance(entry, Framework):
            return {"alignment": alignment(self.catalog, entry), "coverage": coverage(self.catalog, entry),
                    "dated": any(item.date for item in entry.items)}
        if isinstance(entry, Initiative):
            exceptions = [e for e in self.catalog.of_kind(StandardException) if e.initiative == entry.id]  # type: ignore[attr-defined]
            return {"gaps": gap_report(self.catalog, entry), "exceptions": sorted(exceptions, key=lambda e: e.id),
                    "obligations": obligations(self.catalog, entry, self.today),
                    "active": lambda e: active_exception(e, self.today)}
        return {}

    def index_page(self, model: type[Entry]) -> str:
        entries = sorted(self.catalog.of_kind(model), key=lambda e: (e.title.lower(), e.id))
        extra = {Architecture: Md("Not sure which one fits? Start from the [decision guide](guide.md)."),
                 Tool: Md("The same tools on one picture: the [technology radar](radar.md).")}.get(model)
        template = self.env.select_template([f"{model.kind}-index.md.j2", "index.md.j2"])
        return template.render(
            model=model, entries=entries, description=model.blurb, extra_link=extra,
            front_matter=self.front_matter(catalog_index=model.kind), **self.index_context(model),
        )

    def index_context(self, model: type[Entry]) -> dict[str, Any]:
        """What some kinds' indexes show besides their entries: the exception register, its rows by expiry."""
        if model is StandardException:
            return {"rows": exception_rows(self.catalog, self.today)}
        return {}

    def home_page(self) -> str:
        sections = [
            {"link": Md(f"[{inline(m.label)}]({m.folder}/index.md)"), "count": len(self.catalog.of_kind(m)), "description": m.blurb}
            for m in KINDS
        ]
        return self.env.get_template("home.md.j2").render(sections=sections, front_matter=self.front_matter(catalog_index="home"))

    def governance_pages(self) -> dict[str, str]:
        """Traceability matrices, review due and the portfolio dashboard, laid out from their data (the exception register
        is the exceptions' kind index)."""
        board = dashboards(self.catalog, self.graph, self.today, self.measured)

        def page(name: str, title: str) -> str:
            front = self.front_matter(catalog_index=f"governance-{name}", title=title)
            return self.env.get_template(f"governance/{name}.md.j2").render(front_matter=front, board=board,
                                                                              today=self.today, grid_cells=GRID_CELLS)

        blips, version = self.radar()
        report = health_report(self.catalog, self.today, self.measured)
        health = self.env.get_template("governance/health-report.md.j2").render(
            front_matter=self.front_matter(catalog_index="governance-health-report", title="Quarterly health report"),
            report=report, moves=[b for b in blips if b.moved_from], version=version)
        return {
            "governance/index.md": page("index", "Governance"),
            "governance/health-report.md": health,
            "governance/health-report.html": printable(health, f"Quarterly architecture health report: {report.quarter}"),
            "governance/threat-coverage.md": page("threat-coverage", "Threat coverage"),
            "governance/architecture-standards.md": page("architecture-standards", "Architectures × standards"),
            "governance/checklist-standards.md": page("checklist-standards", "Checklists × standards"),
            "governance/kpi-coverage.md": page("kpi-coverage", "KPI coverage"),
            "governance/review-due.md": page("review-due", "Review due"),
            "governance/portfolio.md": page("portfolio", "Portfolio dashboard"),
            "governance/ai-act.md": page("ai-act", "EU AI Act calendar"),
        }

    def radar(self) -> tuple[list[Blip], str]:
        """The blips of the current tools and the version whose ring moves they mark."""
        version, moved, _ = latest_moves(self.history)
        return place(current_tools(self.catalog), moved), version

    def radar_files(self) -> Pages:
        blips, version = self.radar()
        front = self.front_matter(catalog_index="radar", title="Technology radar")
        page = self.env.get_template("radar.md.j2").render(
            front_matter=front, blips=blips, version=version, moved=sum(1 for b in blips if b.moved_from),
            quadrant=quadrant_title, legend=legend(blips), key=KEY)
        svg = radar_svg(blips, {b.tool.id: f"{b.tool.id}/" for b in blips})
        return {f"{Tool.folder}/{RADAR_PAGE}.md": page, f"{Tool.folder}/{RADAR_PAGE}.svg": svg}

    def guide_page(self) -> str:
        """The decision guide: each current reference architecture, by title, with the situations it fits and those it
        does not, and the clouds it is drawn for."""
        architectures = sorted(self.catalog.of_kind(Architecture), key=lambda e: (e.title.lower(), e.id))
        current = [a for a in architectures if a.status not in ENDED]
        front = self.front_matter(catalog_index="architecture-guide", title="Which reference architecture fits?")
        return self.env.get_template("guide.md.j2").render(front_matter=front, architectures=current, clouds=VIEW_TITLES)

    def changes_page(self) -> str:
        front = self.front_matter(catalog_index="changes", title="What changed")
        body = what_changed_page(self.history, existing=self.catalog.entries.keys(), retired=self.retired)
        return f"---\n{front}\n---\n\n{body}"

    def shared_pages(self) -> Pages:
        """The pages about the whole catalog: home, what changed, governance, radar, guide and the kind indexes."""
        out: Pages = {"index.md": self.home_page(), "changes.md": self.changes_page(), **self.governance_pages(),
                      **self.radar_files(), f"{Architecture.folder}/{GUIDE_PAGE}.md": self.guide_page()}
        for model in KINDS:
            out[f"{model.folder}/{INDEX_PAGE}.md"] = self.index_page(model)
        return out

    def entry_pages(self, entries: Iterable[Entry]) -> Pages:
        return {page_path(entry): self.entry_page(entry) for entry in entries}
