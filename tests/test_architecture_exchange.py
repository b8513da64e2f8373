"""Architecture as code: reference architectures exported as FINOS CALM, a LikeC4 project and Mermaid flowcharts,
and CALM architectures imported as draft entries."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TODAY
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generators.cli.main import main as playbook
from generators.load.catalog import Catalog
from generators.models.architecture import Architecture
from generators.pipeline import check
from generators.project import Project
from generators.render.calm import calm_document, calm_files
from generators.render.likec4 import architecture_source, likec4_files, specification
from generators.render.mermaid import flowchart, mermaid_files, mermaid_page
from generators.vocabulary import VOCABULARY

CALM = REPO / "tests" / "fixtures" / "calm"
SAMPLE = CALM / "samples" / "fluxnova-ai-agent.architecture.json"
SITE = "https://playbook.example.com/"
#: Text that means something to JSON, Mermaid, LikeC4, Markdown, HTML, Jinja or a shell.
HOSTILE = ['"]) --> x[("<script>alert(1)</script>', "end", "#quot; #35; &amp;", "`**bold**` <img src=x onerror=alert(1)>",
           "style n_a fill:#f00; click n_a call alert()", "a|b|c {{ config }} [y] (z) ;:", "Zürich ≤ 4 s → ok",
           "%%{init: {'theme':'dark'}}%%", "javascript:alert(1)", "x" * 300, "back\\slash\\", "it's 'quoted' \\' end",
           "} } model { x = y", "/* comment */ // line", "'''", '"""', "../../etc/passwd", "\\"]


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    catalog, report = check(Project(REPO), TODAY)
    assert report.errors == []
    return catalog


@pytest.fixture(scope="module")
def hostile(bundled: Catalog) -> Architecture:
    """rag-assistant with a hostile title and hostile labels everywhere, and its client turned into a person."""
    original = bundled.entries["rag-assistant"]
    assert isinstance(original, Architecture) and original.diagram is not None
    diagram = original.diagram
    nodes = [n.model_copy(update={"label": HOSTILE[i % len(HOSTILE)], "component": n.component or n.label,
                                  "kind": "user" if n.id == "chat-client" else n.kind}) for i, n in enumerate(diagram.nodes)]
    edges = [e.model_copy(update={"label": HOSTILE[(i + 5) % len(HOSTILE)]}) for i, e in enumerate(diagram.edges)]
    clusters = [c.model_copy(update={"label": HOSTILE[-1 - i]}) for i, c in enumerate(diagram.clusters)]
    return original.model_copy(update={"title": HOSTILE[0], "summary": HOSTILE[3], "diagram": diagram.model_copy(
        update={"nodes": nodes, "edges": edges, "clusters": clusters})})


def architectures(catalog: Catalog) -> list[Architecture]:
    return catalog.by_id(Architecture)


# -- FINOS CALM ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calm_schema() -> Draft202012Validator:
    """CALM 1.2's published schema (tests/fixtures/calm/1.2, see its README), `$ref`s resolved from that folder."""
    resources = [Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))) for p in (CALM / "1.2").glob("*.json")]
    registry = Registry().with_resources((resource.id(), resource) for resource in resources)
    return Draft202012Validator(json.loads((CALM / "1.2" / "calm.json").read_text(encoding="utf-8")), registry=registry)


