"""The AWS Well-Architected Tool: the checklists as a custom lens (`playbook export --format wa-lens`), and the
Tool's answers read back onto an initiative (`playbook import wa-answers`).

AWS publishes no JSON Schema for lenses; LENS_SCHEMA below is written from the lens format specification
(https://docs.aws.amazon.com/wellarchitected/latest/userguide/lenses-format-specification.html), and the API's
shorter limits (botocore's model of the API) are asserted beside it.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO, TODAY

from generators.authoring.wa_answers import splice
from generators.cli.main import main as playbook
from generators.load.entries import load_catalog
from generators.models.checklist import Checklist
from generators.pipeline import check
from generators.project import Project
from generators.render.wa_lens import question_id, wa_lens

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
SITE = "https://playbook.example.com"

_ID = {"type": "string", "pattern": "^[A-Za-z0-9_]{3,128}$"}


def _text(limit: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": limit}


_RESOURCE = {"type": "object", "required": ["displayText"], "additionalProperties": False,
             "properties": {"displayText": _text(2048), "url": {"type": "string", "pattern": "^https?://"}}}
LENS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["schemaVersion", "name", "description", "pillars"], "additionalProperties": False,
    "properties": {
        "schemaVersion": {"const": "2021-11-01"}, "name": _text(128), "description": _text(2048),
        "pillars": {"type": "array", "minItems": 1, "maxItems": 10, "items": {
            "type": "object", "required": ["id", "name", "questions"], "additionalProperties": False,
            "properties": {"id": _ID, "name": _text(128), "questions": {"type": "array", "minItems": 1, "maxItems": 20,
                                                                       "items": {
                "type": "object", "required": ["id", "title", "description", "choices", "riskRules"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID, "title": _text(128), "description": _text(2048), "helpfulResource": _RESOURCE,
                    "choices": {"type": "array", "minItems": 1, "maxItems": 15, "items": {
                        "type": "object", "required": ["id", "title"], "additionalProperties": False,
                        "properties": {"id": _ID, "title": _text(128), "helpfulResource": _RESOURCE,
                                       "improvementPlan": _RESOURCE}}},
                    "riskRules": {"type": "array", "minItems": 1, "maxItems": 3,
                                  "contains": {"properties": {"condition": {"const": "default"}}}, "items": {
                        "type": "object", "required": ["condition", "risk"], "additionalProperties": False,
                        "properties": {"condition": {"type": "string", "minLength": 1},
                                       "risk": {"enum": ["HIGH_RISK", "MEDIUM_RISK", "NO_RISK"]}}}},
                }}}}}},
    },
}


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def assert_importable(files: dict[str, str]) -> list[dict[str, Any]]:
    """Every lens file as the Tool takes it: the documented shape and limits, the API's shorter ones, unique ids."""
    lenses = []
    for name, text in files.items():
        assert len(text.encode("utf-8")) <= 500_000, name
        assert "<" not in text and ">" not in text and "&" not in text  # escaped: no markup in the file itself
        lens = json.loads(text)
        jsonschema.validate(lens, LENS_SCHEMA)
        assert len(lens["description"]) <= 1024
        pillar_ids = [p["id"] for p in lens["pillars"]]
        assert len(set(pillar_ids)) == len(pillar_ids) and all(len(i) <= 64 for i in pillar_ids)
        for pillar in lens["pillars"]:
            for question in pillar["questions"]:
                assert len(question["description"]) <= 1024
                assert len(question.get("helpfulResource", {}).get("displayText", "")) <= 64
                choices = [c["id"] for c in question["choices"]]
                assert len(set(choices)) == len(choices) and all(len(c) <= 64 for c in choices)
                for choice in question["choices"]:
                    assert choice["id"].endswith("_no") or "improvementPlan" in choice  # required but for None
                    for resource in ("helpfulResource", "improvementPlan"):
                        assert len(choice.get(resource, {}).get("displayText", "")) <= 1024
                conditions = [r["condition"] for r in question["riskRules"]]
                assert conditions[-1] == "default" and conditions.count("default") == 1
                assert len({r["risk"] for r in question["riskRules"]}) == len(conditions)  # one rule per level
                for condition in conditions[:-1]:
                    assert set(re.findall(r"\w+", condition)) <= set(choices)
        lenses.append(lens)
    questions = [q["id"] for lens in lenses for p in lens["pillars"] for q in p["questions"]]
    assert len(set(questions)) == len(questions)
    return lenses


