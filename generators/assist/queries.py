"""What the playbook's MCP server answers, as plain functions over one edition's catalog: a search, an entry, what
applies to an architecture or an initiative, the KPIs, and the check of a draft entry.

Every answer is built from the edition's catalog alone, so a server of the public edition tells only what the public
site shows; a draft is checked against that catalog too. Answers are JSON values; `as_text` writes one in at most
MAX_CHARS characters, cutting the longest texts, then the longest lists, and saying so.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..config import read_config
from ..diagnostics import Diagnostic, Report, closest
from ..load.catalog import Catalog
from ..load.checks import check_catalog
from ..load.citations import prose_text
from ..load.documents import Document, load_bytes
from ..load.entries import schema_line, typed
from ..load.governance import Policy, check_governance, load_policy
from ..load.raw_references import check_raw_references
from ..load.visibility import Visibility, check_levels, load_visibility
from ..models import BY_KIND, Entry
from ..models.architecture import Architecture
from ..models.common import SLUG_PATTERN
from ..models.graph import references
from ..models.initiative import Initiative
from ..models.relation import FOLLOWS
from ..pipeline import check_edition
from ..project import CATALOG_DIR, OUTPUT_DIR, Project
from ..render.exports import entry_data
from ..render.pages import page_url
from ..resolve.ai_act import obligations, obligations_dict
from ..resolve.kpi_status import statuses
from ..resolve.portfolio import compute, gap_report

#: The most characters an answer holds: below the 10,000 tokens past which Claude Code warns about a tool's output
#: (https://code.claude.com/docs/en/mcp, "MCP output limits and warnings").
MAX_CHARS = 30_000
#: The most results one search returns, and how many it returns when not told.
MAX_RESULTS = 50
DEFAULT_RESULTS = 10
#: The longest search text, and the largest draft validate_entry reads.
MAX_QUERY_CHARS = 500
MAX_DRAFT_BYTES = 200_000
#: A cut text keeps at least this many characters, before lists are cut too.
MIN_TEXT = 200
#: Where the generated pages sit on the site.
SITE_FOLDER = PurePosixPath(OUTPUT_DIR).name
#: What a query word is worth where it is found: in the title or id, a tag, the summary, anywhere else.
WEIGHTS = {"name": 10, "tags": 6, "summary": 3, "body": 1}
#: The fields a search reads apart from the rest of an entry.
NAMED = ("id", "title", "summary", "tags")


class QueryError(ValueError):
    """A question the edition cannot answer as asked, with what to ask instead."""


def words_of(text: str) -> list[str]:
    """The words of `text`, in lower case: runs of letters and digits."""
    return re.findall(r"[^\W_]+", text.lower())


@dataclass(frozen=True)
class Words:
    """The distinct words of a text, sorted, to tell quickly whether one begins with a query word."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, *texts: str) -> Words:
        return cls(tuple(sorted({word for text in texts for word in words_of(text)})))

    def begins(self, prefix: str) -> bool:
        at = bisect.bisect_left(self.words, prefix)
        return at < len(self.words) and self.words[at].startswith(prefix)


@dataclass(frozen=True)
class Searchable:
    """What a search reads of one entry, and the texts a result shows (citations as the edition shows them)."""

    title: str
    summary: str
    fields: dict[str, Words]


def _strings(value: Any) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _strings(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _strings(inner)]
    return []


def _searchable(catalog: Catalog, entry: Entry) -> Searchable:
    data = entry_data(catalog, entry)
    title, summary = data["title"], data["summary"]
    body = [text for key, value in data.items() if key not in NAMED for text in _strings(value)]
    return Searchable(title, summary, {"name": Words.of(title, entry.id), "tags": Words.of(*entry.tags),
                                       "summary": Words.of(summary), "body": Words.of(*body)})


