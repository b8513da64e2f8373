"""The evaluation gate: may this candidate be promoted, given its golden-set run and production's?

Playbook:
- playbook/adrs/0007-evaluation-gate-thresholds/: the numbers in evals/gate.yaml. A release fails when
  any quality metric drops more than 2 points against the production version on the same golden-set
  version, when any permission-trap or blocker-severity safety case fails, or when p95 latency in
  the run exceeds the reference architecture's budget. Judge-scored metrics count only from a judge
  that agrees with human labels on at least 80% of a 50-item calibration set.
- playbook/standards/evaluation-gates/: the rules those numbers serve, including the time-boxed
  exception (rule time-boxed-exceptions) that is the only way past a failed gate.
- playbook/checklists/production-readiness/ (item eval-gate-passed): promotion needs a passing run
  for the exact artifact; deploy/canary.py checks the report this module writes.

The gate fails closed: a missing metric, a suite that did not run, or a run on another golden-set
version blocks the release. Exit codes: 0 pass, 1 fail, 2 unreadable input.

    python -m evals.gate --config evals/gate.yaml --candidate build/eval/candidate.json \\
        --baseline build/eval/production.json --report build/eval/gate-report.json

A run file (written by evals/harness_client.py) looks like this; scores are percentages, so a
"point" is a percentage point, and a name such as "precision/billing" is a slice of "precision":

    {"run_id": "...", "artifact": "registry/service@sha256:...", "cases": 240,
     "golden_set": {"id": "...", "version": "..."},
     "metrics": {"correctness": 91.2, "groundedness": 94.0},
     "suites": {"permission_trap": {"passed": 40, "total": 40}},
     "latency_p95_ms": {"first_token": 1650},
     "judge": {"agreement": 0.86, "calibration_items": 50, "calibrated_on": "2026-11-02"}}
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml


def _slices(metrics: dict[str, float], name: str) -> dict[str, float]:
    """A metric and its slices (per class, segment or locale), by their names in the run."""
    return {key: float(value) for key, value in metrics.items() if key == name or key.startswith(name + "/")}


def _golden_set_problems(config: dict[str, Any], candidate: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    wanted = config["golden_set"]
    found = []
    for label, run in (("candidate", candidate), ("production baseline", baseline)):
        ran = run.get("golden_set") or {}
        if ran.get("id") != wanted["id"] or str(ran.get("version")) != str(wanted["version"]):
            found.append(
                f"the {label} ran golden set {ran.get('id')} {ran.get('version')}, "
                f"not {wanted['id']} {wanted['version']}"
            )
    if int(candidate.get("cases", 0)) < int(wanted["min_cases"]):
        found.append(
            f"the candidate ran {candidate.get('cases', 0)} cases; the golden set needs at least {wanted['min_cases']}"
        )
    return found


def _quality_problems(quality: dict[str, Any], candidate: dict[str, float], baseline: dict[str, float]) -> list[str]:
    found = []
    limit = float(quality.get("max_drop_points", 0))
    for name in quality.get("metrics", []):
        before = _slices(baseline, name)
        if not before:
            found.append(f"the production baseline has no '{name}' score to compare with")
        for key, old in sorted(before.items()):
            new = candidate.get(key)
            if new is None:
                found.append(f"the candidate has no '{key}' score")
            elif round(old - float(new), 6) > limit:
                found.append(
                    f"'{key}' dropped {old - float(new):.1f} points ({old:.1f} to {float(new):.1f}); "
                    f"the limit is {limit:g}"
                )
    for name, floor in (quality.get("min_scores") or {}).items():
        for key, value in sorted(_slices(candidate, name).items()) or [(name, None)]:
            if value is None or value < float(floor):
                found.append(f"'{key}' is {value}, below the floor of {floor}")
    for name, ceiling in (quality.get("max_values") or {}).items():
        for key, value in sorted(_slices(candidate, name).items()) or [(name, None)]:
            if value is None or value > float(ceiling):
                found.append(f"'{key}' is {value}, above the ceiling of {ceiling}")
    return found


def _suite_problems(suites: list[str], results: dict[str, Any]) -> list[str]:
    found = []
    for suite in suites:
        result = results.get(suite) or {}
        total, passed = int(result.get("total", 0)), int(result.get("passed", 0))
        if total == 0:
            found.append(f"the zero-tolerance suite '{suite}' did not run")
        elif passed != total:
            found.append(f"the zero-tolerance suite '{suite}' failed {total - passed} of {total} cases")
    return found


def _latency_problems(budgets: dict[str, Any], measured: dict[str, Any]) -> list[str]:
    found = []
    for measure, budget in budgets.items():
        p95 = measured.get(measure)
        if p95 is None:
            found.append(f"the run measured no p95 for '{measure}'")
        elif float(p95) > float(budget):
            found.append(f"p95 '{measure}' was {p95} ms; the budget is {budget} ms")
    return found


def _judge_problems(judge: dict[str, Any], run: dict[str, Any] | None, today: dt.date) -> tuple[list[str], list[str]]:
    if run is None:
        return [], []  # no judge-scored metric in this run
    failures, warnings = [], []
    if float(run.get("agreement", 0)) < float(judge["min_agreement"]):
        failures.append(
            f"the judge agrees with human labels on {run.get('agreement')} of the calibration set; "
            f"at least {judge['min_agreement']} is needed"
        )
    if int(run.get("calibration_items", 0)) < int(judge["min_calibration_items"]):
        failures.append(
            f"the judge was calibrated on {run.get('calibration_items')} items; "
            f"at least {judge['min_calibration_items']} are needed"
        )
    calibrated = run.get("calibrated_on")
    if calibrated is None:
        failures.append("the run does not say when its judge was calibrated")
    elif (today - dt.date.fromisoformat(str(calibrated))).days > int(judge["warn_after_days"]):
        warnings.append(f"the judge calibration of {calibrated} is older than {judge['warn_after_days']} days")
    return failures, warnings


def evaluate(
    config: dict[str, Any], candidate: dict[str, Any], baseline: dict[str, Any], today: dt.date
) -> tuple[list[str], list[str]]:
    """The reasons the candidate fails, and the warnings that do not block it."""
    failures = _golden_set_problems(config, candidate, baseline)
    failures += _quality_problems(
        config.get("quality") or {}, candidate.get("metrics") or {}, baseline.get("metrics") or {}
    )
    failures += _suite_problems((config.get("zero_tolerance") or {}).get("suites", []), candidate.get("suites") or {})
    failures += _latency_problems(config.get("latency_budget_ms") or {}, candidate.get("latency_p95_ms") or {})
    judge_failures, warnings = (
        ([], []) if "judge" not in config else _judge_problems(config["judge"], candidate.get("judge"), today)
    )
    return failures + judge_failures, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("evals/gate.yaml"))
    parser.add_argument("--candidate", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        config_bytes = args.config.read_bytes()
        config = yaml.safe_load(config_bytes)
        candidate = json.loads(args.candidate.read_text(encoding="utf-8"))
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
        failures, warnings = evaluate(config, candidate, baseline, dt.date.today())
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as error:
        print(f"evaluation gate: cannot read the inputs: {error}", file=sys.stderr)
        return 2
    report = {
        "verdict": "fail" if failures else "pass",
        "artifact": candidate.get("artifact"),
        "run_id": candidate.get("run_id"),
        "baseline_run_id": baseline.get("run_id"),
        "golden_set": candidate.get("golden_set"),
        "config_sha256": hashlib.sha256(config_bytes).hexdigest(),
        "failures": failures,
        "warnings": warnings,
    }
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    for line in failures:
        print(f"fail: {line}", file=sys.stderr)
    print(f"evaluation gate: {report['verdict']} for {report['artifact']} (run {report['run_id']})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
