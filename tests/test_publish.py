"""`playbook publish` and `playbook versions`: two versions deployed with mike to a local branch.

Version 1.0 is published from the base commit of `test_history.py`, 1.1 from the commit with the
planted changes, both with the alias `latest`. The repository has a bare remote next to it: 1.0 is
published without --push and must not reach it, 1.1 with --push.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_history import ENV, Planted, expected_changes, git, init_repo, plant_changes, playbook

from generators.history.releases import current_release, published_history
from generators.project import Release
from generators.publish.mike import release_environment
from generators.render.changes import what_changed_page
from generators.resolve.changes import entry_history

if TYPE_CHECKING:  # Playwright is needed only to run the browser tests, not to collect them
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Planted, Path]:
    """1.0 published locally, then 1.1 published and pushed to a bare 'origin' next to the project."""
    folder = tmp_path_factory.mktemp("publish")
    remote = folder / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    root = folder / "project"
    planted = init_repo(root)
    git(root, "remote", "add", "origin", str(remote))
    first = playbook(root, "publish", "1.0", "--alias", "latest")
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines()[-1] == (
        f"published 1.0 (latest) of the internal edition on branch gh-pages from commit {planted.base[:12]}: "
        "local only; publish again with --push to share it")
    assert git(remote, "branch", "--list") == "", "without --push nothing leaves the machine"
    planted = plant_changes(root, planted)
    second = playbook(root, "publish", "1.1", "--alias", "latest", "--title", "1.1 (planted)", "--push")
    assert second.returncode == 0, second.stderr
    assert second.stderr.splitlines()[-1] == (
        f"published 1.1 (latest) of the internal edition on branch gh-pages from commit {planted.planted[:12]}: pushed to the remote")
    return root, planted, remote


def page(root: Path, path: str) -> str:
    return git(root, "show", f"gh-pages:{path}")


def test_the_branch_holds_both_versions_and_the_default(published: tuple[Path, Planted, Path]) -> None:
    root, _, _ = published
    listing = git(root, "ls-tree", "gh-pages").splitlines()
    names = {line.split("\t")[1]: line.split()[0] for line in listing}
    assert set(names) == {".nojekyll", "1.0", "1.1", "latest", "index.html", "versions.json"}
    assert names["latest"] == "120000" and page(root, "latest") == "1.1"  # a symbolic link to 1.1
    assert 'href="latest/"' in page(root, "index.html")  # the site root redirects to latest
    assert "<h1" in page(root, "1.0/index.html") and "<h1" in page(root, "1.1/index.html")


def test_versions_json_records_aliases_titles_and_source_commits(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    assert json.loads(page(root, "versions.json")) == [
        {"version": "1.1", "title": "1.1 (planted)", "aliases": ["latest"], "properties": {"playbook-commit": planted.planted}},
        {"version": "1.0", "title": "1.0", "aliases": [], "properties": {"playbook-commit": planted.base}},
    ]


def test_push_sends_the_branch_to_the_remote(published: tuple[Path, Planted, Path]) -> None:
    root, _, remote = published
    assert git(remote, "rev-parse", "gh-pages") == git(root, "rev-parse", "gh-pages")


def test_older_pages_carry_the_outdated_banner_to_the_same_page(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    html = page(root, f"1.0/playbook/tools/{planted.tool.stem}/index.html")
    banner = html.split('data-md-component="outdated"', 1)[1].split("</aside>", 1)[0]
    assert "You are reading an older version of the playbook." in banner
    assert f'href="../../../../latest/playbook/tools/{planted.tool.stem}/"' in banner
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
    assert config["version"] == {"provider": "mike", "default": "latest", "alias": True}
    home = page(root, "1.0/index.html")
    assert 'href="./../latest/"' in home.split('data-md-component="outdated"', 1)[1]


def test_the_footer_names_the_version_and_its_source_commit(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    for version, commit in (("1.0", planted.base), ("1.1", planted.planted)):
        footer = page(root, f"{version}/playbook/index.html").split('<div class="pb-release">', 1)[1].split("</div>", 1)[0]
        assert " ".join(footer.split()) == (
            f'Playbook version {version}, built from commit <code title="{commit}">{commit[:12]}</code>')


def test_versions_lists_what_is_published(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    result = playbook(root, "versions")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f'1.1 [latest] "1.1 (planted)" from {planted.planted[:12]}',
        f"1.0 from {planted.base[:12]}",
    ]


def test_versions_of_an_unpublished_branch(published: tuple[Path, Planted, Path]) -> None:
    root, _, _ = published
    result = playbook(root, "versions", "--branch", "nowhere")
    assert result.returncode == 1
    assert result.stderr == ("error: nothing is published on branch 'nowhere' (it has no versions.json); "
                             "run 'playbook publish' first\n")


def test_release_notes_list_exactly_the_planted_changes(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    history = published_history(root, "gh-pages")
    assert [version for version, _ in history] == ["1.1"]
    changes = history[0][1]
    assert [(c.id, c.kind, c.change, [d.text for d in c.details]) for c in changes.entries] == [
        (c["id"], c["kind"], c["change"], [d["text"] for d in c["details"]]) for c in expected_changes(planted)
    ]
    notes = what_changed_page(history, existing={planted.tool.stem})
    assert notes.startswith("# What changed\n")
    assert "\n## 1&#46;1\n" in notes and "\n1 removed, 5 changed.\n" in notes
    assert f"](tools/{planted.tool.stem}.md) (`{planted.tool.stem}`): ring&#58; trial → adopt" in notes
    assert "- **Removed** Release extra tool (`release-extra-tool`)" in notes
    assert notes.count("](") == 1  # only entries of the current catalog link to their page
    assert entry_history(history)[planted.adr.stem] == [("1.1", "status: proposed → accepted")]


def test_release_notes_include_the_version_being_published(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    history = published_history(root, "gh-pages", upcoming=("1.2", planted.planted))
    assert [(version, changes.summary) for version, changes in history] == [
        ("1.2", "no changes"), ("1.1", "1 removed, 5 changed")]


def test_publish_refuses_uncommitted_catalog_changes(published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    draft = planted.tool.with_name("draft-tool.yaml")
    draft.write_text(planted.tool.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        result = playbook(root, "publish", "1.2")
    finally:
        draft.unlink()
    assert result.returncode == 1
    assert result.stderr == ("error: catalog/ has uncommitted changes: commit them first, so that the published "
                             "version records the commit it was built from\n")
    assert "1.2" not in page(root, "versions.json")


@pytest.mark.parametrize(("args", "message"), [
    (("../up",), "error: '../up' is not a valid version or alias: use letters, digits, '.', '_', '+' and '-'\n"),
    (("1.2", "--alias", "1.2"), "error: '1.2' cannot be both the version and an alias\n"),
])
def test_publish_refuses_bad_names(published: tuple[Path, Planted, Path], args: tuple[str, ...], message: str) -> None:
    root, _, _ = published
    result = playbook(root, "publish", *args)
    assert (result.returncode, result.stderr) == (2, message)


def test_the_release_is_named_only_in_the_environment_of_the_site_build(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PLAYBOOK_VERSION", "PLAYBOOK_COMMIT", "PLAYBOOK_BRANCH", "PLAYBOOK_VERSION_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    release = Release("1.2", "0123456789abcdef", "gh-pages")
    names = release_environment(release, {"PLAYBOOK_AUDIENCE": "public"})
    assert current_release(names) == release
    assert names["PLAYBOOK_VERSION_PROVIDER"] == "mike"  # mkdocs.yml turns the version selector on
    assert names["PLAYBOOK_AUDIENCE"] == "public"
    assert current_release(os.environ) is None and "PLAYBOOK_VERSION_PROVIDER" not in os.environ


def test_without_git_or_published_versions_there_are_no_release_notes(tmp_path: Path) -> None:
    assert published_history(tmp_path, "gh-pages") == []
    assert what_changed_page([]) == (
        "# What changed\n\nNo release notes yet: no version of the playbook has been published, or only one has, and each "
        "version is compared with the one published before it.\n\nWhen `playbook publish` publishes a second version, "
        "this page lists what changed in the catalog since the version before it: every entry added, changed or "
        "removed, by kind, newest version first.\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
        return bytes(response.read())


@pytest.fixture(scope="module")
def served(published: tuple[Path, Planted, Path]) -> Iterator[str]:
    """`playbook versions --serve` on a free port; stopping the command stops mike's server."""
    root, _, _ = published
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "generators", "--root", str(root), "versions", "--serve",
                               "-a", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    deadline = time.monotonic() + 30
    while True:
        try:
            fetch(f"http://127.0.0.1:{port}/versions.json")
            break
        except OSError:
            assert time.monotonic() < deadline, "mike serve did not start"
            time.sleep(0.25)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=20)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_versions_serve_serves_every_published_version(served: str) -> None:
    assert [v["version"] for v in json.loads(fetch(f"{served}/versions.json"))] == ["1.1", "1.0"]
    assert b"Playbook version 1.0" in fetch(f"{served}/1.0/")
    assert b"Playbook version 1.1" in fetch(f"{served}/latest/")


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_context().new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    return page, errors


