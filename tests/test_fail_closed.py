"""Failing closed: nothing from outside the repository reaches the site, one run at a time per checkout,
sources are never destroyed, every interruption is repaired by the next run, and a failure of the
machine is one clear line.

Interruptions are simulated in a forked child that kills itself (SIGKILL, as `kill -9` does) or is
interrupted (Ctrl-C) at the N-th file it writes, so every point of a run can be reached deterministically.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, bare_project, copy_project

from generators.cli import release
from generators.cli.main import main
from generators.config import read_config
from generators.load import sources
from generators.load.pages import leaks_in_site
from generators.load.visibility import load_visibility
from generators.publish.site_folder import MARK
from generators.write import writer
from generators.write.lock import SCRATCH, checkout_lock

MINIMAL = Path(__file__).parent / "fixtures" / "minimal" / "catalog"
SECRET = "CI_TOKEN=ghp_planted0123456789secret"


def run(root: Path, *argv: str) -> int:
    return main(["--root", str(root), *argv])


def cli(root: Path, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own (a hang becomes a failed test, not a stuck suite)."""
    return subprocess.run([sys.executable, "-m", "generators", "--root", str(root), *argv], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def every_byte(folder: Path) -> bytes:
    return b"".join(files(folder).values()) if folder.exists() else b""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The site configuration and hand-written pages with the minimal catalog: quick to generate and build."""
    return copy_project(tmp_path / "project", MINIMAL)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project holding what a build machine must never publish."""
    path = tmp_path / "outside" / "environ"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


# -- 1. nothing from outside the repository ----------------------------------------------------------------------


@pytest.mark.parametrize("link", ["docs/environ.md", "docs/assets/environ.txt", "overrides/partials/environ.html",
                                  "hooks/environ.py", "catalog/tools/environ.yaml", "docs/outside"])
def test_a_symbolic_link_in_a_folder_the_build_reads_is_refused_by_name(
        small: Path, secret: Path, link: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = small / link
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(secret.parent if link == "docs/outside" else secret)
    assert run(small, "build", "--audience", "public") == 1
    err = capsys.readouterr().err
    assert f"{link}:1:1: error: is a symbolic link to {secret.parent if link == 'docs/outside' else secret}" in err
    assert SECRET.encode() not in every_byte(small / "site")
    assert SECRET.encode() not in every_byte(small / "docs" / "playbook")
    assert run(small, "check") == 1
    assert f"{link}:1:1: error: is a symbolic link" in capsys.readouterr().out


def test_a_link_added_after_a_generate_still_stops_the_build(small: Path, secret: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(small, "generate") == 0
    (small / "docs" / "environ.md").symlink_to(secret)
    assert run(small, "build") == 1  # nothing in the catalog changed: the generation shortcut must not skip the check
    assert "docs/environ.md:1:1: error: is a symbolic link" in capsys.readouterr().err
    assert SECRET.encode() not in every_byte(small / "site")


def test_a_fifo_in_the_catalog_is_reported_instead_of_hanging_check(small: Path) -> None:
    os.mkfifo(small / "catalog" / "tools" / "pipe.yaml")
    os.mkfifo(small / "docs" / "pipe.md")
    done = cli(small, "check", timeout=60)
    assert done.returncode == 1
    assert "catalog/tools/pipe.yaml:1:1: error: is a FIFO; the catalog holds only plain files and folders" in done.stdout
    assert "docs/pipe.md:1:1: error: is a FIFO; the build reads only plain files and folders" in done.stdout


def test_a_kind_folder_that_is_a_link_is_an_error_not_an_empty_kind(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    threats = small / "catalog" / "threats"
    threats.rename(small / "threats-elsewhere")
    threats.symlink_to(small / "threats-elsewhere", target_is_directory=True)
    assert run(small, "check") == 1
    out = capsys.readouterr().out
    assert f"catalog/threats:1:1: error: is a symbolic link to {small / 'threats-elsewhere'}" in out


def test_a_catalog_file_swapped_for_a_link_after_discovery_is_not_read(tmp_path: Path, secret: Path) -> None:
    path = tmp_path / "entry.yaml"
    path.symlink_to(secret)
    with pytest.raises(sources.SourceError, match="is a symbolic link"):
        sources.read_source(path, 1000)


# -- 3. one run at a time -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["generate"], ["build"], ["serve", "-a", "127.0.0.1:1"]])
def test_a_second_run_in_the_same_checkout_is_refused_naming_the_first(
        small: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with checkout_lock(small / ".playbook-cache", "serve"):
        assert run(small, *command, "--audience", "public") == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"error: playbook serve (process {os.getpid()}) is using {small} (generated pages and cache); "
        "wait for it to finish or stop it, then run this again")
    assert not (small / "docs" / "playbook").exists()


def test_a_killed_holder_leaves_the_checkout_free(small: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from generators.write.lock import checkout_lock\n"
                               "with checkout_lock(Path(sys.argv[1]), 'generate'):\n"
                               "    print('held', flush=True); time.sleep(60)", str(small / ".playbook-cache")],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert cli(small, "generate").returncode == 1
    holder.kill()
    holder.wait()
    assert cli(small, "generate").returncode == 0


def test_the_generated_folder_records_its_edition_and_the_shortcut_respects_it(small: Path) -> None:
    def edition() -> str:
        return json.loads((small / "docs" / "playbook" / writer.MANIFEST).read_text())["edition"]

    for audience in ("internal", "public", "internal"):  # the last would be skipped if only its own inputs counted
        assert run(small, "generate", "--audience", audience) == 0
        assert edition() == audience
    assert b"sample-adr" in every_byte(small / "docs" / "playbook")  # ADRs are internal in this playbook


# -- 4. sources are never destroyed ------------------------------------------------------------------------------


@pytest.mark.parametrize("site", ["catalog", "overrides", "hooks", "docs", "docs/site", ".", "..", "catalog/tools"])
def test_a_site_folder_that_is_inside_or_holds_a_source_folder_is_refused(
        small: Path, site: str, capsys: pytest.CaptureFixture[str]) -> None:
    (small / "catalog" / "draft.yaml").write_text("an uncommitted draft\n", encoding="utf-8")
    before = files(small)
    assert run(small, "build", "--site-dir", str(small / site)) == 2
    assert capsys.readouterr().err.startswith(f"error: refusing to build into {(small / site).resolve()}: ")
    assert files(small) == before


def test_a_site_folder_holding_files_it_did_not_build_is_refused(small: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "plan.txt").write_text("keep me\n", encoding="utf-8")
    assert run(small, "build", "--site-dir", str(folder)) == 2
    assert "it holds files and is not a site built here" in capsys.readouterr().err
    assert files(folder) == {"plan.txt": b"keep me\n"}


def test_site_dir_of_mkdocs_yml_is_held_to_the_same_rule(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = small / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: catalog"), encoding="utf-8")
    before = files(small / "catalog")
    assert run(small, "build") == 1
    assert "refusing to build into" in capsys.readouterr().err
    assert files(small / "catalog") == before


# -- 5. every interruption is recoverable ------------------------------------------------------------------------


def interrupted(root: Path, argv: list[str], at: int, how: Callable[[], None], point: str = "_atomic_write") -> int:
    """Run the command in a forked child that calls `how` at the `at`-th write (or rename); the child's exit status."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            owner, name = (writer, "_atomic_write") if point == "_atomic_write" else (os, "replace")
            original = getattr(owner, name)
            calls = 0

            def dying(*args: object) -> object:
                nonlocal calls
                calls += 1
                if calls == at:
                    how()
                return original(*args)

            setattr(owner, name, dying)
            code = main(["--root", str(root), *argv])
        finally:
            os._exit(code if "code" in locals() else 99)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def ctrl_c() -> None:
    raise KeyboardInterrupt


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The generated folder of a cold generate: of the minimal catalog, and of it with one more entry."""
    out = {}
    for name, extra in (("first", False), ("added", True)):
        root = copy_project(tmp_path_factory.mktemp(name) / "project", MINIMAL)
        if extra:
            add_entry(root)
        assert main(["--root", str(root), "generate"]) == 0
        out[name] = files(root / "docs" / "playbook")
    return out


def add_entry(root: Path) -> None:
    source = (root / "catalog" / "standards" / "sample-standard.yaml").read_text(encoding="utf-8")
    (root / "catalog" / "standards" / "second-standard.yaml").write_text(
        source.replace("id: sample-standard", "id: second-standard"), encoding="utf-8")


@pytest.mark.parametrize("point", ["_atomic_write", "replace"])
# The minimal catalog's first generate writes the manifest, 83 files and the manifest again: 85 writes. The child's
# exit status proves each point was reached (a run that ends before it exits 0).
@pytest.mark.parametrize("at", [1, 2, 3, 43, 84, 85])
@pytest.mark.parametrize("how", [kill, ctrl_c], ids=["kill -9", "ctrl-c"])
def test_an_interrupted_first_generate_is_finished_by_the_next(
        small: Path, cold: dict[str, dict[str, bytes]], at: int, how: Callable[[], None], point: str) -> None:
    status = interrupted(small, ["generate"], at, how, point)
    assert status == (-signal.SIGKILL if how is kill else 130)
    assert run(small, "generate") == 0
    assert files(small / "docs" / "playbook") == cold["first"]


@pytest.mark.parametrize("at", [1, 2, 3, 5])
@pytest.mark.parametrize("how", [kill, ctrl_c], ids=["kill -9", "ctrl-c"])
def test_an_interrupted_generate_adding_an_entry_is_finished_by_the_next(
        small: Path, cold: dict[str, dict[str, bytes]], at: int, how: Callable[[], None]) -> None:
    assert run(small, "generate") == 0
    add_entry(small)
    interrupted(small, ["generate"], at, how)
    assert run(small, "generate") == 0
    assert files(small / "docs" / "playbook") == cold["added"]


def test_an_interrupted_build_is_built_again_into_the_same_folder(project: Path) -> None:
    build = subprocess.Popen([sys.executable, "-m", "generators", "--root", str(project), "build"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert build.stderr is not None
    for line in build.stderr:
        if "Building documentation" in line:  # the engine has started writing the site
            break
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert (project / "site" / MARK).is_file()
    assert run(project, "build") == 0
    assert (project / "site" / "index.html").is_file() and (project / "site" / MARK).is_file()


def test_a_killed_parallel_build_leaves_nothing_the_next_run_does_not_sweep(small: Path) -> None:
    leftover = small / ".playbook-cache" / SCRATCH / "build-killed"
    leftover.mkdir(parents=True)
    (leftover / "pages-1.pickle").write_bytes(b"half a swap")
    assert run(small, "generate") == 0
    assert not leftover.exists()


# -- 10. failures of the machine are one clear error ---------------------------------------------------------------


def test_a_full_disk_is_one_line_and_the_previous_output_stays(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run(small, "generate") == 0
    before = files(small / "docs" / "playbook")
    add_entry(small)
    capsys.readouterr()

    real_mkstemp = writer.tempfile.mkstemp
    calls = 0

    def full(*args: object, **kwargs: object) -> tuple[int, str]:  # the disk fills up after the first new file
        nonlocal calls
        calls += 1
        if calls > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(writer.tempfile, "mkstemp", full)
    assert run(small, "generate") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        f"error: writing {small / 'docs' / 'playbook'} failed (No space left on device); the previous output was restored")
    assert files(small / "docs" / "playbook") == before


def test_a_read_only_cache_is_one_line(small: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    real_mkdir = Path.mkdir

    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        if ".playbook-cache" in self.parts:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", read_only)
    assert run(small, "generate") == 1
    err = capsys.readouterr().err
    assert err.strip() == f"error: {small / '.playbook-cache'}: Read-only file system"


def test_an_unreadable_catalog_file_is_a_diagnostic(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    real_open = os.open

    def denied(path: object, *args: object) -> int:
        if str(path).endswith("sample-tool.yaml"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sources.os, "open", denied)
    assert run(small, "check") == 1
    out = capsys.readouterr().out
    assert "catalog/tools/sample-tool.yaml:1:1: error: the file cannot be read: Permission denied" in out
    assert "Traceback" not in out


def test_the_repository_holds_no_link_or_special_file() -> None:
    assert sources.source_problems(REPO) == []


# -- what a page's text, a committed link or a stray module could do to the build -----------------------------------


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """The minimal catalog with one plain hand-written page and no navigation: a site that builds in seconds."""
    return bare_project(tmp_path / "bare")


def page(root: Path, name: str, text: str) -> None:
    (root / "docs" / name).write_text(text, encoding="utf-8")


def test_a_page_s_macros_cannot_reach_python(bare: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    page(bare, "evil.md", "---\nrender_macros: true\n---\n# Evil\n\n"
         f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}; id').read() }}}}\n")
    done = cli(bare, "build")
    assert done.returncode == 1
    assert "SecurityError: access to attribute '__init__'" in done.stderr
    assert not marker.exists()
    assert b"uid=" not in every_byte(bare / "site")


def test_a_page_cannot_include_a_page_its_edition_leaves_out(bare: Path) -> None:
    page(bare, "secret.md", "---\nvisibility: restricted\n---\n# Secret\n\nRESTRICTED-TEXT-42\n")
    page(bare, "pub.md", '---\nrender_macros: true\n---\n# Public\n\n{% include "secret.md" %}\n')
    public = cli(bare, "build", "--audience", "public")
    assert public.returncode == 1 and "TemplateNotFound: secret.md" in public.stderr
    assert b"RESTRICTED-TEXT-42" not in every_byte(bare / "site")
    assert cli(bare, "build", "--audience", "security").returncode == 0
    assert b"RESTRICTED-TEXT-42" in (bare / "site" / "pub" / "index.html").read_bytes()


def test_a_module_committed_beside_the_site_config_never_stands_in_for_a_library(bare: Path, tmp_path: Path) -> None:
    marker = tmp_path / "shadowed"
    (bare / "markdown.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit(3)\n", encoding="utf-8")
    assert cli(bare, "build").returncode == 0
    assert not marker.exists()


def test_a_macros_main_module_is_refused(bare: Path) -> None:
    (bare / "main.py").write_text("def define_env(env):\n    pass\n", encoding="utf-8")
    done = cli(bare, "check")
    assert done.returncode == 1
    assert "main.py:1:1: error: mkdocs-macros would run this module on every build" in done.stdout


def test_a_committed_site_link_does_not_send_the_build_elsewhere(bare: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "autostart"
    (bare / "site").symlink_to(elsewhere, target_is_directory=True)
    done = cli(bare, "build")
    assert done.returncode == 1
    assert f"{bare / 'site'} is a symbolic link inside the project" in done.stderr
    assert not elsewhere.exists()


def test_a_cache_link_is_refused_before_anything_is_written_or_deleted(bare: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    (victim / "tmp").mkdir(parents=True)
    (victim / "tmp" / "keep").write_text("keep me\n", encoding="utf-8")
    (bare / ".playbook-cache").symlink_to(victim, target_is_directory=True)
    for command in (["generate"], ["diagram", "sample-architecture"]):
        done = cli(bare, *command)
        assert done.returncode == 1
        assert f"error: {bare / '.playbook-cache'} is a symbolic link" in done.stderr
    assert files(victim) == {"tmp/keep": b"keep me\n"}


def test_serve_does_not_start_on_a_link_added_after_a_generate(bare: Path, secret: Path) -> None:
    assert cli(bare, "generate").returncode == 0
    (bare / "docs" / "leak.txt").symlink_to(secret)
    done = cli(bare, "serve", "-a", "127.0.0.1:1")
    assert done.returncode == 1
    assert "docs/leak.txt:1:1: error: is a symbolic link" in done.stderr


def test_the_benchmark_results_quoted_on_the_site_are_not_read_through_a_link(bare: Path, secret: Path) -> None:
    (bare / "benchmarks").mkdir()
    (bare / "benchmarks" / "results.md").symlink_to(secret)
    done = cli(bare, "check")
    assert done.returncode == 1
    assert "benchmarks/results.md:1:1: error: is a symbolic link" in done.stdout


def committed(root: Path) -> Path:
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root


@pytest.mark.parametrize("how", [kill, ctrl_c], ids=["kill -9", "ctrl-c"])
def test_an_interrupted_publish_is_published_by_the_next(bare: Path, how: Callable[[], None]) -> None:
    committed(bare)
    assert interrupted(bare, ["publish", "1.0"], 5, how) != 0
    assert run(bare, "publish", "1.0") == 0
    listing = subprocess.run(["git", "-C", str(bare), "ls-tree", "--name-only", "gh-pages"], capture_output=True,
                             text=True, check=True).stdout.split()
    assert "1.0" in listing and "versions.json" in listing


def test_publish_withdraws_a_site_that_holds_what_its_edition_leaves_out(
        bare: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    committed(bare)
    monkeypatch.setattr(release, "leaks_in_site", lambda *_: ["secret/index.html"])
    assert run(bare, "publish", "1.0") == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "error: the internal site holds what its edition leaves out: secret/index.html; "
        "nothing was published and gh-pages is as it was")
    branches = subprocess.run(["git", "-C", str(bare), "branch", "--list", "gh-pages"], capture_output=True, text=True)
    assert branches.stdout == ""


def test_every_engine_s_search_index_is_read_and_an_unreadable_one_is_a_finding(bare: Path, tmp_path: Path) -> None:
    page(bare, "secret.md", "---\nvisibility: restricted\n---\n# Secret\n")
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search.json").write_text(json.dumps({"items": [{"location": "secret/#top", "title": "Secret"},
                                                            {"location": "", "title": "Home"}]}), encoding="utf-8")
    (site / "search" / "search_index.json").write_text('{"docs": [', encoding="utf-8")
    visibility = load_visibility(read_config(bare))
    assert leaks_in_site(bare, visibility, visibility.audience("public"), site) == [
        "search/search_index.json: cannot be read, so it cannot be shown to hold nothing left out",
        "search.json: secret/#top"]


def test_every_page_pagefind_indexed_is_read_and_an_unreadable_record_is_a_finding(bare: Path, tmp_path: Path) -> None:
    page(bare, "secret.md", "---\nvisibility: restricted\n---\n# Secret\n")
    fragments = tmp_path / "site" / "pagefind" / "fragment"
    fragments.mkdir(parents=True)
    record = lambda url: gzip.compress(b"pagefind_dcd" + json.dumps({"url": url, "content": "x"}).encode())  # noqa: E731
    (fragments / "en_1.pf_fragment").write_bytes(record("/secret/"))
    (fragments / "en_2.pf_fragment").write_bytes(record("/"))
    (fragments / "en_3.pf_fragment").write_bytes(b"\x1f\x8b damaged")
    visibility = load_visibility(read_config(bare))
    assert leaks_in_site(bare, visibility, visibility.audience("public"), tmp_path / "site") == [
        "pagefind/fragment/en_1.pf_fragment: /secret/",
        "pagefind/fragment/en_3.pf_fragment: cannot be read, so it cannot be shown to hold nothing left out"]
