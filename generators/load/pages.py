"""Hand-written pages in an edition: which pages and files an audience's site leaves out.

A hand-written page (a Markdown file under docs/, outside the generated docs/playbook/) names its
level in its front matter, which starts on the first line; the editions of audiences below that
level leave it out:

    ---
    visibility: internal
    ---

A page without front matter, or whose front matter has no key like `visibility`, is read by every
edition. A page whose level cannot be read with certainty gets the narrowest declared level: its
front matter does not parse or is not a mapping, a key is a near miss of `visibility` (`Visibility`,
`visiblity`), the value is not exactly a declared level (`Internal`, `[restricted]`), the key is
given twice or merged in (`<<:`), a line like `visibility: ...` in the first lines of the file is not
read as front matter (a blank line or a comment above the `---`), or the file is not UTF-8.
`playbook check` reports each of these at its place.

A file beside the pages (an image, an attachment, an HTML file...) is published in an edition that
leaves pages out only when a page it keeps, or mkdocs.yml, uses it. Finding what a page uses is
generous (it may see a use that is not one) and is only asked of kept pages, so a use it misses can
drop a file, never publish one.

Everything here is a pure function of the project folder: the MkDocs hook (hooks/editions.py)
removes what `left_out` names, Zensical builds a staged docs folder without it, and `leaks_in_site`
checks a built site for any of it, whichever engine built it.
"""

from __future__ import annotations

import codecs
import difflib
import gzip
import html
import json
import os
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml
from markdown_it import MarkdownIt
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils import is_markdown_file
from mkdocs.utils.meta import META_MORE_RE, META_RE, YAML_RE, SafeLoader
from mkdocs.utils.yaml import yaml_load

from ..config import CONFIG_FILE, read_config
from ..diagnostics import Diagnostic, closest
from ..project import CATALOG_DIR, OUTPUT_DIR
from .entries import ParseCache, load_catalog
from .sources import SourceError, read_source
from .visibility import AUDIENCE_ENV, Audience, Visibility, load_visibility

