"""A new kind is a model and a template: registered, it is loaded, checked, rendered, diffed and scaffolded."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, copy_project

from generators.cli.main import main
from generators.load.entries import load_catalog
from generators.models import BY_FOLDER, BY_KIND, KINDS, register
from generators.models.common import Entry
from generators.models.relation import APPLIES
from generators.resolve.changes import diff

MODEL = '''"""Recipes: a kind defined outside the package."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from generators.models.common import Entry, Line, Prose, Ref
from generators.models.relation import APPLIES


class Recipe(Entry):
    kind = "recipe"
    folder = "recipes"
    label = "Recipes"
    singular = "Recipe"
    blurb = "Dishes the canteen cooks, and the standards their kitchen applies."
    relations = {"standards": APPLIES}
    colour = "#FADADD"
    diff_fields = ("serves",)
    diff_items = ()
    badges = {"draft": "proposed", "tested": "current", "retired": "ended"}
    standalone = True
    skeleton = """status: draft
serves: 2
method: |
  How the dish is cooked.
steps:
  - The first step.
"""
    templates = str(Path(__file__).parent)

    status: Literal["draft", "tested", "retired"]
    serves: int
    method: Prose
    steps: list[Line] = Field(min_length=1)
    standards: list[Ref("standard")] = Field(default_factory=list)
