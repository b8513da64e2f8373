"""The output folder: the generator writes only there, only what changed, and never someone else's file.

Most tests call `write_pages` on a temporary folder; the last ones go through
`generate` on a copy of the bundled project.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

import generators.write.writer as writer
from generators.diagnostics import format_text
from generators.pipeline import check, generate
from generators.project import Project
from generators.write.writer import MANIFEST, WriteError, WriteResult, write_pages

PAGES = {
    "index.md": "# Home\n",
    "tools/index.md": "# Tools\n",
    "tools/kong.md": "# Kong\n",
}

#: The pages after an edit: one changed, one added, one removed (tools/index.md), one unchanged (index.md).
NEXT_PAGES = {
    "index.md": "# Home\n",
    "tools/kong.md": "# Kong, edited\n",
    "tools/vault.md": "# Vault\n",
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones and symbolic links included) by relative path."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every file, which change whenever a file is rewritten."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_files(out: Path) -> list[str]:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]


def bump_clock(folder: Path) -> None:
    """Move every mtime into the past, so a rewrite shows even on a coarse file system clock."""
    for path in folder.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000), follow_symlinks=False)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder that already holds PAGES, written by the generator."""
    folder = tmp_path / "out"
    write_pages(folder, PAGES)
    return folder


# -- writing -------------------------------------------------------------------------------------------------


def test_first_run_writes_every_page_and_a_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    result = write_pages(folder, PAGES)
    assert sorted(result.written) == sorted(PAGES)
    assert snapshot(folder) == {**{n: t.encode() for n, t in PAGES.items()}, MANIFEST: (folder / MANIFEST).read_bytes()}
    assert manifest_files(folder) == sorted(PAGES)


def test_second_run_with_the_same_pages_writes_nothing(out: Path) -> None:
    result = write_pages(out, PAGES)
    assert (result.written, result.removed, result.unchanged) == ([], [], len(PAGES))


def test_second_run_with_the_same_pages_touches_no_file(out: Path) -> None:
    bump_clock(out)
    before = identities(out)
    write_pages(out, PAGES)
    assert identities(out) == before


def test_only_changed_and_new_pages_are_written(out: Path) -> None:
    bump_clock(out)
    before = identities(out)
    result = write_pages(out, NEXT_PAGES)
    assert sorted(result.written) == ["tools/kong.md", "tools/vault.md"]
    assert identities(out)["index.md"] == before["index.md"]
    assert snapshot(out)["tools/kong.md"] == b"# Kong, edited\n"


def test_pages_no_longer_generated_are_removed(out: Path) -> None:
    result = write_pages(out, NEXT_PAGES)
    assert result.removed == ["tools/index.md"]
    assert not (out / "tools" / "index.md").exists()
    assert manifest_files(out) == sorted(NEXT_PAGES)


def test_a_folder_left_empty_by_removals_is_removed(out: Path) -> None:
    write_pages(out, {"index.md": "# Home\n"})
    assert not (out / "tools").exists()


# -- page names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../escape.md", "tools/../../escape.md", "/tmp/playbook-escape.md",
                                  "tools\\..\\..\\escape.md", "", "tools/./kong.md", "tools//kong.md"])
def test_a_page_name_leaving_the_folder_is_refused(out: Path, name: str) -> None:
    before = snapshot(out.parent)
    with pytest.raises(WriteError):
        write_pages(out, {**PAGES, name: "# Escaped\n"})
    assert snapshot(out.parent) == before
    assert not Path("/tmp/playbook-escape.md").exists()


@pytest.mark.parametrize("listed", ["../victim.txt", "/absolute/victim.txt"])
def test_a_manifest_naming_a_file_outside_the_folder_is_refused(out: Path, listed: str) -> None:
    victim = out.parent / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    if listed.startswith("/"):
        listed = str(victim)
    (out / MANIFEST).write_text(json.dumps({"generator": "playbook", "files": [*PAGES, listed]}), encoding="utf-8")
    before = snapshot(out.parent)
    with pytest.raises(WriteError):
        write_pages(out, PAGES)
    assert snapshot(out.parent) == before


