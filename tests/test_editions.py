"""Audience editions: one catalog, a site per audience, and nothing above an audience's level in it.

The leak test plants unique markers in internal and restricted entries, fields, list items, diagram
nodes, owners and a hand-written page of a fixture catalog, builds every edition with the real
command, exports it in every format, and reads every byte of every file written.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from test_history import edit, git, playbook

from generators.cli.export import FORMATS
from generators.load.entries import schema_line

pytestmark = pytest.mark.slow  # builds whole sites or draws many diagrams: `-m "not slow"` leaves it out

LEVELS = ("public", "internal", "restricted")
AUDIENCES = ("public", "internal", "restricted")
MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"

CONFIG = """\
[visibility]
levels = ["public", "internal", "restricted"]
default = "public"
audience = "internal"
hidden_references = "unavailable"

[visibility.fields]
"tool.contract" = "internal"

[audiences.public]
level = "public"
repository = false

[audiences.internal]
level = "internal"

[audiences.restricted]
level = "restricted"
"""


def marker(level: str, number: int) -> str:
    return f"zqx{level}{number:02d}"


def planted(level: str) -> list[str]:
    """Every marker planted at `level`."""
    return [marker(level, n) for n in range(1, PLANTED[level] + 1)]


PLANTED = {"internal": 5, "restricted": 22}


def _append(path: Path, key: str, value: Any) -> None:
    edit(path, lambda d: d.setdefault(key, []).append(value))


COMMON = {"summary": "One sentence.", "owners": ["platform-team"], "tags": [], "last_reviewed": "2026-11-25", "review_every": "6 months"}


def write(path: Path, kind: str, data: dict[str, Any]) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"{schema_line(kind)}\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def plant(root: Path) -> None:
    """The fixture catalog with markers at every place a level can be set."""
    catalog = root / "catalog"
    r, i = (lambda n: marker("restricted", n)), (lambda n: marker("internal", n))
    architecture = catalog / "architectures" / "sample-architecture.yaml"
    checklist = catalog / "checklists" / "sample-checklist.yaml"
    threat = catalog / "threats" / "sample-threat.yaml"
    tool = catalog / "tools" / "sample-tool.yaml"

    # A whole restricted entry, referenced from public ones.
    secret = catalog / "standards" / f"{r(1)}.yaml"
    shutil.copy(catalog / "standards" / "sample-standard.yaml", secret)
    edit(secret, lambda d: d.update(id=r(1), title=f"Standard {r(2)}", tags=[r(3)], summary=f"About {r(4)}.",
                                    visibility="restricted"))
    _append(architecture, "standards", r(1))
    edit(checklist, lambda d: d["items"][0]["enforces"].append(r(1)))
    edit(threat, lambda d: d["mitigations"][0]["standards"].append(r(1)))
    # A restricted field of a public entry, and an internal one set for the whole kind in playbook.toml.
    edit(tool, lambda d: d.update(vendor=f"{r(5)} Inc.", field_visibility={"vendor": "restricted"},
                                  contract=f"Renewal terms {i(1)}."))
    # Restricted list items: a checklist item another entry points at, and a threat mitigation.
    edit(checklist, lambda d: d["items"].append({"id": r(6), "title": f"Check {r(7)}", "severity": "minor",
                                                 "evidence": "A record", "visibility": "restricted"}))
    edit(threat, lambda d: d["mitigations"].extend([
        {"control": f"Control {r(8)}", "visibility": "restricted"},
        {"control": "Check the item", "checklist_items": [f"sample-checklist#{r(6)}"]},
    ]))
    # A restricted diagram node with its edge, and a public node pointing at the restricted standard.
    edit(architecture, lambda d: (
        d["diagram"]["nodes"].extend([
            {"id": r(9), "label": f"Node {r(10)}", "kind": "vector-store", "visibility": "restricted"},
            {"id": r(19), "label": f"Policy {r(12)}", "kind": "object-storage", "ref": r(1)},
        ]),
        d["diagram"]["edges"].extend([{"from": "gateway", "to": r(9), "label": f"Edge {r(11)}"},
                                      {"from": "gateway", "to": r(19), "label": f"Edge {r(20)}"}]),
        d["diagram"]["clusters"][0]["nodes"].append(r(9)),
    ))
    # A restricted team owning a public entry.
    team = catalog / "teams" / f"{r(13)}.yaml"
    shutil.copy(catalog / "teams" / "platform-team.yaml", team)
    edit(team, lambda d: d.update(id=r(13), title=f"Team {r(13)}", owners=[r(13)], visibility="restricted",
                                  codeowners=["@example-org/secret-team"]))
    _append(architecture, "owners", r(13))
    # A restricted onboarding task.
    kit = catalog / "onboarding" / "sample-onboarding-kit.yaml"
    edit(kit, lambda d: d["phases"][0]["tasks"].append({"id": "secret-task", "title": f"Task {r(14)}",
                                                        "done_when": "Done", "visibility": "restricted"}))
    # Items other entries cite by id: a framework item, a standard rule, an ADR option, a checklist item.
    edit(catalog / "frameworks" / "sample-framework.yaml",
         lambda d: d["items"].append({"id": "ITEM-02", "name": f"Item {r(15)}", "visibility": "restricted"}))
    edit(threat, lambda d: d["crosswalks"].append({"framework": "sample-framework", "id": "ITEM-02", "name": f"Item {r(15)}"}))
    edit(catalog / "standards" / "sample-standard.yaml",
         lambda d: d["rules"].append({**d["rules"][0], "id": r(18), "visibility": "restricted"}))
    edit(catalog / "adrs" / "sample-adr.yaml", lambda d: (
        d["considered_options"].append({"title": f"Option {r(16)}", "visibility": "restricted"}),
        d["outcome"].update(chosen=f"Option {r(16)}")))
    write(catalog / "initiatives" / "sample-initiative.yaml", "initiative", {
        **COMMON, "id": "sample-initiative", "title": "Sample initiative", "status": "active", "stage": "pilot",
        "description": "What the initiative builds.", "architecture": "sample-architecture",
        "review": {"submitted": "2026-10-01", "decided": "2026-10-09", "decision": "approved"},
        "checklists": [{"checklist": "sample-checklist", "answers": [
            {"item": "first-item", "state": "done", "evidence": "https://example.com/evidence"},
            {"item": r(6), "state": "open", "reason": f"Waiting on {r(17)}"}]}]})
    write(catalog / "exceptions" / "sample-exception.yaml", "exception", {
        **COMMON, "id": "sample-exception", "title": "Sample exception", "status": "approved",
        "standard": "sample-standard", "rule": r(18), "initiative": "sample-initiative", "reason": "Why it is needed.",
        "approved_by": "The architecture board", "adr": "sample-adr", "expires": "2027-12-31"})
    edit(catalog / "kpis" / "sample-kpi.yaml",
         lambda d: d.update(computed={"method": "items-done", "items": ["sample-checklist#first-item", f"sample-checklist#{r(6)}"]}))
    # A restricted measurement of a public KPI: its note must stay out of lower editions, pages, charts and exports.
    _append(catalog / "kpis" / "sample-kpi.yaml", "measurements",
            {"period": "2026-Q3", "value": 91, "date": "2026-10-02", "source": "Review tracker",
             "note": f"Counted by {r(22)}", "visibility": "restricted"})
    edit(checklist, lambda d: d.update(status="active"))  # an active checklist: the Well-Architected lens holds it
    # A restricted hand-written page whose front matter opens after a byte-order mark.
    (root / "docs" / "bom-page.md").write_text(f"\ufeff---\nvisibility: restricted\n---\n\n# Page {r(21)}\n", encoding="utf-8")
    # Whole internal entries.
    edit(catalog / "adrs" / "sample-adr.yaml", lambda d: d.update(title=f"Decision {i(2)}", visibility="internal"))
    edit(catalog / "incidents" / "sample-incident-playbook.yaml",
         lambda d: d.update(summary=f"Respond to {i(3)}.", visibility="internal", tags=[i(4)]))
    # Hand-written pages: the golden path (internal, quoting an internal entry), and an internal page in the nav.
    (root / "docs" / "golden-path.md").write_text(
        '---\nrender_macros: true\nvisibility: internal\n---\n\n# Golden path\n\nDecided in {{ entry_link("sample-adr") }}.\n',
        encoding="utf-8")
    (root / "docs" / "internal-notes.md").write_text(f"---\nvisibility: internal\n---\n\n# Notes\n\nOnly {i(5)}.\n",
                                                    encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      - Tags: tags.md\n", "      - Tags: tags.md\n      - Internal notes: internal-notes.md\n"),
                      encoding="utf-8")
    (root / "playbook.toml").write_text(CONFIG, encoding="utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> tuple[Path, dict[str, Path]]:
    """Each edition built and exported in every format into its own folder."""
    root = make_project(tmp_path_factory.mktemp("editions") / "project", MINIMAL)
    plant(root)
    checked = playbook(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = {}
    for audience in AUDIENCES:
        folder = root.parent / f"out-{audience}"
        built = playbook(root, "build", "--audience", audience, "--site-dir", str(folder / "site"))
        assert built.returncode == 0, built.stderr[-3000:]
        built = playbook(root, "build", "--engine", "zensical", "--audience", audience, "--site-dir",
                         str(folder / "zensical"))
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        for fmt in FORMATS:  # every format other tools read: the catalog, the radar, lenses, architectures, ADRs
            exported = playbook(root, "export", "--audience", audience, "--format", fmt, "-o", str(folder / "export"))
            assert exported.returncode == 0, exported.stderr
        out[audience] = folder
    return root, out


#: Compressed files of a site: the sitemap, and Pagefind's index (its page records, words, filters and metadata).
COMPRESSED = (".gz", ".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")


def every_byte(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, lowercased, compressed ones uncompressed."""
    files = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(folder).as_posix()] = (gzip.decompress(data) if path.suffix in COMPRESSED
                                                          else data).lower()
    return files


