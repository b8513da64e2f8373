"""Entries kept in other repositories: named in playbook.toml, pinned in playbook.lock by `playbook sync`, read by
`check` and the build beside catalog/, and shown on their pages with where they come from.

Every source is a git repository in the test's own folder; nothing goes over the network."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TODAY

from generators.cli.main import main
from generators.config import Config
from generators.diagnostics import Diagnostic, Report, format_github
from generators.federation.git import GitError, git
from generators.federation.sources import Pin, Source, lock_text, read_lock, read_sources
from generators.pipeline import check, check_edition
from generators.project import Project

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
SOURCE = "payments-team"
#: The address pages link; the tests' git reads it from a local repository (url.<base>.insteadOf).
WEB = "https://git.example.com/payments/decisions.git"


def run_git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Payments", "-c", "user.email=payments@example.com", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def adr(entry_id: str, title: str, status: str = "accepted", extra: str = "", owner: str = "platform-team") -> str:
    return f"""# yaml-language-server: $schema=../schemas/adr.schema.json
id: {entry_id}
title: "{title}"
summary: How the payments team records this decision.
owners:
  - {owner}
tags: []
last_reviewed: 2026-11-25
review_every: 6 months
status: {status}
date: 2026-11-20
deciders:
  - Payments tech lead
{extra}context: |
  Payments needs one way to do this.
considered_options:
  - title: First option
outcome:
  chosen: First option
  justification: |
    It is the simplest.
"""


def commit(repo: Path, files: dict[str, str | None], tag: str | None = None) -> str:
    """Write (or, for None, delete) files, commit them, tag the commit; its full name."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", "change")
    if tag:
        run_git(repo, "tag", tag)
    return run_git(repo, "rev-parse", "HEAD")


@pytest.fixture
def team_repo(tmp_path: Path) -> Path:
    """The payments team's repository: two ADRs under playbook/, tagged v1.0.0."""
    repo = tmp_path / "decisions"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    commit(repo, {"README.md": "Payments decisions\n",
                  "playbook/adrs/0101-ledger-events.yaml": adr("0101-ledger-events", "Record ledger events"),
                  "playbook/adrs/0102-payment-retries.yaml": adr("0102-payment-retries", "Retry payments with backoff")},
           tag="v1.0.0")
    return repo


def configure(root: Path, extra: str = "", **settings: Any) -> None:
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    (root / "playbook.toml").write_text(f"[sources.{SOURCE}]\n" + "\n".join(lines) + "\n" + extra, encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path, team_repo: Path) -> Path:
    """A project with the minimal catalog whose playbook.toml names the team's repository at v1.0.0."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project / "catalog")
    configure(project, repository=str(team_repo), ref="v1.0.0", path="playbook")
    return project


@pytest.fixture
def web_address(tmp_path: Path, team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """WEB, which git fetches from the team's local repository."""
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{team_repo.as_posix()}"]\n\tinsteadOf = {WEB}\n', encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    return WEB


def playbook(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "--today", TODAY.isoformat(), *args])
    out, err = capsys.readouterr()
    return code, out, err


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_of(root: Path) -> Path:
    return Project(root).sources / SOURCE


# -- sync ---------------------------------------------------------------------------------------------------------

