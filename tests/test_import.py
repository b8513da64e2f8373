"""`playbook import adr`: Markdown ADRs in every common format become valid catalog entries."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generators.authoring.adr_import import repository_address
from generators.cli.imports import register
from generators.load.documents import load_text
from generators.load.entries import schema_line
from generators.pipeline import check
from generators.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "adr-import"
REPO_ADRS = Path(__file__).parent.parent / "catalog" / "adrs"
TODAY = "2026-11-25"


def run(root: Path, *argv: str, today: str = TODAY) -> int:
    """The import command as `playbook --root ROOT --today TODAY import adr ...` runs it."""
    top = argparse.ArgumentParser(prog="playbook")
    top.add_argument("--root", type=Path, default=Path("."))
    top.add_argument("--today", type=dt.date.fromisoformat, default=None)
    sub = top.add_subparsers(dest="command", required=True)
    register(sub)
    args = top.parse_args(["--root", str(root), "--today", today, "import", "adr", *argv])
    return int(args.run(Project(root), args))


def entry(root: Path, entry_id: str) -> dict[str, Any]:
    """An imported entry as the catalog loader reads it; the file must load without a diagnostic."""
    text = (root / "catalog" / "adrs" / f"{entry_id}.yaml").read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == schema_line("adr")
    document, problems = load_text(text, entry_id)
    assert document is not None and problems == []
    assert isinstance(document.data, dict)
    return document.data


def adrs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "catalog" / "adrs").glob("*.yaml"))}


def test_madr_2_with_status_bullets_options_pros_and_cons(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, str(FIXTURES / "madr2")) == 0
    data = entry(project, "0011-route-all-llm-calls-through-a-model-gateway")
    assert data.pop("source")["path"].endswith("adr-import/madr2/0011-use-a-model-gateway.md")  # in this checkout
    assert data == {
        "id": "0011-route-all-llm-calls-through-a-model-gateway",
        "title": "Route all LLM calls through a model gateway",
        "summary": "Product teams call three LLM providers directly.",
        "owners": ["ai-architecture"],
        "tags": ["imported"],
        "last_reviewed": "2021-06-14",
        "review_every": "12 months",
        "status": "accepted",
        "date": "2021-06-14",
        "deciders": ["Jane Doe", "Max Mustermann"],
        "context": "Product teams call three LLM providers directly. Keys are copied into\n"
                   "every service and nobody can see the total spend. How do we give teams\n"
                   "one way to reach models?\n\n"
                   "#### Technical Story\n\n[PLAT-1234](https://tracker.example.com/PLAT-1234)\n\n"
                   "#### Links\n\n* Refined by [[0012-cache-deterministic-gateway-responses|ADR-0012]]",
        "decision_drivers": ["Central control of provider keys", "Cost visibility per team",
                             "No more than 20 ms added latency"],
        "considered_options": [
            {"title": "Model gateway", "description": "A reverse proxy in front of every provider.",
             "pros": ["Keys never leave the platform", "Usage can be metered per team"],
             "cons": ["It adds a network hop"]},
            {"title": "Client library", "pros": ["No new service to run"],
             "cons": ["Every language needs its own library"]},
            {"title": "Status quo", "pros": ["Nothing to build"], "cons": ["Keys keep spreading"]},
        ],
        "outcome": {"chosen": "Model gateway",
                    "justification": "It is the only option that keeps\nprovider keys out of product services."},
        "consequences": {"good": ["One place to rotate keys.", "Spend is visible per team."],
                         "bad": ["The gateway is a new critical dependency."]},
        "template": "madr-4",
    }
    out = capsys.readouterr().out
    assert "0011-use-a-model-gateway.md: written catalog/adrs/0011-route-all-llm-calls-through-a-model-gateway.yaml" in out
    assert "0011-use-a-model-gateway.md: kept in the context: 'Technical Story', 'Links'" in out
    assert "2 written, 0 failed" in out.splitlines()


def test_madr_3_front_matter_validation_and_neutral_consequences(project: Path) -> None:
    assert run(project, str(FIXTURES / "madr3" / "0021-store-embeddings-in-pgvector.md")) == 0
    data = entry(project, "0021-store-embeddings-in-pgvector")
    assert (data["status"], data["date"], data["last_reviewed"]) == ("accepted", "2022-11-02", "2022-11-02")
    assert data["deciders"] == ["Priya Raman", "Tom Berg"]
    assert (data["consulted"], data["informed"]) == (["Data platform team"], ["All product teams"])
    assert data["consequences"] == {
        "good": ["Backups and access control reuse the existing setup"],
        "bad": ["Approximate search tuning is less mature"],
        "neutral": ["The choice is revisited when a corpus passes ten million vectors"],
    }
    assert data["confirmation"] == "A load test with five million vectors meets the 200 ms p95 budget."
    assert data["context"].endswith(
        "#### More Information\n\nThe load test notebook is in the `retrieval-benchmarks` repository.")
    assert data["outcome"]["chosen"] == "pgvector"


def test_madr_4_decision_makers_confirmation_and_option_details(project: Path) -> None:
    assert run(project, str(FIXTURES / "madr4")) == 0
    data = entry(project, "0031-evaluate-every-release-on-a-golden-set")
    assert data["deciders"] == ["Head of AI Platform", "Senior AI Architect"]
    assert (data["consulted"], data["informed"]) == (["Security architecture"], ["Product engineering"])
    assert data["confirmation"] == "The deploy pipeline refuses a release without an evaluation run id."
    assert data["outcome"] == {
        "chosen": "Golden-set evaluation in the pipeline",
        "justification": "It is\nrepeatable and blocks a release automatically.\n\nThe golden set is versioned with the prompts.",
    }
    first = data["considered_options"][0]
    assert first["description"] == "* Neutral, because the golden set needs an owner"
    assert first["cons"] == ["A golden set can go stale"]
    assert data["consequences"] == {"good": ["Every release carries an evaluation run id"],
                                    "bad": ["Teams must curate at least 200 cases"]}


def test_adr_tools_records_and_a_superseded_chain(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, str(FIXTURES / "nygard")) == 0
    old = entry(project, "0002-use-sqlite-for-the-prompt-cache")
    new = entry(project, "0003-use-redis-for-the-prompt-cache")
    assert (old["status"], old["superseded_by"]) == ("superseded", "0003-use-redis-for-the-prompt-cache")
    assert (new["status"], new["supersedes"]) == ("accepted", ["0002-use-sqlite-for-the-prompt-cache"])
    assert new["considered_options"] == [{"title": "Use Redis for the prompt cache"}]
    assert new["outcome"] == {"chosen": "Use Redis for the prompt cache",
                              "justification": "We will use the managed Redis service as a shared prompt cache."}
    assert new["consequences"] == {"good": ["Every instance shares one cache"],
                                   "bad": ["The cache now depends on the network"]}
    assert old["consequences"] == {"neutral": ["No extra service to run.", "The cache is not shared between instances."]}
    assert new["template"] == "lightweight-adr" and new["date"] == "2020-05-04"
    first = entry(project, "0001-record-architecture-decisions")
    assert first["title"] == "Record architecture decisions"
    assert first["context"] == (
        "We need to record the architectural decisions made on this project.\n\n#### Consequences\n\n"
        "See Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's adr-tools.")
    assert first["deciders"] == ["Not recorded"]
    assert "0001-record-architecture-decisions.md: no deciders; recorded as 'Not recorded'" in capsys.readouterr().out


def test_log4brains_date_named_file_takes_the_next_free_number(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, str(FIXTURES / "log4brains")) == 0
    data = entry(project, "0009-use-log4brains-to-publish-architecture-decisions")  # the catalog ends at 0008
    assert data["tags"] == ["imported", "doc", "tooling"]
    assert data["date"] == "2021-01-15" and data["deciders"] == ["Anna Schmidt", "Leo Park"]
    assert data["consequences"] == {"good": ["Records stay next to the code"], "bad": ["One more tool in the toolchain"]}
    assert "index.md" not in capsys.readouterr().out  # the log4brains home page is no record


def test_odd_records(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, str(FIXTURES / "odd")) == 0
    out = capsys.readouterr().out

    missing = entry(project, "0051-stream-tokens-to-the-browser")
    assert missing["status"] == "proposed"
    assert "0051-stream-tokens-to-the-browser.md: no status; imported as proposed" in out
    assert missing["context"].endswith(
        "#### Rollout\n\nBehind a feature flag, 10% of users first.\n\n"
        "```text\n# not a heading: a comment in a config sample\nstream: on\n```")

    german = entry(project, "0052-antworten-zwischenspeichern")
    assert (german["status"], german["date"], german["deciders"]) == ("accepted", "2021-03-04", ["Team Plattform"])
    assert german["context"] == "Gleiche Fragen werden oft wiederholt. Jede Antwort kostet Geld."
    assert german["outcome"]["justification"] == "Wir speichern Antworten 24 Stunden lang zwischen."
    assert german["consequences"] == {"good": ["Die Kosten sinken"],
                                      "bad": ["Antworten bis zu einem Tag veraltet sein können"]}
    assert "status 'Akzeptiert' read as accepted" in out

    dated = entry(project, "0053-allow-fine-tuning-of-hosted-models")
    assert dated["date"] == dated["last_reviewed"] == "2021-03-04"
    assert "status 'Accepted 2021-03-04' read as accepted" in out
    assert dated["considered_options"] == [{"title": "Yes"}, {"title": "No"}]
    assert dated["outcome"]["chosen"] == "No"
    # superseded through a link by file name from 0054
    assert (dated["status"], dated["superseded_by"]) == ("superseded", "0054-allow-fine-tuning-with-approval")

    newer = entry(project, "0054-allow-fine-tuning-with-approval")
    assert newer["supersedes"] == ["0053-allow-fine-tuning-of-hosted-models"]
    assert newer["context"] == (
        "Two use cases reached the limits of retrieval.\n\n#### Links\n\n"
        "* Relates to the gateway decision (`0011-use-a-model-gateway.md`)\n\n"
        "#### Unresolved links\n\n- Supersedes ADR-0099 (`0099-never-written.md`)")
    assert "'Supersedes [ADR-0099](0099-never-written.md)': no imported file or catalog ADR matches it" in out

    unnumbered = entry(project, "0055-moderate-prompts-before-they-reach-a-model")
    assert unnumbered["summary"] == "Users paste abusive content into the assistant."


def test_a_title_underlined_with_equals_signs_is_the_title(project: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "0080-underlined.md"
    source.write_text("Use PostgreSQL for embeddings\n=============================\n\n"
                      "* Status: accepted\n* Date: 2024-01-01\n* Deciders: Ann\n\n"
                      "Context\n-------\n\nOne database is enough.\n\n## Decision\n\nWe use pgvector.\n", encoding="utf-8")
    assert run(project, str(source)) == 0
    data = entry(project, "0080-use-postgresql-for-embeddings")
    assert (data["title"], data["status"], data["date"]) == ("Use PostgreSQL for embeddings", "accepted", "2024-01-01")
    assert data["context"] == "One database is enough."
    assert data["outcome"] == {"chosen": "Use PostgreSQL for embeddings", "justification": "We use pgvector."}
    assert "0080-underlined.md: written catalog/adrs/0080-use-postgresql-for-embeddings.yaml" in capsys.readouterr().out


def test_a_backtick_line_inside_a_tilde_fence_does_not_end_it(project: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "0081-fenced.md"
    sample = "~~~markdown\n```yaml\n## Not a section\n```\n~~~"
    source.write_text("# Keep prompts in Markdown\n\n* Status: accepted\n* Date: 2024-01-01\n* Deciders: Ann\n\n"
                      f"## Context\n\nA prompt looks like this:\n\n{sample}\n\n## Decision\n\nKeep them in Markdown.\n",
                      encoding="utf-8")
    assert run(project, str(source)) == 0
    data = entry(project, "0081-keep-prompts-in-markdown")
    assert data["context"] == f"A prompt looks like this:\n\n{sample}"
    assert data["outcome"]["justification"] == "Keep them in Markdown."
    assert "kept in the context" not in capsys.readouterr().out


def test_text_that_yaml_reads_as_something_else_is_quoted(project: Path, tmp_path: Path) -> None:
    options = ["yes", "N", "0755", "1e3", "0o17", "09", "2020-01-01", "null", "- dash", "true"]
    source = tmp_path / "0070-traps.md"
    source.write_text("# 0.5\n\n* Status: accepted\n* Date: 2024-01-01\n* Deciders: off\n\n## Context\n\nyes\n\n"
                      "## Considered Options\n\n" + "".join(f"* {o}\n" for o in options) +
                      '\n## Decision Outcome\n\nChosen option: "0o17", because 1e3\n', encoding="utf-8")
    assert run(project, str(source)) == 0
    data = entry(project, "0070-0-5")
    assert [o["title"] for o in data["considered_options"]] == options
    assert (data["title"], data["deciders"], data["context"]) == ("0.5", ["off"], "yes")
    assert data["outcome"] == {"chosen": "0o17", "justification": "1e3"}


def test_reimport_is_a_no_op_and_existing_entries_are_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, str(FIXTURES / "odd"), str(FIXTURES / "log4brains")) == 0
    first = adrs(project)
    capsys.readouterr()
    assert run(project, str(FIXTURES / "odd"), str(FIXTURES / "log4brains")) == 0
    out = capsys.readouterr().out
    assert adrs(project) == first
    assert out.count(": unchanged ") == 6 and ": written " not in out

    target = project / "catalog" / "adrs" / "0052-antworten-zwischenspeichern.yaml"
    edited = target.read_text(encoding="utf-8").replace("Team Plattform", "Team Platform")
    target.write_text(edited, encoding="utf-8")
    assert run(project, str(FIXTURES / "odd" / "0052-antworten-zwischenspeichern.md")) == 0
    assert "0052-antworten-zwischenspeichern.md: skipped (exists; --overwrite replaces it)" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == edited

    assert run(project, "--dry-run", "--overwrite", str(FIXTURES / "odd" / "0052-antworten-zwischenspeichern.md")) == 0
    assert ": would overwrite catalog/adrs/0052-antworten-zwischenspeichern.yaml" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == edited

    assert run(project, "--overwrite", str(FIXTURES / "odd" / "0052-antworten-zwischenspeichern.md")) == 0
    assert ": overwritten catalog/adrs/0052-antworten-zwischenspeichern.yaml" in capsys.readouterr().out
    assert adrs(project) == first


def test_a_record_without_a_date_keeps_its_first_import_date(project: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "0090-undated.md"
    source.write_text("# Undated\n\n## Status\n\nAccepted\n\n## Context\n\nNo date.\n\n## Decision\n\nDo it.\n",
                      encoding="utf-8")
    assert run(project, str(source)) == 0
    assert f"0090-undated.md: no date; used {TODAY}" in capsys.readouterr().out
    before = adrs(project)
    assert run(project, str(source), today="2027-01-01") == 0  # the first import's date is reused
    assert adrs(project) == before
    assert entry(project, "0090-undated")["date"] == TODAY


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = adrs(project)
    assert run(project, "--dry-run", str(FIXTURES / "madr2")) == 0
    assert adrs(project) == before
    assert "0011-use-a-model-gateway.md: would write catalog/adrs/0011-route-all-llm-calls-through-a-model-gateway.yaml" \
        in capsys.readouterr().out


def test_links_to_catalog_adrs_are_kept_only_when_both_sides_agree(project: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "0100-replace-pgvector.md"
    source.write_text("# Replace pgvector\n\n* Status: accepted\n* Date: 2026-11-01\n* Deciders: Board\n\n"
                      "## Context and Problem Statement\n\nScale.\n\n## Decision Outcome\n\n"
                      "Chosen option: \"Something else\", because scale.\n\n## Links\n\n"
                      "* Supersedes [ADR-0004](0004-pgvector-default-vector-store.md)\n", encoding="utf-8")
    assert run(project, str(source)) == 0
    data = entry(project, "0100-replace-pgvector")
    assert "supersedes" not in data
    assert data["considered_options"] == [{"title": "Something else"}]
    out = capsys.readouterr().out
    assert "'0004-pgvector-default-vector-store' is superseded by '0005-opensearch-vector-search'" in out
    assert data["context"].endswith("- Supersedes [[0004-pgvector-default-vector-store|ADR-0004]]")


def test_failed_files_are_reported_and_the_rest_imported(project: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "0200-no-decision.md").write_text("# No decision\n\n## Context\n\nOnly context.\n", encoding="utf-8")
    (tmp_path / "0201-no-title.md").write_text("Just text.\n", encoding="utf-8")
    (tmp_path / "0202-bad-front-matter.md").write_text("---\nstatus: [\n---\n# T\n", encoding="utf-8")
    (tmp_path / "0203-latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (tmp_path / "0204-too-long.md").write_text("# Long\n\n## Context\n\nC.\n\n## Decision\n\nD.\n\n## Consequences\n\n"
                                               f"* {'x' * 400}\n", encoding="utf-8")
    code = run(project, str(tmp_path), str(FIXTURES / "madr3"))
    out = capsys.readouterr().out
    assert code == 1
    assert "0200-no-decision.md: failed" in out
    assert "0200-no-decision.md: no decision: expected a '## Decision Outcome' or '## Decision' section" in out
    assert "0201-no-title.md: no '# Title' heading" in out
    assert "0202-bad-front-matter.md: the front matter is not valid YAML at line 3" in out
    assert "0203-latin1.md: byte 0xe9 is not valid UTF-8" in out
    assert "0204-too-long.md: not written: consequences.neutral[0]: " in out
    assert not (project / "catalog" / "adrs" / "0204-long.yaml").exists()
    assert "0021-store-embeddings-in-pgvector.md: written" in out


def test_usage_errors_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, str(FIXTURES / "missing.md")) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert run(project, "--owner", "nobody", str(FIXTURES / "madr3")) == 2
    assert "--owner 'nobody' is not a team in catalog/teams" in capsys.readouterr().err


def test_owner_option(project: Path) -> None:
    assert run(project, "--owner", "platform-mlops", str(FIXTURES / "madr3")) == 0
    assert entry(project, "0021-store-embeddings-in-pgvector")["owners"] == ["platform-mlops"]


def test_the_catalog_passes_check_after_importing_every_format(project: Path) -> None:
    paths = [str(p) for p in sorted(FIXTURES.iterdir())]
    assert run(project, *paths) == 0
    catalog, report = check(Project(project), dt.date.fromisoformat(TODAY))
    assert [d.text() for d in report.errors] == []
    imported = [e for e in catalog.entries.values() if "imported" in e.tags]
    assert len(imported) == 13


def test_front_matter_status_superseded_by_a_number(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "0030-evaluate-by-hand.md"
    source.write_text('---\nstatus: "superseded by ADR-0031"\ndate: 2023-01-09\ndecision-makers: QA lead\n---\n\n'
                      "# Evaluate releases by hand\n\n## Context and Problem Statement\n\nNo tooling yet.\n\n"
                      "## Considered Options\n\n* Spot checks, because nothing else exists\n* Nothing\n\n"
                      "## Decision Outcome\n\n"
                      'Chosen option: "Spot checks, because nothing else exists", because there is no tooling.\n',
                      encoding="utf-8")
    assert run(project, str(source), str(FIXTURES / "madr4")) == 0
    old = entry(project, "0030-evaluate-releases-by-hand")
    assert (old["status"], old["superseded_by"]) == ("superseded", "0031-evaluate-every-release-on-a-golden-set")
    assert old["outcome"] == {"chosen": "Spot checks, because nothing else exists",
                              "justification": "There is no tooling."}
    assert old["deciders"] == ["QA lead"]
    assert entry(project, "0031-evaluate-every-release-on-a-golden-set")["supersedes"] == ["0030-evaluate-releases-by-hand"]


def test_front_matter_aliases_are_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "0040-aliases.md"
    source.write_text("---\na: &x [1, 2]\nb: [*x, *x]\n---\n# Aliases\n\n## Decision\n\nNone.\n", encoding="utf-8")
    assert run(project, str(source)) == 1
    assert "0040-aliases.md: the front matter uses an alias (*name); write the value out" in capsys.readouterr().out


# -- records from several repositories ---------------------------------------------------------

FIRST = FIXTURES / "nygard" / "0001-record-architecture-decisions.md"
MADR_SUCCESSOR = ("# 2. Record decisions in MADR\n\nDate: 2024-02-01\n\n## Status\n\nAccepted\n\n"
                  "Supersedes [1. Record architecture decisions](0001-record-architecture-decisions.md)\n\n"
                  "## Context\n\nPlain records lack options.\n\n## Decision\n\nWe write MADR 4 records.\n")


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
                   check=True, capture_output=True)


def repository(folder: Path, remote: str | None, records: dict[str, str]) -> Path:
    """A git repository with `records` committed in doc/adr (as adr-tools keeps them) and `remote` as its origin."""
    adr = folder / "doc" / "adr"
    adr.mkdir(parents=True)
    for name, text in records.items():
        (adr / name).write_text(text, encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Records")
    if remote:
        git(folder, "remote", "add", "origin", remote)
    return adr


@pytest.fixture
def two_repositories(tmp_path: Path) -> tuple[Path, Path]:
    """Two teams' repositories, each starting with adr-tools' first record; the second supersedes it."""
    first = FIRST.read_text(encoding="utf-8")
    a = repository(tmp_path / "team-a", "https://builder:s3cret-token@git.example.com/team-a/decisions.git",
                   {"0001-record-architecture-decisions.md": first})
    b = repository(tmp_path / "team-b", "git@git.example.com:team-b/decisions.git",
                   {"0001-record-architecture-decisions.md": first, "0002-record-decisions-in-madr.md": MADR_SUCCESSOR})
    return a, b


def test_the_same_first_record_of_two_repositories_is_two_decisions(
        project: Path, two_repositories: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_repositories
    assert run(project, str(a), str(b)) == 0
    out = capsys.readouterr().out
    first_a, first_b = entry(project, "0001-record-architecture-decisions"), entry(project, "0009-record-architecture-decisions")
    assert first_a["source"] == {"repository": "git.example.com/team-a/decisions",
                                 "path": "doc/adr/0001-record-architecture-decisions.md"}
    assert first_b["source"] == {"repository": "git.example.com/team-b/decisions",
                                 "path": "doc/adr/0001-record-architecture-decisions.md"}
    assert first_a["title"] == first_b["title"] == "Record architecture decisions"
    assert "s3cret" not in (project / "catalog" / "adrs" / "0001-record-architecture-decisions.yaml").read_text()
    assert ("team-b/doc/adr/0001-record-architecture-decisions.md: '0001-record-architecture-decisions' is the id of a "
            "record from git.example.com/team-a/decisions: doc/adr/0001-record-architecture-decisions.md; imported as "
            "0009-record-architecture-decisions") in out
    # team b's link to its own first record means that record, not team a's of the same file name
    assert entry(project, "0002-record-decisions-in-madr")["supersedes"] == ["0009-record-architecture-decisions"]
    assert first_b["superseded_by"] == "0002-record-decisions-in-madr" and "superseded_by" not in first_a
    assert "3 written, 0 failed" in out.splitlines()

    before = adrs(project)
    assert run(project, str(b), str(a)) == 0  # found by their sources, in any order
    assert adrs(project) == before
    assert capsys.readouterr().out.count(": unchanged ") == 3


def test_a_changed_record_of_the_same_source_updates_only_with_overwrite(
        project: Path, two_repositories: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_repositories
    assert run(project, str(a)) == 0
    assert run(project, str(b)) == 0  # another day, the other team's records
    assert entry(project, "0009-record-architecture-decisions")["source"]["repository"] == "git.example.com/team-b/decisions"
    changed = b / "0002-record-decisions-in-madr.md"
    changed.write_text(MADR_SUCCESSOR.replace("Plain records lack options.", "Plain records lack options and drivers."),
                       encoding="utf-8")
    capsys.readouterr()
    assert run(project, str(changed)) == 0
    assert "0002-record-decisions-in-madr.md: skipped (exists; --overwrite replaces it)" in capsys.readouterr().out
    assert entry(project, "0002-record-decisions-in-madr")["context"] == "Plain records lack options."
    assert run(project, "--overwrite", str(changed)) == 0
    updated = entry(project, "0002-record-decisions-in-madr")
    assert updated["context"] == "Plain records lack options and drivers."
    # alone, its link still finds the record of its own repository, imported earlier under another number
    assert updated["supersedes"] == ["0009-record-architecture-decisions"]
    assert sorted(adrs(project)) == sorted([*(p.name for p in (REPO_ADRS).glob("*.yaml")),
                                            "0001-record-architecture-decisions.yaml",
                                            "0002-record-decisions-in-madr.yaml",
                                            "0009-record-architecture-decisions.yaml"])


def test_source_option_and_folders_outside_git(project: Path, tmp_path: Path) -> None:
    plain = tmp_path / "exported-records"
    plain.mkdir()
    shutil.copy2(FIRST, plain / FIRST.name)
    assert run(project, str(plain)) == 0
    assert entry(project, "0001-record-architecture-decisions")["source"] == {
        "repository": "exported-records", "path": "0001-record-architecture-decisions.md"}
    named = tmp_path / "elsewhere"
    named.mkdir()
    shutil.copy2(FIRST, named / FIRST.name)
    assert run(project, "--source", "git.example.com/platform/adr", str(named)) == 0
    assert entry(project, "0009-record-architecture-decisions")["source"] == {
        "repository": "git.example.com/platform/adr", "path": "0001-record-architecture-decisions.md"}


@pytest.mark.parametrize(("remote", "address"), [
    ("https://builder:token@git.example.com/team-a/decisions.git", "git.example.com/team-a/decisions"),
    ("https://GIT.example.com:8443/team-a/decisions/", "git.example.com/team-a/decisions"),
    ("ssh://git@git.example.com:22/team-a/decisions.git", "git.example.com/team-a/decisions"),
    ("git@git.example.com:team-a/decisions.git", "git.example.com/team-a/decisions"),
    ("/srv/git/decisions.git", "/srv/git/decisions"),
    ("file:///srv/git/decisions.git", "/srv/git/decisions"),
])
def test_every_way_of_cloning_names_a_repository_alike(remote: str, address: str) -> None:
    assert repository_address(remote) == address


def test_an_exported_record_names_a_valid_id_and_source(project: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    record = "---\nstatus: accepted\ndate: 2024-01-01\nplaybook:\n  id: {id}\n  source: {source}\n---\n\n# T\n\n" \
             "## Context and Problem Statement\n\nC.\n\n## Considered Options\n\n* A\n\n## Decision Outcome\n\n" \
             'Chosen option: "A", because it is.\n'
    (tmp_path / "0001-escape.md").write_text(record.format(id="../../outside", source="{repository: r, path: p}"),
                                             encoding="utf-8")
    (tmp_path / "0002-bad-source.md").write_text(record.format(id="0002-t", source="[r, p]"), encoding="utf-8")
    assert run(project, str(tmp_path)) == 1
    out = capsys.readouterr().out
    assert "0001-escape.md: playbook.id '../../outside' is not an entry id (a lowercase slug of at most 80 characters)" in out
    assert "0002-bad-source.md: playbook.source must name a repository and a path, as text" in out
    assert not list(tmp_path.parent.glob("outside*")) and not (project / "catalog" / "adrs" / "0002-t.yaml").exists()