#: Each engine's site folder in an edition's output, and the search index and sitemap it writes there; both sites
#: carry the Pagefind index `playbook build` makes of them.
ENGINES = {"mkdocs": ("site", "pagefind/pagefind-entry.json", "sitemap.xml.gz"),
           "zensical": ("zensical", "search.json", "sitemap.xml")}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_byte_of_an_edition_holds_a_marker_above_its_level(editions: tuple[Path, dict[str, Path]], audience: str) -> None:
    """Every file of the edition's sites, one built by each engine, and of its exports."""
    _, out = editions
    files = every_byte(out[audience])
    for folder, search, sitemap in ENGINES.values():
        assert {f"{folder}/{search}", f"{folder}/{sitemap}", f"{folder}/playbook/catalog.json",
                f"{folder}/playbook/llms.txt", f"{folder}/pagefind/pagefind-entry.json"} <= set(files)
        assert any(name.startswith(f"{folder}/pagefind/fragment/") for name in files)
        assert any(name.startswith(folder) and name.endswith(".relations.svg") for name in files)
    assert {"export/catalog.json", "export/catalog.yaml", "export/architectures.csv", "export/tech-radar.json",
            "export/wa-lens.json", "export/calm/sample-architecture.architecture.json",
            "export/mermaid/sample-architecture.md"} <= set(files)
    assert ("export/adrs/sample-adr.md" in files) == (audience != "public")  # the ADR is internal
    above = [m for level in LEVELS[LEVELS.index(audience) + 1:] for m in planted(level)]
    leaks = {m: sorted(name for name, data in files.items() if m.encode() in data) for m in above}
    assert {m: names for m, names in leaks.items() if names} == {}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_an_edition_holds_every_marker_at_or_below_its_level(editions: tuple[Path, dict[str, Path]], audience: str) -> None:
    """The other half of the leak test: the markers are really planted and reach the editions allowed to read them."""
    _, out = editions
    readable = [m for level in LEVELS[1:LEVELS.index(audience) + 1] for m in planted(level)]
    for folder, _, _ in ENGINES.values():  # the sites: hand-written pages hold markers too, which exports do not
        data = b"\0".join(every_byte(out[audience] / folder).values())
        assert (folder, [m for m in readable if m.encode() not in data]) == (folder, [])


