"""JSON Schemas of every kind, generated from the models, for editors and other tools."""

from __future__ import annotations

import json

from ..models import KINDS

SCHEMA_BASE = "https://playbook.invalid/schemas/"


def schemas() -> dict[str, str]:
    """`<kind>.schema.json` file names mapped to their JSON text."""
    out = {}
    for model in KINDS:
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}{model.kind}.schema.json",
            "description": model.blurb,
            **schema,
        }
        out[f"{model.kind}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return out
