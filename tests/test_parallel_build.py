"""The parallel site build: the same site byte for byte as a serial build, and a worker's warnings
and errors fail the build as the main process's own do."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import site_files
from generators.cli.main import main
from generators.forked import JOBS_ENV
from generators.project import SITE_CACHE_ENV
from generators.site.parallel_build import FALLBACK

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out

# every page converted and rendered by the processes under test, none taken from an earlier build's page cache
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", SITE_CACHE_ENV: "off"}


def mkdocs(root: Path, jobs: str, site: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in `root`; `prelude` is Python run before MkDocs starts, in the same process."""
    temp = root / "tmp"  # where a build keeps the pages its processes swap
    temp.mkdir(exist_ok=True)
    start = ["-c", f"{prelude}\nfrom mkdocs.__main__ import cli\ncli()"] if prelude else ["-m", "mkdocs"]
    result = subprocess.run([sys.executable, *start, "build", "--strict", "-d", site], cwd=root,
                            env={**ENV, JOBS_ENV: jobs, "TMPDIR": str(temp)}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=600)
    assert list(temp.iterdir()) == [], "a build left its swap folder behind"
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, make_project) -> Path:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path_factory.mktemp("parallel"))
    assert main(["--root", str(root), "generate"]) == 0
    return root


@pytest.fixture(scope="module")
def serial(generated: Path) -> dict[str, bytes]:
    """The site one process builds: every file's bytes by its path."""
    result = mkdocs(generated, "1", "serial")
    assert result.returncode == 0, result.stdout
    assert FALLBACK not in result.stdout  # one process asked for: nothing to fall back from
    return site_files(generated / "serial")


def test_two_and_three_processes_write_the_serial_site_byte_for_byte(generated: Path, serial: dict[str, bytes]) -> None:
    expected = serial
    assert len(expected) > 400 and expected["pagefind records"].count(b"pagefind_dcd") > 150
    for jobs in ("2", "3"):
        result = mkdocs(generated, jobs, f"jobs-{jobs}")
        assert result.returncode == 0, result.stdout
        assert FALLBACK not in result.stdout  # the versions pyproject.toml pins: built in parallel
        built = site_files(generated / f"jobs-{jobs}")
        assert sorted(built) == sorted(expected)
        assert [name for name in expected if built[name] != expected[name]] == []


#: What a later MkDocs or Material could change, done in the build's own process before MkDocs starts, each with
#: the difference the build names. Each change keeps the serial build working, as a release would.
CHANGES = {
    "a page loop renamed": ("""
import inspect, textwrap
import mkdocs.commands.build as b
b._read_page = b._populate_page
del b._populate_page
exec("from __future__ import annotations\\n" + textwrap.dedent(inspect.getsource(b.build)).replace("_populate_page", "_read_page"),
     b.__dict__)
""", "mkdocs.commands.build._populate_page is missing"),
    "a page loop given a new parameter": ("""
import mkdocs.commands.build as b
original = b._build_page
def _build_page(page, config, doc_files, nav, env, dirty=False, excluded=False, *, theme=None):
    original(page, config, doc_files, nav, env, dirty, excluded)
b._build_page = _build_page
""", "mkdocs.commands.build._build_page takes (page, config, doc_files, nav, env, dirty, excluded, theme), "
     "not (page, config, doc_files, nav, env, dirty, excluded)"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_mkdocs_is_built_on_one_core_with_one_line_saying_why(generated: Path, serial: dict[str, bytes],
                                                                          change: str) -> None:
    prelude, difference = CHANGES[change]
    site = "changed-" + change.replace(" ", "-")
    result = mkdocs(generated, "2", site, prelude)
    assert result.returncode == 0, result.stdout
    assert [line for line in result.stdout.splitlines() if "parallel build" in line] == [
        f"INFO    -  {FALLBACK}{difference}"]
    built = site_files(generated / site)
    assert sorted(built) == sorted(serial)
    assert [name for name in serial if built[name] != serial[name]] == []


def test_a_site_listing_material_s_search_plugin_is_built_on_one_core(generated: Path) -> None:
    """Its index would hold only the main process's pages: the build says so and builds the whole site serially."""
    config = generated / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("plugins:\n  - tags\n", "plugins:\n  - search\n  - tags\n"), encoding="utf-8")
    try:
        result = mkdocs(generated, "2", "with-lunr")
    finally:
        config.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.stdout
    assert [line for line in result.stdout.splitlines() if "parallel build" in line] == [
        f"INFO    -  {FALLBACK}the search plugin (material.plugins.search.plugin) would index only one process's pages"]
    index = json.loads((generated / "with-lunr" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len({doc["location"].split("#")[0] for doc in index["docs"]}) > 150


def test_a_warning_in_any_process_fails_the_strict_build_once(generated: Path) -> None:
    pages = [generated / "docs" / f"zz-{n}.md" for n in range(3)]  # neighbours: each process gets one
    for n, page in enumerate(pages):
        page.write_text(f"# Broken {n}\n\nSee [nowhere](missing-{n}.md).\n", encoding="utf-8")
    # a warning raised while every process reads every page (not while one converts it)
    (generated / "docs" / "zz-tags.md").write_text("# Tags\n\n<!-- material/tags { bogus: 1 } -->\n", encoding="utf-8")
    try:
        serial, result = mkdocs(generated, "1", "warned-1"), mkdocs(generated, "2", "warned")
    finally:
        for page in [*pages, generated / "docs" / "zz-tags.md"]:
            page.unlink()
    assert result.returncode != 0
    counted = re.search(r"Aborted with (\d+) warnings in strict mode", serial.stdout)
    assert counted and int(counted.group(1)) >= 4, serial.stdout
    assert f"Aborted with {counted.group(1)} warnings in strict mode" in result.stdout
    for n in range(3):
        assert result.stdout.count(f"'missing-{n}.md'") == 1, result.stdout


@pytest.mark.parametrize("failing", [0, 1])
def test_an_error_on_either_side_stops_the_build(generated: Path, failing: int) -> None:
    pages = [generated / "docs" / f"zz-{n}.md" for n in range(2)]  # neighbours: one page on each process
    for n, page in enumerate(pages):
        meta = "template: no-such-template.html" if n == failing else "title: Fine"  # fails in the theme loop
        page.write_text(f"---\n{meta}\n---\n# Page {n}\n\nText.\n", encoding="utf-8")
    try:
        result = mkdocs(generated, "2", f"failed-{failing}")
    finally:
        for page in pages:
            page.unlink()
    assert result.returncode != 0
    assert f"Error building page 'zz-{failing}.md'" in result.stdout
    assert "Documentation built" not in result.stdout


def test_a_bad_process_count_is_explained(generated: Path) -> None:
    result = mkdocs(generated, "many", "bad")
    assert result.returncode != 0
    assert f"{JOBS_ENV}='many'" in result.stdout


def test_build_takes_the_number_of_processes(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(generated), "build", "--jobs", "0"]) == 2
    assert capsys.readouterr().err == "error: --jobs: give a whole number of processes, 1 or more (1 works in one process)\n"
    assert main(["--root", str(generated), "build", "--jobs", "2", "--site-dir", str(generated / "cli")]) == 0
    assert (generated / "cli" / "playbook" / "adrs" / "index.html").is_file()
