"""Citations in prose: `[[entry-id]]` and `[[entry-id#item-id]]`, either with `|own words`, link to what they cite.

A citation is the only way prose links inside the site: the page titles the link with what it cites and builds
its address itself; `check` reports a citation of nothing with the closest id; an edition that leaves the cited
entry or item out shows neither its title nor a link. Brackets in code stay text.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TODAY
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generators import text
from generators.cli.main import main as playbook
from generators.diagnostics import Diagnostic
from generators.load.catalog import Catalog
from generators.load.citations import citation_html, items
from generators.models.common import Markdown
from generators.models.walk import marked
from generators.pipeline import check, check_edition
from generators.project import Project
from generators.render.pages import Renderer
from generators.text import Citation, Prose

MINIMAL = REPO / "tests" / "fixtures" / "minimal" / "catalog"
TOOL = "catalog/tools/sample-tool.yaml"
#: Audiences as the editions tests declare them; the minimal catalog is public unless an entry says otherwise.
EDITIONS = """\
[visibility]
levels = ["public", "internal", "restricted"]
default = "public"
audience = "internal"
hidden_references = "unavailable"

[audiences.public]
level = "public"
repository = false

[audiences.internal]
level = "internal"
"""


def edit(root: Path, file: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change one entry's data, keeping its schema line first."""
    path = root / file
    schema, _, body = path.read_text(encoding="utf-8").partition("\n")
    data = yaml.safe_load(body)
    change(data)
    path.write_text(schema + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def rationale(root: Path, markdown: str) -> None:
    edit(root, TOOL, lambda data: data.update(rationale=markdown))


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """The minimal catalog in a project of its own, safe to change."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root / "catalog")
    return root


def page(catalog: Catalog, entry_id: str) -> str:
    return Renderer(catalog, catalog.graph, TODAY, []).entry_page(catalog.entries[entry_id])


def prose_blocks(markdown: str) -> list[str]:
    """The inside of every prose block of a page."""
    return re.findall(r'<div class="pb-prose">\n(.*?)\n</div>', markdown, re.S)


def rendered(root: Path, entry_id: str = "sample-tool", audience: str | None = None) -> str:
    """The first prose block of an entry's page in an edition (the default one when None) of a valid catalog."""
    result, report = check_edition(Project(root), audience, today=TODAY)
    assert result is not None, [d.text() for d in report.errors]
    return prose_blocks(page(result.catalog, entry_id))[0]


def citation_errors(root: Path) -> list[tuple[str, str]]:
    _, report = check(Project(root), TODAY)
    assert {d.code for d in report.errors} <= {"unresolved-citation"}, [d.text() for d in report.errors]
    return [(d.message, d.hint) for d in sorted(report.errors) if d.file == TOOL and d.path == "rationale"]


# -- each form --------------------------------------------------------------------------------------------------


def test_each_form_links_to_what_it_cites_titled_with_its_title(minimal: Path) -> None:
    rationale(minimal, "Entry [[sample-checklist]], item [[sample-checklist#first-item]], rule "
                       "[[sample-standard#first-rule]], phase [[sample-onboarding-kit#days-1-30]], own words "
                       "[[sample-adr|the decision]] and [[sample-checklist#first-item|the item]].")
    assert rendered(minimal) == (
        '<p>Entry <a class="pb-cite" href="../../checklists/sample-checklist/">Sample checklist</a>, '
        'item <a class="pb-cite" href="../../checklists/sample-checklist/#first-item">Sample checklist: State what must be true</a>, '
        'rule <a class="pb-cite" href="../../standards/sample-standard/#first-rule">Sample standard: first-rule</a>, '
        'phase <a class="pb-cite" href="../../onboarding/sample-onboarding-kit/#days-1-30">Sample onboarding kit: Days 1-30</a>, '
        'own words <a class="pb-cite" href="../../adrs/sample-adr/">the decision</a> and '
        '<a class="pb-cite" href="../../checklists/sample-checklist/#first-item">the item</a>.</p>')


def test_the_pages_cited_give_each_item_its_anchor(minimal: Path) -> None:
    catalog, _ = check(Project(minimal), TODAY)
    assert "### State what must be true { #first-item }" in page(catalog, "sample-checklist")
    assert "### first-rule { #first-rule }" in page(catalog, "sample-standard")
    assert "## Days 1-30 { #days-1-30 }" in page(catalog, "sample-onboarding-kit")


class _Links(HTMLParser):
    """Links inside the prose blocks of a built page, with their text; and every element id of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside a prose block: its div's depth among open divs
        self.divs = 0
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.title = ""
        self._text: list[str] | None = None
        self._h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "div":
            self.divs += 1
            if "pb-prose" in (found.get("class") or "").split() and not self.depth:
                self.depth = self.divs
        elif tag == "a" and self.depth and "href" in found:
            self.links.append((str(found["href"]), ""))
            self._text = []
        elif tag == "h1" and not self.title:
            self._h1 = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self.depth == self.divs:
                self.depth = 0
            self.divs -= 1
        elif tag == "a" and self._text is not None:
            self.links[-1] = (self.links[-1][0], "".join(self._text))
            self._text = None
        elif tag == "h1" and self._h1 is not None:
            self.title = "".join(self._h1).replace("\u00b6", "").strip()  # less the heading's permalink
            self._h1 = None

    def handle_data(self, data: str) -> None:
        for part in (self._text, self._h1):
            if part is not None:
                part.append(data)


def read_page(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_citation_on_the_built_site_reaches_its_page_and_anchor(bundled_site: Path) -> None:
    """Each citation in the bundled playbook, as the real build publishes it: its address leads to a page and its
    anchor to an element of that page; the link text is the page's title, or that and the item's."""
    pages = {path.resolve(): read_page(path) for path in (bundled_site / "playbook").glob("*/*/index.html")}
    titled = {"entry": 0, "item": 0}
    for path, found in pages.items():
        for href, words in found.links:
            if re.match(r"[a-z]+:", href):
                continue  # an external link an author wrote
            address, _, anchor = href.partition("#")
            target = (path.parent / address / "index.html").resolve()
            assert target in pages, (path, href)
            assert not anchor or anchor in pages[target].ids, (path, href)
            title = pages[target].title
            titled["item" if anchor else "entry"] += words.startswith(f"{title}: ") if anchor else words == title
    assert titled["entry"] >= 30 and titled["item"] >= 25, titled


def test_the_bundled_catalog_names_no_entry_or_item_in_code_formatting() -> None:
    """What names an entry or one of its items in prose is a citation, not a dead `id` or `id#item`."""
    catalog, report = check(Project(REPO), TODAY)
    assert report.errors == []
    parse = MarkdownIt("commonmark").enable("table").parse
    dead = []
    for entry in catalog.entries.values():
        for path, _, markdown in marked(entry, Markdown):
            spans = [child.content for token in parse(markdown) for child in token.children or ()
                     if child.type == "code_inline"]
            for span in spans:
                entry_id, _, item_id = span.partition("#")
                if entry_id in catalog.entries and (not item_id or item_id in items(catalog.entries[entry_id])[1]):
                    dead.append((catalog.files[entry.id], path, span))
    assert dead == []
    cited = [c for e in catalog.entries.values() for _, _, m in marked(e, Markdown) for c in catalog.prose.citations(m)]
    assert len(cited) >= 70


# -- the check --------------------------------------------------------------------------------------------------


def test_a_citation_of_nothing_is_an_error_with_the_closest_id(minimal: Path) -> None:
    rationale(minimal, "See [[sample-checklis]], [[sample-checklist#first-iten]], [[sample-standard#frist-rule]], "
                       "[[sample-tool#x]], [[nothing-like-it]] and [[metric:rate]].")
    assert citation_errors(minimal) == [
        ("'metric:' does not begin a citation this playbook knows, in [[metric:rate]]",
         "cite an entry as [[entry-id]], an item of one as [[entry-id#item-id]] and a named value as [[value:name]]"),
        ("a tool has no items to cite, cited as [[sample-tool#x]]",
         "cite the entry as [[sample-tool]]; checklists' items, standards' rules and onboarding kits' phases can be cited"),
        ("checklist 'sample-checklist' has no item 'first-iten', cited as [[sample-checklist#first-iten]]",
         "did you mean 'first-item'?"),
        ("no entry has the id 'nothing-like-it', cited as [[nothing-like-it]]",
         "cite an entry as [[entry-id]], an item of one as [[entry-id#item-id]] and a named value as [[value:name]]"),
        ("no entry has the id 'sample-checklis', cited as [[sample-checklis]]", "did you mean 'sample-checklist'?"),
        ("standard 'sample-standard' has no rule 'frist-rule', cited as [[sample-standard#frist-rule]]",
         "did you mean 'first-rule'?"),
    ]


def test_the_typo_of_the_issue_is_reported_where_the_field_is(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project, "catalog/tools/kong.yaml",
         lambda data: data.update(rationale=data["rationale"] + "\nTiered as [[architecture-reviw#risk-tier]] says.\n"))
    line = next(n for n, text in enumerate((project / "catalog/tools/kong.yaml").read_text().splitlines(), 1)
                if text.startswith("rationale:"))
    assert playbook(["--root", str(project), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    where = out.index(f"catalog/tools/kong.yaml:{line}:12: error: rationale: no entry has the id 'architecture-reviw', "
                      "cited as [[architecture-reviw#risk-tier]]")
    assert out[where + 1] == "  hint: did you mean 'architecture-review'?"
    assert out[-1].startswith("1 error,")


def test_an_item_cited_in_the_bundled_catalog_is_checked_against_its_entry(project: Path) -> None:
    edit(project, "catalog/standards/data-minimisation.yaml",
         lambda data: data.update(scope=data["scope"] + "\nSee [[architecture-review#data-acess-design]].\n"))
    _, report = check(Project(project), TODAY)
    assert [(d.file, d.path, d.message, d.hint, d.code) for d in report.errors] == [
        ("catalog/standards/data-minimisation.yaml", "scope",
         "checklist 'architecture-review' has no item 'data-acess-design', cited as [[architecture-review#data-acess-design]]",
         "did you mean 'data-access-design'?", "unresolved-citation")]


# -- brackets that are text -------------------------------------------------------------------------------------


def test_code_and_escaped_brackets_keep_brackets_as_text(minimal: Path) -> None:
    markdown = "Write `[[entry-id]]`, or\n\n```\n[[entry-id#item-id|own words]]\n```\n\nor \\[[not-a-citation]]."
    assert Prose().citations(markdown) == ()
    rationale(minimal, markdown)
    assert citation_errors(minimal) == []
    assert rendered(minimal) == ("<p>Write <code>[[entry-id]]</code>, or</p>\n"
                                 "<pre><code>[[entry-id#item-id|own words]]\n</code></pre>\n"
                                 "<p>or [[not-a-citation]].</p>")


def test_a_link_written_around_a_citation_is_text(minimal: Path) -> None:
    rationale(minimal, "[see [[sample-checklist]]](https://example.com/a)")
    assert citation_errors(minimal) == []
    assert rendered(minimal) == ('<p>[see <a class="pb-cite" href="../../checklists/sample-checklist/">Sample checklist</a>]'
                                 "(https://example.com/a)</p>")


def test_a_field_is_parsed_once_however_many_pages_cite_from_it(monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[str] = []
    parse = text._parse
    monkeypatch.setattr(text, "_parse", lambda markdown: parses.append(markdown) or parse(markdown))
    prose = Prose()
    markdown = "See [[a]] and [[b#c|words]]."
    assert prose.citations(markdown) == (Citation("", "a", ""), Citation("", "b#c", "words"))
    first = prose.html(markdown, lambda c: f"<a>{c.ref}</a>")
    second = prose.html(markdown, lambda c: "x")
    assert (first, second) == ('<div class="pb-prose">\n<p>See <a>a</a> and <a>b#c</a>.</p>\n</div>',
                               '<div class="pb-prose">\n<p>See x and x.</p>\n</div>')
    assert parses == [markdown]


# -- hostile text -----------------------------------------------------------------------------------------------

HOSTILE_TITLE = '<script>alert(1)</script> "quoted" > {{ 7*7 }} javascript:alert(2) `tick` ~~'


def test_a_hostile_title_is_the_link_text_and_nothing_else(minimal: Path) -> None:
    edit(minimal, "catalog/checklists/sample-checklist.yaml", lambda data: data.update(title=HOSTILE_TITLE))
    rationale(minimal, "See [[sample-checklist]].")
    assert rendered(minimal) == (
        '<p>See <a class="pb-cite" href="../../checklists/sample-checklist/">&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; '
        '&gt; &#123;&#123; 7*7 &#125;&#125; javascript:alert(2) &#96;tick&#96; &#126;&#126;</a>.</p>')


@pytest.mark.parametrize("markdown", [
    "[[../../etc/passwd]]", "[[javascript:alert(1)]]", '[["><script>alert(1)</script>]]',
    "[[sample-checklist#\"><img src=x onerror=alert(1)>]]", "[[x|<img src=x onerror=alert(1)>]]",
    "[[ sample-checklist/../../../etc ]]", "[[https://evil.example/]]",
])
def test_a_hostile_citation_is_an_error_and_shows_no_markup_or_address(minimal: Path, markdown: str) -> None:
    rationale(minimal, f"See {markdown} here.")
    assert len(citation_errors(minimal)) == 1
    catalog, _ = check(Project(minimal), TODAY)  # rendered despite the error, as a server shows a broken edit
    block = prose_blocks(page(catalog, "sample-tool"))[0]
    assert "href" not in block and "<img" not in block and "<script" not in block
    words = markdown.partition("|")[2][:-2]
    assert block == f"<p>See {html.escape(words) if words else '<em>unavailable in this edition</em>'} here.</p>"


@pytest.fixture(scope="module")
def minimal_catalog() -> Catalog:
    catalog, report = check(Project(MINIMAL.parent), TODAY)  # only read
    assert report.errors == []
    return catalog


@settings(max_examples=60, deadline=None)
@given(words=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="[]|\r\x00"), max_size=40))
def test_own_words_are_text_whatever_they_hold(minimal_catalog: Catalog, words: str) -> None:
    citation = Citation.read(f"sample-checklist#first-item|{words}")
    link = citation_html(minimal_catalog, lambda entry: f"../{entry.id}/", citation)
    shown = " ".join(words.split()) or "Sample checklist: State what must be true"
    parser = _Links()
    parser.feed(f'<div class="pb-prose">{link}</div>')
    assert parser.links == [("../sample-checklist/#first-item", shown)]
    assert re.fullmatch(r'<a class="pb-cite" href="[^"<>]*">[^<>]*</a>', link)


def test_an_author_written_link_inside_the_site_is_still_refused(minimal: Path) -> None:
    rationale(minimal, "See [the checklist](../../checklists/sample-checklist/) and [[sample-checklist]](../evil).")
    _, report = check(Project(minimal), TODAY)
    assert [(d.message, d.hint, d.code) for d in report.errors] == [
        ("link to '../../checklists/sample-checklist/' is not allowed in prose",
         "prose links use http, https or mailto; cite an entry of the playbook as [[entry-id]]", "unsafe-link")]
    catalog, _ = check(Project(minimal), TODAY)
    assert prose_blocks(page(catalog, "sample-tool"))[0] == (
        '<p>See <a rel="noopener noreferrer">the checklist</a> and '
        '<a class="pb-cite" href="../../checklists/sample-checklist/">Sample checklist</a>(../evil).</p>')


# -- editions ---------------------------------------------------------------------------------------------------


def test_a_citation_of_what_an_edition_leaves_out_shows_no_title_or_link(minimal: Path) -> None:
    (minimal / "playbook.toml").write_text(EDITIONS, encoding="utf-8")
    edit(minimal, "catalog/adrs/sample-adr.yaml", lambda data: data.update(visibility="internal"))
    edit(minimal, "catalog/checklists/sample-checklist.yaml", lambda data: data["items"][0].update(visibility="internal"))
    rationale(minimal, "Chosen in [[sample-adr]], see [[sample-adr|the decision record]] and "
                       "[[sample-checklist#first-item]] of [[sample-checklist]].")
    assert rendered(minimal, audience="public") == (
        "<p>Chosen in <em>unavailable in this edition</em>, see the decision record and "
        '<em>unavailable in this edition</em> of <a class="pb-cite" href="../../checklists/sample-checklist/">Sample checklist</a>.</p>')
    assert rendered(minimal, audience="internal") == (
        '<p>Chosen in <a class="pb-cite" href="../../adrs/sample-adr/">Sample adr</a>, see '
        '<a class="pb-cite" href="../../adrs/sample-adr/">the decision record</a> and '
        '<a class="pb-cite" href="../../checklists/sample-checklist/#first-item">Sample checklist: State what must be true</a> of '
        '<a class="pb-cite" href="../../checklists/sample-checklist/">Sample checklist</a>.</p>')
    reported = [d for d in check_edition(Project(minimal), "public", today=TODAY)[1].diagnostics
                if d.file == TOOL and d.code == "hidden-reference"]
    assert [(d.severity, d.path, d.message, d.hint) for d in reported] == [
        ("warning", "rationale", f"the text cites '{target}', which the public edition leaves out, and shows no title "
         "or link in its place [hidden-reference]", "reword the text, or narrow this field's visibility")
        for target in ("sample-adr", "sample-checklist#first-item")]
    assert [d for d in check_edition(Project(minimal), "internal", today=TODAY)[1].diagnostics
            if d.file == TOOL and d.code == "hidden-reference"] == []


def test_a_citation_in_an_item_the_edition_keeps_is_reported_where_it_is_written(minimal: Path) -> None:
    """An edition that leaves a rule out does not shift the place reported for a citation in the next one."""
    (minimal / "playbook.toml").write_text(EDITIONS, encoding="utf-8")
    edit(minimal, "catalog/adrs/sample-adr.yaml", lambda data: data.update(visibility="internal"))

    def rules(data: dict[str, Any]) -> None:
        hidden = {**data["rules"][0], "id": "hidden-rule", "visibility": "internal"}
        data["rules"] = [hidden, {**data["rules"][0], "check": "Reviewed against [[sample-adr]].\n"}]

    edit(minimal, "catalog/standards/sample-standard.yaml", rules)
    reported: list[Diagnostic] = [d for d in check_edition(Project(minimal), "public", today=TODAY)[1].diagnostics
                                  if d.file == "catalog/standards/sample-standard.yaml" and "the text" in d.message]
    assert [(d.path, d.message.split(",")[0]) for d in reported] == [("rules[1].check", "the text cites 'sample-adr'")]


# -- places no text can fake ------------------------------------------------------------------------------------

#: What a test's pages show for every citation.
CITED = '<a href="/cited/">cited</a>'


class _Nesting(HTMLParser):
    """The depth of links inside links, and every noncharacter marker left in the text."""

    def __init__(self) -> None:
        super().__init__()
        self.open = 0
        self.nested = 0
        self.markers = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.nested += self.open > 0
            self.open += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.open -= 1

    def handle_data(self, data: str) -> None:
        self.markers += data.count("\ufdd0") + data.count("\ufdd1")


def nesting(block: str) -> _Nesting:
    parser = _Nesting()
    parser.feed(block)
    return parser


@pytest.mark.parametrize("number", ["9", "0"])
def test_a_marker_percent_encoded_in_an_autolink_is_text(minimal: Path, number: str) -> None:
    markdown = f"[[a]] <https://x.example/%EF%B7%90{number}%EF%B7%91>"
    assert Prose().html(markdown, lambda citation: CITED) == (
        f'<div class="pb-prose">\n<p>{CITED} <a href="https://x.example/%EF%B7%90{number}%EF%B7%91" '
        f'rel="noopener noreferrer">https://x.example/\ufffd{number}\ufffd</a></p>\n</div>')
    rationale(minimal, markdown)
    catalog, _ = check(Project(minimal), TODAY)  # '[[a]]' cites nothing; the page is made all the same
    block = prose_blocks(page(catalog, "sample-tool"))[0]
    assert block == (f'<p><em>unavailable in this edition</em> <a href="https://x.example/%EF%B7%90{number}%EF%B7%91" '
                     f'rel="noopener noreferrer">https://x.example/\ufffd{number}\ufffd</a></p>')


def test_only_the_next_marker_in_order_is_filled_in() -> None:
    first, second = Citation("", "a", ""), Citation("", "b", "")
    block = "\ufdd01\ufdd1 \ufdd00\ufdd1 \ufdd000\ufdd1 \ufdd01\ufdd1 \ufdd01\ufdd1 \ufdd02\ufdd1"
    assert text._fill(block, (first, second), lambda citation: f"<{citation.ref}>") == "\ufffd <a> \ufffd <b> \ufffd \ufffd"


_ENCODED = st.sampled_from(["%EF%B7%90", "%EF%B7%91", "%ef%b7%90", "%ef%b7%91", "&#xFDD0;", "&#64977;", "0", "1", "9",
                            "12", "a", "/", "%20", "%EF%B7", "%91", "[[b]]"])
_AROUND = st.sampled_from(["<https://x.example/{}>", "<mailto:a{}@x.example>", "[{}](https://x.example/{})",
                           "[x](https://x.example/{} '{}')", "[[b]] <https://x.example/{}>"])


@settings(max_examples=80, deadline=None)
@given(around=_AROUND, parts=st.lists(_ENCODED, min_size=1, max_size=8))
def test_no_encoded_noncharacter_places_a_citation(around: str, parts: list[str]) -> None:
    encoded = "".join(parts)
    markdown = "[[a]] " + around.replace("{}", encoded) + " [[c]]"
    prose = Prose()
    block = prose.html(markdown, lambda citation: CITED)
    found = nesting(block)
    assert (found.nested, found.markers, block.count(CITED)) == (0, 0, len(prose.citations(markdown)))


# -- tables -----------------------------------------------------------------------------------------------------

TABLE = "| Cited | Why |\n| --- | --- |\n| {} | it says so |\n"


def test_own_words_in_a_table_cell_are_written_with_an_escaped_bar(minimal: Path) -> None:
    rationale(minimal, TABLE.format("[[sample-checklist\\|the checklist]]"))
    assert citation_errors(minimal) == []
    assert '<td><a class="pb-cite" href="../../checklists/sample-checklist/">the checklist</a></td>' in rendered(minimal)


def test_a_citation_split_by_a_table_or_left_open_is_an_error(minimal: Path) -> None:
    rationale(minimal, TABLE.format("[[sample-checklist|the checklist]]") + "\nSee [[sample-adr and more.\n")
    hint = "close the citation with ]]; inside a table, write its bar as \\|, as in [[entry-id\\|own words]]"
    assert citation_errors(minimal) == [
        ("'[[' is not closed by ']]' in the same paragraph or table cell, in '[[sample-adr and more.'", hint),
        ("'[[' is not closed by ']]' in the same paragraph or table cell, in '[[sample-checklist'", hint)]