def calm_rule_problems(document: dict[str, Any]) -> list[str]:
    """What CALM's own architecture rules refuse (shared/src/spectral/rules-architecture.ts in finos/architecture-as-code):
    ids reused, relationships naming missing nodes or interfaces, empty strings; and nodes no relationship names."""
    problems = []
    nodes = {n["unique-id"]: n for n in document["nodes"]}
    interfaces = {i["unique-id"]: n["unique-id"] for n in document["nodes"] for i in n.get("interfaces", [])}
    ids = [*nodes, *interfaces, *(r["unique-id"] for r in document["relationships"])]
    problems += [f"id {i} used twice" for i in {i for i in ids if ids.count(i) > 1}]
    named: set[str] = set()
    for relationship in document["relationships"]:
        kind = relationship["relationship-type"]
        if "connects" in kind:
            for end in kind["connects"].values():
                named.add(end["node"])
                problems += [f"interface {i} is not on {end['node']}" for i in end.get("interfaces", [])
                             if interfaces.get(i) != end["node"]]
        for key in ("interacts", "composed-of", "deployed-in"):
            if key in kind:
                named |= {kind[key].get("actor") or kind[key]["container"], *kind[key]["nodes"]}
    problems += [f"relationship names missing node {n}" for n in named - set(nodes)]
    problems += [f"node {n} is in no relationship" for n in set(nodes) - named]

    def strings(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        return [s for v in value for s in strings(v)] if isinstance(value, list) else [value] if isinstance(value, str) else []

    problems += ["an empty string" for s in strings(document) if not s.strip()]
    return problems


def test_every_architecture_is_a_valid_calm_document(bundled: Catalog, calm_schema: Draft202012Validator) -> None:
    files = calm_files(bundled, SITE)
    assert sorted(files) == [f"calm/{a.id}.architecture.json" for a in architectures(bundled)]
    for name, text in files.items():
        document = json.loads(text)
        assert [e.message for e in calm_schema.iter_errors(document)] == [], name
        assert calm_rule_problems(document) == [], name
        assert document["$schema"] == "https://calm.finos.org/release/1.2/meta/calm.json"
    assert files == calm_files(bundled, SITE)  # the same catalog gives the same bytes


def test_calm_holds_the_diagram_the_standards_and_the_decisions(bundled: Catalog) -> None:
    architecture = bundled.entries["rag-assistant"]
    assert isinstance(architecture, Architecture) and architecture.diagram is not None
    document = calm_document(bundled, architecture, SITE)
    nodes = {n["unique-id"]: n for n in document["nodes"]}
    diagram = architecture.diagram
    assert set(nodes) == {n.id for n in diagram.nodes} | {c.id for c in diagram.clusters}
    connects = [r for r in document["relationships"] if "connects" in r["relationship-type"]]
    assert [(r["relationship-type"]["connects"]["source"]["node"], r["relationship-type"]["connects"]["destination"]["node"],
             r.get("description"), r["metadata"]["playbook"]["style"]) for r in connects] == \
        [(e.source, e.target, e.label, e.style) for e in diagram.edges]
    # the orchestrator is called for data and steered by control: one interface each, named by the edges
    assert [i["unique-id"] for i in nodes["orchestrator"]["interfaces"]] == ["orchestrator-data-in", "orchestrator-control-in"]
    registry_edge = next(r for r in connects if r["relationship-type"]["connects"]["source"]["node"] == "prompt-registry")
    assert registry_edge["relationship-type"]["connects"]["destination"]["interfaces"] == ["orchestrator-control-in"]
    assert nodes["hybrid-index"]["node-type"] == "database" and nodes["chat-client"]["node-type"] == "webclient"
    assert nodes["hybrid-index"]["metadata"]["playbook"] == {
        "kind": "vector-store", "component": "Hybrid index", "tool": "opensearch", "ref": "opensearch",
        "page": "https://playbook.example.com/playbook/tools/opensearch/",
        "services": {"azure": "OpenSearch on AKS", "gcp": "OpenSearch on GKE"}}
    # a citation reads as the site shows it
    assert nodes["permission-resolver"]["description"].endswith("cached for at most 5 minutes.")
    assert nodes["llm-gateway"]["details"] == {"detailed-architecture": "multi-model-routing.architecture.json"}
    composed = {r["relationship-type"]["composed-of"]["container"]: r["relationship-type"]["composed-of"]["nodes"]
                for r in document["relationships"] if "composed-of" in r["relationship-type"]}
    assert composed == {c.id: c.nodes for c in diagram.clusters}
    assert sorted(document["controls"]) == sorted(architecture.standards)
    control = document["controls"]["prompt-versioning"]["requirements"][0]
    assert control["requirement-url"] == "https://calm.finos.org/release/1.2/meta/control-requirement.json"
    assert control["config"]["reference-url"] == "https://playbook.example.com/playbook/standards/prompt-versioning/"
    assert document["adrs"][0] == "https://playbook.example.com/playbook/adrs/0001-llm-provider-gateway/"
    assert calm_document(bundled, architecture)["adrs"][0] == "catalog/adrs/0001-llm-provider-gateway.yaml"


def test_hostile_text_stays_text_in_calm(bundled: Catalog, hostile: Architecture,
                                        calm_schema: Draft202012Validator) -> None:
    text = calm_files(Catalog({**bundled.entries, "rag-assistant": hostile}, bundled.files))["calm/rag-assistant.architecture.json"]
    document = json.loads(text)
    assert [e.message for e in calm_schema.iter_errors(document)] == []
    assert calm_rule_problems(document) == []
    assert document["name"] == HOSTILE[0]
    assert {n["name"] for n in document["nodes"]} >= {n.label for n in hostile.diagram.nodes}  # type: ignore[union-attr]
    interacts = [r["relationship-type"]["interacts"] for r in document["relationships"] if "interacts" in r["relationship-type"]]
    assert interacts == [{"actor": "chat-client", "nodes": ["edge-gateway"]}]  # a person's edge is an interaction


# -- Mermaid ------------------------------------------------------------------------------------------------------

MERMAID_LABEL = re.compile(r'"([^"]*)"')
#: What a label may hold once escaped: the safe characters and entity codes.
ESCAPED = re.compile(r"(?:[A-Za-z0-9 .,\-_/()+?!%']|#[0-9]+;)*")


def unescape(label: str) -> str:
    return re.sub(r"#([0-9]+);", lambda m: chr(int(m.group(1))), label)


def chart(page: str) -> list[str]:
    """The lines of the one Mermaid block of a Markdown page."""
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", page, re.DOTALL | re.MULTILINE)
    assert len(blocks) == 1
    return blocks[0].splitlines()


def test_every_architecture_is_a_mermaid_flowchart_with_each_part_once(bundled: Catalog) -> None:
    files = mermaid_files(bundled, SITE)
    assert sorted(files) == [f"mermaid/{a.id}.md" for a in architectures(bundled)]
    for architecture in architectures(bundled):
        assert architecture.diagram is not None
        page = files[f"mermaid/{architecture.id}.md"]
        assert page.startswith(f"# {architecture.title}\n")
        assert f"<{SITE}playbook/architectures/{architecture.id}/>" in page
        lines = [line.strip() for line in chart(page)]
        assert lines[0] == f"flowchart {architecture.diagram.direction}"
        for node in architecture.diagram.nodes:
            ident = "n_" + node.id.replace("-", "_")
            assert sum(bool(re.match(rf"{ident}\W", line)) and "-->" not in line and "==>" not in line
                       and "-.->" not in line for line in lines) == 1, node.id
        edges = [line for line in lines if re.match(r"n_\w+ (-->|==>|-\.->)", line)]
        assert [tuple(re.findall(r"^(n_\w+) .* (n_\w+)$", line)[0]) for line in edges] == \
            [("n_" + e.source.replace("-", "_"), "n_" + e.target.replace("-", "_")) for e in architecture.diagram.edges]
        assert [unescape(m) for line in edges for m in MERMAID_LABEL.findall(line)] == \
            [e.label for e in architecture.diagram.edges if e.label]
        assert not any(line.startswith(("click", "%%")) or "javascript" in line for line in lines)


def test_hostile_labels_are_entity_codes_in_mermaid(bundled: Catalog, hostile: Architecture) -> None:
    source = flowchart(hostile)
    labels = MERMAID_LABEL.findall(source)
    assert all(ESCAPED.fullmatch(label) for label in labels), [label for label in labels if not ESCAPED.fullmatch(label)]
    shown = {unescape(label) for label in labels}
    assert shown >= {n.label for n in hostile.diagram.nodes} | {e.label for e in hostile.diagram.edges}  # type: ignore[union-attr]
    assert not any(line.strip().startswith(("click", "%%")) for line in source.splitlines())
    page = mermaid_page(bundled, hostile, SITE)
    heading = page.splitlines()[0]
    assert "<" not in heading and "`" not in heading and '"' not in heading  # plain text in Markdown
    assert page.count("```") == 2


# -- LikeC4 -------------------------------------------------------------------------------------------------------

#: The LikeC4 grammar's String terminal and its names (packages/language-server/src/like-c4.langium in likec4/likec4).
LIKEC4_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", re.DOTALL)
LIKEC4_NAME = re.compile(r"([a-zA-Z]|_+[a-zA-Z0-9])[-\w]*")
#: Words of the grammar a name must not be (a few of its keywords, where a name and a keyword could meet).
KEYWORDS = {"model", "views", "view", "specification", "element", "relationship", "include", "exclude", "title",
            "description", "link", "style", "technology", "metadata", "it", "this", "extend", "of", "global"}


def tokens(source: str) -> tuple[list[str], str]:
    """The strings of a LikeC4 source, unescaped as the parser reads them, and the source without them or comments."""
    strings = [re.sub(r"\\(.)", r"\1", m.group(0)[1:-1]) for m in LIKEC4_STRING.finditer(source)]
    rest = re.sub(r"^\s*//.*$", "", LIKEC4_STRING.sub("S", source), flags=re.MULTILINE)
    return strings, rest


def test_the_likec4_project_declares_every_kind_and_holds_each_part_once(bundled: Catalog) -> None:
    files = likec4_files(bundled, SITE)
    assert sorted(files) == sorted(["likec4/specification.c4", *(f"likec4/{a.id}.c4" for a in architectures(bundled))])
    _, spec = tokens(files["likec4/specification.c4"])
    declared = set(re.findall(r"^\s*element ([-\w]+)", spec, re.MULTILINE))
    assert declared == set(VOCABULARY) | {"architecture", "cluster", "component"}
    assert set(re.findall(r"^\s*relationship (\w+)", spec, re.MULTILINE)) == {"data", "control", "async", "optional"}
    for architecture in architectures(bundled):
        assert architecture.diagram is not None
        strings, rest = tokens(files[f"likec4/{architecture.id}.c4"])
        assert rest.count("{") == rest.count("}")
        defined = re.findall(r"^\s*([-\w]+) = ([-\w]+) S", rest, re.MULTILINE)
        names = [n for n, _ in defined]
        assert len(names) == len(set(names))
        assert all(LIKEC4_NAME.fullmatch(n) and n not in KEYWORDS for n in names)
        assert all(kind in declared for _, kind in defined)
        for node in architecture.diagram.nodes:
            assert names.count("n_" + node.id.replace("-", "_")) == 1
        edges = re.findall(r"^\s*(n_\w+) -\[(\w+)\]-> (n_\w+)", rest, re.MULTILINE)
        assert edges == [("n_" + e.source.replace("-", "_"), e.style, "n_" + e.target.replace("-", "_"))
                         for e in architecture.diagram.edges]
        assert architecture.title in strings and all(e.label in strings for e in architecture.diagram.edges if e.label)
        assert f"link {SITE}playbook/architectures/{architecture.id}/ S" in rest


def test_hostile_text_is_one_likec4_string_each(bundled: Catalog, hostile: Architecture) -> None:
    source = architecture_source(bundled, hostile, SITE)
    strings, rest = tokens(source)
    assert rest.count("{") == rest.count("}")
    assert set(strings) >= set(HOSTILE) - {HOSTILE[3]} | {hostile.title}
    assert not re.search(r"[<>\"`|#%]", rest.replace("->", "").replace("-[", "").replace("]->", "")), rest
    assert tokens(specification())[1].count("{") == tokens(specification())[1].count("}")


# -- CALM import --------------------------------------------------------------------------------------------------


def run(root: Path, *argv: str) -> int:
    return playbook(["--root", str(root), "--today", TODAY.isoformat(), "import", "calm", *argv])


def catalog_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "catalog").rglob("*.yaml"))}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> Path:
    """A copy of the bundled project into which rag-assistant was exported as CALM and imported back as rag-copy."""
    root = make_project(tmp_path_factory.mktemp("calm") / "project")
    assert playbook(["--root", str(root), "export", "--format", "calm", "-o", str(root / "out")]) == 0
    assert run(root, str(root / "out" / "calm" / "rag-assistant.architecture.json"), "--id", "rag-copy") == 0
    return root


