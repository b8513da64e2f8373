"""`playbook mcp`: the answers as plain functions over the bundled catalog, the real server driven by the MCP SDK's own
stdio client, and a public server that must not tell anything the public edition leaves out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
import yaml
from conftest import REPO, TODAY
from mcp import Client, MCPError, StdioServerParameters
from mcp_types import CallToolResult, Resource, ResourceTemplate, Tool

from generators.assist import queries
from generators.assist.queries import MAX_CHARS, MAX_DRAFT_BYTES, Playbook, QueryError
from generators.cli.main import main
from generators.diagnostics import Diagnostic
from generators.models.architecture import Architecture
from generators.models.checklist import Checklist
from generators.models.initiative import Initiative
from generators.models.kpi import Kpi
from generators.project import Project
from generators.render.exports import catalog_data
from generators.resolve.portfolio import compute, gap_report

PLAYBOOK = Path(sys.executable).with_name("playbook")
TOOLS = {"search_entries", "get_entry", "applies_to", "list_kpis", "validate_entry"}
RAG = REPO / "catalog" / "architectures" / "rag-assistant.yaml"
#: rag-assistant with a typo in one of the standards it applies.
TYPO = RAG.read_text(encoding="utf-8").replace("  - retrieval-access-control\n", "  - retrieval-acess-control\n", 1)


@pytest.fixture(scope="module")
def playbook() -> Playbook:
    """The bundled catalog's default edition, as `playbook mcp` serves it."""
    served, report = queries.served(Project(REPO), today=TODAY)
    assert served is not None, [d.text() for d in report.errors]
    return served


def texts_of(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# The answers, over the bundled catalog


def test_search_puts_the_title_match_first(playbook: Playbook) -> None:
    found = queries.search(playbook, "model card")
    assert found["results"][0]["id"] == "model-system-cards"
    first = found["results"][0]
    assert first == {"id": "model-system-cards", "kind": "standard", "title": "Model cards and system cards",
                     "status": "active", "summary": playbook.catalog.entries["model-system-cards"].summary,
                     "url": "playbook/standards/model-system-cards/"}
    assert found["total"] > len(found["results"]) == queries.DEFAULT_RESULTS


def test_search_needs_every_word_and_reads_beyond_titles(playbook: Playbook) -> None:
    found = queries.search(playbook, "pgvector", limit=queries.MAX_RESULTS)
    assert found["total"] > 0
    for result in found["results"]:
        assert "pgvector" in texts_of(queries.entry(playbook, result["id"])).lower()
    assert queries.search(playbook, "pgvector zzzunheardof")["total"] == 0


def test_search_filters(playbook: Playbook) -> None:
    checklists = queries.search(playbook, kind="checklist", limit=queries.MAX_RESULTS)
    assert {r["kind"] for r in checklists["results"]} == {"checklist"}
    assert checklists["total"] == len(playbook.catalog.by_id(Checklist))
    tagged = queries.search(playbook, tag="rag", limit=queries.MAX_RESULTS)["results"]
    assert tagged and all("rag" in playbook.catalog.entries[r["id"]].tags for r in tagged)
    owned = queries.search(playbook, owner="privacy-legal", status="active", limit=queries.MAX_RESULTS)["results"]
    assert owned and all("privacy-legal" in playbook.catalog.entries[r["id"]].owners and r["status"] == "active"
                         for r in owned)


@pytest.mark.parametrize(("arguments", "words"), [
    ({"kind": "standrd"}, "'standrd' is not a kind; did you mean 'standard'?"),
    ({"limit": 0}, f"limit is a number from 1 to {queries.MAX_RESULTS}"),
    ({"limit": queries.MAX_RESULTS + 1}, f"limit is a number from 1 to {queries.MAX_RESULTS}"),
    ({"text": "word " * 200}, "give at most 500"),
])
def test_search_refuses_what_it_cannot_answer(playbook: Playbook, arguments: dict[str, Any], words: str) -> None:
    with pytest.raises(QueryError, match=re.escape(words)):
        queries.search(playbook, **arguments)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "{{ 7*7 }}", "../../etc/passwd", "'\"\n\t", "é 漢字"])
