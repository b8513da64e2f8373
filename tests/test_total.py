"""Parsers are total and bounded: extreme values and hostile files give a diagnostic or a per-file message.

`playbook check` and `playbook import adr` never show a traceback, never hang, and take time linear in
their input; computed dates never leave the calendar.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.authoring import adr_draft, adr_import, adr_links, adr_parse
from generators.cli.main import main as playbook
from generators.dates import plus_days, plus_interval
from generators.load.catalog import Catalog
from generators.load.documents import MAX_BYTES, MAX_NUMBER
from generators.load.entries import load_catalog
from generators.load.governance import next_review
from generators.pipeline import check
from generators.project import Project
from generators.render.pages import Renderer
from generators.resolve.portfolio import business_days

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"
ADR = Path("catalog/adrs/0001-llm-provider-gateway.yaml")
#: Wall-clock time one example may take: a guard against hangs, not a performance target.
HANG_GUARD = 10.0


@pytest.fixture(scope="module")
def shared(make_project: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the bundled project for the whole module."""
    return make_project(tmp_path_factory.mktemp("total") / "project")


@pytest.fixture
def project(shared: Path) -> Iterator[Path]:
    """The shared copy; catalog files a test changes are put back and files it adds are removed afterwards."""
    before = {path: path.read_bytes() for path in (shared / "catalog").rglob("*.yaml")}
    yield shared
    for path in (shared / "catalog").rglob("*.yaml"):
        if path not in before:
            path.unlink()
    for path, raw in before.items():
        if path.read_bytes() != raw:
            path.write_bytes(raw)


def check_output(project: Path, capsys: pytest.CaptureFixture[str], today: str = TODAY) -> tuple[int, str]:
    code = playbook(["--root", str(project), "--today", today, "check"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def set_field(project: Path, key: str, value: str) -> None:
    """Rewrite the top-level `key` of the sample ADR to `value`, written as is."""
    path = project / ADR
    text, count = re.subn(rf"^{key}: .*$", lambda _: f"{key}: {value}", path.read_text(encoding="utf-8"),
                          count=1, flags=re.M)
    assert count == 1
    path.write_text(text, encoding="utf-8")


# -- playbook check: extreme numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "shown"), [
    ("9" * 5000, "99999999999999999999…' is 5,000"),
    ("-" + "9" * 5000, "-9999999999999999999…' is 5,001"),
    ("0x" + "f" * 4000, "0xffffffffffffffffff…' is 4,002"),
    ("0o" + "7" * 6000, "0o777777777777777777…' is 6,002"),
    ("1" + "0" * 400 + ".5", "10000000000000000000…' is 403"),
])
def test_a_number_of_thousands_of_digits_is_a_diagnostic(project: Path, capsys: pytest.CaptureFixture[str],
                                                         value: str, shown: str) -> None:
    set_field(project, "title", value)
    code, out = check_output(project, capsys)
    assert code == 1
    assert (f"{ADR}:3:8: error: title: the number '{shown} characters long; a number has at most {MAX_NUMBER}\n"
            "  hint: quote it if it is text") in out


@pytest.mark.parametrize(("value", "reading"), [("1e999", "inf"), ("-1e999", "-inf"), ("1e-999", "0.0")])
def test_a_float_out_of_range_reads_as_infinity_or_zero(project: Path, capsys: pytest.CaptureFixture[str],
                                                         value: str, reading: str) -> None:
    set_field(project, "title", value)
    code, out = check_output(project, capsys)
    assert code == 1
    assert (f"{ADR}:3:8: error: title: expected text, got {value}, which YAML reads as {reading}\n"
            f"  hint: quote it ('{value}') if it is text") in out


# -- playbook check: dates at the ends of the calendar ----------------------------------------------------


@pytest.mark.parametrize(("last", "every"), [("9999-12-31", "1 year"), ("9999-12-31", "1 day"), ("9999-12-05", "4 weeks"),
                                             ("9001-06-01", "999 years")])
def test_a_review_due_past_the_year_9999_is_an_error_on_last_reviewed(project: Path, capsys: pytest.CaptureFixture[str],
                                                                      last: str, every: str) -> None:
    set_field(project, "last_reviewed", last)
    set_field(project, "review_every", every)
    code, out = check_output(project, capsys)
    assert code == 1
    assert out.startswith(f"{ADR}:12:16: error: last_reviewed: {last} plus review_every {every} is past the year 9999\n"
                          "  hint: write the date of the last review, such as today's\n")
    assert out.endswith("1 error, 0 warnings\n")


