"""The checks that stand between a snapshot and published scores.

Playbook: playbook/architectures/batch-scoring/ (data contract validation before scoring, completeness
and a score distribution check before the atomic publication) and playbook/threats/data-poisoning/.
A failed data contract stops the run before scoring; a failed distribution check holds publication
until the model owner approves or rejects the run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def contract_problems(rows: Sequence[dict[str, str]], contract: dict[str, Any], columns: Sequence[str]) -> list[str]:
    """What in the snapshot breaks the data contract; an empty list means the run may score."""
    problems = []
    if len(rows) < int(contract["min_rows"]):
        problems.append(f"{len(rows)} rows, fewer than the contract's {contract['min_rows']}")
    if not rows:
        return problems
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        return problems + [f"missing columns: {', '.join(missing)}"]
    limit = float(contract["max_null_rate"])
    for column in columns:
        nulls = sum(1 for row in rows if row[column] in ("", None))
        if nulls / len(rows) > limit:
            problems.append(f"{column}: {nulls / len(rows):.2%} empty values, above {limit:.2%}")
    key = contract["unique_key"]
    if len({row[key] for row in rows}) != len(rows):
        problems.append(f"{key} is not unique")
    for column, (low, high) in (contract.get("ranges") or {}).items():
        outside = sum(1 for row in rows if row[column] not in ("", None) and not low <= float(row[column]) <= high)
        if outside:
            problems.append(f"{column}: {outside} values outside [{low}, {high}]")
    return problems


def completeness(scored: int, eligible: int) -> float:
    return 1.0 if eligible == 0 else scored / eligible


def population_stability_index(expected: Sequence[float], actual: Sequence[float], bins: int = 10) -> float:
    """PSI of two score samples over equal-width bins of [0, 1]; above 0.2 is a shift worth a person's look."""
    if not expected or not actual:
        return math.inf

    def shares(values: Sequence[float]) -> list[float]:
        counts = [0] * bins
        for value in values:
            counts[min(int(max(value, 0.0) * bins), bins - 1)] += 1
        return [max(count / len(values), 1e-6) for count in counts]  # no empty bin divides by zero

    return sum((a - e) * math.log(a / e) for e, a in zip(shares(expected), shares(actual), strict=True))


def label_for(probabilities: dict[str, float], thresholds: dict[str, float]) -> tuple[str, float]:
    """The most likely class when its calibrated score reaches the class's threshold, else "abstain",
    which sends the row to human review (playbook/standards/human-oversight/)."""
    label, score = max(probabilities.items(), key=lambda item: item[1])
    return (label if score >= thresholds[label] else "abstain"), score
