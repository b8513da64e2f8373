"""Feedback while editing: `check` reports every problem of a file in one run, warns about near-duplicate tags,
`playbook impact` names every page a change alters and the owners to ask, and the serve banner shows the latest
generation's errors under `playbook serve` only."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import REPO, TODAY
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from generators.cli.generation import generate_and_report
from generators.cli.main import main
from generators.diagnostics import Diagnostic, Report
from generators.load.documents import Document
from generators.load.raw_references import raw_references
from generators.load.tags import LONG, key, near_duplicates
from generators.models.graph import references
from generators.models.threat import Threat
from generators.project import Project
from generators.publish.serve_errors import (
    ERRORS_ENV,
    SCRIPT,
    SITE_FOLDER,
    errors_file,
    link_errors,
    prepare_errors,
    record_errors,
)

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
CASES = Path(__file__).parent / "cases" / "check"
HEAD = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"


def write(root: Path, folder: str, kind: str, entry_id: str, body: str) -> Path:
    path = root / "catalog" / folder / f"{entry_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEAD.format(kind=kind) + f"id: {entry_id}\n" + body, encoding="utf-8")
    return path


def standard(owner: str, status: str = "active", related: str = "[]") -> str:
    return f"""title: Title of {owner}'s standard
summary: One sentence.
owners: [{owner}]
last_reviewed: 2026-11-25
review_every: 6 months
status: {status}
scope: |
  Every system.
rules:
  - id: one-rule
    level: must
    statement: Do it.
    rationale: |
      Because.
    check: |
      Look.
related: {related}
"""


# --- one run reports a file's schema and reference problems ------------------------------------------


def test_an_enum_error_and_a_reference_typo_in_one_file_are_annotated_in_one_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    write(tmp_path, "standards", "standard", "prompt-versioning",
          standard("platform-team", status="aproved", related="[sample-standrd, sample-standard]"))
    assert main(["--root", str(tmp_path), "--today", "2026-11-25", "check", "--format", "github"]) == 1
    out = capsys.readouterr().out
    file = "file=catalog/standards/prompt-versioning.yaml"
    assert out.splitlines() == [
        f"::error {file},line=8,col=9,title=not-allowed::status: 'aproved' is not one of draft, active, deprecated, retired",
        f"::error {file},line=19,col=11,title=unresolved-reference::"
        "related[0]: no standard has the id 'sample-standrd'%0Ahint: did you mean 'sample-standard'?",
        "2 errors, 0 warnings",
    ]
    assert "literal_error" not in out


REF = st.sampled_from(["sample-standard", "sample-standrd", "platform-team", "x", "sample-checklist"])
ITEM = st.sampled_from(["sample-checklist#first-item", "sample-checklist#frist-item", "nope#first-item"])
JUNK = st.one_of(st.integers(), st.booleans(), st.none(), st.sampled_from(["Not_A_Slug", "", "a--b", "a#b#c"]),
                 st.lists(st.sampled_from(["x", "y"]), max_size=2), st.dictionaries(st.sampled_from(["id", "x"]), REF, max_size=2))


@st.composite
def threats(draw: st.DrawFn) -> dict[str, Any]:
    """A threat's data; unless `clean`, its reference fields (and their containers) hold values of any shape too."""
    clean = draw(st.booleans())

    def either(good: st.SearchStrategy[Any]) -> Any:
        return draw(good if clean else st.one_of(good, JUNK))

    def refs(values: st.SearchStrategy[str], least: int = 0) -> st.SearchStrategy[Any]:
        return st.lists(values if clean else st.one_of(values, JUNK), min_size=least, max_size=3)

    mitigation = st.fixed_dictionaries({"control": st.just("Control")},
                                       optional={"standards": refs(REF), "checklist_items": refs(ITEM)})
    if not clean:
        mitigation = st.one_of(mitigation, st.fixed_dictionaries({}, optional={"standards": REF, "stanards": refs(REF)}))
    data: dict[str, Any] = {
        "id": "t", "title": "T", "summary": "S", "last_reviewed": "2026-11-25", "review_every": "6 months",
        "status": "draft" if clean else draw(st.sampled_from(["draft", "aproved"])), "description": "D",
        "assets": ["A"], "likelihood": "low", "impact": "high",
        "owners": either(refs(REF, least=1)), "mitigations": either(st.lists(mitigation, max_size=3)),
    }
    if draw(st.booleans()):
        crosswalk = st.fixed_dictionaries({"framework": REF if clean else st.one_of(REF, JUNK), "id": st.just("ITEM-01"),
                                           "name": st.just("N")})
        data["crosswalks"] = either(st.lists(crosswalk, max_size=2))
    return data


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@settings(max_examples=300, deadline=None)
@given(threats())
def test_an_invalid_entry_yields_exactly_the_references_it_would_have_if_valid(data: dict[str, Any]) -> None:
    """Raw references are the typed ones when the data validates; otherwise none sits where validation failed."""
    found = {(r.path, r.kind, r.target) for r in raw_references(Document("t.yaml", data, ""), Threat, "t")}
    try:
        typed = Threat.model_validate(data)
    except ValidationError as exc:
        failed = {tuple(error["loc"]) for error in exc.errors()}
        for path, _, target in found:
            assert path not in failed
            assert value_at(data, path) == target
        return
    assert found == {(r.path, r.kind, r.target) for r in references(typed)}


