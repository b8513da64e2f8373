"""`playbook export --format madr`: every decision record as MADR 4 Markdown, and back through `playbook import adr`."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TODAY
from markdown_it import MarkdownIt

from generators.cli.main import main
from generators.config import read_config
from generators.load.entries import load_catalog
from generators.load.visibility import load_visibility
from generators.models.adr import Adr, ImportedFrom
from generators.pipeline import check
from generators.project import Project
from generators.resolve.editions import edition

#: How the readers of an exported record parse it: CommonMark with raw HTML on.
READER = MarkdownIt("commonmark")


def export(root: Path, out: Path, *options: str) -> int:
    return main(["--root", str(root), "--today", TODAY.isoformat(), "export", "--format", "madr", *options,
                 "-o", str(out)])


def import_adrs(root: Path, *argv: str) -> int:
    return main(["--root", str(root), "--today", TODAY.isoformat(), "import", "adr", *argv])


def adrs(root: Path) -> dict[str, Adr]:
    catalog, _ = load_catalog(root, root / "catalog")
    return {adr.id: adr for adr in catalog.by_id(Adr)}


def without_adrs(root: Path) -> Path:
    for path in (root / "catalog" / "adrs").glob("*.yaml"):
        path.unlink()
    return root


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog's default edition exported as MADR."""
    out = tmp_path_factory.mktemp("madr") / "decisions"
    assert export(REPO, out) == 0
    return out


