"""The parsed catalog kept between runs (.playbook-cache/parsed.pickle): a run that starts from it reports what a
run without it reports, sees every change, and a damaged or foreign cache is ignored."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from conftest import copy_project

from generators.cli.main import main
from generators.diagnostics import Diagnostic
from generators.load.entries import ParseCache
from generators.project import CACHE_DIR, PARSED_FILE
from generators.write.fingerprint import code_stamp


@pytest.fixture
def project(project: Path) -> Path:
    """The bundled project with a cache folder, as generate or build leave it."""
    (project / CACHE_DIR).mkdir()
    return project


def checked(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_run_from_the_kept_parses_reports_what_a_fresh_run_does(project: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    kept = project / CACHE_DIR / PARSED_FILE
    fresh = checked(project, capsys)
    assert kept.is_file()
    assert checked(project, capsys) == fresh
    stored = ParseCache.stored(kept)
    assert len(stored._files) == len(list((project / "catalog").rglob("*.yaml"))) - len(
        list((project / "catalog" / "schemas").rglob("*.yaml")))


def test_a_changed_file_is_parsed_again(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert checked(project, capsys)[0] == 0
    path = project / "catalog/standards/dataset-cards.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nsummary: ", "\nsummary: [unclosed\n", 1), encoding="utf-8")
    code, output = checked(project, capsys)
    assert code == 1 and "catalog/standards/dataset-cards.yaml" in output


def test_a_run_that_loads_nothing_leaves_the_kept_parses(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checked(project, capsys)
    kept = project / CACHE_DIR / PARSED_FILE
    before = kept.read_bytes()
    ParseCache.stored(kept).keep(kept)  # a build whose generation found nothing changed loads no file
    assert kept.read_bytes() == before


@pytest.mark.parametrize("written", [b"not a pickle at all", pickle.dumps(("another code", {}, {}))])
def test_a_damaged_or_foreign_cache_is_ignored(project: Path, capsys: pytest.CaptureFixture[str],
                                               written: bytes) -> None:
    fresh = checked(project, capsys)
    kept = project / CACHE_DIR / PARSED_FILE
    kept.write_bytes(written)
    assert checked(project, capsys) == fresh


def test_parses_of_other_code_are_not_used(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cache made by other code (another stamp) holding a planted problem for a real file: never reported."""
    fresh = checked(project, capsys)
    kept = project / CACHE_DIR / PARSED_FILE
    stamp, files, prose = pickle.loads(kept.read_bytes())
    assert stamp == code_stamp()
    planted = Diagnostic("catalog/standards/dataset-cards.yaml", 1, 1, "error", "planted by another version")
    files = {key: (digest, (None, None, [planted])) for key, (digest, _) in files.items()}
    kept.write_bytes(pickle.dumps(("another code", files, prose)))
    assert checked(project, capsys) == fresh
    kept.write_bytes(pickle.dumps((stamp, files, prose)))  # the same stamp: the kept parse is what the run uses
    assert "planted by another version" in checked(project, capsys)[1]


def test_check_writes_nothing_into_a_project_without_a_cache_folder(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "bare")
    assert checked(root, capsys)[0] == 0
    assert not (root / CACHE_DIR).exists()
