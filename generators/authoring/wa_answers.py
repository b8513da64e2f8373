"""Answers given in the AWS Well-Architected Tool, read back onto an initiative's checklist answers.

The file holds what the AWS CLI prints for the lens made by `playbook export --format wa-lens`: the output of
`aws wellarchitected get-answer` (an object with `Answer`), of `list-answers` (an object with `AnswerSummaries`),
a JSON array of such objects, or several of them one after another. The shapes are the Tool's API,
https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_GetAnswer.html and
https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_ListAnswers.html: `QuestionId`,
`SelectedChoices`, `IsApplicable` and, in a get-answer output only, `Notes`. A summary of list-answers serves for a
question whose get-answer output the file does not hold.

How an answer becomes the initiative's answer to a checklist item:

- The question id names the item (`render.wa_lens.question_id`, from the current catalog's checklists). A question
  of no item is reported as unknown and left out; a file in which no question names an item is refused.
- A question marked as not applying is `not-applicable`; the reason is its notes, or else the reason the initiative
  already gives; without either it is an error.
- `done` chosen is `done`; the evidence is the first http or https address in the notes, or else the evidence the
  initiative already records for the item; without either it is an error.
- `open_no` ("Not done yet") chosen is `open`; the reason is the notes when there are any, or else the reason
  already given.
- No choice: the question is unanswered in the Tool and the initiative's answer is kept as it is.
- Notes are read as one line (line breaks become spaces) of at most 300 characters, as the playbook keeps a reason.
- A checklist the initiative does not answer yet is added after the others; a new answer follows the checklist's
  other answers.

Writing: only the `checklists:` block of the initiative's file is rewritten, in the layout the catalog's files use;
every other line stays as it was, byte for byte. The project has no YAML writer that keeps comments, so a comment
inside that block is not kept, and the report says so. The new file is read back and checked as `playbook check`
checks an entry before anything is written; on any error nothing is written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..load.catalog import Catalog
from ..load.checks import check_catalog
from ..load.documents import MAX_BYTES, load_text
from ..load.entries import typed
from ..load.hygiene import first_refused
from ..load.sources import read_source
from ..models.checklist import Checklist, Item
from ..models.common import LINE_PATTERN, WEB_URL
from ..models.initiative import Initiative
from ..render.wa_lens import DONE, OPEN, question_id
from ..write.cache_entries import write_atomic
from ..yaml_out import IndentedDumper

#: The largest answers file read: the answers of a lens of 10 pillars of 20 questions take a few hundred kilobytes.
MAX_ANSWERS_BYTES = 10_000_000
#: The longest reason an answer holds (the `Line` of the model).
MAX_REASON = 300
_URL = re.compile(WEB_URL)
_URL_END = ".,;:!?)]}"
#: The files' layout: a list indented under its key, lines never folded.
_WIDTH = 1_000_000
_SPACE = re.compile(r"\s*")


def _shown(text: str) -> str:
    """Text from the answers file as a report prints it: a character a terminal could obey (a control, an invisible
    format character, a line break) shows as its escape."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


class AnswersError(ValueError):
    """The answers file cannot be read as the Tool's answers: what is wrong and what to give instead."""


@dataclass(frozen=True)
class ToolAnswer:
    """One question's answer as the Tool gives it."""

    question: str
    title: str
    selected: tuple[str, ...]
    applicable: bool
    #: None when the file holds no notes for it (a list-answers summary).
    notes: str | None
    workload: str | None


