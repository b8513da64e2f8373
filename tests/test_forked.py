"""Work shared between forked processes: results in order, failures reported, and generation on several
processes writing exactly what one process writes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO

from generators.cli.main import main
from generators.forked import JOBS_ENV, jobs, jobs_setting, run_forked, shares

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def fresh(code: str) -> str:
    """Run code in a new interpreter (one thread, as the command line starts) and return what it printed."""
    result = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_results_come_back_in_order_from_each_process() -> None:
    out = fresh("import os\nfrom generators.forked import run_forked\n"
                "pids = run_forked([os.getpid, os.getpid, os.getpid])\n"
                "print(pids[0] == os.getpid(), len(set(pids)))\n"
                "print(run_forked([lambda: [1, 2], lambda: {'a': 'b'}, lambda: 'c']))")
    assert out.splitlines() == ["True 3", "[[1, 2], {'a': 'b'}, 'c']"]


def test_a_failing_worker_is_reported_with_its_traceback() -> None:
    out = fresh("from generators.forked import run_forked\n"
                "def broken():\n    raise KeyError('missing-entry')\n"
                "try:\n    run_forked([lambda: 1, broken])\nexcept RuntimeError as exc:\n    print(exc)")
    assert "a forked worker failed" in out and "KeyError: 'missing-entry'" in out and "in broken" in out


def test_with_other_threads_running_the_work_stays_in_this_process() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert run_forked([os.getpid, os.getpid]) == [os.getpid(), os.getpid()]
    finally:
        stop.set()
        other.join()


def test_shares_deal_every_item_once() -> None:
    parts = shares(list(range(10)), 3)
    assert parts == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]


def test_the_setting_decides_and_a_bad_one_is_explained() -> None:
    assert jobs(10, 1000, jobs_setting("3")) == 3
    assert jobs(2, 1000, 3) == 2  # never more processes than pieces of work
    assert jobs(1, 1000, jobs_setting("")) == 1
    with pytest.raises(ValueError, match="whole number of processes"):
        jobs_setting("-2")


def test_the_environment_is_read_where_the_command_starts(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(JOBS_ENV, "none")
    assert main(["check"]) == 2
    assert capsys.readouterr().err == f"error: {JOBS_ENV}='none': give a whole number of processes, 1 or more (1 works in one process)\n"


COUNT_FORKS = """
import os, sys
from pathlib import Path
import generators.forked as forked
forks = []
real = os.fork
def counted():
    pid = real()
    if pid:
        forks.append(pid)
    return pid
forked.os.fork = counted
from generators.cli.main import main
code = main(["--root", sys.argv[1], "generate"])
print("forks", len(forks))
sys.exit(code)
"""


def generate(root: Path, processes: str) -> str:
    result = subprocess.run([sys.executable, "-c", COUNT_FORKS, str(root)], env={**ENV, JOBS_ENV: processes},
                            capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generation_on_three_processes_writes_what_one_process_writes(tmp_path: Path, make_project) -> None:  # type: ignore[no-untyped-def]
    one, three = make_project(tmp_path / "one"), make_project(tmp_path / "three")
    assert "forks 0" in generate(one, "1")
    assert "forks 4" in generate(three, "3")  # prose parsed on three processes, then pages rendered on three
    expected = tree(one / "docs" / "playbook")
    built = tree(three / "docs" / "playbook")
    assert sorted(built) == sorted(expected) and len(expected) > 400
    assert [name for name in expected if built[name] != expected[name]] == []
