"""A large site built on every core: MkDocs' two page loops shared between forked processes.

MkDocs converts every page's Markdown, then renders every page into the theme, one page after
the other on one core. Once the navigation is known, `hooks/parallel_build.py` forks the build:
each process converts and renders its share of the pages (every Nth page). Every process still
reads every page's source and front matter, so plugins that gather facts across pages (tags,
macros) see all of them. Between the two loops the processes swap the pages they converted, so
each holds the whole site before the theme renders it. At the end each worker hands its warnings
to the main process, which writes the static files and the sitemap, and fails a strict build on a
worker's warning as on its own. The site is byte for byte the one a serial build writes; search is
Pagefind's, made from the written site afterwards (hooks/search_index.py).

It runs for `mkdocs build` (never `serve`) when the site has at least MIN_PAGES pages and more
than one core is free; PLAYBOOK_JOBS sets the number of processes (1 builds in one). It assumes
what holds for this site's plugins: what a plugin gathers from the pages, it gathers while reading
them (tags, macros); a plugin that gathers state while pages are rendered into the theme
(on_page_context, on_post_page), such as Material's search plugin, would see only the main
process's pages, so a site that lists Material's search plugin is built on one core.

It stands in for MkDocs' private page loops and reads private attributes of its pages and of the
tags plugin, as they are in the versions pyproject.toml pins. Before it forks,
`unsupported` checks that each of them is still there with the shape it expects; when one is not,
the site is built on one core and one INFO line says why (INFO, not a warning: a strict build
fails on warnings, and the serial build it falls back to writes the right site).
"""

from __future__ import annotations

import inspect
import logging
import os
import pickle
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from ..forked import JOBS_ENV, jobs, jobs_setting

if TYPE_CHECKING:
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

#: The fallback to one core is logged as INFO: a strict build fails on warnings, and the serial site is the right one.
log = logging.getLogger("mkdocs.plugins.parallel_build")
#: The line that opens the one INFO line of a build that falls back to one core; the differences follow it.
FALLBACK = ("parallel build: building on one core, as MkDocs or a plugin is not what the parallel build was made for "
            "(pyproject.toml pins the versions it was tested with): ")
MIN_PAGES = 300
#: MkDocs' private page loops the build stands in for, with the parameters it passes on to them.
PAGE_LOOPS = {
    "_populate_page": ("page", "config", "files", "dirty"),
    "_build_page": ("page", "config", "doc_files", "nav", "env", "dirty", "excluded"),
}
#: What MkDocs' build() must look up by name for the stand-ins and the swap to take effect.
BUILD_NAMES = ("_populate_page", "_build_page", "copy_static_files", "static_templates", "extra_templates")
#: What the swap reads from a converted page and sets on the others.
PAGE_ATTRIBUTES = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


def jobs_wanted(pages: int) -> int:
    """How many processes build a site of `pages` pages: PLAYBOOK_JOBS, else the free cores (at most 8) for a large site."""
    try:
        return jobs(pages, MIN_PAGES, jobs_setting(os.environ.get(JOBS_ENV)))  # the site build's own process
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def started(config: Any, files: Files, scratch: Path) -> ShardedBuild | None:
    """The parallel build of this site, forked; None when one process builds it (said in one INFO line when this
    MkDocs differs from what the parallel build stands in for)."""
    pages = documentation_pages(files)
    processes = min(jobs_wanted(len(pages)), len(pages))
    if processes < 2:
        return None
    if problems := unsupported(config, files, pages):
        log.info(f"{FALLBACK}{'; '.join(problems)}")
        return None
    build = ShardedBuild(pages, processes, scratch)
    build.start()
    return build


def unsupported(config: Any, files: Files, pages: list[Page]) -> list[str]:
    """How this MkDocs and its plugins differ from what the parallel build replaces and reads; empty when it can run."""
    problems = []
    missing = set()
    for name, expected in PAGE_LOOPS.items():
        function = getattr(mkdocs_build, name, None)
        if not callable(function):
            missing.add(name)
            problems.append(f"mkdocs.commands.build.{name} is missing")
        elif (found := _parameters(function)) != expected:
            problems.append(f"mkdocs.commands.build.{name} takes ({', '.join(found)}), not ({', '.join(expected)})")
    if not callable(getattr(type(files), "copy_static_files", None)):
        missing.add("copy_static_files")
        problems.append(f"{type(files).__name__}.copy_static_files is missing")
    build_names = _names(getattr(mkdocs_build, "build", None))
    problems += [f"mkdocs.commands.build.build does not use {name}"
                 for name in BUILD_NAMES if name not in build_names and name not in missing]
    if pages:
        page_type = type(pages[0])
        if _parameters(getattr(page_type, "render", None)) != ("self", "config", "files"):
            problems.append(f"{page_type.__name__}.render is not render(self, config, files)")
        elif "_populate_page" not in missing and "render" not in _names(mkdocs_build._populate_page):
            problems.append("mkdocs.commands.build._populate_page does not call page.render")
        problems += [f"{page_type.__name__} has no {name}" for name in PAGE_ATTRIBUTES if not hasattr(pages[0], name)]
    search, tags = _plugin(config, "search"), _plugin(config, "tags")
    if search is not None:
        problems.append(f"the search plugin ({type(search).__module__}) would index only one process's pages")
    if tags is not None and not hasattr(getattr(tags, "config", None), "export"):
        problems.append(f"the tags plugin ({type(tags).__module__}) has no export setting")
    return problems