@pytest.fixture(scope="module")
def bundled() -> Any:
    catalog, _ = check(Project(REPO), TODAY)
    return catalog


def test_the_bundled_checklists_make_one_lens_the_tool_imports(bundled: Any) -> None:
    files = wa_lens(bundled, SITE + "/")
    assert list(files) == ["wa-lens.json"] and wa_lens(bundled, SITE) == files  # the same bytes every time
    [lens] = assert_importable(files)
    active = [c for c in bundled.by_id(Checklist) if c.status == "active"]
    assert [p["name"] for p in lens["pillars"]] == [c.title for c in active]
    for checklist, pillar in zip(active, lens["pillars"], strict=True):
        assert [q["id"] for q in pillar["questions"]] == [
            f"{checklist.id}__{item.id}".replace("-", "_") for item in checklist.items]
        for item, question in zip(checklist.items, pillar["questions"], strict=True):
            url = f"{SITE}/playbook/checklists/{checklist.id}/#{item.id}"
            assert question["helpfulResource"]["url"] == url
            assert question["choices"][0]["helpfulResource"]["url"] == url
            risk = {"blocker": "HIGH_RISK", "major": "MEDIUM_RISK", "minor": "MEDIUM_RISK"}[item.severity]
            assert question["riskRules"] == [{"condition": "done", "risk": "NO_RISK"},
                                             {"condition": "default", "risk": risk}]
            assert f"Severity in the playbook: {item.severity}." in question["description"]
    assert not any("[[" in s for s in strings(lens))  # citations shown as their words


def test_without_a_site_address_the_lens_has_no_links(bundled: Any) -> None:
    [lens] = assert_importable(wa_lens(bundled))
    assert '"url"' not in json.dumps(lens)
    question = lens["pillars"][0]["questions"][0]
    assert "helpfulResource" not in question and "improvementPlan" in question["choices"][0]


def test_a_long_title_is_cut_and_given_whole_in_the_description(bundled: Any) -> None:
    [lens] = assert_importable(wa_lens(bundled, SITE))
    cut = [q for p in lens["pillars"] for q in p["questions"] if q["title"].endswith("…")]
    assert cut  # the bundled checklists hold titles longer than 128 characters
    for question in cut:
        assert question["description"].startswith(question["title"][:-1])


HOSTILE_TITLE = ('<script>alert("x")</script> {{ config }} ../../etc/passwd \'quoted\' ' + "long " * 60)[:299] + "!"


