"""The site build's page cache: a page whose inputs are the last build's is not converted or rendered again.

MkDocs converts every page's Markdown and renders every page into the theme on every build, although a pull
request changes one or two entries. The cache keeps, for each page of the last build, two results with the digest
of everything each was made from:

- the page's conversion (its HTML body, table of contents, title and anchors), made from the Markdown MkDocs
  converts (after the plugins' on_page_markdown, so a macro's output is part of it), the page's place, every file
  of the site with its address (links resolve against them) and the build's settings;
- the page's written HTML, made from the converted page, its title, front matter and table of contents, the
  navigation as the page's template sees it (its sidebar, tabs and breadcrumbs, with each page's title, address
  and front matter), its neighbours, the context plugins add, and the build's settings.

The build's settings are MkDocs' configuration (with the values mkdocs.yml reads from the environment), the theme's
files in the project, the project's hooks, and the code stamp (write/fingerprint.py: the `generators` package's code,
the Python version and every installed package's version, as Pygments colours code blocks and the standard library
parses raw HTML). Whatever a page logged while it was made is kept with it and logged again when the cache stands in
for it, so a strict build fails on a cached page's warning as on a fresh one.
A cold build and a build that read the cache write the same site byte for byte (tests/test_site_cache.py).

It runs under `mkdocs build` and `serve` alike (hooks/site_cache.py), in each process of the parallel build for
the pages that process owns. It assumes what holds for this site's plugins: their on_page_context only adds to the
context (for a page the cache holds, it runs once for the digest, and again when the page is rendered afresh; a page
with nothing to compare takes its digest from the context it is rendered with). PLAYBOOK_SITE_CACHE=off
(`playbook build --no-cache`) builds every page afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import logging
import os
import pickle
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

from ..load.visibility import AUDIENCE_ENV
from ..project import CACHE_DIR, SITE_CACHE, SITE_CACHE_ENV
from ..write.cache_entries import write_atomic
from ..write.fingerprint import code_stamp
from ..write.lock import plain_folder

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

#: Context keys every page's template gets from MkDocs itself; they follow from the page and the settings.
MKDOCS_CONTEXT = frozenset({"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                            "build_date_utc", "config", "page"})
log = logging.getLogger("mkdocs.plugins.site_cache")
_Record = tuple[str, int, str]


def enabled(environ: Mapping[str, str]) -> bool:
    return environ.get(SITE_CACHE_ENV, "").strip().lower() not in ("off", "0", "no", "false")


def _digest(*parts: Any) -> str:
    """The digest of what made a result; a part that cannot be written down makes a digest nothing matches."""
    try:
        text = json.dumps(parts, sort_keys=True, default=_plain, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return f"unmatched-{os.urandom(16).hex()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """A value of the configuration or a template context as JSON can write it, without object addresses."""
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, (Page, Link)):
        return [type(value).__qualname__, value.title, value.url]
    if isinstance(value, Section):
        return ["Section", value.title]
    if isinstance(value, ModuleType):  # a hook: its code is part of the settings (the project's hooks folder)
        return ["module", value.__name__]
    if isinstance(getattr(value, "config", None), Mapping):  # a plugin: its settings
        return [type(value).__module__, type(value).__qualname__, dict(value.config)]
    if hasattr(value, "__dict__") and not isinstance(value, type):  # an object a plugin adds to the context: its fields
        return [type(value).__qualname__, {k: v for k, v in vars(value).items() if not k.startswith("_")}]
    text = str(value)
    if " at 0x" in text:  # an object known only by its address: nothing says what it holds
        raise TypeError(f"{type(value).__qualname__} cannot be written down")
    return [type(value).__qualname__, text]


def _tree(folder: Path) -> list[tuple[str, str]]:
    """Every file under `folder` (byte-code aside) with the digest of its bytes."""
    out = []
    for top, _, names in os.walk(folder):
        if Path(top).name == "__pycache__":
            continue
        for name in names:
            path = Path(top) / name
            out.append((path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()))
    return sorted(out)


def settings_digest(config: Any) -> str:
    """The build's settings: the configuration, the project's theme files and hooks, the code and the versions."""
    root = Path(os.path.abspath(config.config_file_path)).parent
    custom = config.theme.custom_dir
    plain = {key: config[key] for key in config if key not in ("plugins", "theme", "site_dir")}
    plain["plugins"] = {name: plugin for name, plugin in config.plugins.items()}
    plain["theme"] = {key: config.theme[key] for key in config.theme}
    return _digest(code_stamp(), plain, _tree(Path(custom)) if custom else [], _tree(root / "hooks"))


def files_digest(files: Files) -> str:
    """Every file of the site with where it is written and its address: what a page's links resolve against."""
    return _digest(sorted((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files))


class _Kept(logging.Handler):
    """What MkDocs and its plugins log while one page is made, to be logged again when the cache stands in."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[_Record] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def _kept() -> Iterator[list[_Record]]:
    handler = _Kept()
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def _replay(records: list[_Record]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


def _nav_item(item: Any) -> Any:
    """A navigation item as a template reads it: kind, title, address, whether it is active, and its children."""
    if isinstance(item, Section):
        return ["section", item.title, item.active, [_nav_item(child) for child in item.children]]
    if isinstance(item, Link):
        return ["link", item.title, item.url]
    if isinstance(item, Page):
        return ["page", item.title, item.url, item.active, item.is_index, item.meta]
    return [type(item).__qualname__, str(getattr(item, "title", "")), str(getattr(item, "url", ""))]


def _toc(toc: Any) -> Any:
    return [[item.id, item.title, item.level, _toc(item.children)] for item in toc or ()]


def _neighbour(page: Page | None) -> Any:
    return None if page is None else [page.title, page.url]


def started(config: Any, files: Files) -> PageCache | None:
    """The page cache of this build, standing in for MkDocs' page conversion and page rendering until it stops; None
    when the project's cache folder is a link or not a folder (nothing is read or written through it)."""
    root = Path(os.path.abspath(config.config_file_path)).parent
    folder = root / CACHE_DIR
    if not plain_folder(folder):
        log.info(f"site cache: {folder} is not a plain folder; every page is made afresh")
        return None
    edition = os.environ.get(AUDIENCE_ENV) or "default"
    pages = {file.src_uri for file in files.documentation_pages()}
    cache = PageCache(folder / SITE_CACHE / edition, settings_digest(config), files_digest(files), pages)
    cache.start()
    return cache


class PageCache:
    """The cache of one site build: its folder, the build's settings and its files, and what this build kept."""

    def __init__(self, folder: Path, settings: str, files: str, pages: set[str]) -> None:
        self.folder = folder
        self.pages = pages
        self.settings = settings
        self.files = files
        self.fresh: dict[str, dict[str, Any]] = {}  # conversions made this build, until their page is written
        self.original: tuple[Callable[..., None], Callable[..., None]] | None = None
        self.started = time.time_ns()
        self.awaited: tuple[str, bool] | None = None  # the page being rendered afresh whose digest its context gives
        self.captured: str | None = None

    def start(self) -> None:
        """Stand in for Page.render and MkDocs' page rendering (the parallel build calls both through these names)."""
        convert, build = Page.render, mkdocs_build._build_page
        self.original = (convert, build)

        def render(page_self: Page, config: Any, files: Files) -> None:
            self.render(page_self, config, files, convert)

        render.__signature__ = inspect.signature(convert)  # type: ignore[attr-defined]  # what the parallel build checks

        def build_page(page: Page, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
                       excluded: bool = False) -> None:
            self.build_page(page, config, doc_files, nav, env, dirty, excluded, build)

        Page.render = render  # type: ignore[method-assign]
        mkdocs_build._build_page = build_page  # type: ignore[assignment]

    def stop(self) -> None:
        """Put MkDocs' own page conversion and rendering back."""
        if self.original is not None:
            Page.render, mkdocs_build._build_page = self.original  # type: ignore[method-assign, assignment]
            self.original = None

    def finish(self) -> None:
        """After a build (every process's pages written): forget the pages the site no longer has, say how many pages
        were taken from the cache, and stop."""
        try:
            if self.folder.is_dir():
                self.prune(self.pages)
                made = sum(1 for entry in os.scandir(self.folder) if entry.stat().st_mtime_ns >= self.started)
                log.info(f"site cache: {len(self.pages) - made} of {len(self.pages)} pages taken from the last build, "
                         f"{made} made afresh")
        finally:
            self.stop()

    @staticmethod
    def _name(uri: str) -> str:
        return f"{hashlib.sha1(uri.encode()).hexdigest()}.pickle"

    def _path(self, page: Page) -> Path:
        return self.folder / self._name(page.file.src_uri)

    def _read(self, page: Page) -> dict[str, Any]:
        """What the cache holds for the page: its last conversion and written HTML with their digests; empty when
        there is nothing, or something else, or a damaged file."""
        uri = page.file.src_uri
        try:
            with self._path(page).open("rb") as handle:
                entry = pickle.load(handle)
        except Exception:  # noqa: BLE001 - whatever a damaged file raises, the page is made afresh
            return {}
        return entry if isinstance(entry, dict) and entry.get("uri") == uri else {}

    def _write(self, page: Page, entry: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # a page the cache cannot keep is made afresh next time; the site is the same
            write_atomic(self._path(page), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))

    # -- conversion ------------------------------------------------------------------------------
    def conversion_key(self, page: Page) -> str:
        return _digest(self.settings, self.files, page.file.src_uri, page.markdown)

    def render(self, page: Page, config: Any, files: Files, convert: Callable[[Page, Any, Files], None]) -> None:
        """Convert the page's Markdown, or take the conversion the last build made of the same inputs."""
        key = self.conversion_key(page)
        entry = self._read(page)
        if entry.get("conversion_key") == key:
            content, toc, title, present, anchors, records = pickle.loads(entry["conversion"])
            page.content, page.toc, page._title_from_render, page.present_anchor_ids = content, toc, title, set(present)
            page.links_to_anchors = {files.get_file_from_path(target): dict(links) for target, links in anchors.items()}
            _replay(records)
            return
        with _kept() as records:
            convert(page, config, files)
        if page.links_to_anchors is None:  # MkDocs records them only when it logs less than DEBUG: not a whole result
            return
        anchors = {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()}
        # kept as bytes now: plugins change the page's table of contents in place later (the tags plugin's listings)
        conversion = (page.content, page.toc, page._title_from_render, page.present_anchor_ids, anchors, list(records))
        self.fresh[page.file.src_uri] = {"uri": page.file.src_uri, "conversion_key": key,
                                        "conversion": pickle.dumps(conversion, protocol=pickle.HIGHEST_PROTOCOL)}

    # -- the written page ------------------------------------------------------------------------
    def html_key(self, page: Page, config: Any, doc_files: Any, nav: Any, excluded: bool) -> str:
        """The digest of what the page's template is given, with the page active as when it is rendered."""
        page.active = True
        try:
            context = mkdocs_build.get_context(nav, doc_files, config, page)
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            return self.context_key(context, page, excluded)
        finally:
            page.active = False

    def context_key(self, context: Mapping[str, Any], page: Page, excluded: bool) -> str:
        """The digest of a page's template context, as every plugin left it."""
        added = {key: value for key, value in context.items() if key not in MKDOCS_CONTEXT}
        return _digest(self.settings, page.file.src_uri, page.url, page.file.dest_uri, page.content, _toc(page.toc),
                       page.title, page.meta, page.edit_url, page.canonical_url, excluded,
                       _neighbour(page.previous_page), _neighbour(page.next_page),
                       [_nav_item(item) for item in context["nav"]], added)

    def capture(self, context: Mapping[str, Any], page: Page) -> None:
        """While a page with nothing to compare is rendered afresh (hooks/site_cache.py runs this after every other
        plugin's on_page_context): the digest of its context, so that its context is made once."""
        if self.awaited is not None and self.awaited[0] == page.file.src_uri:
            self.captured = self.context_key(context, page, self.awaited[1])

    def build_page(self, page: Page, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool, excluded: bool,
                   build: Callable[..., None]) -> None:
        """Render the page into the theme and write it, or write what the last build wrote from the same inputs."""
        if dirty and not page.file.is_modified():
            build(page, config, doc_files, nav, env, dirty, excluded)
            return
        entry = self.fresh.pop(page.file.src_uri, None) or self._read(page)
        key = None
        if entry.get("html_key") is not None and entry.get("conversion_key") is not None:
            key = self.html_key(page, config, doc_files, nav, excluded)
            if entry["html_key"] == key:
                html, records = entry["html"]
                if html:
                    utils.write_file(html, page.file.abs_dest_path)
                _replay(records)
                return
        self.awaited = (page.file.src_uri, excluded) if key is None else None
        self.captured = None
        try:
            with _kept() as records:
                build(page, config, doc_files, nav, env, dirty, excluded)
        finally:
            self.awaited = None
        key = key or self.captured
        try:
            html = Path(page.file.abs_dest_path).read_bytes()
        except FileNotFoundError:
            html = b""  # MkDocs wrote nothing: the page rendered empty
        if "conversion" in entry and key is not None:
            self._write(page, {**entry, "html_key": key, "html": (html, list(records))})

    def prune(self, uris: set[str]) -> None:
        """Remove what the cache holds for pages other than `uris` (the pages this build has)."""
        wanted = {self._name(uri) for uri in uris}
        for path in self.folder.glob("*.pickle"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