def test_an_older_version_shows_the_banner_and_the_selector(served: str, browser: Browser,
                                                             published: tuple[Path, Planted, Path]) -> None:
    _, planted, _ = published
    path = f"playbook/tools/{planted.tool.stem}/"
    page, errors = open_page(browser, f"{served}/1.0/{path}")
    banner = page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible", timeout=15_000)
    assert page.locator(".md-version__current").inner_text() == "1.0"
    assert page.locator(".md-version__link").all_inner_texts() == ["1.1 (planted)latest", "1.0"]
    banner.get_by_role("link").click()
    page.wait_for_url(f"{served}/latest/{path}")
    assert page.locator(".md-version__current").inner_text() == "1.1 (planted)latest"
    assert page.locator("[data-md-component=outdated]").is_hidden()
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("command", ["diff", "publish", "versions"])
def test_release_commands_have_help(command: str) -> None:
    result = subprocess.run([sys.executable, "-m", "generators", command, "--help"], capture_output=True, text=True, env=ENV)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: playbook {command}")


def test_published_site_carries_release_notes_entry_history_and_catalog_metadata(
        published: tuple[Path, Planted, Path]) -> None:
    root, planted, _ = published
    notes = page(root, "1.1/playbook/changes/index.html")
    assert "ring: trial → adopt" in notes
    adr = page(root, f"1.1/playbook/adrs/{planted.adr.stem}/index.html")
    assert 'id="history"' in adr and "status: proposed → accepted" in adr
    assert json.loads(page(root, "1.1/playbook/catalog.json"))["playbook"] == {"version": "1.1", "commit": planted.planted}
    assert json.loads(page(root, "1.0/playbook/catalog.json"))["playbook"]["version"] == "1.0"