def test_a_review_due_on_the_last_day_of_the_calendar_is_not_overdue(project: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    set_field(project, "last_reviewed", "9999-12-01")
    set_field(project, "review_every", "30 days")
    assert "0001-llm-provider-gateway.yaml" not in check_output(project, capsys, today="9999-12-31")[1]


def test_a_review_in_the_year_1_is_overdue(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_field(project, "last_reviewed", "0001-01-01")
    code, out = check_output(project, capsys)
    assert code == 0
    assert out == (f"{ADR}:12:16: warning: last_reviewed: review was due on 0002-01-01 (reviewed 0001-01-01, every 1 year) "
                   "[review-overdue]\n  hint: review the entry and update last_reviewed\n0 errors, 1 warning\n")


def test_the_dashboards_render_on_the_first_and_last_day_of_the_calendar() -> None:
    catalog, _ = load_catalog(REPO, REPO / "catalog")
    last = Renderer(catalog, catalog.graph, dt.date.max, []).governance_pages()["governance/review-due.md"]
    assert "Entries whose review is overdue or due within 30 days of 9999-12-31" in last
    tool = catalog.entries["openai-api"]
    assert f"| [OpenAI API](../tools/openai-api.md) | Tool | {tool.last_reviewed} | {next_review(tool)} | **overdue** |" in last
    first = Renderer(catalog, catalog.graph, dt.date.min, []).governance_pages()["governance/review-due.md"]
    assert "No entry is overdue or due within 30 days." in first


def test_date_arithmetic_stops_at_the_end_of_the_calendar() -> None:
    assert plus_days(dt.date.max, 0) == dt.date.max
    assert plus_days(dt.date.max, 1) is None
    assert plus_days(dt.date(9999, 12, 1), 30) == dt.date.max
    assert plus_interval(dt.date(9999, 11, 30), "1 month") == dt.date(9999, 12, 28)
    assert plus_interval(dt.date(9999, 12, 1), "1 month") is None
    assert plus_interval(dt.date.min, "999 years") == dt.date(1000, 1, 1)
    assert plus_interval(dt.date(9000, 12, 31), "999 years") == dt.date(9999, 12, 28)


def test_new_exception_on_the_last_day_expires_on_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert playbook(["--root", str(project), "--today", "9999-12-31", "new", "exception", "late-exception"]) == 0
    assert "expires: 9999-12-31\n" in (project / "catalog/exceptions/late-exception.yaml").read_text(encoding="utf-8")


def test_business_days_across_the_whole_calendar_are_counted_not_walked() -> None:
    started = time.perf_counter()
    assert business_days(dt.date.min, dt.date.max) == 2_608_614  # 3,652,058 days; 0001-01-01 is a Monday
    assert time.perf_counter() - started < HANG_GUARD


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.dates(), st.integers(0, 60))
def test_business_days_equal_a_day_by_day_count(start: dt.date, length: int) -> None:
    end = plus_days(start, length) or dt.date.max
    walked = sum((start + dt.timedelta(days=i)).weekday() < 5 for i in range(1, (end - start).days + 1))
    assert business_days(start, end) == walked
    assert business_days(end, start) == 0


# -- playbook import adr: hostile records ------------------------------------------------------------------

RECORD = "# {title}\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n"


def import_adr(project: Path, capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str]]:
    code = playbook(["--root", str(project), "--today", TODAY, "import", "adr", *map(str, paths)])
    return code, capsys.readouterr().out.splitlines()


def shown(path: Path) -> str:
    """A file outside the working folder as the import report names it: resolved, absolute."""
    return path.resolve().as_posix()