@dataclass
class Outcome:
    """What the import did or would do: one line per question, the errors, notes on the file, the answers changed."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changed: int = 0


# -- the answers file ---------------------------------------------------------------------------


def _documents(text: str, name: str) -> Iterator[Any]:
    """Every JSON value in `text`: one, or several one after another (as a shell loop over the CLI prints them)."""
    decoder, position = json.JSONDecoder(), 0
    while (position := _SPACE.match(text, position).end()) < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise AnswersError(f"{name}: not JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; give the "
                               "output of aws wellarchitected get-answer or list-answers") from None
        yield from (value if isinstance(value, list) else [value])


def _answer(raw: Any, where: str, notes: bool, workload: str | None) -> ToolAnswer:
    if not isinstance(raw, dict) or not isinstance(raw.get("QuestionId"), str):
        raise AnswersError(f"{where}: an answer without a QuestionId")
    question = _shown(raw["QuestionId"])
    selected = raw.get("SelectedChoices", [])
    applicable = raw.get("IsApplicable", True)
    written = raw.get("Notes", "")
    if not (isinstance(selected, list) and all(isinstance(c, str) for c in selected)):
        raise AnswersError(f"{where}, question '{question}': SelectedChoices is not a list of choice ids")
    if not isinstance(applicable, bool):
        raise AnswersError(f"{where}, question '{question}': IsApplicable is not true or false")
    if not isinstance(written, str):
        raise AnswersError(f"{where}, question '{question}': Notes is not text")
    title = raw.get("QuestionTitle")
    return ToolAnswer(raw["QuestionId"], title if isinstance(title, str) else "", tuple(selected), applicable,
                      written if notes else None, workload)


def read_answers(text: str, name: str) -> list[ToolAnswer]:
    """The answers in the text of an answers file called `name`, one per question, in the file's order."""
    found: dict[str, ToolAnswer] = {}
    for number, document in enumerate(_documents(text, name), 1):
        where = f"{name}, document {number}"
        if not isinstance(document, dict):
            raise AnswersError(f"{where}: not a JSON object; give the output of aws wellarchitected get-answer or "
                               "list-answers")
        workload = document.get("WorkloadId") if isinstance(document.get("WorkloadId"), str) else None
        if isinstance(document.get("Answer"), dict):
            answers = [_answer(document["Answer"], where, True, workload)]
        elif isinstance(document.get("AnswerSummaries"), list):
            answers = [_answer(raw, where, False, workload) for raw in document["AnswerSummaries"]]
        else:
            raise AnswersError(f"{where}: neither an Answer (aws wellarchitected get-answer) nor AnswerSummaries "
                               "(list-answers)")
        for answer in answers:
            earlier = found.get(answer.question)
            if earlier is None or (earlier.notes is None and answer.notes is not None):
                found[answer.question] = answer  # get-answer's notes win over a summary
            elif answer.notes is None or earlier == answer:
                continue
            else:
                raise AnswersError(f"{where}: question '{_shown(answer.question)}' is answered twice, differently; "
                                   "give the answers of one workload and one moment")
    workloads = sorted({a.workload for a in found.values() if a.workload})
    if len(workloads) > 1:
        raise AnswersError(f"{name} holds the answers of {len(workloads)} workloads "
                           f"({_shown(', '.join(workloads))}); give one workload's answers")
    if not found:
        raise AnswersError(f"{name} holds no answers")
    return list(found.values())


# -- answers onto the initiative ------------------------------------------------------------------


def _line(notes: str) -> str:
    return " ".join(notes.split())


def _reason(notes: str, label: str) -> str:
    """The notes as the reason of an answer; ValueError saying what to change when the model cannot keep them."""
    reason = _line(notes)
    if len(reason) > MAX_REASON:
        raise ValueError(f"{label}: its notes make a reason of {len(reason)} characters and the playbook keeps at most "
                         f"{MAX_REASON}; shorten the notes in the Tool and export the answers again")
    refused = first_refused(reason, prose=False)
    if refused is not None or not re.fullmatch(LINE_PATTERN, reason):
        detail = refused.message if refused else "holds a character a line of text may not hold"
        raise ValueError(f"{label}: its notes cannot be kept, the text {detail}; edit the notes in the Tool and "
                         "export the answers again")
    return reason


def _evidence(notes: str | None, earlier: dict[str, Any] | None, label: str) -> str:
    if notes:
        for match in _URL.finditer(notes):
            url = match[0].rstrip(_URL_END)
            if len(url) <= 500:
                return url
    if earlier and earlier.get("state") == "done" and earlier.get("evidence"):
        return str(earlier["evidence"])
    if notes is None:
        raise ValueError(f"{label}: answered Done, but list-answers gives no notes and the initiative records no "
                         "evidence; add the output of aws wellarchitected get-answer for this question, whose notes "
                         "hold the link to the evidence")
    raise ValueError(f"{label}: answered Done, but its notes hold no http or https link to the evidence; put the link "
                     "in the question's notes in the Tool and export the answers again")