# -- symbolic links ----------------------------------------------------------------------------------------------


def test_an_output_folder_that_is_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    link = tmp_path / "out"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(WriteError):
        write_pages(link, PAGES)
    assert list(real.iterdir()) == []


def _outside(out: Path) -> Path:
    outside = out.parent / "outside"
    outside.mkdir()
    (outside / "kong.md").write_text("not the generator's\n", encoding="utf-8")
    (outside / "index.md").write_text("not the generator's either\n", encoding="utf-8")
    return outside


def test_a_symbolic_link_to_a_folder_outside_is_refused(out: Path) -> None:
    outside = _outside(out)
    shutil.rmtree(out / "tools")
    (out / "tools").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)
    assert snapshot(outside) == {"kong.md": b"not the generator's\n", "index.md": b"not the generator's either\n"}


def test_a_page_that_is_a_symbolic_link_to_a_file_outside_is_refused(out: Path) -> None:
    outside = _outside(out)
    (out / "tools" / "kong.md").unlink()
    (out / "tools" / "kong.md").symlink_to(outside / "kong.md")
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)
    assert (outside / "kong.md").read_bytes() == b"not the generator's\n"


def test_a_stale_page_that_is_a_symbolic_link_to_a_file_outside_is_not_deleted(out: Path) -> None:
    outside = _outside(out)
    (out / "tools" / "index.md").unlink()
    (out / "tools" / "index.md").symlink_to(outside / "index.md")
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)  # tools/index.md is no longer generated: the writer would delete it
    assert (outside / "index.md").read_bytes() == b"not the generator's either\n"


# -- files the generator did not write ---------------------------------------------------------------------------


def test_a_hand_written_file_survives_every_run(out: Path) -> None:
    notes = out / "tools" / "notes.md"
    notes.write_text("hand-written\n", encoding="utf-8")
    write_pages(out, NEXT_PAGES)
    write_pages(out, {"index.md": "# Home\n"})
    assert notes.read_text(encoding="utf-8") == "hand-written\n"


def test_a_hand_written_file_in_the_way_of_a_page_is_not_overwritten(out: Path) -> None:
    (out / "tools" / "vault.md").write_text("hand-written\n", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)
    assert snapshot(out) == before


def test_a_non_empty_folder_without_a_manifest_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "index.md").write_text("someone's home page\n", encoding="utf-8")
    with pytest.raises(WriteError):
        write_pages(folder, PAGES)
    assert snapshot(folder) == {"index.md": b"someone's home page\n"}


def test_an_empty_existing_folder_is_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    write_pages(folder, PAGES)
    assert manifest_files(folder) == sorted(PAGES)


# -- failures half-way --------------------------------------------------------------------------------------------


def fail_on_call(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, failing_call: int) -> None:
    """Make `owner.name` raise OSError on its `failing_call`-th call (1-based); other calls go through."""
    original = getattr(owner, name)
    calls = 0

    def flaky(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == failing_call:
            raise OSError(28, "No space left on device")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, flaky)


# NEXT_PAGES needs three writes (tools/kong.md, tools/vault.md, the manifest) and one removal.
@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_a_failed_write_puts_every_file_back(out: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int) -> None:
    before = snapshot(out)
    fail_on_call(monkeypatch, writer, "_atomic_write", failing_call)
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)
    assert snapshot(out) == before


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_a_failed_rename_puts_every_file_back(out: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int) -> None:
    before = snapshot(out)
    fail_on_call(monkeypatch, os, "replace", failing_call)
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)
    assert snapshot(out) == before


