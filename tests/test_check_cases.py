"""Every folder under tests/cases/check/ is a project and the exact report `playbook check` gives for it.

Adding a case is adding a folder with `catalog/` and `expected.txt`; after a deliberate change of
wording, `pytest --update-goldens` rewrites the expected reports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generators.diagnostics import format_text
from generators.pipeline import check
from generators.project import Project

CASES = Path(__file__).parent / "cases" / "check"
TODAY = dt.date(2026, 11, 25)  # reviews and expiries are judged on a fixed day


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_check_reports_exactly(case: str, update_goldens: bool) -> None:
    folder = CASES / case
    _, report = check(Project(folder), TODAY)
    actual = format_text(report) + "\n"
    expected_file = folder / "expected.txt"
    if update_goldens:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_there_are_cases() -> None:
    assert len(list(CASES.iterdir())) >= 2
