"""Released prompt versions never change (playbook/standards/prompt-versioning/, rule immutable-versions-traced)."""

from __future__ import annotations

import hashlib

import pytest

from app.prompts import PROMPTS, load_prompt, released


def test_every_released_version_is_unchanged() -> None:
    for prompt_id, versions in released().items():
        for version, digest in versions.items():
            data = (PROMPTS / prompt_id / f"{version}.txt").read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, f"{prompt_id} {version} changed after release"
            assert load_prompt(prompt_id, version).sha256 == digest


def test_every_prompt_file_is_released() -> None:
    files = {(p.parent.name, p.stem) for p in PROMPTS.glob("*/*.txt")}
    recorded = {(prompt_id, version) for prompt_id, versions in released().items() for version in versions}
    assert files == recorded, "record each prompt version in prompts/released.json, or delete the draft"


@pytest.mark.parametrize(
    ("prompt_id", "version"),
    [
        ("../secrets", "1.0.0"),
        ("answer", "../../etc/passwd"),
        ("Answer", "1.0"),
        ("unknown-prompt", "9.9.9"),
    ],
)
def test_anything_but_a_released_version_is_refused(prompt_id: str, version: str) -> None:
    with pytest.raises(ValueError):
        load_prompt(prompt_id, version)