@dataclass(frozen=True)
class Playbook:
    """One edition as the server answers from it: its catalog, the project's levels and rules, the day reviews are
    judged on (the policy's), the published site's address ("" when not given) and the search index."""

    catalog: Catalog
    audience: str
    visibility: Visibility
    policy: Policy
    site_url: str
    index: dict[str, Searchable]

    @classmethod
    def of(cls, catalog: Catalog, audience: str, visibility: Visibility, policy: Policy, site_url: str = "") -> Playbook:
        index = {entry_id: _searchable(catalog, entry) for entry_id, entry in sorted(catalog.entries.items())}
        return cls(catalog, audience, visibility, policy, site_url.rstrip("/"), index)

    def url(self, entry: Entry) -> str:
        """The entry's page: on the published site when its address is known, else from the site's root."""
        path = f"{SITE_FOLDER}/{page_url(entry)}"
        return f"{self.site_url}/{path}" if self.site_url else path


def served(project: Project, audience: str | None = None, today: dt.date | None = None, site_url: str = "",
           jobs: int | None = None) -> tuple[Playbook | None, Report]:
    """Check the catalog and cut the edition of `audience` (the configured default when None); None, with the
    report saying why, when the catalog or the audience has errors."""
    config = read_config(project.root)
    result, report = check_edition(project, audience, today, detail=False, jobs=jobs, config=config)
    if result is None:
        return None, report
    policy = load_policy(config, today or dt.date.today())
    return Playbook.of(result.catalog, result.audience.name, load_visibility(config), policy, site_url), report


def _clipped(text: str, most: int = 80) -> str:
    """A value the caller gave, quoted back short."""
    return text if len(text) <= most else text[:most] + "…"


def _known(playbook: Playbook, entry_id: str) -> Entry:
    found = playbook.catalog.entries.get(entry_id)
    if found is None:
        hint = closest(entry_id, playbook.catalog.entries) or "search_entries finds entries by their words"
        raise QueryError(f"no entry of the {playbook.audience} edition has the id '{_clipped(entry_id)}'; {hint}")
    return found


def _kind(kind: str) -> type[Entry]:
    if kind not in BY_KIND:
        hint = closest(kind, BY_KIND)
        raise QueryError(f"'{_clipped(kind)}' is not a kind" + (f"; {hint}" if hint else "")
                         + f" (kinds: {', '.join(sorted(BY_KIND))})")
    return BY_KIND[kind]


def _shown(playbook: Playbook, text: str) -> str:
    """A line of catalog text with its citations as the edition's pages show them."""
    return prose_text(playbook.catalog, text) if "[[" in text else text


def _brief(playbook: Playbook, entry: Entry) -> dict[str, Any]:
    """An entry as a search result: enough to choose it, and where to read it."""
    known = playbook.index[entry.id]
    return {"id": entry.id, "kind": entry.kind, "title": known.title, "status": getattr(entry, "status", None),
            "summary": known.summary, "url": playbook.url(entry)}


def _score(known: Searchable, words: list[str]) -> int | None:
    """How well an entry matches every query word, or None when a word is nowhere in it."""
    score = 0
    for word in words:
        found = [weight for name, weight in WEIGHTS.items() if known.fields[name].begins(word)]
        if not found:
            return None
        score += sum(found)
    return score


def search(playbook: Playbook, text: str = "", kind: str | None = None, tag: str | None = None,
           status: str | None = None, owner: str | None = None, limit: int = DEFAULT_RESULTS) -> dict[str, Any]:
    """The entries holding every word of `text` (each word also matches the words it begins) and passing every
    filter given, best first: a word in the title or id counts most, then in a tag, the summary, the rest."""
    if not 1 <= limit <= MAX_RESULTS:
        raise QueryError(f"limit is a number from 1 to {MAX_RESULTS}, not {limit}")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the search text has {len(text):,} characters; give at most {MAX_QUERY_CHARS}: a few words")
    model = _kind(kind) if kind is not None else None
    words = list(dict.fromkeys(words_of(text)))
    found = []
    for entry_id, known in playbook.index.items():
        entry = playbook.catalog.entries[entry_id]
        if ((model is not None and not isinstance(entry, model)) or (tag is not None and tag not in entry.tags)
                or (status is not None and getattr(entry, "status", None) != status)
                or (owner is not None and owner not in entry.owners)):
            continue
        if (score := _score(known, words)) is not None:
            found.append((-score, entry_id))
    found.sort()
    asked = {"text": text, "kind": kind, "tag": tag, "status": status, "owner": owner}
    return {"query": {name: value for name, value in asked.items() if value}, "total": len(found),
            "results": [_brief(playbook, playbook.catalog.entries[entry_id]) for _, entry_id in found[:limit]]}


