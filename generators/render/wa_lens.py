"""The edition's checklists as a custom lens of the AWS Well-Architected Tool, for teams that hold their reviews there.

The format is the Tool's lens format specification (schema version 2021-11-01),
https://docs.aws.amazon.com/wellarchitected/latest/userguide/lenses-format-specification.html, with the size limit of
ImportLens, https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_ImportLens.html (500 KB). Where the
Tool's API returns a field with a shorter limit than the specification allows (its model in botocore,
https://github.com/boto/botocore/blob/develop/botocore/data/wellarchitected/2020-03-31/service-2.json: PillarId and
ChoiceId 64 characters; LensDescription, QuestionDescription and ChoiceContentDisplayText 1,024; a question's
HelpfulResourceDisplayText 64), the shorter limit is kept, so that every answer reads back whole.

How a checklist becomes a pillar:

- Each active checklist is one pillar named by its title, in id order. A checklist of more than 20 items (the most
  questions a pillar holds) is cut into pillars of at most 20, named "Title (1 of 3)" and so on.
- Each item is a question. Its id is `<checklist id>__<item id>` with `_` for `-`, the same in every export, which is
  how `playbook import wa-answers` finds the item again. Its title is the item's title (cut to 128 characters with
  "…"; the whole title then opens the description); its description is the evidence a reviewer expects and the
  item's severity.
- Each question has two choices. An item is one thing, done or not, so one best practice, `done` ("Done"), stands
  for it. `open_no` ("Not done yet") is the Tool's "None of these" choice (an id ending in `_no`): choosing it
  records that the item is open, which is an answer, where no choice leaves the question unanswered. An item that
  does not apply is marked in the Tool as a question that does not apply (the answer's `IsApplicable`), not with a
  choice.
- Risk rules: `done` is no risk; the required `default` rule is a high risk for a blocker and a medium risk for a
  major or minor item, since the Tool knows no level between medium and none. The description names the severity.
- With a site address, the question and its `done` choice link to the item on its checklist's page. Without one
  the lens holds no links: the specification makes every helpful resource and improvement plan address optional.
- Catalog text is taken from single-line fields, plain text as typed, with each citation as the words the site shows
  for it. The JSON escapes `<`, `>` and `&`, so the file holds no markup even when pasted into a web page.
- A lens holds at most 10 pillars and 500 KB: beyond that the export is several lenses, `wa-lens-1.json` and on,
  named "(1 of 2)" and so on; a workload can use them all.

Refused with a `ValueError` that names the item: a question description (title when cut, evidence, severity, with
citations as words) or a choice's text over 1,024 characters.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..load.catalog import Catalog
from ..load.citations import prose_text
from ..models.checklist import Checklist, Item

SCHEMA_VERSION = "2021-11-01"
NAME = "AI architecture playbook checklists"
#: The choice that says an item is done, and the Tool's "None of these" choice (its id ends in `_no`).
DONE, OPEN = "done", "open_no"
#: The Tool's risk for an item that is not done, by the item's severity.
RISKS = {"blocker": "HIGH_RISK", "major": "MEDIUM_RISK", "minor": "MEDIUM_RISK"}

MAX_PILLARS = 10
MAX_QUESTIONS = 20
MAX_BYTES = 500_000
MAX_TITLE = 128
MAX_TEXT = 1_024
MAX_PILLAR_ID = 64
MAX_QUESTION_ID = 128
#: A question's helpful resource text; the Tool's API returns at most 64 characters of it.
QUESTION_RESOURCE = "The item on its playbook checklist page"


def _id(text: str, limit: int) -> str:
    """A slug as an id the Tool takes (3 or more letters, digits and underscores, at most `limit`); a longer one is
    cut and ends in a hash of the whole, so it stays unique and the same in every export."""
    name = text.replace("-", "_").ljust(3, "_")
    if len(name) <= limit:
        return name
    return f"{name[:limit - 9]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def question_id(checklist_id: str, item_id: str) -> str:
    """The id of an item's question: the same in every export, so that answers find their item again."""
    return _id(f"{checklist_id}__{item_id}", MAX_QUESTION_ID)


