"""Citations in prose and in lines of text (`[[entry-id]]`, `[[entry-id#item-id]]`, `[[value:name]]`): what each
cites in a catalog, what is wrong with one that cites nothing, and what a page (HTML or Markdown) and an export
(plain text) show for it.

Items are cited where their entry's page gives them an anchor: a checklist's items, a standard's rules and an
onboarding kit's phases, each by its id. A named value is cited by its name, shown as the value and linked to
where its entry's page states it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..diagnostics import closest
from ..models import BY_KIND, Entry
from ..models.checklist import Checklist
from ..models.onboarding import OnboardingKit
from ..models.standard import Standard
from ..text import Citation, html_link, html_text, inline, replace_citations
from .catalog import Catalog

#: What a page shows for a citation of something its edition leaves out, when the author gave no words of their own.
UNAVAILABLE_TEXT = "unavailable in this edition"
UNAVAILABLE = f"<em>{UNAVAILABLE_TEXT}</em>"
#: How to write a citation, for hints.
FORMS = "cite an entry as [[entry-id]], an item of one as [[entry-id#item-id]] and a named value as [[value:name]]"
#: The family of named values' citations.
VALUE = "value"


def value_anchor(name: str) -> str:
    """The fragment of a named value on its entry's page."""
    return f"value-{name}"


@dataclass(frozen=True)
class Cited:
    """What a citation cites: an entry, the fragment of the item on the entry's page ('' for the entry), the link text."""

    entry: Entry
    anchor: str
    title: str


def items(entry: Entry) -> tuple[str, dict[str, str]]:
    """The noun of the items an entry lets prose cite, and each one's link text by id; no items for most kinds."""
    if isinstance(entry, Checklist):
        return "item", {item.id: f"{entry.title}: {item.title}" for item in entry.items}
    if isinstance(entry, Standard):
        return "rule", {rule.id: f"{entry.title}: {rule.id}" for rule in entry.rules}
    if isinstance(entry, OnboardingKit):
        return "phase", {phase.id: f"{entry.title}: {phase.title}" for phase in entry.phases}
    return "item", {}


def cited(catalog: Catalog, citation: Citation) -> Cited | None:
    """What `citation` cites in `catalog` (an edition holds less than the whole catalog), or None."""
    if citation.family == VALUE:
        home = catalog.values.get(citation.ref)
        return None if home is None else Cited(home[0], f"#{value_anchor(citation.ref)}", home[1].text())
    entry_id, _, item_id = citation.ref.partition("#")
    entry = catalog.entries.get(entry_id)
    if citation.family or entry is None:
        return None
    if not item_id:
        return Cited(entry, "", entry.title)
    title = items(entry)[1].get(item_id)
    return None if title is None else Cited(entry, f"#{item_id}", _flat(catalog, title))


def _flat(catalog: Catalog, title: str) -> str:
    """An item's title with its own citations as words, one level deep: a title that cites a title that cites it
    back cannot loop."""
    def words(citation: Citation) -> str:
        if citation.words:
            return citation.words
        if citation.family == VALUE:
            home = catalog.values.get(citation.ref)
            return home[1].text() if home else UNAVAILABLE_TEXT
        entry = catalog.entries.get(citation.ref.partition("#")[0])
        return entry.title if entry and not citation.family else UNAVAILABLE_TEXT

    return replace_citations(title, words)


def problem(catalog: Catalog, citation: Citation, kinds: dict[str, str]) -> tuple[str, str] | None:
    """Why `citation` cites nothing in the whole catalog, and a hint; None when it cites something.

    `kinds` holds the kind of every entry, valid or not: a citation of an invalid entry is not reported again.
    """
    if citation.family == VALUE:
        if citation.ref in catalog.values:
            return None
        return (f"no named value is called '{citation.ref}', cited as {citation.written}",
                closest(citation.ref, catalog.values) or "name a value in the 'values' of the entry that owns it")
    if citation.family:
        return f"'{citation.family}:' does not begin a citation this playbook knows, in {citation.written}", FORMS
    entry_id, _, item_id = citation.ref.partition("#")
    if entry_id not in kinds:
        return f"no entry has the id '{entry_id}', cited as {citation.written}", closest(entry_id, kinds) or FORMS
    entry = catalog.entries.get(entry_id)
    if entry is None or not item_id:
        return None
    noun, titles = items(entry)
    if not titles:
        return (f"a {BY_KIND[entry.kind].noun()} has no items to cite, cited as {citation.written}",
                f"cite the entry as [[{entry_id}]]; checklists' items, standards' rules and onboarding kits' phases "
                "can be cited")
    if item_id not in titles:
        return (f"{BY_KIND[entry.kind].noun()} '{entry_id}' has no {noun} '{item_id}', cited as {citation.written}",
                closest(item_id, titles) or f"{noun}s: {', '.join(titles)}")
    return None


def shown(catalog: Catalog, citation: Citation) -> tuple[str, Cited | None]:
    """What a page of `catalog` shows for a citation: its text, and what it links to. Its text is the author's words
    or the title of what it cites; what the edition leaves out shows neither its title nor a link: the author's
    words, or 'unavailable in this edition'."""
    found = cited(catalog, citation)
    return citation.words or (found.title if found else UNAVAILABLE_TEXT), found


def citation_html(catalog: Catalog, href: Callable[[Entry], str], citation: Citation) -> str:
    """A citation as a page of `catalog` shows it (`shown`): a link to what it cites, where `href` gives an entry's
    page from the page being made."""
    text, found = shown(catalog, citation)
    if found is None:
        return html_text(text) if citation.words else UNAVAILABLE
    return html_link(text, href(found.entry) + found.anchor)


def citation_markdown(catalog: Catalog, citation: Citation) -> str:
    """A citation in a line of text as a generated page (one folder below the site's root) shows it: a Markdown link
    to what it cites, or its text alone when the edition leaves that out."""
    text, found = shown(catalog, citation)
    if found is None:
        return inline(text) if citation.words else f"*{UNAVAILABLE_TEXT}*"
    # ids and anchors are slugs; the class underlines a citation inside text (a link told apart by colour alone fails
    # readers who do not see the colour)
    return f"[{inline(text)}](../{found.entry.folder}/{found.entry.id}.md{found.anchor}){{ .pb-cite }}"


def prose_text(catalog: Catalog, markdown: str) -> str:
    """A prose field as an export of `catalog` gives it: as written, each citation replaced by the text a page
    shows for it (`shown`), without a link."""
    return replace_citations(markdown, lambda citation: shown(catalog, citation)[0])


def unclosed(start: str) -> tuple[str, str]:
    """Why a `[[` left without its `]]` (`start`: the text from it on) is an error, and a hint."""
    return (f"'[[' is not closed by ']]' in the same paragraph or table cell, in '{start}'",
            "close the citation with ]]; inside a table, write its bar as \\|, as in [[entry-id\\|own words]]")