def entry(playbook: Playbook, entry_id: str) -> dict[str, Any]:
    """An entry as the JSON export holds it (its file, page, fields and relations), with its page's address."""
    found = _known(playbook, entry_id)
    graph = playbook.catalog.graph
    return {
        "kind": found.kind,
        "file": playbook.catalog.files[found.id],
        "page": page_url(found),
        "url": playbook.url(found),
        **entry_data(playbook.catalog, found),
        "relations": {
            "outgoing": [{"relation": r.relation.name, "target": r.target} for r in graph.outgoing.get(found.id, [])],
            "incoming": [{"relation": r.relation.inverse, "source": r.source} for r in graph.incoming.get(found.id, [])],
        },
    }


def _listed(playbook: Playbook, ids: list[str]) -> list[dict[str, str]]:
    """The entries of `ids` the edition holds, each once, with title and page."""
    entries = playbook.catalog.entries
    return [{"id": i, "title": playbook.index[i].title, "url": playbook.url(entries[i])}
            for i in dict.fromkeys(ids) if i in entries]


def applies(playbook: Playbook, entry_id: str) -> dict[str, Any]:
    """What applies to a reference architecture or an initiative, and the open gaps of their reviews."""
    found = _known(playbook, entry_id)
    if isinstance(found, Architecture):
        return _architecture(playbook, found)
    if isinstance(found, Initiative):
        return _initiative(playbook, found)
    raise QueryError(f"'{found.id}' is a {found.noun()}; applies_to takes a reference architecture or an initiative "
                     "(get_entry shows any entry)")


def _architecture(playbook: Playbook, architecture: Architecture) -> dict[str, Any]:
    """The standards, checklists and threats an architecture applies, and the open gaps of the initiatives that
    follow it."""
    catalog = playbook.catalog
    following = sorted({r.source for r in catalog.graph.incoming.get(architecture.id, []) if r.relation == FOLLOWS})
    initiatives = []
    for initiative_id in following:
        initiative = catalog.entries[initiative_id]
        assert isinstance(initiative, Initiative)
        gaps = gap_report(catalog, initiative).as_dict()
        initiatives.append({"id": initiative.id, "title": playbook.index[initiative.id].title,
                            "url": playbook.url(initiative), "status": initiative.status, "stage": initiative.stage,
                            "open_items": gaps["open_items"], "standards_open": gaps["standards_open"]})
    return {"id": architecture.id, "kind": architecture.kind, "title": playbook.index[architecture.id].title,
            "url": playbook.url(architecture), "standards": _listed(playbook, architecture.standards),
            "checklists": _listed(playbook, architecture.checklists), "threats": _listed(playbook, architecture.threats),
            "initiatives": initiatives}


def _initiative(playbook: Playbook, initiative: Initiative) -> dict[str, Any]:
    """What applies to an initiative through its architecture and the checklists it answers, and its review as
    `playbook review --format json` prints it, with the titles of the open items."""
    catalog = playbook.catalog
    architecture = catalog.entries.get(initiative.architecture or "")
    followed = architecture if isinstance(architecture, Architecture) else None
    gaps = gap_report(catalog, initiative)
    duties = obligations(catalog, initiative, playbook.policy.today)
    titles = {f"{checklist.id}#{item.id}": _shown(playbook, item.title)
              for items in gaps.open_by_severity.values() for checklist, item in items}
    checklists = [*(followed.checklists if followed else []), *(answered.checklist for answered in initiative.checklists)]
    return {"id": initiative.id, "kind": initiative.kind, "title": playbook.index[initiative.id].title,
            "url": playbook.url(initiative),
            "architecture": _listed(playbook, [followed.id])[0] if followed else None,
            "standards": _listed(playbook, followed.standards if followed else []),
            "checklists": _listed(playbook, checklists),
            "threats": _listed(playbook, followed.threats if followed else []),
            "review": {**gaps.as_dict(), "ai_act": obligations_dict(initiative, duties)},
            "open_item_titles": titles}