def _parameters(function: Any) -> tuple[str, ...]:
    """The names of a callable's parameters; empty for anything else."""
    if not callable(function):
        return ()
    try:
        return tuple(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return ()


def _names(function: Any) -> frozenset[str]:
    """The global and attribute names a function's own code looks up."""
    code = getattr(inspect.unwrap(function), "__code__", None) if callable(function) else None
    return frozenset(code.co_names) if code is not None else frozenset()


@dataclass
class _Peer:
    """A worker as the main process sees it: its pid and the two pipe ends to talk to it."""

    pid: int
    reader: int
    writer: int


class _Captured(logging.Handler):
    """What a worker logs about its own pages, kept to be logged by the main process.

    Only while `active`: everything else a worker does (reading every page's source, the plugins'
    on_env) the main process does too, and logs itself.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.active = False
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.active:
            record.msg, record.args, record.exc_info = record.getMessage(), None, None  # picklable
            self.records.append(record)


class _Silent(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _skip_render(page: Page, config: Any, files: Files) -> None:
    """Stands in for Page.render on a page another process converts: the content arrives with the swap."""
    page.content = ""
    page.present_anchor_ids = set()


class ShardedBuild:
    """One build split between `jobs` processes: `index` is this process's share (0 is the main process)."""

    def __init__(self, pages: list[Page], jobs: int, scratch: Path) -> None:
        self.pages = pages
        self.positions = {page.file.src_uri: i for i, page in enumerate(pages)}
        self.jobs = jobs
        self.index = 0
        scratch.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="build-", dir=scratch))  # a killed build's is swept by the next run
        self.peers: list[_Peer] = []
        self.parent: tuple[int, int] | None = None  # a worker's pipe ends to the main process
        self.captured = _Captured()
        self.silent = _Silent()
        self.console: list[logging.Handler] = []
        self.remaining = 0
        self.original: tuple[Callable[..., None], Callable[..., None]] | None = None

    def owns(self, page: Page) -> bool:
        return self.positions[page.file.src_uri] % self.jobs == self.index

    def _share(self) -> int:
        return sum(1 for page in self.pages if self.owns(page))

    # -- the fork, before the first loop ---------------------------------------------------------
    def start(self) -> None:
        self.original = (mkdocs_build._populate_page, mkdocs_build._build_page)
        mkdocs_build._populate_page = self._populate  # type: ignore[assignment]
        mkdocs_build._build_page = self._build  # type: ignore[assignment]
        for index in range(1, self.jobs):
            worker_reads, main_writes = os.pipe()
            main_reads, worker_writes = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                for fd in (main_writes, main_reads, *(end for p in self.peers for end in (p.reader, p.writer))):
                    os.close(fd)
                self.peers = []
                self.parent = (worker_reads, worker_writes)
                self.index = index
                self._become_worker()
                return
            os.close(worker_reads)
            os.close(worker_writes)
            self.peers.append(_Peer(pid, main_reads, main_writes))

    def _become_worker(self) -> None:
        root = logging.getLogger("mkdocs")
        self.console = list(root.handlers)
        for handler in self.console:
            handler.addFilter(self.silent)
        root.addHandler(self.captured)
        self.remaining = self._share()

    def _populate(self, page: Page, config: Any, files: Files, dirty: bool = False) -> None:
        assert self.original is not None
        if self.owns(page):
            page.render = lambda config, files: self._render(page, config, files)  # type: ignore[method-assign]
        else:
            page.render = lambda config, files: _skip_render(page, config, files)  # type: ignore[method-assign]
        try:
            self.original[0](page, config, files, dirty)
        finally:
            del page.render
            self.captured.active = False

    def _render(self, page: Page, config: Any, files: Files) -> None:
        """An owned page's conversion; what is logged from here to the end of its reading is this process's to report."""
        self.captured.active = True
        type(page).render(page, config, files)

    # -- the swap, between the loops -------------------------------------------------------------
    def swap(self, config: Any, files: Files) -> None:
        """Share the converted pages, so that every process holds the whole site."""
        mine = [self._converted(page.file) for page in self.pages if self.owns(page)]
        with (self.folder / f"pages-{self.index}.pickle").open("wb") as handle:
            pickle.dump(mine, handle, protocol=pickle.HIGHEST_PROTOCOL)
        if self.parent is not None:  # a worker: announce its pages, wait for everyone's
            os.write(self.parent[1], b"1")
            self._wait(self.parent[0], b"1", "the main build process stopped")
        else:
            for peer in self.peers:
                self._wait(peer.reader, b"1", "a build worker stopped; its error is above")
            for peer in self.peers:
                os.write(peer.writer, b"1")
        for index in range(self.jobs):
            if index != self.index:
                with (self.folder / f"pages-{index}.pickle").open("rb") as handle:
                    for converted in pickle.load(handle):
                        self._apply(converted, files)
        if self.parent is not None:  # the main process writes the files every page shares
            files.copy_static_files = lambda *args, **kwargs: None  # type: ignore[method-assign]
            config.theme.static_templates = set()
            config.extra_templates = []
            if (tags := _plugin(config, "tags")) is not None:
                tags.config.export = False  # the tags plugin's tags.json
            if not self.remaining:
                self._finish_worker()

    @staticmethod
    def _converted(file: File | None) -> tuple[Any, ...]:
        assert file is not None and file.page is not None
        page = file.page
        anchors = {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()}
        return (file.src_uri, page.content, page.toc, page._title_from_render, page.present_anchor_ids, anchors)

    @staticmethod
    def _apply(converted: tuple[Any, ...], files: Files) -> None:
        uri, content, toc, title, present, anchors = converted
        file = files.get_file_from_path(uri)
        assert file is not None and file.page is not None
        page = file.page
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = content, toc, title, present
        page.links_to_anchors = {files.get_file_from_path(target): links for target, links in anchors.items()}

    @staticmethod
    def _wait(reader: int, expected: bytes, problem: str) -> None:
        if os.read(reader, 1) != expected:
            raise PluginError(f"parallel build: {problem}")

    # -- the second loop and the end -------------------------------------------------------------
    def _build(self, page: Page, config: Any, *args: Any, **kwargs: Any) -> None:
        assert self.original is not None
        if not self.owns(page):
            return
        self.captured.active = True
        try:
            self.original[1](page, config, *args, **kwargs)
        finally:
            self.captured.active = False
        self.remaining -= 1
        if self.parent is not None and not self.remaining:
            self._finish_worker()

    def _finish_worker(self) -> None:
        """A worker's last act: its warnings to the main process, then exit."""
        records = [(r.name, r.levelno, r.getMessage()) for r in self.captured.records]
        with (self.folder / f"final-{self.index}.pickle").open("wb") as handle:
            pickle.dump(records, handle, protocol=pickle.HIGHEST_PROTOCOL)
        assert self.parent is not None
        os.write(self.parent[1], b"2")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def finish(self) -> None:
        """In the main process, once its own pages are written: wait for every worker and log its warnings."""
        try:
            for index, peer in enumerate(self.peers, start=1):
                self._wait(peer.reader, b"2", "a build worker stopped; its error is above")
                with (self.folder / f"final-{index}.pickle").open("rb") as handle:
                    records = pickle.load(handle)
                for name, level, message in records:
                    logging.getLogger(name).log(level, message)
        finally:
            self.close(kill=True)

    def fail(self) -> None:
        """A worker's end after an error: show what it logged, which no one else will, and leave."""
        for handler in self.console:
            handler.removeFilter(self.silent)
        for record in self.captured.records:
            for handler in self.console:
                if record.levelno >= handler.level:
                    handler.handle(record)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)

    def close(self, kill: bool = False) -> None:
        """Reap the workers (stopping them first when `kill`), put MkDocs' page loops back and remove the swap folder."""
        for peer in self.peers:
            if kill:
                try:
                    os.kill(peer.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            os.waitpid(peer.pid, 0)
            os.close(peer.reader)
            os.close(peer.writer)
        self.peers = []
        if self.original is not None:
            mkdocs_build._populate_page, mkdocs_build._build_page = self.original  # type: ignore[assignment]
            self.original = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _plugin(config: Any, name: str) -> Any:
    """The plugin of this name (`search` is `material/search` under the Material theme), None without one."""
    return next((plugin for key, plugin in config.plugins.items() if key.rpartition("/")[2] == name), None)


def documentation_pages(files: Files) -> list[Page]:
    return [f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_included) if f.page is not None]