def test_an_exported_architecture_imports_back_as_a_draft_that_passes_check(imported: Path) -> None:
    _, report = check(Project(imported), TODAY)
    assert [d.text() for d in report.errors] == []
    copy = yaml.safe_load((imported / "catalog" / "architectures" / "rag-copy.yaml").read_text(encoding="utf-8"))
    original = yaml.safe_load((REPO / "catalog" / "architectures" / "rag-assistant.yaml").read_text(encoding="utf-8"))
    assert copy["status"] == "draft" and copy["title"] == original["title"]
    assert copy["diagram"] == original["diagram"]
    assert (copy["standards"], copy["adrs"], sorted(copy["tools"])) == \
        (original["standards"], original["adrs"], sorted(original["tools"]))
    assert {c["name"] for c in copy["components"]} == {c["name"] for c in original["components"]}


def test_an_entry_is_never_replaced(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = catalog_files(imported)
    exported = str(imported / "out" / "calm" / "rag-assistant.architecture.json")
    assert run(imported, exported, "--id", "rag-copy") == 1
    assert "the id 'rag-copy' is taken by catalog/architectures/rag-copy.yaml" in capsys.readouterr().err
    assert run(imported, exported) == 1  # the document's own id, rag-assistant
    assert run(imported, exported, "--id", "prompt-versioning") == 1  # a standard's id
    assert catalog_files(imported) == before


def test_a_calm_sample_written_elsewhere_imports_with_notes(tmp_path: Path, make_project: Any,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    assert run(root, str(SAMPLE)) == 0
    out = capsys.readouterr().out
    target = "catalog/architectures/fluxnova-ai-agent-orchestration.yaml"
    assert f"wrote {target}" in out and f"{target}: 0 errors" in out
    for note in ("'fluxnova:engine'", "drawn as 'service'", "'FluxNova Platform' only holds other nodes",
                 "5 node interfaces: not kept", "3 nodes and relationships with controls: not kept",
                 "when_to_use, when_not_to_use, nfrs, failure_modes, rollout and rollback hold placeholder text"):
        assert note in out
    entry = yaml.safe_load((root / target).read_text(encoding="utf-8"))
    assert entry["status"] == "draft" and entry["title"] == "FluxNova: AI Agent Orchestration"
    kinds = {n["id"]: n["kind"] for n in entry["diagram"]["nodes"]}
    assert kinds["ai-llm"] == "llm-provider" and kinds["ai-guardrail"] == "guardrails"
    assert "ai-fluxnova-platform" not in kinds
    assert entry["diagram"]["clusters"] == [{"id": "ai-fluxnova-platform", "label": "FluxNova Platform", "nodes": [
        "ai-fluxnova-engine", "ai-fluxnova-rest-api", "ai-fluxnova-cockpit", "ai-fluxnova-admin", "ai-fluxnova-tasklist",
        "ai-fluxnova-process-db"]}]
    assert entry["diagram"]["edges"][0] == {"from": "ai-fluxnova-engine", "to": "ai-fluxnova-process-db", "label": (
        "Engine persists AI agent process state, LLM interaction history, and audit data to the process database (JDBC)")}
    _, report = check(Project(root), TODAY)
    assert [d.text() for d in report.errors] == []


def test_dry_run_prints_the_draft_and_writes_nothing(tmp_path: Path, make_project: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    before = catalog_files(root)
    assert run(root, str(SAMPLE), "--dry-run", "--id", "flux") == 0
    out = capsys.readouterr().out
    assert "id: flux\n" in out and "would write catalog/architectures/flux.yaml" in out
    assert catalog_files(root) == before


def calm(**changes: Any) -> dict[str, Any]:
    """A small valid CALM architecture with `changes` applied."""
    document: dict[str, Any] = {
        "$schema": "https://calm.finos.org/release/1.2/meta/calm.json", "unique-id": "shop", "name": "Shop",
        "nodes": [{"unique-id": "web", "node-type": "webclient", "name": "Web", "description": "The shop's pages."},
                  {"unique-id": "api", "node-type": "service", "name": "API", "description": "Orders."}],
        "relationships": [{"unique-id": "web-api", "relationship-type": {
            "connects": {"source": {"node": "web"}, "destination": {"node": "api"}}}}],
    }
    return document | changes


HOSTILE_FILES = {
    "not-json": ("{nodes: [", "not valid JSON"),
    "array": ("[]", "a CALM architecture is a JSON object"),
    "duplicate-key": ('{"nodes": [], "nodes": []}', "the key 'nodes' appears twice"),
    "nan": (json.dumps(calm(name=float("nan"))), "NaN is not a JSON number"),
    "deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "wrong-types": (json.dumps(calm(nodes=[{"unique-id": 7, "node-type": "service", "name": ["x"]}])),
                    "nodes[0].unique-id: Input should be a valid string"),
    "no-nodes": (json.dumps(calm(nodes=[])), "nodes: List should have at least 1 item"),
    "dangling": (json.dumps(calm(relationships=[{"unique-id": "r", "relationship-type": {
        "connects": {"source": {"node": "web"}, "destination": {"node": "../../etc"}}}}])),
                 "relationships[0] names the node '../../etc', which the file does not declare"),
    "too-many-nodes": (json.dumps(calm(nodes=[{"unique-id": f"n{i}", "node-type": "service", "name": f"N{i}",
                                               "description": "d"} for i in range(121)])),
                       "121 nodes is more than a reference architecture may hold (120)"),
    "huge": ('{"name": "' + "x" * 2_000_001 + '"}', "larger than 2,000,000 bytes"),
    "latin-1": (b'{"name": "Z\xfcrich"}', "not UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_a_file_that_cannot_be_imported_is_refused_and_nothing_is_written(
        case: str, imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, message = HOSTILE_FILES[case]
    source = tmp_path / f"{case}.json"
    source.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = catalog_files(imported)
    assert run(imported, str(source), "--id", "refused") == 1
    err = capsys.readouterr().err
    assert message in err and "nothing written" in err
    assert catalog_files(imported) == before


def test_usage_errors_write_nothing(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = catalog_files(imported)
    assert run(imported, str(SAMPLE), "--id", "../evil") == 2
    assert "--id '../evil' must be a lowercase slug" in capsys.readouterr().err
    assert run(imported, str(SAMPLE), "--owner", "nobody") == 2
    assert "--owner 'nobody' is not a team" in capsys.readouterr().err
    assert run(imported, str(imported / "missing.json")) == 2
    assert catalog_files(imported) == before


def test_hostile_text_in_a_calm_file_arrives_as_plain_text(tmp_path: Path, make_project: Any,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    nodes = [{"unique-id": f"../{i}/../x", "node-type": "acme:thing" if i % 2 else "database", "name": text,
              "description": f"{text} [[threat-id]] \u202e\x1b[31m"} for i, text in enumerate(HOSTILE)]
    relationships = [{"unique-id": f"r{i}", "description": HOSTILE[-1 - i], "protocol": "HTTPS",
                      "relationship-type": {"connects": {"source": {"node": f"../{i}/../x"},
                                                         "destination": {"node": f"../{i + 1}/../x"}}}}
                     for i in range(len(HOSTILE) - 1)]
    source = tmp_path / "hostile.architecture.json"
    source.write_text(json.dumps(calm(name="<script>{{ 7*7 }}</script>", description="[x](javascript:alert(1)) <b>",
                                      nodes=nodes, relationships=relationships)), encoding="utf-8")
    assert run(root, str(source), "--id", "hostile") == 0
    out = capsys.readouterr().out
    assert "catalog/architectures/hostile.yaml: 0 errors" in out
    assert "control or invisible characters were dropped" in out and "spaced apart" in out and "were cut" in out
    entry = yaml.safe_load((root / "catalog" / "architectures" / "hostile.yaml").read_text(encoding="utf-8"))
    assert entry["title"] == "<script>{{ 7*7 }}</script>"
    assert entry["problem"] == r"\[x\](javascript:alert(1)) \<b\>"
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", n["id"]) for n in entry["diagram"]["nodes"])
    assert [n["label"] for n in entry["diagram"]["nodes"]][:3] == HOSTILE[:3]
    assert all("[[" not in c["responsibility"] and "\u202e" not in c["responsibility"] for c in entry["components"])
    assert sorted(p.name for p in (root / "catalog" / "architectures").glob("hostile*")) == ["hostile.yaml"]
    _, report = check(Project(root), TODAY)
    assert [d.text() for d in report.errors] == []


def test_containers_become_clusters_nested_as_they_hold_each_other(tmp_path: Path, make_project: Any,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    nodes = [{"unique-id": i, "node-type": t, "name": i.upper(), "description": f"The {i}."}
             for i, t in [("sys", "system"), ("k8s", "network"), ("api", "service"), ("db", "database"),
                          ("web", "webclient"), ("a", "system"), ("b", "system")]]

    def holds(kind: str, container: str, *members: str) -> dict[str, Any]:
        return {"unique-id": f"{container}-{kind}", "relationship-type": {kind: {"container": container, "nodes": list(members)}}}

    relationships = [
        {"unique-id": "web-k8s", "relationship-type": {"connects": {"source": {"node": "web"}, "destination": {"node": "k8s"}}}},
        {"unique-id": "api-db", "description": "orders", "protocol": "JDBC",
         "relationship-type": {"connects": {"source": {"node": "api"}, "destination": {"node": "db"}}}},
        holds("composed-of", "sys", "k8s", "sys"), holds("deployed-in", "k8s", "api", "db"),
        holds("composed-of", "a", "b"), holds("composed-of", "b", "a", "web"), holds("deployed-in", "sys", "api")]
    source = tmp_path / "nested.json"
    source.write_text(json.dumps(calm(nodes=nodes, relationships=relationships)), encoding="utf-8")
    assert run(root, str(source), "--id", "nested") == 0
    out = capsys.readouterr().out
    assert "'A' and 'B' hold each other" in out and "'API' is held by 'K8S' and 'SYS'" in out
    assert "node types 'network' name no kind" in out
    entry = yaml.safe_load((root / "catalog" / "architectures" / "nested.yaml").read_text(encoding="utf-8"))
    diagram = entry["diagram"]
    assert [n["id"] for n in diagram["nodes"]] == ["k8s", "api", "db", "web"]  # sys, a and b only hold others
    assert diagram["clusters"] == [
        {"id": "sys", "label": "SYS", "nodes": ["k8s"], "clusters": [{"id": "k8s", "label": "K8S", "nodes": ["api", "db"]}]},
        {"id": "a", "label": "A", "clusters": [{"id": "b", "label": "B", "nodes": ["web"]}]}]
    assert {"from": "api", "to": "db", "label": "orders (JDBC)"} in diagram["edges"]
    assert {c["name"] for c in entry["components"]} == {"K8S", "API", "DB", "WEB"}
    _, report = check(Project(root), TODAY)
    assert [d.text() for d in report.errors] == []
