"""Names of external threat catalogue ids: OWASP Top 10 for LLM Applications 2025, MITRE ATLAS."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def _table(name: str) -> dict[str, str]:
    text = resources.files("generators").joinpath("data", name).read_text(encoding="utf-8")
    rows = csv.reader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    next(rows)  # header
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def owasp_llm() -> dict[str, str]:
    """OWASP LLM ids (`LLM01:2025`) to their names."""
    return _table("owasp-llm-top10-2025.tsv")


def mitre_atlas() -> dict[str, str]:
    """MITRE ATLAS 5.6.0 technique and mitigation ids to their names."""
    return _table("mitre-atlas-techniques.tsv")
