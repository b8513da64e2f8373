"""The YAML loader: values under YAML 1.2 rules, positions, and every trap as a diagnostic."""

from __future__ import annotations

import pytest

from generators.load.documents import MAX_BYTES, MAX_DEPTH, Mark, load_bytes, load_text


def messages(text: str) -> list[str]:
    _, diagnostics = load_text(text, "f.yaml")
    return [d.text() for d in diagnostics]


def test_values_follow_yaml_1_2_and_keep_dates_and_versions_as_text() -> None:
    document, diagnostics = load_text(
        "title: 2025-01-15\nversion: 1.10.2\ncount: 3\nratio: 0.5\nflag: true\nnothing: ~\ntime: 12:30\n", "f.yaml"
    )
    assert diagnostics == []
    assert document is not None
    assert document.data == {
        "title": "2025-01-15", "version": "1.10.2", "count": 3, "ratio": 0.5,
        "flag": True, "nothing": None, "time": "12:30",
    }


def test_positions_of_keys_and_values_are_one_based() -> None:
    document, _ = load_text("# comment\nrules:\n  - id: a\n    level: must\n", "f.yaml")
    assert document is not None
    assert document.keys[("rules",)] == Mark(2, 1)
    assert document.values[("rules", 0)] == Mark(3, 5)
    assert document.keys[("rules", 0, "level")] == Mark(4, 5)
    assert document.values[("rules", 0, "level")] == Mark(4, 12)


def test_position_of_a_missing_path_falls_back_to_its_nearest_parent() -> None:
    document, _ = load_text("a:\n  b: 1\n", "f.yaml")
    assert document is not None
    assert document.position(("a", "missing")) == Mark(2, 3)


def test_duplicate_key_cites_both_lines_and_keeps_the_first_value() -> None:
    document, diagnostics = load_text("title: first\nsummary: s\ntitle: second\n", "f.yaml")
    assert [d.text() for d in diagnostics] == [
        "f.yaml:3:1: error: duplicate key 'title' (first defined at line 1)\n"
        "  hint: keep one of the two; YAML would silently keep only the last"
    ]
    assert document is not None and document.data["title"] == "first"


@pytest.mark.parametrize("word", ["no", "No", "yes", "on", "OFF", "y", "n"])
def test_yaml_1_1_booleans_are_reported(word: str) -> None:
    assert messages(f"country: {word}\n") == [
        f"f.yaml:1:10: error: country: '{word}' is read as true or false by some YAML tools and as text by others\n"
        f"  hint: write true or false for a yes/no value, or quote it ('{word}') for text"
    ]


def test_quoted_yaml_1_1_booleans_are_plain_text() -> None:
    document, diagnostics = load_text("country: 'no'\nanswer: \"on\"\n", "f.yaml")
    assert diagnostics == []
    assert document is not None and document.data == {"country": "no", "answer": "on"}


def test_leading_zero_numbers_are_reported_with_their_octal_reading() -> None:
    assert messages("mode: 0755\n") == [
        "f.yaml:1:7: error: mode: '0755' has a leading zero: YAML 1.1 reads it as the octal number 493\n"
        "  hint: quote it ('0755') if it is text, or drop the leading zero if it is a number"
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [("a: !!python/object:os.system x\n", "!!python/object:os.system"),
     ("a: !!python/object/apply:os.system [echo]\n", "!!python/object/apply:os.system"),
     ("a: !!binary aGk=\n", "!!binary"),
     ("a: !custom x\n", "!custom")],
)
def test_non_standard_tags_are_refused(text: str, tag: str) -> None:
    assert messages(text) == [
        f"f.yaml:1:4: error: a: tag {tag} is not allowed\n  hint: remove the tag; catalog files hold plain data"
    ]


def test_explicit_string_tag_is_allowed() -> None:
    document, diagnostics = load_text("a: !!str 0755\n", "f.yaml")
    assert diagnostics == [] and document is not None and document.data == {"a": "0755"}


