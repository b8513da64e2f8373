"""The pipeline, top to bottom: load, validate, resolve, draw, render, write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

from .config import CONFIG_FILE, Config, read_config
from .diagnostics import Diagnostic, Report
from .forked import jobs as processes_for
from .forked import run_forked, shares
from .heap import set_aside
from .history.measured import published_measurements
from .history.releases import published_history, retired_days
from .load.catalog import Catalog
from .load.entries import ParseCache, load_catalog
from .load.governance import Policy, check_governance, load_policy
from .load.pages import page_problems, site_problems
from .load.sources import source_problems
from .load.visibility import Audience, Visibility, check_levels, load_visibility
from .models import Entry
from .models.architecture import Architecture
from .models.graph import Graph
from .project import CATALOG_DIR, PARSED_FILE, Project, Release, edit_base, read_folders
from .render.diagrams import DrawStats, Job, draw_all, icon_bytes, icons_used, jobs_for, layout_warnings
from .render.downloads import download_files
from .render.exports import site_files
from .render.facts import FACTS_FILE, facts_json
from .render.font import FONT_URL, font_files
from .render.pages import Pages, Renderer, mark_generated, page_url
from .render.relations import relation_graphs
from .resolve.changes import ChangesByVersion
from .resolve.editions import Edition, edition, hidden_diagnostics
from .resolve.kpi_status import Point
from .write import fingerprint
from .write.lock import plain_folder
from .write.writer import WriteResult, write_pages, written_edition

ICONS_DIR = "diagram-icons"
#: From this many entries on, pages are rendered on every core.
PARALLEL_ENTRIES = 500


def _beside_catalog(project: Project) -> tuple[str, ...]:
    """The folders the build reads besides the catalog, whose files loading the catalog checks itself."""
    return tuple(folder for folder in read_folders(project) if folder != CATALOG_DIR)


def _check(project: Project, today: dt.date | None, strict_reviews: bool, jobs: int | None = None,
           config: Config | None = None, cache: ParseCache | None = None,
           unsafe: list[Diagnostic] | None = None) -> tuple[Catalog, Report, Policy, Visibility]:
    """`unsafe` is what a caller found scanning the folders beside the catalog; they are scanned when None."""
    config = config or read_config(project.root)
    catalog, report = load_catalog(project.root, project.catalog, jobs, cache)
    report.extend(source_problems(project.root, _beside_catalog(project)) if unsafe is None else unsafe)
    report.extend(site_problems(project.root))
    policy = load_policy(config, today or dt.date.today(), strict_reviews)
    visibility = load_visibility(config)
    report.extend(visibility.problems)
    report.extend(check_levels(catalog, visibility))
    report.extend(check_governance(catalog, catalog.graph, policy, complete=not report.errors))
    return catalog, report, policy, visibility


def _kept_parses(project: Project) -> Path | None:
    """Where the parses of the last run are kept; None when the cache folder is a link or not a folder (the run that
    writes the cache refuses it, and nothing is read or written through it)."""
    return project.cache / PARSED_FILE if plain_folder(project.cache) else None


def last_parses(project: Project) -> ParseCache:
    """What the last run kept of its parses (empty when nothing usable was kept), for a command that loads the
    catalog more than once and keeps the parses again with `keep_parses`."""
    kept = _kept_parses(project)
    return ParseCache.stored(kept) if kept is not None else ParseCache()


def keep_parses(project: Project, cache: ParseCache) -> None:
    """Keep what `cache` parsed for the next run (nothing is kept through a cache folder that is a link), and let go
    of the published versions' catalogs, which only generation reads."""
    cache.snapshots.clear()
    if (kept := _kept_parses(project)) is not None:
        cache.keep(kept)


def check(project: Project, today: dt.date | None = None, strict_reviews: bool = False) -> tuple[Catalog, Report]:
    """Load and validate the whole catalog, then apply the governance rules as of `today`; hand-written pages whose
    level cannot be read are reported too."""
    # in a project that has a cache folder (generate and build make it): what the last run parsed, and this run's kept
    cache = last_parses(project) if project.cache.is_dir() else None
    try:
        catalog, report, _, visibility = _check(project, today, strict_reviews, cache=cache)
    finally:
        if cache is not None:
            keep_parses(project, cache)
    report.extend(page_problems(project.root, visibility))
    return catalog, report


