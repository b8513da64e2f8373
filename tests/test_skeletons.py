"""Service skeletons and CI/CD pipeline templates: produced, deterministic, safe, valid, in step with the catalog
and linked from the Templates page."""

from __future__ import annotations

import hashlib
import os
import io
import json
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pytest
import yaml
from conftest import REPO

from generators.load.citations import prose_text
from generators.models import KINDS
from generators.render import downloads
from generators.render.downloads import (
    FOLDER,
    PIPELINES,
    SKELETONS,
    ZIP_TIMESTAMP,
    Skeleton,
    download_files,
    pipeline_text,
    safe_member,
    skeleton_archive,
    skeleton_members,
    zip_bytes,
)
from generators.resolve.editions import Edition

#: The archives and pipeline files the Templates page offers, relative to the generated folder.
DOWNLOAD_NAMES = sorted([*(f"{FOLDER}/{name}.zip" for name in SKELETONS), *(f"{FOLDER}/{name}.yml" for name in PIPELINES)])

SOURCES = REPO / "generators" / "render" / "templates" / "downloads"
#: What every skeleton holds, by its path inside the skeleton's folder.
REQUIRED = ("README.md", "Dockerfile", ".env.example", ".dockerignore", "requirements.txt", "requirements-dev.txt",
            "pyproject.toml", "app/telemetry.py", "evals/gate.yaml", "evals/gate.py", "evals/harness_client.py",
            "deploy/canary.py", ".github/workflows/ci.yml", ".gitlab-ci.yml")
#: A page path of the playbook site, as skeleton files cite them: playbook/<kind folder>/<entry id>/.
PAGE_PATH = re.compile(r"playbook/([a-z-]+)/([a-z0-9]+(?:-[a-z0-9]+)*)/")


@pytest.fixture(scope="module")
def files(bundled_edition: Edition) -> dict[str, str | bytes]:
    return download_files(bundled_edition.catalog)


def archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def members(name: str) -> dict[str, bytes]:
    """An archive's members by their path inside the skeleton's folder."""
    with archive(skeleton_archive(SKELETONS[name])) as opened:
        return {info.filename.split("/", 1)[1]: opened.read(info) for info in opened.infolist()}


# -- produced ------------------------------------------------------------------------------------


def test_every_skeleton_and_pipeline_is_produced(files: dict[str, str | bytes]) -> None:
    assert DOWNLOAD_NAMES == sorted(name for name in files if name.endswith((".zip", ".yml")))
    for name in SKELETONS:
        data = files[f"{FOLDER}/{name}.zip"]
        assert isinstance(data, bytes)
        with archive(data) as opened:
            assert opened.testzip() is None
    for name, pipeline in PIPELINES.items():
        assert files[f"{FOLDER}/{name}.yml"] == pipeline_text(pipeline)


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_each_skeleton_holds_the_agreed_files(name: str) -> None:
    inside = members(name)
    assert set(REQUIRED) <= set(inside)
    assert inside[".github/workflows/ci.yml"].decode() == pipeline_text(PIPELINES["ci-github-actions"])
    assert inside[".gitlab-ci.yml"].decode() == pipeline_text(PIPELINES["ci-gitlab"])
    assert any(path.startswith("tests/test_") for path in inside)