def test_alias_bomb_is_capped() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdefg", "abcdef"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    document, diagnostics = load_text("\n".join(lines) + "\n", "f.yaml")
    assert document is None
    assert len(diagnostics) == 1
    assert "the document expands to more than 50000 values" in diagnostics[0].text()


def test_small_aliases_are_expanded() -> None:
    document, diagnostics = load_text("a: &owners [p, q]\nb: *owners\n", "f.yaml")
    assert diagnostics == [] and document is not None and document.data == {"a": ["p", "q"], "b": ["p", "q"]}


def test_recursive_alias_is_reported() -> None:
    assert messages("a: &a [*a]\n") == ["f.yaml:1:8: error: a[0]: alias *a refers to a collection that contains it"]


def test_deep_nesting_is_reported_with_a_position() -> None:
    text = "a: " + "[" * 200 + "]" * 200 + "\n"
    (message,) = messages(text)
    assert message.startswith(f"f.yaml:1:{3 + MAX_DEPTH}: error: ")
    assert message.endswith(f"nesting is deeper than {MAX_DEPTH} levels")


def test_syntax_error_has_line_and_column() -> None:
    (message,) = messages("title: a\nsummary: b: c\n")
    assert message.splitlines()[0] == "f.yaml:2:11: error: mapping values are not allowed in this context"


@pytest.mark.parametrize(("text", "hint"), [
    ("title: a\nsummary: b: c\n", "a value holding ': ' needs quotes ('a: b'), and a key must line up with the keys "
                                   "around it"),
    ("tags: [a, b\ntitle: x\n", "close the list with ']' and separate its items with ','"),
    ('title: "abc\n', "close the quotes the value opens"),
    ("id: x\n\ttitle: b\n", "indent with spaces, not tabs"),
])
def test_a_syntax_error_says_how_to_fix_it(text: str, hint: str) -> None:
    _, (problem,) = load_text(text, "f.yaml")
    assert problem.code == "yaml" and problem.hint == hint


def test_unclosed_flow_sequence() -> None:
    assert [m.splitlines()[0] for m in messages("tags: [a, b\ntitle: x\n")] == [
        "f.yaml:2:6: error: did not find expected ',' or ']' (while parsing a flow sequence)"
    ]


def test_control_character_is_reported_at_its_position() -> None:
    assert messages("title: bad\x07bell\n") == [
        "f.yaml:1:11: error: control character U+0007 is not allowed in YAML\n"
        "  hint: delete the character or write it as an escape inside double quotes"
    ]


def test_second_document_is_refused() -> None:
    assert messages("a: 1\n---\na: 2\n") == [
        "f.yaml:2:1: error: a catalog file holds exactly one YAML document\n"
        "  hint: remove the '---' separator and move the second document to its own file"
    ]


def test_non_scalar_key_is_refused() -> None:
    assert messages("? [a, b]\n: 1\n") == ["f.yaml:1:3: error: a mapping key must be plain text, not a list or mapping"]


def test_invalid_utf8_is_reported_at_the_bad_byte() -> None:
    document, diagnostics = load_bytes("title: ok\nsummary: caf".encode() + b"\xe9 au lait\n", "x.yaml")
    assert document is None
    assert [d.text() for d in diagnostics] == ["x.yaml:2:13: error: byte 0xe9 is not valid UTF-8\n  hint: save the file as UTF-8"]


def test_utf16_is_refused() -> None:
    _, diagnostics = load_bytes("title: x\n".encode("utf-16"), "x.yaml")
    assert [d.text() for d in diagnostics] == ["x.yaml:1:1: error: the file is UTF-16 encoded\n  hint: save it as UTF-8"]


def test_utf8_byte_order_mark_is_accepted() -> None:
    document, diagnostics = load_bytes(b"\xef\xbb\xbftitle: x\n", "x.yaml")
    assert diagnostics == [] and document is not None and document.data == {"title": "x"}


def test_oversized_file_is_refused() -> None:
    document, diagnostics = load_bytes(b"a: " + b"x" * MAX_BYTES + b"\n", "x.yaml")
    assert document is None
    assert diagnostics[0].message == f"the file is larger than {MAX_BYTES:,} bytes"
