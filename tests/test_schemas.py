"""The committed JSON Schemas are the ones the models generate, and every catalog file names its schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.load.entries import schema_line
from generators.models import KINDS
from generators.render.schemas import schemas

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "catalog" / "schemas"


def test_committed_schemas_equal_the_generated_ones() -> None:
    generated = schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert sorted(committed) == sorted(generated), "run 'playbook schemas' and commit the result"
    for name, text in generated.items():
        assert committed[name] == text, f"{name} is stale: run 'playbook schemas' and commit the result"


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.kind)
def test_schema_forbids_unknown_keys_and_requires_common_fields(model: type) -> None:
    schema = json.loads(schemas()[f"{model.kind}.schema.json"])
    assert schema["additionalProperties"] is False
    assert {"id", "title", "summary", "owners", "status", "last_reviewed", "review_every"} <= set(schema["required"])


def test_every_bundled_catalog_file_names_its_schema() -> None:
    for model in KINDS:
        for path in (REPO / "catalog" / model.folder).glob("*.yaml"):
            assert path.read_text(encoding="utf-8").split("\n", 1)[0] == schema_line(model.kind), path
            target = (path.parent / schema_line(model.kind).split("$schema=")[1]).resolve()
            assert target.is_file(), f"{path} names a schema that does not exist"
