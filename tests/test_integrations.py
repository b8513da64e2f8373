"""Editor and pull-request integration: VS Code settings, the pre-commit hook, the GitHub workflow, `playbook impact`.

The workflow is run, not only read: every `run:` step of each job runs in order in a clone of a
temporary bare repository standing in for GitHub (the main job pushes its version there), with this
checkout's .venv in place of a fresh install, the way the workflow reuses an existing one. The
`uses:` steps (checkout, setup-python, upload-artifact) are checked by their settings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from conftest import REPO, copy_project

from generators.cli.impact import register
from generators.models import BY_KIND, KINDS
from generators.project import Project

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com", "NO_MKDOCS_2_WARNING": "1"}
WORKFLOW = REPO / ".github" / "workflows" / "playbook.yml"
#: The values the workflow's expressions take in the local run of the pull-request job.
EXPRESSIONS = {"github.base_ref": "main"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=GIT_ENV).stdout.strip()


def with_venv(root: Path) -> Path:
    """The project at `root` with the files the workflow and hook use, and this checkout's .venv."""
    for name in ("Makefile", "pyproject.toml", "playbook.toml", ".gitignore"):
        shutil.copy2(REPO / name, root / name)
    (root / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    return root


def repository(root: Path) -> Path:
    """A git repository with the project committed on main."""
    git(root, "init", "-q", "-b", "main")
    (root / ".git" / "info" / "exclude").write_text("/.venv\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The bundled playbook")
    return root


def retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")


def impact(root: Path, *args: str) -> int:
    """`playbook impact ARGS` in `root`, through the command's own argument parser."""
    top = argparse.ArgumentParser(prog="playbook")
    register(top.add_subparsers(dest="command", required=True))
    parsed = top.parse_args(["impact", *args])
    return int(parsed.run(Project(root), parsed))


def load_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- VS Code ---------------------------------------------------------------------------------


def test_vscode_maps_every_kind_folder_to_its_committed_schema() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert schemas == {f"./catalog/schemas/{m.kind}.schema.json": f"catalog/{m.folder}/*.yaml" for m in KINDS}
    for schema in schemas:
        assert (REPO / schema).is_file(), schema
        assert json.loads((REPO / schema).read_text(encoding="utf-8"))["type"] == "object"


def test_vscode_globs_give_each_catalog_file_the_schema_its_first_line_names() -> None:
    schemas = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    files = sorted((REPO / "catalog").glob("*/*.yaml"))
    assert files
    for path in files:
        relative = PurePosixPath(path.relative_to(REPO).as_posix())
        matched = [schema for schema, glob in schemas.items() if relative.match(glob)]
        named = path.read_text(encoding="utf-8").split("\n", 1)[0].split("$schema=", 1)[1]
        assert [PurePosixPath(m).name for m in matched] == [PurePosixPath(named).name], relative


def test_vscode_recommends_the_yaml_extension() -> None:
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


# --- pre-commit -------------------------------------------------------------------------------


def hook() -> dict[str, Any]:
    config = load_yaml(REPO / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [only] = repo["hooks"]
    return dict(only)


def test_pre_commit_hook_checks_the_whole_catalog_when_catalog_files_change() -> None:
    spec = hook()
    assert spec["language"] == "system" and spec["pass_filenames"] is False
    *_, program, command = shlex.split(spec["entry"])
    assert PurePosixPath(program).name == "playbook" and command == "check"
    files = re.compile(spec["files"])
    for path in ("catalog/standards/prompt-versioning.yaml", "catalog/adrs/0001-x.yaml", "playbook.toml"):
        assert files.search(path), path
    for path in ("docs/index.md", "generators/cli/main.py", "tests/fixtures/minimal/catalog/kpis/sample-kpi.yaml"):
        assert not files.search(path), path


def test_pre_commit_hook_passes_a_clean_catalog_and_fails_a_broken_one(project: Path) -> None:
    root = with_venv(project)
    command = shlex.split(hook()["entry"])
    clean = subprocess.run(command, cwd=root, capture_output=True, text=True, env=GIT_ENV)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    standard = root / "catalog" / "standards" / "prompt-versioning.yaml"
    standard.write_text(standard.read_text(encoding="utf-8").replace("level: must", "level: mandatory", 1), encoding="utf-8")
    broken = subprocess.run(command, cwd=root, capture_output=True, text=True, env=GIT_ENV)
    assert broken.returncode == 1
    assert "catalog/standards/prompt-versioning.yaml:" in broken.stdout
    assert "'mandatory' is not one of" in broken.stdout


# --- GitHub Actions -----------------------------------------------------------------------------


def workflow() -> dict[str, Any]:
    data = load_yaml(WORKFLOW)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def evaluate(text: str) -> str:
    """The workflow's `${{ ... }}` expressions replaced by their local values; an unknown one fails the test."""
    def value(match: re.Match[str]) -> str:
        assert match.group(1) in EXPRESSIONS, f"no local value for ${{{{ {match.group(1)} }}}}"
        return EXPRESSIONS[match.group(1)]
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", value, text)


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).split("@")[0] == action


def test_workflow_runs_on_pull_requests_and_pushes_to_main() -> None:
    data = workflow()
    assert "pull_request" in data["on"]
    assert data["on"]["push"]["branches"] == ["main"]
    for job in data["jobs"].values():
        steps = job["steps"]
        assert uses(steps[0], "actions/checkout")
        setup = next(s for s in steps if uses(s, "actions/setup-python"))
        assert str(setup["with"]["python-version"]) == "3.11"


def test_the_pull_request_job_uploads_the_built_site() -> None:
    job = workflow()["jobs"]["pull-request"]
    upload = [s for s in job["steps"] if uses(s, "actions/upload-artifact")]
    assert len(upload) == 1 and upload[0]["with"]["path"].rstrip("/") == "site"
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert job["steps"].index(upload[0]) > max(i for i, s in enumerate(job["steps"]) if "playbook build" in s.get("run", ""))
    assert any("playbook check --format github" in r for r in runs)


def test_the_main_job_publishes_a_version_with_the_latest_alias() -> None:
    data = workflow()
    job = data["jobs"]["publish"]
    assert "push" in job["if"] and "refs/heads/main" in job["if"]
    assert job["permissions"] == {"contents": "write"}
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s["run"] for s in job["steps"] if "run" in s]
    pr_runs = [s["run"] for s in data["jobs"]["pull-request"]["steps"] if "run" in s and "impact" not in s["run"]]
    assert runs[: len(pr_runs)] == pr_runs, "main runs the same install, check and build as pull requests"
    configured = "\n".join(runs)
    assert "git config user.name" in configured and "git config user.email" in configured
    publish = shlex.split(runs[-1])
    assert publish[0].endswith("playbook") and publish[1] == "publish"
    assert publish[3:] == ["--alias", "latest", "--push"]
    assert publish[2] == "$(date -u +%Y.%m.%d)"


