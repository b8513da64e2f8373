"""Named values: a value stated once in the entry that owns it, cited as `[[value:name]]` in prose and in lines of
text, shown as the value and linked to its definition; exports, hand-written pages and editions show the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, TODAY
from test_citations import EDITIONS, edit, page, prose_blocks

from generators.pipeline import check, check_edition
from generators.project import Project
from generators.render.exports import entry_data
from generators.render.facts import FACTS_FILE, facts_json
from generators.site.macros import CatalogFacts

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
STANDARD = "catalog/standards/sample-standard.yaml"
ARCHITECTURE = "catalog/architectures/sample-architecture.yaml"
BUDGET = {"name": "run-budget", "value": 0.5, "unit": "USD", "shown": "$0.50",
          "rationale": "Enough for a typical run with retries."}


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """The minimal catalog, with a named value at home in the sample standard."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root / "catalog")
    edit(root, STANDARD, lambda data: data.update(values=[BUDGET, {"name": "run-steps", "value": 12000,
                                                                  "unit": "tool calls", "rationale": "A ceiling."}]))
    return root


def cite(root: Path, problem: str, first_step: str) -> None:
    """Cite values in the architecture's prose (its problem) and in one of its lines (its first data flow step)."""
    edit(root, ARCHITECTURE, lambda data: data.update(problem=problem, data_flow=[first_step]))


def architecture_page(root: Path, audience: str | None = None) -> str:
    result, report = check_edition(Project(root), audience, today=TODAY)
    assert result is not None, [d.text() for d in report.errors]
    return page(result.catalog, "sample-architecture")


def test_a_value_cited_in_prose_shows_the_value_linked_to_its_definition(minimal: Path) -> None:
    cite(minimal, "Each run stops at [[value:run-budget]] or [[value:run-steps]].", "Start the run.")
    assert prose_blocks(architecture_page(minimal))[0] == (
        '<p>Each run stops at <a class="pb-cite" href="../../standards/sample-standard/#value-run-budget">$0.50</a> or '
        '<a class="pb-cite" href="../../standards/sample-standard/#value-run-steps">12,000 tool calls</a>.</p>')


def test_a_value_cited_in_a_line_is_a_link_in_the_list_it_sits_in(minimal: Path) -> None:
    cite(minimal, "Runs are bounded.", "The runtime sets a budget of [[value:run-budget]] per run.")
    assert ("1. The runtime sets a budget of [&#36;0.50](../standards/sample-standard.md#value-run-budget){ .pb-cite } per run."
            in architecture_page(minimal))


def test_the_owning_entry_states_the_value_with_its_anchor_and_rationale(minimal: Path) -> None:
    catalog, _ = check(Project(minimal), TODAY)
    text = page(catalog, "sample-standard")
    assert ('| <strong id="value-run-budget">&#36;0.50</strong> | `run-budget` | Enough for a typical run with retries. |'
            in text)


def test_check_fails_on_an_unknown_value_with_the_closest_name(minimal: Path) -> None:
    cite(minimal, "Stops at [[value:run-budgt]].", "Costs [[value:nothing-like-it]].")
    _, report = check(Project(minimal), TODAY)
    found = {(d.path, d.message, d.hint) for d in report.errors if d.code == "unresolved-citation"}
    assert found == {
        ("problem", "no named value is called 'run-budgt', cited as [[value:run-budgt]]", "did you mean 'run-budget'?"),
        ("data_flow[0]", "no named value is called 'nothing-like-it', cited as [[value:nothing-like-it]]",
         "name a value in the 'values' of the entry that owns it")}


def test_a_title_cannot_cite(minimal: Path) -> None:
    edit(minimal, ARCHITECTURE, lambda data: data.update(title="Runs within [[value:run-budget]]"))
    _, report = check(Project(minimal), TODAY)
    assert [(d.path, d.code) for d in report.errors] == [("title", "unresolved-citation")]


