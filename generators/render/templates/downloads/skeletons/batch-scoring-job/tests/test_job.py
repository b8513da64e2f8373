"""A run end to end with a stand-in model: publish, hold on a shift, stop on a broken contract."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app import job

FEATURES = ["tenure_months", "monthly_spend", "support_tickets_90d", "logins_30d"]


class StandIn:
    """Scores churn from tenure alone; `shift` moves every score up."""

    classes_ = ["stays", "churns"]

    def __init__(self, shift: float = 0.0) -> None:
        self.shift = shift

    def predict_proba(self, matrix: list[list[float]]) -> list[list[float]]:
        churn = [min(0.99, max(0.01, 1 - row[0] / 120 + self.shift)) for row in matrix]
        return [[1 - p, p] for p in churn]


def snapshot(path: Path, count: int = 1200, broken: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account_id", *FEATURES, "email"])  # email is not a feature and is never read
        for i in range(count):
            tenure = "" if broken and i % 10 == 0 else str(i % 120)
            writer.writerow([f"A-{i}", tenure, "42.5", "1", "9", f"user{i}@example.com"])
    return path


@pytest.fixture
def config() -> dict[str, Any]:
    return job.load_config()


def test_a_clean_run_publishes_with_a_manifest(
    tmp_path: Path, config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job, "load_model", lambda config: StandIn())
    manifest = job.run(config, snapshot(tmp_path / "s.csv"), tmp_path / "out", dt.date(2026, 12, 1))
    assert manifest["outcome"] == "published" and manifest["checks"]["data_contract"] == "passed"
    published = (tmp_path / "out" / job.PUBLISHED).read_text(encoding="utf-8")
    assert "email" not in published and "example.com" not in published
    saved = json.loads((tmp_path / "out" / "manifests" / f"{manifest['run_id']}.json").read_text(encoding="utf-8"))
    assert saved["model_version"] == config["model"]["version"] and saved["snapshot_sha256"]


def test_a_shifted_distribution_is_held(
    tmp_path: Path, config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job, "load_model", lambda config: StandIn())
    job.run(config, snapshot(tmp_path / "s.csv"), tmp_path / "out", dt.date(2026, 12, 1))
    before = (tmp_path / "out" / job.PUBLISHED).read_bytes()
    monkeypatch.setattr(job, "load_model", lambda config: StandIn(shift=0.5))
    with pytest.raises(job.Hold):
        job.run(config, snapshot(tmp_path / "s.csv"), tmp_path / "out", dt.date(2026, 12, 2))
    assert (tmp_path / "out" / job.PUBLISHED).read_bytes() == before


def test_a_broken_contract_stops_before_scoring(
    tmp_path: Path, config: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(config: dict[str, Any]) -> None:
        raise AssertionError("the model must not load when the contract fails")

    monkeypatch.setattr(job, "load_model", never)
    with pytest.raises(job.Stop):
        job.run(config, snapshot(tmp_path / "s.csv", broken=True), tmp_path / "out", dt.date(2026, 12, 1))
    assert not (tmp_path / "out" / job.PUBLISHED).exists()


def test_an_unregistered_model_is_refused(tmp_path: Path, config: dict[str, Any]) -> None:
    artifact = tmp_path / "model.joblib"
    artifact.write_bytes(b"not the registered artifact")
    config["model"]["path"] = str(artifact)
    with pytest.raises(job.Stop, match="not the registered one"):
        job.load_model(config)
