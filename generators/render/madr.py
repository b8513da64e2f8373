"""The edition's decision records as MADR 4 Markdown: `playbook export --format madr` writes `adrs/<id>.md`.

Each record follows the template of MADR 4.0.0
(https://github.com/adr/madr/blob/4.0.0/template/adr-template.md): YAML front matter with `status`, `date`,
`decision-makers`, `consulted` and `informed`; the title as `# Title`; `## Context and Problem Statement`,
`## Decision Drivers`, `## Considered Options`, `## Decision Outcome` opening with 'Chosen option: "Title", because
...' and holding `### Consequences` ('Good, because ...', 'Neutral, because ...', 'Bad, because ...') and
`### Confirmation`; `## Pros and Cons of the Options` with one `### Option` each; `## More Information` with the
links to the records it supersedes and to the one that supersedes it. A superseded record's status reads
'superseded by ADR-0007', as the template writes it. Empty sections are left out, as the template allows.

What MADR has no place for sits under one front matter key of its own, `playbook`: the entry's id, summary,
owners, last_reviewed, review_every, visibility, values, field_visibility, template and source, and the
visibility of options (`option_visibility`, by title). `playbook import adr` reads a record that has this key back
as the same entry; `tags` stay a plain front matter key, where log4brains reads them too.

Catalog text is data here too. Single-line fields (the title, drivers, options, arguments, consequences) are
plain text: every character that Markdown, HTML or a template engine reads as syntax is escaped with a backslash,
so that any Markdown reader shows it as typed. Prose stays Markdown as the site reads it, with four changes that
keep a record's sections its own: headings move three levels down (the site shows a prose `#` as h4), raw HTML
becomes text (`&lt;`, which the site shows as `<` too), an unclosed code fence is closed, and a citation of what
the edition leaves out becomes the text the site shows for it; other citations stay as written (`[[id]]`).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from markdown_it import MarkdownIt

from ..load.catalog import Catalog
from ..load.citations import cited, shown
from ..models.adr import Adr
from ..resolve.editions import UNAVAILABLE
from ..text import Citation, line_citations, replace_citations
from ..yaml_out import Dumper

#: The front matter key that holds what MADR has no place for.
BLOCK = "playbook"
#: The visibility of options, by title, inside BLOCK.
OPTION_VISIBILITY = "option_visibility"
#: What MADR 4 writes before an argument or a consequence.
GOOD, NEUTRAL, BAD = "Good, because ", "Neutral, because ", "Bad, because "
CHOSEN = "Chosen option: "
#: How many levels a prose heading moves down, as on the site's pages.
HEADING_SHIFT = 3
#: The fields the sections and the MADR front matter keys hold.
IN_MADR = frozenset({"title", "status", "date", "deciders", "consulted", "informed", "tags", "context",
                     "decision_drivers", "considered_options", "outcome", "consequences", "confirmation",
                     "supersedes", "superseded_by"})
#: The fields BLOCK holds: every other field of the model, so that a new field travels too.
BLOCK_FIELDS = tuple(name for name in Adr.model_fields if name not in IN_MADR)


# -- text -------------------------------------------------------------------------------------

#: Characters Markdown (CommonMark and GitHub's), HTML or a template engine read as syntax anywhere in a line.
_SYNTAX = re.compile(r"([\\`*_{}\[\]<>#|~&])")
#: What opens a list at the start of a line.
_OPENER = re.compile(r"^(?:(\d{1,9})([.)])|([-+]))")


def line(text: str, quote: bool = False) -> str:
    """A line of plain text as Markdown inline text that every reader shows as typed (`quote`: `"` too)."""
    text = _SYNTAX.sub(r"\\\1", text)
    if quote:
        text = text.replace('"', '\\"')
    return _OPENER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


#: CommonMark with raw HTML on, as the readers of an exported record parse it.
_MD = MarkdownIt("commonmark")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)*)>")


def shift_headings(lines: list[str], by: int) -> list[str]:
    """`lines` with each heading outside lists, quotes and code moved `by` levels (within 1 to 6), written `# Title`."""
    out = list(lines)
    tokens = _MD.parse("\n".join(lines))
    for index, token in reversed(list(enumerate(tokens))):
        if token.type == "heading_open" and token.level == 0 and token.map:
            level = max(1, min(6, int(token.tag[1]) + by))
            text = " ".join(part.strip() for part in tokens[index + 1].content.split("\n"))
            out[token.map[0] : token.map[1]] = [f"{'#' * level} {text}".rstrip()]
    return out


def _inert_html(lines: list[str]) -> list[str]:
    """`lines` with each start of raw HTML written `&lt;`: in HTML blocks every `<`, in paragraphs and headings
    each one that opens a tag, comment or declaration outside code spans and autolinks."""
    out = list(lines)
    for token in _MD.parse("\n".join(lines)):
        if not token.map:
            continue
        start, end = token.map
        if token.type == "html_block":
            out[start:end] = [text.replace("<", "&lt;") for text in out[start:end]]
        elif token.type == "inline" and any(child.type == "html_inline" for child in token.children or ()):
            out[start:end] = _inert_tags("\n".join(out[start:end])).split("\n")
    return out


def _inert_tags(text: str) -> str:
    """`text` with each `<` that opens a tag, comment or declaration outside code spans and autolinks as `&lt;`."""
    kept = [m.span() for m in _CODE_SPAN.finditer(text)] + [m.span() for m in _AUTOLINK.finditer(text)]
    return _TAG_START.sub(lambda m: m[0] if any(a <= m.start() < b for a, b in kept) else "&lt;", text)


def _closed_fence(lines: list[str]) -> list[str]:
    """`lines` with a closing fence after a fenced code block that runs to their end."""
    for token in _MD.parse("\n".join(lines)):
        if token.type == "fence" and token.level == 0 and token.map and token.map[1] >= len(lines):
            last = lines[token.map[1] - 1].strip() if token.map[1] - token.map[0] > 1 else ""
            if not (last and set(last) == {token.markup[0]} and len(last) >= len(token.markup)):
                return [*lines, token.markup]
    return lines


def _written(citation: Citation) -> str:
    family = f"{citation.family}:" if citation.family else ""
    return f"[[{family}{citation.ref}{'|' + citation.words if citation.words else ''}]]"


def _visible(catalog: Catalog, text: str) -> str:
    """`text` as written when the edition holds all it cites; else each citation as written or, when it cites what
    the edition leaves out, as the text the site shows for it."""
    if all(cited(catalog, citation) for citation in line_citations(text)):
        return text
    return replace_citations(text, lambda c: _written(c) if cited(catalog, c) else shown(catalog, c)[0])


def prose(catalog: Catalog, adr: Adr, field: str, text: str) -> str:
    """A prose field as Markdown that sits inside one section of a record; ValueError when raw HTML in it cannot
    be made text."""
    lines = _closed_fence(_inert_html(shift_headings(_visible(catalog, text).strip("\n").split("\n"), HEADING_SHIFT)))
    if any(t.type in ("html_block", "html_inline") for token in _MD.parse("\n".join(lines))
           for t in [token, *(token.children or ())]):
        raise ValueError(f"ADR {adr.id}: {field} holds raw HTML that the MADR export cannot write as text; "
                         f"write the angle brackets as &lt; and &gt; in {catalog.files.get(adr.id, adr.id)}")
    return "\n".join(lines)


def _plain(catalog: Catalog, text: str, quote: bool = False) -> str:
    return line(_visible(catalog, text), quote)


def _starts_with_paragraph(markdown: str) -> bool:
    tokens = _MD.parse(markdown)
    return bool(tokens) and tokens[0].type == "paragraph_open" and tokens[0].map is not None and tokens[0].map[0] == 0 \
        and not markdown[:1].isspace()


# -- one record -------------------------------------------------------------------------------


def _name(entry_id: str) -> str:
    """How MADR names a record: ADR-0007 for an id that starts with a number, else the id."""
    m = re.match(r"(\d+)-", entry_id)
    return f"ADR-{m[1]}" if m else entry_id


def _visible_data(catalog: Catalog, value: Any) -> Any:
    if isinstance(value, str):
        return _visible(catalog, value)
    if isinstance(value, dict):
        return {k: _visible_data(catalog, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_visible_data(catalog, v) for v in value]
    return value


def front_matter(catalog: Catalog, adr: Adr) -> dict[str, Any]:
    """MADR's metadata, then BLOCK with the fields MADR has no place for."""
    successor = adr.superseded_by if adr.superseded_by in catalog.entries else None
    data: dict[str, Any] = {
        "status": f"superseded by {_name(successor)}" if adr.status == "superseded" and successor else adr.status,
        "date": adr.date,
        "decision-makers": list(adr.deciders),
    }
    data |= {key: list(getattr(adr, key)) for key in ("consulted", "informed", "tags") if getattr(adr, key)}
    block = adr.model_dump(include=set(BLOCK_FIELDS), exclude_defaults=True)
    levels = {o.title: o.visibility for o in adr.considered_options if o.visibility}
    if levels:
        block[OPTION_VISIBILITY] = levels
    # a reference the edition stands in for with a placeholder is left out, as it is from the page
    block = {key: [v for v in value if v != UNAVAILABLE] if isinstance(value, list) else value
             for key, value in block.items() if value != UNAVAILABLE}
    data[BLOCK] = _visible_data(catalog, {key: block[key] for key in [*BLOCK_FIELDS, OPTION_VISIBILITY]
                                          if block.get(key) not in (None, [])})
    return data


