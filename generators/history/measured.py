"""The values of the KPIs the playbook computes, as each published version's catalog gave them: the history of a
computed KPI in the periods the catalog records nothing for."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..load.catalog import Catalog
from ..models.kpi import Kpi
from ..resolve.kpi_status import Point
from ..resolve.portfolio import compute
from .releases import release_commits
from .snapshots import HistoryError, git, require_repository, resolve, snapshot


@functools.cache
def _commit_day(root: Path, commit: str) -> dt.date:
    """The day a commit was made: asked of git once per process (`playbook serve` regenerates at every edit, and a
    commit's date never changes)."""
    return dt.date.fromisoformat(git(root, "show", "-s", "--format=%cs", commit).decode().strip())


def published_measurements(root: Path, branch: str, view: Callable[[Catalog], Catalog] | None = None,
                           known: dict[str, Any] | None = None) -> dict[str, list[Point]]:
    """For each computed KPI, a point per period in which a version was published from `branch` (on it still or
    retired from it): its value over that version's catalog, dated by the version's source commit (the latest version
    of a period wins). `view` cuts each catalog to the edition being built; `known` keeps the catalogs loaded at each
    commit, as `published_history` does."""
    loaded = known if known is not None else {}
    try:
        require_repository(root)
    except HistoryError:
        return {}
    found: dict[str, dict[str, Point]] = {}
    for version, commit in reversed(release_commits(root, branch)):  # oldest first: a later version of a period wins
        if commit is None:
            continue
        try:
            full = resolve(root, commit)
            if full not in loaded:
                loaded[full] = snapshot(root, full)
            day = _commit_day(root, full)
        except HistoryError:
            continue  # a version whose commit this clone lacks (a shallow fetch) adds no point
        catalog = view(loaded[full].catalog) if view else loaded[full].catalog
        for kpi in catalog.by_id(Kpi):
            period = kpi.period(day)
            value = compute(catalog, kpi, period)
            if value is None or value.value is None:
                continue
            found.setdefault(kpi.id, {})[period.name] = Point(period, round(value.value, 1), day,
                                                         f"Computed by the playbook for version {version}",
                                                         computed=True)
    return {kpi: sorted(points.values(), key=lambda p: p.period) for kpi, points in found.items()}
