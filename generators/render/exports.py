"""The catalog for other tools: catalog.json, the JSON Schemas, llms.txt, a plain-text export and CSV tables.

Every export is plain data built from the validated entries; the same catalog and release give
the same bytes. The site files are static (.json, .txt): MkDocs copies them as they are and
never reads them as pages, so catalog text in them is not escaped. Prose is given as written, except
its citations: each becomes the text a page of the same edition shows for it (load.citations.shown),
so an export names nothing its edition leaves out.
"""

from __future__ import annotations

import csv
import io
import json
import types
from collections.abc import Iterable
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..load.governance import ENDED
from ..models import KINDS, Entry
from ..models.common import ITEM_REF_PATTERN, SLUG_PATTERN, Cites, Markdown, RefTo
from ..models.graph import Graph
from ..models.walk import marked
from ..project import Release
from .pages import page_url
from .schemas import schemas

#: Bumped when the shape of catalog.json changes in a way readers must know about.
SCHEMA_VERSION = 1
TITLE = "AI Architecture Playbook"
SUMMARY = ("The organisation's AI architecture playbook: reference architectures, standards and guardrails, "
           "checklists, threat models, decision records, KPIs, the tools radar, incident playbooks and onboarding kits.")
#: The fields every entry has, shown first in the text export and the CSV tables.
COMMON = ("id", "title", "status", "owners", "tags", "last_reviewed", "review_every", "summary")
#: A spreadsheet reads a cell starting with one of these as a formula; the CSV export puts an apostrophe
#: before them (and before a leading apostrophe, so that dropping one apostrophe always gives the value back).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def entry_data(catalog: Catalog, entry: Entry) -> dict[str, Any]:
    """An entry's fields as JSON values, by alias, with the citations in its prose as `catalog` shows them."""
    data = entry.model_dump(mode="json", by_alias=True)
    prose = {text: prose_text(catalog, text) for marker in (Markdown, Cites) for _, _, text in marked(entry, marker)
             if "[[" in text}
    return _replaced(data, prose) if prose else data


def _replaced(value: Any, texts: dict[str, str]) -> Any:
    """`value` with every string that is a key of `texts` replaced by its value, at any depth."""
    if isinstance(value, str):
        return texts.get(value, value)
    if isinstance(value, dict):
        return {key: _replaced(inner, texts) for key, inner in value.items()}
    if isinstance(value, list):
        return [_replaced(inner, texts) for inner in value]
    return value


