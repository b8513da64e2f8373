"""What `playbook check` accepts, `playbook generate` draws: a view Graphviz cannot lay out is drawn again with
the other ranking, then as a list of its parts, with one warning line; Graphviz's own output never floods the
terminal. Labels are shown exactly as typed, character entities included."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.cli.main import main
from generators.load.catalog import Catalog
from generators.load.entries import load_catalog
from generators.models.architecture import MAX_EDGES, MAX_NODES, Diagram
from generators.models.tool import Tool
from generators.pipeline import diagram_jobs
from generators.render import diagrams as drawing
from generators.render.diagram_list import NOTICE
from generators.render.diagrams import DrawStats, Fallback, Job, draw
from generators.render.radar import place, radar_svg
from generators.render.relations import Neighbour, NeighbourhoodJob

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
ARCHITECTURE = Path("catalog/architectures/sample-architecture.yaml")
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
KINDS = ["client", "service", "database", "queue", "worker", "vector-store", "llm-gateway"]
#: dot 2.43 crashes on this one (a labelled edge doubling another one between nested clusters); larger ones
#: stop with "Error: trouble in init_rank". Ranked with newrank, they lay out.
INIT_RANK = {
    "providers": [], "direction": "LR",
    "nodes": [{"id": f"n{i}", "label": f"Node {i}", "kind": kind} for i, kind in
              ((1, "database"), (4, "client"), (6, "service"), (8, "queue"), (10, "queue"), (14, "service"),
               (16, "client"), (17, "queue"))],
    "edges": [{"from": "n10", "to": "n6"}, {"from": "n1", "to": "n17"}, {"from": "n8", "to": "n10"},
              {"from": "n16", "to": "n4"}, {"from": "n8", "to": "n10", "label": "long label here"},
              {"from": "n14", "to": "n6"}],
    "clusters": [
        {"id": "c1", "label": "C1", "nodes": ["n4", "n17"]},
        {"id": "c2", "label": "C2", "nodes": ["n8"],
         "clusters": [{"id": "c3", "label": "C3", "nodes": ["n6"], "clusters": [{"id": "c4", "label": "C4", "nodes": ["n16"]}]}]},
        {"id": "c9", "label": "C9", "nodes": ["n10"],
         "clusters": [{"id": "c10", "label": "C10", "nodes": ["n14"], "clusters": [{"id": "c12", "label": "C12", "nodes": ["n1"]}]}]},
    ],
}


def with_diagram(root: Path, diagram: dict[str, object]) -> None:
    """The minimal fixture's architecture, its diagram replaced (JSON is YAML: every label stays a quoted string)."""
    text = (FIXTURE / ARCHITECTURE).read_text(encoding="utf-8")
    head = text[: text.index("\ndiagram:")]
    (root / ARCHITECTURE).write_text(f"{head}\ndiagram: {json.dumps(diagram, ensure_ascii=False)}\n", encoding="utf-8")


def loaded(root: Path, diagram: dict[str, object]) -> tuple[Catalog, list[str]]:
    with_diagram(root, diagram)
    catalog, report = load_catalog(root, root / "catalog")
    return catalog, [d.text() for d in report.errors]


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def labels(svg: str) -> list[str]:
    """Each node, edge and group label, its lines joined by a space (a long label is drawn on several lines)."""
    groups = [g for g in ElementTree.fromstring(svg).iter(f"{SVG}g") if g.get("class") in ("node", "edge", "cluster")]
    return [" ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text")) for g in groups]


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("limits"), FIXTURE / "catalog")


