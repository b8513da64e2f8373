"""The batch scoring job: validate the snapshot, score it with the pinned model, check, then publish.

Reference architectures: playbook/architectures/batch-scoring/ (the run, its checks and atomic
publication) and playbook/architectures/classical-classification/ (calibrated per-class thresholds
and the abstain lane). The orchestrator runs it once per run date:

    python -m app.job --run-date 2026-12-01 --input /data/snapshot.csv --out /data/scores
    python -m app.job --self-check          # configuration and model digest only; for deploy checks

Exit codes: 0 published; 2 stopped before scoring (data contract, model digest); 3 held before
publication for the model owner (completeness or distribution); 1 anything else.

Playbook: playbook/standards/model-provenance/ (the model is loaded only when its digest matches,
and every run writes a manifest naming snapshot, model and code), playbook/standards/data-minimisation/
(only the configured features are read), playbook/standards/logging-redaction/ (no row values in
logs or spans), playbook/incidents/quality-regression/ (what to do when a held run was wrong).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import logging
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml

from app.checks import completeness, contract_problems, label_for, population_stability_index
from app.telemetry import setup_tracing, tracer

CONFIG = Path(__file__).resolve().parent.parent / "config" / "scoring.yaml"
PUBLISHED = "published/scores.csv"
log = logging.getLogger("batch-scoring-job")


class Stop(Exception):
    """The run stops before scoring; yesterday's published scores stay in place."""


class Hold(Exception):
    """The run scored, but publication waits for the model owner."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_config(path: Path = CONFIG) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_model(config: dict[str, Any]) -> Any:
    """The model artifact, only when its SHA-256 matches the digest the registry recorded."""
    path = Path(config["model"]["path"])
    if not path.is_file():
        raise Stop(f"no model artifact at {path}")
    found = sha256_of(path)
    if found != config["model"]["sha256"]:
        raise Stop(f"the model artifact's digest {found} is not the registered one; refusing to load it")
    import joblib  # imported here so that the checks and their tests need no ML stack

    return joblib.load(path)


def read_rows(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """The snapshot, keeping only the id and the configured features (data minimisation)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [{c: row.get(c, "") for c in columns} for row in csv.DictReader(handle)]


def previous_scores(out: Path) -> list[float]:
    published = out / PUBLISHED
    if not published.is_file():
        return []
    with published.open(newline="", encoding="utf-8") as handle:
        return [float(row["score"]) for row in csv.DictReader(handle)]


def score(config: dict[str, Any], model: Any, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    features = config["features"]
    classes = [str(c) for c in getattr(model, "classes_", config["model"]["classes"])]
    if sorted(classes) != sorted(config["model"]["classes"]):
        raise Stop(f"the model predicts {classes}, not the configured classes {config['model']['classes']}")
    matrix = [[float(row[f]) for f in features] for row in rows]
    out = []
    for row, probabilities in zip(rows, model.predict_proba(matrix), strict=True):
        label, best = label_for(dict(zip(classes, map(float, probabilities), strict=True)), config["thresholds"])
        out.append({config["id_column"]: row[config["id_column"]], "label": label, "score": f"{best:.6f}"})
    return out


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["score"])
        writer.writeheader()
        writer.writerows(rows)


def run(config: dict[str, Any], snapshot: Path, out: Path, run_date: dt.date) -> dict[str, Any]:
    run_id = f"{run_date.isoformat()}-{uuid.uuid4().hex[:8]}"
    manifest: dict[str, Any] = {
        "run_id": run_id,
        "run_date": run_date.isoformat(),
        "snapshot": str(snapshot),
        "snapshot_sha256": sha256_of(snapshot),
        "model": config["model"]["name"],
        "model_version": config["model"]["version"],
        "model_sha256": config["model"]["sha256"],
        "code_commit": os.environ.get("GIT_COMMIT", "unknown"),
        "checks": {},
    }
    try:
        columns = [config["id_column"], *config["features"]]
        rows = read_rows(snapshot, columns)
        problems = contract_problems(rows, config["contract"], columns)
        manifest["checks"]["data_contract"] = problems or "passed"
        if problems:
            raise Stop("the snapshot breaks the data contract: " + "; ".join(problems))
        model = load_model(config)
        scored = score(config, model, rows)
        for row in scored:
            row.update(model_version=config["model"]["version"], run_id=run_id, score_date=run_date.isoformat())
        staging = out / "staging" / f"scores-{run_id}.csv"
        write_csv(staging, scored)
        share = completeness(len(scored), len(rows))
        before = previous_scores(out)
        psi = population_stability_index(before, [float(r["score"]) for r in scored]) if before else 0.0
        manifest["checks"].update(
            completeness=round(share, 6),
            psi=round(psi, 6),
            rows=len(scored),
            abstained=sum(1 for r in scored if r["label"] == "abstain"),
        )
        publication = config["publication"]
        if share < float(publication["min_completeness"]):
            raise Hold(f"completeness {share:.4%} is below {float(publication['min_completeness']):.1%}")
        if psi > float(publication["max_psi"]):
            raise Hold(f"the score distribution moved (PSI {psi:.3f} above {publication['max_psi']})")
        (out / PUBLISHED).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, out / PUBLISHED)  # one atomic swap: consumers never see a half-written table
        manifest["outcome"] = "published"
    except (Stop, Hold) as reason:
        manifest["outcome"] = "stopped" if isinstance(reason, Stop) else "held"
        manifest["reason"] = str(reason)
        raise
    finally:
        path = out / "manifests" / f"{run_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--input", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--run-date", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--self-check", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    config = load_config(args.config)
    setup_tracing(os.environ.get("SERVICE_NAME", "batch-scoring-job"), os.environ.get("SERVICE_VERSION", "0.0.0"))
    try:
        if args.self_check:
            load_model(config)
            log.info("self-check passed for %s version %s", config["model"]["name"], config["model"]["version"])
            return 0
        if args.input is None or args.out is None:
            parser.error("--input and --out are needed to score")
        with tracer(__name__).start_as_current_span(
            "batch.score",
            attributes={
                "app.model.name": config["model"]["name"],
                "app.model.version": config["model"]["version"],
                "app.run.date": args.run_date.isoformat(),
            },
        ):
            manifest = run(config, args.input, args.out, args.run_date)
    except Stop as reason:
        log.error("stopped before scoring: %s", reason)
        return 2
    except Hold as reason:
        log.warning("held for the model owner: %s", reason)
        return 3
    log.info("published run %s: %s", manifest["run_id"], manifest["checks"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