def _clip(text: str, limit: int = MAX_TITLE) -> str:
    """`text` cut to `limit` characters at a word where it can be, with '…' to show it was cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _text(catalog: Catalog, line: str) -> str:
    """A line of catalog text as the site shows it: citations as their words, one line."""
    return " ".join(prose_text(catalog, line).split())


def _checked(text: str, what: str, checklist: Checklist, item: Item) -> str:
    if len(text) > MAX_TEXT:
        raise ValueError(f"checklist '{checklist.id}', item '{item.id}': {what} would have {len(text):,} characters "
                         f"(citations shown as their words) and the Well-Architected Tool reads at most {MAX_TEXT:,}; "
                         "shorten the item's title or evidence")
    return text


def _question(catalog: Catalog, checklist: Checklist, item: Item, page: str) -> dict[str, Any]:
    title, evidence = _text(catalog, item.title), _text(catalog, item.evidence)
    shown = _clip(title)
    description = " ".join([*([_sentence(title)] if shown != title else []),
                            _sentence(f"Evidence a reviewer expects: {evidence}"),
                            f"Severity in the playbook: {item.severity}."])
    url = f"{page}#{item.id}" if page else ""
    question: dict[str, Any] = {"id": question_id(checklist.id, item.id), "title": shown,
                                "description": _checked(description, "the question's description", checklist, item)}
    done: dict[str, Any] = {
        "id": DONE, "title": "Done",
        "helpfulResource": {"displayText": _checked(_sentence(f"Evidence a reviewer expects: {evidence}"),
                                                    "the Done choice's helpful text", checklist, item)},
        "improvementPlan": {"displayText": _checked(
            f"Complete the item and record its evidence ({evidence}), then put the link to the evidence in this "
            "question's notes.", "the Done choice's improvement plan", checklist, item)},
    }
    if url:
        question["helpfulResource"] = {"displayText": QUESTION_RESOURCE, "url": url}
        done["helpfulResource"]["url"] = done["improvementPlan"]["url"] = url
    question["choices"] = [done, {"id": OPEN, "title": "Not done yet", "helpfulResource": {
        "displayText": "Choose this while the item is open, and say in the notes what is missing."}}]
    question["riskRules"] = [{"condition": DONE, "risk": "NO_RISK"},
                             {"condition": "default", "risk": RISKS[item.severity]}]
    return question


def _pillars(catalog: Catalog, checklist: Checklist, site_url: str) -> list[dict[str, Any]]:
    """The pillars of one checklist: one, or one per run of 20 items."""
    page = f"{site_url.rstrip('/')}/playbook/{checklist.folder}/{checklist.id}/" if site_url else ""
    questions = [_question(catalog, checklist, item, page) for item in checklist.items]
    runs = [questions[i:i + MAX_QUESTIONS] for i in range(0, len(questions), MAX_QUESTIONS)]
    title = " ".join(checklist.title.split())  # a title cannot cite: the site shows it as typed
    if len(runs) == 1:
        return [{"id": _id(checklist.id, MAX_PILLAR_ID), "name": _clip(title), "questions": runs[0]}]
    # '--' joins the part's number: no slug holds it, so no other checklist's pillar can have the same id
    return [{"id": _id(f"{checklist.id}--{n}", MAX_PILLAR_ID),
             "name": _clip(title, MAX_TITLE - len(f" ({n} of {len(runs)})")) + f" ({n} of {len(runs)})",
             "questions": run} for n, run in enumerate(runs, 1)]


def _lens(pillars: list[dict[str, Any]], part: int, parts: int) -> dict[str, Any]:
    names = "; ".join(p["name"] for p in pillars)
    what = f"Part {part} of {parts} of the checklists" if parts > 1 else "The checklists"
    description = (f"{what} in force in the AI architecture playbook, as questions answered Done or Not done yet, "
                   f"each describing the evidence a reviewer expects. Pillars: {names}")
    return {"schemaVersion": SCHEMA_VERSION, "name": NAME + (f" ({part} of {parts})" if parts > 1 else ""),
            "description": _clip(description, MAX_TEXT), "pillars": pillars}


def _json(lens: dict[str, Any]) -> str:
    text = json.dumps(lens, indent=2, ensure_ascii=False) + "\n"
    # the same strings once read; no markup if the file is ever shown inside a page
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def wa_lens(catalog: Catalog, site_url: str = "") -> dict[str, str]:
    """The active checklists of `catalog` as custom lens files: `wa-lens.json`, or `wa-lens-1.json` and on when one
    lens cannot hold them; questions link to their items' pages under `site_url` when given."""
    checklists = [c for c in catalog.by_id(Checklist) if c.status == "active"]
    if not checklists:
        raise ValueError("the edition has no active checklist to export as a lens; activate one (status: active)")
    groups: list[list[dict[str, Any]]] = [[]]
    for pillar in (p for checklist in checklists for p in _pillars(catalog, checklist, site_url)):
        current = groups[-1]
        # measured with the longest part numbers the lens could carry
        fits = len(current) < MAX_PILLARS and len(_json(_lens([*current, pillar], 999, 999)).encode()) <= MAX_BYTES
        if current and not fits:
            groups.append([])
        groups[-1].append(pillar)
    if len(groups) == 1:
        return {"wa-lens.json": _json(_lens(groups[0], 1, 1))}
    return {f"wa-lens-{n}.json": _json(_lens(group, n, len(groups))) for n, group in enumerate(groups, 1)}
