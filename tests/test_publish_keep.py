"""`playbook publish --keep N`: old versions retired from the publishing branch, recorded in retired.json, and still
in the release notes.

The rules of retiring are tested on branches written directly (fast); the command itself on versions that mike
deploys into a git repository, as `test_publish.py` does (slow).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from mike.versions import Versions
from test_history import ENV, Planted, commit, edit, expected_changes, git, init_repo, plant_changes, playbook

from generators.history.releases import (
    Retired,
    published_history,
    record_text,
    retired_record,
    retired_versions,
)
from generators.history.snapshots import HistoryError
from generators.project import Project, Release
from generators.publish.mike import PublishError, retire
from generators.render.changes import what_changed_page
from generators.resolve.changes import Changes

DAY = dt.date(2026, 12, 3)
COMMITS = {name: f"{n:x}" * 40 for n, name in enumerate(["1.0", "1.1", "1.2", "1.3", "0.9"], start=1)}
REDIRECT = '<meta http-equiv="refresh" content="1; url={target}/" />\n'


def write_branch(root: Path, versions: Versions, extra: dict[str, str] | None = None,
                 links: dict[str, str] | None = None) -> str:
    """Commit a publishing branch as mike lays it out (a folder per version, alias links, versions.json) on top of
    gh-pages, and return the commit."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        for info in versions:
            (tree / str(info.version)).mkdir(parents=True)
            (tree / str(info.version) / "index.html").write_text(f"<h1>{info.version}</h1>\n", encoding="utf-8")
            for alias in info.aliases:
                os.symlink(str(info.version), tree / alias)
        for name, target in (links or {}).items():
            os.symlink(target, tree / name)
        (tree / "versions.json").write_text(versions.dumps() + "\n", encoding="utf-8")
        for name, text in (extra or {}).items():
            (tree / name).write_text(text, encoding="utf-8")
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}  # leaves the repository's own index alone
        subprocess.run(["git", "--work-tree", str(tree), "add", "-A", "."], cwd=root, env=env, check=True)
        tree_id = subprocess.run(["git", "write-tree"], cwd=root, env=env, check=True, capture_output=True,
                                 text=True).stdout.strip()
    parent = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "gh-pages"], cwd=root, check=False,
                            capture_output=True, text=True).stdout.strip()
    head = git(root, "commit-tree", tree_id, *(["-p", parent] if parent else []), "-m", "Published")
    git(root, "update-ref", "refs/heads/gh-pages", head)
    return head


def mike_versions(aliases: dict[str, list[str]] | None = None, names: tuple[str, ...] = ("1.0", "1.1", "1.2", "1.3"),
                  titles: dict[str, str] | None = None) -> Versions:
    versions = Versions()
    for name in names:
        info = versions.add(name, (titles or {}).get(name), (aliases or {}).get(name, []))
        info.properties = {"playbook-commit": COMMITS[name]}
    return versions


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Playbook Tests")
    git(root, "config", "user.email", "tests@example.com")
    git(root, "config", "commit.gpgsign", "false")
    return root


def tree(root: Path) -> set[str]:
    return {line.split("\t")[1] for line in git(root, "ls-tree", "gh-pages").splitlines()}


def record(root: Path) -> list[dict[str, object]]:
    return json.loads(git(root, "show", "gh-pages:retired.json"))


def test_keeps_the_newest_retires_the_rest_and_records_them(repo: Path) -> None:
    before = write_branch(repo, mike_versions({"1.3": ["latest"]}))
    done = retire(Project(repo), Release("1.3", COMMITS["1.3"], "gh-pages"), 2, DAY)
    assert [r.version for r in done.retired] == ["1.1", "1.0"]
    assert (done.spared, done.held) == ((), ("1.3", "1.2"))
    assert tree(repo) == {"1.2", "1.3", "latest", "versions.json", "retired.json"}
    assert [v["version"] for v in json.loads(git(repo, "show", "gh-pages:versions.json"))] == ["1.3", "1.2"]
    assert record(repo) == [
        {"version": "1.1", "title": "1.1", "commit": COMMITS["1.1"], "retired_on": "2026-12-03", "retired_by": "1.3"},
        {"version": "1.0", "title": "1.0", "commit": COMMITS["1.0"], "retired_on": "2026-12-03", "retired_by": "1.3"},
    ]
    assert git(repo, "rev-parse", "gh-pages^") == before  # one commit on top of the deploy
    assert git(repo, "log", "-1", "--format=%s", "gh-pages") == "Retired playbook 1.1, 1.0 on publishing 1.3 with --keep 2"
    assert git(repo, "show", "gh-pages:latest") == "1.3"  # the alias link is kept as it was