def test_a_value_has_one_home(minimal: Path) -> None:
    edit(minimal, "catalog/adrs/sample-adr.yaml", lambda data: data.update(values=[{**BUDGET, "value": 2}]))
    _, report = check(Project(minimal), TODAY)
    assert [(d.file, d.path, d.code) for d in report.errors] == [(STANDARD, "values[0].name", "duplicate-value")]


def test_an_export_gives_the_value_as_text(minimal: Path) -> None:
    cite(minimal, "Stops at [[value:run-budget]].", "Budget [[value:run-steps]] per run.")
    catalog, _ = check(Project(minimal), TODAY)
    data = entry_data(catalog, catalog.entries["sample-architecture"])
    assert data["problem"] == "Stops at $0.50."
    assert data["data_flow"] == ["Budget 12,000 tool calls per run."]


def test_catalog_text_in_a_value_stays_text(minimal: Path) -> None:
    """A hostile value reaches the page escaped: no raw HTML, and the link is built from the value's name alone."""
    edit(minimal, STANDARD, lambda data: data.update(values=[{**BUDGET, "shown": "<img src=x onerror=alert(1)>"}]))
    cite(minimal, "Stops at [[value:run-budget]].", "Budget [[value:run-budget]].")
    text = architecture_page(minimal)
    assert "<img" not in text
    assert '<a class="pb-cite" href="../../standards/sample-standard/#value-run-budget">&lt;img src=x onerror=alert(1)&gt;</a>' in text
    assert ("[&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;](../standards/sample-standard.md#value-run-budget)"
            "{ .pb-cite }" in text)


def test_an_edition_without_the_home_entry_shows_no_value(minimal: Path) -> None:
    (minimal / "playbook.toml").write_text(EDITIONS, encoding="utf-8")
    edit(minimal, STANDARD, lambda data: data.update(visibility="internal"))
    edit(minimal, ARCHITECTURE, lambda data: data.update(standards=[]))
    cite(minimal, "Stops at [[value:run-budget]].", "Budget [[value:run-budget]].")
    public = architecture_page(minimal, "public")
    assert "$0.50" not in public and "value-run-budget" not in public
    assert prose_blocks(public)[0] == "<p>Stops at <em>unavailable in this edition</em>.</p>"
    assert "$0.50" in architecture_page(minimal, "internal")


def test_a_hand_written_page_quotes_a_value_through_the_macro(minimal: Path) -> None:
    catalog, _ = check(Project(minimal), TODAY)
    (minimal / "docs" / "playbook").mkdir(parents=True)
    (minimal / "docs" / "playbook" / FACTS_FILE).write_text(facts_json(catalog, "internal"), encoding="utf-8")
    facts = CatalogFacts(minimal)
    assert facts.value("run-budget", "guide/costs.md") == ("[&#36;0.50](../playbook/standards/sample-standard.md"
                                                           "#value-run-budget)")
    with pytest.raises(KeyError, match="did you mean 'run-steps'"):
        facts.value("run-step", "index.md")


def test_item_titles_that_cite_each_other_cannot_loop(minimal: Path) -> None:
    """A checklist item whose title cites an item whose title cites it back: each shows the other's words once."""
    edit(minimal, "catalog/checklists/sample-checklist.yaml", lambda data: data["items"].append(
        {"id": "second-item", "title": "Unlike [[sample-checklist#first-item]]", "severity": "minor",
         "evidence": "A link"}) or data["items"][0].update(title="Before [[sample-checklist#second-item]], within "
                                                                  "[[value:run-budget]]"))
    cite(minimal, "See [[sample-checklist#first-item]].", "Start.")
    text = architecture_page(minimal)
    assert '>Sample checklist: Before Sample checklist, within $0.50</a>' in text
    checklist, _ = check(Project(minimal), TODAY)
    assert ("### Before Sample checklist&#58; Unlike Sample checklist, within &#36;0.50 { #first-item }"
            in page(checklist, "sample-checklist"))