def test_search_takes_any_text_as_words(playbook: Playbook, text: str) -> None:
    found = queries.search(playbook, text)
    assert found["query"] == {"text": text}
    words = " ".join(queries.words_of(text))
    assert found["results"] == queries.search(playbook, words)["results"]  # markup is words to find, never run


def test_an_entry_is_its_record_in_the_json_export(playbook: Playbook) -> None:
    exported = {e["id"]: e for e in catalog_data(playbook.catalog, playbook.catalog.graph, None)["entries"]}
    for entry_id in ("rag-assistant", "support-copilot", "model-system-cards"):
        record = queries.entry(playbook, entry_id)
        assert record.pop("url") == f"playbook/{exported[entry_id]['page']}"
        assert record == exported[entry_id]


@pytest.mark.parametrize(("asked", "said"), [
    ("rag-asistant", "no entry of the internal edition has the id 'rag-asistant'; did you mean 'rag-assistant'?"),
    ("../../etc/passwd", ("no entry of the internal edition has the id '../../etc/passwd'; search_entries finds "
                          "entries by their words")),
    ("x" * 500, "x" * 80 + "…'"),
])
def test_an_unknown_id_is_an_error_with_a_suggestion(playbook: Playbook, asked: str, said: str) -> None:
    with pytest.raises(QueryError) as caught:
        queries.entry(playbook, asked)
    assert said in str(caught.value)
    assert len(str(caught.value)) < 250


def test_applies_to_an_initiative_is_its_review(playbook: Playbook, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "--today", TODAY.isoformat(), "review", "support-copilot", "--format", "json"]) == 0
    review = json.loads(capsys.readouterr().out)
    answer = queries.applies(playbook, "support-copilot")
    assert answer["review"] == review
    architecture = playbook.catalog.entries["rag-assistant"]
    assert isinstance(architecture, Architecture)
    assert answer["architecture"]["id"] == "rag-assistant"
    assert [s["id"] for s in answer["standards"]] == architecture.standards
    assert [t["id"] for t in answer["threats"]] == architecture.threats
    opened = [ref for refs in review["open_items"].values() for ref in refs]
    assert sorted(answer["open_item_titles"]) == sorted(opened)
    assert "[[" not in texts_of(answer["open_item_titles"])  # citations shown as the pages show them


def test_applies_to_an_architecture_lists_what_it_applies_and_its_initiatives_gaps(playbook: Playbook) -> None:
    answer = queries.applies(playbook, "rag-assistant")
    architecture = playbook.catalog.entries["rag-assistant"]
    assert isinstance(architecture, Architecture)
    assert [s["id"] for s in answer["standards"]] == architecture.standards
    assert [c["id"] for c in answer["checklists"]] == architecture.checklists
    following = sorted(i.id for i in playbook.catalog.by_id(Initiative) if i.architecture == "rag-assistant")
    assert [i["id"] for i in answer["initiatives"]] == following and "support-copilot" in following
    copilot = next(i for i in answer["initiatives"] if i["id"] == "support-copilot")
    initiative = playbook.catalog.entries["support-copilot"]
    assert isinstance(initiative, Initiative)
    assert copilot["open_items"] == gap_report(playbook.catalog, initiative).as_dict()["open_items"]


def test_applies_to_takes_architectures_and_initiatives_only(playbook: Playbook) -> None:
    with pytest.raises(QueryError, match="'model-system-cards' is a standard; applies_to takes a reference architecture"):
        queries.applies(playbook, "model-system-cards")