def check_edition(project: Project, audience: Audience | str | None = None, today: dt.date | None = None,
                  strict_reviews: bool = False, detail: bool = True, jobs: int | None = None,
                  config: Config | None = None, cache: ParseCache | None = None,
                  unsafe: list[Diagnostic] | None = None) -> tuple[Edition | None, Report]:
    """Check the catalog and cut the edition of `audience` (a name, or the configured default when None).

    The report adds what in the edition points at content it leaves out: each reference when `detail`
    is set, otherwise one line counting them; a refused diagram is always an error. With `detail`, it
    adds the hand-written pages whose level cannot be read (generation's shortcut replays the last
    run's report, which does not follow hand-written pages). The edition is None when the catalog or
    the audience has errors.
    """
    catalog, report, policy, visibility = _check(project, today, strict_reviews, jobs, config, cache, unsafe)
    if detail:
        report.extend(page_problems(project.root, visibility))
    try:
        chosen = audience if isinstance(audience, Audience) else visibility.audience(audience)
    except KeyError as exc:
        report.add(Diagnostic(CONFIG_FILE, 1, 1, "error", exc.args[0], "audiences", "", "audience"))
        return None, report
    if report.errors:
        return None, report
    result = edition(catalog, visibility, chosen)
    found = hidden_diagnostics(result, catalog, policy.severities["hidden-reference"], visibility.hidden_references)
    references = [d for d in found if d.code == "hidden-reference"]
    report.extend([d for d in found if d.code != "hidden-reference" or detail])
    if references and not detail:
        report.add(Diagnostic(CONFIG_FILE, 1, 1, "warning",
                              f"{len(references)} reference{'s' * (len(references) != 1)} in the {chosen.name} edition "
                              f"point at entries or items it leaves out", "",
                              f"playbook check --audience {chosen.name} lists them", "hidden-reference"))
    return (None if report.errors else result), report


def diagram_jobs(catalog: Catalog) -> list[Job]:
    """Every view of every architecture diagram; linked nodes point at their entry's page."""
    jobs = []
    for architecture in catalog.of_kind(Architecture):
        assert isinstance(architecture, Architecture)
        if architecture.diagram is None:
            continue
        links = {node.id: "../" + page_url(catalog.entries[node.ref])
                 for node in architecture.diagram.nodes if node.ref in catalog.entries}
        jobs.extend(jobs_for(architecture, links, icons=f"../{ICONS_DIR}/", font=FONT_URL))
    return jobs


def generate_pages(catalog: Catalog, cache: Path | None = None, progress: Callable[[int, int], None] | None = None,
                   today: dt.date | None = None, history: ChangesByVersion = (),
                   release: Release | None = None, edit_base: str | None = None,
                   jobs: int | None = None, measured: Mapping[str, Sequence[Point]] | None = None,
                   retired: Mapping[str, dt.date] | None = None) -> tuple[Graph, Pages, DrawStats]:
    """Resolve the relation graph, draw the diagrams and render every page, all in memory, on `jobs` processes
    (the free cores for a large catalog by default); `measured` holds the computed KPIs' values in published
    versions, `retired` the day each version taken off the publishing branch was retired."""
    graph = catalog.graph
    drawings, stats = draw_all(diagram_jobs(catalog), cache / "diagrams" if cache else None, progress=progress)
    renderer = Renderer(catalog, graph, today or dt.date.today(), list(history), edit_base=edit_base,
                        measured=measured or {}, retired=retired)
    entries = list(catalog.entries.values())
    processes = processes_for(len(entries), PARALLEL_ENTRIES, jobs)
    whole = [renderer.shared_pages, partial(site_files, catalog, graph, release), partial(relation_graphs, catalog, graph),
             partial(download_files, catalog)]

    def share(some_entries: Sequence[Entry], makers: Sequence[Callable[[], Pages]]) -> Pages:
        out = renderer.entry_pages(some_entries)
        for make in makers:
            out.update(make())
        return out

    pages: Pages = {}
    for part in run_forked([partial(share, *pair) for pair in zip(shares(entries, processes), shares(whole, processes))]):
        pages.update({name: mark_generated(page) if name.endswith(".md") and isinstance(page, str) else page
                      for name, page in part.items()})
    pages.update(drawings)
    icons = {icon for svg in drawings.values() for icon in icons_used(svg, f"../{ICONS_DIR}/")}
    pages.update({f"{ICONS_DIR}/{icon}": icon_bytes(icon) for icon in icons})  # copied once, shared by every diagram
    pages.update(font_files())  # the drawings' font and its licence, shipped with the site
    return graph, dict(sorted(pages.items())), stats