KEY = "visibility"
#: The largest hand-written page read for its level and links.
PAGE_BYTES = 10_000_000
CODE = "page-visibility"
#: The line that opens front matter, as MkDocs reads it (after a byte-order mark).
FENCE = re.compile(r"-{3}[ \t]*\n")
#: How many lines opening a page are searched for a `visibility:` line that is not read as front matter.
HEAD_LINES = 30
#: A line shaped like a `key:` setting, after optional spaces; group 2 is the key.
SETTING = re.compile(r"""[ \t]*(["']?)([A-Za-z][\w-]*)\1[ \t]*:""")
#: What a page may use, read generously over its whole text (each pattern linear in it): HTML attributes,
#: CSS `url()` and `@import` (<style> blocks, style attributes), a refresh's `url=`, and Markdown link, image
#: and reference-definition targets, inside HTML blocks too (Python-Markdown renders some CommonMark does not).
ATTRIBUTE = re.compile(r"""(?<![\w:.-])([\w:.-]+)[ \t\n]*=[ \t\n]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
URL_ATTRIBUTES = frozenset({"data", "poster", "background", "action", "formaction", "cite", "longdesc", "manifest",
                            "icon", "codebase", "archive"})
CSS_URL = re.compile(r"""url\([ \t\n]*(?:"([^"]*)"|'([^']*)'|([^)\s"']*))|@import[ \t\n]+(?:"([^"]*)"|'([^']*)')""",
                     re.I)
REFRESH = re.compile(r"""[\d. \t]*[;,][ \t]*url[ \t]*=[ \t]*["']?([^"'\s]*)""", re.I)
MARKDOWN_TARGET = re.compile(r"\]\([ \t\n]*(?:<([^>\n]*)>|([^)\s]+))|^[ \t>]*\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))",
                             re.M)
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class PageLevel:
    """The level a page is kept at (None: every edition) and why it could not be read, when it could not."""

    level: str | None
    problems: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Site:
    """What mkdocs.yml says about the pages: their folder, their URLs, and the files it names itself."""

    root: Path
    docs: Path
    directory_urls: bool
    named: frozenset[str]
    #: Whether markdown_extensions lists the generated pages' sanitiser (None: mkdocs.yml could not be read).
    sanitized: bool | None = None

    def hand_written(self) -> dict[str, Path]:
        """Every hand-written page, by its path inside the docs folder."""
        return {uri: path for uri, path in self._own_files() if is_markdown_file(uri)}

    def beside_pages(self) -> set[str]:
        """Every file beside the hand-written pages that can be left out with them: not a page, not generated,
        not named by mkdocs.yml."""
        return {uri for uri, _ in self._own_files() if not is_markdown_file(uri) and uri not in self.named}

    def _own_files(self) -> Iterator[tuple[str, Path]]:
        """Every plain file of the docs folder outside the generated one."""
        return _files(self.docs, self.root / OUTPUT_DIR)


@dataclass(frozen=True)
class _Field:
    key: str
    value: str | None  # None when it is not a plain string
    line: int
    column: int


def _files(folder: Path, skip: Path) -> Iterator[tuple[str, Path]]:
    """Every plain file under `folder` but outside `skip`; links and special files are refused before anything is
    read (sources.py)."""
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if Path(top) / name != skip)
        for name in sorted(names):
            path = Path(top) / name
            if not path.is_symlink() and path.is_file():
                yield path.relative_to(folder).as_posix(), path


#: The Markdown extension that cleans generated pages' HTML under any engine (generators/site/sanitize.py).
SANITIZER = "generators.site.sanitize"


def site(root: Path) -> Site:
    """The settings of the project's mkdocs.yml (MkDocs' defaults when it cannot be read: the build reports why)."""
    try:
        with (root / "mkdocs.yml").open(encoding="utf-8") as handle:
            config = yaml_load(handle)
    except (OSError, ValueError, ConfigurationError):
        config = None
    if not isinstance(config, dict):
        return Site(root, root / "docs", True, frozenset())
    docs = root / str(config.get("docs_dir") or "docs")
    named = {uri for text in _strings(config) if (uri := _inside(text.strip(), "")) and (docs / uri).is_file()}
    extensions = config.get("markdown_extensions")
    names = [next(iter(item), None) if isinstance(item, dict) else item
             for item in (extensions if isinstance(extensions, list) else [])]
    return Site(root, docs, config.get("use_directory_urls", True) is not False, frozenset(named), SANITIZER in names)


def site_problems(root: Path) -> list[Diagnostic]:
    """What in mkdocs.yml would let a generated page reach the site without its HTML cleaned."""
    if site(root).sanitized is not False:
        return []
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8", errors="replace").splitlines()
    line = next((number for number, text in enumerate(lines, 1) if text.startswith("markdown_extensions:")), 1)
    return [Diagnostic("mkdocs.yml", line, 1, "error",
                       f"does not list {SANITIZER}: generated pages would reach the site without their HTML cleaned",
                       "markdown_extensions", f"add '- {SANITIZER}' under markdown_extensions", "site-config")]


def _strings(value: Any) -> Iterator[str]:
    """Every string in a configuration: extra_css, extra_javascript, the theme's logo and favicon..."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _inside(target: str, page: str) -> str | None:
    """The path inside the docs folder a URL written in `page` points at; None for other sites, anchors, or outside."""
    try:
        parts = urlsplit(target)
    except ValueError:  # `http://[`: no URL, so nothing it could fetch
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path))
    return None if joined == "." or joined == ".." or joined.startswith("../") else joined


def _decode(data: bytes) -> str:
    """A file's text as MkDocs reads it: UTF-8 after an optional byte-order mark, universal newlines."""
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


# --- the level of a page ------------------------------------------------------------------------

def level_of(text: str, file: str, levels: Sequence[str]) -> PageLevel:
    """The level of a page with this text; the narrowest of `levels` when it cannot be read with certainty."""
    narrowest = levels[-1]

    def uncertain(line: int, column: int, what: str, path: str, hint: str) -> Diagnostic:
        return Diagnostic(file, line, column, "warning",
                          f"{what}, so the page's visibility cannot be read; it is treated as '{narrowest}'",
                          path, hint, CODE)

    problems = []
    front_lines = 0  # the lines of YAML front matter MkDocs reads
    if FENCE.match(text):
        block = YAML_RE.match(text)
        if block is None:
            return PageLevel(narrowest, (uncertain(1, 1, "the front matter is never closed", "",
                                                   "end it with a line '---'"),))
        try:  # as MkDocs' get_data reads it: on any error, the front matter is shown as text
            data = yaml.load(block.group(1), SafeLoader)
            node = yaml.compose(block.group(1), SafeLoader)
        except Exception as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return PageLevel(narrowest, (uncertain(1, 1, f"the front matter does not parse ({problem}{where})", "",
                                                   "fix the YAML between the '---' lines"),))
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            return PageLevel(narrowest, (uncertain(1, 1, "the front matter is not a mapping of keys to values", "",
                                                   f"write '{KEY}: <level>' between the '---' lines"),))
        front_lines = block.group(0).count("\n")
        fields = list(_yaml_fields(node))
        for key, _ in node.value:  # MkDocs' loader merges `<<: {...}` into the keys; the level is not read there
            if key.tag == _MERGE:
                problems.append(uncertain(key.start_mark.line + 2, key.start_mark.column + 1,
                                          "keys merged into the front matter are not read", str(key.value),
                                          f"write '{KEY}: <level>' itself between the '---' lines"))
    else:
        fields = list(_meta_fields(text))
    exact = [f for f in fields if f.key == KEY]
    for f in fields:
        if f.key != KEY and (f.key.lower() == KEY or closest(f.key.lower(), [KEY])):
            problems.append(uncertain(f.line, f.column, f"the key is not spelt '{KEY}'", f.key, f"did you mean '{KEY}'?"))
    for f in exact[1:]:
        problems.append(uncertain(f.line, f.column, f"'{KEY}' is given twice", KEY, "keep one"))
    for f in exact:
        if f.value is None:
            problems.append(uncertain(f.line, f.column, "the value is not a single level name", KEY,
                                      f"write one of the levels: {', '.join(levels)}"))
        elif f.value not in levels:
            problems.append(uncertain(f.line, f.column, f"'{f.value}' is not a declared level", KEY,
                                      closest(f.value, levels) or f"levels (in {CONFIG_FILE}): {', '.join(levels)}"))
    read = {f.line for f in fields}
    for number, line in enumerate(text.split("\n", HEAD_LINES)[:HEAD_LINES], start=1):
        if number not in read and (setting := SETTING.match(line)) and _like_key(setting[2]):
            if number <= front_lines:
                what, hint = "the line is in the front matter but not one of its keys", \
                    f"write '{KEY}: <level>' at the start of a line between the '---' lines"
            else:
                what, hint = "the line is not read as front matter", "front matter must start on the first line with ---"
            problems.append(uncertain(number, setting.start(2) + 1, what, setting[2], hint))
    if problems:
        return PageLevel(narrowest, tuple(sorted(problems)))
    return PageLevel(exact[0].value if exact else None)


def _like_key(word: str) -> bool:
    """Whether a word opening a line of a page's head looks like the key `visibility`: itself in any case, or a typo
    of it (`visiblity`, `Visability`); not `Visit` or `reliability`, which prose opens lines with."""
    return bool(difflib.get_close_matches(word.lower(), [KEY], n=1, cutoff=0.8))


def _yaml_fields(node: yaml.MappingNode) -> Iterator[_Field]:
    """The top-level keys of YAML front matter, at their line in the file (the fence is line 1)."""
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != _MERGE:
            plain = value.value if isinstance(value, yaml.ScalarNode) and value.tag == _STR else None
            yield _Field(str(key.value), plain, key.start_mark.line + 2, key.start_mark.column + 1)


def _meta_fields(text: str) -> Iterator[_Field]:
    """The keys of MultiMarkdown metadata (`key: value` lines opening a page), which MkDocs reads too."""
    fields: list[_Field] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        if match := META_RE.match(line):
            fields.append(_Field(match["key"], match["value"].strip(), number, match.start("key") + 1))
        elif (more := META_MORE_RE.match(line)) and fields:
            last = fields[-1]
            fields[-1] = _Field(last.key, f"{last.value} {more['value'].strip()}", last.line, last.column)
        else:
            break
    yield from fields


def page_level(path: Path, levels: Sequence[str], file: str | None = None) -> PageLevel:
    """The level of the page at `path`; `file` names it in diagnostics (the path itself by default)."""
    name = file or path.as_posix()
    try:
        data = read_source(path, PAGE_BYTES)
    except SourceError as exc:
        return PageLevel(levels[-1], (Diagnostic(name, 1, 1, "warning", f"the file {exc.reason}, so the page's "
                                                 f"visibility cannot be read; it is treated as '{levels[-1]}'",
                                                 "", "", CODE),))
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        body = data.removeprefix(codecs.BOM_UTF8)
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - body.rfind(b"\n", 0, exc.start)
        return PageLevel(levels[-1], (Diagnostic(name, line, column, "warning",
                                                 f"the file is not UTF-8 (byte 0x{body[exc.start]:02x}), so the page's "
                                                 f"visibility cannot be read; it is treated as '{levels[-1]}'",
                                                 "", "save it as UTF-8", CODE),))
    return level_of(text, name, levels)


def readable(path: Path, visibility: Visibility, audience: Audience) -> bool:
    """Whether the audience may read the hand-written page at `path`."""
    level = page_level(path, visibility.levels).level
    return level is None or visibility.rank(level) <= visibility.rank(audience.level)


def page_problems(root: Path, visibility: Visibility) -> list[Diagnostic]:
    """Every hand-written page of the project at `root` whose level cannot be read with certainty."""
    return sorted(problem for uri, path in site(root).hand_written().items()
                  for problem in page_level(path, visibility.levels, path.relative_to(root).as_posix()).problems)


# --- what an edition leaves out -------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark")


def references(text: str, page: str) -> set[str]:
    """The paths inside the docs folder that the page `page` may link or embed, read generously: a use seen where
    there is none keeps a file a kept page names anyway; a use missed drops a file."""
    targets: list[str] = []
    for token in _MARKDOWN.parse(text):
        for item in [token, *(token.children or [])]:
            if item.type == "link_open":
                targets.append(str(item.attrGet("href") or ""))
            elif item.type == "image":
                targets.append(str(item.attrGet("src") or ""))
    for match in ATTRIBUTE.finditer(text):
        targets += _attribute_targets(match[1].lower(), html.unescape(_first(match.groups()[1:])))
    targets += [html.unescape(_first(match.groups())) for match in CSS_URL.finditer(text)]
    for match in MARKDOWN_TARGET.finditer(text):
        target = _first(match.groups())
        targets += [target, html.unescape(ESCAPED.sub(r"\1", target))]
    return {uri for target in targets if (uri := _inside(target.strip(), page))}


def _first(groups: Sequence[str | None]) -> str:
    """The one group of an alternation that matched."""
    return next((group for group in groups if group is not None), "")


def _attribute_targets(name: str, value: str) -> list[str]:
    """The URLs an HTML attribute's (decoded) value holds."""
    if name == "style":
        return [_first(match.groups()) for match in CSS_URL.finditer(value)]
    if name == "content":  # <meta http-equiv="refresh" content="0; url=...">
        return [refresh[1]] if (refresh := REFRESH.match(value)) else []
    if name.endswith("srcset"):
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value] if name.endswith(("src", "href")) or name in URL_ATTRIBUTES else []


def left_out(root: Path, visibility: Visibility, audience: Audience) -> set[str]:
    """The paths inside the docs folder the audience's edition leaves out: pages above its level, and the files beside
    the pages that no page it keeps uses.

    In an edition that leaves out no page every file stays. In one that leaves some out, a file beside the pages
    stays only when a kept hand-written page links or embeds it (`references`) or mkdocs.yml names it.
    """
    settings = site(root)
    pages = settings.hand_written()
    hidden = {uri for uri, path in pages.items() if not readable(path, visibility, audience)}
    if not hidden:
        return set()
    files = settings.beside_pages()
    for page in sorted(pages.keys() - hidden):
        if not files:
            break
        files -= references(_text(pages[page]), page)
    return hidden | files


def _text(path: Path) -> str:
    try:
        data = read_source(path, PAGE_BYTES)
    except SourceError:
        return ""
    try:
        return _decode(data)
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def site_path(uri: str, directory_urls: bool = True) -> str:
    """Where MkDocs writes a file of the docs folder in the built site (`foo/bar.md` → `foo/bar/index.html`)."""
    if not is_markdown_file(uri):
        return uri
    parent, name = posixpath.split(uri)
    stem = posixpath.splitext(name)[0]
    stem = "index" if stem == "README" else stem
    if stem == "index" or not directory_urls:
        return posixpath.join(parent, f"{stem}.html")
    return posixpath.join(parent, stem, "index.html")


def leaks_in_site(root: Path, visibility: Visibility, audience: Audience, site_dir: Path,
                  cache: ParseCache | None = None) -> list[str]:
    """What a built site holds that the audience's edition leaves out: pages, companions, search entries, and
    citations of hidden entries kept as typed in the downloads. The catalog is read from disk again, its unchanged
    files taken from `cache` (the parses of the run that generated the pages) when given.

    Each finding is a path inside `site_dir`; an entry of a search index is named `<index>: <its location>` (a
    page Pagefind indexed: `<its fragment>: <its URL>`), and an index that cannot be read is a finding too; a
    download is named `<its path>: cites <entry id>`. Empty when the site is clean.
    """
    settings = site(root)
    hidden = left_out(root, visibility, audience)
    found = [path for uri in sorted(hidden) if (site_dir / (path := site_path(uri, settings.directory_urls))).exists()]
    urls = {_url(site_path(uri, settings.directory_urls), settings.directory_urls) for uri in hidden if is_markdown_file(uri)}
    for name in SEARCH_INDEXES:
        index = site_dir / name
        if not urls or not index.is_file():
            continue
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found.append(f"{name}: {UNREADABLE}")
            continue
        found += sorted({f"{name}: {location}" for location in _locations(data) if location.split("#")[0] in urls})
    fragments = site_dir / PAGEFIND_PAGES
    if urls and fragments.is_dir():
        for path in sorted(fragments.iterdir()):
            name, url = f"{PAGEFIND_PAGES}/{path.name}", pagefind_page_url(path)
            if url is None:
                found.append(f"{name}: {UNREADABLE}")
            elif url.lstrip("/").split("#")[0] in urls:
                found.append(f"{name}: {url}")
    generated = _generated(settings)
    if (site_dir / generated).is_dir():
        found += cited_in_downloads(site_dir, generated, hidden_entries(root, visibility, audience, cache))
    return found


#: The generated folder's downloads, which hold catalog text: catalog.json and the schemas, llms.txt and
#: playbook.txt (render/exports.py), the templates (render/downloads.py).
DOWNLOADS = (".json", ".txt", ".template", ".yml", ".zip")
#: The start of a citation as typed, `[[` then the id it cites (after a family, as in `[[family:id`).
CITED_ID = re.compile(r"\[\[\s*(?:[a-z]+:)?\s*([a-z0-9]+(?:-[a-z0-9]+)*)")


def hidden_entries(root: Path, visibility: Visibility, audience: Audience, cache: ParseCache | None = None) -> set[str]:
    """The ids of the catalog's entries that the audience's edition leaves out, the catalog read from disk (its
    unchanged files taken from `cache` when given)."""
    catalog, _ = load_catalog(root, root / CATALOG_DIR, cache=cache)
    limit = visibility.rank(audience.level)
    return {entry_id for entry_id, entry in catalog.entries.items()
            if visibility.rank(visibility.entry_level(entry)) > limit}


def cited_in_downloads(site_dir: Path, generated: str, hidden: set[str]) -> list[str]:
    """`<file>: cites <id>` for each citation of a `hidden` entry kept as typed in a download of the generated
    folder (`generated`, its path inside `site_dir`), the file named by its path inside `site_dir`."""
    if not hidden:
        return []
    found: list[str] = []
    folder = site_dir / generated
    for uri, path in _files(folder, folder):
        if uri.endswith(DOWNLOADS):
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{generated}/{uri}: cites {entry_id}"
                      for entry_id in sorted({match[1] for match in CITED_ID.finditer(text)} & hidden)]
    return found


