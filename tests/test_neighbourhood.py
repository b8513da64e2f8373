"""Relation graphs: every related entry is a link to its page, on the side its arrow comes from, and
catalog text stays text however it is written."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from generators.load.catalog import Catalog
from generators.render.relations import MAX_NEIGHBOURS, Neighbour, NeighbourhoodJob, neighbourhood_jobs, relation_graphs
from generators.resolve.editions import Edition

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def catalog(bundled_edition: Edition) -> Catalog:
    return bundled_edition.catalog


def nodes(svg: str) -> dict[str, float]:
    """Each linked node's page and the x of its box."""
    root = ET.fromstring(svg)
    return {a.get("href"): float(a.find(f"{SVG}rect").get("x")) for a in root.iter(f"{SVG}a")}  # type: ignore[union-attr,arg-type]


def test_every_entry_has_a_graph_linking_each_neighbour_once(catalog: Catalog) -> None:
    graphs = relation_graphs(catalog, catalog.graph)
    assert len(graphs) == len(catalog.entries)
    job = next(j for j in neighbourhood_jobs(catalog, catalog.graph) if j.entry_id == "rag-assistant")
    svg = graphs["architectures/rag-assistant.relations.svg"]
    links = nodes(svg)
    assert set(links) == {n.url for n in job.neighbours}
    for href in links:
        kind_folder, entry_id = href.removeprefix("../").rstrip("/").split("/")
        assert catalog.entries[entry_id].folder == kind_folder
    root = ET.fromstring(svg)
    assert all(a.get(XLINK) == a.get("href") and a.get("target") == "_top" for a in root.iter(f"{SVG}a"))


def test_incoming_neighbours_stand_left_of_the_entry_and_outgoing_ones_right() -> None:
    def neighbour(name: str, outgoing: bool) -> Neighbour:
        return Neighbour(name, f"Title {name}", "adr", "ADR", f"../adrs/{name}/", "applies", outgoing)

    job = NeighbourhoodJob("me", "standards", "Me", "standard", "Standard",
                           (neighbour("in-1", False), neighbour("out-1", True), neighbour("in-2", False)))
    root = ET.fromstring(job.svg())
    centre = next(float(r.get("x")) for r in root.iter(f"{SVG}rect") if r.get("stroke-width") == "2")  # type: ignore[arg-type]
    placed = nodes(job.svg())
    assert placed["../adrs/in-1/"] < centre and placed["../adrs/in-2/"] < centre < placed["../adrs/out-1/"]
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]
    assert len(arrows) == 3


def test_a_crowded_entry_shows_the_first_neighbours_and_counts_the_rest() -> None:
    many = tuple(Neighbour(f"n{i}", f"N {i}", "adr", "ADR", f"../adrs/n{i}/", "applies", True) for i in range(MAX_NEIGHBOURS))
    svg = NeighbourhoodJob("me", "standards", "Me", "standard", "Standard", many, more=7).svg()
    assert len(nodes(svg)) == MAX_NEIGHBOURS
    assert "and 7 more" in "".join(ET.fromstring(svg).itertext())


@pytest.mark.parametrize("title", [
    '</text><script>alert(1)</script>',
    '"><a href="javascript:alert(1)">x</a>',
    "]]><!ENTITY x 'y'>&amp; & <",
])
def test_hostile_titles_and_relations_stay_text(title: str) -> None:
    other = Neighbour("x", title, "threat", title, "../threats/x/", title, False)
    svg = NeighbourhoodJob("me", "standards", title, "standard", "Standard", (other,)).svg()
    root = ET.fromstring(svg)  # well-formed whatever the title holds
    assert not list(root.iter(f"{SVG}script"))
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["../threats/x/"]
    text = "".join(root.itertext())
    assert title[:39] in text