def _reason_or_kept(answer: ToolAnswer, earlier: dict[str, Any] | None, state: str, label: str) -> str | None:
    """The reason the notes give, or else the one the initiative gives for an answer in the same state."""
    if answer.notes and answer.notes.strip():
        return _reason(answer.notes, label)
    return earlier.get("reason") if earlier and earlier.get("state") == state else None


def _new_answer(item: Item, answer: ToolAnswer, earlier: dict[str, Any] | None, label: str) -> dict[str, Any] | None:
    """The initiative's answer to `item` after the Tool's `answer` (None: unanswered, keep what is there)."""
    kept = {"visibility": earlier["visibility"]} if earlier and "visibility" in earlier else {}
    if not answer.applicable:
        reason = _reason_or_kept(answer, earlier, "not-applicable", label)
        if not reason and answer.notes is None:
            raise ValueError(f"{label}: marked as not applying, but list-answers gives no notes and the initiative "
                             "records no reason; add the output of aws wellarchitected get-answer for this question")
        if not reason:
            raise ValueError(f"{label}: marked as not applying, without notes saying why; write the reason in the "
                             "question's notes in the Tool and export the answers again")
        return {"item": item.id, "state": "not-applicable", "reason": reason, **kept}
    unknown = sorted(set(answer.selected) - {DONE, OPEN})
    if unknown:
        raise ValueError(f"{label}: choices {_shown(', '.join(unknown))} are not the lens's ({DONE}, {OPEN}); export "
                         "the answers of the lens made by playbook export --format wa-lens")
    if set(answer.selected) == {DONE, OPEN}:
        raise ValueError(f"{label}: both Done and Not done yet are chosen; choose one in the Tool")
    if DONE in answer.selected:
        return {"item": item.id, "state": "done", "evidence": _evidence(answer.notes, earlier, label), **kept}
    if OPEN in answer.selected:
        reason = _reason_or_kept(answer, earlier, "open", label)
        return {"item": item.id, "state": "open", **({"reason": reason} if reason else {}), **kept}
    return None


def _state(answer: dict[str, Any] | None) -> str:
    return answer["state"] if answer else "no answer"


def map_answers(catalog: Catalog, initiative_id: str, answers: list[ToolAnswer], name: str
                ) -> tuple[list[dict[str, Any]], Outcome]:
    """The initiative's `checklists` data with the Tool's `answers` on it, and a report line per question."""
    document = catalog.documents[initiative_id]
    data: list[dict[str, Any]] = copy.deepcopy(document.data.get("checklists", []))
    items = {question_id(c.id, i.id): (c, i) for c in catalog.by_id(Checklist) for i in c.items}
    order = {q: n for n, q in enumerate(items)}
    outcome = Outcome()
    known = sorted((a for a in answers if a.question in items), key=lambda a: order[a.question])
    for answer in known:
        checklist, item = items[answer.question]
        label = f"{checklist.id}#{item.id}"
        entry = next((c for c in data if c.get("checklist") == checklist.id), None)
        given = entry.get("answers", []) if entry else []
        position = next((n for n, a in enumerate(given) if a.get("item") == item.id), None)
        earlier = given[position] if position is not None else None
        try:
            new = _new_answer(item, answer, earlier, label)
        except ValueError as exc:
            outcome.errors.append(str(exc))
            continue
        if new is None:
            outcome.lines.append(f"{label}: unanswered in the Tool; kept ({_state(earlier)})")
            continue
        if new == earlier:
            outcome.lines.append(f"{label}: unchanged ({new['state']})")
            continue
        outcome.changed += 1
        if earlier and earlier["state"] == new["state"]:
            fields = sorted(k for k in {*new, *earlier} if new.get(k) != earlier.get(k))
            outcome.lines.append(f"{label}: {new['state']} ({', '.join(fields)} changed)")
        else:
            outcome.lines.append(f"{label}: {new['state']} (was {_state(earlier)})")
        if entry is None:
            entry = {"checklist": checklist.id, "answers": []}
            data.append(entry)
        if position is None:
            entry.setdefault("answers", []).append(new)
        else:
            entry["answers"][position] = new
    for answer in sorted((a for a in answers if a.question not in items), key=lambda a: a.question):
        title = f" ({_shown(answer.title)})" if answer.title else ""
        outcome.lines.append(f"unknown question '{_shown(answer.question)}'{title}: no item of the playbook's "
                             "checklists has this id; left out")
    if not known:
        outcome.errors.append(f"no question in {name} is an item of the playbook's checklists; give the answers of "
                              "the lens made by playbook export --format wa-lens")
    return data, outcome


