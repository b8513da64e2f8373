"""Templates: `playbook new adr "Title"`, the downloadable Markdown templates and `playbook new` for them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from generators.authoring.scaffold import adr_id, git_author, next_adr_number, slugify
from generators.cli.main import main
from generators.models.adr import AdrTemplate
from generators.pipeline import check
from generators.project import Project
from generators.render.downloads import (
    DOCUMENTS,
    PIPELINES,
    SKELETONS,
    adr_template_text,
    document_text,
    download_files,
)

AUTHOR = "Ada Lovelace"


@pytest.fixture(autouse=True)
def no_user_git_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git sees no global or system configuration, so only a test's own repository can name an author."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git_repo(folder: Path, user: str = AUTHOR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "config", "user.name", user], check=True)
    return folder


def adrs(catalog: Path, *ids: str) -> Path:
    folder = catalog / "adrs"
    folder.mkdir(parents=True, exist_ok=True)
    for entry_id in ids:
        (folder / f"{entry_id}.yaml").write_text("id: x\n", encoding="utf-8")
    return catalog


def run(root: Path, *argv: str) -> int:
    return main(["--root", str(root), "--today", "2026-03-04", *argv])


# -- numbering and slugs ------------------------------------------------------------


def test_the_first_adr_is_number_one(tmp_path: Path) -> None:
    assert next_adr_number(tmp_path / "catalog") == 1  # no catalog folder at all
    assert next_adr_number(adrs(tmp_path / "catalog")) == 1  # an empty adrs folder
    assert adr_id(tmp_path / "catalog", "Pick a gateway") == "0001-pick-a-gateway"


def test_the_next_number_follows_the_highest_not_the_count(tmp_path: Path) -> None:
    catalog = adrs(tmp_path, "0001-first", "0002-second", "0007-after-a-gap", "0003-third")
    assert next_adr_number(catalog) == 8
    assert adr_id(catalog, "Next") == "0008-next"


def test_ids_that_do_not_start_with_a_number_are_not_counted(tmp_path: Path) -> None:
    catalog = adrs(tmp_path, "sample-adr", "adr-0042-prefixed", "gateway-v2", "0004")
    (catalog / "adrs" / "0099-not-yaml.md").write_text("", encoding="utf-8")
    (catalog / "standards").mkdir()
    (catalog / "standards" / "0050-numbered-standard.yaml").write_text("", encoding="utf-8")
    assert next_adr_number(catalog) == 5


def test_numbers_keep_growing_past_four_digits(tmp_path: Path) -> None:
    catalog = adrs(tmp_path, "9999-last-four-digit")
    assert adr_id(catalog, "Five digits") == "10000-five-digits"
    assert adr_id(adrs(tmp_path, "10000-five-digits"), "More") == "10001-more"


@pytest.mark.parametrize(("title", "slug"), [
    ("Use PostgreSQL (v16) for vectors?!", "use-postgresql-v16-for-vectors"),
    ("Ünïcode déçision — über alles", "unicode-decision-uber-alles"),
    ("  --Leading & trailing--  ", "leading-trailing"),
    ("GPT-4o vs. Claude 3.5: routing", "gpt-4o-vs-claude-3-5-routing"),
    ("../../etc/passwd", "etc-passwd"),
    ("日本語のタイトル", ""),
    ("?!", ""),
])
def test_slug_of_odd_titles(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_long_title_is_cut_at_a_word_boundary() -> None:
    title = "Route every model call through the central gateway so that quotas, logging and fallbacks apply"
    slug = slugify(title)
    assert slug == "route-every-model-call-through-the-central-gateway-so-that"
    assert len(slug) <= 60
    assert slugify("x" * 70) == "x" * 60  # one long word is cut where it must be
    assert slugify("a" * 59 + " bcd") == "a" * 59  # no hyphen left dangling


def test_a_title_without_latin_letters_still_gets_a_text_id(tmp_path: Path) -> None:
    assert adr_id(tmp_path, "日本語のタイトル") == "0001-decision"  # a bare 0001 would read as a number


# -- the author ---------------------------------------------------------------------


def test_the_author_comes_from_the_project_repository(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    (repo / "catalog").mkdir()
    assert git_author(repo) == AUTHOR
    assert git_author(repo / "catalog") == AUTHOR  # any folder inside the repository


def test_no_author_outside_a_repository(tmp_path: Path) -> None:
    assert git_author(tmp_path) is None
    assert git_author(tmp_path / "missing") is None


# -- playbook new adr "Title" ---------------------------------------------------------


@pytest.fixture
def repo_project(tmp_path: Path) -> Path:
    """A git repository holding a catalog with the default owner team and two numbered ADRs."""
    root = git_repo(tmp_path / "project")
    assert run(root, "new", "team", "architecture") == 0
    assert run(root, "new", "adr", "0001-first") == 0
    assert run(root, "new", "adr", "0004-after-a-gap") == 0
    return root


def test_new_adr_from_a_title(repo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(repo_project, "new", "adr", "Use PostgreSQL (v16) for vectors?!") == 0
    out, err = capsys.readouterr()
    assert out.strip() == "catalog/adrs/0005-use-postgresql-v16-for-vectors.yaml"
    assert err == ""
    entry = yaml.safe_load((repo_project / out.strip()).read_text(encoding="utf-8"))
    assert entry["id"] == "0005-use-postgresql-v16-for-vectors"
    assert entry["title"] == "Use PostgreSQL (v16) for vectors?!"
    assert entry["date"].isoformat() == entry["last_reviewed"].isoformat() == "2026-03-04"
    assert entry["deciders"] == [AUTHOR]
    assert entry["owners"] == ["architecture"]
    assert run(repo_project, "check") == 0


def test_new_adr_title_keeps_the_owner_option_and_tidies_whitespace(repo_project: Path) -> None:
    assert run(repo_project, "new", "team", "data-platform") == 0
    assert run(repo_project, "new", "adr", "Two\tlines\nof   title", "--owner", "data-platform") == 0
    entry = yaml.safe_load((repo_project / "catalog/adrs/0005-two-lines-of-title.yaml").read_text(encoding="utf-8"))
    assert entry["title"] == "Two lines of title"
    assert entry["owners"] == ["data-platform"]
    assert run(repo_project, "check") == 0


def test_new_adr_without_a_git_author_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "new", "team", "architecture") == 0
    assert run(tmp_path, "new", "adr", "Pick a provider") == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "catalog/adrs/0001-pick-a-provider.yaml"
    assert "no git user.name" in err and "'unknown'" in err
    entry = yaml.safe_load((tmp_path / "catalog/adrs/0001-pick-a-provider.yaml").read_text(encoding="utf-8"))
    assert entry["deciders"] == ["unknown"]
    assert run(tmp_path, "check") == 0


def test_explicit_adr_ids_work_as_before(repo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo_project, "new", "adr", "0100-chosen-by-hand", "--title", "Chosen by hand") == 0
    entry = yaml.safe_load((repo_project / "catalog/adrs/0100-chosen-by-hand.yaml").read_text(encoding="utf-8"))
    assert entry["title"] == "Chosen by hand"
    assert entry["deciders"] == [AUTHOR]
    assert run(repo_project, "new", "adr", "Then numbered") == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "catalog/adrs/0101-then-numbered.yaml"


def test_a_title_given_twice_is_refused(repo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo_project, "new", "adr", "A title", "--title", "Another title") == 2
    assert "give the title once" in capsys.readouterr().err
    assert sorted(p.name for p in (repo_project / "catalog" / "adrs").iterdir()) == ["0001-first.yaml", "0004-after-a-gap.yaml"]


def test_other_kinds_still_need_a_slug_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "new", "standard", "Model cards") == 2
    assert "is not a valid id" in capsys.readouterr().err
    assert run(tmp_path, "new", "standard") == 2
    assert "give the id of the new standard" in capsys.readouterr().err
    assert not (tmp_path / "catalog").exists()


def test_catalog_kinds_refuse_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "new", "adr", "A title", "-o", str(tmp_path / "adr.md")) == 2
    assert "-o is for the Markdown templates" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- the downloadable templates --------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> dict[str, str | bytes]:
    catalog, report = check(Project(REPO))
    assert not report.errors
    return download_files(catalog)


def test_download_files_hold_the_index_and_every_template(bundled: dict[str, str | bytes]) -> None:
    adr_templates = sorted(p.stem for p in (REPO / "catalog" / "adr-templates").glob("*.yaml"))
    assert adr_templates  # the bundled catalog has some, so the ADR part is exercised
    assert sorted(bundled) == sorted(
        ["templates/index.md", *(f"templates/{name}.template" for name in DOCUMENTS),
         *(f"templates/adr-{i}.template" for i in adr_templates),
         *(f"templates/{name}.zip" for name in SKELETONS), *(f"templates/{name}.yml" for name in PIPELINES)])


def test_the_index_links_every_template_as_a_markdown_download(bundled: dict[str, str]) -> None:
    index = bundled["templates/index.md"]
    links = re.findall(r'\]\(([a-z0-9-]+)\.template\)\{ download="([a-z0-9-]+)\.md" \}', index)
    assert sorted(f"templates/{target}.template" for target, _ in links) == sorted(n for n in bundled if n.endswith(".template"))
    assert all(target == saved_as for target, saved_as in links)
    assert "](../adr-templates/madr-4.md)" in index  # each ADR template links its guidance page
    for document in DOCUMENTS.values():
        assert f"`playbook new {document.name}`" in index


def test_the_static_templates_are_the_packaged_files(bundled: dict[str, str]) -> None:
    for name in DOCUMENTS:
        source = (REPO / "generators" / "render" / "templates" / "downloads" / f"{name}.md").read_text(encoding="utf-8")
        assert bundled[f"templates/{name}.template"] == source


def test_every_document_template_has_one_title_placeholder() -> None:
    for name in DOCUMENTS:
        heading = document_text(name).split("\n", 1)[0]
        assert heading.startswith("# ") and len(re.findall(r"\{[^{}]*\}", heading)) == 1, name
        named = document_text(name, "Ticket router v3")
        assert named.split("\n", 1)[0] == re.sub(r"\{[^{}]*\}", "Ticket router v3", heading)
        assert named.split("\n", 1)[1] == document_text(name).split("\n", 1)[1]  # only the title changes


def test_an_adr_template_renders_its_sections_with_guidance_in_comments(bundled: dict[str, str]) -> None:
    text = bundled["templates/adr-lightweight-adr.template"]
    assert re.findall(r"^## (.+)$", text, flags=re.M) == [
        "Title", "Status and date", "Context", "Decision", "Consequences", "How we will know"]
    assert "<!--\nOptional.\nOne measurable signal" in text  # the optional section says so
    assert "<!--\nWhat the team will do, in active voice" in text
    assert text.startswith("<!--\nLightweight decision record template (lightweight-adr), based on Michael Nygard")


def hostile_template() -> AdrTemplate:
    return AdrTemplate.model_validate({
        "id": "odd", "title": "Odd <script>alert(1)</script> [x](javascript:alert(1)) {{ macro }}",
        "summary": "Summary | with a pipe and *emphasis* <img src=x onerror=alert(1)>",
        "owners": ["architecture"], "last_reviewed": "2026-01-01", "review_every": "1 year",
        "status": "draft", "description": "Text.", "based_on": "Nothing -->",
        "sections": [{"title": "Section", "guidance": "Ends early --> <!-- and --!> here", "required": True}],
    })


def test_catalog_text_on_the_index_page_is_inert() -> None:
    from generators.render.downloads import index_page

    row = next(line for line in index_page([hostile_template()]).splitlines() if "adr-odd.template" in line)
    assert "<script>" not in row and "<img" not in row and "{{" not in row and "](javascript" not in row
    assert row.count("|") == 5  # the pipe in the summary does not split the table cell
    assert row.startswith('| [Odd &#60;script&#62;')


def test_guidance_cannot_close_its_comment_early() -> None:
    text = adr_template_text(hostile_template())
    assert text.count("<!--") == text.count("-->") == 2


# -- playbook new for the Markdown templates ---------------------------------------------


def test_new_model_card_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "model-card.md"
    assert run(tmp_path, "new", "model-card", "Ticket router v3", "-o", str(target)) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Model card: Ticket router v3\n")
    assert text == document_text("model-card", "Ticket router v3")
    out, err = capsys.readouterr()
    assert out == "" and f"wrote {target}" in err


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_new_template_prints_to_stdout_and_writes_nothing(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(tmp_path, "new", name) == 0
    assert capsys.readouterr().out == document_text(name)
    assert list(tmp_path.iterdir()) == []  # nothing lands in the current folder


def test_new_template_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "card.md"
    target.write_text("my notes\n", encoding="utf-8")
    assert run(tmp_path, "new", "system-card", "Support copilot", "-o", str(target)) == 1
    assert target.read_text(encoding="utf-8") == "my notes\n"
    assert "already exists" in capsys.readouterr().err


def test_new_template_reports_a_folder_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "new", "threat-model-worksheet", "-o", str(tmp_path / "missing" / "tm.md")) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {tmp_path / 'missing' / 'tm.md'}") and "Traceback" not in err


def test_new_template_refuses_catalog_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "new", "model-card", "--owner", "architecture") == 2
    assert "--title and --owner are for catalog entries" in capsys.readouterr().err


def test_help_lists_kinds_and_templates(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    help_text = capsys.readouterr().out
    for name in [*DOCUMENTS, "adr", "standard"]:
        assert name in help_text
    assert 'playbook new adr "' in help_text
