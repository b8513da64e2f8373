"""The README's `playbook` commands work as written: each runs verbatim in a copy of the project,
and the catalog still passes `playbook check` afterwards; `playbook new` picks an owner that exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_project

from generators.cli.main import main

#: The installed `playbook` entry point, next to the Python running the tests.
ENTRY_POINT = Path(sys.executable).parent / "playbook"
SHELL = {"", "sh", "bash", "shell", "console"}


def readme_commands(text: str) -> list[str]:
    """Every line of a shell code block (fenced as sh, bash, shell, console or nothing) that runs `playbook`,
    as `.venv/bin/playbook` or from the PATH."""
    commands, fence = [], None
    for line in text.splitlines():
        if fence is None and line.startswith("```"):
            fence = line[3:].strip()
        elif fence is not None and line.startswith("```"):
            fence = None
        elif fence in SHELL and re.match(r"\s*(?:\.venv/bin/)?playbook\s", line):
            commands.append(line.strip())
    return commands


def test_the_commands_are_found() -> None:
    readme = ("```sh\n.venv/bin/playbook new tool x\nmake serve\n```\n\n```text\nplaybook output\n```\n\n"
              "```\nplaybook check --format github\n```\n")
    assert readme_commands(readme) == [".venv/bin/playbook new tool x", "playbook check --format github"]


def test_every_readme_command_runs_verbatim_and_the_catalog_stays_valid(tmp_path: Path) -> None:
    commands = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert commands, "the README shows no playbook command"
    root = copy_project(tmp_path / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "playbook").symlink_to(ENTRY_POINT)
    env = {**os.environ, "PATH": os.pathsep.join([str(ENTRY_POINT.parent), os.environ.get("PATH", "")])}
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
    done = subprocess.run([str(ENTRY_POINT), "check"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_new_entries_default_to_the_team_owning_most_of_their_kind(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    for kind, folder in (("standard", "standards"), ("tool", "tools")):
        owned = Counter(owner for path in (root / "catalog" / folder).glob("*.yaml")
                        for owner in yaml.safe_load(path.read_text(encoding="utf-8"))["owners"])
        most = max(owned.values())
        expected = min(team for team, count in owned.items() if count == most)
        assert main(["--root", str(root), "new", kind, f"new-{kind}"]) == 0
        entry = yaml.safe_load((root / "catalog" / folder / f"new-{kind}.yaml").read_text(encoding="utf-8"))
        assert entry["owners"] == [expected]
    assert main(["--root", str(root), "check"]) == 0


def test_new_without_any_team_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "new", "standard", "model-cards"]) == 2
    assert capsys.readouterr().err == (
        "error: the catalog has no active team to own the entry: create one first with 'playbook new team TEAM' "
        "(it then owns new entries by default), or pass --owner TEAM\n")
    assert not (tmp_path / "catalog" / "standards").exists()
    assert main(["--root", str(tmp_path), "new", "team", "architecture"]) == 0
    assert main(["--root", str(tmp_path), "new", "standard", "model-cards"]) == 0
    assert main(["--root", str(tmp_path), "check"]) == 0


def test_make_serve_listens_where_the_readme_says() -> None:
    """`make serve` serves on 127.0.0.1:8000, and on the address given as ADDR (as the README shows)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`make serve ADDR=127.0.0.1:8011`" in readme

    def planned(*args: str) -> str:  # what make would run, without running it
        return subprocess.run(["make", "-n", "serve", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout

    assert "bin/playbook serve -a 127.0.0.1:8000" in planned()
    assert "bin/playbook serve -a 127.0.0.1:8011" in planned("ADDR=127.0.0.1:8011")