def generate(project: Project, progress: Callable[[int, int], None] | None = None, today: dt.date | None = None,
             strict_reviews: bool = False, audience: str | None = None, force: bool = False,
             release: Release | None = None, jobs: int | None = None,
             cache: ParseCache | None = None) -> tuple[Report, WriteResult | None, DrawStats | None]:
    """Check, cut the audience's edition, draw, render and write; nothing is written when the catalog has errors.

    `release` names the version `playbook publish` is making (None for any other build); `jobs` is how many
    processes share the work (the free cores for a large catalog when None); `cache` holds the parsed
    catalog files of a run that loads the catalog more than once (`playbook serve` between edits, `build` and
    `publish` for their leak check), which keeps them itself; without it, the parses the last run kept are read and
    kept again.

    When nothing generation reads has changed since the last run and its files are as it left them,
    nothing is loaded, drawn or written: the last run's diagnostics are reported again. `force`
    generates anyway (a server does, to have every file parsed once before the first edit).
    """
    # before the shortcut: a link added beside unchanged pages must stop the build too (one added to the
    # catalog changes the shortcut's key, and loading the catalog refuses it)
    unsafe_files = source_problems(project.root, _beside_catalog(project))
    if unsafe_files:
        return Report(unsafe_files), None, None
    config = read_config(project.root)  # once: every stage below is given it
    visibility = load_visibility(config)
    try:
        chosen: Audience | str | None = visibility.audience(audience)
    except KeyError:
        chosen = audience  # an audience playbook.toml does not declare: check_edition reports it
    key = _inputs_key(project, chosen, today, strict_reviews, release) if isinstance(chosen, Audience) else None
    if key is not None and not force and (previous := _previous_run(project, chosen.name, key)) is not None:
        return previous

    # load and validate, then cut the audience's edition; a one-shot run starts from what the last run parsed
    own = cache is None  # a run given no cache keeps the parses itself
    cache = last_parses(project) if cache is None else cache
    result, report = check_edition(project, chosen, today, strict_reviews, detail=False, jobs=jobs, config=config,
                                   cache=cache, unsafe=unsafe_files)
    if result is None:
        if own:
            keep_parses(project, cache)
        return report, None, None
    with set_aside():  # the loaded catalog is kept out of collections until the pages are written (heap.py)
        pages, stats = _rendered(project, result, visibility, cache, progress, today, release, jobs)
        if own:  # after the pages: the prose they parse is kept too
            keep_parses(project, cache)
        report.extend(layout_warnings(result.catalog, stats.fallbacks))
        pages[FACTS_FILE] = facts_json(result.catalog, result.audience.name)
        # write, then remember what was written for the next run's shortcut
        written = write_pages(project.output, pages, result.audience.name)
        if key is not None:
            fingerprint.save(project.cache, result.audience.name, key, project.output, sorted(pages),
                             report.diagnostics)
    return report, written, stats


def _rendered(project: Project, result: Edition, visibility: Visibility, cache: ParseCache,
              progress: Callable[[int, int], None] | None, today: dt.date | None, release: Release | None,
              jobs: int | None) -> tuple[Pages, DrawStats]:
    """Every page of the edition, in memory, with the release notes and the computed KPIs' history of the versions
    published from its branch."""
    branch = release.branch if release else result.audience.branch
    known = cache.snapshots

    def view(catalog: Catalog) -> Catalog:
        return edition(catalog, visibility, result.audience).catalog

    history = published_history(project.root, branch, (release.version, release.commit) if release else None,
                                view=view, known=known)
    measured = published_measurements(project.root, branch, view=view, known=known)  # the computed KPIs' values
    retired = retired_days(project.root, branch, release.version if release else None)  # marked on What changed
    _, pages, stats = generate_pages(result.catalog, project.cache, progress, today, history, release,
                                     edit_base=edit_base(project) if result.audience.repository else None, jobs=jobs,
                                     measured=measured, retired=retired)
    return pages, stats


def _inputs_key(project: Project, chosen: Audience, today: dt.date | None, strict_reviews: bool,
                release: Release | None) -> str:
    """A digest of everything a generation of the `chosen` audience's edition reads."""
    settings = {"audience": chosen.name, "today": today or dt.date.today(), "strict": strict_reviews,
                "release": release, "cwd": str(project.root)}
    return fingerprint.inputs(project.root, project.catalog, settings, release.branch if release else chosen.branch)


def _previous_run(project: Project, name: str, key: str) -> tuple[Report, WriteResult, None] | None:
    """The last run's report when nothing it read has changed and its pages of edition `name` are as it left them."""
    if written_edition(project.output) != name:
        return None
    previous = fingerprint.unchanged(project.cache, name, key, project.output)
    if previous is None:
        return None
    diagnostics, count = previous
    return Report(diagnostics), WriteResult(unchanged=count), None
