"""The bundled playbook holds what the organisation relies on, and its crosswalks are exact."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from generators.load.catalog import Catalog
from generators.load.entries import load_catalog
from generators.load.governance import states_a_number
from generators.models import BY_KIND
from generators.models.kpi import Kpi

REPO = Path(__file__).resolve().parent.parent
BLUEPRINT_KPIS = Path(__file__).parent / "fixtures" / "blueprint-kpis.tsv"

MINIMUM = {
    "architecture": 10, "standard": 15, "kpi": 16, "checklist": 6, "threat": 12, "adr": 8,
    "adr-template": 2, "onboarding-kit": 3, "tool": 40, "incident-playbook": 5, "framework": 2,
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog, report = load_catalog(REPO, REPO / "catalog")
    assert [d.text() for d in report.diagnostics] == []
    return catalog


@pytest.mark.parametrize(("kind", "least"), sorted(MINIMUM.items()))
def test_minimum_counts(catalog: Catalog, kind: str, least: int) -> None:
    assert len(catalog.of_kind(BY_KIND[kind])) >= least


def blueprint_kpis() -> list[dict[str, str]]:
    lines = [line for line in BLUEPRINT_KPIS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.mark.parametrize("row", blueprint_kpis(), ids=lambda row: row["metric"])
def test_every_blueprint_kpi_is_present_with_its_target(catalog: Catalog, row: dict[str, str]) -> None:
    kpis = {kpi.title: kpi for kpi in catalog.of_kind(Kpi)}
    assert row["metric"] in kpis, f"no KPI titled {row['metric']!r}"
    kpi = kpis[row["metric"]]
    if states_a_number(row["target"]):
        assert kpi.target == row["target"]  # type: ignore[attr-defined]
    else:  # the blueprint gives a direction, not a number: the playbook states one to test against
        assert states_a_number(kpi.target), kpi.target  # type: ignore[attr-defined]
    assert kpi.frequency == row["frequency"]  # type: ignore[attr-defined]


def test_no_placeholder_text(catalog: Catalog) -> None:
    for entry_id, document in catalog.documents.items():
        text = Path(REPO / document.file).read_text(encoding="utf-8").lower()
        for marker in ("tbd", "lorem ipsum", "todo", "placeholder"):
            assert marker not in text.split(), f"{document.file} contains '{marker}'"


def test_some_adrs_supersede_others(catalog: Catalog) -> None:
    adrs = catalog.of_kind(BY_KIND["adr"])
    assert any(adr.supersedes for adr in adrs)  # type: ignore[attr-defined]
    assert {adr.status for adr in adrs} >= {"accepted", "superseded"}  # type: ignore[attr-defined]


def test_every_threat_maps_to_both_frameworks(catalog: Catalog) -> None:
    for threat in catalog.of_kind(BY_KIND["threat"]):
        frameworks = {c.framework for c in threat.crosswalks}  # type: ignore[attr-defined]
        assert frameworks >= {"owasp-llm-2025", "mitre-atlas-5-6"}, threat.id
