"""A published version made lighter (generators/publish/lighten.py, hooks/lighten.py) and a site's sizes
(benchmarks/sizes.py).

A lightened page must read the same as before: parsed with an HTML parser, it has the same elements with the same
attributes, the same words, and the same text, to the character, in the elements whose whitespace shows or runs.
Pagefind must index it the same. Only the build `playbook publish` has mike make is lightened.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest
from conftest import REPO
from mkdocs.exceptions import PluginError

from benchmarks.legibility import served
from benchmarks.sizes import CATEGORIES, LIMIT, main, shared_bytes, site_size
from generators.cli.main import main as playbook
from generators.publish.lighten import collapse, lighten_site
from generators.publish.search_index import index_site

if TYPE_CHECKING:  # Playwright is needed only to run the browser test, not to collect it
    from playwright.sync_api import Browser

#: Where whitespace shows as typed or is read by a program: the test's own list, not the module's.
AS_TYPED = {"pre", "textarea", "code", "kbd", "script", "style"}


class Reading(HTMLParser):
    """What a page holds for a reader: its elements with their attributes, its words, and the text of the elements
    whose whitespace counts, as it is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.typed: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self.text.append(" ")
        if tag in AS_TYPED:
            self.depth += 1
            self.typed.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.elements.append((f"/{tag}", []))
        self.text.append(" ")
        if tag in AS_TYPED and self.depth:
            self.depth -= 1
            self.typed.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        (self.typed if self.depth else self.text).append(data)

    @property
    def words(self) -> list[str]:
        return "".join(self.text).split()


def read(page: str) -> Reading:
    reading = Reading()
    reading.feed(page)
    reading.close()
    return reading


def same_for_a_reader(before: str, after: str) -> None:
    first, second = read(before), read(after)
    assert second.elements == first.elements
    assert second.words == first.words
    assert second.typed == first.typed


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def all_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


# --- collapsing a page -----------------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <title>  A   page  </title>
    <script>var a = 1
    var b = "  two  spaces  "
    </script>
    <style>
      .x::before { content: "  a  " }
    </style>
  </head>
  <body>
    <dl class="pb-facts">
      <dt>Kind</dt>
      <dd>Reference    architecture</dd>
    </dl>
    <nav class="md-tags">
      <a href="../tags/#tag:cost" class="md-tag">cost</a>
      <a href="../tags/#tag:rag" class="md-tag">rag</a>
    </nav>
    <p title="kept   as    typed
      here">A   paragraph
        over lines with <code>a  b</code> and <kbd>Ctrl  +  C</kbd>.</p>
    <pre><code>def f():
    return  1

</code></pre>
    <textarea>  line one
   line two  </textarea>
  </body>
