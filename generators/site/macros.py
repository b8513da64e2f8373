"""Macros for hand-written pages: quote live catalog facts inside prose.

A page opts in with `render_macros: true` in its front matter. Every value is
escaped for Markdown, so catalog text stays data inside a hand-written page.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..config import read_config
from ..diagnostics import closest
from ..load.citations import value_anchor
from ..load.governance import RULES
from ..load.pages import current, readable
from ..load.sources import read_source
from ..load.visibility import AUDIENCE_ENV, load_visibility
from ..models import BY_KIND, KINDS, Entry
from ..models.kpi import Kpi
from ..pipeline import check_edition
from ..project import Project
from ..render.facts import FACTS_FILE, facts_json, read_facts
from ..text import Md, inline
from ..vocabulary import CHECKED, PROVIDERS, SHAPES, VOCABULARY


class CatalogFacts:
    """The facts a hand-written page may quote, of the edition being built (PLAYBOOK_AUDIENCE).

    They come from the facts file `playbook generate` writes beside the pages; without it (a bare
    `mkdocs build`), from the catalog itself.
    """

    def __init__(self, root: Path, audience: str | None = None) -> None:
        project = Project(root)
        self.audience = load_visibility(read_config(root)).audience(audience).name
        entries = read_facts(project.output / FACTS_FILE, self.audience)
        if entries is None:  # no facts file, one of another edition, or a damaged one
            result, report = check_edition(project, self.audience, detail=False)
            if result is None:
                raise ValueError(f"the catalog has {len(report.errors)} errors; run 'playbook check'")
            entries = json.loads(facts_json(result.catalog, self.audience))["entries"]
        self.entries: dict[str, dict[str, Any]] = entries

    def entry(self, entry_id: str, kind: type[Entry] | None = None) -> dict[str, Any]:
        entry = self.entries.get(entry_id)
        if entry is None or (kind is not None and entry["kind"] != kind.kind):
            wanted = kind.noun() if kind else "entry"
            raise KeyError(f"no {wanted} has the id '{entry_id}' in the {self.audience} edition")
        return entry

    def link(self, entry_id: str, page_url: str) -> Md:
        """A link from the page at `page_url` (its path inside docs/) to an entry's page."""
        entry = self.entry(entry_id)
        depth = page_url.count("/")
        return Md(f"[{inline(entry['fields']['title'])}]({'../' * depth}playbook/{entry['page']})")

    def field(self, entry_id: str, name: str) -> Md:
        entry = self.entry(entry_id)
        if name not in entry["fields"]:
            if name in BY_KIND[entry["kind"]].model_fields:
                raise KeyError(f"'{name}' of '{entry_id}' is not a single value, or has none in the {self.audience} edition")
            raise KeyError(f"a {BY_KIND[entry['kind']].noun()} has no field '{name}'")
        return inline(entry["fields"][name])

    def value(self, name: str, page_url: str) -> Md:
        """A named value as its entry states it, linked to its definition from the page at `page_url`."""
        for entry in self.entries.values():
            if name in entry.get("values", {}):
                depth = page_url.count("/")
                return Md(f"[{inline(entry['values'][name])}]({'../' * depth}playbook/{entry['page']}#{value_anchor(name)})")
        hint = closest(name, [n for entry in self.entries.values() for n in entry.get("values", {})])
        raise KeyError(f"no named value is called '{name}' in the {self.audience} edition" + (f"; {hint}" if hint else ""))

    def count(self, kind: str) -> int:
        if kind not in BY_KIND:
            raise KeyError(f"unknown kind '{kind}'; kinds: {', '.join(m.kind for m in KINDS)}")
        return sum(1 for e in self.entries.values() if e["kind"] == kind)


#: The largest benchmark results file quoted on the Benchmarks page.
RESULTS_BYTES = 1_000_000
#: The Markdown tables the benchmark harnesses write under benchmarks/, by name.
BENCHMARK_FILES = ("results", "search")


def define_env(env: Any) -> None:
    """Entry point of mkdocs-macros."""
    facts = CatalogFacts(Path(env.project_dir), os.environ.get(AUDIENCE_ENV) or None)

    def page_url() -> str:
        """The page's path inside docs/ (MkDocs names it file.src_uri; Zensical, path)."""
        file = getattr(env.page, "file", None)
        return str(getattr(file, "src_uri", None) or env.page.path).replace("\\", "/")

    @env.macro
    def kpi_target(kpi_id: str) -> Md:
        """The target of a KPI, e.g. `{{ kpi_target("architecture-review-cycle-time") }}`."""
        return inline(facts.entry(kpi_id, Kpi)["fields"]["target"])

    @env.macro
    def value(name: str) -> Md:
        """A named value, linked to where its entry states it: `{{ value("agent-run-max-cost") }}`."""
        return facts.value(name, page_url())

    @env.macro
    def in_edition(entry_id: str) -> bool:
        """Whether the edition being built holds an entry: `{% if in_edition("0001-llm-provider-gateway") %}`."""
        return entry_id in facts.entries

    visibility, audience = current(Path(env.project_dir))  # read once per build, not once per call

    @env.macro
    def page_in_edition(path: str) -> bool:
        """Whether the edition being built holds a hand-written page, given by its path inside docs/."""
        return readable(Path(env.conf["docs_dir"]) / path, visibility, audience)

    @env.macro
    def entry_link(entry_id: str) -> Md:
        """A link to an entry's page, titled with the entry's title."""
        return facts.link(entry_id, page_url())

    @env.macro
    def entry_field(entry_id: str, name: str) -> Md:
        """One single-valued field of an entry, as text."""
        return facts.field(entry_id, name)

    @env.macro
    def diagram_vocabulary() -> Md:
        """The component kinds a diagram may use: the neutral view's shape and each cloud's service, with its source."""
        rows = ["| Kind | What it is | Neutral shape | AWS | Azure | Google Cloud |", "| --- | --- | --- | --- | --- | --- |"]
        for name, kind in sorted(VOCABULARY.items()):
            clouds = ["outside the cloud" if kind.outside else
                      f"[{inline(service.name)}]({service.source})" if (service := kind.service(p)) else "none"
                      for p in PROVIDERS]
            rows.append(f"| `{name}` | {inline(kind.description)} | {inline(SHAPES[kind.family].name)} | "
                        + " | ".join(clouds) + " |")
        return Md("\n".join(rows) + f"\n\nService names checked on {CHECKED} against the linked pages.")

    @env.macro
    def governance_rules() -> Md:
        """The governance rules with their codes and default severities."""
        rows = ["| Code | Default | Catches |", "| --- | --- | --- |"]
        rows += [f"| `{code}` | {severity or 'off'} | {inline(what)} |" for code, (severity, what) in RULES.items()]
        return Md("\n".join(rows))

    @env.macro
    def benchmark_results(harness: str = "results") -> Md:
        """The tables `make bench` wrote to benchmarks/results.md (the scale benchmark) or benchmarks/search.md
        (time to the first search result), or how to produce them."""
        if harness not in BENCHMARK_FILES:
            raise ValueError(f"no benchmark writes {harness!r}; known: {', '.join(BENCHMARK_FILES)}")
        path = Path(env.project_dir) / "benchmarks" / f"{harness}.md"
        if not path.exists() and not path.is_symlink():
            return Md("No results in this copy of the project yet: run `make bench`.")
        return Md(read_source(path, RESULTS_BYTES).decode("utf-8"))  # written by the harness; never through a link

    @env.macro
    def entry_count(kind: str) -> int:
        """How many entries of a kind the catalog holds."""
        return facts.count(kind)
