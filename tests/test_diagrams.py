"""Diagrams as code: stable DOT, portable SVG, literal labels, caching, bounds and a clear error without Graphviz."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from generators.load.entries import load_catalog
from generators.models.architecture import Diagram
from generators.pipeline import diagram_jobs, generate_pages
from generators.render import diagrams as drawing
from generators.render.diagrams import (
    DiagramError,
    DrawStats,
    Fallback,
    Job,
    _run_dot,
    dot_source,
    draw,
    draw_all,
    graphviz_version,
)

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
GOLDEN = Path(__file__).parent / "golden" / "dot"


def fixture_jobs() -> list[Job]:
    catalog, report = load_catalog(FIXTURE, FIXTURE / "catalog")
    assert report.diagnostics == []
    return diagram_jobs(catalog)


def spec(**fields: object) -> Diagram:
    return Diagram.model_validate({"nodes": [{"id": "a", "label": "A", "kind": "client"}], **fields})


def test_dot_matches_golden_files(update_goldens: bool) -> None:
    jobs = fixture_jobs()
    assert [job.view for job in jobs] == ["neutral", "aws", "azure", "gcp"]
    for job in jobs:
        golden = GOLDEN / job.name.replace(".svg", ".dot")
        if update_goldens:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(dot_source(job), encoding="utf-8")
        assert dot_source(job) == golden.read_text(encoding="utf-8"), f"{golden.name}: rerun with --update-goldens if intended"


def test_dot_names_no_file_of_the_build_machine() -> None:
    for job in fixture_jobs():
        source = dot_source(job)
        assert str(drawing.ICON_ROOT) not in source
        assert all(not path.startswith("/") for path in re.findall(r'image="([^"]+)"', source))


def test_linked_node_points_at_the_entry_page() -> None:
    neutral = fixture_jobs()[0]
    assert 'URL="../tools/sample-tool/"' in dot_source(neutral)


def test_site_svg_references_icons_relatively_and_is_deterministic() -> None:
    job = fixture_jobs()[1]
    svg = draw(job, None)
    assert svg == draw(job, None)
    assert "/work/" not in svg and "site-packages" not in svg and str(drawing.ICON_ROOT) not in svg
    images = re.findall(r'<image xlink:href="([^"]+)"', svg)
    assert images and all(href.startswith("../diagram-icons/") for href in images)
    assert "../diagram-icons/aws/network/api-gateway.png" in images  # the AWS view draws the gateway as API Gateway
    assert 'xlink:href="../tools/sample-tool/"' in svg


def test_standalone_svg_embeds_its_icons() -> None:
    job = replace(fixture_jobs()[1], icons="")
    images = re.findall(r'<image xlink:href="([^"]+)"', draw(job, None))
    assert images and all(href.startswith("data:image/png;base64,") for href in images)


def test_generated_folder_holds_each_icon_once() -> None:
    catalog, _ = load_catalog(FIXTURE, FIXTURE / "catalog")
    _, pages, _ = generate_pages(catalog)
    svgs = [text for name, text in pages.items() if name.endswith(".svg")]
    referenced = {href for svg in svgs for href in re.findall(r'<image xlink:href="\.\./([^"]+)"', svg)}
    assert referenced == {name for name in pages if name.startswith("diagram-icons/")}
    assert all(isinstance(pages[name], bytes) and pages[name].startswith(b"\x89PNG") for name in referenced)


@pytest.mark.parametrize("label", ['<IMG SRC="/etc/passwd">', "<b>bold</b>", "\\N and \\G", 'say "hi"', "a\\lb"])
def test_labels_are_literal(label: str) -> None:
    hostile = spec(nodes=[{"id": "a", "label": label, "kind": "client"}, {"id": "b", "label": "B", "kind": "database"}],
                   edges=[{"from": "a", "to": "b", "label": label}],
                   clusters=[{"id": "c", "label": label, "nodes": ["b"]}])
    job = Job("hostile", "neutral", hostile)
    result = subprocess.run(["dot", "-Tsvg"], input=dot_source(job).encode(), capture_output=True,
                            cwd=drawing.ICON_ROOT, check=True)
    assert b"passwd" not in result.stderr and b"image" not in result.stderr.lower()  # no file was read
    svg = draw(job, None)
    shown = label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    groups = re.findall(r'<g id="[^"]*" class="(?:node|edge|cluster)">(.*?)</g>\n(?=<g|</g>)', svg, re.S)
    texts = [" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", group)) for group in groups]
    assert texts.count(shown) == 3, texts  # node, edge and cluster labels, each as written (long ones on two lines)
    assert "passwd" not in "".join(re.findall(r'<image xlink:href="([^"]+)"', svg))


def test_cache_draws_only_what_changed(tmp_path: Path) -> None:
    jobs = fixture_jobs()
    _, cold = draw_all(jobs, tmp_path)
    assert (cold.drawn, cold.cached) == (4, 0)
    _, warm = draw_all(jobs, tmp_path)
    assert (warm.drawn, warm.cached) == (0, 4)
    changed = [Job(j.entry_id, j.view, j.spec.model_copy(update={"direction": "TB"}), j.links) if j.view == "aws" else j
               for j in jobs]
    _, after = draw_all(changed, tmp_path)
    assert (after.drawn, after.cached) == (1, 3)


def test_missing_dot_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DiagramError) as raised:
        draw(fixture_jobs()[0], tmp_path / "cache")
    assert str(raised.value) == (
        "Graphviz is not installed: the 'dot' command was not found; install it with 'apt-get install graphviz'"
    )
    assert list(tmp_path.iterdir()) == []


def test_graphviz_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = [{"id": f"n{i}", "label": f"N{i}", "kind": "service"} for i in range(100)]
    edges = [{"from": f"n{i}", "to": f"n{(i * 7 + 3) % 100}"} for i in range(100)]
    monkeypatch.setattr(drawing, "DOT_TIMEOUT", 0.001)
    stats = DrawStats()
    svg = draw(Job("big", "neutral", spec(nodes=nodes, edges=edges)), None, stats)
    assert stats.fallbacks == [Fallback("big", "neutral", "it took longer than 0 s")]
    assert "Graphviz could not lay this diagram out, so its parts are listed instead." in svg


def test_parallel_drawing_gives_the_same_svgs() -> None:
    jobs = fixture_jobs()
    one, _ = draw_all(jobs, None, workers=1)
    many, _ = draw_all(jobs, None, workers=4)
    assert one == many


def test_diagram_command_prints_svg(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "catalog", tmp_path / "catalog")
    out = tmp_path / "d.svg"
    result = subprocess.run([sys.executable, "-m", "generators", "--root", str(tmp_path), "diagram", "sample-architecture",
                             "--provider", "gcp", "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("<?xml")
    assert all(href.startswith("data:image/png;base64,") for href in re.findall(r'<image xlink:href="([^"]+)"', out.read_text()))
    result = subprocess.run([sys.executable, "-m", "generators", "--root", str(tmp_path), "diagram", "sample-tool"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "'sample-tool' is not a reference architecture with a diagram" in result.stderr


def test_a_drawing_is_the_same_whatever_fonts_the_machine_has(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """dot estimates text widths from built-in metrics: a machine with other fonts, or none, lays out the same."""
    assert graphviz_version().endswith("; estimated text widths")
    source = (GOLDEN / "sample-architecture.neutral.dot").read_text(encoding="utf-8")
    drawn = _run_dot(source, "sample")
    no_fonts = tmp_path / "fonts.conf"
    no_fonts.write_text('<?xml version="1.0"?><fontconfig></fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(no_fonts))
    assert _run_dot(source, "sample") == drawn
    assert 'font-family="Helvetica,sans-Serif"' in drawn
