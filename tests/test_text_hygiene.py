"""Text hygiene: control characters, bidirectional controls and invisible characters are refused where
they were typed, with the character named, before they can reach a page, an export or a terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError

from generators.cli.main import main
from generators.diagnostics import Diagnostic
from generators.load.entries import explain, load_catalog
from generators.load.hygiene import BIDI_CONTROLS, first_refused
from generators.models.tool import Tool

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
FILE = "catalog/standards/hostile-standard.yaml"

#: A valid standard; each test replaces one of its values with a hostile one.
STANDARD = {
    "title": '"Model cards"',
    "summary": "One sentence.",
    "tag": "cards",
    "scope": "Which systems this standard applies to.",
    "statement": "State the rule in one sentence.",
}
TEMPLATE = """# yaml-language-server: $schema=../schemas/standard.schema.json
id: hostile-standard
title: {title}
summary: {summary}
owners:
  - platform-team
tags:
  - {tag}
last_reviewed: 2026-11-25
review_every: 6 months
status: draft
scope: {scope}
rules:
  - id: first-rule
    level: must
    statement: {statement}
    rationale: |
      Why the rule exists.
    check: |
      How compliance is verified.
"""

BIDI_HINT = "delete it: it can make the text display in an order other than the one it is stored in"
FORMAT_HINT = "delete it: readers and reviewers cannot see it"
CONTROL_HINT = "delete it; text holds no control character other than tab and newline"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL / "catalog", tmp_path / "catalog")
    return tmp_path


def write(root: Path, text: str | None = None, newline: str = "\n", **values: str) -> None:
    text = text if text is not None else TEMPLATE.format(**{**STANDARD, **values})
    (root / FILE).write_text(text.replace("\n", newline), encoding="utf-8", newline="")


def errors(root: Path) -> list[Diagnostic]:
    _, report = load_catalog(root, root / "catalog")
    return sorted(report.errors)


@pytest.mark.parametrize(("field", "value", "where", "path", "message", "hint"), [
    ("title", r'"Model\u202Ecards"', (3, 8), "title",
     "contains U+202E RIGHT-TO-LEFT OVERRIDE (character 6), an invisible bidirectional control", BIDI_HINT),
    ("title", r'"Model\ncards"', (3, 8), "title",
     "contains U+000A LINE FEED (character 6), a line break, but this field is a single line",
     "write it on one line; longer text belongs in a prose field"),
    ("summary", "One\u200bsentence.", (4, 10), "summary",
     "contains U+200B ZERO WIDTH SPACE (character 4), an invisible format character", FORMAT_HINT),
    ("tag", r'"ca\u00ADrds"', (8, 5), "tags[0]",
     "contains U+00AD SOFT HYPHEN (character 3), an invisible format character", FORMAT_HINT),
    ("scope", r'"Applies\e[2J to every system."', (12, 8), "scope",
     "contains U+001B ESCAPE (character 8), a control character", CONTROL_HINT),
    ("scope", r'"Applies to all. \0"', (12, 8), "scope",
     "contains U+0000 NULL (character 17), a control character", CONTROL_HINT),
    ("scope", r'"if admin\u2067 then allow"', (12, 8), "scope",
     "contains U+2067 RIGHT-TO-LEFT ISOLATE (character 9), an invisible bidirectional control", BIDI_HINT),
    ("scope", r'"one\rtwo"', (12, 8), "scope",
     "contains U+000D CARRIAGE RETURN (character 4), a control character", CONTROL_HINT),
    ("scope", r'"one\u2028two"', (12, 8), "scope",
     "contains U+2028 LINE SEPARATOR (character 4), a line separator that Markdown does not read as a line break",
     "use a newline instead"),
    ("statement", r'"State\a the rule."', (16, 16), "rules[0].statement",
     "contains U+0007 ALERT (character 6), a control character", CONTROL_HINT),
    ("statement", "State\u2060the rule.", (16, 16), "rules[0].statement",
     "contains U+2060 WORD JOINER (character 6), an invisible format character", FORMAT_HINT),
])
def test_a_hostile_character_is_refused_where_it_was_typed(root: Path, field: str, value: str, where: tuple[int, int],
                                                           path: str, message: str, hint: str) -> None:
    write(root, **{field: value})
    assert errors(root) == [Diagnostic(FILE, *where, "error", message, path, hint, "text")]


def test_a_hostile_key_is_refused_without_being_echoed(root: Path) -> None:
    text = TEMPLATE.format(**STANDARD).replace("    check: |", '    "che\\u202Eck": |')
    write(root, text)
    found = errors(root)
    assert found == [
        Diagnostic(FILE, 14, 5, "error", "missing required key 'check'", "rules[0].check", "", "missing-key"),
        Diagnostic(FILE, 19, 5, "error", "a key contains U+202E RIGHT-TO-LEFT OVERRIDE (character 4), an invisible "
                   "bidirectional control", "rules[0].che\\u202eck", BIDI_HINT, "text"),
    ]
    assert not any("\u202e" in d.text() for d in found)


def test_prose_keeps_the_joiners_that_scripts_and_emoji_need(root: Path) -> None:
    scope = '"Teams (\U0001F469\u200d\U0001F4BB) and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 in \u0627\u0644\u0639\u0631\u0628\u064a\u0629."'
    write(root, scope=scope)
    assert errors(root) == []
    write(root, title='"Teams \U0001F469\u200d\U0001F4BB"')  # a single-line field keeps no invisible character
    assert [(d.path, d.message) for d in errors(root)] == [
        ("title", "contains U+200D ZERO WIDTH JOINER (character 8), an invisible format character")]


def test_a_file_saved_with_windows_line_ends_is_fine(root: Path) -> None:
    write(root, newline="\r\n")
    assert b"\r\n" in (root / FILE).read_bytes()
    assert errors(root) == []


def test_only_the_refused_character_is_reported_not_the_pattern_too(root: Path) -> None:
    write(root, title=r'"Model\ecards"')  # the single-line pattern refuses it too, but one value gets one message
    assert [d.code for d in errors(root)] == ["text"]


def test_a_control_character_in_prose_reaches_no_export(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(root, scope=r'"Applies\e]0;pwned\a to every system."')
    out = root / "export"
    assert main(["--root", str(root), "export", "--format", "csv", "-o", str(out)]) == 1
    assert not out.exists()
    assert main(["--root", str(root), "generate"]) == 1
    assert not (root / "docs" / "playbook" / "playbook.txt").exists()
    printed = capsys.readouterr()
    assert "scope: contains U+001B ESCAPE (character 8), a control character" in printed.out
    assert "\x1b" not in printed.out + printed.err


@settings(max_examples=60, deadline=None)
@given(before=st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=20),
       after=st.text(max_size=20),
       refused=st.sampled_from(["\x00", "\x1b", "\x7f", "\x85", "\ufeff", "\u00ad", "\u200b", "\ufffe",
                                *sorted(BIDI_CONTROLS)]),
       prose=st.booleans())
def test_the_first_refused_character_is_named_at_its_place(before: str, after: str, refused: str, prose: bool) -> None:
    found = first_refused(before + refused + after, prose)
    assert found is not None and (found.char, found.position) == (refused, len(before) + 1)


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"])))
def test_visible_text_is_never_refused(text: str) -> None:
    assert first_refused(text, prose=False) is None
    assert first_refused(text + "\n\t" + text, prose=True) is None


class _Bounded(BaseModel):
    items: list[str] = Field(max_length=2)
    names: dict[str, str] = Field(max_length=1)


def test_too_long_says_characters_for_text_and_items_for_lists() -> None:
    with pytest.raises(ValidationError) as raised:
        _Bounded(items=["a", "b", "c"], names={"a": "1", "b": "2"})
    words = [explain(error, _Bounded)[0] for error in raised.value.errors()]
    assert words == ["has too many items (3; at most 2)", "has too many keys (2; at most 1)"]
    with pytest.raises(ValidationError) as raised:
        Tool.model_validate({"title": "x" * 301, "rationale": "y" * 20_001})
    by_field = {error["loc"]: explain(error, Tool) for error in raised.value.errors() if "too_long" in error["type"]}
    assert by_field == {
        ("title",): ("is too long (301 characters; at most 300)", "move detail into a prose field"),
        ("rationale",): ("is too long (20001 characters; at most 20000)",
                         "split it, or link to long material instead of copying it in"),
    }