def run_step(root: Path, script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One `run:` step as GitHub runs it on Linux: bash -eo pipefail."""
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare repository holding the project on main: the GitHub side of the workflow."""
    folder = tmp_path_factory.mktemp("workflow")
    upstream = repository(copy_project(folder / "upstream"))
    for name in ("Makefile", "pyproject.toml", "playbook.toml", ".gitignore"):
        shutil.copy2(REPO / name, upstream / name)
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "Build files")
    subprocess.run(["git", "clone", "-q", "--bare", str(upstream), str(folder / "origin.git")], check=True, env=GIT_ENV)
    return folder / "origin.git"


def checkout(origin: Path, target: Path) -> Path:
    """What actions/checkout leaves (full history), with this checkout's .venv in place."""
    subprocess.run(["git", "clone", "-q", str(origin), str(target)], check=True, env=GIT_ENV)
    (target / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    (target / ".git" / "info" / "exclude").write_text("/.venv\n", encoding="utf-8")
    return target


def run_job(root: Path, job: str, summary: Path) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    """Every `run:` step of a job in order, each asserted to succeed; (script, result) pairs.

    As on a runner, git has no user configured but what the steps configure.
    """
    data = workflow()
    bare = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_CONFIG_GLOBAL": os.devnull,
                                                                               "GIT_CONFIG_NOSYSTEM": "1"}
    base_env = {**bare, **{k: evaluate(str(v)) for k, v in data.get("env", {}).items()},
                "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"}
    outputs = []
    for step in data["jobs"][job]["steps"]:
        if "run" not in step:
            continue
        env = {**base_env, **{k: evaluate(str(v)) for k, v in step.get("env", {}).items()}}
        result = run_step(root, evaluate(step["run"]), env)
        assert result.returncode == 0, f"{step.get('name')}:\n{result.stdout}\n{result.stderr}"
        outputs.append((step["run"], result))
    return outputs