def test_a_source_pinned_to_a_tag_syncs_and_checks(root: Path, team_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tagged = run_git(team_repo, "rev-parse", "v1.0.0")
    code, _, err = playbook(root, capsys, "sync")
    assert code == 0, err
    assert err.splitlines() == [f"{SOURCE}: fetching {team_repo}",
                                f"{SOURCE}: 'v1.0.0' is commit {tagged[:12]}; 2 files",
                                "synced 1 source; playbook.lock pins its commit: commit it"]
    lock = (root / "playbook.lock").read_text(encoding="utf-8")
    assert tomllib.loads(lock)["sources"] == {SOURCE: {"repository": str(team_repo), "ref": "v1.0.0", "commit": tagged}}
    assert sorted(files_of(copy_of(root))) == [".playbook-source.json", "adrs/0101-ledger-events.yaml",
                                               "adrs/0102-payment-retries.yaml"]  # the folder path names, nothing else
    assert playbook(root, capsys, "sync")[0] == 0
    assert (root / "playbook.lock").read_text(encoding="utf-8") == lock  # the same input, the same bytes

    code, out, _ = playbook(root, capsys, "check")
    assert code == 0, out
    catalog, _ = check(Project(root), TODAY)
    assert {"0101-ledger-events", "0102-payment-retries", "sample-adr"} <= set(catalog.entries)
    origin = catalog.origins["0101-ledger-events"]
    assert (origin.source, origin.ref, origin.commit, origin.file) == (SOURCE, "v1.0.0", tagged,
                                                                      "playbook/adrs/0101-ledger-events.yaml")
    assert origin.edit_url is None  # a folder on this machine has no web address
    assert "sample-adr" not in catalog.origins


def test_check_reads_the_copy_and_never_the_source_repository(root: Path, team_repo: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert playbook(root, capsys, "sync")[0] == 0
    shutil.rmtree(team_repo)
    code, out, _ = playbook(root, capsys, "check")
    assert code == 0, out
    assert "0101-ledger-events" in check(Project(root), TODAY)[0].entries


def test_the_lock_keeps_a_branch_at_its_commit_until_update(root: Path, team_repo: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    first = run_git(team_repo, "rev-parse", "HEAD")
    configure(root, repository=str(team_repo), ref="main", path="playbook")
    assert playbook(root, capsys, "sync")[0] == 0
    newer = commit(team_repo, {"playbook/adrs/0103-refunds.yaml": adr("0103-refunds", "Refund to the original method")})
    assert playbook(root, capsys, "sync")[0] == 0
    assert read_lock(root)[0][SOURCE].commit == first
    assert "0103-refunds" not in check(Project(root), TODAY)[0].entries

    code, _, err = playbook(root, capsys, "sync", "--update")
    assert code == 0, err
    assert read_lock(root)[0][SOURCE].commit == newer
    assert "0103-refunds" in check(Project(root), TODAY)[0].entries


def test_changing_the_ref_and_syncing_again_updates(root: Path, team_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert playbook(root, capsys, "sync")[0] == 0
    later = commit(team_repo, {"playbook/adrs/0102-payment-retries.yaml": None,
                               "playbook/adrs/0103-refunds.yaml": adr("0103-refunds", "Refund to the original method")},
                   tag="v1.1.0")
    configure(root, repository=str(team_repo), ref="v1.1.0", path="playbook")

    code, out, _ = playbook(root, capsys, "check")
    assert code == 1
    assert (f"playbook.toml:1:1: error: sources.{SOURCE}: '{SOURCE}' names 'v1.1.0' of {team_repo}, but playbook.lock "
            f"pins 'v1.0.0' of {team_repo}\n  hint: run `playbook sync` to pin what playbook.toml names, then commit "
            "playbook.lock") in out

    assert playbook(root, capsys, "sync")[0] == 0
    assert read_lock(root)[0][SOURCE] == Pin(str(team_repo), "v1.1.0", later)
    assert sorted(files_of(copy_of(root))) == [".playbook-source.json", "adrs/0101-ledger-events.yaml", "adrs/0103-refunds.yaml"]
    catalog, report = check(Project(root), TODAY)
    assert report.errors == []
    assert "0103-refunds" in catalog.entries and "0102-payment-retries" not in catalog.entries


def test_an_unknown_ref_fails_and_keeps_the_previous_copy(root: Path, team_repo: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert playbook(root, capsys, "sync")[0] == 0
    lock, copy = (root / "playbook.lock").read_bytes(), files_of(copy_of(root))
    configure(root, repository=str(team_repo), ref="v9.9.9", path="playbook")
    code, _, err = playbook(root, capsys, "sync")
    assert code == 1
    assert err.splitlines()[-2:] == [
        f"error: {SOURCE}: 'v9.9.9' is not a branch, tag or commit of {team_repo}",
        "nothing was changed: the copies of the sources and playbook.lock are as they were"]
    assert (root / "playbook.lock").read_bytes() == lock and files_of(copy_of(root)) == copy
    assert sorted(p.name for p in Project(root).sources.iterdir()) == [SOURCE, f"{SOURCE}.git"]  # no staging left


def test_one_failing_source_changes_nothing(root: Path, team_repo: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing half-written: a source that could sync is not replaced while another fails."""
    assert playbook(root, capsys, "sync")[0] == 0
    lock, copy = (root / "playbook.lock").read_bytes(), files_of(copy_of(root))
    commit(team_repo, {"playbook/adrs/0103-refunds.yaml": adr("0103-refunds", "Refund to the original method")}, tag="v1.1.0")
    missing = tmp_path / "no-such-repository"
    configure(root, repository=str(team_repo), ref="v1.1.0", path="playbook",
              extra=f'\n[sources.risk-team]\nrepository = {json.dumps(str(missing))}\nref = "main"\n')
    code, _, err = playbook(root, capsys, "sync")
    assert code == 1
    assert f"error: risk-team: cannot fetch {missing} (" in err and "check the address and that you may read it" in err
    assert (root / "playbook.lock").read_bytes() == lock and files_of(copy_of(root)) == copy
    assert not (Project(root).sources / "risk-team").exists()


def test_a_folder_missing_at_the_ref_is_named(root: Path, team_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(root, repository=str(team_repo), ref="v1.0.0", path="decisions")
    code, _, err = playbook(root, capsys, "sync")
    assert code == 1
    assert f"error: {SOURCE}: there is no folder 'decisions' in {team_repo} at 'v1.0.0'" in err
    assert not (root / "playbook.lock").exists()


def test_links_and_submodules_are_left_out_of_the_copy(root: Path, team_repo: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (team_repo / "playbook" / "adrs").joinpath("0104-secrets.yaml").symlink_to("/etc/passwd")
    commit(team_repo, {}, tag="v1.0.1")
    configure(root, repository=str(team_repo), ref="v1.0.1", path="playbook")
    code, _, err = playbook(root, capsys, "sync")
    assert code == 0
    assert "left out 1 link or submodule: adrs/0104-secrets.yaml" in err
    assert not any(p.is_symlink() for p in copy_of(root).rglob("*"))
    assert playbook(root, capsys, "check")[0] == 0


def test_a_tree_naming_a_file_outside_the_copy_is_refused(root: Path, team_repo: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A tree written by hand (git's own commands refuse it) whose entry is named '..'."""
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=team_repo, input="stolen\n", capture_output=True,
                          text=True, check=True).stdout.strip()
    tree = subprocess.run(["git", "mktree"], cwd=team_repo, input=f"100644 blob {blob}\t..\n", capture_output=True,
                          text=True, check=True).stdout.strip()
    hostile = run_git(team_repo, "commit-tree", tree, "-m", "hostile")
    run_git(team_repo, "tag", "hostile", hostile)
    configure(root, repository=str(team_repo), ref="hostile")
    code, _, err = playbook(root, capsys, "sync")
    assert code == 1
    assert "the repository holds a file git itself would refuse: '..'" in err
    assert not (Project(root).sources / "stolen").exists() and not (Project(root).cache / "stolen").exists()
    assert not copy_of(root).exists()


def test_a_copy_that_fails_half_way_is_thrown_away(root: Path, team_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tree written by hand that names one file twice: the second write fails, the staged copy goes, the old stays."""
    assert playbook(root, capsys, "sync")[0] == 0
    copy = files_of(copy_of(root))
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=team_repo, input="twice\n", capture_output=True,
                          text=True, check=True).stdout.strip()
    tree = subprocess.run(["git", "mktree"], cwd=team_repo, input=f"100644 blob {blob}\tx.yaml\n" * 2,
                          capture_output=True, text=True, check=True).stdout.strip()
    run_git(team_repo, "tag", "twice", run_git(team_repo, "commit-tree", tree, "-m", "twice"))
    configure(root, repository=str(team_repo), ref="twice")
    code, _, err = playbook(root, capsys, "sync")
    assert code == 1 and f"error: {SOURCE}: [Errno 17] File exists" in err
    assert files_of(copy_of(root)) == copy
    assert sorted(p.name for p in Project(root).sources.iterdir()) == [SOURCE, f"{SOURCE}.git"]


def test_offline_uses_what_was_fetched_before(root: Path, team_repo: Path, web_address: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    configure(root, repository=web_address, ref="main", path="playbook")
    code, _, err = playbook(root, capsys, "sync", "--offline")
    assert code == 1
    assert f"error: {SOURCE}: 'main' is not a branch, tag or commit of {WEB} (--offline: only what an earlier sync " \
           "fetched is known)" in err
    assert playbook(root, capsys, "sync")[0] == 0
    fetched = read_lock(root)[0][SOURCE].commit
    newer = commit(team_repo, {"playbook/adrs/0103-refunds.yaml": adr("0103-refunds", "Refund to the original method")})
    code, _, err = playbook(root, capsys, "sync", "--offline", "--update")
    assert code == 0 and f"{SOURCE}: offline; using what an earlier sync fetched from {WEB}" in err
    assert read_lock(root)[0][SOURCE].commit == fetched
    assert playbook(root, capsys, "sync", "--update")[0] == 0
    assert read_lock(root)[0][SOURCE].commit == newer


# -- check --------------------------------------------------------------------------------------------------------

def test_a_source_not_yet_synced_says_to_run_sync(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = playbook(root, capsys, "check")
    assert code == 1
    assert out.splitlines()[:2] == [
        f"playbook.toml:1:1: error: sources.{SOURCE}: '{SOURCE}' is not synced: playbook.lock pins no commit for it",
        "  hint: run `playbook sync`, then commit playbook.lock"]
    assert playbook(root, capsys, "sync")[0] == 0
    shutil.rmtree(Project(root).cache)  # a fresh clone: playbook.lock is committed, the cache is not
    commit_name = read_lock(root)[0][SOURCE].commit
    code, out, _ = playbook(root, capsys, "check")
    assert code == 1
    assert out.splitlines()[:2] == [
        (f"playbook.toml:1:1: error: sources.{SOURCE}: there is no copy of '{SOURCE}' at commit {commit_name[:12]} "
         "(v1.0.0) here"),
        "  hint: run `playbook sync` to fetch it"]


def test_a_broken_entry_is_reported_at_its_place_in_the_source(root: Path, team_repo: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    broken = adr("0103-broken-retry", "Retry forever", status="aproved")
    line = broken.splitlines().index("status: aproved") + 1
    commit(team_repo, {"playbook/adrs/0103-broken-retry.yaml": broken}, tag="v1.0.1")
    configure(root, repository=str(team_repo), ref="v1.0.1", path="playbook")
    assert playbook(root, capsys, "sync")[0] == 0
    code, out, _ = playbook(root, capsys, "check")
    assert code == 1
    where = f"{SOURCE}:playbook/adrs/0103-broken-retry.yaml:{line}:9"
    assert f"{where}: error: status: 'aproved' is not one of proposed, accepted, rejected, deprecated, superseded" in out

    code, out, _ = playbook(root, capsys, "check", "--format", "github")
    annotations = [a for a in out.splitlines() if "0103-broken-retry" in a]
    assert annotations == [(f"::error title=not-allowed::{where}: status: 'aproved' is not one of "
                            "proposed, accepted, rejected, deprecated, superseded%0Ahint: did you mean 'proposed'?")]
    assert "file=" not in annotations[0]  # the file is not in this repository


def test_the_github_format_points_only_at_files_of_this_repository() -> None:
    report = Report([Diagnostic("payments-team:playbook/adrs/0003-x.yaml", 4, 3, "error", "bad", "status", "fix it", "x"),
                     Diagnostic("catalog/adrs/0003-x.yaml", 4, 3, "error", "bad", "status", "", "x")])
    assert format_github(report).splitlines()[:2] == [
        "::error file=catalog/adrs/0003-x.yaml,line=4,col=3,title=x::status: bad",
        "::error title=x::payments-team:playbook/adrs/0003-x.yaml:4:3: status: bad%0Ahint: fix it"]


def test_an_id_used_twice_names_both_places(root: Path, team_repo: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (root / "catalog" / "adrs" / "0101-ledger-events.yaml").write_text(adr("0101-ledger-events", "Ours"), encoding="utf-8")
    other = tmp_path / "risk"
    other.mkdir()
    run_git(other, "init", "-q", "-b", "main")
    commit(other, {"adrs/0102-payment-retries.yaml": adr("0102-payment-retries", "Theirs")})
    configure(root, repository=str(team_repo), ref="v1.0.0", path="playbook",
              extra=f'\n[sources.risk-team]\nrepository = {json.dumps(str(other))}\nref = "main"\n')
    assert playbook(root, capsys, "sync")[0] == 0
    code, out, _ = playbook(root, capsys, "check")
    assert code == 1
    assert (f"{SOURCE}:playbook/adrs/0101-ledger-events.yaml:2:5: error: id: duplicate id '0101-ledger-events' "
            "(also used by catalog/adrs/0101-ledger-events.yaml)") in out
    assert ("risk-team:adrs/0102-payment-retries.yaml:2:5: error: id: duplicate id '0102-payment-retries' "
            f"(also used by {SOURCE}:playbook/adrs/0102-payment-retries.yaml)") in out


def test_a_source_contributes_only_its_kinds(root: Path, team_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    architecture = (MINIMAL / "architectures" / "sample-architecture.yaml").read_text(encoding="utf-8")
    commit(team_repo, {"playbook/architectures/payments-gateway.yaml":
                       architecture.replace("id: sample-architecture", "id: payments-gateway")}, tag="v1.0.1")
    configure(root, repository=str(team_repo), ref="v1.0.1", path="playbook")
    assert playbook(root, capsys, "sync")[0] == 0
    code, out, _ = playbook(root, capsys, "check")
    assert code == 1
    assert out.splitlines()[:2] == [
        (f"{SOURCE}:playbook/architectures/payments-gateway.yaml:1:1: error: source '{SOURCE}' may contribute adr "
         "entries, not architecture entries"),
        f'  hint: add "architecture" to kinds of [sources.{SOURCE}] in playbook.toml, or remove the file from the source']
    configure(root, repository=str(team_repo), ref="v1.0.1", path="playbook", kinds=["adr", "architecture"])
    catalog, report = check(Project(root), TODAY)
    assert report.errors == [] and catalog.origins["payments-gateway"].file == "playbook/architectures/payments-gateway.yaml"


def test_a_federated_entry_obeys_visibility(root: Path, team_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit(team_repo, {"playbook/adrs/0101-ledger-events.yaml": adr("0101-ledger-events", "Record ledger events",
                                                                    extra="visibility: public\n")}, tag="v1.0.1")
    configure(root, repository=str(team_repo), ref="v1.0.1", path="playbook",
              extra='\n[visibility]\ndefault = "internal"\naudience = "internal"\n\n[visibility.kinds]\n'
                    'team = "public"\nadr-template = "public"\n\n'
                    '[audiences.public]\nlevel = "public"\n\n[audiences.internal]\nlevel = "internal"\n')
    assert playbook(root, capsys, "sync")[0] == 0
    public, report = check_edition(Project(root), "public", TODAY)
    assert public is not None, [d.text() for d in report.errors]
    internal, _ = check_edition(Project(root), "internal", TODAY)
    assert internal is not None
    federated = {"0101-ledger-events", "0102-payment-retries"}
    assert federated & set(public.catalog.entries) == {"0101-ledger-events"}
    assert federated <= set(internal.catalog.entries)


# -- settings -----------------------------------------------------------------------------------------------------

def problems(**table: Any) -> list[str]:
    return [f"{d.path}: {d.message}" + (f" ({d.hint})" if d.hint else "")
            for d in read_sources(Config({"sources": {SOURCE: table}}))[1]]


def test_settings_are_checked_with_suggestions() -> None:
    assert problems(repository="../decisions", reff="v1") == [
        f"sources.{SOURCE}: missing required key 'ref'",
        f"sources.{SOURCE}.reff: unknown key 'reff' (did you mean 'ref'?)"]
    assert problems(repository="../decisions", ref="v1", kinds=["adrs"]) == [
        f"sources.{SOURCE}.kinds: unknown kind 'adrs'; did you mean 'adr'?"]
    assert problems(repository="../decisions", ref="v1", kinds=[]) == [f"sources.{SOURCE}.kinds: name at least one kind"]
    assert read_sources(Config({"sources": {"Payments Team": {"repository": "x", "ref": "v1"}}}))[1][0].message == \
        "'Payments Team' cannot name a source"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("ref", "--upload-pack=touch /tmp/pwned", "'--upload-pack=touch /tmp/pwned' is not a tag, branch or commit name"),
    ("ref", "v1:../../secrets", "'v1:../../secrets' is not a tag, branch or commit name"),
    ("ref", "main..evil", "'main..evil' is not a tag, branch or commit name"),
    ("repository", "-oProxyCommand=touch /tmp/pwned", "an address cannot start with '-'"),
    ("repository", "ext::sh -c touch% /tmp/pwned", "'<transport>::<address>' runs a program to fetch"),
    ("repository", "javascript://alert(1)", "'javascript://' is not an address git fetches from here"),
    ("repository", "https://host/repo\n--upload-pack=x", "give the repository's address or folder on one line"),
    ("path", "../../etc", "'../../etc' is not a folder inside the repository"),
    ("path", "/etc", "'/etc' is not a folder inside the repository"),
    ("edit_uri", "javascript:alert(1)//", "'javascript:alert(1)//' is not a path after the repository's web address"),
])
def test_hostile_settings_are_refused_before_git_runs(root: Path, capsys: pytest.CaptureFixture[str], key: str,
                                                      value: str, message: str) -> None:
    settings = {"repository": "../decisions", "ref": "v1.0.0", key: value}
    assert any(message in line for line in problems(**settings)), problems(**settings)
    configure(root, **settings)
    code, _, err = playbook(root, capsys, "sync")
    assert code == 1 and message in err
    assert not Project(root).sources.exists() or not any(Project(root).sources.iterdir())  # git never ran
    assert not (root / "playbook.lock").exists()


def test_git_refuses_transports_that_run_programs(tmp_path: Path) -> None:
    """Behind the settings' check: the git sync runs may not use `ext::`, whatever it is given."""
    repository = tmp_path / "cache.git"
    git(repository, "init", "--bare", "--quiet")
    with pytest.raises(GitError, match="transport 'ext' not allowed"):
        git(repository, "fetch", "--", f"ext::sh -c touch% {tmp_path / 'pwned'}", "main")
    assert not (tmp_path / "pwned").exists()


def test_the_lock_is_deterministic_toml_whatever_the_address() -> None:
    pins = {"b-team": Pin('C:\\teams\\"b"\trepo ü', "release/2026", "a" * 40), "a-team": Pin("../a", "v1", "b" * 40)}
    text = lock_text(pins)
    assert text == lock_text(dict(reversed(pins.items())))
    assert text.index("[sources.a-team]") < text.index("[sources.b-team]")
    assert tomllib.loads(text)["sources"]["b-team"] == {"repository": 'C:\\teams\\"b"\trepo ü', "ref": "release/2026",
                                                        "commit": "a" * 40}


def test_edit_links_are_made_for_web_addresses_only() -> None:
    def edit(repository: str, edit_uri: str | None = None) -> str | None:
        return Source(SOURCE, repository, "v1.4.0", "playbook", ("adr",), edit_uri).edit_url("adrs/0003-x.yaml")

    assert edit("https://github.com/payments/decisions.git") == \
        "https://github.com/payments/decisions/edit/v1.4.0/playbook/adrs/0003-x.yaml"
    assert edit("https://deploy:s3cret@git.example.com/payments/decisions.git/", "-/edit/main/") == \
        "https://git.example.com/payments/decisions/-/edit/main/playbook/adrs/0003-x.yaml"  # never the credentials
    assert edit("https://git.example.com/payments/decisions.git") is None  # a host whose edit path is not known
    assert edit("https://github.com/payments/decisions.git", "") is None  # edit links turned off
    assert edit("http://[::1]:8080/payments/decisions", "-/edit/main") == \
        "http://[::1]:8080/payments/decisions/-/edit/main/playbook/adrs/0003-x.yaml"
    for address in ("javascript:alert(1)", "git@github.com:payments/decisions.git", "ssh://git@github.com/p/d.git",
                    "file:///srv/git/decisions.git", "../decisions", "data:text/html,<script>alert(1)</script>"):
        assert edit(address, "-/edit/main/") is None, address


# -- pages --------------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_built_page_says_where_the_entry_comes_from(tmp_path: Path, make_project: Any, team_repo: Path,
                                                        web_address: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled playbook (its hand-written pages cite its entries) with the team's ADRs."""
    root = make_project(tmp_path / "site-project")
    configure(root, repository=web_address, ref="v1.0.0", path="playbook", edit_uri="-/edit/main/",
              extra="\n" + (REPO / "playbook.toml").read_text(encoding="utf-8"))
    commit(team_repo, {f"playbook/adrs/{name}.yaml": adr(name, title, owner="ai-architecture") for name, title in
                       [("0101-ledger-events", "Record ledger events"), ("0102-payment-retries", "Retry with backoff")]})
    run_git(team_repo, "tag", "-f", "v1.0.0")
    assert playbook(root, capsys, "sync")[0] == 0
    code, _, err = playbook(root, capsys, "build")
    assert code == 0, err
    tagged = run_git(team_repo, "rev-parse", "v1.0.0")
    page = (root / "site" / "playbook" / "adrs" / "0101-ledger-events" / "index.html").read_text(encoding="utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert f"From {SOURCE} at v1.0.0 (commit {tagged[:7]}) · Edit playbook/adrs/0101-ledger-events.yaml" in text
    links = [html.unescape(href) for href in re.findall(r'<a href="([^"]+)"', page)]
    assert "https://git.example.com/payments/decisions/-/edit/main/playbook/adrs/0101-ledger-events.yaml" in links
    assert not [link for link in links if SOURCE in link and not link.startswith("https://git.example.com/payments/")]
    ours = (root / "site" / "playbook" / "adrs" / "0002-hybrid-retrieval" / "index.html").read_text(encoding="utf-8")
    assert f"From {SOURCE}" not in ours
    assert "Edit catalog/adrs/0002-hybrid-retrieval.yaml" in ours


# -- what other commands do with entries another repository keeps ------------------------------------------------

def test_an_import_never_takes_the_id_of_an_entry_a_source_keeps(root: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A Markdown record numbered like the team's ADR gets the next free number: the team's entry stays theirs."""
    assert playbook(root, capsys, "sync")[0] == 0
    record = tmp_path / "records" / "0101-ledger-events.md"
    record.parent.mkdir()
    record.write_text("# 101. Ledger events\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n\n## Decision\n\n"
                      "We record them.\n", encoding="utf-8")
    code, out, _ = playbook(root, capsys, "--today", TODAY.isoformat(), "import", "adr", str(record), "--owner",
                            "platform-team", "--source", "elsewhere")
    assert code == 0, out
    assert not (root / "catalog" / "adrs" / "0101-ledger-events.yaml").exists()
    assert "the source 'payments-team'" in out
    assert playbook(root, capsys, "check")[0] == 0


def test_the_build_shortcut_notices_a_copy_that_went_away(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Generating again with nothing changed is skipped; with the synced copy gone it is not, and says to sync."""
    assert playbook(root, capsys, "sync")[0] == 0
    assert playbook(root, capsys, "generate")[0] == 0
    shutil.rmtree(copy_of(root))
    code, out, err = playbook(root, capsys, "generate")
    assert code == 1 and "playbook sync" in out + err