def test_the_version_being_published_counts_among_those_kept(repo: Path) -> None:
    write_branch(repo, mike_versions(names=("0.9", "1.0", "1.1", "1.2", "1.3")))
    done = retire(Project(repo), Release("0.9", COMMITS["0.9"], "gh-pages"), 2, DAY)
    assert done.held == ("1.3", "0.9")
    assert [r.version for r in done.retired] == ["1.2", "1.1", "1.0"]
    assert all(r.retired_by == "0.9" for r in done.retired)


def test_a_version_with_an_alias_or_the_root_default_is_never_retired(repo: Path) -> None:
    write_branch(repo, mike_versions({"1.3": ["latest"], "1.1": ["stable"]}),
                 extra={"index.html": REDIRECT.format(target="1.0")})
    done = retire(Project(repo), Release("1.3", COMMITS["1.3"], "gh-pages"), 1, DAY)
    assert [r.version for r in done.retired] == ["1.2"]
    assert done.spared == (("1.1", "alias stable"), ("1.0", "the site root's default"))
    assert done.held == ("1.3", "1.1", "1.0")
    assert {"1.0", "1.1", "stable", "index.html"} <= tree(repo) and "1.2" not in tree(repo)


def test_nothing_to_retire_commits_nothing(repo: Path) -> None:
    before = write_branch(repo, mike_versions(names=("1.0", "1.1")))
    done = retire(Project(repo), Release("1.1", COMMITS["1.1"], "gh-pages"), 2, DAY)
    assert (done.retired, done.held) == ((), ("1.1", "1.0"))
    assert git(repo, "rev-parse", "gh-pages") == before


def test_an_existing_record_is_kept_and_a_version_retired_again_has_its_newest_retirement(repo: Path) -> None:
    old = [Retired(version="0.5", title="Half", commit=None, retired_on=dt.date(2026, 1, 5), retired_by="0.8"),
           Retired(version="1.0", title="1.0", commit=COMMITS["1.0"], retired_on=dt.date(2026, 6, 1), retired_by="1.1")]
    write_branch(repo, mike_versions(), extra={"retired.json": record_text(old)})
    retire(Project(repo), Release("1.3", COMMITS["1.3"], "gh-pages"), 3, DAY)
    assert [(r["version"], r["retired_on"], r["retired_by"]) for r in record(repo)] == [
        ("1.0", "2026-12-03", "1.3"), ("0.5", "2026-01-05", "0.8")]
    assert [r.version for r in retired_versions(repo, "gh-pages")] == ["1.0", "0.5"]


def test_a_republished_version_is_live_again_not_retired(repo: Path) -> None:
    gone = Retired(version="1.0", title="1.0", commit=COMMITS["1.0"], retired_on=DAY, retired_by="1.3")
    write_branch(repo, mike_versions(), extra={"retired.json": record_text([gone])})
    assert [r.version for r in retired_record(repo, "gh-pages")] == ["1.0"]
    assert retired_versions(repo, "gh-pages") == []