# --- near-duplicate tags -----------------------------------------------------------------------------


def test_near_duplicate_tags_are_plurals_hyphens_and_long_spelling_variants() -> None:
    counts = {"agent": 1, "agents": 3, "red-team": 2, "redteam": 1, "policies": 1, "policy": 2,
              "personalisation": 4, "personalization": 1, "observabilty": 1, "observability": 6,
              "rag": 9, "rat": 1, "cost": 2, "host": 1, "slo": 1, "sla": 1, "tier-1": 1, "tier-2": 1,
              "llama-3-8b": 1, "llama-3-7b": 1, "process": 2, "inference": 1, "interference": 1}
    assert sorted(near_duplicates(counts)) == [
        ("agent", "agents"), ("observabilty", "observability"), ("personalization", "personalisation"),
        ("policies", "policy"), ("redteam", "red-team")]


SLUGS = st.from_regex(r"\A[a-z0-9]{1,10}(-[a-z0-9]{1,6}){0,2}\Z")


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(SLUGS, st.integers(1, 5), max_size=30))
def test_a_near_duplicate_keeps_the_more_used_tag_and_short_tags_pair_only_by_plural_or_hyphens(
        counts: dict[str, int]) -> None:
    for rarer, kept in near_duplicates(counts):
        assert rarer != kept and counts[kept] >= counts[rarer]
        assert key(rarer) == key(kept) or min(len(rarer), len(kept)) >= LONG


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"\A[a-z]{8,14}\Z"), st.integers(1, 5), st.integers(1, 5))
def test_a_plural_always_pairs_with_its_singular(word: str, singular_uses: int, plural_uses: int) -> None:
    if word.endswith(("s", "y", "x", "z", "h")):
        word += "a"  # a word whose plural is plainly word + s
    pairs = list(near_duplicates({word: singular_uses, word + "s": plural_uses}))
    assert len(pairs) == 1 and set(pairs[0]) == {word, word + "s"}
    assert pairs[0][1] == (word if singular_uses >= plural_uses else word + "s")