def test_a_failed_removal_puts_every_file_back(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(out)
    fail_on_call(monkeypatch, Path, "unlink", 1)
    with pytest.raises(WriteError):
        write_pages(out, NEXT_PAGES)
    assert snapshot(out) == before


def test_a_failed_first_run_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    fail_on_call(monkeypatch, os, "replace", 3)  # index.md and tools/index.md are in place, tools/kong.md fails
    with pytest.raises(WriteError):
        write_pages(folder, PAGES)
    assert snapshot(folder) == {}


def test_the_run_after_a_failed_first_run_succeeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    with monkeypatch.context() as patch:
        fail_on_call(patch, os, "replace", 3)
        with pytest.raises(WriteError):
            write_pages(folder, PAGES)
    write_pages(folder, PAGES)
    assert {n: b for n, b in snapshot(folder).items() if n != MANIFEST} == {n: t.encode() for n, t in PAGES.items()}


# -- through generate ---------------------------------------------------------------------------------------------


def add_tool(root: Path, entry_id: str) -> Path:
    """A copy of the Kong entry under a new id."""
    source = root / "catalog" / "tools" / "kong.yaml"
    schema_comment, _, body = source.read_text(encoding="utf-8").partition("\n")
    data = yaml.safe_load(body)
    data["id"] = entry_id
    data["title"] = f"Tool {entry_id}"
    target = source.with_name(f"{entry_id}.yaml")
    target.write_text(schema_comment + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def add_broken_tool(root: Path) -> None:
    """A tool entry with nothing but its id: every required field is missing."""
    schema_comment = (root / "catalog" / "tools" / "kong.yaml").read_text(encoding="utf-8").partition("\n")[0]
    (root / "catalog" / "tools" / "broken-tool.yaml").write_text(f"{schema_comment}\nid: broken-tool\n", encoding="utf-8")


def generated(project: Path) -> Path:
    return Project(project).output


def generate_clean(project: Path) -> WriteResult:
    """Generate from a catalog that must be valid."""
    report, result, *_ = generate(Project(project))
    assert not report.errors, format_text(report)
    assert result is not None
    return result


def test_generate_twice_writes_nothing_the_second_time(project: Path) -> None:
    assert generate_clean(project).written
    bump_clock(generated(project))
    before = identities(generated(project))
    second = generate_clean(project)
    assert (second.written, second.removed) == ([], [])
    assert identities(generated(project)) == before


def test_generate_removes_the_page_of_a_deleted_entry(project: Path) -> None:
    entry = add_tool(project, "extra-tool")
    generate_clean(project)
    assert (generated(project) / "tools" / "extra-tool.md").is_file()
    entry.unlink()
    assert generate_clean(project).removed == ["tools/extra-tool.md", "tools/extra-tool.relations.svg"]
    assert not (generated(project) / "tools" / "extra-tool.md").exists()
    assert "extra-tool" not in (generated(project) / "tools" / "index.md").read_text(encoding="utf-8")


def test_generate_keeps_a_hand_written_file_in_the_output_folder(project: Path) -> None:
    generate_clean(project)
    notes = generated(project) / "tools" / "notes.md"
    notes.write_text("hand-written\n", encoding="utf-8")
    add_tool(project, "extra-tool")
    generate_clean(project)
    assert notes.read_text(encoding="utf-8") == "hand-written\n"


def test_generate_refuses_a_folder_it_did_not_write(project: Path) -> None:
    assert not check(Project(project))[1].errors
    folder = generated(project)
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(WriteError):
        generate(Project(project))
    assert snapshot(folder) == {"README.md": b"someone else's\n"}


def test_a_catalog_with_an_error_writes_nothing(project: Path) -> None:
    generate_clean(project)
    before = snapshot(project / "docs")
    add_tool(project, "extra-tool")  # would add a page and change the tools index, but ...
    add_broken_tool(project)  # ... another entry has errors
    report, result, *_ = generate(Project(project))
    assert report.errors and result is None
    assert snapshot(project / "docs") == before


def test_a_catalog_with_an_error_creates_no_output_folder(project: Path) -> None:
    add_broken_tool(project)
    report, result, *_ = generate(Project(project))
    assert report.errors and result is None
    assert not generated(project).exists()