</html>
"""


def test_a_page_reads_the_same_with_each_run_of_whitespace_made_one_character() -> None:
    lighter = collapse(PAGE)
    same_for_a_reader(PAGE, lighter)
    assert lighter.startswith('<!doctype html>\n<html lang="en">\n<head>\n<title> A page </title>\n<script>')
    assert "<dt>Kind</dt>\n<dd>Reference architecture</dd>" in lighter  # the words stay apart
    assert '<a href="../tags/#tag:cost" class="md-tag">cost</a>\n<a' in lighter
    assert '<p title="kept   as    typed\n      here">A paragraph\nover lines with' in lighter  # tags as they were


def test_whitespace_that_shows_or_runs_is_kept_to_the_character() -> None:
    lighter = collapse(PAGE)
    for kept in ('<script>var a = 1\n    var b = "  two  spaces  "\n    </script>',
                 '<style>\n      .x::before { content: "  a  " }\n    </style>',
                 "<code>a  b</code>", "<kbd>Ctrl  +  C</kbd>",
                 "<pre><code>def f():\n    return  1\n\n</code></pre>",
                 "<textarea>  line one\n   line two  </textarea>"):
        assert kept in lighter


@pytest.mark.parametrize("text", [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;/pre&gt;   after   a   closing   tag   written   as   text",
    "{{ config.extra }}  {% raw %}  ../../etc/passwd  &quot;quoted&quot;  'single'",
    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;",
])
def test_escaped_text_stays_text(text: str) -> None:
    page = f"<p>before\n   {text}\n   after</p>\n<pre>  {text}\n    kept  </pre>\n"
    lighter = collapse(page)
    same_for_a_reader(page, lighter)
    assert f"<pre>  {text}\n    kept  </pre>" in lighter
    assert [tag for tag, _ in read(lighter).elements] == ["p", "/p", "pre", "/pre"]


def test_a_closing_pre_written_as_text_inside_a_pre_does_not_end_it() -> None:
    page = "<pre>a  &lt;/pre&gt;\n   b\n\n   c</pre>  <p>x    y</p>"
    assert collapse(page) == "<pre>a  &lt;/pre&gt;\n   b\n\n   c</pre> <p>x y</p>"


def test_no_break_spaces_and_other_unicode_spaces_are_not_whitespace() -> None:
    page = "<p>10\u00a0\u00a0km &nbsp;&nbsp; \u2003\u2003 end</p>"
    assert collapse(page) == page


def test_very_long_text_is_collapsed_in_one_pass() -> None:
    page = "<p>" + "word \n\t  " * 200_000 + "</p>"
    assert collapse(page) == "<p>" + "word\n" * 200_000 + "</p>"


# --- a site folder ---------------------------------------------------------------------------------------------------

def small_site(root: Path) -> Path:
    site = root / "site"
    (site / "playbook" / "tool").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "playbook" / "tool" / "index.html").write_text("<p>a    b</p>\n", encoding="utf-8")
    (site / "assets" / "playbook.css").write_text("a  {  color:  red  }\n", encoding="utf-8")
    (site / "playbook" / "tool.relations.svg").write_text("<svg>\n  <text>a   b</text>\n</svg>\n", encoding="utf-8")
    return site


def test_lighten_site_rewrites_the_pages_in_place_and_nothing_else(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    before = all_files(site)
    report = lighten_site(site, processes=1)
    after = all_files(site)
    assert {name for name in after if after[name] != before[name]} == {"index.html", "playbook/tool/index.html"}
    assert after["playbook/tool/index.html"] == b"<p>a b</p>\n"
    for name in ("index.html", "playbook/tool/index.html"):
        same_for_a_reader(before[name].decode(), after[name].decode())
    assert (report.pages, report.rewritten, report.not_utf8) == (2, 2, ())
    assert (report.before, report.after) == (sum(len(before[n]) for n in ("index.html", "playbook/tool/index.html")),
                                            sum(len(after[n]) for n in ("index.html", "playbook/tool/index.html")))
    assert report.saved == report.before - report.after > 0
    assert [p.name for p in site.rglob("*") if p.name.startswith(".")] == []  # no temporary file left
    again = lighten_site(site, processes=1)
    assert (again.rewritten, again.saved) == (0, 0) and all_files(site) == after


def test_the_same_site_is_lightened_the_same_on_several_processes(tmp_path: Path) -> None:
    one, two = small_site(tmp_path / "one"), small_site(tmp_path / "two")
    for n in range(6):
        for site in (one, two):
            (site / f"page-{n}.html").write_text(f"<div>\n   <p>page   {n}</p>\n</div>\n", encoding="utf-8")
    assert lighten_site(one, processes=1) == lighten_site(two, processes=3)
    assert all_files(one) == all_files(two)


def test_a_page_that_is_not_utf8_is_left_as_it_was_and_links_are_not_followed(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    latin = "<p>caf\xe9    cr\xe8me</p>".encode("latin-1")
    (site / "old.html").write_bytes(latin)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("<p>not    ours</p>", encoding="utf-8")
    (site / "linked").symlink_to(outside, target_is_directory=True)
    (site / "linked.html").symlink_to(outside / "index.html")
    report = lighten_site(site, processes=1)
    assert report.not_utf8 == ("old.html",) and report.pages == 3
    assert (site / "old.html").read_bytes() == latin
    assert (outside / "index.html").read_text(encoding="utf-8") == "<p>not    ours</p>"
    assert (site / "linked.html").is_symlink()


# --- the hook --------------------------------------------------------------------------------------------------------

def hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"hook_{name}", REPO / "hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("provider", [None, "", "mkdocs"])
def test_the_hook_leaves_every_build_but_publishing_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             provider: str | None) -> None:
    if provider is None:
        monkeypatch.delenv("PLAYBOOK_VERSION_PROVIDER", raising=False)
    else:
        monkeypatch.setenv("PLAYBOOK_VERSION_PROVIDER", provider)
    site = small_site(tmp_path)
    before = all_files(site)
    hook("lighten").on_post_build(config=SimpleNamespace(site_dir=str(site)))
    assert all_files(site) == before


def test_the_hook_lightens_the_build_mike_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_VERSION_PROVIDER", "mike")
    monkeypatch.setenv("PLAYBOOK_JOBS", "1")
    site = small_site(tmp_path)
    hook("lighten").on_post_build(config=SimpleNamespace(site_dir=str(site)))
    assert (site / "playbook" / "tool" / "index.html").read_text(encoding="utf-8") == "<p>a b</p>\n"


def test_a_bad_jobs_setting_stops_the_build_with_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_VERSION_PROVIDER", "mike")
    monkeypatch.setenv("PLAYBOOK_JOBS", "many")
    with pytest.raises(PluginError, match="PLAYBOOK_JOBS='many': give a whole number"):
        hook("lighten").on_post_build(config=SimpleNamespace(site_dir=str(small_site(tmp_path))))


def test_pages_are_lightened_before_pagefind_indexes_them() -> None:
    lighten, search = hook("lighten").on_post_build, hook("search_index").on_post_build
    assert lighten.mkdocs_priority > search.mkdocs_priority  # MkDocs runs higher priorities first


def test_the_site_configuration_lists_the_hook_before_the_search_index() -> None:
    hooks = [line.split("#")[0].strip(" -") for line in (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
             if line.strip().startswith("- hooks/")]
    assert hooks.index("hooks/lighten.py") < hooks.index("hooks/search_index.py")


# --- sizes -----------------------------------------------------------------------------------------------------------

def test_a_site_s_sizes_add_up_by_category(tmp_path: Path) -> None:
    site = tmp_path / "site"
    sizes = {
        "index.html": 100, "404.html": 40, "playbook/adrs/x/index.html": 300,
        "pagefind/pagefind.js": 7, "pagefind/fragment/en_1.pf_fragment": 11,
        "playbook/adrs/x.relations.svg": 13, "playbook/architectures/rag.aws.svg": 17,
        "playbook/diagram-icons/aws/ml/sagemaker.png": 19, "playbook/fonts/PlaybookSans-Regular.ttf": 23,
        "playbook/catalog.json": 29, "playbook/llms.txt": 31, "playbook/schemas/adr.schema.json": 37,
        "playbook/templates/rag.zip": 41, "assets/playbook.css": 43, "assets/javascripts/bundle.js": 47,
        "tags.json": 53, "sitemap.xml": 59,
    }
    for name, size in sizes.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(b"x" * size)
    measured = site_size(site)
    assert measured.bytes == {"pages": 440, "search": 18, "diagrams": 72, "exports": 138, "assets": 90, "other": 112}
    assert tuple(measured.bytes) == CATEGORIES
    assert measured.total == sum(sizes.values()) == sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert (measured.pages, measured.page_mean, measured.page_median) == (3, 440 / 3, 100)
    assert measured.versions == LIMIT // measured.total


def test_shared_bytes_counts_files_the_same_in_path_and_content(tmp_path: Path) -> None:
    one, two = small_site(tmp_path / "one"), small_site(tmp_path / "two")
    (two / "index.html").write_text(PAGE.replace("Kind", "Sort"), encoding="utf-8")
    (two / "extra.html").write_text("<p>new</p>", encoding="utf-8")
    unchanged = ("playbook/tool/index.html", "assets/playbook.css", "playbook/tool.relations.svg")
    assert shared_bytes(two, one) == shared_bytes(one, two) == sum((one / name).stat().st_size for name in unchanged)
    assert shared_bytes(one, one) == site_size(one).total


def test_the_table_shows_each_site_and_what_the_later_share_with_the_first(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    one, two = small_site(tmp_path / "one"), small_site(tmp_path / "two")
    assert main([str(one), str(two)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| site | total MB | versions in 1 GB | pages |") and len(lines) == 4
    assert lines[2].startswith(f"| {one} | 0.0 | ") and lines[2].endswith(" |  |")
    assert lines[3].startswith(f"| {two} | ") and lines[3].endswith(" | 0.0 |")
    with pytest.raises(SystemExit) as exited:
        main([str(tmp_path / "nowhere")])
    assert exited.value.code == 2
    assert f"not a folder: {tmp_path / 'nowhere'}; give the folder a build wrote" in capsys.readouterr().err


# --- built sites -----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lightened(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Any]]:
    """The bundled playbook's site as `playbook build` wrote it, and a copy lightened and indexed again."""
    copy = tmp_path_factory.mktemp("lightened") / "site"
    shutil.copytree(bundled_site, copy, symlinks=True)
    report = lighten_site(copy)
    index_site(copy)
    yield bundled_site, copy, report


