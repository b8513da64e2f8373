"""Prompts are files in this repository, loaded by id and version; nothing else is a prompt.

Playbook: playbook/standards/prompt-versioning/ (rules prompts-in-repo and immutable-versions-traced)
and playbook/checklists/architecture-review/ (item prompt-change-control).

Layout: prompts/<prompt-id>/<version>.txt, for example prompts/answer-with-citations/1.0.0.txt.
prompts/released.json records the SHA-256 of every released version; tests/test_prompts.py fails
when a released file changes. To change a prompt, add a new version file, record it in
released.json, and move the service's PROMPT_VERSION in the same reviewed pull request.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
RELEASED = PROMPTS / "released.json"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


@dataclass(frozen=True)
class Prompt:
    id: str
    version: str
    text: str
    sha256: str


def released() -> dict[str, dict[str, str]]:
    """Every released prompt version and its digest: {prompt id: {version: sha256}}."""
    return json.loads(RELEASED.read_text(encoding="utf-8"))


def load_prompt(prompt_id: str, version: str) -> Prompt:
    """A released prompt version; an unknown id or version, or a file that no longer matches its recorded
    digest, raises ValueError instead of serving an unreviewed prompt."""
    if not _ID.fullmatch(prompt_id) or not _VERSION.fullmatch(version):
        raise ValueError(f"not a prompt id and version: {prompt_id!r} {version!r}")
    expected = released().get(prompt_id, {}).get(version)
    if expected is None:
        raise ValueError(f"prompt {prompt_id} {version} is not released; record it in prompts/released.json")
    data = (PROMPTS / prompt_id / f"{version}.txt").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise ValueError(f"prompt {prompt_id} {version} changed after release; add a new version instead")
    return Prompt(prompt_id, version, data.decode("utf-8"), digest)