# -- the file -----------------------------------------------------------------------------------------


def _last_line(node: yaml.Node) -> int:
    """The last line (0-based) that `node` is written on."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last)
    mark = node.end_mark
    # a block scalar ends at the start of the line after it
    return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line


def splice(text: str, checklists: list[dict[str, Any]]) -> tuple[str, bool]:
    """`text` with its top-level `checklists:` block replaced by `checklists` (added at the end when it has none),
    every other line as it was; and whether the old block said more than its data (comments, another layout)."""
    block = yaml.dump({"checklists": checklists}, Dumper=IndentedDumper, sort_keys=False, allow_unicode=True, width=_WIDTH)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found = next(((k, v) for k, v in root.value if k.value == "checklists"), None)
    if found is None:
        return text + ("" if text.endswith("\n") else "\n") + block, False
    lines = text.splitlines(keepends=True)
    first, last = found[0].start_mark.line, _last_line(found[1])
    old = "".join(lines[first:last + 1]).rstrip("\n") + "\n"
    same = old == yaml.dump(yaml.safe_load(old), Dumper=IndentedDumper, sort_keys=False, allow_unicode=True, width=_WIDTH)
    return "".join(lines[:first]) + block + "".join(lines[last + 1:]), not same


def _problems(catalog: Catalog, initiative_id: str, text: str, checklists: list[dict[str, Any]]) -> list[str]:
    """Why `text` would not be the initiative's file with `checklists` and nothing else changed, or would not pass
    the checks `playbook check` makes of an entry."""
    display = catalog.files[initiative_id]
    document, found = load_text(text, display)
    entry = None
    if document is not None and not found:
        entry, found = typed(document, Initiative)
    if document is None or entry is None or found:
        return [d.text() for d in found] or ["the new file does not read back"]
    if document.data != {**catalog.documents[initiative_id].data, "checklists": checklists}:
        return [f"{display}: the new file would not read back as the answers mapped"]
    trial = Catalog(entries={**catalog.entries, initiative_id: entry}, files=catalog.files,
                    documents={**catalog.documents, initiative_id: document}, invalid=catalog.invalid,
                    prose=catalog.prose)
    stems = {e: Path(f).stem for e, f in catalog.files.items()}
    return [d.text() for d in check_catalog(trial, stems) if d.file == display]


def import_wa_answers(catalog_dir: Path, catalog: Catalog, initiative_id: str, source: Path, dry_run: bool = False
                      ) -> Outcome:
    """Read the Tool's answers in `source` onto the initiative's checklist answers; write its file unless `dry_run`
    or on any error. AnswersError when `source` is not an answers file."""
    try:
        raw = read_source(source, MAX_ANSWERS_BYTES)
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise AnswersError(f"{source}: {getattr(exc, 'reason', None) or exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise AnswersError(f"{source}: not UTF-8 text; give the JSON the AWS CLI printed") from None
    answers = read_answers(text, str(source))
    checklists, outcome = map_answers(catalog, initiative_id, answers, str(source))
    if outcome.errors or not outcome.changed:
        return outcome
    path = catalog_dir / Initiative.folder / f"{initiative_id}.yaml"
    old = read_source(path, MAX_BYTES).decode("utf-8")
    new, rewritten = splice(old, checklists)
    outcome.errors.extend(_problems(catalog, initiative_id, new, checklists))
    if outcome.errors:
        return outcome
    if rewritten:
        outcome.notes.append(f"{catalog.files[initiative_id]}: the checklists block is written in the catalog's "
                             "layout; comments inside it are not kept")
    if not dry_run:
        write_atomic(path, new.encode("utf-8"))
    return outcome