def _generated(settings: Site) -> str:
    """The generated folder's path inside the site."""
    try:
        return (settings.root / OUTPUT_DIR).relative_to(settings.docs).as_posix()
    except ValueError:
        return Path(OUTPUT_DIR).name


#: The search indexes an engine writes whole: Material's lunr index and Zensical's.
SEARCH_INDEXES = ("search/search_index.json", "search.json")
#: Pagefind's record of each page it indexed (generators/publish/search_index.py): one file a page.
PAGEFIND_PAGES = "pagefind/fragment"
UNREADABLE = "cannot be read, so it cannot be shown to hold nothing left out"


def pagefind_page_url(path: Path) -> str | None:
    """The URL of the page a Pagefind fragment records (gzip of a signature and the page's JSON); None when it
    cannot be read."""
    try:
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
    except (OSError, EOFError, ValueError, gzip.BadGzipFile):
        return None
    url = record.get("url") if isinstance(record, dict) else None
    return url if isinstance(url, str) else None


def _locations(data: Any) -> Iterator[str]:
    """Every `location` of a search index, wherever the engine nests its records."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if isinstance(value.get("location"), str):
                yield value["location"]
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


def _url(path: str, directory_urls: bool) -> str:
    """A built page's URL as MkDocs' search index writes it."""
    if directory_urls and posixpath.basename(path) == "index.html":
        parent = posixpath.dirname(path)
        return quote(f"{parent}/" if parent else "")
    return quote(path)


# --- the MkDocs build --------------------------------------------------------------------------------

def current(root: Path) -> tuple[Visibility, Audience]:
    """The project's visibility settings and the audience being built (PLAYBOOK_AUDIENCE, or the default)."""
    visibility = load_visibility(read_config(root))
    return visibility, visibility.audience(os.environ.get(AUDIENCE_ENV) or None)


def prune_nav(nav: Any, left: set[str]) -> Any:
    """The navigation without the pages left out; sections left empty go too."""
    if isinstance(nav, list):
        items = [prune_nav(item, left) for item in nav]
        return [item for item in items if item not in (None, [], {})]
    if isinstance(nav, dict):
        pruned = {title: prune_nav(value, left) for title, value in nav.items()}
        return {title: value for title, value in pruned.items() if value not in (None, [], {})} or None
    return None if nav in left else nav