HOSTILE = {
    "an 80-digit heading number": (RECORD.format(title="1" * 80 + ". Use B"),
                                   "its number 111111111111… has 80 digits; an ADR number has at most 9"),
    "a 5000-digit heading number": (RECORD.format(title="ADR-" + "7" * 5000 + ": Use B"),
                                    "its number 777777777777… has 5000 digits; an ADR number has at most 9"),
    "front matter that is not YAML": ("---\nconsulted: yes\ndeciders: [\n---\n" + RECORD.format(title="B"),
                                      "the front matter is not valid YAML at line 4: did not find expected node content "
                                      "(while parsing a flow node)"),
    "front matter nested too deep": ("---\na: " + "[" * 200 + "]" * 200 + "\n---\n" + RECORD.format(title="B"),
                                     "the front matter is not valid YAML at line 2: nesting is deeper than 32 levels"),
    "a file over the size limit": (RECORD.format(title="B") + "x" * MAX_BYTES,
                                   f"the file is larger than {MAX_BYTES:,} bytes, the most a catalog entry can hold"),
    "more options than a decision weighs": (
        RECORD.format(title="B").replace(
            "## Decision", "## Considered Options\n\n" + "".join(f"* Option {i}\n" for i in range(101)) + "\n## Decision"),
        "more than 100 considered options"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_record_fails_alone_and_the_batch_goes_on(project: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str], case: str) -> None:
    text, reason = HOSTILE[case]
    a, b, c = tmp_path / "0101-a.md", tmp_path / "b.md", tmp_path / "0103-c.md"
    a.write_text(RECORD.format(title="Use A"), encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    c.write_text(RECORD.format(title="Use C"), encoding="utf-8")
    code, lines = import_adr(project, capsys, a, b, c)
    assert code == 1
    assert lines[0] == f"{shown(a)}: written catalog/adrs/0101-use-a.yaml"
    assert [line for line in lines if line.startswith(shown(b))] == [f"{shown(b)}: failed", f"{shown(b)}: {reason}"]
    assert f"{shown(c)}: written catalog/adrs/0103-use-c.yaml" in lines
    assert "2 written, 1 failed" in lines
    assert sorted(p.name for p in (project / "catalog/adrs").glob("01*.yaml")) == ["0101-use-a.yaml", "0103-use-c.yaml"]


def test_the_import_help_states_the_limits() -> None:
    assert adr_import.__doc__ is not None
    text = " ".join(adr_import.__doc__.split())
    assert (f"larger than {MAX_BYTES:,} bytes, has a number of more than {adr_parse.MAX_DIGITS} digits or more than "
            f"{adr_draft.MAX_OPTIONS} considered options") in text


def test_a_fifo_is_refused_without_waiting_for_a_writer(project: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "0104-fifo.md"
    os.mkfifo(fifo)
    code, lines = import_adr(project, capsys, fifo)
    assert code == 1
    assert lines == [f"{shown(fifo)}: failed", f"{shown(fifo)}: not a regular file", "1 failed"]


@pytest.mark.parametrize(("written", "date"), [("2024-02-30", "2024-02-30"), ("2024-02-30 10:00:00", "2024-02-30 10:00:00"),
                                              ("0000-01-01", "0000-01-01"), ("!!timestamp 2024-13-01", "2024-13-01")])
def test_an_impossible_front_matter_date_is_a_note(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   written: str, date: str) -> None:
    source = tmp_path / "0105-impossible-date.md"
    source.write_text(f"---\nstatus: accepted\ndate: {written}\ndeciders: Jane Doe\n---\n" + RECORD.format(title="Use D"),
                      encoding="utf-8")
    code, lines = import_adr(project, capsys, source)
    assert code == 0
    assert lines[:3] == [f"{shown(source)}: written catalog/adrs/0105-use-d.yaml",
                         f"{shown(source)}: date '{date}' is not a date", f"{shown(source)}: no date; used {TODAY}"]


def test_an_imported_date_at_the_end_of_the_calendar_is_written_and_reported(project: Path, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "0106-late.md"
    source.write_text("---\nstatus: accepted\ndate: 9999-12-31\ndeciders: Jane Doe\n---\n" + RECORD.format(title="Use E"),
                      encoding="utf-8")
    code, lines = import_adr(project, capsys, source)
    assert code == 1
    assert lines[0] == f"{shown(source)}: written catalog/adrs/0106-use-e.yaml"
    assert ("catalog/adrs/0106-use-e.yaml:9:16: error: last_reviewed: 9999-12-31 plus review_every 12 months "
            "is past the year 9999") in lines


def minimum_of_three(run: Callable[[], object]) -> float:
    """The fastest of three runs; each must finish within the hang guard."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    assert max(times) < HANG_GUARD
    return min(times)


def test_long_runs_of_spaces_take_linear_time(tmp_path: Path) -> None:
    """A heading and a 'Chosen option' line with a long run of spaces (cubic before: 800 spaces took seconds)."""
    def record(spaces: int) -> Path:
        path = tmp_path / f"0107-spaces-{spaces}.md"
        path.write_text(f"# Use spaces{' ' * spaces}now\n\n## Context\n\nWhy.\n\n## Decision\n\n"
                        f"Chosen option: spaces{' ' * spaces}now\n", encoding="utf-8")
        return path

    def importing(path: Path) -> Callable[[], object]:
        where = adr_draft.Origin("decisions", path.name)
        known = adr_draft.Known(frozenset({"ai-architecture"}), frozenset())
        return lambda: adr_draft.draft(adr_parse.parse(path, path.name), "0107-x", "ai-architecture", known,
                                       dt.date(2026, 1, 1), where, where)

    small, large = record(50_000), record(400_000)
    assert minimum_of_three(importing(large)) < 30 * minimum_of_three(importing(small))


# -- properties: mutated catalog files and random Markdown ------------------------------------------------

CATALOG_FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "catalog").glob("*/*.yaml")
                       if p.parent.name != "schemas")
EXTREMES = ["9" * 5000, "-" + "9" * 4400, "0x" + "f" * 5000, "0o" + "7" * 5000, "1e999", "-1e999", "1" + "0" * 400 + ".5",
            ".inf", ".nan", "9999-12-31", "0001-01-01", "0000-00-00", "2024-02-30", "10000-01-01", "~", "yes", "0755",
            "*a", "&a [*a, *a]", "!!binary x", "!!timestamp x", "'", '"', "[" * 40, "{" * 40, "- " * 40, "|", ">",
            "? x", "@", "`", "%YAML 1.1", "\t", " " * 3000, "#" * 3000, "\u202e\u2028", "\ufeff", "999 years", "1 day"]
MUTATIONS = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 50)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.one_of(st.text(max_size=20), st.sampled_from(EXTREMES))),
    st.tuples(st.just("bytes"), st.integers(0, 10**6), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("duplicate line"), st.integers(0, 10**6), st.integers(1, 5)),
    st.tuples(st.just("delete line"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("scalar"), st.integers(0, 10**6), st.sampled_from(EXTREMES)),
    st.tuples(st.just("field"), st.sampled_from(["last_reviewed", "review_every", "date", "expires", "title"]),
              st.sampled_from(EXTREMES)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
)


def mutate(raw: bytes, mutation: tuple[str, int | str, object]) -> bytes:
    """`raw` with one mutation applied; positions wrap around the file."""
    kind, where, what = mutation
    if kind == "field":
        return re.sub(rf"^{where}: .*$".encode(), lambda _: f"{where}: {what}".encode(), raw, count=1, flags=re.M)
    assert isinstance(where, int)
    lines = raw.split(b"\n")
    line = where % len(lines)
    at = where % (len(raw) + 1)
    if kind == "delete":
        assert isinstance(what, int)
        return raw[:at] + raw[at + what :]
    if kind in ("insert", "bytes"):
        payload = what.encode("utf-8") if isinstance(what, str) else what
        assert isinstance(payload, bytes)
        return raw[:at] + payload + raw[at:]
    if kind == "duplicate line":
        assert isinstance(what, int)
        return b"\n".join(lines[: line + 1] + [lines[line]] * what + lines[line + 1 :])
    if kind == "delete line":
        return b"\n".join(lines[:line] + lines[line + 1 :])
    if kind == "scalar":
        scalars = [i for i, text in enumerate(lines) if b": " in text] or [line]
        index = scalars[where % len(scalars)]
        key = lines[index].split(b": ", 1)[0]
        return b"\n".join(lines[:index] + [key + b": " + str(what).encode("utf-8")] + lines[index + 1 :])
    return raw[:at]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(CATALOG_FILES), st.lists(MUTATIONS, min_size=1, max_size=4),
       st.sampled_from([TODAY, "9999-12-31", "0001-01-01"]))
def test_check_is_total_on_mutated_catalog_files(shared: Path, name: str, mutations: list[tuple[str, int | str, object]],
                                                today: str) -> None:
    path = shared / name
    original = (REPO / name).read_bytes()
    raw = original
    for mutation in mutations:
        raw = mutate(raw, mutation)
    path.write_bytes(raw)
    try:
        started = time.perf_counter()
        _, report = check(Project(shared), dt.date.fromisoformat(today))
        assert time.perf_counter() - started < HANG_GUARD
    finally:
        path.write_bytes(original)
    assert all(d.line >= 1 and d.column >= 1 and d.message for d in report.diagnostics)


TEXT = st.text(max_size=40)
WORDS = st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=20)
ODD_DATES = st.sampled_from(["2024-02-30", "9999-12-31", "0000-01-01", "2024-13-01", "10000-01-01", "0001-01-01",
                             "31.02.2024", "2024-02-30 10:00:00", "!!timestamp x", "[2024-01-01]", "{a: b}", "9" * 5000])
DIGITS = st.one_of(st.text("0123456789", min_size=1, max_size=12), st.integers(13, 6000).map(lambda n: "9" * n))
RUN = st.builds(lambda char, n: char * n, st.sampled_from([" ", "#", "`", "[", "]", "(", ")", "*", "<!--", "-->", "|", "\t",
                                                          ">", ",", ":", "\n", "\n ", "- ", "[a](b"]), st.integers(1, 5000))
LINES = st.one_of(
    TEXT,
    RUN,
    st.builds(lambda level, number, title: "#" * level + " " + number + ". " + title, st.integers(1, 7), DIGITS, TEXT),
    st.sampled_from(["### Option A", "### Positive Consequences", "### Negative Consequences", "```", "~~~", "<!--", "-->",
                     ""]),
    st.builds(lambda indent, marker, text: " " * indent + marker + " " + text, st.integers(0, 12),
              st.sampled_from(["*", "-", "+", "1.", "2)"]), TEXT),
    st.builds(lambda title, gap, why: f'Chosen option: "{title}"{gap}, because {why}', WORDS, RUN, TEXT),
    st.builds(lambda title, gap: f"Chosen option: {title}{gap}", WORDS, RUN),
    st.builds(lambda word, gap, text: f"* {word}{gap}because {text}", st.sampled_from(["Good", "Bad", "Neutral"]),
              RUN, TEXT),
    st.builds(lambda verb, number, gap: f"* {verb} [ADR-{number}]({number}-x.md){gap}",
              st.sampled_from(["Supersedes", "Superseded by"]), DIGITS, RUN),
    st.builds(lambda key, date: f"{key}: {date}", st.sampled_from(["Date", "Status", "Deciders", "* Status"]), ODD_DATES),
)
SECTION = st.builds(lambda title, lines: "\n".join([title, "", *lines]),
                    st.one_of(st.sampled_from(["## Context", "## Decision", "## Decision Outcome", "## Considered Options",
                                               "## Status", "## Links", "## Pros and Cons of the Options", "## Consequences",
                                               "## Decision Drivers", "## Confirmation"]), TEXT.map(lambda t: "## " + t)),
                    st.lists(LINES, max_size=8))
TITLE = st.one_of(st.builds(lambda number, title: f"# {number}. {title}", DIGITS, WORDS), WORDS.map(lambda t: "# " + t), TEXT)
FRONT = st.one_of(st.just(""), st.builds(
    lambda pairs: "---\n" + "".join(f"{key}: {value}\n" for key, value in pairs) + "---\n",
    st.lists(st.tuples(st.sampled_from(["date", "status", "deciders", "title", "tags", "informed", "other"]),
                       st.one_of(ODD_DATES, WORDS, DIGITS, TEXT.map(lambda t: t.replace("\n", " ")))), max_size=5)))


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(FRONT, TITLE, st.lists(SECTION, max_size=6), st.booleans(),
       st.sampled_from(["0001-a.md", "0002-b.md", "b.md", "20240230-x.md", "adr-" + "9" * 100 + "-x.md"]))
def test_import_is_total_on_random_markdown(tmp_path_factory: pytest.TempPathFactory, front: str, title: str,
                                            sections: list[str], decided: bool, name: str) -> None:
    path = tmp_path_factory.mktemp("markdown") / name
    decision = ['## Decision Outcome\n\nChosen option: "A", because it is simple.'] if decided else []
    path.write_text("\n\n".join([front + title, *sections, *decision]) + "\n", encoding="utf-8")
    started = time.perf_counter()
    try:
        source = adr_parse.parse(path, name)
        where = adr_draft.Origin("decisions", name)
        known = adr_draft.Known(frozenset({"ai-architecture"}), frozenset({"madr-4"}))
        draft = adr_draft.draft(source, "0001-a", "ai-architecture", known, dt.date(2026, 1, 1), where, where)
        adr_links.resolve_links([draft], adr_links.Targets([draft], Catalog()))
        data, text = adr_import.render(draft, lambda written: None)
        adr_import.problems(data, text, "catalog/adrs/0001-a.yaml")
    except adr_parse.RecordError as exc:
        assert str(exc)
    assert time.perf_counter() - started < HANG_GUARD