def test_every_packaged_file_is_served() -> None:
    """No file under skeletons/ or ci/ is left out of every download, so none drifts unseen."""
    used = {source for s in SKELETONS.values() for _, source in s.files}
    used |= {f"ci/{p.source}" for p in PIPELINES.values()}
    packaged = {p.relative_to(SOURCES).as_posix() for folder in ("skeletons", "ci")
                for p in (SOURCES / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert packaged == used


# -- deterministic -------------------------------------------------------------------------------


def test_two_renders_give_the_same_bytes(bundled_edition: Edition, files: dict[str, str | bytes]) -> None:
    again = download_files(bundled_edition.catalog)
    assert again.keys() == files.keys()
    for name in DOWNLOAD_NAMES:
        assert again[name] == files[name], name


def test_archives_do_not_depend_on_file_times_or_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {name: skeleton_archive(s) for name, s in SKELETONS.items()}
    copy = tmp_path / "downloads"
    shutil.copytree(SOURCES, copy)
    for number, path in enumerate(sorted(copy.rglob("*"))):
        if path.is_file():
            stamp = 1_000_000_000 + number * 86_400
            os.utime(path, (stamp, stamp))
    monkeypatch.setattr(downloads, "_SOURCES", copy)
    assert {name: skeleton_archive(s) for name, s in SKELETONS.items()} == before
    sample = {"b/y.txt": b"2", "a/x.txt": b"1"}
    assert zip_bytes(sample) == zip_bytes(dict(reversed(list(sample.items()))))


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_members_have_fixed_times_and_modes(name: str) -> None:
    with archive(skeleton_archive(SKELETONS[name])) as opened:
        infos = opened.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {ZIP_TIMESTAMP}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}


# -- safe ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_member_names_are_safe(name: str) -> None:
    with archive(skeleton_archive(SKELETONS[name])) as opened:
        names = opened.namelist()
    for member in names:
        path = PurePosixPath(member)
        assert not path.is_absolute() and ".." not in path.parts and "\\" not in member and ":" not in member
        assert path.parts[0] == name and safe_member(member)


@pytest.mark.parametrize("bad", ["../evil.py", "/etc/passwd", "a/../../b", "a\\b", "", "a//b", "./a", "C:/x", "a/\0"])
def test_unsafe_names_are_refused(bad: str) -> None:
    assert not safe_member(bad)
    hostile = Skeleton("x", "X", "X", (), ((bad, "skeletons/common/dockerignore"),))
    with pytest.raises(ValueError):
        skeleton_members(hostile)


@pytest.mark.parametrize("source", ["../../../../etc/passwd", "/etc/passwd", "skeletons/missing.txt"])
def test_sources_outside_the_package_are_refused(source: str) -> None:
    with pytest.raises(ValueError):
        skeleton_members(Skeleton("x", "X", "X", (), (("a.txt", source),)))


def test_env_examples_hold_no_secret() -> None:
    secretish = re.compile(r"(TOKEN|SECRET|PASSWORD|API_KEY|PRIVATE_KEY)$")
    for name in SKELETONS:
        for line in members(name)[".env.example"].decode().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            assert not secretish.search(key) or not value, f"{name}: {key} holds a value"
            assert not re.search(r"(sk-|ghp_|AKIA)[A-Za-z0-9]{8,}", value), f"{name}: {key} looks like a credential"


# -- valid -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_the_python_compiles(name: str) -> None:
    sources = {path: data for path, data in members(name).items() if path.endswith(".py")}
    assert "app/telemetry.py" in sources and "evals/gate.py" in sources
    for path, data in sources.items():
        compile(data.decode("utf-8"), f"{name}/{path}", "exec")


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_yaml_and_json_members_parse(name: str) -> None:
    for path, data in members(name).items():
        if path.endswith((".yml", ".yaml")):
            assert yaml.safe_load(data) is not None, path
        elif path.endswith(".json"):
            json.loads(data)


def test_the_github_workflow_runs_every_stage() -> None:
    workflow = yaml.safe_load(pipeline_text(PIPELINES["ci-github-actions"]))
    assert "on" in workflow or True in workflow  # YAML 1.1 reads the key `on` as true
    jobs = workflow["jobs"]
    assert set(jobs) == {"lint", "test", "dependency-scan", "secret-scan", "build", "evaluation-gate", "canary"}
    assert set(jobs["build"]["needs"]) == {"lint", "test", "dependency-scan", "secret-scan"}
    assert jobs["evaluation-gate"]["needs"] == "build"
    assert set(jobs["canary"]["needs"]) == {"build", "evaluation-gate"} and jobs["canary"]["environment"] == "production"
    steps = " ".join(str(step.get("run", "")) for job in jobs.values() for step in job["steps"])
    for command in ("ruff check", "pytest", "pip-audit", "gitleaks", "python -m evals.gate", "python -m deploy.canary"):
        assert command in steps, command
    assert "${{ needs." not in steps  # job outputs reach scripts as environment variables, never pasted in


def test_the_gitlab_pipeline_runs_every_stage() -> None:
    pipeline = yaml.safe_load(pipeline_text(PIPELINES["ci-gitlab"]))
    assert pipeline["stages"] == ["check", "scan", "build", "evaluate", "deploy"]
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "stage" in job}
    assert set(jobs) == {"lint", "test", "dependency-scan", "secret-scan", "build-image", "evaluation-gate", "canary"}
    assert jobs["canary"]["needs"] == ["build-image", "evaluation-gate"]
    scripts = " ".join(" ".join(job["script"]) for job in jobs.values())
    for command in ("ruff check", "pytest", "pip-audit", "gitleaks", "python -m evals.gate", "python -m deploy.canary"):
        assert command in scripts, command


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_released_prompts_match_their_digests(name: str) -> None:
    inside = members(name)
    if "prompts/released.json" not in inside:
        return
    for prompt_id, versions in json.loads(inside["prompts/released.json"]).items():
        for version, digest in versions.items():
            assert hashlib.sha256(inside[f"prompts/{prompt_id}/{version}.txt"]).hexdigest() == digest