def test_the_public_edition_links_no_repository_and_shows_hidden_references_as_unavailable(
        editions: tuple[Path, dict[str, Path]]) -> None:
    _, out = editions
    public = out["public"] / "site"
    files = every_byte(public)
    assert not [n for n, d in files.items() if b"git.example.com/architecture/ai-playbook" in d or b'rel="edit"' in d]
    page = (public / "playbook" / "architectures" / "sample-architecture" / "index.html").read_text(encoding="utf-8")
    assert "unavailable in this edition" in page
    svg = (public / "playbook" / "architectures" / "sample-architecture.neutral.svg").read_text(encoding="utf-8")
    shown = " ".join(re.findall(r">([^<]*)</text>", svg))  # a long label is drawn on several lines
    assert "Not in this edition" in shown and "Policy" not in svg
    internal = (out["internal"] / "site" / "playbook" / "architectures" / "sample-architecture" / "index.html").read_text(encoding="utf-8")
    assert "git.example.com/architecture/ai-playbook/-/edit/main/catalog/architectures/sample-architecture.yaml" in internal


def test_the_footer_names_the_edition(editions: tuple[Path, dict[str, Path]]) -> None:
    _, out = editions
    home = (out["public"] / "site" / "index.html").read_text(encoding="utf-8")
    assert "Public edition" in home


