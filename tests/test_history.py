"""`playbook diff`: the catalog at two git refs compared entry by entry, in text, JSON and Markdown.

The tests work in a temporary git repository holding a copy of the project. The base commit puts
a few entries in a known state; the next commit plants one change of each meaningful kind.
`test_publish.py` publishes the same two commits and checks the release notes against the same
expectations.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import copy_project

from generators.cli.main import main
from generators.models import KINDS
from generators.text import inline

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
GITIGNORE = "/site/\n/docs/playbook/\n/.playbook-cache/\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout.strip()


def playbook(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "generators", "--root", str(root), *args],
                          capture_output=True, text=True, env=ENV, timeout=300)


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change an entry's data and write it back, keeping the schema line first."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    change(data)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text.split("\n", 1)[0] + "\n" + body, encoding="utf-8")


def first(folder: Path, accept: Callable[[dict[str, Any]], bool] = lambda data: True) -> Path:
    return next(p for p in sorted(folder.glob("*.yaml")) if accept(yaml.safe_load(p.read_text(encoding="utf-8"))))


def commit(root: Path, message: str, tag: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    git(root, "tag", tag)
    return git(root, "rev-parse", "HEAD")


@dataclass(frozen=True)
class Planted:
    """The entries the tests change, and the two commits."""

    adr: Path
    standard: Path
    rule: str
    kpi: Path
    tool: Path
    checklist: Path
    extra: Path
    base: str = ""
    planted: str = ""

    def title(self, path: Path) -> str:
        return str(yaml.safe_load(path.read_text(encoding="utf-8"))["title"])


def init_repo(root: Path) -> Planted:
    """A git repository holding a copy of the project, committed and tagged 'base'."""
    copy_project(root)
    (root / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    catalog = root / "catalog"
    tools = sorted((catalog / "tools").glob("*.yaml"))
    standard = first(catalog / "standards")
    planted = Planted(
        adr=first(catalog / "adrs", lambda d: d["status"] == "accepted" and not d.get("supersedes") and not d.get("superseded_by")),
        standard=standard,
        rule=str(yaml.safe_load(standard.read_text(encoding="utf-8"))["rules"][0]["id"]),
        kpi=first(catalog / "kpis"),
        tool=tools[0],
        checklist=first(catalog / "checklists"),
        extra=catalog / "tools" / "release-extra-tool.yaml",
    )
    edit(planted.adr, lambda d: d.update(status="proposed"))
    edit(planted.standard, lambda d: d["rules"][0].update(level="should"))
    edit(planted.kpi, lambda d: d.update(target="≤ 5 business days"))
    edit(planted.tool, lambda d: d.update(ring="trial", usage=["context-specific"]))  # common use is for adopt alone
    planted.extra.write_text(tools[1].read_text(encoding="utf-8"), encoding="utf-8")
    edit(planted.extra, lambda d: d.update(id="release-extra-tool", title="Release extra tool"))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Playbook Tests")
    git(root, "config", "user.email", "tests@example.com")
    git(root, "config", "commit.gpgsign", "false")
    return replace(planted, base=commit(root, "Base catalog", "base"))


def plant_changes(root: Path, planted: Planted) -> Planted:
    """One change of each meaningful kind, committed and tagged 'planted'."""
    edit(planted.adr, lambda d: d.update(status="accepted"))
    edit(planted.standard, lambda d: d["rules"][0].update(level="must"))
    edit(planted.kpi, lambda d: d.update(target="≤ 3 business days"))
    edit(planted.tool, lambda d: d.update(ring="adopt"))
    edit(planted.checklist, lambda d: d["items"].append(
        {**d["items"][0], "id": "release-notes-listed", "title": "Release notes list the change"}))
    planted.extra.unlink()
    return replace(planted, planted=commit(root, "Planted changes", "planted"))


def expected_changes(planted: Planted) -> list[dict[str, Any]]:
    """The `changes` of `playbook diff base planted --format json`: exactly what was planted."""
    def change(kind: str, path: Path, title: str, kind_of_change: str, *details: dict[str, Any]) -> dict[str, Any]:
        model = next(m for m in KINDS if m.kind == kind)
        return {"id": path.stem, "kind": kind, "label": model.label, "title": title, "change": kind_of_change,
                "details": [{"subject": None, "before": None, "after": None} | d for d in details]}

    def field(name: str, before: str, after: str, subject: str | None = None) -> dict[str, Any]:
        label = f"{name} {subject}" if subject else name
        return {"field": name, "subject": subject, "before": before, "after": after, "text": f"{label}: {before} → {after}"}

    title = planted.title
    items = [
        change("adr", planted.adr, title(planted.adr), "changed", field("status", "proposed", "accepted")),
        change("standard", planted.standard, title(planted.standard), "changed", field("rule", "should", "must", planted.rule)),
        change("kpi", planted.kpi, title(planted.kpi), "changed", field("target", "≤ 5 business days", "≤ 3 business days")),
        change("tool", planted.tool, title(planted.tool), "changed", field("ring", "trial", "adopt")),
        change("checklist", planted.checklist, title(planted.checklist), "changed",
               {"field": "item", "after": "release-notes-listed (Release notes list the change)",
                "text": "item added: release-notes-listed (Release notes list the change)"}),
        change("tool", planted.extra, "Release extra tool", "removed"),
    ]
    order = [m.kind for m in KINDS]
    return sorted(items, key=lambda c: (order.index(c["kind"]), c["id"]))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted]:
    root = tmp_path_factory.mktemp("history") / "project"
    planted = plant_changes(root, init_repo(root))
    empty_tree = git(root, "hash-object", "-t", "tree", "-w", "/dev/null")
    git(root, "tag", "empty", git(root, "commit-tree", empty_tree, "-m", "No catalog"))
    return root, planted


def diff(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_exactly_the_planted_changes(repo: tuple[Path, Planted], capsys: pytest.CaptureFixture[str]) -> None:
    root, planted = repo
    code, out, err = diff(root, capsys, "base", "planted", "--format", "json")
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert payload["from"] == {"ref": "base", "commit": planted.base}
    assert payload["to"] == {"ref": "planted", "commit": planted.planted}
    assert payload["summary"] == {"added": 0, "removed": 1, "changed": 5}
    assert payload["changes"] == expected_changes(planted)
    assert payload["not_compared"] == []


def test_text_groups_the_changes_by_kind(repo: tuple[Path, Planted], capsys: pytest.CaptureFixture[str]) -> None:
    root, planted = repo
    code, out, err = diff(root, capsys, "base", "planted")
    assert (code, err) == (0, "")
    expected = [f"Catalog changes from base ({planted.base[:12]}) to planted ({planted.planted[:12]}): 1 removed, 5 changed"]
    label = None
    for change in expected_changes(planted):
        if change["label"] != label:
            label = change["label"]
            expected += ["", label]
        expected.append(f"  {change['change']:<8} {change['id']}: {change['title']}")
        expected += [" " * 11 + d["text"] for d in change["details"]]
    assert out.splitlines() == expected


def test_markdown_is_ready_for_a_pull_request(repo: tuple[Path, Planted], capsys: pytest.CaptureFixture[str]) -> None:
    root, planted = repo
    code, out, err = diff(root, capsys, "base", "planted", "--format", "markdown")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"### Catalog changes from base &#40;{planted.base[:12]}&#41; to planted &#40;{planted.planted[:12]}&#41;"
    assert "1 removed, 5 changed." in lines
    entries = [line for line in lines if line.startswith("- ")]
    expected = []
    for change in expected_changes(planted):
        name = f"{inline(change['title'])} (`{change['id']}`)"
        if change["change"] == "changed":
            summary = "; ".join(d["text"] for d in change["details"])
            expected.append(f"- **Changed** {name}: {inline(summary)}")
        else:
            expected.append(f"- **Removed** {name}")
    assert entries == expected
    assert {f"#### {inline(c['label'])}" for c in expected_changes(planted)} <= set(lines)


def test_no_changes_between_a_ref_and_itself(repo: tuple[Path, Planted], capsys: pytest.CaptureFixture[str]) -> None:
    root, planted = repo
    code, out, _ = diff(root, capsys, planted.base, "base")
    assert code == 0
    assert out.strip() == f"Catalog changes from {planted.base[:12]} to base ({planted.base[:12]}): no changes"


def test_a_renamed_entry_is_removed_and_added(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    planted = init_repo(root)
    renamed = planted.extra.with_name("release-renamed-tool.yaml")
    git(root, "mv", str(planted.extra), str(renamed))
    edit(renamed, lambda d: d.update(id="release-renamed-tool"))
    commit(root, "Rename", "renamed")
    code, out, err = diff(root, capsys, "base", "renamed", "--format", "json")
    assert (code, err) == (0, "")
    changes = [(c["id"], c["change"]) for c in json.loads(out)["changes"]]
    assert changes == [("release-extra-tool", "removed"), ("release-renamed-tool", "added")]


def test_an_invalid_entry_is_skipped_with_a_warning(repo: tuple[Path, Planted], capsys: pytest.CaptureFixture[str]) -> None:
    root, planted = repo
    git(root, "checkout", "-q", "-b", "invalid", "planted")
    try:
        edit(planted.tool, lambda d: d.update(ring="sometimes"))
        edit(planted.adr, lambda d: d.update(status="deprecated"))
        commit(root, "An invalid tool", "invalid")
    finally:
        git(root, "checkout", "-q", "main")
    code, out, err = diff(root, capsys, "planted", "invalid")
    assert code == 0
    tool_file = f"catalog/tools/{planted.tool.name}"
    assert err.splitlines() == [
        f"warning: invalid: skipped {tool_file}, which is invalid there (ring: 'sometimes' is not one of adopt, trial, assess, hold)"
    ]
    assert f"  changed  {planted.adr.stem}: {planted.title(planted.adr)}" in out.splitlines()
    assert "           status: accepted → deprecated" in out.splitlines()
    assert out.splitlines()[-1] == f"Not compared (invalid at one of the two refs): {planted.tool.stem}"
    assert planted.tool.stem not in out.split("Not compared")[0]


@pytest.mark.parametrize(("args", "code", "message"), [
    (("no-such-ref", "planted"), 2, "error: 'no-such-ref' is not a commit, branch or tag of this repository"),
    (("--", "-p", "planted"), 2, "error: '-p' is not a git ref"),
    (("empty", "planted"), 1, "error: 'empty' has no catalog/ folder"),
])
def test_bad_refs_give_one_clear_line(repo: tuple[Path, Planted], args: tuple[str, ...], code: int, message: str) -> None:
    root, _ = repo
    result = playbook(root, "diff", *args)
    assert result.returncode == code
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""


def test_outside_a_repository_diff_says_so(tmp_path: Path) -> None:
    result = playbook(tmp_path, "diff", "a", "b")
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {tmp_path} is not inside a git repository")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
