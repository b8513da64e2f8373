"""Run this service's golden set on the shared evaluation harness and fetch the results.

Playbook: playbook/architectures/evaluation-harness/ (runner, scorers, results store and the baseline
run per golden-set version) and playbook/standards/evaluation-gates/ (rule golden-set-required).

The harness calls the candidate through the same gateway, prompt and retrieval path as production,
with every version pinned, and stores outputs redacted. This client only submits, waits and
downloads; evals/gate.py applies this repository's thresholds to what it downloads.

Environment (no value of it belongs in the repository):
  EVAL_HARNESS_URL    https address of the harness API
  EVAL_HARNESS_TOKEN  short-lived token issued to the CI job (playbook/standards/secrets-and-iam/)

    python -m evals.harness_client run --config evals/gate.yaml --artifact IMAGE@sha256:... --out build/eval
    python -m evals.harness_client fetch --run-id RUN_ID --config evals/gate.yaml --out build/eval

Both write candidate.json, production.json (the production baseline on the same golden-set version)
and run_id. The paths below are the harness API this template assumes; adjust them to yours.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import yaml

#: The full suite must finish well inside the 30 minutes ADR 0007 allows the gate in CI.
TIMEOUT_S = 25 * 60
POLL_S = 15


def _base_url() -> str:
    url = os.environ.get("EVAL_HARNESS_URL", "").rstrip("/")
    if urlparse(url).scheme != "https":
        raise SystemExit("EVAL_HARNESS_URL must be set to the harness's https address")
    return url


def _request(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    token = os.environ.get("EVAL_HARNESS_TOKEN")
    if not token:
        raise SystemExit("EVAL_HARNESS_TOKEN is not set; the CI job must obtain a short-lived token")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be https in _base_url
        _base_url() + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - https only, see above
        return json.loads(response.read().decode("utf-8"))


def _golden_set(config_path: Path) -> dict[str, Any]:
    return yaml.safe_load(config_path.read_text(encoding="utf-8"))["golden_set"]


def _write(out: Path, run: dict[str, Any], baseline: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "candidate.json").write_text(json.dumps(run, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "production.json").write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "run_id").write_text(str(run["run_id"]) + "\n", encoding="utf-8")


def _wait(run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        status = _request("GET", f"/runs/{quote(run_id, safe='')}")
        if status.get("state") == "done":
            return status["result"]
        if status.get("state") == "failed":
            raise SystemExit(f"harness run {run_id} failed: {status.get('error', 'no reason given')}")
        if time.monotonic() > deadline:
            raise SystemExit(f"harness run {run_id} did not finish within {TIMEOUT_S // 60} minutes")
        time.sleep(POLL_S)


def _baseline(golden: dict[str, Any]) -> dict[str, Any]:
    return _request("GET", f"/baselines/{quote(str(golden['id']), safe='')}/{quote(str(golden['version']), safe='')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the golden set against an artifact and wait for the result")
    run.add_argument("--artifact", required=True, help="the image reference with its digest")
    fetch = commands.add_parser("fetch", help="download the result of an earlier run")
    fetch.add_argument("--run-id", required=True)
    for command in (run, fetch):
        command.add_argument("--config", type=Path, default=Path("evals/gate.yaml"))
        command.add_argument("--out", type=Path, default=Path("build/eval"))
    args = parser.parse_args(argv)
    golden = _golden_set(args.config)
    if args.command == "run":
        if "@sha256:" not in args.artifact:
            raise SystemExit("--artifact must name the image by digest, so the gate judges the exact artifact")
        started = _request(
            "POST",
            "/runs",
            {"suite": golden["id"], "suite_version": str(golden["version"]), "artifact": args.artifact, "mode": "full"},
        )
        result = _wait(str(started["run_id"]))
    else:
        result = _wait(args.run_id)
    _write(args.out, result, _baseline(golden))
    print(result["run_id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