def test_check_for_an_audience_reports_what_points_at_hidden_content(editions: tuple[Path, dict[str, Path]]) -> None:
    root, _ = editions
    result = playbook(root, "check", "--audience", "public")
    assert result.returncode == 0, result.stdout
    lines = [line for line in result.stdout.splitlines() if "[hidden-reference]" in line]
    restricted = marker("restricted", 1)
    assert any(line.startswith("catalog/architectures/sample-architecture.yaml:")
               and f"standards[1]: '{restricted}' is not in the public edition" in line for line in lines), lines
    assert any(f"'sample-checklist#{marker('restricted', 6)}'" in line for line in lines), lines
    assert any("diagram.nodes[3].ref" in line for line in lines), lines
    for cited in ("crosswalks[1]: 'sample-framework#ITEM-02'", "checklists[0].answers[1].item: 'sample-checklist#",
                  f"rule: 'sample-standard#{marker('restricted', 18)}'"):
        assert any(cited in line for line in lines), (cited, lines)
    internal = playbook(root, "check", "--audience", "internal")
    assert "catalog/adrs/sample-adr.yaml" in internal.stdout and "outcome.chosen:" in internal.stdout
    plain = playbook(root, "check")
    assert "[hidden-reference]" not in plain.stderr + plain.stdout


def test_the_omit_rule_leaves_hidden_references_out(tmp_path: Path, make_project: Any) -> None:
    from generators.pipeline import check_edition
    from generators.project import Project

    root = make_project(tmp_path / "project", MINIMAL)
    plant(root)
    config = root / "playbook.toml"
    config.write_text(config.read_text().replace('hidden_references = "unavailable"', 'hidden_references = "omit"'))
    result, report = check_edition(Project(root), "public")
    assert result is not None, report.errors
    architecture = result.catalog.entries["sample-architecture"]
    assert architecture.standards == ["sample-standard"]  # type: ignore[attr-defined]
    assert architecture.owners == ["platform-team"]
    everything, _ = check_edition(Project(root), "restricted")
    assert everything is not None
    assert marker("restricted", 1) in everything.catalog.entries["sample-architecture"].standards  # type: ignore[attr-defined]