@pytest.mark.slow
def test_every_page_of_a_lightened_site_reads_the_same(lightened: tuple[Path, Path, Any]) -> None:
    site, copy, report = lightened
    pages = html_files(site)
    assert [p.relative_to(site) for p in pages] == [p.relative_to(copy) for p in html_files(copy)]
    assert report.pages == len(pages) and report.saved > report.before * 0.2
    hrefs = changed = 0
    for page in pages:
        before, after = page.read_text(encoding="utf-8"), (copy / page.relative_to(site)).read_text(encoding="utf-8")
        same_for_a_reader(before, after)
        hrefs += sum(1 for _, attrs in read(after).elements for name, _ in attrs if name == "href")
        changed += before != after
    assert hrefs > 10_000 and report.rewritten == changed > len(pages) * 0.9
    assert any("<pre" in page.read_text(encoding="utf-8") for page in pages)


@pytest.mark.slow
def test_pagefind_indexes_a_lightened_site_as_it_did_before(lightened: tuple[Path, Path, Any]) -> None:
    site, copy, _ = lightened
    for folder in ("fragment", "index"):  # each file named by its content: same names, same bytes
        before, after = all_files(site / "pagefind" / folder), all_files(copy / "pagefind" / folder)
        assert before and after == before
    # a page's fragment holds its text, its filters and its meta; Pagefind writes its filter files in another order
    # on each run, so they are compared through the fragments
    fragment = gzip.decompress(next(iter(all_files(copy / "pagefind" / "fragment").values())))
    assert b'"filters":' in fragment and b'"content":' in fragment


