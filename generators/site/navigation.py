"""Where each generated entry belongs in the site's navigation: in a section of its kind, under the kind's index.

mkdocs.yml names each kind's index page (`Reference architectures: playbook/architectures/index.md`) and leaves
the entries out, as their number is the catalog's. `with_entries` turns each such item into a section that holds
the index first (the section's own page, with `navigation.indexes`) and then every page beside it that the
navigation does not name, in path order. Every entry page then has a place: the theme marks its tab, shows its
breadcrumbs (`navigation.path`) and lists its kind's entries in the sidebar with the page marked, while
`navigation.prune` folds every other kind to one link, so a page's HTML grows with its own kind only.

A kind of thousands of entries would still put thousands of links in each of its pages (and make the build
quadratic in them): `sidebar` gives each page a view of the navigation in which its kind lists at most
SIDEBAR_ENTRIES entries, the run of them that holds the page, with links to the run before and the run after.

Once every page has its title (MkDocs reads it from the page's heading), `in_title_order` sorts each kind's
entries by title, as its index lists them.

The pages it adds are the pages the site builds (after an edition has removed what it hides), so the navigation
lists nothing the edition leaves out. Zensical runs no hooks: under it the navigation is mkdocs.yml's, and an entry
is reached from its kind's index.
"""

from __future__ import annotations

import copy
import html
import posixpath
from collections.abc import Iterable, Iterator
from typing import Any

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

INDEX = "index.md"
#: The most entries of one kind a page's sidebar lists.
SIDEBAR_ENTRIES = 30


def with_entries(nav: list[Any], pages: Iterable[str], folder: str) -> list[Any]:
    """The navigation `nav` (as mkdocs.yml writes it) with each titled index page inside `folder` (a path inside the
    docs folder) turned into a section of that index and the `pages` beside it that `nav` does not name."""
    named = set(_named(nav))
    beside: dict[str, list[str]] = {}
    for uri in sorted(set(pages) - named):
        parent = posixpath.dirname(uri)
        if parent.startswith(f"{folder}/"):
            beside.setdefault(parent, []).append(uri)
    return [_filled(item, beside) for item in nav]


def _named(nav: Any) -> Iterator[str]:
    """Every page a navigation names."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _named(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _named(value)


def _filled(item: Any, beside: dict[str, list[str]]) -> Any:
    if isinstance(item, list):
        return [_filled(child, beside) for child in item]
    if isinstance(item, dict):
        return {title: _section(value, beside) if isinstance(value, str) else _filled(value, beside)
                for title, value in item.items()}
    return item


def _section(uri: str, beside: dict[str, list[str]]) -> str | list[str]:
    """An index page and the pages beside it; any other page, or an index with nothing beside it, as it is."""
    parent, name = posixpath.split(uri)
    entries = beside.get(parent) if name == INDEX else None
    return [uri, *entries] if entries else uri


def titled(pages: Iterable[Page]) -> None:
    """Give each page MkDocs has not read a title: under `serve --dirty` it reads only the pages that changed, and a
    page it has not read has none. The title is the one MkDocs gives a page without a heading (from its file name);
    the next full build shows the heading's."""
    for page in pages:
        if page.title is None:
            name = page.file.name.replace("-", " ").replace("_", " ")
            page.title = name.capitalize() if name == name.lower() else name


def in_title_order(pages: Iterable[Page], folder: str) -> None:
    """Sort the entries of each kind's section by title, in place: a section of the `pages` whose first item is an
    index page inside `folder` and whose other items are all pages beside it (as `with_entries` makes them)."""
    sections = {id(page.parent): page.parent for page in pages if page.parent is not None}
    for section in sections.values():
        index, *entries = section.children
        if _kind_index(index, folder) and all(_beside(entry, index) for entry in entries):
            section.children = [index, *sorted(entries, key=_title_key)]


def _kind_index(item: StructureItem, folder: str) -> bool:
    return isinstance(item, Page) and item.is_index and item.file.src_uri.startswith(f"{folder}/")


def _beside(item: StructureItem, index: Page) -> bool:
    return isinstance(item, Page) and posixpath.dirname(item.file.src_uri) == posixpath.dirname(index.file.src_uri)


def _title_key(page: Page) -> tuple[str, str]:
    """A page's title as a reader sorts it (MkDocs keeps the heading's character references), then its path."""
    return html.unescape(page.title or "").casefold(), page.file.src_uri


def sidebar(nav: Navigation, page: Page, size: int = SIDEBAR_ENTRIES, pruned: bool = True) -> Navigation:
    """The navigation as `page` shows it: a copy of `nav` in which a section that lists more than `size` pages besides
    its index lists one run of `size` of them, the run that holds `page` (or the first). Runs start at every
    `size`-th page, so the pages of a run show the same list; a link to the run before opens the list, a link to the
    run after closes it. When the theme prunes the navigation (`pruned`), a section that does not hold the page is
    shown as a link to its first page and keeps only that. `nav` is left as it is; it is returned itself when the
    copy would be the same."""
    items = [_shown(item, page, size, pruned) for item in nav.items]
    if all(shown is item for shown, item in zip(items, nav.items)):
        return nav
    view = copy.copy(nav)
    view.items = items
    return view


def _shown(item: StructureItem, page: Page, size: int, pruned: bool) -> StructureItem:
    """The item as `page` shows it: itself, or a copy of a section with shorter lists in it."""
    if not isinstance(item, Section):
        return item
    if pruned and not item.active:
        children = item.children[:1]
    else:
        children = [_shown(child, page, size, pruned) if isinstance(child, Section) else child
                    for child in item.children]
        index = [child for child in children[:1] if isinstance(child, Page) and child.is_index]
        if len(entries := children[len(index):]) > size:
            children = [*index, *_run(entries, page, size)]
    if len(children) == len(item.children) and all(shown is child for shown, child in zip(children, item.children)):
        return item
    view = copy.copy(item)
    view.children = children
    return view


def _run(entries: list[StructureItem], page: Page, size: int) -> list[StructureItem]:
    """The run of `size` entries that holds `page` (the first run when none does), between links to its neighbours."""
    position = next((i for i, entry in enumerate(entries) if entry is page), 0)
    start = position // size * size
    run: list[StructureItem] = []
    if start:
        run.append(Link(f"Previous {size}", _url(entries[start - size])))
    run += entries[start:start + size]
    if (after := len(entries) - start - size) > 0:
        run.append(Link(f"Next {min(after, size)}", _url(entries[start + size])))
    return run


def _url(item: StructureItem) -> str:
    """Where a link to a page, or to a section's first page, goes."""
    while isinstance(item, Section) and item.children:
        item = item.children[0]
    return str(getattr(item, "url", ""))