def kpis(playbook: Playbook) -> dict[str, Any]:
    """Every KPI that is not retired, as the portfolio dashboard shows it: its target, unit and owner, its status
    against its goal, its latest value (measured, or computed from the catalog) and, for a KPI the catalog computes,
    the initiatives counted and those that pull it down."""
    rows = []
    for status in statuses(playbook.catalog, playbook.policy.today):
        kpi, latest = status.kpi, status.latest
        value = compute(playbook.catalog, kpi, kpi.period(playbook.policy.today))
        rows.append({
            "id": kpi.id, "title": playbook.index[kpi.id].title, "url": playbook.url(kpi),
            "unit": _shown(playbook, kpi.unit), "target": _shown(playbook, kpi.target),
            "owner": _shown(playbook, kpi.owner), "frequency": kpi.frequency, "goal": _shown(playbook, status.goal),
            "status": kpi.status, "state": status.word,
            "latest": None if latest is None else {
                "period": latest.period.label, "value": latest.value, "date": latest.date.isoformat(),
                "source": _shown(playbook, latest.source or ""), "computed": latest.computed},
            "change": status.change,
            "computed": None if value is None else {
                "value": value.value, "shown": value.shown(), "unit": value.unit, "initiatives_counted": value.counted,
                "target_met": value.target_met, "pulling_down": value.pulling_down},
        })
    return {"kpis": rows}


def _draft_kind(text: str, kind: str | None) -> type[Entry]:
    """The kind a draft is checked as: the one named, else the one its schema line names."""
    if kind is not None:
        return _kind(kind)
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    for model in BY_KIND.values():
        if first == schema_line(model.kind):
            return model
    raise QueryError(f"name the draft's kind (one of {', '.join(sorted(BY_KIND))}), or begin the YAML with the line "
                     f"'playbook new' writes, such as {schema_line('standard')}")


def _draft_stem(document: Document | None) -> str:
    """The file name (without .yaml) the draft would have: its id when that is one, else 'draft'."""
    data = document.data if document is not None else None
    found = data.get("id") if isinstance(data, dict) else None
    return found if isinstance(found, str) and re.fullmatch(SLUG_PATTERN, found) else "draft"


def validate(playbook: Playbook, yaml_text: str, kind: str | None = None) -> dict[str, Any]:
    """The diagnostics `playbook check` would give a draft entry added to the edition's catalog (or replacing the
    entry of its id and kind), worded as check words them; nothing is written."""
    raw = yaml_text.encode("utf-8", "surrogatepass")  # a lone surrogate is then reported as bad UTF-8
    if len(raw) > MAX_DRAFT_BYTES:
        raise QueryError(f"the draft is {len(raw):,} bytes; validate_entry reads at most {MAX_DRAFT_BYTES:,}: check one "
                         "entry at a time, or run 'playbook check' on the project")
    model = _draft_kind(yaml_text, kind)
    document, problems = load_bytes(raw, "")
    stem = _draft_stem(document)
    display = f"{CATALOG_DIR}/{model.folder}/{stem}.yaml"
    problems = [replace(d, file=display) for d in problems]
    if document is not None:
        document = replace(document, file=display)
        if document.first_line != schema_line(model.kind):  # worded as load.entries words it
            problems.append(Diagnostic(display, 1, 1, "error", "the first line does not name the kind's JSON Schema", "",
                                       f"make the first line: {schema_line(model.kind)}", "schema-line"))
        draft, found = typed(document, model)
        problems += found
        problems += _in_edition(playbook, document, draft, model, stem, complete=not Report(problems).errors)
    diagnostics = Report(problems).sorted()
    report = Report(diagnostics)
    return {"file": display, "kind": model.kind, "valid": not report.errors, "summary": report.summary(),
            "diagnostics": [{**asdict(d), "text": d.text()} for d in diagnostics]}