def test_kpis_carry_their_target_owner_and_computed_value(playbook: Playbook) -> None:
    rows = {row["id"]: row for row in queries.kpis(playbook)["kpis"]}
    current = [k for k in playbook.catalog.by_id(Kpi) if k.status != "retired"]
    assert sorted(rows) == sorted(k.id for k in current)
    for kpi in current:
        row, value = rows[kpi.id], compute(playbook.catalog, kpi, kpi.period(playbook.policy.today))  # as the site does
        assert (row["target"], row["unit"], row["owner"]) == (kpi.target, kpi.unit, kpi.owner)
        assert row["computed"] is None if value is None else row["computed"]["value"] == value.value
    adoption = rows["reference-architecture-adoption"]
    assert adoption["computed"]["initiatives_counted"] > 0 and adoption["latest"] is not None


def test_validate_reports_a_typo_with_a_hint(playbook: Playbook) -> None:
    answer = queries.validate(playbook, TYPO)
    assert answer["file"] == "catalog/architectures/rag-assistant.yaml" and answer["valid"] is False
    [problem] = answer["diagnostics"]
    assert (problem["code"], problem["hint"], problem["path"]) == (
        "unresolved-reference", "did you mean 'retrieval-access-control'?", "standards[2]")
    assert problem["text"] == Diagnostic(**{k: v for k, v in problem.items() if k != "text"}).text()


#: Drafts (and the kind to check them as) whose every problem check reports at the draft's own file.
DRAFTS = {
    "typo": (TYPO, None),
    "taken id": ((REPO / "catalog" / "threats" / "prompt-injection.yaml").read_text(encoding="utf-8")
                 .replace("id: prompt-injection", "id: rag-assistant", 1), None),
    "no schema line": (TYPO.split("\n", 1)[1].replace("title: ", "titel: ", 1), "architecture"),
}