@pytest.mark.slow
def test_the_sizes_of_a_built_site_add_up_to_its_files(lightened: tuple[Path, Path, Any]) -> None:
    site, copy, report = lightened
    for folder in (site, copy):
        measured = site_size(folder)
        assert measured.total == sum(os.path.getsize(p) for p in folder.rglob("*") if p.is_file())
        assert measured.pages == len(html_files(folder)) and all(measured.bytes[name] > 0 for name in CATEGORIES)
    assert site_size(site).bytes["pages"] == report.before and site_size(copy).bytes["pages"] == report.after
    before, after = all_files(site), all_files(copy)
    same = [name for name, data in after.items() if before.get(name) == data]
    assert shared_bytes(copy, site) == sum(len(after[name]) for name in same)
    assert sum(len(after[name]) for name in same if name.endswith(".html")) < report.after * 0.05


#: Pages of every sort: the home page, prose with code blocks, an architecture with its diagram and tables, a
#: decision, the tags, a dashboard, a KPI with its chart.
SEEN = ("", "contributing/", "playbook/architectures/rag-assistant/", "playbook/adrs/0001-llm-provider-gateway/",
        "tags/", "playbook/governance/portfolio/", "playbook/kpis/architecture-review-cycle-time/")


def seen(browser: Browser, url: str) -> tuple[str, bytes]:
    """The page's text as laid out, and how it looks, in a fresh tab."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        # the edit button's icon is drawn a shade differently now and then, the same page against itself: it is
        # masked by a box of its size, in its place
        look = page.screenshot(full_page=True, animations="disabled", mask=[page.locator(".md-content__button")])
        return page.evaluate("document.body.innerText"), look
    finally:
        context.close()


@pytest.mark.slow
def test_a_reader_sees_a_lightened_page_as_before(lightened: tuple[Path, Path, Any], browser: Browser) -> None:
    site, copy, _ = lightened
    with served(site) as before, served(copy) as after:
        for path in SEEN:
            (text, look), (lighter_text, lighter_look) = seen(browser, f"{before}/{path}"), seen(browser, f"{after}/{path}")
            assert lighter_text == text, path
            if lighter_look != look:  # a busy machine draws a page a shade differently now and then: both again, once
                (_, look), (_, lighter_look) = seen(browser, f"{before}/{path}"), seen(browser, f"{after}/{path}")
            assert lighter_look == look, f"{path} looks different, pixel for pixel"


SAMPLE = """# Sample