@pytest.mark.parametrize(("text", "message"), [
    ("{oops", "Invalid JSON"),
    ('[{"version": "../up", "title": "x", "commit": null, "retired_on": "2026-12-03", "retired_by": "1.3"}]',
     "0.version: a version is a folder name"),
    ('[{"version": "..", "title": "x", "commit": null, "retired_on": "2026-12-03", "retired_by": "1.3"}]',
     ("0.version: a version is a folder name: not empty, not '.' or '..', without a slash, a backslash or a "
      "control character)")),
    ('[{"version": "1.0\\n<script>", "title": "x", "commit": null, "retired_on": "2026-12-03", "retired_by": "1.3"}]',
     "0.version: a version is a folder name"),
    ('[{"version": "1.0", "title": "x", "commit": "HEAD", "retired_on": "2026-12-03", "retired_by": "1.3"}]',
     "0.commit: a source commit is a full commit id: 40 (or 64) hexadecimal digits)"),
    ('[{"version": "1.0", "title": "x", "commit": null, "retired_on": "yesterday", "retired_by": "1.3"}]',
     "0.retired_on: Input should be a valid date"),
    ('[{"version": "1.0", "title": "x", "commit": null, "retired_on": "2026-12-03", "retired_by": "1.3", "x": 1}]',
     "0.x: Extra inputs are not permitted"),
    (('[{"version": "1.0", "title": "x", "commit": null, "retired_on": "2026-12-03", "retired_by": "1.3"},'
      ' {"version": "1.0", "title": "y", "commit": null, "retired_on": "2026-12-04", "retired_by": "1.4"}]'),
     "records 1.0 more than once"),
])
def test_a_broken_record_is_an_error_naming_it_and_nothing_is_retired(repo: Path, text: str, message: str) -> None:
    before = write_branch(repo, mike_versions(), extra={"retired.json": text})
    with pytest.raises(HistoryError) as read:
        retired_record(repo, "gh-pages")
    assert str(read.value).startswith("gh-pages:retired.json ")
    assert message in str(read.value)
    assert str(read.value).endswith("restore it from the branch's history (git log gh-pages -- retired.json lists its "
                                    "versions)")
    with pytest.raises(PublishError) as retiring:
        retire(Project(repo), Release("1.3", COMMITS["1.3"], "gh-pages"), 1, DAY)
    assert str(retiring.value) == f"retiring old versions failed: {read.value}"
    assert git(repo, "rev-parse", "gh-pages") == before


def test_hostile_titles_are_recorded_as_data(repo: Path) -> None:
    title = '"quoted" <script>alert(1)</script> {{ config }}\nsecond line ' + "x" * 5000
    write_branch(repo, mike_versions(titles={"1.0": title}))
    retire(Project(repo), Release("1.3", COMMITS["1.3"], "gh-pages"), 3, DAY)
    assert record(repo)[0]["title"] == title
    assert retired_record(repo, "gh-pages")[0].title == title


def test_the_page_marks_retired_versions_and_lists_them() -> None:
    changes = Changes((), ())
    page = what_changed_page([("1.3", changes), ("1.2", changes), ("1.1", changes)],
                             retired={"1.1": DAY, "1.0": dt.date(2026, 11, 2)})
    assert ("\nRetired versions: 1&#46;1 (retired on 2026-12-03, no longer on the site), 1&#46;0 (retired on "
            "2026-11-02, no longer on the site). Their changes stay listed here.\n") in page
    assert "\n## 1&#46;1\n\n*Retired on 2026-12-03, no longer on the site.*\n\nNo changes.\n" in page
    assert "\n## 1&#46;2\n\nNo changes.\n" in page
    assert page.count("Retired on") == 1


def test_version_names_reach_the_page_as_text() -> None:
    page = what_changed_page([("<b>x</b>", Changes((), ()))], retired={"<b>x</b>": DAY, "[a](javascript:x)": DAY})
    assert "<b>" not in page and "](" not in page


def test_keep_must_be_one_or_more_before_anything_is_built(tmp_path: Path) -> None:
    for value in ("0", "-1", "two"):
        result = playbook(tmp_path, "publish", "1.0", "--keep", value)
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1] == (
            f"playbook publish: error: argument --keep: '{value}' is not a number of versions to keep: give a whole "
            "number, 1 or more (the version being published is one of them)")
    assert list(tmp_path.iterdir()) == []


# --- the command, on versions mike deploys (slow) ---------------------------------------------------------------------