def catalog_data(catalog: Catalog, graph: Graph, release: Release | None) -> dict[str, Any]:
    """Every entry, by id, with its file, page and resolved relations, and the version it was published as."""
    entries = []
    for entry_id in sorted(catalog.entries):
        entry = catalog.entries[entry_id]
        entries.append({
            "kind": entry.kind,
            "file": catalog.files[entry_id],
            "page": page_url(entry),
            **entry_data(catalog, entry),
            "relations": {
                "outgoing": [{"relation": r.relation.name, "target": r.target} for r in graph.outgoing.get(entry_id, [])],
                "incoming": [{"relation": r.relation.inverse, "source": r.source} for r in graph.incoming.get(entry_id, [])],
            },
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "playbook": {"version": release.version if release else None, "commit": release.commit if release else None},
        "entries": entries,
    }


def catalog_json(catalog: Catalog, graph: Graph, release: Release | None) -> str:
    """The whole catalog as JSON."""
    return json.dumps(catalog_data(catalog, graph, release), indent=1, ensure_ascii=False) + "\n"


def current(catalog: Catalog) -> list[tuple[type[Entry], list[Entry]]]:
    """Each kind, in site order, with its entries that are not deprecated, superseded, retired or rejected."""
    return [(model, sorted((e for e in catalog.of_kind(model) if e.status not in ENDED), key=lambda e: e.id))
            for model in KINDS]


def llms_txt(catalog: Catalog) -> str:
    """The current entries in the llms.txt format: a title, a summary, one linked line per entry."""
    lines = [f"# {TITLE}", "", f"> {SUMMARY}", "",
             "Only current guidance is listed: deprecated, superseded, retired and rejected entries are left out. "
             "The full text of these entries is in [playbook.txt](playbook.txt); every entry with its relations, "
             "as data, is in [catalog.json](catalog.json)."]
    for model, entries in current(catalog):
        if entries:
            lines += ["", f"## {model.label}", ""]
            lines += [f"- [{_link_text(e.title)}]({page_url(e)}): {prose_text(catalog, e.summary)}" for e in entries]
    lines += ["", "## Optional", ""]
    lines += [f"- [{model.singular} schema](schemas/{model.kind}.schema.json): the JSON Schema of {model.noun()} entries"
              for model in KINDS]
    return "\n".join(lines) + "\n"


def _link_text(text: str) -> str:
    """Text that cannot end a Markdown link early."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def playbook_txt(catalog: Catalog, release: Release | None) -> str:
    """The current entries as plain text, one block per entry: its common fields, then every other field."""
    groups = current(catalog)
    count = sum(len(entries) for _, entries in groups)
    heading = f"{TITLE}: current entries"
    lines = [heading, "=" * len(heading), "", SUMMARY]
    if release:
        lines.append(f"Version {release.version}, built from commit {release.commit}.")
    lines.append(f"{count} entries; deprecated, superseded, retired and rejected entries are left out.")
    for model, entries in groups:
        for entry in entries:
            lines += ["", "", *entry_text(catalog, entry)]
    return "\n".join(lines) + "\n"


def entry_text(catalog: Catalog, entry: Entry) -> list[str]:
    """One entry of `catalog` as lines of plain text: a heading, labelled fields, nested values indented below their
    label."""
    data = entry_data(catalog, entry)
    lines = [entry.title, "-" * len(entry.title), f"Kind: {type(entry).singular}", f"Id: {entry.id}",
             f"Status: {entry.status}", f"Owners: {', '.join(entry.owners)}"]
    if entry.tags:
        lines.append(f"Tags: {', '.join(entry.tags)}")
    lines += [f"Last reviewed: {data['last_reviewed']}", f"Review every: {entry.review_every}",
              f"Page: {page_url(entry)}", f"Summary: {entry.summary}"]
    for key, value in data.items():
        if key not in COMMON:
            lines += _field_lines(_label(key), value, 0)
    return lines


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).rstrip("\n")


def _field_lines(label: str, value: Any, indent: int) -> list[str]:
    """A labelled value: scalars on the label's line, text of several lines, lists and mappings below it."""
    pad = " " * indent
    if value is None or value == [] or value == {}:
        return []
    if isinstance(value, dict):
        nested = [line for key, inner in value.items() for line in _field_lines(_label(key), inner, indent + 2)]
        return [f"{pad}{label}:", *nested] if nested else []
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return [line for number, item in enumerate(value, 1) for line in _field_lines(f"{label} {number}", item, indent)]
    if isinstance(value, list):
        return [f"{pad}{label}:", *(line for item in value for line in _indented(_scalar(item), indent + 2, "- "))]
    text = _scalar(value)
    if "\n" not in text:
        return [f"{pad}{label}: {text}"]
    return [f"{pad}{label}:", *_indented(text, indent + 2)]


def _indented(text: str, indent: int, bullet: str = "") -> list[str]:
    """Text as it is, every line moved right by `indent` (after a bullet on the first line); blank lines stay empty."""
    first = " " * indent + bullet
    rest = " " * (indent + len(bullet))
    return [(first if n == 0 else rest) + line if line.strip() else "" for n, line in enumerate(text.split("\n"))]


def site_files(catalog: Catalog, graph: Graph, release: Release | None) -> dict[str, str]:
    """The static files published under the generated folder: catalog.json, the schemas, llms.txt, playbook.txt."""
    return {
        "catalog.json": catalog_json(catalog, graph, release),
        **{f"schemas/{name}": text for name, text in schemas().items()},
        "llms.txt": llms_txt(catalog),
        "playbook.txt": playbook_txt(catalog, release),
    }


def _is_token(annotation: Any) -> bool:
    """Whether values of a field are ids or fixed words, which never hold '; ' and can be joined with it."""
    if get_origin(annotation) is Literal:
        return True
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, RefTo) or getattr(meta, "pattern", None) in (SLUG_PATTERN, ITEM_REF_PATTERN):
            return True
    return False


def _cell_kind(annotation: Any) -> str:
    """How a field goes into a CSV cell: 'scalar', 'joined' (a list of ids or words) or 'json'."""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is list:
        inner = get_args(annotation)[0]
        return "joined" if _is_token(inner) else "json"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "json"
    return "scalar"


def _cell(value: Any, how: str) -> str:
    if value is None:
        text = ""
    elif how == "joined":
        text = "; ".join(value)
    elif how == "json":
        text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def kind_table(catalog: Catalog, model: type[Entry], entries: Iterable[Entry]) -> str:
    """One kind as CSV: the common columns, then the kind's own fields, one row per entry, by id.

    Lists of ids or fixed words are joined with '; ', other lists and nested values are JSON, and a
    cell that a spreadsheet would run as a formula starts with an apostrophe.
    """
    fields = {(info.alias or name): _cell_kind(info.annotation) for name, info in model.model_fields.items()}
    columns = [*COMMON, *(key for key in fields if key not in COMMON)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for entry in sorted(entries, key=lambda e: e.id):
        data = entry_data(catalog, entry)
        writer.writerow([_cell(data[key], fields[key]) for key in columns])
    return out.getvalue()


def csv_tables(catalog: Catalog) -> dict[str, str]:
    """`<folder>.csv` for every kind (a header only when the kind has no entries) mapped to its CSV text."""
    return {f"{model.folder}.csv": kind_table(catalog, model, catalog.of_kind(model)) for model in KINDS}