'''

TEMPLATE = """{% extends "entry.md.j2" %}
{% block body %}

Serves {{ entry.serves }}.

{{ entry.method | prose }}

{{ bullets(entry.steps) }}
{% endblock %}
"""

PANCAKES = """# yaml-language-server: $schema=../schemas/recipe.schema.json
id: pancakes
title: Pancakes
summary: Thin pancakes for a team breakfast.
owners:
  - platform-team
last_reviewed: 2026-11-25
review_every: 6 months
status: tested
serves: 2
method: |
  Whisk, rest, **fry**.
steps:
  - Whisk flour, eggs and milk.
  - Fry in a hot pan.
standards:
  - {standard}
"""


@pytest.fixture
def recipe(tmp_path: Path) -> Iterator[type[Entry]]:
    """The Recipe kind, its module and template written into a temporary folder and registered for one test."""
    folder = tmp_path / "kinds"
    folder.mkdir()
    (folder / "recipe.py").write_text(MODEL)
    (folder / "recipe.md.j2").write_text(TEMPLATE)
    spec = importlib.util.spec_from_file_location("recipe_kind", folder / "recipe.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    model = register(module.Recipe)
    yield model
    KINDS.remove(model)
    del BY_KIND[model.kind], BY_FOLDER[model.folder], sys.modules[spec.name]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The project with the minimal catalog and one recipe that applies its standard."""
    project = copy_project(tmp_path / "project", REPO / "tests" / "fixtures" / "minimal" / "catalog")
    (project / "catalog" / "recipes").mkdir()
    (project / "catalog" / "recipes" / "pancakes.yaml").write_text(PANCAKES.format(standard="sample-standard"))
    return project


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["--root", str(root), "--today", "2026-11-25", "check"])
    return code, [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]


def test_a_registered_kind_is_loaded_and_its_references_resolve(recipe: type[Entry], root: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    catalog, problems = load_catalog(root, root / "catalog")
    assert problems.diagnostics == []
    assert [e.id for e in catalog.of_kind(recipe)] == ["pancakes"]
    assert check(root, capsys) == (0, [])
    assert sorted({(ref.relation.name, ref.target_id) for ref in catalog.graph.outgoing["pancakes"]}) == [
        ("applies", "sample-standard"), ("owned by", "platform-team")]
    applied_by = {ref.source for ref in catalog.graph.incoming["sample-standard"] if ref.relation.inverse == "applied by"}
    assert applied_by == {"pancakes", "sample-architecture"}


def test_a_bad_reference_of_a_registered_kind_is_reported(recipe: type[Entry], root: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (root / "catalog" / "recipes" / "pancakes.yaml").write_text(PANCAKES.format(standard="sample-standrad"))
    code, errors = check(root, capsys)
    assert code == 1
    assert errors == ["catalog/recipes/pancakes.yaml:17:5: error: standards[0]: no standard has the id 'sample-standrad'"]


def test_a_registered_kind_is_rendered(recipe: type[Entry], root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "--today", "2026-11-25", "generate"]) == 0
    site = root / "docs" / "playbook"
    page = (site / "recipes" / "pancakes.md").read_text()
    assert ('Serves 2.\n\n<div class="pb-prose">\n<p>Whisk, rest, <strong>fry</strong>.</p>\n</div>\n\n'
            "- Whisk flour, eggs and milk.\n- Fry in a hot pan.\n") in page
    assert '<span class="pb-badge pb-badge--current">tested</span>' in page
    assert "Applies &#40;standards and guardrails&#41;:</strong> [Sample standard](../standards/sample-standard.md)" in page
    assert ('| [Pancakes](../recipes/pancakes.md) | <span class="pb-badge pb-badge--current">tested</span> | '
            "platform-team |  | 2026-11-25 |") in (site / "recipes" / "index.md").read_text()
    assert "| [Recipes](recipes/index.md) | 1 | Dishes the canteen cooks" in (site / "index.md").read_text()
    assert "Applied by &#40;recipes&#41;:</strong> [Pancakes](../recipes/pancakes.md)" in (site / "standards" / "sample-standard.md").read_text()
    assert 'fill="#FADADD"' in (site / "standards" / "sample-standard.relations.svg").read_text()


def test_a_change_to_a_registered_kind_is_diffed(recipe: type[Entry], root: Path) -> None:
    before, _ = load_catalog(root, root / "catalog")
    path = root / "catalog" / "recipes" / "pancakes.yaml"
    path.write_text(path.read_text().replace("serves: 2", "serves: 4").replace("  - Fry in a hot pan.\n", ""))
    after, _ = load_catalog(root, root / "catalog")
    changes = diff(before, after)
    assert [(c.kind, c.id, c.summary) for c in changes.entries] == [("recipe", "pancakes", "serves: 2 → 4; text revised")]
    assert [(m.kind, [c.id for c in group]) for m, group in changes.by_kind()] == [("recipe", ["pancakes"])]


def test_a_registered_kind_is_scaffolded(recipe: type[Entry], root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "--today", "2026-11-25", "new", "recipe", "waffles"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "catalog/recipes/waffles.yaml"
    text = (root / "catalog" / "recipes" / "waffles.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/recipe.schema.json\nid: waffles\n")
    assert check(root, capsys) == (0, [])


def test_a_kind_that_misses_a_declaration_is_refused() -> None:
    class Soup(Entry):
        kind = "soup"
        folder = "soups"
        label = "Soups"
        singular = "Soup"
        blurb = "Soups."

    with pytest.raises(TypeError) as raised:
        register(Soup)
    assert str(raised.value) == "Soup does not declare relations, colour, diff_fields, diff_items, badges, standalone, skeleton"
    assert "soup" not in BY_KIND


@pytest.mark.parametrize(("declared", "message"), [
    ({"relations": {}}, "Stew.relations names no relation for standards"),
    ({"relations": {"standards": APPLIES, "steps": APPLIES}}, "Stew.relations names steps, which hold no reference"),
    ({"colour": "white"}, "Stew.colour must be written as #RRGGBB in capitals, not 'white'"),
    ({"badges": {"draft": "proposed", "tested": "current"}},
     "Stew.badges must give each status (draft, retired, tested) one of current, proposed, paused, ended, other"),
    ({"diff_fields": ("spice",)}, "Stew compares spice, which it does not have"),
    ({"skeleton": "serves: {portions}\n"},
     "Stew.skeleton has a placeholder other than today, expires, entry_id, deciders: 'portions'"),
    ({"kind": "recipe"}, "Stew: kind 'recipe' or folder 'stews' is taken"),
])
def test_a_wrong_declaration_is_refused(recipe: type[Entry], declared: dict[str, object], message: str) -> None:
    stew = type("Stew", (recipe,), {"__module__": recipe.__module__, "kind": "stew", "folder": "stews", **declared})
    with pytest.raises(TypeError) as raised:
        register(stew)
    assert str(raised.value) == message
    assert stew not in KINDS
