"""Relation graphs: each related entry drawn once and linking to its page, crowds grouped and listed on the page,
every text measured to fit at natural size in a phone's column, and catalog text kept as text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter

import markdown
import pytest

from generators.load.catalog import Catalog
from generators.render.font import STACK, font_face, text_width
from generators.render.pages import Renderer
from generators.render.relations import (
    GROUP_OVER,
    MAX_ROWS,
    WIDTH,
    Neighbour,
    NeighbourhoodJob,
    neighbourhood_jobs,
    relation_graphs,
    relation_list,
)
from generators.resolve.editions import Edition
from generators.site.sanitize import sanitize

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
TODAY = dt.date(2026, 11, 25)
RAG = "architectures/rag-assistant.relations.svg"


@pytest.fixture(scope="module")
def catalog(bundled_edition: Edition) -> Catalog:
    return bundled_edition.catalog


@pytest.fixture(scope="module")
def graphs(catalog: Catalog) -> dict[str, ET.Element]:
    return {path: ET.fromstring(svg) for path, svg in relation_graphs(catalog, catalog.graph).items()}


def links(root: ET.Element) -> list[str]:
    return [a.get("href", "") for a in root.iter(f"{SVG}a")]


def shown(node: ET.Element) -> str:
    return " ".join(t.text or "" for t in node.iter(f"{SVG}text"))


def neighbour(name: str, relations: tuple[str, ...] = ("applies",), *, outgoing: bool = True, incoming: bool = False,
              kind: str = "adr", title: str | None = None) -> Neighbour:
    return Neighbour(name, title or f"Title {name}", kind, "ADR", f"../adrs/{name}/", relations, outgoing, incoming)


def job(*neighbours: Neighbour, title: str = "Me") -> NeighbourhoodJob:
    return NeighbourhoodJob("me", "standards", title, "standard", "Standard", neighbours)


def test_every_entry_has_a_graph_drawing_each_neighbour_once(catalog: Catalog, graphs: dict[str, ET.Element]) -> None:
    assert len(graphs) == len(catalog.entries)
    twice = {path: [h for h, n in Counter(links(root)).items() if n > 1] for path, root in graphs.items()}
    assert {path: hrefs for path, hrefs in twice.items() if hrefs} == {}
    for path, root in graphs.items():
        for href in links(root):
            page, _, anchor = href.partition("#")
            kind_folder, entry_id = page.removeprefix("../").rstrip("/").split("/")
            assert catalog.entries[entry_id].folder == kind_folder
            assert not anchor or path == f"{kind_folder}/{entry_id}.relations.svg"  # a group points at its own page
        assert all(a.get(XLINK) == a.get("href") and a.get("target") == "_top" for a in root.iter(f"{SVG}a"))


def test_a_neighbour_related_both_ways_is_one_node_whose_edge_names_both_relations() -> None:
    both = neighbour("both", ("applies", "pointed at by"), incoming=True)
    root = ET.fromstring(job(neighbour("out-1"), both, neighbour("in-1", ("applied by",), outgoing=False, incoming=True)).svg())
    assert Counter(links(root)) == Counter(["../adrs/out-1/", "../adrs/both/", "../adrs/in-1/"])
    words = [t.text for t in root.iter(f"{SVG}text")]
    assert "applies · pointed at by" in words
    assert words.index("LINKS FROM THIS ENTRY (1)") < words.index("Title out-1") < words.index("LINKS TO THIS ENTRY (1)") \
        < words.index("Title in-1") < words.index("LINKS BOTH WAYS (1)") < words.index("Title both")
    connectors = [p for p in root.iter(f"{SVG}path") if p.get("marker-start") or p.get("marker-end")]
    assert [(bool(p.get("marker-start")), bool(p.get("marker-end"))) for p in connectors] == \
        [(False, True), (True, False), (True, True)]


def test_the_rag_architecture_groups_its_standards_and_the_page_holds_the_anchor(
        catalog: Catalog, graphs: dict[str, ET.Element]) -> None:
    standards = [i for i in catalog.graph.links("rag-assistant") if catalog.entries[i].kind == "standard"]
    assert len(standards) > GROUP_OVER
    root = graphs[RAG]
    group = next(a for a in root.iter(f"{SVG}a")
                 if a.get("href") == "../architectures/rag-assistant/#relations-applies-standards")
    alone = [i for i in standards if f"../standards/{i}/" in links(root)]
    assert alone == ["retrieval-access-control"]  # also a node of its diagram: two relations, its own row
    assert shown(group) == f"{len(standards) - 1} standards and guardrails each listed below the drawing"
    listed = next(g for g in relation_list(catalog, catalog.graph, "rag-assistant") if g.anchor == "relations-applies-standards")
    assert sorted(listed.ids) == sorted(standards)


def test_every_group_anchor_is_on_the_page_the_group_links_to(catalog: Catalog, graphs: dict[str, ET.Element]) -> None:
    renderer = Renderer(catalog, catalog.graph, TODAY, [])
    grouped = {path: [h.split("#")[1] for h in links(root) if "#" in h] for path, root in graphs.items()}
    assert sum(map(len, grouped.values())) >= 5
    for path, anchors in grouped.items():
        if not anchors:
            continue
        entry = catalog.entries[path.split("/")[1].removesuffix(".relations.svg")]
        section = renderer.entry_page(entry).split("## Relations")[1].split("\n## ")[0]
        html = sanitize(markdown.markdown(section, extensions=["attr_list", "md_in_html", "toc"]))
        for anchor in anchors:
            item = html.split(f'<strong id="{anchor}">')[1].split("</li>")[0]
            group = next(g for g in relation_list(catalog, catalog.graph, entry.id) if g.anchor == anchor)
            assert item.count("<a href=") == len(group.ids) > GROUP_OVER


def test_the_list_names_every_neighbour_in_both_directions(catalog: Catalog) -> None:
    for job_ in neighbourhood_jobs(catalog, catalog.graph):
        groups = relation_list(catalog, catalog.graph, job_.entry_id)
        assert {i for g in groups for i in g.ids} == {n.id for n in job_.neighbours}
        for n in job_.neighbours:
            assert {g.label.split(" (")[0].lower() for g in groups if n.id in g.ids} == set(n.relations)
    page = Renderer(catalog, catalog.graph, TODAY, []).entry_page(catalog.entries["rag-assistant"])
    relations = page.split("## Relations")[1].split("\n## ")[0]
    assert '- <strong id="relations-followed-by-initiatives">Followed by &#40;initiatives&#41;:</strong> ' in relations
    assert '- <strong id="relations-uses-tools">Uses &#40;tools and vendors&#41;:</strong> ' in relations


def text_fits(root: ET.Element) -> list[str]:
    """Every text too small, or wider than its box (with 4 px to spare) or the canvas."""
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    problems = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size", "0"))
        left, base = float(text.get("x", "")), float(text.get("y", ""))
        right = left + text_width(text.text or "", size)
        if size < 11 or left < 4 or right > width - 4 or base > height - 4:
            problems.append(f"{text.text!r} at {size} px spans {left:.1f}-{right:.1f} of {width}")
    for node in [*root.iter(f"{SVG}a"), *root.iter(f"{SVG}g")]:
        rect = node.find(f"{SVG}rect")
        assert rect is not None
        x, y, w, h = (float(rect.get(k, "")) for k in ("x", "y", "width", "height"))
        for text in node.iter(f"{SVG}text"):
            left, base = float(text.get("x", "")), float(text.get("y", ""))
            right = left + text_width(text.text or "", float(text.get("font-size", "")))
            if left < x + 4 or right > x + w - 4 or not y + 11 <= base <= y + h - 3:
                problems.append(f"{text.text!r} spans {left:.1f}-{right:.1f}, base {base}, outside its box {x}+{w}, {y}+{h}")
    return problems


def test_every_text_is_at_least_11_px_and_fits_its_box_in_a_drawing_at_most_340_px_wide(
        graphs: dict[str, ET.Element]) -> None:
    assert WIDTH <= 340
    assert {root.get("width") for root in graphs.values()} == {str(WIDTH)}
    assert {root.get("viewBox", "").split()[2] for root in graphs.values()} == {str(WIDTH)}
    assert {path: problems for path, root in graphs.items() if (problems := text_fits(root))} == {}
    sizes = {t.get("font-size") for root in graphs.values() for t in root.iter(f"{SVG}text")}
    assert sizes == {"11", "13"}


def test_long_titles_wrap_at_words_and_only_a_title_beyond_two_lines_is_shortened() -> None:
    two = "Ground LLM features with retrieval before considering fine-tuning in every new assistant"
    long = " ".join(["Permission-aware retrieval"] * 12)
    root = ET.fromstring(job(neighbour("two", title=two), neighbour("long", title=long), title=long).svg())
    assert text_fits(root) == []
    nodes = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    lines = [t.text or "" for t in nodes["../adrs/two/"].iter(f"{SVG}text")][:-1]
    assert len(lines) == 2 and " ".join(lines) == two
    for node in [nodes["../adrs/long/"], next(root.iter(f"{SVG}g"))]:
        *title_lines, _ = [t.text or "" for t in node.iter(f"{SVG}text")]
        assert len(title_lines) == 2 and title_lines[1].endswith("…")
        assert long.startswith(" ".join(title_lines).removesuffix("…"))
        assert node.findtext(f"{SVG}title") == long


def test_no_bundled_title_is_shortened_unless_its_tooltip_holds_it_whole(graphs: dict[str, ET.Element]) -> None:
    for root in graphs.values():
        for node in [*root.iter(f"{SVG}a"), *root.iter(f"{SVG}g")]:
            if "…" in shown(node):
                assert "…" not in (node.findtext(f"{SVG}title") or "")


def test_the_drawing_loads_the_shipped_font_says_what_it_shows_and_has_a_white_canvas(graphs: dict[str, ET.Element]) -> None:
    root = graphs[RAG]
    style = root.findtext(f"{SVG}style") or ""
    assert font_face("../fonts/PlaybookSans-Regular.ttf") in style and f"font-family:{STACK}" in style
    assert root.findtext(f"{SVG}title") == "Entries related to Enterprise assistant with permission-aware RAG"
    assert (root.findtext(f"{SVG}desc") or "").endswith("The list below the drawing names them all.")
    canvas = root.find(f"{SVG}rect")
    assert canvas is not None and canvas.get("fill") == "white" and canvas.get("height") == root.get("height")
    lonely = ET.fromstring(job().svg())
    assert lonely.findtext(f"{SVG}desc") == "No other entry is related to this one."
    assert job(neighbour("a"), neighbour("b", ("applied by",), outgoing=False, incoming=True)).description() == \
        "2 related entries: 1 this entry links to, 1 linking to it. The list below the drawing names them all."


def test_seven_neighbours_of_one_kind_related_one_way_are_one_group_and_six_are_not() -> None:
    six = ET.fromstring(job(*(neighbour(f"n{i}") for i in range(GROUP_OVER))).svg())
    assert len(links(six)) == GROUP_OVER
    seven = ET.fromstring(job(*(neighbour(f"n{i}") for i in range(GROUP_OVER + 1)), neighbour("x", kind="tool")).svg())
    assert links(seven) == ["../standards/me/#relations-applies-adrs", "../adrs/x/"]
    group = next(seven.iter(f"{SVG}a"))
    assert shown(group) == "7 architecture decision records each listed below the drawing"


def test_a_pathological_entry_draws_at_most_the_row_cap_and_says_so() -> None:
    many = [neighbour(f"n{i}", (f"relation {i}",)) for i in range(MAX_ROWS + 5)]
    root = ET.fromstring(job(*many).svg())
    assert len(links(root)) == MAX_ROWS
    assert " ".join(t.text or "" for t in root.iter(f"{SVG}text")).endswith(
        "5 more rows are not drawn: the list below the drawing names every related entry.")
    assert text_fits(root) == []


def test_the_same_catalog_gives_the_same_bytes(catalog: Catalog) -> None:
    assert relation_graphs(catalog, catalog.graph) == relation_graphs(catalog, catalog.graph)


HOSTILE = ['</text><script>alert(1)</script>', '"><a href="javascript:alert(1)">x</a>', "]]><!ENTITY x 'y'>&amp; & <"]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_and_relations_stay_text(title: str) -> None:
    other = Neighbour("x", title, "threat", title, "../threats/x/", (title,), False, True)
    root = ET.fromstring(job(other, title=title).svg())  # well-formed whatever the title holds
    assert not list(root.iter(f"{SVG}script"))
    assert links(root) == ["../threats/x/"]
    assert next(root.iter(f"{SVG}a")).findtext(f"{SVG}title") == title
    assert root.findtext(f"{SVG}title") == f"Entries related to {title}"
    assert title in [t.text for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_stay_escaped_in_the_list_on_the_page(catalog: Catalog, title: str) -> None:
    kong = catalog.entries["kong"].model_copy(update={"title": title})
    edited = dataclasses.replace(catalog, entries={**catalog.entries, "kong": kong})
    page = Renderer(edited, edited.graph, TODAY, []).entry_page(edited.entries["rag-assistant"])
    item = next(line for line in page.split("## Relations")[1].splitlines() if "relations-uses-tools" in line)
    html = markdown.markdown(item)
    assert "<script" not in html and "javascript:" not in html and "<a href=\"javascript" not in html
    assert "](../tools/kong.md)" in item and title not in item