def test_the_pull_request_job_runs_step_by_step(origin: Path, tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "pull-request")
    git(root, "checkout", "-q", "-b", "retitle-prompt-versioning")
    retitle(root / "catalog" / "standards" / "prompt-versioning.yaml", "Prompts and model versions, as code")
    git(root, "commit", "-q", "-am", "Retitle a standard")
    summary = tmp_path / "summary.md"
    outputs = run_job(root, "pull-request", summary)
    check = next(r for run, r in outputs if "check --format github" in run)
    lines = check.stdout.strip().splitlines()
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?", lines[-1])
    assert all(re.match(r"::(error|warning|notice) file=catalog/[^,]+,line=\d+,col=\d+,title=[^:]+::", line)
               for line in lines[:-1])
    assert (root / "site" / "index.html").is_file()
    assert (root / "site" / "playbook" / "standards" / "prompt-versioning" / "index.html").is_file()
    report = summary.read_text(encoding="utf-8")
    assert report.startswith("### Catalog impact since origin/main (")
    assert "#### Standard `prompt-versioning` — changed: Prompts and model versions, as code" in report


def test_the_main_job_runs_step_by_step_and_pushes_the_version(origin: Path, tmp_path: Path) -> None:
    root = checkout(origin, tmp_path / "main")
    run_job(root, "publish", tmp_path / "summary.md")
    versions = json.loads(git(origin, "show", "gh-pages:versions.json"))
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y.%m.%d")
    assert [(v["version"], v["aliases"]) for v in versions] == [(today, ["latest"])]
    assert git(origin, "log", "-1", "--format=%an", "gh-pages") == "github-actions[bot]"
    assert "index.html" in git(origin, "ls-tree", "--name-only", f"gh-pages:{today}").splitlines()


def test_the_check_step_annotates_and_fails_a_broken_catalog(project: Path) -> None:
    root = with_venv(project)
    [step] = [s for s in workflow()["jobs"]["pull-request"]["steps"] if "check --format github" in s.get("run", "")]
    architecture = root / "catalog" / "architectures" / "rag-assistant.yaml"
    architecture.write_text(architecture.read_text(encoding="utf-8").replace("  - prompt-versioning\n", "  - prompt-versoning\n", 1),
                            encoding="utf-8")
    result = run_step(root, step["run"], GIT_ENV)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert annotations and all("file=catalog/architectures/rag-assistant.yaml," in a for a in annotations)
    assert "no standard has the id 'prompt-versoning'" in annotations[0]


# --- playbook impact ----------------------------------------------------------------------------


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """The bundled project committed on main, on a branch for a change."""
    root = repository(copy_project(tmp_path / "bundled"))
    git(root, "checkout", "-q", "-b", "change")
    return root


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """The minimal fixture catalog committed on main, on a branch for a change."""
    root = repository(copy_project(tmp_path / "minimal", REPO / "tests" / "fixtures" / "minimal" / "catalog"))
    git(root, "checkout", "-q", "-b", "change")
    return root


def referencing(root: Path, folder: str, field: str, target: str) -> set[str]:
    """Ids of the entries in `folder` whose `field` (a list, or list of items with `field`) names `target`."""
    found = set()
    for path in (root / "catalog" / folder).glob("*.yaml"):
        data = load_yaml(path)
        value = data.get(field)
        names = value if isinstance(value, list) else [value]
        if field == "enforces":
            names = [n for item in data.get("items", []) for n in item.get("enforces", [])]
        if field == "checklists":
            names = [c["checklist"] for c in data.get("checklists", [])]
        if any(isinstance(n, str) and n.split("#")[0] == target for n in names):
            found.add(data["id"])
    return found