def later_change(root: Path, planted: Planted) -> str:
    edit(planted.kpi, lambda d: d.update(target="≤ 2 business days"))
    return commit(root, "Later change", "later")


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted, str, subprocess.CompletedProcess[str]]:
    """1.0 (alias stable), 1.1 and 1.2 published, then 1.3 with --keep 2: 1.1 is retired, 1.0 stays for its alias."""
    root = tmp_path_factory.mktemp("keep") / "project"
    planted = init_repo(root)
    assert playbook(root, "publish", "1.0", "--alias", "stable").returncode == 0
    planted = plant_changes(root, planted)
    assert playbook(root, "publish", "1.1", "--alias", "latest").returncode == 0
    later = later_change(root, planted)
    assert playbook(root, "publish", "1.2", "--alias", "latest").returncode == 0
    last = playbook(root, "--today", DAY.isoformat(), "publish", "1.3", "--alias", "latest", "--keep", "2")
    assert last.returncode == 0, last.stderr
    return root, planted, later, last


@pytest.mark.slow
def test_publish_keep_retires_and_says_so(kept: tuple[Path, Planted, str, subprocess.CompletedProcess[str]]) -> None:
    root, planted, later, last = kept
    assert last.stderr.splitlines()[-4:] == [
        f"retired 1.1 (published from {planted.planted[:12]})",
        ("kept 1 more than --keep 2, as no version with an alias or the site root's default is retired: "
         "1.0 (alias stable)"),
        (f"published 1.3 (latest) of the internal edition on branch gh-pages from commit {later[:12]}: local only; "
         "publish again with --push to share it"),
        "gh-pages holds 3 versions: 1.3, 1.2, 1.0",
    ]
    assert tree(root) == {".nojekyll", "1.0", "1.2", "1.3", "index.html", "latest", "stable", "versions.json",
                          "retired.json"}
    assert [v["version"] for v in json.loads(git(root, "show", "gh-pages:versions.json"))] == ["1.3", "1.2", "1.0"]
    assert record(root) == [{"version": "1.1", "title": "1.1", "commit": planted.planted, "retired_on": "2026-12-03",
                             "retired_by": "1.3"}]
    assert git(root, "show", "gh-pages:latest") == "1.3" and git(root, "show", "gh-pages:stable") == "1.0"


@pytest.mark.slow
def test_versions_lists_retired_versions_after_the_live_ones(
        kept: tuple[Path, Planted, str, subprocess.CompletedProcess[str]]) -> None:
    root, planted, later, _ = kept
    result = playbook(root, "versions")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"1.3 [latest] from {later[:12]}",
        f"1.2 from {later[:12]}",
        f"1.0 [stable] from {planted.base[:12]}",
        f"1.1 from {planted.planted[:12]}: retired on 2026-12-03 when 1.3 was published, no longer on the site",
    ]


@pytest.mark.slow
def test_release_notes_keep_the_changes_of_a_retired_version(
        kept: tuple[Path, Planted, str, subprocess.CompletedProcess[str]]) -> None:
    root, planted, _, _ = kept
    history = published_history(root, "gh-pages")
    assert [(version, changes.summary) for version, changes in history] == [
        ("1.3", "no changes"), ("1.2", "1 changed"), ("1.1", "1 removed, 5 changed")]
    retired_changes = history[2][1]
    assert [(c.id, c.change) for c in retired_changes.entries] == [
        (c["id"], c["change"]) for c in expected_changes(planted)]
    assert [d.text for d in history[1][1].entries[0].details] == ["target: ≤ 3 business days → ≤ 2 business days"]


@pytest.mark.slow
def test_the_what_changed_page_built_afterwards_marks_the_retired_version(
        kept: tuple[Path, Planted, str, subprocess.CompletedProcess[str]]) -> None:
    root, planted, _, _ = kept
    result = playbook(root, "generate")
    assert result.returncode == 0, result.stderr
    page = (root / "docs" / "playbook" / "changes.md").read_text(encoding="utf-8")
    assert ("\nRetired versions: 1&#46;1 (retired on 2026-12-03, no longer on the site). "
            "Their changes stay listed here.\n") in page
    section = page.split("\n## 1&#46;1\n", 1)[1]
    assert section.startswith("\n*Retired on 2026-12-03, no longer on the site.*\n\n1 removed, 5 changed.\n")
    assert f"(`{planted.tool.stem}`): ring&#58; trial → adopt" in section
    assert "\n## 1&#46;2\n\n1 changed.\n" in page  # a live version is not marked