def test_the_refuse_rule_fails_the_build_of_an_edition_that_would_anonymise_a_node(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project", MINIMAL)
    plant(root)
    config = root / "playbook.toml"
    config.write_text(config.read_text().replace('hidden_references = "unavailable"',
                                                 'hidden_references = "unavailable"\nhidden_diagram_nodes = "refuse"'))
    result = playbook(root, "generate", "--audience", "public")
    assert result.returncode == 1
    assert "catalog/architectures/sample-architecture.yaml:" in result.stderr
    assert "diagram.nodes[3].ref" in result.stderr and "[hidden-diagram-node]" in result.stderr
    assert not (root / "docs" / "playbook").exists()
    assert playbook(root, "generate", "--audience", "restricted").returncode == 0


def test_an_unknown_audience_is_refused_with_a_suggestion(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project", MINIMAL)
    (root / "playbook.toml").write_text(CONFIG, encoding="utf-8")
    result = playbook(root, "build", "--audience", "publik")
    assert result.returncode == 1
    assert "error: no audience 'publik' in playbook.toml; did you mean 'public'?" in result.stderr


def test_levels_and_hidden_fields_are_checked_where_they_are_written(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project", MINIMAL)
    (root / "playbook.toml").write_text(CONFIG, encoding="utf-8")
    edit(root / "catalog" / "tools" / "sample-tool.yaml",
         lambda d: d.update(visibility="secret", field_visibility={"rationale": "internal", "vendorr": "internal"}))
    edit(root / "catalog" / "checklists" / "sample-checklist.yaml", lambda d: d["items"][0].update(visibility="publik"))
    result = playbook(root, "check")
    assert result.returncode == 1
    out = result.stdout
    assert "catalog/tools/sample-tool.yaml:" in out
    assert "visibility: 'secret' is not a visibility level" in out
    assert "field_visibility.rationale: 'rationale' is required and cannot be hidden on its own" in out
    assert "field_visibility.vendorr: a tool has no field 'vendorr'" in out and "did you mean 'vendor'?" in out
    assert "items[0].visibility: 'publik' is not a visibility level" in out and "did you mean 'public'?" in out


def test_configuration_mistakes_are_reported(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project", MINIMAL)
    config = CONFIG.replace('default = "public"', 'default = "open"').replace(
        '[visibility.fields]\n"tool.contract" = "internal"',
        '[visibility.fields]\n"tool.rationale" = "internal"\n\n[visibility.kinds]\narchitecure = "public"')
    (root / "playbook.toml").write_text(config, encoding="utf-8")
    result = playbook(root, "check")
    assert result.returncode == 1
    out = result.stdout
    assert "playbook.toml:1:1: error: visibility.default: 'open' is not a declared level" in out
    assert "visibility.kinds.architecure: unknown kind 'architecure'" in out and "did you mean 'architecture'?" in out
    assert "'rationale' is required in every tool and cannot be hidden" in out


def test_each_edition_is_published_to_its_own_branch_with_its_own_release_notes(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project", MINIMAL)
    plant(root)
    (root / ".gitignore").write_text("/site/\n/docs/playbook/\n/.playbook-cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Playbook Tests")
    git(root, "config", "user.email", "tests@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    for audience, branch in (("public", "gh-pages-public"), ("internal", "gh-pages")):
        result = playbook(root, "publish", "1.0", "--audience", audience)
        assert result.returncode == 0, result.stderr[-2000:]
        assert f"published 1.0 of the {audience} edition on branch {branch} from commit" in result.stderr
    # Between the versions, a restricted entry is added, a restricted item and a public tool change.
    extra = root / "catalog" / "standards" / f"{marker('restricted', 25)}.yaml"
    shutil.copy(root / "catalog" / "standards" / f"{marker('restricted', 1)}.yaml", extra)
    edit(extra, lambda d: d.update(id=marker("restricted", 25), title=f"New {marker('restricted', 26)}"))
    edit(root / "catalog" / "checklists" / "sample-checklist.yaml",
         lambda d: d["items"][1].update(title=f"Renamed {marker('restricted', 27)}"))
    edit(root / "catalog" / "tools" / "sample-tool.yaml", lambda d: d.update(ring="trial"))
    git(root, "commit", "-q", "-am", "changes")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "new standard")
    result = playbook(root, "publish", "1.1", "--audience", "public")
    assert result.returncode == 0, result.stderr[-2000:]
    notes = git(root, "show", "gh-pages-public:1.1/playbook/changes/index.html")
    assert "Sample tool" in notes and "1.1" in notes
    public_files = git(root, "ls-tree", "-r", "--name-only", "gh-pages-public").splitlines()
    internal_files = git(root, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "1.0/index.html" in public_files and "1.0/index.html" in internal_files
    hidden = [m for level in ("internal", "restricted") for m in planted(level)] + [marker("restricted", n) for n in (25, 26, 27)]
    text_files = [n for n in public_files if n.endswith((".html", ".json", ".txt", ".xml", ".svg", ".md", ".js"))]
    indexed = [n for n in public_files if n.endswith(COMPRESSED[1:])]
    assert any(n.startswith("1.1/pagefind/fragment/") for n in indexed)
    blob = "".join(git(root, "show", f"gh-pages-public:{name}").lower() for name in text_files)
    blob += "".join(gzip.decompress(subprocess.run(["git", "-C", str(root), "show", f"gh-pages-public:{name}"],
                                                   capture_output=True, check=True).stdout).decode(errors="replace").lower()
                    for name in indexed)
    assert [m for m in hidden if m in blob] == []
    internal_home = git(root, "show", "gh-pages:1.0/index.html")
    assert marker("internal", 5) not in internal_home and "Internal edition" in internal_home


def test_check_names_prose_that_cites_a_hidden_entry(tmp_path: Path, make_project: Any) -> None:
    """No rule can hide an id written into text, so check points the author at it."""
    root = make_project(tmp_path / "project", MINIMAL)
    (root / "playbook.toml").write_text(CONFIG, encoding="utf-8")
    edit(root / "catalog" / "adrs" / "sample-adr.yaml", lambda d: d.update(visibility="internal"))
    edit(root / "catalog" / "tools" / "sample-tool.yaml",
         lambda d: d.update(rationale="Chosen in `sample-adr`, over `sample-tool` itself."))
    result = playbook(root, "check", "--audience", "public")
    lines = [line for line in result.stdout.splitlines() if "the text names" in line]
    assert len(lines) == 1 and lines[0].startswith("catalog/tools/sample-tool.yaml:"), result.stdout
    assert "rationale: the text names 'sample-adr', which the public edition leaves out" in lines[0]
    assert "the text names" not in playbook(root, "check", "--audience", "internal").stdout
