"""The policy engine: ordinary code between the planner and the tools, with no model in its path.

Playbook:
- playbook/architectures/agentic-workflow/: allow-list per workflow, argument schemas, the caller's
  entitlements, risk tiers, taint, and approvals that expire after 30 minutes.
- playbook/standards/human-oversight/ (rules approval-before-high-risk and enforced-outside-model):
  approvals are enforced here, server-side, never by instructions in the prompt.
- playbook/threats/excessive-agency/ and playbook/threats/prompt-injection/: tool output never becomes
  an instruction, and once untrusted content is in the context every write needs approval.

- playbook/standards/agent-tool-security/ (rules descriptions-pinned-and-reviewed, rug-pull-detection and
  narrow-typed-tools): each tool definition carries the SHA-256 its reviewer recorded, and a definition
  that no longer matches refuses to load.

The tool registry is tools/manifest.yaml, changed only by reviewed pull request. A reviewer records a
tool's digest with `python -m app.policy`, which prints the digest of every definition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parent.parent / "tools" / "manifest.yaml"
RISK_TIERS = ("read", "write-low", "write-high")
APPROVAL_TTL = dt.timedelta(minutes=30)
_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "integer": int, "number": (int, float), "boolean": bool}


@dataclass(frozen=True)
class Tool:
    name: str
    version: str
    risk: str
    entitlement: str
    approver_group: str | None
    arguments: dict[str, str]
    endpoint: str
    timeout_s: float
    untrusted_output: bool


@dataclass(frozen=True)
class Step:
    tool: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    needs_approval: bool
    reason: str


def definition_digest(raw: dict[str, Any]) -> str:
    """The SHA-256 of a tool definition as reviewed: every field but the recorded digest, in canonical JSON."""
    reviewed = {key: value for key, value in raw.items() if key != "reviewed_sha256"}
    return hashlib.sha256(json.dumps(reviewed, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def load_manifest(path: Path = MANIFEST) -> tuple[dict[str, Tool], dict[str, frozenset[str]]]:
    """The tools by name and each workflow's allow-list; a malformed manifest, or a tool whose definition
    changed after its review, raises ValueError."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    tools: dict[str, Tool] = {}
    for raw in data["tools"]:
        if raw.get("reviewed_sha256") != definition_digest(raw):
            raise ValueError(
                f"tool {raw.get('name')}: the definition changed after its review; "
                "review it again and record its new digest"
            )
        tool = Tool(
            name=raw["name"],
            version=str(raw["version"]),
            risk=raw["risk"],
            entitlement=raw["entitlement"],
            approver_group=raw.get("approver_group"),
            arguments=dict(raw["arguments"]),
            endpoint=raw["endpoint"],
            timeout_s=float(raw.get("timeout_s", 10)),
            untrusted_output=bool(raw.get("untrusted_output", True)),
        )
        if tool.risk not in RISK_TIERS:
            raise ValueError(f"tool {tool.name}: risk must be one of {', '.join(RISK_TIERS)}")
        if tool.risk != "read" and not tool.approver_group:
            raise ValueError(f"tool {tool.name}: a write tool needs an approver group")
        if not tool.endpoint.startswith("https://"):
            raise ValueError(f"tool {tool.name}: the endpoint must be an https address")
        if any(kind not in _TYPES for kind in tool.arguments.values()):
            raise ValueError(f"tool {tool.name}: argument types are {', '.join(_TYPES)}")
        tools[tool.name] = tool
    workflows = {name: frozenset(allowed) for name, allowed in data["workflows"].items()}
    for name, allowed in workflows.items():
        if not allowed <= tools.keys():
            raise ValueError(f"workflow {name} allows unknown tools: {', '.join(sorted(allowed - tools.keys()))}")
    return tools, workflows


def _arguments_match(tool: Tool, arguments: dict[str, Any]) -> bool:
    if set(arguments) != set(tool.arguments):
        return False
    for name, kind in tool.arguments.items():
        value = arguments[name]
        if isinstance(value, bool) and kind != "boolean":
            return False
        if not isinstance(value, _TYPES[kind]):
            return False
    return True


def check_step(
    step: Step, tools: dict[str, Tool], allowed: frozenset[str], entitlements: frozenset[str], tainted: bool
) -> Decision:
    """Whether a proposed step may run, and whether it must wait for a person first."""
    tool = tools.get(step.tool)
    if tool is None or step.tool not in allowed:
        return Decision(False, False, f"tool {step.tool!r} is not allowed in this workflow")
    if not _arguments_match(tool, step.arguments):
        return Decision(False, False, f"the arguments for {tool.name} do not match its schema")
    if tool.entitlement not in entitlements:
        return Decision(False, False, f"the caller is not entitled to {tool.name}")
    if tool.risk == "write-high":
        return Decision(True, True, f"{tool.name} is a high-risk action")
    if tool.risk != "read" and tainted:
        return Decision(True, True, "untrusted content is in the run, so every write needs approval")
    return Decision(True, False, "allowed")


def approval_valid(
    tool: Tool,
    approver: str,
    approver_groups: frozenset[str],
    requester: str,
    requested_at: dt.datetime,
    decided_at: dt.datetime,
) -> tuple[bool, str]:
    """An approval counts only from a member of the tool's approver group who is not the requester,
    within 30 minutes of the request; an expired approval is a rejection."""
    if approver == requester:
        return False, "the requester cannot approve their own run"
    if tool.approver_group not in approver_groups:
        return False, f"the approver is not in {tool.approver_group}"
    if decided_at - requested_at > APPROVAL_TTL:
        return False, "the approval request expired after 30 minutes"
    return True, "approved"


if __name__ == "__main__":
    for definition in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["tools"]:
        print(f"{definition['name']}: {definition_digest(definition)}")
    sys.exit(0)