A paragraph   with    runs of spaces and &lt;script&gt;alert(1)&lt;/script&gt; written as text, {{ not.a.macro }}.

    indented code:
        keeps   its   spaces

    and its blank line

Inline `a   b` code.
"""


@pytest.fixture(scope="module")
def builds(make_project: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled playbook with a sample page, built three times: by `playbook build` ("local"), as `playbook publish`
    has mike build it ("published"), and so again without the hook in mkdocs.yml ("unhooked")."""
    root = make_project(tmp_path_factory.mktemp("publishing") / "project")
    shutil.copy2(REPO / "playbook.toml", root / "playbook.toml")
    (root / "docs" / "lighten-sample.md").write_text(SAMPLE, encoding="utf-8")
    config = root / "mkdocs.yml"
    listed = config.read_text(encoding="utf-8")
    if "hooks/lighten.py" not in listed:  # until mkdocs.yml lists it
        listed = listed.replace("  - hooks/search_index.py", "  - hooks/lighten.py\n  - hooks/search_index.py")
    unlisted = "".join(line for line in listed.splitlines(keepends=True) if "hooks/lighten.py" not in line)
    sites = {}
    for name, provider, text in (("local", "", listed), ("published", "mike", listed), ("unhooked", "mike", unlisted)):
        config.write_text(text, encoding="utf-8")
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PLAYBOOK_VERSION_PROVIDER", provider)
            assert playbook(["--root", str(root), "build", "--site-dir", str(root / name)]) == 0
        sites[name] = root / name
    return sites


@pytest.mark.slow
def test_only_the_build_of_a_published_version_is_lightened(builds: dict[str, Path]) -> None:
    local, published, unhooked = builds["local"], builds["published"], builds["unhooked"]
    pages = html_files(unhooked)
    assert [p.relative_to(unhooked) for p in pages] == [p.relative_to(published) for p in html_files(published)]
    for page in pages:
        before, after = page.read_text(encoding="utf-8"), (published / page.relative_to(unhooked)).read_text(encoding="utf-8")
        if "<header" in before:  # a page of the theme, not a printable report written without indentation
            assert collapse(before) != before and collapse(after) == after
        same_for_a_reader(before, after)
    themed = [text for text in (p.read_text(encoding="utf-8") for p in html_files(local)) if "<header" in text]
    assert len(themed) > 200 and all(collapse(text) != text for text in themed)  # as MkDocs wrote them
    assert sum(p.stat().st_size for p in html_files(published)) < 0.8 * sum(p.stat().st_size for p in pages)
    for folder in ("fragment", "index"):
        assert all_files(published / "pagefind" / folder) == all_files(unhooked / "pagefind" / folder)


@pytest.mark.slow
def test_a_published_page_keeps_its_code_block_and_its_escaped_text(builds: dict[str, Path]) -> None:
    page = (builds["published"] / "lighten-sample" / "index.html").read_text(encoding="utf-8")
    assert "<code>indented code:\n    keeps   its   spaces\n\nand its blank line\n</code></pre>" in page
    assert "<code>a   b</code>" in page
    assert "runs of spaces and &lt;script&gt;alert(1)&lt;/script&gt; written as text, {{ not.a.macro }}." in page
    reading = read(page)
    assert "<script>alert(1)</script>" in " ".join(reading.words)
    tags = [tag for tag, _ in reading.elements]
    assert "script" not in tags[tags.index("article"):tags.index("/article")]
