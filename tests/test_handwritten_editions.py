"""Hand-written pages fail closed: a page whose level cannot be read is kept at the narrowest level, a file beside
the pages is published in an edition that leaves pages out only when a kept page (or mkdocs.yml) uses it, and a built
site is checked for anything its edition leaves out.

Hostile pages carry unique markers; one real public build is read byte for byte (search index included), and
the security edition, which may read everything, is built too so that the markers are known to be planted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_editions import MINIMAL, every_byte

from generators.cli.main import main
from generators.config import read_config
from generators.load.pages import leaks_in_site, left_out, level_of, page_level, page_problems, readable, references
from generators.load.visibility import load_visibility
from generators.project import Project
from generators.publish.engines import stage_docs

LEVELS = ("public", "internal", "restricted")
TREATED = "so the page's visibility cannot be read; it is treated as 'restricted'"

#: Page, text, and the diagnostic `playbook check` gives it (without its hint).
HOSTILE = {
    "hostile-a.md": ("---\ntitle: [unclosed\nvisibility: restricted\n---\n\n# Page zqxhw01\n",
                     f"docs/hostile-a.md:1:1: warning: the front matter does not parse "
                     f"(did not find expected ',' or ']' at line 3), {TREATED}"),
    "hostile-b.md": ("---\ntitle: B\nVisibility: restricted\n---\n\n# Page zqxhw02\n",
                     f"docs/hostile-b.md:3:1: warning: Visibility: the key is not spelt 'visibility', {TREATED}"),
    "hostile-c.md": ("---\nvisiblity: internal\n---\n\n# Page zqxhw03\n",
                     f"docs/hostile-c.md:2:1: warning: visiblity: the key is not spelt 'visibility', {TREATED}"),
    "hostile-d.md": ("---\nvisibility: Internal\n---\n\n# Page zqxhw04\n",
                     f"docs/hostile-d.md:2:1: warning: visibility: 'Internal' is not a declared level, {TREATED}"),
    "hostile-e.md": ("---\nvisibility: [restricted]\n---\n\n# Page zqxhw05\n",
                     f"docs/hostile-e.md:2:1: warning: visibility: the value is not a single level name, {TREATED}"),
    # Front matter MkDocs does not read as such (it renders a rule and a heading), or reads through a merge key.
    "hostile-f.md": ("\n---\nvisibility: restricted\n---\n\n# Page zqxhw10\n",
                     f"docs/hostile-f.md:3:1: warning: visibility: the line is not read as front matter, {TREATED}"),
    "hostile-g.md": ("<!-- draft -->\n---\nvisibility: restricted\n---\n\n# Page zqxhw11\n",
                     f"docs/hostile-g.md:3:1: warning: visibility: the line is not read as front matter, {TREATED}"),
    "hostile-h.md": (" ---\nvisibility: restricted\n---\n\n# Page zqxhw12\n",
                     f"docs/hostile-h.md:2:1: warning: visibility: the line is not read as front matter, {TREATED}"),
    "hostile-i.md": ("----\nvisibility: restricted\n----\n\n# Page zqxhw13\n",
                     f"docs/hostile-i.md:2:1: warning: visibility: the line is not read as front matter, {TREATED}"),
    "hostile-j.md": ("---\n<<: {visibility: restricted}\n---\n\n# Page zqxhw14\n",
                     f"docs/hostile-j.md:2:1: warning: <<: keys merged into the front matter are not read, {TREATED}"),
}
NOT_FRONT_MATTER = "front matter must start on the first line with ---"
SECRET_PAGE = """\
---
visibility: restricted
---

# Plans zqxhw06

![The design](secret.png)

<p>Read <a href="plan.pdf#page=2">the plan</a>, with <a href="../assets/playbook.css">the style</a>.</p>

