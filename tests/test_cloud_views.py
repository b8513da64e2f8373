"""Drawings a reader can use: cloud views name each component's service, the neutral view draws no product logo,
every architecture page has the component table, labels wrap to fit, and the font the layout assumed ships with
the site. The browser checks of fit and size are in test_drawing_text.py and test_diagram_viewer.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_history import playbook

from generators.load.citations import prose_text
from generators.load.governance import RULES
from generators.models.architecture import Architecture, drawn_as, node_drawing
from generators.pipeline import check
from generators.project import Project
from generators.render.diagrams import WRAP_WIDTH, node_service, wrapped
from generators.render.font import FONT_PATH, LICENSE_PATH, text_width
from generators.resolve.editions import Edition
from generators.vocabulary import PROVIDERS, VOCABULARY

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def architectures(edition: Edition) -> list[Architecture]:
    found = [a for a in edition.catalog.of_kind(Architecture) if a.diagram is not None]  # type: ignore[misc]
    assert len(found) >= 12
    return found  # type: ignore[return-value]


def node_texts(svg_file: Path) -> dict[str, str]:
    """Each node's name in the DOT source (its SVG title) and its label, lines joined by spaces."""
    root = ElementTree.parse(svg_file).getroot()
    return {"".join(g.find(f"{SVG}title").itertext()): " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))  # type: ignore[union-attr]
            for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


def test_every_cloud_view_names_each_component_s_service(bundled_site: Path, bundled_edition: Edition) -> None:
    checked = 0
    for architecture in architectures(bundled_edition):
        assert architecture.diagram is not None
        for provider in architecture.diagram.providers:
            texts = node_texts(bundled_site / "playbook" / "architectures" / f"{architecture.id}.{provider}.svg")
            for node in architecture.diagram.nodes:
                shown = texts[f"n_{node.id.replace('-', '_')}"]
                service = node_service(node, provider)
                if VOCABULARY[node.kind].outside and service is None:
                    assert shown == node.label
                else:
                    assert service is not None and shown == f"{node.label} {service}", (architecture.id, provider, shown)
                checked += 1
    assert checked > 400


def test_the_neutral_view_draws_shapes_not_product_logos(bundled_site: Path, bundled_edition: Edition) -> None:
    for architecture in architectures(bundled_edition):
        svg = (bundled_site / "playbook" / "architectures" / f"{architecture.id}.neutral.svg").read_text(encoding="utf-8")
        assert "<image" not in svg, architecture.id
        assert node_texts(bundled_site / "playbook" / "architectures" / f"{architecture.id}.neutral.svg")


def test_every_architecture_page_has_the_component_table(bundled_site: Path, bundled_edition: Edition) -> None:
    for architecture in architectures(bundled_edition):
        assert architecture.diagram is not None
        html = (bundled_site / "playbook" / "architectures" / architecture.id / "index.html").read_text(encoding="utf-8")
        heads = "".join(f"<th>{h}</th>" for h in ("Component", "What it does", "AWS", "Azure", "Google Cloud"))
        assert heads in re.sub(r"\s+", "", html).replace("<th>Whatitdoes</th>", "<th>What it does</th>") \
            .replace("<th>GoogleCloud</th>", "<th>Google Cloud</th>"), architecture.id
        responsibilities = {c.name.casefold(): c.responsibility for c in architecture.components}
        for node in architecture.diagram.nodes:
            services = [node_service(node, p) or "" for p in PROVIDERS if p in architecture.diagram.providers]
            cells = re.findall(r"<tr>(.*?)</tr>", html, re.S)
            rows = [unescape(re.sub(r"<[^>]+>", "|", r)) for r in cells]
            found = next((i for i, r in enumerate(rows)
                          if f"|{node.label}|" in r and all(f"|{s}|" in r for s in services)), None)
            assert found is not None, (architecture.id, node.id)
            row = unescape(re.sub(r"<[^>]+>", "|", re.sub(r"</?a\b[^>]*>", "", cells[found])))  # a citation is text
            does = prose_text(bundled_edition.catalog,
                              responsibilities.get(drawn_as(node).casefold(), VOCABULARY[node.kind].description))
            assert f"|{does}|" in row, (architecture.id, node.id)


def test_every_component_of_an_architecture_is_drawn(bundled_edition: Edition) -> None:
    missing = [(a.id, c.name) for a in architectures(bundled_edition) for c in a.components
               if a.diagram is not None and node_drawing(a.diagram, c.name) is None]
    assert missing == []


def test_check_warns_when_a_component_is_not_drawn(project: Path) -> None:
    path = project / "catalog" / "architectures" / "rag-assistant.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    resolver = next(n for n in data["diagram"]["nodes"] if drawn_as_raw(n) == "Permission resolver")
    data["diagram"]["nodes"].remove(resolver)
    data["diagram"]["edges"] = [e for e in data["diagram"]["edges"] if resolver["id"] not in (e["from"], e["to"])]
    for cluster in data["diagram"]["clusters"]:
        cluster["nodes"] = [n for n in cluster["nodes"] if n != resolver["id"]]
    path.write_text(text.split("\n", 1)[0] + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8")
    result = playbook(project, "check")
    line = next(i for i, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "name: Permission resolver" in x)
    out = result.stdout + result.stderr
    assert result.returncode == 0
    assert (f"catalog/architectures/rag-assistant.yaml:{line}:" in out
            and "the diagram does not draw the component 'Permission resolver' [component-not-drawn]" in out)
    assert "component-not-drawn" in RULES


def drawn_as_raw(node: dict[str, str]) -> str:
    return node.get("component") or node["label"]


def test_check_refuses_a_node_naming_a_component_the_architecture_lacks(project: Path) -> None:
    path = project / "catalog" / "architectures" / "rag-assistant.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    - id: chat-client\n", "    - id: chat-client\n      component: Chat clientz\n", 1),
                    encoding="utf-8")
    result = playbook(project, "check")
    assert result.returncode == 1
    assert "'Chat clientz' is not one of this architecture's components" in result.stdout
    assert "did you mean 'Chat clients'?" in result.stdout