@pytest.mark.parametrize("severity", ["error", "off"])
def test_the_near_duplicate_tag_rule_is_tuned_in_playbook_toml(severity: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(CASES / "near-duplicate-tags" / "catalog", tmp_path / "catalog")
    (tmp_path / "playbook.toml").write_text(f'[rules]\nnear-duplicate-tag = "{severity}"\n', encoding="utf-8")
    code = main(["--root", str(tmp_path), "--today", "2026-11-25", "check"])
    out = capsys.readouterr().out
    if severity == "off":
        assert code == 0 and "near-duplicate-tag" not in out
    else:
        assert code == 1 and out.endswith("5 errors, 0 warnings\n")
        assert ("catalog/checklists/sample-checklist.yaml:7:8: error: tags[0]: tag 'agent' (used once) looks like "
                "'agents' (used twice) [near-duplicate-tag]\n  hint: keep 'agents', the more used: write it instead of "
                "'agent'\n") in out


# --- playbook impact names every page that changes -------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


TEAM = """title: Security team
summary: One sentence.
owners: [security-team]
last_reviewed: 2026-11-25
review_every: 6 months
status: active
type: team
description: |
  Security.
contact: "#security on chat"
codeowners:
  - "@example-org/security-team"
"""


@pytest.fixture
def two_standards(tmp_path: Path) -> Path:
    """The minimal catalog with prompt-versioning (platform-team) and human-oversight (security-team), committed on main."""
    shutil.copytree(MINIMAL, tmp_path / "catalog")
    write(tmp_path, "teams", "team", "security-team", TEAM)
    write(tmp_path, "standards", "standard", "prompt-versioning", standard("platform-team"))
    write(tmp_path, "standards", "standard", "human-oversight", standard("security-team"))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Two standards")
    return tmp_path


def test_impact_of_a_new_standard_names_every_page_it_changes_and_their_owners(
        two_standards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(two_standards, "standards", "standard", "model-cards",
          standard("platform-team", related="[prompt-versioning, human-oversight]"))
    assert main(["--root", str(two_standards), "impact", "--base", "main"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[2].startswith("1 catalog entry (1 added); 0 more affected through the relation graph; ")
    assert lines[2].endswith(" pages change, owned by 2 owners.")
    assert "#### Standard `model-cards` — added: Title of platform-team&#39;s standard" in out
    assert "Nothing else references it." in out  # nothing does, yet its neighbours' pages change:
    rows = [line for line in lines if line.startswith("| `playbook/")]
    for row in [
        "| `playbook/standards/prompt-versioning/` | changed | Standard `prompt-versioning`: Title of platform-team&#39;s "
        "standard | `platform-team` |",
        "| `playbook/standards/human-oversight/` | changed | Standard `human-oversight`: Title of security-team&#39;s "
        "standard | `security-team` |",
        "| `playbook/standards/model-cards/` | added | Standard `model-cards`: Title of platform-team&#39;s standard | "
        "`platform-team` |",
        "| `playbook/standards/` | changed | Standards and guardrails, computed from the whole catalog | — |",
        "| `playbook/governance/architecture-standards/` | changed | Architectures × standards, computed from the whole "
        "catalog | — |",
    ]:
        assert row in rows
    assert lines[2] == (f"1 catalog entry (1 added); 0 more affected through the relation graph; {len(rows)} pages "
                        "change, owned by 2 owners.")
    assert lines[-1] == "Owners to ask: `platform-team` (Platform team), `security-team` (Security team)."


def test_impact_says_why_it_did_not_compare_pages_of_a_catalog_with_errors(
        two_standards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(two_standards, "standards", "standard", "model-cards", standard("platform-team", related="[prompt-versionin]"))
    assert main(["--root", str(two_standards), "impact", "--base", "main", "--format", "text"]) == 0
    assert capsys.readouterr().out.endswith(
        "\n\nPages not compared: the working tree's catalog has 1 error (playbook check lists them); "
        "the pages that change are listed once it passes\n")


# --- the serve banner: only under `playbook serve`, and never stale ------------------------------------------


def _serve_hook() -> Any:
    spec = importlib.util.spec_from_file_location("serve_errors_hook", REPO / "hooks" / "serve_errors.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("command", ["build", "gh-deploy"])
def test_the_serve_errors_hook_adds_no_banner_to_a_build_whatever_the_environment(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ERRORS_ENV, str(errors_file(tmp_path / ".playbook-cache")))
    hook = _serve_hook()
    hook.on_startup(command=command, dirty=False)
    config = SimpleNamespace(extra_javascript=[], site_dir=str(tmp_path / "site"),
                             config_file_path=str(tmp_path / "mkdocs.yml"))
    assert hook.on_config(config).extra_javascript == []
    hook.on_post_build(config)
    assert not (tmp_path / "site").exists()
    hook.on_startup(command="serve", dirty=False)  # the same environment under `mkdocs serve` shows it
    assert hook.on_config(config).extra_javascript == [SCRIPT]


def test_the_served_site_links_no_file_but_the_projects_own_errors_file(tmp_path: Path) -> None:
    cache, site = tmp_path / "project" / ".playbook-cache", tmp_path / "site"
    foreign = tmp_path / "secret.txt"
    foreign.write_text("secret\n", encoding="utf-8")
    own = errors_file(cache)
    for target in [foreign, own.parent / "other.json", own.parent / ".." / "serve" / ".." / "errors.json"]:
        with pytest.raises(ValueError) as refused:
            link_errors(site, target, cache)
        assert str(refused.value) == f"refusing to show {target} in the served site: the banner shows only {own}"
    own.parent.mkdir(parents=True)
    own.symlink_to(foreign)  # the cache's own name, made a link elsewhere
    with pytest.raises(ValueError, match="^refusing to show "):
        link_errors(site, own, cache)
    assert not (site / SITE_FOLDER / "errors.json").exists()
    own.unlink()
    prepare_errors(own)
    link_errors(site, own, cache)
    assert (site / SITE_FOLDER / "errors.json").resolve() == own.resolve()


@pytest.mark.slow
def test_playbook_build_with_the_serve_variable_set_holds_no_banner(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "hostname"
    outside.write_text("secret-host\n", encoding="utf-8")
    monkeypatch.setenv(ERRORS_ENV, str(outside))
    assert main(["--root", str(project), "--today", "2026-11-25", "build"]) == 0
    site = project / "site"
    assert (site / "index.html").is_file()
    assert not (site / SITE_FOLDER).exists()
    assert [path for path in site.rglob("*") if path.is_symlink()] == []
    for page in site.rglob("*.html"):
        assert SCRIPT not in page.read_text(encoding="utf-8"), page


def test_a_write_error_reaches_the_serve_banner_in_place_of_the_last_errors(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root / "catalog")
    project = Project(root)
    project.output.parent.mkdir(parents=True)
    project.output.write_text("not a folder\n", encoding="utf-8")  # the output folder cannot be written
    errors = errors_file(project.cache)
    record_errors(errors, Report([Diagnostic("catalog/tools/kong.yaml", 3, 1, "error", "an older error")]))
    reports: list[Report] = []
    assert generate_and_report(project, TODAY, reported=lambda report: (reports.append(report),
                                                                         record_errors(errors, report))) is False
    message = f"refusing to write: {project.output} exists and is not a folder"
    assert [d.text() for d in reports[0].diagnostics] == [f"docs/playbook:1:1: error: {message}"]
    shown = json.loads(errors.read_text(encoding="utf-8"))["errors"]
    assert [(e["file"], e["message"]) for e in shown] == [("docs/playbook", message)]