![Shared](../shared.png) and [elsewhere](https://example.com/secret.png).

<div style="background:url(../files/css.png)">Styled</div>

<img src="../files/ent&#46;png">

<meta http-equiv="refresh" content="0;url=../files/meta.png">

<img src="x.png">
![x][r]

[r]: ../files/ref2.png
"""
#: A public page using files in ways a CommonMark reader does not see: each must still be published.
OPEN_PAGE = """\
# Open page

![Shared](shared.png)

<img src="kept&#46;png" alt="Entity">

<div style="background:url(&quot;kept-style.png&quot;)">Styled</div>

<img src="shared.png">
![k][k]

[k]: kept-ref.png
"""
MARKERS = [f"zqxhw{n:02d}" for n in [*range(1, 9), *range(10, 19)]]
#: Files only the restricted page uses: the last four are used in ways only Python-Markdown or a browser sees.
COMPANIONS = ["team/plan.pdf", "team/secret.png", "files/css.png", "files/ent.png", "files/meta.png", "files/ref2.png"]
#: Files no page uses: left out of an edition that leaves out any page (the screenshot is the README's).
UNUSED = ["team/unused.txt", "assets/screenshot.png"]
KEPT = ["shared.png", "kept.png", "kept-style.png", "kept-ref.png"]


def plant(root: Path) -> None:
    """The hostile pages, a restricted page with its image and attachment, and a public page sharing an image."""
    docs = root / "docs"
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")  # audiences public, internal, security (restricted)
    # The bundled golden path quotes entries the small catalog lacks.
    (docs / "golden-path.md").write_text("---\nvisibility: internal\n---\n\n# Golden path\n", encoding="utf-8")
    for name, (text, _) in HOSTILE.items():
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "team").mkdir()
    (docs / "team" / "secret-page.md").write_text(SECRET_PAGE, encoding="utf-8")
    (docs / "team" / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nzqxhw07")
    (docs / "team" / "plan.pdf").write_bytes(b"%PDF-1.4 zqxhw08")
    (docs / "team" / "unused.txt").write_text("Linked by no page.\n", encoding="utf-8")
    (docs / "files").mkdir()
    for number, name in enumerate(["css.png", "ent.png", "meta.png", "ref2.png"], start=15):
        (docs / "files" / name).write_bytes(f"\x89PNG\r\n\x1a\nzqxhw{number}".encode())
    for name in KEPT:
        (docs / name).write_bytes(b"\x89PNG\r\n\x1a\n" + name.encode())
    (docs / "open-page.md").write_text(OPEN_PAGE, encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, make_project: Any) -> Path:
    root = make_project(tmp_path_factory.mktemp("handwritten") / "project", MINIMAL)
    plant(root)
    return root


@pytest.fixture(scope="module")
def sites(planted: Path) -> dict[str, Path]:
    """The public and the security edition, built with the real command."""
    out = {}
    for audience in ("public", "security"):
        out[audience] = planted.parent / f"site-{audience}"
        assert main(["--root", str(planted), "build", "--audience", audience, "--site-dir", str(out[audience])]) == 0
    return out


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_page_whose_level_cannot_be_read_gets_the_narrowest_level(name: str) -> None:
    text, expected = HOSTILE[name]
    result = level_of(text, f"docs/{name}", LEVELS)
    assert result.level == "restricted"
    assert [p.text().split("\n")[0] for p in result.problems] == [expected]


def test_each_problem_comes_with_a_hint_to_fix_it() -> None:
    hints = {name: level_of(text, f"docs/{name}", LEVELS).problems[0].hint for name, (text, _) in HOSTILE.items()}
    assert hints == {"hostile-a.md": "fix the YAML between the '---' lines",
                     "hostile-b.md": "did you mean 'visibility'?", "hostile-c.md": "did you mean 'visibility'?",
                     "hostile-d.md": "did you mean 'internal'?",
                     "hostile-e.md": "write one of the levels: public, internal, restricted",
                     "hostile-f.md": NOT_FRONT_MATTER, "hostile-g.md": NOT_FRONT_MATTER,
                     "hostile-h.md": NOT_FRONT_MATTER, "hostile-i.md": NOT_FRONT_MATTER,
                     "hostile-j.md": "write 'visibility: <level>' itself between the '---' lines"}


@pytest.mark.parametrize(("text", "what"), [
    ("---\nvisibility: internal\n", "docs/p.md:1:1: warning: the front matter is never closed"),
    ("---\n- internal\n---\n", "docs/p.md:1:1: warning: the front matter is not a mapping of keys to values"),
    ("---\nvisibility: internal\nvisibility: public\n---\n", "docs/p.md:3:1: warning: visibility: 'visibility' is given twice"),
    ("---\nvisibility: yes\n---\n", "docs/p.md:2:1: warning: visibility: the value is not a single level name"),
    ("---\nvisibility: secret\n---\n", "docs/p.md:2:1: warning: visibility: 'secret' is not a declared level"),
    ("---\nupdated: 2026-13-45\nvisibility: public\n---\n", "docs/p.md:1:1: warning: the front matter does not parse"),
    ("Visibility: public\n\n# Metadata without fences, which MkDocs reads too\n",
     "docs/p.md:1:1: warning: Visibility: the key is not spelt 'visibility'"),
    ("---\ntitle: T\n---\n\n# T\n\n  Visiblity: restricted\n",
     "docs/p.md:7:3: warning: Visiblity: the line is not read as front matter"),
    ("title: T\n    visibility: restricted\n", "docs/p.md:2:5: warning: visibility: the line is not read as front matter"),
    ("---\nextra:\n  visibility: restricted\n---\n",
     "docs/p.md:3:3: warning: visibility: the line is in the front matter but not one of its keys"),
    ("---\nvisibility: public\n---\n\n# T\n\n'visibility': restricted\n",
     "docs/p.md:7:2: warning: visibility: the line is not read as front matter"),
    ("---\nbase: &b {visibility: restricted}\ntitle: T\n<<: *b\n---\n",
     "docs/p.md:4:1: warning: <<: keys merged into the front matter are not read"),
])
def test_other_unreadable_levels_are_reported_where_they_are_written(text: str, what: str) -> None:
    result = level_of(text, "docs/p.md", LEVELS)
    assert result.level == "restricted"
    assert result.problems[0].text().startswith(what), result.problems[0].text()


@pytest.mark.parametrize(("text", "level"), [
    ("# No front matter\n", None),
    ("---\nrender_macros: true\ntitle: Notes\n---\n\n# Notes\n", None),
    ("\ufeff---  \nvisibility: internal\n---\n\n# After a byte-order mark and trailing spaces\n", "internal"),
    ("---\r\nvisibility: 'public'\r\n...\r\n", "public"),
    ("visibility: internal\n\n# MultiMarkdown metadata\n", "internal"),
    ("---\nvisibility: &v internal\nalso: *v\n---\n", "internal"),
    ("# Visibility\n\nA page's visibility: who may read it.\nThe `visibility: internal` key.\n- visibility: prose\n"
     "Visit: the portal.\nReliability: high.\nVisible: in the nav.\n", None),
    ("---\nvisibility: public\n---\n" + "\n" * 27 + "visibility: restricted, past the head of the page\n", "public"),
])
def test_a_readable_level_or_none_is_kept_as_it_is(tmp_path: Path, text: str, level: str | None) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(text.encode("utf-8"))
    result = page_level(page, LEVELS)
    assert (result.level, result.problems) == (level, ())


def test_a_page_that_is_not_utf8_gets_the_narrowest_level(tmp_path: Path) -> None:
    page = tmp_path / "latin.md"
    page.write_bytes("---\nvisibility: public\n---\n\n# Caf\u00e9 zqxhw09\n".encode("latin-1"))
    result = page_level(page, LEVELS, "docs/latin.md")
    assert result.level == "restricted"
    assert [p.text() for p in result.problems] == [
        "docs/latin.md:5:6: warning: the file is not UTF-8 (byte 0xe9), so the page's visibility cannot be read; "
        "it is treated as 'restricted'\n  hint: save it as UTF-8"]


@settings(max_examples=60, deadline=None)
@given(before=st.sampled_from(["\n", "<!-- draft -->\n", " ", "\t", "----\n", "# Title\n\n", "\n\n\n"]),
       key=st.sampled_from(["visibility", "Visibility", "visiblity"]),
       value=st.sampled_from(["public", "internal", "restricted"]))
def test_a_visibility_line_not_read_as_front_matter_gets_the_narrowest_level(before: str, key: str, value: str) -> None:
    result = level_of(f"{before}---\n{key}: {value}\n---\n\n# T\n", "docs/p.md", LEVELS)
    assert result.level == "restricted"
    assert [(p.line, p.path, p.hint) for p in result.problems] == [(before.count("\n") + 2, key, NOT_FRONT_MATTER)]


def test_the_bundled_pages_are_read_without_a_warning() -> None:
    assert page_problems(REPO, load_visibility(read_config(REPO))) == []


@pytest.mark.parametrize(("text", "found"), [
    ('<div style="background:url(../files/css.png)">x</div>\n', {"files/css.png"}),
    ("<p style='color: red; background: URL( \"a b.png\" )'>x</p>\n", {"team/a b.png"}),
    ('<div style="background:url(&quot;k.png&quot;)">x</div>\n', {"team/k.png"}),
    ('<img src="../files/ent&#46;png">\n', {"files/ent.png"}),
    ("<img src='&#x2e;&#x2e;/files/hex.png'>\n", {"files/hex.png"}),
    ('<meta http-equiv="refresh" content="0;url=../files/meta.png">\n', {"files/meta.png"}),
    ("<meta http-equiv=refresh content='5; URL=\"m.png\"'>\n", {"team/m.png"}),
    ('<img src="x.png">\n![x][r]\n\n[r]: ../files/ref2.png\n', {"team/x.png", "files/ref2.png"}),
    ("<div>\n[a](in%20html.pdf) ![b](<sp ace.png>)\n</div>\n", {"team/in html.pdf", "team/sp ace.png"}),
    ("<style>\n.a { background: url(s.png) }\n@import '../i.css';\n</style>\n", {"team/s.png", "i.css"}),
    ('<img srcset="a.png 1x, b.png 2x" data-src="lazy.png"><svg><use xlink:href="i.svg#x"/></svg>\n',
     {"team/a.png", "team/b.png", "team/lazy.png", "team/i.svg"}),
    ("<div>\n[a](x\\_y.pdf)\n</div>\n", {"team/x_y.pdf"}),
])
def test_what_a_page_uses_is_read_generously(text: str, found: set[str]) -> None:
    assert found <= references(text, "team/page.md")


@pytest.mark.parametrize("text", [
    '<meta name="description" content="../not-a-url.png">\n',
    "[b](https://example.com/c.png) [c](#top) [d](../../outside.png) [e](//host/f.png)\n",
    '<a href="http://[broken">x</a> [y](http://[z) <img src="http://[">\n',
])
def test_other_sites_anchors_and_broken_urls_are_no_use_of_a_file(text: str) -> None:
    assert references(text, "team/page.md") == set()


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from(["visibility", "Visibility", "VISIBILITY", "visiblity", "visibilty", "vissibility"]),
       value=st.sampled_from(["public", "Public", "PUBLIC", "internal", "restricted", "'public'", "[public]", "yes",
                              "", "public # note", "publik", "{level: public}"]))
def test_only_the_exact_key_with_a_declared_level_is_read_as_written(key: str, value: str) -> None:
    level = level_of(f"---\ntitle: T\n{key}: {value}\n---\n\n# T\n", "docs/p.md", LEVELS).level
    exact = key == "visibility" and value.strip("'").split(" #")[0] in LEVELS
    assert level == (value.strip("'").split(" #")[0] if exact else "restricted")


def test_the_edition_leaves_out_each_unreadable_page_and_the_files_only_left_out_pages_use(planted: Path) -> None:
    visibility = load_visibility(read_config(planted))
    public = left_out(planted, visibility, visibility.audience("public"))
    internal_pages = {"golden-path.md", "roadmap.md", "tech-debt.md"}  # the bundled docs' internal pages
    assert public == {*internal_pages, *HOSTILE, "team/secret-page.md", *COMPANIONS, *UNUSED}
    assert left_out(planted, visibility, visibility.audience("internal")) == {
        *HOSTILE, "team/secret-page.md", *COMPANIONS, *UNUSED}
    # An edition that leaves out no page keeps every file, used or not.
    assert left_out(planted, visibility, visibility.audience("security")) == set()
    # The macro that asks whether a page is in the edition follows the same rule.
    assert not readable(planted / "docs" / "hostile-d.md", visibility, visibility.audience("internal"))
    assert readable(planted / "docs" / "hostile-d.md", visibility, visibility.audience("security"))


def test_a_companion_a_kept_page_uses_stays(tmp_path: Path, make_project: Any) -> None:
    root = make_project(tmp_path / "project", MINIMAL)
    plant(root)
    (root / "docs" / "open-page.md").write_text("# Open\n\n<img src='team/secret.png'>\n", encoding="utf-8")
    visibility = load_visibility(read_config(root))
    assert left_out(root, visibility, visibility.audience("public")) & set(COMPANIONS) == {
        "team/plan.pdf", *COMPANIONS[2:]}


def test_a_file_mkdocs_yml_names_stays_and_one_only_a_left_out_page_names_goes(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "docs" / "assets").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: T\nextra_css: [assets/site.css]\ntheme: {name: material, "
                                     "logo: assets/logo.svg}\n", encoding="utf-8")
    for name in ("site.css", "logo.svg", "font.woff2"):
        (root / "docs" / "assets" / name).write_text("x", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "hidden.md").write_text("---\nvisibility: internal\n---\n\n![Logo](assets/logo.svg)\n",
                                             encoding="utf-8")
    visibility = load_visibility(read_config(root))
    assert left_out(root, visibility, visibility.audience("public")) == {"hidden.md", "assets/font.woff2"}


def test_the_built_public_edition_holds_no_byte_of_what_it_leaves_out(planted: Path, sites: dict[str, Path]) -> None:
    public, security = every_byte(sites["public"]), every_byte(sites["security"])
    assert "pagefind/pagefind-entry.json" in public and "open-page/index.html" in public
    leaks = {m: sorted(name for name, data in public.items() if m.encode() in data) for m in MARKERS}
    assert {m: names for m, names in leaks.items() if names} == {}
    assert [name for name in [*COMPANIONS, *UNUSED] if name in public] == []
    assert {*KEPT, "assets/playbook.css", "assets/playbook.js"} <= set(public)
    # The other half: the security edition, which may read every level, holds every marker and file.
    everything = b"\0".join(security.values())
    assert [m for m in MARKERS if m.encode() not in everything] == []
    assert {*COMPANIONS, *UNUSED, *KEPT} <= set(security)


def test_leaks_in_site_finds_in_a_built_site_what_the_edition_leaves_out(planted: Path, sites: dict[str, Path]) -> None:
    visibility = load_visibility(read_config(planted))
    public = visibility.audience("public")
    assert leaks_in_site(planted, visibility, public, sites["public"]) == []
    found = leaks_in_site(planted, visibility, public, sites["security"])
    assert [f for f in found if not f.startswith("pagefind/")] == [
        "assets/screenshot.png", "files/css.png", "files/ent.png", "files/meta.png", "files/ref2.png",
        "golden-path/index.html", *[f"hostile-{c}/index.html" for c in "abcdefghij"], "roadmap/index.html",
        "team/plan.pdf", "team/secret-page/index.html", "team/secret.png", "team/unused.txt", "tech-debt/index.html"]
    assert [f for f in found if f.endswith(": /team/secret-page/")][0].startswith("pagefind/fragment/")


def test_check_lists_each_page_whose_level_cannot_be_read(planted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(planted), "check", "--audience", "public"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("docs/")] == [expected for _, expected in HOSTILE.values()]
    assert main(["--root", str(planted), "check"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if line.startswith("docs/")] == [
        expected for _, expected in HOSTILE.values()]


def test_zensical_is_given_a_docs_folder_without_what_the_edition_leaves_out(planted: Path) -> None:
    visibility = load_visibility(read_config(planted))
    left = left_out(planted, visibility, visibility.audience("internal"))
    staged = stage_docs(Project(planted), left)
    files = {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()}
    assert sorted(left) == [
        "assets/screenshot.png", "files/css.png", "files/ent.png", "files/meta.png", "files/ref2.png", "hostile-a.md",
        "hostile-b.md", "hostile-c.md", "hostile-d.md", "hostile-e.md", "hostile-f.md", "hostile-g.md", "hostile-h.md",
        "hostile-i.md", "hostile-j.md", "team/plan.pdf", "team/secret-page.md", "team/secret.png", "team/unused.txt"]
    assert files.isdisjoint(left) and "index.md" in files
    assert files == {p.relative_to(planted / "docs").as_posix() for p in (planted / "docs").rglob("*")
                     if p.is_file()} - left


def test_leaks_in_site_on_a_hand_made_site(tmp_path: Path) -> None:
    root = tmp_path / "project"
    docs = root / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "index.md").write_text("---\nvisibility: internal\n---\n# Guide\n\n![x](chart.svg)\n", encoding="utf-8")
    (docs / "guide" / "deep.md").write_text("---\nVisibility: public\n---\n# Deep\n", encoding="utf-8")
    (docs / "guide" / "chart.svg").write_text("<svg/>", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    site = tmp_path / "site"
    for path in ("index.html", "guide/index.html", "guide/deep/index.html", "guide/chart.svg", "search/x"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("built", encoding="utf-8")
    (site / "search" / "search_index.json").write_text(json.dumps({"docs": [
        {"location": "", "title": "Home"}, {"location": "guide/#intro", "title": "Guide"},
        {"location": "guide/deep/", "title": "Deep"}, {"location": "guided/", "title": "Other"}]}), encoding="utf-8")
    visibility = load_visibility(read_config(root))
    public = visibility.audience("public")
    assert leaks_in_site(root, visibility, public, site) == [
        "guide/chart.svg", "guide/deep/index.html", "guide/index.html",
        "search/search_index.json: guide/#intro", "search/search_index.json: guide/deep/"]
    assert leaks_in_site(root, visibility, visibility.audience("restricted"), site) == []
    for path in ("guide/index.html", "guide/deep/index.html", "guide/chart.svg", "search/search_index.json"):
        (site / path).unlink()
    assert leaks_in_site(root, visibility, public, site) == []