def test_check_refuses_a_cloud_view_without_a_service_unless_the_node_names_one(project: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(VOCABULARY, "object-storage", replace(VOCABULARY["object-storage"], gcp=None))
    _, report = check(Project(project))
    refused = [d for d in report.errors if "'object-storage' has no Google Cloud service" in d.message]
    assert refused and all(d.file.startswith("catalog/architectures/") for d in refused)
    assert "services.gcp" in refused[0].hint


def test_the_drawings_font_ships_with_the_site_and_nothing_is_fetched_elsewhere(bundled_site: Path) -> None:
    font = bundled_site / "playbook" / FONT_PATH
    assert font.read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert "SIL OPEN FONT LICENSE Version 1.1" in (bundled_site / "playbook" / LICENSE_PATH).read_text(encoding="utf-8")
    drawings = sorted((bundled_site / "playbook").glob("*/*.svg"))
    assert len(drawings) > 200
    for path in drawings:
        svg = path.read_text(encoding="utf-8")
        urls = re.findall(r"url\('([^']+)'\)", svg)
        assert urls == [f"../{FONT_PATH}"], path.name
        assert (path.parent / urls[0]).resolve() == font.resolve()
        assert not re.search(r'(?:href|src)="(?:https?:)?//', svg), path.name
        root = ElementTree.fromstring(svg.encode())
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None, path.name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab ILW,-é\u1680\u00a0"), max_size=60))
def test_wrapping_keeps_the_text_and_each_line_fits(text: str) -> None:
    lines = wrapped(text)
    assert " ".join(lines) == text
    for line in lines:
        assert text_width(line.strip(" "), 13) <= WRAP_WIDTH or len([word for word in line.split(" ") if word]) <= 1