def hostile_catalog(folder: Path, items: int = 45, item_title: str = "Item {n} of [[sample-standard|the standard]]"
                    ) -> Path:
    """The minimal catalog with its checklist active and a hostile one beside it."""
    catalog = folder / "catalog"
    shutil.copytree(MINIMAL, catalog)
    sample = catalog / "checklists" / "sample-checklist.yaml"
    sample.write_text(sample.read_text(encoding="utf-8").replace("status: draft", "status: active"), encoding="utf-8")
    data = {"id": "hostile", "title": HOSTILE_TITLE, "summary": "A checklist written to break exports.",
            "owners": ["platform-team"], "tags": [], "last_reviewed": "2026-11-25", "review_every": "6 months",
            "status": "active", "purpose": "Checks that <b>markup</b> stays text.", "used_at": "before launch",
            "items": [{"id": f"item-{n:02d}", "title": item_title.format(n=n), "severity": "blocker",
                       "evidence": "<img src=x onerror=alert(1)> & a link [[hostile#item-01]]"}
                      for n in range(1, items + 1)]}
    (catalog / "checklists" / "hostile.yaml").write_text(
        "# yaml-language-server: $schema=../schemas/checklist.schema.json\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return catalog


def test_a_hostile_checklist_is_split_into_pillars_and_lenses_and_stays_text(tmp_path: Path) -> None:
    catalog_dir = hostile_catalog(tmp_path)
    catalog, report = load_catalog(tmp_path, catalog_dir)
    assert report.errors == [] and len(HOSTILE_TITLE) == 300
    assert_importable(wa_lens(catalog, SITE))
    # 45 items are 3 pillars of 20, 20 and 5; with the sample and 7 more checklists, 11 pillars make two lenses
    for n in range(7):
        source = catalog_dir / "checklists" / "sample-checklist.yaml"
        (catalog_dir / "checklists" / f"extra-{n}.yaml").write_text(
            source.read_text(encoding="utf-8").replace("id: sample-checklist", f"id: extra-{n}"), encoding="utf-8")
    catalog, report = load_catalog(tmp_path, catalog_dir)
    assert report.errors == []
    files = wa_lens(catalog, SITE)
    assert list(files) == ["wa-lens-1.json", "wa-lens-2.json"]
    first, second = assert_importable(files)
    assert [len(first["pillars"]), len(second["pillars"])] == [10, 1]
    assert first["name"].endswith("(1 of 2)") and second["name"].endswith("(2 of 2)")
    hostile = [p for lens in (first, second) for p in lens["pillars"] if p["id"].startswith("hostile")]
    assert [p["id"] for p in hostile] == ["hostile__1", "hostile__2", "hostile__3"]
    assert [len(p["questions"]) for p in hostile] == [20, 20, 5]
    assert all(p["name"].endswith(f"({n} of 3)") and len(p["name"]) <= 128 for n, p in enumerate(hostile, 1))
    assert hostile[0]["name"].startswith('<script>alert("x")</script> {{ config }} ../../etc/passwd \'quoted\' long')
    question = hostile[0]["questions"][0]
    assert question["title"] == "Item 1 of the standard"
    assert question["description"] == ("Evidence a reviewer expects: <img src=x onerror=alert(1)> & a link "
                                       f"{HOSTILE_TITLE}: "
                                       "Item 1 of the standard. Severity in the playbook: blocker.")


def test_a_description_the_tool_cannot_hold_is_refused_naming_the_item(tmp_path: Path) -> None:
    # each citation of the checklist shows as its 300-character title
    catalog_dir = hostile_catalog(tmp_path, items=2, item_title="Item {n}: " + "[[hostile]] " * 4)
    catalog, report = load_catalog(tmp_path, catalog_dir)
    assert report.errors == []
    with pytest.raises(ValueError) as refused:
        wa_lens(catalog, SITE)
    assert str(refused.value) == ("checklist 'hostile', item 'item-01': the question's description would have 2,827 "
                                  "characters (citations shown as their words) and the Well-Architected Tool reads at "
                                  "most 1,024; shorten the item's title or evidence")


def test_ids_longer_than_the_tool_takes_are_cut_the_same_way_every_time(tmp_path: Path) -> None:
    catalog_dir = hostile_catalog(tmp_path, items=1)
    long_id = "-".join(["checklist"] * 8)  # 79 characters, a valid slug
    text = (catalog_dir / "checklists" / "hostile.yaml").read_text(encoding="utf-8")
    (catalog_dir / "checklists" / "hostile.yaml").unlink()
    (catalog_dir / "checklists" / f"{long_id}.yaml").write_text(
        text.replace("id: hostile", f"id: {long_id}").replace("id: item-01", f"id: {long_id}")
        .replace("[[hostile#item-01]]", f"[[{long_id}#{long_id}]]"), encoding="utf-8")
    catalog, report = load_catalog(tmp_path, catalog_dir)
    assert report.errors == []
    [lens] = assert_importable(wa_lens(catalog, SITE))
    pillar = next(p for p in lens["pillars"] if p["id"].startswith("checklist"))
    question = pillar["questions"][0]["id"]
    assert re.fullmatch(r"[a-z_]{55}_[0-9a-f]{8}", pillar["id"]) and pillar["id"].startswith("checklist_checklist_")
    assert len(question) == 128 and question == question_id(long_id, long_id)
    assert [lens] == [json.loads(t) for t in wa_lens(catalog, SITE).values()]


def test_a_catalog_without_an_active_checklist_has_no_lens(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")  # its only checklist is a draft
    catalog, report = load_catalog(tmp_path, tmp_path / "catalog")
    assert report.errors == []
    with pytest.raises(ValueError, match=r"^the edition has no active checklist to export as a lens; activate one "
                                         r"\(status: active\)$"):
        wa_lens(catalog)


def test_the_export_command_writes_the_lens(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project")
    out = tmp_path / "out"
    assert playbook(["--root", str(root), "--today", TODAY.isoformat(), "export", "--format", "wa-lens",
                     "--site-url", SITE, "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["wa-lens.json"]
    assert_importable({"wa-lens.json": (out / "wa-lens.json").read_text(encoding="utf-8")})


# -- the answers read back --------------------------------------------------------------------------

WORKLOAD = "0123456789abcdef0123456789abcdef"
LENS_ARN = "arn:aws:wellarchitected:eu-west-1:123456789012:lens/fedcba9876543210fedcba9876543210"


def get_answer(question: str, selected: list[str], notes: str = "", applicable: bool = True) -> dict[str, Any]:
    """What `aws wellarchitected get-answer` prints for one question of the lens."""
    risk = "NOT_APPLICABLE" if not applicable else "NONE" if "done" in selected else "HIGH" if selected else \
        "UNANSWERED"
    return {"WorkloadId": WORKLOAD, "LensAlias": LENS_ARN, "LensArn": LENS_ARN, "Answer": {
        "QuestionId": question, "PillarId": question.split("__")[0], "QuestionTitle": "A question",
        "Choices": [{"ChoiceId": "done", "Title": "Done"}, {"ChoiceId": "open_no", "Title": "Not done yet"}],
        "SelectedChoices": selected,
        "ChoiceAnswers": [{"ChoiceId": c, "Status": "SELECTED"} for c in selected],
        "IsApplicable": applicable, "Risk": risk, "Notes": notes, "Reason": "NONE" if applicable else "OUT_OF_SCOPE"}}


def list_answers(*summaries: tuple[str, list[str]]) -> dict[str, Any]:
    """What `aws wellarchitected list-answers` prints: summaries, without notes."""
    return {"WorkloadId": WORKLOAD, "LensAlias": LENS_ARN, "LensArn": LENS_ARN, "AnswerSummaries": [
        {"QuestionId": q, "PillarId": q.split("__")[0], "QuestionTitle": "A question", "SelectedChoices": s,
         "ChoiceAnswerSummaries": [], "IsApplicable": True, "Risk": "NONE" if s else "UNANSWERED",
         "QuestionType": "NON_PRIORITIZED"} for q, s in summaries]}


def errors(root: Path) -> set[str]:
    _, report = check(Project(root), TODAY)
    return {d.text() for d in report.errors}


@pytest.fixture
def copilot(tmp_path: Path, make_project: Any) -> tuple[Path, Path]:
    root = make_project(tmp_path / "project")
    return root, root / "catalog" / "initiatives" / "support-copilot.yaml"


def test_answers_from_the_tool_update_the_initiative_and_leave_the_rest_of_its_file(
        copilot: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, initiative = copilot
    before_text, before_errors = initiative.read_text(encoding="utf-8"), errors(root)
    before = yaml.safe_load(before_text)
    answers = tmp_path / "answers.json"
    # several get-answer outputs one after another, as a shell loop writes them, then a list-answers page
    answers.write_text("\n".join(json.dumps(d, indent=2) for d in [
        get_answer("production_readiness__slos_defined", ["open_no"], "The latency SLO was retired;\na new one is "
                   "in review."),
        get_answer("architecture_review__nfrs_explicit", ["done"], "Reviewed 2026-11-30, see "
                   "https://wiki.example.com/x/nfrs-v2)."),
        get_answer("llm_evaluation_design__oversight_cases", [], applicable=False),
        get_answer("ai_system_decommissioning__plan_approved", ["done"], "https://jira.example.com/browse/SUP-1"),
        list_answers(("production_readiness__rollback_tested", ["done"]),
                     ("production_readiness__runbooks_published", []), ("ops_01", [])),
    ]), encoding="utf-8")
    assert playbook(["--root", str(root), "import", "wa-answers", str(answers), "--initiative", "support-copilot"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [  # in the order of the checklists (by id) and their items
        "ai-system-decommissioning#plan-approved: done (was no answer)",
        "architecture-review#nfrs-explicit: done (evidence changed)",
        "llm-evaluation-design#oversight-cases: unchanged (not-applicable)",
        "production-readiness#slos-defined: open (was done)",
        "production-readiness#runbooks-published: unanswered in the Tool; kept (done)",
        "production-readiness#rollback-tested: unchanged (done)",
        "unknown question 'ops_01' (A question): no item of the playbook's checklists has this id; left out",
        "catalog/initiatives/support-copilot.yaml: 3 answers changed; written",
    ]
    after_text = initiative.read_text(encoding="utf-8")
    after = yaml.safe_load(after_text)
    answers_of = {c["checklist"]: {a["item"]: a for a in c["answers"]} for c in after["checklists"]}
    assert answers_of["production-readiness"]["slos-defined"] == {
        "item": "slos-defined", "state": "open", "reason": "The latency SLO was retired; a new one is in review."}
    assert answers_of["architecture-review"]["nfrs-explicit"]["evidence"] == "https://wiki.example.com/x/nfrs-v2"
    assert answers_of["ai-system-decommissioning"] == {"plan-approved": {
        "item": "plan-approved", "state": "done", "evidence": "https://jira.example.com/browse/SUP-1"}}
    assert [c["checklist"] for c in after["checklists"]] == [c["checklist"] for c in before["checklists"]] + [
        "ai-system-decommissioning"]
    assert {**after, "checklists": None} == {**before, "checklists": None}
    head, tail = before_text.split("\nchecklists:\n")[0], before_text.split("\nai_act:\n")[1]
    assert after_text.startswith(head + "\nchecklists:\n") and after_text.endswith("\nai_act:\n" + tail)
    diff = list(difflib.ndiff(before_text.splitlines(), after_text.splitlines()))
    # two answers' three lines replaced, the new checklist's five added: nothing else is laid out again
    assert [sum(line.startswith(sign) for line in diff) for sign in ("- ", "+ ")] == [3, 8]
    assert errors(root) == before_errors
    _, report = check(Project(root), TODAY)
    assert not [d for d in report.diagnostics if d.file == "catalog/initiatives/support-copilot.yaml"]


def test_a_dry_run_reports_and_writes_nothing(copilot: tuple[Path, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root, initiative = copilot
    before = initiative.read_bytes()
    answers = tmp_path / "answers.json"
    hostile = get_answer("\x1b]0;owned\x07ops_01", [])
    hostile["Answer"]["QuestionTitle"] = "\u202eevil\nline"
    answers.write_text(json.dumps([get_answer("production_readiness__slos_defined", ["open_no"]), hostile]),
                       encoding="utf-8")
    assert playbook(["--root", str(root), "import", "wa-answers", str(answers), "--initiative", "support-copilot",
                     "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "production-readiness#slos-defined: open (was done)",
        # what the file says is printed inert: a terminal shows the escapes instead of obeying them
        ("unknown question '\\u001b]0;owned\\u0007ops_01' (\\u202eevil\\u000aline): no item of the playbook's "
         "checklists has this id; left out"),
        "catalog/initiatives/support-copilot.yaml: would change 1 answer (--dry-run: nothing written)"]
    assert initiative.read_bytes() == before


@pytest.mark.parametrize(("content", "message"), [
    ("{\"Answer\": ", ("answers.json: not JSON at line 1, column 12: Expecting value; give the output of aws "
                       "wellarchitected get-answer or list-answers")),
    (json.dumps({"Workload": {"WorkloadId": WORKLOAD}}),
     "answers.json, document 1: neither an Answer (aws wellarchitected get-answer) nor AnswerSummaries (list-answers)"),
    (json.dumps(list_answers(("ops_01", ["ops_01_choice1"]), ("sec_01", []))),
     ("no question in {path} is an item of the playbook's checklists; give the answers of the lens made by playbook "
      "export --format wa-lens")),
    (json.dumps([get_answer("ai_system_decommissioning__plan_approved", ["done"], "done, see the wiki"),
                 get_answer("production_readiness__rollback_tested", ["open_no"], "rollback drill moved")]),
     ("ai-system-decommissioning#plan-approved: answered Done, but its notes hold no http or https link to the "
      "evidence; put the link in the question's notes in the Tool and export the answers again")),
    (json.dumps([get_answer("architecture_review__eval_plan", [], applicable=False)]),
     ("architecture-review#eval-plan: marked as not applying, without notes saying why; write the reason in the "
      "question's notes in the Tool and export the answers again")),
    (json.dumps([get_answer("architecture_review__eval_plan", ["open_no"], "x " * 200)]),
     ("architecture-review#eval-plan: its notes make a reason of 399 characters and the playbook keeps at most 300; "
      "shorten the notes in the Tool and export the answers again")),
    (json.dumps([get_answer("architecture_review__eval_plan", ["open_no"], "Owner: \u202eevil")]),
     ("architecture-review#eval-plan: its notes cannot be kept, the text contains U+202E RIGHT-TO-LEFT OVERRIDE "
      "(character 8), an invisible bidirectional control; edit the notes in the Tool and export the answers again")),
    (json.dumps([get_answer("architecture_review__eval_plan", ["done", "open_no"], "https://x.example.com")]),
     "architecture-review#eval-plan: both Done and Not done yet are chosen; choose one in the Tool"),
    (json.dumps([get_answer("architecture_review__eval_plan", ["choice1"])]),
     ("architecture-review#eval-plan: choices choice1 are not the lens's (done, open_no); export the answers of the "
      "lens made by playbook export --format wa-lens")),
    (json.dumps({**list_answers(("architecture_review__eval_plan", [])), "AnswerSummaries": [
        {"QuestionId": "architecture_review__eval_plan", "SelectedChoices": [], "IsApplicable": False}]}),
     ("architecture-review#eval-plan: marked as not applying, but list-answers gives no notes and the initiative "
      "records no reason; add the output of aws wellarchitected get-answer for this question")),
    (json.dumps(list_answers(("ai_system_decommissioning__plan_approved", ["done"]))),
     ("ai-system-decommissioning#plan-approved: answered Done, but list-answers gives no notes and the initiative "
      "records no evidence; add the output of aws wellarchitected get-answer for this question, whose notes hold the "
      "link to the evidence")),
    (json.dumps([get_answer("architecture_review__eval_plan", ["open_no"]),
                 {**get_answer("architecture_review__nfrs_explicit", ["open_no"]), "WorkloadId": "f" * 32}]),
     f"answers.json holds the answers of 2 workloads ({WORKLOAD}, {'f' * 32}); give one workload's answers"),
    (json.dumps([get_answer("architecture_review__eval_plan", ["open_no"]),
                 {**get_answer("architecture_review__eval_plan", ["open_no"]), "WorkloadId": "f" * 32}]),
     ("answers.json, document 2: question 'architecture_review__eval_plan' is answered twice, differently; give the "
      "answers of one workload and one moment")),
])
def test_a_wrong_answers_file_is_refused_and_nothing_is_written(
        copilot: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
        message: str) -> None:
    root, initiative = copilot
    before = initiative.read_bytes()
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    assert playbook(["--root", str(root), "import", "wa-answers", str(answers), "--initiative", "support-copilot"]) == 1
    err = capsys.readouterr().err
    assert f"error: {message.replace('answers.json', str(answers)).format(path=answers)}\n" in err
    assert "nothing written" in err
    assert initiative.read_bytes() == before


def test_an_unknown_initiative_or_file_is_a_usage_error(copilot: tuple[Path, Path], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = copilot
    answers = tmp_path / "answers.json"
    answers.write_text("[]", encoding="utf-8")
    assert playbook(["--root", str(root), "import", "wa-answers", str(answers), "--initiative", "support-copilt"]) == 2
    assert "error: no initiative 'support-copilt' in initiatives/; did you mean 'support-copilot'?" in \
        capsys.readouterr().err
    assert playbook(["--root", str(root), "import", "wa-answers", str(tmp_path / "missing.json"),
                     "--initiative", "support-copilot"]) == 2
    assert f"error: no such file: {tmp_path / 'missing.json'}" in capsys.readouterr().err


def test_every_question_of_an_exported_lens_reads_back_onto_its_item(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project")
    assert playbook(["--root", str(root), "export", "--format", "wa-lens", "-o", str(tmp_path / "out")]) == 0
    lens = json.loads((tmp_path / "out" / "wa-lens.json").read_text(encoding="utf-8"))
    answers = tmp_path / "answers.json"
    answers.write_text("".join(json.dumps(get_answer(q["id"], ["done"], f"https://evidence.example.com/{q['id']}"))
                               for p in lens["pillars"] for q in p["questions"]), encoding="utf-8")
    assert playbook(["--root", str(root), "import", "wa-answers", str(answers), "--initiative",
                     "sales-email-drafting"]) == 0
    data = yaml.safe_load((root / "catalog" / "initiatives" / "sales-email-drafting.yaml").read_text(encoding="utf-8"))
    catalog, report = check(Project(root), TODAY)
    assert not [d for d in report.diagnostics if d.file.endswith("sales-email-drafting.yaml")]
    active = [c for c in catalog.by_id(Checklist) if c.status == "active"]
    assert [(c["checklist"], [a["item"] for a in c["answers"]]) for c in data["checklists"]] == [
        (c.id, [i.id for i in c.items]) for c in active]
    assert all(a["state"] == "done" and a["evidence"].startswith("https://evidence.example.com/")
               for c in data["checklists"] for a in c["answers"])


CHECKLISTS = [{"checklist": "architecture-review", "answers": [{"item": "eval-plan", "state": "open"}]}]


def test_the_checklists_block_is_replaced_and_every_other_line_kept() -> None:
    text = ("# yaml-language-server: $schema=../schemas/initiative.schema.json\n"
            "id: x  # the id\n"
            "checklists:\n"
            "  - checklist: architecture-review\n"
            "    answers:\n"
            "      - item: eval-plan\n"
            "        state: done\n"
            "        evidence: https://e.example.com/a\n"
            "# about the tier\n"
            "ai_act:\n"
            "  tier: minimal\n")
    new, rewritten = splice(text, CHECKLISTS)
    assert new == text.replace("state: done\n        evidence: https://e.example.com/a\n", "state: open\n")
    assert not rewritten
    commented = text.replace("    answers:\n", "    answers:  # as of the review\n")
    assert splice(commented, CHECKLISTS) == (new, True)  # the comment inside the block is reported as not kept
    flow = "id: x\nchecklists: []\nstatus: active\n"
    assert splice(flow, CHECKLISTS)[0] == ("id: x\nchecklists:\n  - checklist: architecture-review\n    answers:\n"
                                           "      - item: eval-plan\n        state: open\nstatus: active\n")
    assert splice("id: x", CHECKLISTS)[0].startswith("id: x\nchecklists:\n  - checklist: architecture-review\n")