def _bullets(items: list[str]) -> str:
    return "\n".join(f"* {item}" for item in items)


def record(catalog: Catalog, adr: Adr) -> str:
    """One ADR as a MADR 4 Markdown file."""
    def text(field: str, value: str) -> str:
        return prose(catalog, adr, field, value)

    parts = [f"# {_plain(catalog, adr.title)}", "## Context and Problem Statement", text("context", adr.context)]
    if adr.decision_drivers:
        parts += ["## Decision Drivers", _bullets([_plain(catalog, d) for d in adr.decision_drivers])]
    parts += ["## Considered Options", _bullets([_plain(catalog, o.title) for o in adr.considered_options])]
    chosen = f'{CHOSEN}"{_plain(catalog, adr.outcome.chosen, quote=True)}"'
    justification = text("outcome.justification", adr.outcome.justification)
    joined = f"{chosen}, because {justification}" if _starts_with_paragraph(justification) else f"{chosen}\n\n{justification}"
    parts += ["## Decision Outcome", joined]
    consequences = [GOOD + _plain(catalog, c) for c in adr.consequences.good] + \
        [NEUTRAL + _plain(catalog, c) for c in adr.consequences.neutral] + [BAD + _plain(catalog, c) for c in adr.consequences.bad]
    if consequences:
        parts += ["### Consequences", _bullets(consequences)]
    if adr.confirmation:
        parts += ["### Confirmation", text("confirmation", adr.confirmation)]
    parts.append("## Pros and Cons of the Options")
    for index, option in enumerate(adr.considered_options):
        parts.append(f"### {_plain(catalog, option.title)}")
        if option.description:
            parts.append(text(f"considered_options[{index}].description", option.description))
        arguments = [GOOD + _plain(catalog, p) for p in option.pros] + [BAD + _plain(catalog, c) for c in option.cons]
        if arguments:
            parts.append(_bullets(arguments))
    links = [f"Supersedes [{_name(old)}]({old}.md): {_plain(catalog, catalog.entries[old].title)}"
             for old in adr.supersedes if old in catalog.entries]
    if adr.superseded_by in catalog.entries:
        links.append(f"Superseded by [{_name(adr.superseded_by)}]({adr.superseded_by}.md): "
                     f"{_plain(catalog, catalog.entries[adr.superseded_by].title)}")
    if links:
        parts += ["## More Information", _bullets(links)]
    front = yaml.dump(front_matter(catalog, adr), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{front}---\n\n" + "\n\n".join(parts) + "\n"


def madr_files(catalog: Catalog) -> dict[str, str]:
    """`adrs/<id>.md` for every ADR of the catalog (an edition's), in id order."""
    return {f"adrs/{adr.id}.md": record(catalog, adr) for adr in catalog.by_id(Adr)}