def generate(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`playbook generate` on `project`: its exit code and what it printed on stderr."""
    capsys.readouterr()
    code = main(["--root", str(project), "generate"])
    return code, capsys.readouterr().err


def project_with(folder: Path, diagram: dict[str, object]) -> Path:
    project = copy_project(folder, FIXTURE / "catalog")
    with_diagram(project, diagram)
    return project


def fake_dot(folder: Path, monkeypatch: pytest.MonkeyPatch, *, newrank_works: bool = False, crash: bool = False) -> None:
    """A `dot` first on PATH that fails every layout with 300 lines of errors, or crashes; those ranked with
    newrank are laid out by the real one if told."""
    real = shutil.which("dot")
    folder.mkdir()
    passes = f'case "$input" in *newrank=true*) printf "%s" "$input" | {real} "$@"; exit $?;; esac\n' if newrank_works else ""
    fails = ("kill -SEGV $$\n" if crash else
             'i=0; while [ $i -lt 300 ]; do echo "Error: trouble in init_rank, line $i" >&2; i=$((i+1)); done\nexit 1\n')
    (folder / "dot").write_text(
        "#!/bin/sh\n"
        f'case "$1" in -V|-v|-c) exec {real} "$@";; esac\n'
        'input=$(cat)\n'
        f"{passes}{fails}", encoding="utf-8")
    (folder / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


# -- check and draw agree ------------------------------------------------------------------------

ODD = st.sampled_from(["&lt;b&gt;", "&amp;", "&#65;", "<i>", '"', "'", "\\N", "\\G", "\\l", "{", "}", "|", "é", "→",
                       "🙂", " & ", "x", "Node"])
ANY = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"), exclude_characters="\ufffe\uffff")
LABELS = st.one_of(st.lists(ODD, min_size=1, max_size=5).map("".join),
                   st.text(ANY, min_size=1, max_size=30)).map(str.strip).filter(bool)


def spaced(text: str) -> str:
    """Text as a reader sees it: Graphviz writes the second of two spaces as a no-break one, so that both show."""
    return text.replace("\xa0", " ")


@st.composite
def diagrams(draw: st.DrawFn) -> dict[str, object]:
    """A random diagram inside the declared limits: nodes, edges (repeated, looping), up to 12 clusters nested freely."""
    count = draw(st.integers(1, MAX_NODES))
    nodes = [{"id": f"n{i}", "label": draw(LABELS), "kind": draw(st.sampled_from(KINDS))} for i in range(count)]
    edge = st.fixed_dictionaries({"from": st.integers(0, count - 1).map("n{}".format),
                                  "to": st.integers(0, count - 1).map("n{}".format),
                                  "style": st.sampled_from(["data", "control", "async", "optional"])},
                                 optional={"label": LABELS})
    size = draw(st.integers(0, MAX_EDGES))
    edges = draw(st.lists(edge, min_size=size, max_size=size))
    groups: list[dict[str, object]] = []
    parents: list[int] = []
    for index in range(draw(st.integers(0, 12))):
        parents.append(draw(st.integers(-1, index - 1)))
        groups.append({"id": f"c{index}", "label": draw(LABELS), "nodes": [], "clusters": []})
    for node in nodes:
        where = draw(st.integers(-1, len(groups) - 1))
        if where >= 0:
            groups[where]["nodes"].append(node["id"])  # type: ignore[attr-defined]
    for index, parent in enumerate(parents):
        if parent >= 0:
            groups[parent]["clusters"].append(groups[index])  # type: ignore[attr-defined]
    clusters = [group for group, parent in zip(groups, parents) if parent < 0]
    return {"providers": [], "direction": draw(st.sampled_from(["LR", "TB"])), "nodes": nodes, "edges": edges,
            "clusters": clusters}


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(diagram=diagrams())
def test_every_diagram_check_accepts_is_drawn(fixture_root: Path, diagram: dict[str, object]) -> None:
    catalog, errors = loaded(fixture_root, diagram)
    assert errors == []
    stats = DrawStats()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(drawing, "DOT_TIMEOUT", 1.0)  # a slower layout is drawn as a list: both must hold
        (job,) = diagram_jobs(catalog)
        svg = draw(job, None, stats)
    shown = {spaced(text) for text in texts(svg)}  # parses as XML
    nodes: list[dict[str, str]] = diagram["nodes"]  # type: ignore[assignment]
    if stats.fallbacks:
        assert NOTICE in shown and {spaced(f"{n['label']}  ({n['kind']})") for n in nodes} <= shown
        assert [(f.entry_id, "\n" in f.cause) for f in stats.fallbacks] == [("sample-architecture", False)]
    else:
        assert {spaced(n["label"]) for n in nodes} <= {spaced(label) for label in labels(svg)}


def test_check_refuses_a_diagram_beyond_the_limits(fixture_root: Path) -> None:
    nodes = [{"id": f"n{i}", "label": f"N{i}", "kind": "service"} for i in range(MAX_NODES + 1)]
    edges = [{"from": "n0", "to": "n1"}] * (MAX_EDGES + 1)
    _, errors = loaded(fixture_root, {"nodes": nodes, "edges": edges})
    lines = (fixture_root / ARCHITECTURE).read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if text.startswith("diagram:"))
    where = {key: lines[line - 1].index(f'"{key}": [') + len(key) + 5 for key in ("nodes", "edges")}
    assert errors == [
        f"{ARCHITECTURE}:{line}:{where['nodes']}: error: diagram.nodes: 121 nodes is more than a diagram may hold (120)\n"
        "  hint: split the architecture into several diagrams",
        f"{ARCHITECTURE}:{line}:{where['edges']}: error: diagram.edges: 301 edges is more than a diagram may hold (300)\n"
        "  hint: split the architecture into several diagrams",
    ]


# -- when Graphviz fails ---------------------------------------------------------------------------

def test_a_layout_dot_stops_on_is_drawn_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path / "project", INIT_RANK)
    code, err = generate(project, capsys)
    assert code == 0, err
    assert "warning: diagram:" not in err and "init_rank" not in err
    shown = texts((project / "docs/playbook/architectures/sample-architecture.neutral.svg").read_text(encoding="utf-8"))
    assert NOTICE not in shown
    assert {n["label"] for n in INIT_RANK["nodes"]} <= set(shown)  # type: ignore[attr-defined]


def test_a_failed_layout_is_retried_with_newrank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path / "bin", monkeypatch, newrank_works=True)
    catalog, _ = load_catalog(FIXTURE, FIXTURE / "catalog")
    stats = DrawStats()
    svg = draw(diagram_jobs(catalog)[0], None, stats)
    assert stats.fallbacks == []
    assert "Client" in texts(svg) and NOTICE not in texts(svg)


def test_a_view_graphviz_cannot_lay_out_is_a_list_and_one_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    fake_dot(tmp_path / "bin", monkeypatch)
    project = project_with(tmp_path / "project", {**INIT_RANK, "providers": ["aws"]})
    code, err = generate(project, capsys)
    assert code == 0, err
    line = (FIXTURE / ARCHITECTURE).read_text(encoding="utf-8").splitlines().index("diagram:") + 1
    warning = (f"{ARCHITECTURE}:{line}:1: warning: diagram: Graphviz could not lay out the Provider-neutral and AWS views "
               "(Error: trouble in init_rank, line 0); the page lists the diagram's parts instead\n"
               "  hint: simplify the diagram (fewer edges, edge labels or cluster levels) or split the architecture\n")
    assert warning in err
    assert err.count("init_rank") == 1  # one line of Graphviz's 300, once
    for view in ("neutral", "aws"):
        shown = texts((project / f"docs/playbook/architectures/sample-architecture.{view}.svg").read_text(encoding="utf-8"))
        assert shown[0] == NOTICE
        assert "Node 8 → Node 10  (long label here)" in shown and "C12  (group)" in shown
    code, again = generate(project, capsys)  # nothing changed: generation is skipped, the warning reported again
    assert code == 0 and warning in again and "diagrams:" not in again


def test_a_crash_of_dot_is_named_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dot(tmp_path / "bin", monkeypatch, crash=True)
    stats = DrawStats()
    svg = draw(Job("big", "aws", Diagram.model_validate(INIT_RANK)), None, stats)
    assert stats.fallbacks == [Fallback("big", "aws", "dot stopped on signal 11")]
    assert texts(svg)[0] == NOTICE


def test_a_layout_past_the_time_limit_is_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    drawing._plugin_folder()  # found with the usual time limit, as any run finds it before drawing
    monkeypatch.setattr(drawing, "DOT_TIMEOUT", 0.001)
    stats = DrawStats()
    nodes = [{"id": f"n{i}", "label": f"Node {i}", "kind": "service"} for i in range(80)]
    edges = [{"from": f"n{i}", "to": f"n{(i * 7 + 3) % 80}", "label": f"edge {i}"} for i in range(80)]
    svg = draw(Job("big", "gcp", Diagram.model_validate({"nodes": nodes, "edges": edges})), None, stats)
    assert stats.fallbacks == [Fallback("big", "gcp", "it took longer than 0 s")]
    assert stats.fallbacks[0].message == ("Graphviz could not lay out the Google Cloud view (it took longer than 0 s); "
                                          "the page lists the diagram's parts instead")
    assert texts(svg)[0] == NOTICE


# -- labels as typed -----------------------------------------------------------------------------

ENTITIES = ["&lt;b&gt;x", "&amp;", "&#65;", "&quot;q&quot; &#x3C;"]


@pytest.mark.parametrize("label", ENTITIES)
def test_a_typed_character_entity_is_drawn_as_typed(fixture_root: Path, label: str) -> None:
    catalog, errors = loaded(fixture_root, {
        "providers": [], "nodes": [{"id": "a", "label": label, "kind": "client", "ref": "sample-tool"},
                                   {"id": "b", "label": "B", "kind": "database"}],
        "edges": [{"from": "a", "to": "b", "label": f"edge {label}"}],
        "clusters": [{"id": "c", "label": f"cluster {label}", "nodes": ["b"]}]})
    assert errors == []
    svg = draw(diagram_jobs(catalog)[0], None)
    assert label in labels(svg)
    assert f"edge {label}" in labels(svg) and f"cluster {label}" in labels(svg)
    tooltips = [a.get(f"{XLINK}title") for a in ElementTree.fromstring(svg).iter(f"{SVG}a")]
    assert tooltips == [label]


def test_the_label_of_a_diagram_drawn_as_a_list_is_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(source: str, name: str, timeout: float | None = None) -> str:
        raise drawing.LayoutError(name, "trouble in init_rank")

    monkeypatch.setattr(drawing, "_run_dot", fails)
    spec = Diagram.model_validate({"nodes": [{"id": "a", "label": "&lt;b&gt;x", "kind": "client"}],
                                   "edges": [{"from": "a", "to": "a", "label": "&amp;"}],
                                   "clusters": [{"id": "c", "label": "&#65;", "nodes": ["a"]}]})
    shown = texts(draw(Job("big", "neutral", spec), None))
    assert {"&#65;  (group)", "&lt;b&gt;x  (client)", "&lt;b&gt;x → &lt;b&gt;x  (&amp;)"} <= set(shown)


@pytest.mark.parametrize("title", ENTITIES)
def test_a_relation_graph_shows_titles_as_typed(title: str) -> None:
    other = Neighbour("x", title, "threat", "Threat", "../threats/x/", ("mitigates",), False, True)
    svg = NeighbourhoodJob("me", "standards", title, "standard", "Standard", (other,)).svg()
    root = ElementTree.fromstring(svg)
    assert [t for t in texts(svg) if t == title] == [title, title]
    assert root.find(f"{SVG}title").text == f"Entries related to {title}"  # type: ignore[union-attr]


@pytest.mark.parametrize("title", ENTITIES)
def test_the_radar_shows_tool_titles_as_typed(title: str) -> None:
    catalog, _ = load_catalog(FIXTURE, FIXTURE / "catalog")
    tool = catalog.entries["sample-tool"].model_copy(update={"title": title})
    assert isinstance(tool, Tool)
    root = ElementTree.fromstring(radar_svg(place([tool], {}), {"sample-tool": "../tools/sample-tool/"}))
    titles = [t.text for a in root.iter(f"{SVG}a") for t in a.iter(f"{SVG}title")]
    assert titles == [f"1. {title} ({tool.ring})"]