def replace_branch(root: Path, files: dict[str, bytes], folders: dict[str, str] | None = None) -> str:
    """Commit on top of gh-pages its root with `files` written there and `folders` (name: tree) added."""
    entries = [line.encode() for line in git(root, "ls-tree", "gh-pages").splitlines()
               if line.split("\t", 1)[1] not in files]
    for name, text in files.items():
        blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input=text, capture_output=True,
                              check=True).stdout.strip()
        entries.append(b"100644 blob " + blob + b"\t" + name.encode())
    entries += [f"040000 tree {tree_id}\t{name}".encode() for name, tree_id in (folders or {}).items()]
    tree_id = subprocess.run(["git", "mktree", "-z"], cwd=root, input=b"".join(e + b"\0" for e in entries),
                             capture_output=True, check=True).stdout.decode().strip()
    head = git(root, "commit-tree", tree_id, "-p", "gh-pages", "-m", "Changed by hand")
    git(root, "update-ref", "refs/heads/gh-pages", head)
    return head


@pytest.mark.slow
def test_a_failed_retirement_leaves_the_branch_as_it_was(
        kept: tuple[Path, Planted, str, subprocess.CompletedProcess[str]]) -> None:
    """A version mike accepts but retired.json cannot record (a control character in its name) is the oldest: the
    deploy of 1.4 succeeds, retiring fails, and the branch goes back to where it was before the publish."""
    root, _, _, _ = kept
    published = git(root, "rev-parse", "gh-pages")
    odd = "0.1\x01"
    listed = json.loads(git(root, "show", "gh-pages:versions.json"))
    listed.append({"version": odd, "title": "0.1", "aliases": []})
    before = replace_branch(root, {"versions.json": json.dumps(listed).encode()},
                            {odd: git(root, "rev-parse", "gh-pages:1.0")})
    try:
        result = playbook(root, "publish", "1.4", "--keep", "2")
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1] == (
            "error: retiring old versions failed: gh-pages:versions.json holds version '0.1\\x01', which retired.json "
            "cannot record (version: a version is a folder name: not empty, not '.' or '..', without a slash, a "
            "backslash or a control character); delete it with "
            "'mike delete' or publish without --keep; nothing was published and gh-pages is as it was")
        assert "Published playbook 1.4" not in git(root, "log", "--format=%s", "gh-pages")
        assert git(root, "rev-parse", "gh-pages") == before
    finally:
        git(root, "update-ref", "refs/heads/gh-pages", published)


@pytest.mark.slow
def test_a_broken_record_stops_the_publish_and_leaves_the_branch_as_it_was(
        kept: tuple[Path, Planted, str, subprocess.CompletedProcess[str]]) -> None:
    root, _, _, _ = kept
    published = git(root, "rev-parse", "gh-pages")
    before = replace_branch(root, {"retired.json": b"not json\n"})
    try:
        result = playbook(root, "publish", "1.4", "--keep", "2")
        assert result.returncode == 1
        last = result.stderr.splitlines()[-1]
        assert last.startswith("error: ") and "gh-pages:retired.json is not a record of retired versions" in last
        assert git(root, "rev-parse", "gh-pages") == before
        listing = playbook(root, "versions")
        assert listing.returncode == 1
        assert listing.stderr.startswith("error: gh-pages:retired.json is not a record of retired versions "
                                         "(Invalid JSON")
    finally:
        git(root, "update-ref", "refs/heads/gh-pages", published)


def test_publish_help_names_keep() -> None:
    result = subprocess.run([sys.executable, "-m", "generators", "publish", "--help"], check=False, capture_output=True,
                            text=True, env=ENV)
    assert result.returncode == 0
    assert "--keep N" in result.stdout and "retire the others" in result.stdout