def _in_edition(playbook: Playbook, document: Document, draft: Entry | None, model: type[Entry], stem: str,
                complete: bool) -> list[Diagnostic]:
    """The draft's problems with the rest of the edition's catalog: its references, ids, levels and the governance
    rules (those about the whole catalog only when the draft has no other error)."""
    base = playbook.catalog
    # the edition's entries, and its prose cache, which parses only the draft's prose (and keeps it, as a server's
    # cache keeps every edit's)
    catalog = Catalog(dict(base.entries), dict(base.files), dict(base.documents), prose=base.prose)
    if draft is None:  # its references are still checked, as for an invalid catalog file
        catalog.invalid[stem] = model.kind
        return check_raw_references(catalog, [(stem, document, model)])
    if (other := base.entries.get(draft.id)) is not None and other.kind != model.kind:  # worded as load.entries words it
        mark = document.position(("id",))
        return [Diagnostic(document.file, mark.line, mark.column, "error",
                           f"duplicate id '{draft.id}' (also used by {base.files[draft.id]})", "id",
                           "ids are unique across the whole catalog and its sources; rename one of the entries",
                           "duplicate-id")]
    catalog.entries[draft.id], catalog.files[draft.id], catalog.documents[draft.id] = draft, document.file, document
    catalog.references = {**base.references, draft.id: references(draft)}  # found once for the edition's entries
    stems = {entry_id: Path(file).stem for entry_id, file in catalog.files.items()}
    alone = Catalog({draft.id: draft}, {draft.id: document.file}, {draft.id: document})
    found = [d for d in check_catalog(catalog, stems) if d.file == document.file] + check_levels(alone, playbook.visibility)
    complete = complete and not Report(found).errors
    return found + [d for d in check_governance(catalog, catalog.graph, playbook.policy, complete) if d.file == document.file]


def _cut(value: Any, chars: int, items: int) -> Any:
    """`value` with every text longer than `chars` and every list longer than `items` cut short, saying so."""
    if isinstance(value, str):
        return value if len(value) <= chars else value[:chars] + "… [cut]"
    if isinstance(value, list):
        kept = [_cut(inner, chars, items) for inner in value[:items]]
        return kept + ([f"… [{len(value) - items} more cut]"] if len(value) > items else [])
    if isinstance(value, dict):
        return {key: _cut(inner, chars, items) for key, inner in value.items()}
    return value


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _longest(value: Any) -> tuple[int, int]:
    """The longest text and the longest list inside a JSON value."""
    if isinstance(value, str):
        return len(value), 0
    inner = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    found = [_longest(item) for item in inner]
    return (max((t for t, _ in found), default=0),
            max([len(value) if isinstance(value, list) else 0, *(n for _, n in found)]))


def _largest(fits: Any, low: int, high: int) -> int | None:
    """The largest number from `low` to `high` that `fits`, which holds for all below one that holds; None if none."""
    if not fits(low):
        return None
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return low


def as_text(answer: dict[str, Any], limit: int = MAX_CHARS) -> str:
    """An answer as JSON text of at most `limit` characters: when longer, texts are cut first (to no less than
    MIN_TEXT characters), then lists, and a `truncated` note says how."""
    text = _text(answer)
    if len(text) <= limit:
        return text
    longest_text, longest_list = _longest(answer)
    room = limit - 300  # for the note
    chars = _largest(lambda n: len(_text(_cut(answer, n, longest_list))) <= room, min(MIN_TEXT, longest_text),
                     longest_text)
    if chars is not None:
        cut, how = _cut(answer, chars, longest_list), f"texts longer than {chars:,} characters are cut"
    else:
        chars = min(MIN_TEXT, longest_text)
        items = _largest(lambda n: len(_text(_cut(answer, chars, n))) <= room, 0, longest_list) or 0
        cut = _cut(answer, chars, items)
        how = f"texts longer than {chars:,} characters and lists longer than {items} items are cut"
    note = f"this answer was cut to fit {limit:,} characters: {how}, each where it says so"
    return _text({**cut, "truncated": note})