def test_a_changed_standard_reaches_architectures_checklists_and_initiatives(bundled: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    standard = "prompt-versioning"
    retitle(bundled / "catalog" / "standards" / f"{standard}.yaml", "Prompt versioning, revised")
    assert impact(bundled, "--base", "main") == 0
    out = capsys.readouterr().out
    architectures = referencing(bundled, "architectures", "standards", standard)
    checklists = referencing(bundled, "checklists", "enforces", standard)
    initiatives = set().union(*(referencing(bundled, "initiatives", "architecture", a) for a in architectures))
    assert architectures and checklists and initiatives
    for architecture in architectures:
        assert f"| Reference architecture | applies `{standard}` | `playbook/architectures/{architecture}/` |" in out
    for checklist in checklists:
        assert f"| Checklist | enforces `{standard}` | `playbook/checklists/{checklist}/` |" in out
    for initiative in initiatives:
        line = next(line for line in out.splitlines() if line.startswith(f"| `{initiative}`:"))
        assert "| Initiative |" in line and line.endswith(f"| `playbook/initiatives/{initiative}/` |")
        follows = re.search(r"follows `([a-z0-9-]+)` → applies `prompt-versioning`", line)
        answers = re.search(r"answers `([a-z0-9-]+)` → enforces `prompt-versioning`", line)
        assert (follows and follows.group(1) in architectures) or (answers and answers.group(1) in checklists), line
    assert out.count("#### ") == 1


def test_impact_of_a_changed_standard_in_exact_lines(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    retitle(minimal / "catalog" / "standards" / "sample-standard.yaml", "Sample | standard")
    base = git(minimal, "rev-parse", "main")
    assert impact(minimal, "--base", "main") == 0
    assert capsys.readouterr().out == f"""\
### Catalog impact since main ({base[:12]})

1 catalog entry (1 changed); 5 more affected through the relation graph; 9 pages change, owned by 1 owner.

#### Standard `sample-standard` — changed: Sample &#124; standard

Page: `playbook/standards/sample-standard/`.

| Affected entry | Kind | Through | Page |
| --- | --- | --- | --- |
| `sample-architecture`: Sample architecture | Reference architecture | applies `sample-standard` | `playbook/architectures/sample-architecture/` |
| `sample-checklist`: Sample checklist | Checklist | enforces `sample-standard` | `playbook/checklists/sample-checklist/` |
| `sample-threat`: Sample threat | Threat | mitigated by `sample-standard` | `playbook/threats/sample-threat/` |

<details>
<summary>2 entries through another entry</summary>

| Affected entry | Kind | Through | Page |
| --- | --- | --- | --- |
| `sample-incident-playbook`: Sample incident playbook | Incident playbook | applies `sample-threat` → mitigated by `sample-standard` | `playbook/incidents/sample-incident-playbook/` |
| `sample-onboarding-kit`: Sample onboarding kit | Onboarding kit | points at `sample-architecture` → applies `sample-standard` | `playbook/onboarding/sample-onboarding-kit/` |

</details>

### Pages that change

| Page | Change | Shows | Owners |
| --- | --- | --- | --- |
| `playbook/architectures/sample-architecture/` | changed | Reference architecture `sample-architecture`: Sample architecture | `platform-team` |
| `playbook/checklists/sample-checklist/` | changed | Checklist `sample-checklist`: Sample checklist | `platform-team` |
| `playbook/governance/architecture-standards/` | changed | Architectures × standards, computed from the whole catalog | — |
| `playbook/governance/checklist-standards/` | changed | Checklists × standards, computed from the whole catalog | — |
| `playbook/governance/threat-coverage/` | changed | Threat coverage, computed from the whole catalog | — |
| `playbook/standards/` | changed | Standards and guardrails, computed from the whole catalog | — |
| `playbook/standards/sample-standard/` | changed | Standard `sample-standard`: Sample &#124; standard | `platform-team` |
| `playbook/teams/platform-team/` | changed | Owner `platform-team`: Platform team | `platform-team` |
| `playbook/threats/sample-threat/` | changed | Threat `sample-threat`: Sample threat | `platform-team` |

Owners to ask: `platform-team` (Platform team).
"""
    assert impact(minimal, "--base", "main", "--format", "text", "--depth", "1") == 0
    assert capsys.readouterr().out == f"""\
Catalog impact since main ({base[:12]}): 1 catalog entry (1 changed); 3 more affected through the relation graph; 9 pages change, owned by 1 owner

Standard sample-standard — changed: Sample | standard
  Page: playbook/standards/sample-standard/.
  reference architecture sample-architecture (applies sample-standard): playbook/architectures/sample-architecture/
  checklist sample-checklist (enforces sample-standard): playbook/checklists/sample-checklist/
  threat sample-threat (mitigated by sample-standard): playbook/threats/sample-threat/

Pages that change (9):
  changed playbook/architectures/sample-architecture/: Reference architecture sample-architecture: Sample architecture, owned by platform-team
  changed playbook/checklists/sample-checklist/: Checklist sample-checklist: Sample checklist, owned by platform-team
  changed playbook/governance/architecture-standards/: Architectures × standards, computed from the whole catalog
  changed playbook/governance/checklist-standards/: Checklists × standards, computed from the whole catalog
  changed playbook/governance/threat-coverage/: Threat coverage, computed from the whole catalog
  changed playbook/standards/: Standards and guardrails, computed from the whole catalog
  changed playbook/standards/sample-standard/: Standard sample-standard: Sample | standard, owned by platform-team
  changed playbook/teams/platform-team/: Owner platform-team: Platform team, owned by platform-team
  changed playbook/threats/sample-threat/: Threat sample-threat: Sample threat, owned by platform-team
Owners to ask: platform-team (Platform team)
"""


def test_committed_uncommitted_and_untracked_changes_count_and_other_files_do_not(
        minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    retitle(minimal / "catalog" / "kpis" / "sample-kpi.yaml", "Committed")
    git(minimal, "commit", "-q", "-am", "A committed change")
    retitle(minimal / "catalog" / "tools" / "sample-tool.yaml", "Uncommitted")
    shutil.copy(minimal / "catalog" / "teams" / "platform-team.yaml", minimal / "catalog" / "teams" / "new-team.yaml")
    (minimal / "docs" / "index.md").write_text("changed\n", encoding="utf-8")
    (minimal / "catalog" / "README.txt").write_text("not an entry\n", encoding="utf-8")
    assert impact(minimal, "--base", "main") == 0
    headings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("#### ")]
    assert headings == ["#### KPI `sample-kpi` — changed: Committed",
                        f"#### {BY_KIND['team'].singular} `new-team` — added",
                        "#### Tool `sample-tool` — changed: Uncommitted"]


def test_only_changes_since_the_merge_base_count(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(minimal, "checkout", "-q", "main")
    retitle(minimal / "catalog" / "kpis" / "sample-kpi.yaml", "Changed on main meanwhile")
    git(minimal, "commit", "-q", "-am", "A change on main")
    git(minimal, "checkout", "-q", "change")
    assert impact(minimal, "--base", "main") == 0
    assert "no catalog entry changed" in capsys.readouterr().out.lower()


def test_removed_and_renamed_entries_are_reported_with_what_still_names_them(
        minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(minimal, "rm", "-q", "catalog/tools/sample-tool.yaml")
    git(minimal, "mv", "catalog/kpis/sample-kpi.yaml", "catalog/kpis/renamed-kpi.yaml")
    kpi = minimal / "catalog" / "kpis" / "renamed-kpi.yaml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("id: sample-kpi", "id: renamed-kpi"), encoding="utf-8")
    git(minimal, "commit", "-q", "-am", "Remove a tool, rename a KPI")
    tool_users = referencing(minimal, "architectures", "tools", "sample-tool")
    kpi_users = referencing(minimal, "architectures", "kpis", "sample-kpi") | referencing(minimal, "incidents", "kpis", "sample-kpi")
    assert tool_users and kpi_users
    assert impact(minimal, "--base", "main", "--depth", "1") == 0
    out = capsys.readouterr().out
    reached = len(tool_users | kpi_users)
    assert out.splitlines()[2] == f"2 catalog entries (1 renamed, 1 removed); {reached} more affected through the relation graph."
    assert "#### KPI `renamed-kpi` — renamed from `sample-kpi`: " in out
    assert "The old page `playbook/kpis/sample-kpi/` is gone; entries that still name `sample-kpi` fail `playbook check`." in out
    assert "#### Tool `sample-tool` — removed\n\nIts page `playbook/tools/sample-tool/` is gone." in out
    for entry in tool_users:
        assert re.search(rf"^\| `{entry}`: .* \| uses `sample-tool` \| ", out, re.M)
    for entry in kpi_users:
        assert re.search(rf"^\| `{entry}`: .* \| measured by `sample-kpi` \| ", out, re.M)


def test_a_bad_ref_is_a_one_line_error(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert impact(minimal, "--base", "no-such-branch") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: 'no-such-branch' is not a commit, branch or tag of this repository\n"


def test_the_default_base_is_origin_main_then_main(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    retitle(minimal / "catalog" / "kpis" / "sample-kpi.yaml", "Changed")
    assert impact(minimal) == 0
    assert capsys.readouterr().out.startswith("### Catalog impact since main (")
    git(minimal, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert impact(minimal) == 0
    assert capsys.readouterr().out.startswith("### Catalog impact since origin/main (")
    git(minimal, "branch", "-q", "-m", "main", "trunk")
    git(minimal, "update-ref", "-d", "refs/remotes/origin/main")
    assert impact(minimal) == 2
    assert capsys.readouterr().err == "error: neither origin/main nor main exists; pass --base REF\n"


def test_outside_a_repository_impact_says_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert impact(project, "--base", "main") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {project} is not inside a git repository") and err.count("\n") == 1
