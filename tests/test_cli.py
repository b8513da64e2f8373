"""The `playbook` command: exit codes, output formats, and the skeletons `new` writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generators.cli.main import main
from generators.models import KINDS
from generators.write.writer import MANIFEST

CASES = Path(__file__).parent / "cases" / "check"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    shutil.copytree(CASES / "many-mistakes" / "catalog", tmp_path / "catalog")
    return tmp_path


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL / "catalog", tmp_path / "catalog")
    return tmp_path


def test_check_exits_0_on_a_clean_catalog(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(minimal), "--today", "2026-11-25", "check"]) == 0
    printed = capsys.readouterr()
    assert printed.out.strip() == "0 errors, 0 warnings" and printed.err == ""  # the report is the output, on stdout


def test_check_exits_1_and_prints_every_error(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(broken), "--today", "2026-11-25", "check"]) == 1
    out = capsys.readouterr().out
    assert out == (CASES / "many-mistakes" / "expected.txt").read_text()


def test_check_json_format(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(broken), "--today", "2026-11-25", "check", "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"] == len(payload["diagnostics"]) > 10
    first = payload["diagnostics"][0]
    assert set(first) == {"file", "line", "column", "severity", "message", "path", "hint", "code"}
    level = next(d for d in payload["diagnostics"] if d["path"] == "rules[0].level")
    assert level == {
        "file": "catalog/standards/sample-standard.yaml", "line": 15, "column": 12, "severity": "error",
        "message": "'mandatory' is not one of must, should, may", "path": "rules[0].level", "hint": "",
        "code": "not-allowed",
    }


def test_check_github_format_prints_annotations(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(broken), "--today", "2026-11-25", "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        "::error file=catalog/standards/sample-standard.yaml,line=22,col=12,title=not-allowed::"
        "rules[1].level: 'shuold' is not one of must, should, may%0Ahint: did you mean 'should'?"
    ) in lines
    assert all(line.startswith("::error ") for line in lines[:-1])


def test_usage_errors_exit_2() -> None:
    result = subprocess.run([sys.executable, "-m", "generators", "check", "--format", "xml"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr


@pytest.mark.parametrize("command", ["check", "generate", "build", "serve", "new", "schemas"])
def test_every_command_has_help(command: str) -> None:
    result = subprocess.run([sys.executable, "-m", "generators", command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: playbook {command}")


def test_generate_writes_nothing_when_the_catalog_has_errors(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(broken), "generate"]) == 1
    assert not (broken / "docs").exists()
    assert "nothing generated: fix the errors above first" in capsys.readouterr().err


def test_generate_reports_what_it_wrote(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(minimal), "generate"]) == 0
    out = minimal / "docs" / "playbook"
    files = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST]  # the facts file counts
    assert len(files) > len(list((minimal / "catalog").glob("*/*.yaml"))) + len(KINDS)  # entries, indexes, home, diagrams
    drawings = 4  # the four views of the one architecture diagram; relation graphs are written, not drawn
    graphs = [p for p in files if p.name.endswith(".relations.svg")]
    assert len(graphs) == len(list((minimal / "catalog").glob("*/*.yaml")))  # one per entry
    first = capsys.readouterr().err
    assert f"generated docs/playbook: {len(files)} written, 0 removed, 0 unchanged; diagrams: {drawings} drawn, 0 cached" in first
    assert main(["--root", str(minimal), "generate"]) == 0
    again = capsys.readouterr().err
    # nothing it reads changed: nothing is loaded, drawn or written
    assert f"generated docs/playbook: 0 written, 0 removed, {len(files)} unchanged (internal edition, " in again


@pytest.mark.parametrize("model", [m for m in KINDS if m.kind != "exception"], ids=lambda m: m.kind)
def test_new_writes_a_skeleton_that_passes_check(model: type, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "new", "team", "architecture"]) == 0  # the default owner
    assert main(["--root", str(tmp_path), "new", model.kind, "my-entry", "--title", "Title: with # signs"]) == 0
    path = tmp_path / "catalog" / model.folder / "my-entry.yaml"
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"catalog/{model.folder}/my-entry.yaml"
    assert path.read_text().startswith(f"# yaml-language-server: $schema=../schemas/{model.kind}.schema.json\nid: my-entry\n")
    assert main(["--root", str(tmp_path), "check"]) == 0


def test_new_exception_names_what_to_fill_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--root", str(tmp_path), "new", "team", "architecture"])
    assert main(["--root", str(tmp_path), "new", "exception", "my-exception"]) == 0
    assert main(["--root", str(tmp_path), "check"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[1] for line in errors] == [
        "standard: no standard has the id 'standard-id'",
        "initiative: no initiative has the id 'initiative-id'",
        "adr: no ADR has the id 'adr-id'",
    ]


def test_new_never_overwrites(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = minimal / "catalog" / "tools" / "sample-tool.yaml"
    before = path.read_bytes()
    assert main(["--root", str(minimal), "new", "tool", "sample-tool"]) == 1
    assert path.read_bytes() == before
    assert "already exists" in capsys.readouterr().err


def test_new_refuses_an_id_that_is_not_a_slug(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "new", "tool", "../escape"]) == 2
    assert not (tmp_path / "catalog").exists()
    assert "is not a valid id" in capsys.readouterr().err