def test_every_bundled_adr_comes_back_field_by_field(exported: Path, make_project, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    originals = adrs(REPO)
    assert sorted(p.name for p in (exported / "adrs").iterdir()) == [f"{i}.md" for i in sorted(originals)]
    root = without_adrs(make_project(tmp_path / "project"))
    capsys.readouterr()
    assert import_adrs(root, "--source", "decisions-export", str(exported / "adrs")) == 0
    out = capsys.readouterr().out
    assert f"{len(originals)} written, 0 failed" in out and "kept in the context" not in out
    back = adrs(root)
    assert sorted(back) == sorted(originals)
    for entry_id, original in originals.items():
        again = back[entry_id]
        # the import records where it read the record; everything else is the entry as it was
        assert again.source == ImportedFrom(repository="decisions-export", path=f"{entry_id}.md")
        for name in Adr.model_fields:
            if name != "source":
                assert getattr(again, name) == getattr(original, name), f"{entry_id}: {name}"
    _, report = check(Project(root), TODAY)
    assert [d.text() for d in report.errors] == []

    capsys.readouterr()
    assert import_adrs(root, "--source", "decisions-export", str(exported / "adrs")) == 0
    assert out.count(": written ") == capsys.readouterr().out.count(": unchanged ") == len(originals)


def front_and_body(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_a_record_follows_the_madr_4_template(exported: Path) -> None:
    front, body = front_and_body((exported / "adrs" / "0007-evaluation-gate-thresholds.md").read_text(encoding="utf-8"))
    assert list(front)[:5] == ["status", "date", "decision-makers", "consulted", "informed"]
    assert front["status"] == "accepted" and front["decision-makers"][0] == "Senior AI Architect"
    assert front["playbook"]["id"] == "0007-evaluation-gate-thresholds"
    assert front["playbook"]["values"][0]["name"] == "eval-gate-max-quality-drop"
    headings = re.findall(r"^(#{1,3}) (.+)$", body, re.MULTILINE)
    assert headings == [
        ("#", "Gate AI releases on regression against production plus zero-tolerance safety cases"),
        ("##", "Context and Problem Statement"), ("##", "Decision Drivers"), ("##", "Considered Options"),
        ("##", "Decision Outcome"), ("###", "Consequences"), ("###", "Confirmation"),
        ("##", "Pros and Cons of the Options"),
        ("###", "Relative regression margin plus zero-tolerance safety and latency budget"),
        ("###", "Per-use-case absolute floors set by each team"),
        ("###", "Statistical significance test against production"), ("##", "More Information"),
    ]
    assert 'Chosen option: "Relative regression margin plus zero-tolerance safety and latency budget", because It ' \
           "meets the regression" in body
    assert "* Good, because Floors fit each use case.\n" in body
    assert "* Bad, because Flaky judge scores can block releases until judges are calibrated.\n" in body
    assert "* Neutral, because Time-boxed exceptions stay available" in body
    assert "* Supersedes [ADR-0006](0006-evaluation-gate-thresholds-v1.md): Gate AI releases on fixed absolute " \
           "evaluation scores\n" in body

    old, old_body = front_and_body((exported / "adrs" / "0006-evaluation-gate-thresholds-v1.md").read_text(encoding="utf-8"))
    assert old["status"] == "superseded by ADR-0007"
    assert "* Superseded by [ADR-0007](0007-evaluation-gate-thresholds.md): " in old_body


HOSTILE_TITLE = '1. Use <script>alert(1)</script> {{ config }} [x](javascript:alert(1)) **bold** "q" C:\\temp\\ #tag'
HOSTILE = f"""# yaml-language-server: $schema=../schemas/adr.schema.json
id: 0100-hostile-text
title: '{HOSTILE_TITLE.replace("'", "''")}'
summary: A record whose text tries every trick.
owners: [ai-architecture]
last_reviewed: 2026-11-01
review_every: 1 year
status: accepted
date: 2026-11-01
deciders: ['<img src=x onerror=alert(1)>', 'Ann "the decider" __x__']
context: |
  # A heading in prose

  Raw <b onclick="steal()">HTML</b>, <!-- a comment -->, `<code>` and <https://example.com/a>.

  <div>
  a block
  </div>

  ```
  ## not a section: the fence is never closed
decision_drivers: ['- starts like a list', '10) starts like a number', '> a quote', '{{{{ 7*7 }}}}']
considered_options:
  - title: 'Option "A" \\ with a backslash'
    description: |
      ## Not a section either

      Text.
    pros: ['Good, because it says so', 'lowercase start']
    cons: ['<!-- hidden -->']
  - title: Option B
outcome:
  chosen: 'Option "A" \\ with a backslash'
  justification: |
    - a list first
    - then more
consequences:
  neutral: ['Neutral, because twice']
"""


def test_hostile_text_is_shown_as_typed_and_comes_back(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "project")
    (root / "catalog" / "adrs" / "0100-hostile-text.yaml").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    assert export(root, out) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        sorted(f"adrs/{p.stem}.md" for p in (root / "catalog" / "adrs").glob("*.yaml"))
    text = (out / "adrs" / "0100-hostile-text.md").read_text(encoding="utf-8")
    _, body = front_and_body(text)
    tokens = READER.parse(body)
    inline = [child for token in tokens for child in token.children or ()]
    assert not [t for t in [*tokens, *inline] if t.type in ("html_block", "html_inline")]
    assert [t.attrGet("href") for t in inline if t.type == "link_open"] == ["https://example.com/a"]
    # the headings a reader sees are the template's; prose headings sit below them
    assert [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag < "h3"][1:] \
        == [("h2", "Context and Problem Statement"), ("h2", "Decision Drivers"), ("h2", "Considered Options"),
            ("h2", "Decision Outcome"), ("h2", "Pros and Cons of the Options")]
    title = READER.renderInline(tokens[1].content)
    assert html.unescape(title) == HOSTILE_TITLE  # shown as typed, nothing read as Markdown or HTML
    assert "{{" not in body.split("## Context")[0] and "{{" not in body.split("## Decision Drivers")[1]

    original = adrs(root)["0100-hostile-text"]
    target = without_adrs(make_project(tmp_path / "again"))
    assert import_adrs(target, str(out / "adrs" / "0100-hostile-text.md")) == 0
    again = adrs(target)["0100-hostile-text"]
    for name in ("title", "deciders", "decision_drivers", "consequences", "outcome"):
        assert getattr(again, name) == getattr(original, name), name
    assert [o.model_dump() for o in again.considered_options] == [o.model_dump() for o in original.considered_options]
    # raw HTML comes back as text that the site shows alike, and the fence is closed where the prose ends
    assert again.context == original.context.replace("<b onclick", "&lt;b onclick").replace("</b>", "&lt;/b>") \
        .replace("<!--", "&lt;!--").replace("<div>", "&lt;div>").replace("</div>", "&lt;/div>") + "```\n"


def test_raw_html_the_export_cannot_make_text_stops_it(make_project, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    target = root / "catalog" / "adrs" / "0002-hybrid-retrieval.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "context: |\n", "context: |\n  An escaped \\`<b>` backtick.\n\n", 1), encoding="utf-8")
    assert export(root, tmp_path / "out") == 1
    assert "error: ADR 0002-hybrid-retrieval: context holds raw HTML that the MADR export cannot write as text; " \
           "write the angle brackets as &lt; and &gt; in catalog/adrs/0002-hybrid-retrieval.yaml" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.md"))


def test_an_edition_exports_only_what_its_audience_reads(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    target = root / "catalog" / "adrs" / "0007-evaluation-gate-thresholds.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("status: accepted\n", "visibility: public\nstatus: accepted\n", 1),
                      encoding="utf-8")
    out = tmp_path / "out"
    assert export(root, out, "--audience", "public") == 0
    assert [p.name for p in (out / "adrs").iterdir()] == ["0007-evaluation-gate-thresholds.md"]
    text = (out / "adrs" / "0007-evaluation-gate-thresholds.md").read_text(encoding="utf-8")
    assert "0006" not in text.replace("ADR 0006", "")  # cited by the author's words only, and not linked
    assert "[[0006-evaluation-gate-thresholds-v1" not in text and "## More Information" not in text
    assert "the KPI unavailable in this edition" in text and "[[evaluation-gates]]" in text


def test_fields_madr_has_no_place_for_travel_in_the_playbook_key(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    target = root / "catalog" / "adrs" / "0008-opentelemetry-genai-tracing.yaml"
    target.write_text(target.read_text(encoding="utf-8")
                      .replace("status: accepted\n", "visibility: internal\nfield_visibility:\n  confirmation: internal\n"
                                                     "status: accepted\n", 1)
                      .replace("  - title: Vendor LLM tracing SDK in every service\n",
                               "  - title: Vendor LLM tracing SDK in every service\n    visibility: internal\n", 1)
                      + "source:\n  repository: git.example.com/sre/decisions\n  path: docs/adr/0042-otel.md\n",
                      encoding="utf-8")
    original = adrs(root)["0008-opentelemetry-genai-tracing"]
    assert original.source is not None and original.considered_options[1].visibility == "internal"
    out = tmp_path / "out"
    assert export(root, out) == 0
    again_root = without_adrs(make_project(tmp_path / "again"))
    shutil.copy2(REPO / "playbook.toml", again_root / "playbook.toml")
    assert import_adrs(again_root, str(out / "adrs" / "0008-opentelemetry-genai-tracing.md")) == 0
    assert adrs(again_root)["0008-opentelemetry-genai-tracing"] == original  # the source it names, too


def test_an_export_imported_over_its_own_catalog_changes_nothing(exported: Path, make_project, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    before = {p.name: p.read_bytes() for p in (root / "catalog" / "adrs").iterdir()}
    capsys.readouterr()
    assert import_adrs(root, str(exported / "adrs")) == 0
    out = capsys.readouterr().out
    # entries without a source are taken to be these records: each is kept until --overwrite
    assert out.count(": skipped (exists; --overwrite replaces it)") == len(before)
    assert {p.name: p.read_bytes() for p in (root / "catalog" / "adrs").iterdir()} == before


def test_an_edition_without_the_repository_names_no_source_repository() -> None:
    """The public edition links no repository, so it does not say where an ADR was imported from either; the
    internal one does."""
    catalog, _ = load_catalog(REPO, REPO / "catalog")
    adr = next(e for e in catalog.entries.values() if isinstance(e, Adr))
    catalog.entries[adr.id] = adr.model_copy(update={"visibility": "public", "source": ImportedFrom(
        repository="git.example.com/team/decisions", path="docs/adr/0001-x.md")})
    visibility = load_visibility(read_config(REPO))
    public, internal = (edition(catalog, visibility, visibility.audience(name)).catalog for name in ("public", "internal"))
    assert visibility.audience("public").repository is False
    shown = public.entries[adr.id]
    assert isinstance(shown, Adr) and shown.source is None
    assert internal.entries[adr.id].source is not None  # type: ignore[attr-defined]