def test_agent_tool_definitions_match_their_reviewed_digests() -> None:
    manifest = yaml.safe_load(members("agent-service-skeleton")["tools/manifest.yaml"])
    for tool in manifest["tools"]:
        reviewed = {key: value for key, value in tool.items() if key != "reviewed_sha256"}
        digest = hashlib.sha256(json.dumps(reviewed, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        assert tool["reviewed_sha256"] == digest, tool["name"]


# -- in step with the catalog ------------------------------------------------------------------------


def test_cited_playbook_pages_exist(bundled_edition: Edition) -> None:
    folders = {model.folder: model for model in KINDS}
    catalog = bundled_edition.catalog
    cited: set[tuple[str, str]] = set()
    texts = [data.decode() for name in SKELETONS for data in members(name).values()]
    texts += [pipeline_text(p) for p in PIPELINES.values()]
    for text in texts:
        cited |= set(PAGE_PATH.findall(text))
    assert len(cited) > 20
    for folder, entry_id in sorted(cited):
        assert folder in folders, f"playbook/{folder}/ is not a kind's folder"
        entry = catalog.entries.get(entry_id)
        assert entry is not None and entry.folder == folder, f"playbook/{folder}/{entry_id}/ is not an entry's page"


def _value(edition: Edition, name: str) -> float:
    return edition.catalog.values[name][1].value  # type: ignore[return-value]


@pytest.mark.parametrize("name", sorted(SKELETONS))
def test_gates_carry_the_thresholds_of_adr_0007(name: str, bundled_edition: Edition) -> None:
    gate = yaml.safe_load(members(name)["evals/gate.yaml"])
    assert gate["quality"]["max_drop_points"] == _value(bundled_edition, "eval-gate-max-quality-drop")
    adr = bundled_edition.catalog.entries["0007-evaluation-gate-thresholds"]
    decision = prose_text(bundled_edition.catalog, adr.summary + " " + adr.considered_options[0].description)
    assert "permission-trap" in decision and "blocker" in decision
    if name == "batch-scoring-job-skeleton":
        assert gate["zero_tolerance"]["suites"]
        return
    assert {"permission_trap", "blocker_safety"} <= set(gate["zero_tolerance"]["suites"])
    assert gate["golden_set"]["min_cases"] >= _value(bundled_edition, "golden-set-min-cases")
    assert gate["judge"]["min_agreement"] * 100 == _value(bundled_edition, "judge-min-agreement")
    agreement = bundled_edition.catalog.values["judge-min-agreement"][1].text()
    assert f"{gate['judge']['min_calibration_items']}-item" in agreement
    assert gate["judge"]["warn_after_days"] == _value(bundled_edition, "judge-calibration-max-age")
    assert gate["latency_budget_ms"]


def test_agent_budgets_are_the_playbooks_values(bundled_edition: Edition) -> None:
    source = members("agent-service-skeleton")["app/budget.py"].decode()
    defaults = dict(re.findall(r"^    (max_[a-z_]+): \w+ = ([0-9.]+)", source, flags=re.M))
    assert float(defaults["max_tool_calls"]) == _value(bundled_edition, "agent-run-max-tool-calls")
    assert float(defaults["max_cost_usd"]) == _value(bundled_edition, "agent-run-max-cost")
    assert float(defaults["max_replans"]) == _value(bundled_edition, "agent-run-max-replans")
    duration = bundled_edition.catalog.values["agent-run-max-duration"][1]
    assert duration.unit == "minutes" and float(defaults["max_duration_s"]) == duration.value * 60
    runtime = members("agent-service-skeleton")["app/runtime.py"].decode()
    assert f"REPEAT_CALL_BREAKER = {int(_value(bundled_edition, 'agent-repeat-call-breaker'))}" in runtime


# -- linked from the Templates page ------------------------------------------------------------------


def test_the_templates_page_links_every_download(files: dict[str, str | bytes]) -> None:
    index = files[f"{FOLDER}/index.md"]
    assert isinstance(index, str)
    links = re.findall(r'\]\(([a-z0-9-]+\.(?:zip|yml))\)\{ download="([a-z0-9-]+\.(?:zip|yml))" \}', index)
    assert sorted(f"{FOLDER}/{target}" for target, _ in links) == DOWNLOAD_NAMES
    assert all(target == saved for target, saved in links)
    for skeleton in SKELETONS.values():
        row = next(line for line in index.splitlines() if f"]({skeleton.name}.zip)" in line)
        assert row.count(" | ") == 2  # a title, a one-line description and where it starts from
        for architecture in skeleton.architectures:
            assert f"](../architectures/{architecture}.md)" in row
    for pipeline in PIPELINES.values():
        assert f"`{pipeline.saved_as}`" in index


def test_an_edition_without_the_architectures_links_none() -> None:
    page = downloads.index_page([], {})
    assert "../architectures/" not in page
    assert all(f"]({name}.zip)" in page for name in SKELETONS)


@pytest.mark.slow
def test_the_built_site_serves_the_archives(bundled_site: Path) -> None:
    folder = bundled_site / "playbook" / "templates"
    for name, skeleton in SKELETONS.items():
        assert (folder / f"{name}.zip").read_bytes() == skeleton_archive(skeleton)
    for name in PIPELINES:
        assert (folder / f"{name}.yml").is_file()
    html = (folder / "index.html").read_text(encoding="utf-8")
    for name in SKELETONS:
        assert f'href="{name}.zip"' in html and f'download="{name}.zip"' in html
