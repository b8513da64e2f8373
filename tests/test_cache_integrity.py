"""Caches are checked before use: a damaged diagram is drawn again, a damaged fingerprint state means
"regenerate", a damaged facts file is rebuilt; entries are written whole or not at all."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_project

from generators.cli.main import main
from generators.render.facts import FACTS_FILE
from generators.site.macros import CatalogFacts
from generators.write import cache_entries

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
VIEWS = [f"architectures/sample-architecture.{view}.svg" for view in ("neutral", "aws", "azure", "gcp")]


def generate(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`playbook generate` through the CLI; what it printed on stderr, once it exited 0."""
    capsys.readouterr()
    code = main(["--root", str(project), "generate"])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


def published(project: Path) -> dict[str, bytes]:
    return {name: (project / "docs/playbook" / name).read_bytes() for name in VIEWS}


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The diagrams of a first generation, with no cache at all."""
    project = copy_project(tmp_path_factory.mktemp("cold"), FIXTURE / "catalog")
    assert main(["--root", str(project), "generate"]) == 0
    return published(project)


@pytest.fixture
def warm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project generated once: its cache holds every diagram and the fingerprint state."""
    project = copy_project(tmp_path / "project", FIXTURE / "catalog")
    generate(project, capsys)
    return project


def entries(project: Path) -> list[Path]:
    return sorted((project / ".playbook-cache/diagrams").rglob("*.json"))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def bare_svg(path: Path) -> None:
    """What a cache entry looked like before it carried its hash: the SVG alone, here cut short."""
    path.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><g><text>Cli', encoding="utf-8")


DAMAGES: dict[str, Callable[[Path], None]] = {"truncated": truncate, "emptied": lambda p: p.write_bytes(b""),
                                              "one byte changed": flip, "a bare, cut SVG": bare_svg}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_diagram_in_the_cache_is_drawn_again(warm: Path, cold: dict[str, bytes], damage: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert len(entries(warm)) == 8  # each view by its inputs and by its DOT source
    for entry in entries(warm):
        DAMAGES[damage](entry)
    for name in VIEWS:  # the pages must be written again, from the cache
        (warm / "docs/playbook" / name).unlink()
    err = generate(warm, capsys)
    assert "diagrams: 4 drawn, 0 cached" in err
    assert published(warm) == cold
    for svg in published(warm).values():
        ElementTree.fromstring(svg)
    assert all(cache_entries.load(entry) is not None for entry in entries(warm))  # replaced by whole ones


def test_a_whole_cache_is_used(warm: Path, cold: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    for name in VIEWS:
        (warm / "docs/playbook" / name).unlink()
    assert "diagrams: 0 drawn, 4 cached" in generate(warm, capsys)
    assert published(warm) == cold


def state(project: Path) -> Path:
    (found,) = (project / ".playbook-cache").glob("generated-*.json")
    return found


def _stored(change: Callable[[dict[str, object]], None]) -> Callable[[Path], None]:
    """A damage that keeps the entry whole (its hash matches) but changes what it says."""
    def damage(path: Path) -> None:
        payload = cache_entries.load(path)
        assert payload is not None
        change(payload)
        cache_entries.store(path, payload)
    return damage


def _body(path: Path) -> None:
    """The state as it was written before it carried a hash: its JSON alone."""
    path.write_bytes(path.read_bytes().partition(b"\n")[2])


STATES: dict[str, Callable[[Path], None]] = {
    "garbage": lambda p: p.write_bytes(b"\x00\xff{not json"),
    "a JSON list": lambda p: p.write_text("[1, 2, 3]", encoding="utf-8"),
    "an empty file": lambda p: p.write_bytes(b""),
    "truncated": truncate,
    "a JSON list with its hash": lambda p: p.write_bytes(hashlib.sha256(b"[1, 2, 3]").hexdigest().encode() + b"\n[1, 2, 3]"),
    "the JSON of the right state without its hash": _body,
    "wrong types": _stored(lambda s: s.update(inputs=1, outputs=None, files="abc", diagnostics={})),
    "a diagnostic of the wrong shape": _stored(lambda s: s.update(diagnostics=[{"file": 1, "line": "3"}])),
    "a diagnostic with a line as text": _stored(lambda s: s.update(diagnostics=[
        {"file": "x", "line": "3", "column": 1, "severity": "warning", "message": "m", "path": "", "hint": "", "code": ""}])),
    "a file outside the output folder": _stored(lambda s: s.update(files=["../../../etc/passwd"])),
}


@pytest.mark.parametrize("damage", STATES)
def test_a_damaged_fingerprint_state_means_regenerate(warm: Path, cold: dict[str, bytes], damage: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert "diagrams:" not in generate(warm, capsys)  # a whole state: nothing changed, generation skipped
    STATES[damage](state(warm))
    err = generate(warm, capsys)
    assert "diagrams: 0 drawn, 4 cached" in err and "Error" not in err  # generated again, from the diagram cache
    assert published(warm) == cold
    assert "diagrams:" not in generate(warm, capsys)  # the state written again is whole


def test_a_write_that_fails_half_way_leaves_the_entry_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = tmp_path / "cache" / "entry.json"
    cache_entries.store(entry, {"svg": "old"})

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # the run stopped between writing the data and renaming it

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        cache_entries.store(entry, {"svg": "new" * 1000})
    assert cache_entries.load(entry) == {"svg": "old"}
    assert sorted(p.name for p in entry.parent.iterdir()) == ["entry.json"]  # no temporary file left


def _store_forever(path: str) -> None:
    for index in range(10**9):
        cache_entries.store(Path(path), {"svg": "x" * 4_000_000, "index": index})


def test_a_process_killed_while_storing_never_leaves_half_an_entry(tmp_path: Path) -> None:
    entry = tmp_path / "entry.json"
    writer = multiprocessing.get_context("spawn").Process(target=_store_forever, args=(str(entry),))
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while not entry.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.15)  # well into another write
    finally:
        os.kill(writer.pid, signal.SIGKILL)  # type: ignore[arg-type]
        writer.join()
    payload = cache_entries.load(entry)
    assert payload is not None and len(payload["svg"]) == 4_000_000
    assert entry.stat().st_size == len(entry.read_bytes())


def test_a_damaged_facts_file_is_replaced_by_the_catalog(warm: Path) -> None:
    whole = CatalogFacts(warm).entries
    truncate(warm / "docs/playbook" / FACTS_FILE)
    assert CatalogFacts(warm).entries == whole
    (warm / "docs/playbook" / FACTS_FILE).write_text('{"audience": "internal", "entries": [1]}', encoding="utf-8")
    assert CatalogFacts(warm).entries == whole
