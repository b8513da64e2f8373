"""The data contract, the distribution check and the abstain lane."""

from __future__ import annotations

import random

from app.checks import completeness, contract_problems, label_for, population_stability_index

COLUMNS = ["account_id", "tenure_months"]
CONTRACT = {"min_rows": 3, "max_null_rate": 0.0, "unique_key": "account_id", "ranges": {"tenure_months": [0, 600]}}


def rows(*values: tuple[str, str]) -> list[dict[str, str]]:
    return [{"account_id": key, "tenure_months": tenure} for key, tenure in values]


def test_a_clean_snapshot_passes() -> None:
    assert contract_problems(rows(("a", "1"), ("b", "2"), ("c", "3")), CONTRACT, COLUMNS) == []


def test_each_breach_is_named() -> None:
    problems = contract_problems(rows(("a", "1"), ("a", ""), ("c", "900")), CONTRACT, COLUMNS)
    assert any("empty values" in p for p in problems)
    assert any("not unique" in p for p in problems)
    assert any("outside" in p for p in problems)
    assert contract_problems(rows(("a", "1")), CONTRACT, COLUMNS) == ["1 rows, fewer than the contract's 3"]
    assert contract_problems([{"account_id": "a"}] * 3, CONTRACT, COLUMNS) == ["missing columns: tenure_months"]


def test_psi_is_small_for_the_same_population_and_large_for_a_shift() -> None:
    rng = random.Random(7)
    before = [rng.betavariate(2, 5) for _ in range(5000)]
    same = [rng.betavariate(2, 5) for _ in range(5000)]
    shifted = [rng.betavariate(5, 2) for _ in range(5000)]
    assert population_stability_index(before, same) < 0.05
    assert population_stability_index(before, shifted) > 0.2


def test_below_its_threshold_a_row_abstains() -> None:
    thresholds = {"stays": 0.8, "churns": 0.62}
    assert label_for({"stays": 0.3, "churns": 0.7}, thresholds) == ("churns", 0.7)
    assert label_for({"stays": 0.75, "churns": 0.25}, thresholds) == ("abstain", 0.75)
    assert completeness(999, 1000) == 0.999