@pytest.mark.parametrize("name", DRAFTS)
def test_validate_says_what_check_says(playbook: Playbook, make_project: Any, tmp_path: Path, name: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    text, kind = DRAFTS[name]
    answer = queries.validate(playbook, text, kind)
    assert answer["diagnostics"]
    # the draft written to its file in a copy of the project: check finds the same problems there, word for word
    root = make_project(tmp_path / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    (root / answer["file"]).write_text(text, encoding="utf-8")
    main(["--root", str(root), "--today", TODAY.isoformat(), "check", "--format", "json"])
    checked = [d for d in json.loads(capsys.readouterr().out)["diagnostics"] if d["file"] == answer["file"]]
    assert checked == [{k: v for k, v in d.items() if k != "text"} for d in answer["diagnostics"]]


def test_validate_checks_schema_yaml_and_kind(playbook: Playbook) -> None:
    typed = queries.validate(playbook, RAG.read_text(encoding="utf-8").replace("title: ", "titel: ", 1))
    assert {d["code"] for d in typed["diagnostics"]} == {"missing-key", "unknown-key"}
    assert "hint: did you mean 'title'?" in texts_of(typed["diagnostics"])
    broken = queries.validate(playbook, "id: x\n: : :\n", kind="standard")
    assert broken["file"] == "catalog/standards/draft.yaml" and broken["diagnostics"][0]["code"] == "yaml"
    unlined = queries.validate(playbook, RAG.read_text(encoding="utf-8").split("\n", 1)[1], kind="architecture")
    assert [d["code"] for d in unlined["diagnostics"]] == ["schema-line"]
    with pytest.raises(QueryError, match="name the draft's kind"):
        queries.validate(playbook, "id: x\n")
    with pytest.raises(QueryError, match=f"at most {MAX_DRAFT_BYTES:,}"):
        queries.validate(playbook, "a" * (MAX_DRAFT_BYTES + 1), kind="standard")


@pytest.mark.parametrize("hostile", ["../../outside", "<script>x</script>", "{{ x }}", "a\nb"])
def test_a_draft_never_names_a_file_outside_its_kind_folder(playbook: Playbook, hostile: str) -> None:
    text = RAG.read_text(encoding="utf-8").replace("id: rag-assistant", f"id: {json.dumps(hostile)}", 1)
    answer = queries.validate(playbook, text)
    assert answer["file"] == "catalog/architectures/draft.yaml" and answer["valid"] is False


def test_a_new_draft_is_checked_against_the_edition_and_changes_nothing(playbook: Playbook) -> None:
    before = dict(playbook.catalog.entries)
    new = TYPO.replace("id: rag-assistant", "id: rag-assistant-next", 1)
    answer = queries.validate(playbook, new)
    assert answer["file"] == "catalog/architectures/rag-assistant-next.yaml"
    assert "unresolved-reference" in {d["code"] for d in answer["diagnostics"]}
    assert playbook.catalog.entries == before and "rag-assistant-next" not in playbook.index
    assert not (REPO / answer["file"]).exists()
    clash = queries.validate(playbook, RAG.read_text(encoding="utf-8").replace("id: rag-assistant", "id: finops", 1))
    assert [d["code"] for d in clash["diagnostics"]] == ["duplicate-id"]


def test_a_long_answer_is_cut_to_the_cap_and_says_so() -> None:
    answer = {"id": "x", "texts": ["word " * 5_000 for _ in range(20)], "items": [{"n": i} for i in range(10_000)]}
    text = queries.as_text(answer)
    assert len(text) <= MAX_CHARS
    cut = json.loads(text)
    assert cut["id"] == "x" and "was cut to fit 30,000 characters" in cut["truncated"]
    assert cut["texts"][0].endswith("… [cut]") and cut["items"][-1].endswith("more cut]")
    small = {"id": "x", "summary": "short"}
    assert json.loads(queries.as_text(small)) == small


def test_every_entry_of_the_edition_is_answered_within_the_cap(playbook: Playbook) -> None:
    for entry_id in playbook.catalog.entries:
        assert len(queries.as_text(queries.entry(playbook, entry_id))) <= MAX_CHARS


# The real server, driven by the SDK's stdio client


@dataclass
class Session:
    """What one run of `playbook mcp` answered."""

    tools: dict[str, Tool] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    templates: list[ResourceTemplate] = field(default_factory=list)
    calls: dict[str, CallToolResult] = field(default_factory=dict)
    reads: dict[str, str] = field(default_factory=dict)

    def text(self, call: str) -> str:
        return "".join(getattr(block, "text", "") for block in self.calls[call].content)

    def answer(self, call: str) -> Any:
        assert not self.calls[call].is_error, self.text(call)
        return json.loads(self.text(call))

    def everything(self, but: set[str]) -> str:
        """Every text the server sent, but the answers to the calls and reads named."""
        return "\n".join([texts_of([t.model_dump(mode="json") for t in self.tools.values()]),
                          texts_of([r.model_dump(mode="json") for r in [*self.resources, *self.templates]]),
                          *(self.text(call) for call in self.calls if call not in but),
                          *(text for uri, text in self.reads.items() if uri not in but)])


def run_server(root: Path, argv: list[str], calls: dict[str, tuple[str, dict[str, Any]]],
               reads: list[str], read_all: bool = False) -> Session:
    """Start `playbook mcp` as a client would, list its tools and resources, make `calls` and read `reads` (and every
    listed resource with `read_all`); a failed read is recorded as its error message."""
    parameters = StdioServerParameters(command=str(PLAYBOOK),
                                       args=["--root", str(root), "--today", TODAY.isoformat(), "mcp", *argv])
    session = Session()

    async def talk() -> None:
        async with Client(parameters, read_timeout_seconds=120) as client:
            session.tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            session.resources = (await client.list_resources()).resources
            session.templates = (await client.list_resource_templates()).resource_templates
            for name, (tool, arguments) in calls.items():
                session.calls[name] = await client.call_tool(tool, arguments)
            for uri in [*reads, *(str(r.uri) for r in session.resources if read_all)]:
                try:
                    result = await client.read_resource(uri)
                    session.reads[uri] = "".join(getattr(c, "text", "") for c in result.contents)
                except MCPError as exc:
                    session.reads[uri] = f"error: {exc}"

    anyio.run(talk)
    return session


@pytest.fixture(scope="module")
def session() -> Session:
    """One run of the server on the bundled project, every tool called."""
    return run_server(REPO, [], {
        "search": ("search_entries", {"text": "model card", "limit": 3}),
        "entry": ("get_entry", {"id": "rag-assistant"}),
        "unknown": ("get_entry", {"id": "rag-asistant"}),
        "architecture": ("applies_to", {"id": "rag-assistant"}),
        "kpis": ("list_kpis", {}),
        "typo": ("validate_entry", {"yaml_text": TYPO}),
        "too-many": ("search_entries", {"limit": queries.MAX_RESULTS + 1}),
    }, ["playbook://entry/model-system-cards", "playbook://entry/rag-asistant"])


def test_the_server_offers_five_read_only_tools(session: Session) -> None:
    assert set(session.tools) == TOOLS
    for tool in session.tools.values():
        assert tool.description and len(tool.description) > 80
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
    limit = session.tools["search_entries"].input_schema["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (1, queries.MAX_RESULTS)
    assert session.tools["validate_entry"].input_schema["required"] == ["yaml_text"]


def test_the_server_searches_and_reads_entries(session: Session, playbook: Playbook) -> None:
    assert "model-system-cards" in [r["id"] for r in session.answer("search")["results"][:3]]
    assert session.answer("entry") == json.loads(queries.as_text(queries.entry(playbook, "rag-assistant")))
    assert session.calls["unknown"].is_error and "did you mean 'rag-assistant'?" in session.text("unknown")
    assert session.calls["too-many"].is_error and "less than or equal to 50" in session.text("too-many")


def test_applies_to_lists_the_standards_review_reports(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "--today", TODAY.isoformat(), "review", "support-copilot"]) == 0
    printed = capsys.readouterr().out
    standards = [s["id"] for s in session.answer("architecture")["standards"]]
    assert "retrieval-access-control" in standards and "Standards met: " in printed
    assert "retrieval-access-control" in printed.split("Standards met: ")[1].split("\n")[0]
    assert "support-copilot" in [i["id"] for i in session.answer("architecture")["initiatives"]]


def test_the_server_lists_kpis_and_validates_drafts(session: Session) -> None:
    assert "reference-architecture-adoption" in [k["id"] for k in session.answer("kpis")["kpis"]]
    [problem] = session.answer("typo")["diagnostics"]
    assert problem["code"] == "unresolved-reference" and problem["hint"] == "did you mean 'retrieval-access-control'?"
    assert problem["text"].startswith("catalog/architectures/rag-assistant.yaml:")
    assert ": error: standards[2]: no standard has the id 'retrieval-acess-control'" in problem["text"]


def test_entries_are_resources(session: Session, playbook: Playbook) -> None:
    listed = {str(r.uri): r for r in session.resources}
    assert sorted(listed) == sorted(f"playbook://entry/{i}" for i in playbook.catalog.entries)
    assert listed["playbook://entry/rag-assistant"].mime_type == "application/json"
    assert [t.uri_template for t in session.templates] == ["playbook://entry/{id}"]
    assert json.loads(session.reads["playbook://entry/model-system-cards"])["id"] == "model-system-cards"
    assert "did you mean 'rag-assistant'?" in session.reads["playbook://entry/rag-asistant"]


def test_a_catalog_with_errors_starts_no_server_and_writes_nothing_to_stdout(make_project: Any, tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "catalog" / "architectures" / "rag-assistant.yaml").write_text(TYPO, encoding="utf-8")
    done = subprocess.run([str(PLAYBOOK), "--root", str(root), "--today", TODAY.isoformat(), "mcp"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert "no standard has the id 'retrieval-acess-control'" in done.stderr
    assert "the MCP server did not start" in done.stderr


# A public server tells nothing the public edition leaves out

MARKER = "zqxmarker4711"
HIDDEN = "zqx-hidden-standard"


def edit(path: Path, change: Any) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    change(data)
    path.write_text(text.split("\n", 1)[0] + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def public(make_project: Any, tmp_path_factory: pytest.TempPathFactory) -> Session:
    """A public server of the bundled project with the marker in a restricted standard a public architecture applies,
    in a restricted rule of a public standard and in an internal KPI."""
    root = make_project(tmp_path_factory.mktemp("leak") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    catalog = root / "catalog"
    hidden = catalog / "standards" / f"{HIDDEN}.yaml"
    shutil.copy2(catalog / "standards" / "model-system-cards.yaml", hidden)
    edit(hidden, lambda d: d.update(id=HIDDEN, title=f"Standard {MARKER}", summary=f"About {MARKER}.",
                                    visibility="restricted"))
    edit(catalog / "architectures" / "rag-assistant.yaml", lambda d: d["standards"].append(HIDDEN))
    edit(catalog / "standards" / "model-system-cards.yaml",
         lambda d: d["rules"].append({**d["rules"][0], "id": "hidden-rule", "statement": f"Rule {MARKER}.",
                                      "visibility": "restricted"}))
    edit(catalog / "kpis" / "rework-rate.yaml", lambda d: d.update(summary=f"Rework {MARKER}."))
    draft = TYPO.replace("  - retrieval-acess-control\n", f"  - {HIDDEN[:-1]}\n", 1)
    return run_server(root, ["--audience", "public"], {
        "search-marker": ("search_entries", {"text": MARKER}),
        "search-hidden": ("search_entries", {"text": "hidden standard"}),
        "search-all": ("search_entries", {"limit": queries.MAX_RESULTS}),
        "standards": ("search_entries", {"kind": "standard", "limit": queries.MAX_RESULTS}),
        "hidden": ("get_entry", {"id": HIDDEN}),
        "near-hidden": ("get_entry", {"id": HIDDEN[:-1]}),
        "cards": ("get_entry", {"id": "model-system-cards"}),
        "rag": ("get_entry", {"id": "rag-assistant"}),
        "applies": ("applies_to", {"id": "rag-assistant"}),
        "kpis": ("list_kpis", {}),
        "kpi": ("get_entry", {"id": "rework-rate"}),
        "draft": ("validate_entry", {"yaml_text": draft}),
    }, [f"playbook://entry/{HIDDEN}"], read_all=True)


def test_a_public_server_tells_nothing_the_public_edition_leaves_out(public: Session) -> None:
    assert public.answer("search-marker")["total"] == 0
    # the calls and the read whose own words (the marker, the id) are quoted back
    asked = {"search-marker", "hidden", "near-hidden", f"playbook://entry/{HIDDEN}"}
    assert MARKER not in public.everything(but=asked) and HIDDEN not in public.everything(but=asked)
    assert public.calls["hidden"].is_error and public.calls["near-hidden"].is_error
    assert "did you mean" not in public.text("hidden") + public.text("near-hidden")
    assert public.answer("kpis") == {"kpis": []} and public.calls["kpi"].is_error
    # references are checked against the public edition: one to the hidden standard names no entry and suggests none
    problem = next(d for d in public.answer("draft")["diagnostics"] if d["path"] == "standards[2]")
    assert (problem["code"], problem["hint"]) == ("unresolved-reference", "")
    assert f"playbook://entry/{HIDDEN}" not in {str(r.uri) for r in public.resources}
    assert public.reads[f"playbook://entry/{HIDDEN}"].startswith("error: no entry of the public edition")
    assert len(public.reads) == len(public.resources) + 1 > 100  # every listed resource was read


def test_the_public_server_still_answers_what_the_public_edition_shows(public: Session) -> None:
    cards = public.answer("cards")
    assert cards["id"] == "model-system-cards" and "hidden-rule" not in texts_of(cards["rules"])
    assert HIDDEN not in public.answer("applies")["standards"]
    assert public.answer("search-all")["total"] == len(public.resources)


def test_other_commands_do_not_load_the_mcp_sdk() -> None:
    """The SDK takes about a second to import; every other command starts without it."""
    probe = "import sys, generators.cli.main; print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith('mcp.')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == "[]"
