"""The canary step: only the exact artifact that passed the evaluation gate goes out, to a small share.

Playbook:
- playbook/adrs/0007-evaluation-gate-thresholds/ (confirmation): the deploy job refuses promotion
  without a passing run for the exact artifact.
- playbook/standards/prompt-versioning/ (rule canary-prompt-changes): 10% of traffic or less for at
  least 24 hours before full rollout, behind a flag.
- playbook/standards/evaluation-gates/ (rule online-canary-signals): a rise of more than 2 points in
  unhelpful ratings against control rolls the flag back.
- playbook/checklists/launch-rollback-readiness/: rollback triggers are written down before launch.

This step writes build/deploy/canary.json, the plan that the platform's rollout tool applies; it
never deploys by itself and never reads anything but the gate report and its own arguments.

    python -m deploy.canary --report build/eval/gate-report.json --artifact IMAGE@sha256:...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

#: The largest first canary share and the shortest hold, from the prompt-versioning standard.
MAX_WEIGHT_PERCENT = 10
MIN_HOLD_HOURS = 24


def plan(report: dict[str, object], artifact: str, weight: int, hold_hours: int) -> dict[str, object]:
    """The canary plan; raises ValueError when the gate did not pass for this very artifact."""
    if report.get("verdict") != "pass":
        raise ValueError(f"the evaluation gate did not pass: {report.get('failures')}")
    if report.get("artifact") != artifact:
        raise ValueError(f"the gate passed {report.get('artifact')}, not {artifact}; evaluate this artifact first")
    if "@sha256:" not in artifact:
        raise ValueError("the artifact must be named by digest")
    if not 0 < weight <= MAX_WEIGHT_PERCENT:
        raise ValueError(f"the first canary share must be between 1 and {MAX_WEIGHT_PERCENT}%")
    if hold_hours < MIN_HOLD_HOURS:
        raise ValueError(f"the canary must hold for at least {MIN_HOLD_HOURS} hours")
    return {
        "artifact": artifact,
        "evaluation_run_id": report.get("run_id"),
        "weight_percent": weight,
        "hold_hours": hold_hours,
        "rollback_when": [
            "unhelpful-rating rate of the canary more than 2 points above control",
            "any blocker-severity finding of the online judge",
            "p95 latency above the SLO for 5 minutes",
            "error rate above the SLO's error budget burn alert",
        ],
        "promote": "manually, after the hold, by the service owner in the release ticket",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=Path("build/eval/gate-report.json"))
    parser.add_argument("--artifact", required=True)
    parser.add_argument("--weight", type=int, default=MAX_WEIGHT_PERCENT)
    parser.add_argument("--hold-hours", type=int, default=MIN_HOLD_HOURS)
    parser.add_argument("--out", type=Path, default=Path("build/deploy/canary.json"))
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        canary = plan(report, args.artifact, args.weight, args.hold_hours)
    except (OSError, ValueError) as error:
        print(f"canary refused: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(canary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"canary plan written to {args.out}: {args.weight}% for {args.hold_hours} hours")
    return 0


if __name__ == "__main__":
    sys.exit(main())
