"""Catalog text is data: hostile values planted in catalog entries never become markup.

Every test plants values into a copy of the bundled project, runs the real
pipeline (`generate`, then a real `mkdocs build --strict`) and checks what a
reader of the site would see: the text exactly as it was typed, and no element,
attribute, link or image the catalog author did not get from the generator.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import copy_project

from generators.cli.main import main as playbook
from generators.diagnostics import Diagnostic, format_text
from generators.pipeline import check, generate, generate_pages
from generators.project import Project
from generators.text import Prose, links
from generators.write.writer import write_pages

SITE_NAME = "AI Architecture Playbook"

# -- hostile values ------------------------------------------------------------------------------------------
# Each payload carries its own marker so a leak can be traced back to the field it came from.

TITLE_HTML = (
    'Title <script>window.xssTitle=1</script> <img src=x onerror="window.xssTitle=2"> '
    '<svg onload="window.xssTitle=3"> <b>bold</b>'
)
ASSET_HTML = "Asset <script>window.xssAsset=1</script> <img src=x onerror=window.xssAsset=2> <svg/onload=window.xssAsset=3>"
BULLET_HTML = "Bullet <script>window.xssBullet=1</script> <img src=x onerror=window.xssBullet=2> it's 100% & more"
PROSE_HTML_LINES = [
    "Prose <script>window.xssProse=1</script> and <img src=x onerror=window.xssProse=2> inline.",
    '<div onclick="window.xssProse=3">block html</div>',
    '<svg onload="window.xssProse=4"><circle r="1"/></svg>',
]
PROSE_HTML = "\n\n".join(PROSE_HTML_LINES) + "\n"

JINJA_TITLE = 'Jinja {{ 7*7 }} {{ config.site_name }} {% include "/etc/passwd" %}'
JINJA_PROSE_LINE = 'Prose {{ 7*7 }} and {{ config.site_name }} and {% include "/etc/passwd" %} end.'
MACRO_KPI_TITLE = "Kpi {{ 7*7 }} <script>window.xssKpi=1</script>"
MACRO_KPI_TARGET = "{{ 6*7 }} days <i>xssKpiTarget</i>"

BREAKOUT_TITLE = "</title><script>window.pwned=1</script>"

ATTR_TITLE = 'Review {: onclick="window.xssAttr=1" }'
ATTR_ITEM_TITLES = ["Item one { #evil onmouseover=window.xssAttr=2 }", 'Item two {: .danger onclick="window.xssAttr=3" }']
ATTR_ASSET = 'Asset {: onclick="window.xssAttr=4" }'
ATTR_BULLET = "Bullet { #evil2 onmouseover=window.xssAttr=5 }"

FRONT_MATTER_TITLE = "--- title: hijacked: yes ---"
FRONT_MATTER_SUMMARY = "---"

TRACKER = "tracker.example"
IMAGE_PROSE = (
    f"Inline image ![pixel](https://{TRACKER}/inline.png) here.\n\n"
    f"Reference image ![pixel][px].\n\n"
    f'Raw image <img src="https://{TRACKER}/raw.png">.\n\n'
    f"[px]: https://{TRACKER}/reference.png\n"
)
IMAGE_ASSET = f"Line image ![pixel](https://{TRACKER}/line.png)"

# A prompt template quoted in prose: a fenced block that itself holds a fenced block.
FENCED_SNIPPET = "System prompt:\n```text\n<context>{{ retrieved_chunks }}</context> {: #evil3 }\n```\n"
FENCED_PROSE = "The template as stored:\n\n~~~markdown\n" + FENCED_SNIPPET + "~~~\n"

DATA_URL = "data:text/html;base64," + base64.b64encode(b"<script>alert(3)</script>").decode()
UNSAFE_LINKS = {
    "markdown link": ("[x](javascript:alert(1))", "javascript:alert(1)"),
    "autolink": ("<javascript:alert(2)>", "javascript:alert(2)"),
    "data url": (f"[x]({DATA_URL})", DATA_URL),
    "mixed case": ("[x](JaVaScRiPt:alert(4))", "JaVaScRiPt:alert(4)"),
}

DIAGRAM_LABELS = {
    "node": 'Node <script>window.xssDiagram=1</script> <img src=x onerror=window.xssDiagram=2> & "q" \\N {{ 7*7 }}',
    "edge": "Edge </text><script>window.xssDiagram=3</script> \\l",
    "cluster": "Cluster <svg onload=window.xssDiagram=4> ]]> <![CDATA[ x",
}

MARKERS = ("xssTitle", "xssAsset", "xssBullet", "xssProse", "xssKpi", "xssAttr", "xssDiagram", "window.pwned")


# -- editing catalog entries ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings as literal blocks, so a catalog file stays readable."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def edit_entry(root: Path, file: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """Load catalog/<file>, let `change` edit the data, write it back with the schema comment still first."""
    path = root / "catalog" / file
    schema_comment, _, body = path.read_text(encoding="utf-8").partition("\n")
    assert schema_comment.startswith("# yaml-language-server: $schema=")
    data = yaml.safe_load(body)
    change(data)
    path.write_text(schema_comment + "\n" + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000),
                    encoding="utf-8")
    return path


def set_fields(root: Path, file: str, **values: Any) -> Path:
    return edit_entry(root, file, lambda data: data.update(values))


def errors_in(root: Path, file: str) -> list[Diagnostic]:
    """The errors `playbook check` reports for one catalog file."""
    _, report = check(Project(root))
    return [d for d in report.errors if d.file == file]


def build_site(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]


# -- reading built HTML --------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HIDDEN = {"script", "style", "template"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str  # character references decoded, as a browser shows it

    @property
    def shown(self) -> str:
        return " ".join(self.text.split())


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.visible: list[str] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in _VOID:
            self.elements.append(Element(tag, attributes, ""))
        else:
            self._open.append((tag, attributes, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}, ""))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                while len(self._open) > index:
                    self._close()
                return

    def handle_data(self, data: str) -> None:
        # a heading's permalink sign belongs to the link, not to the heading's text
        links = [i for i, (_, attrs, _) in enumerate(self._open) if "headerlink" in attrs.get("class", "").split()]
        for _, _, text in self._open[links[-1] if links else 0:]:
            text.append(data)
        if not any(tag in _HIDDEN for tag, _, _ in self._open):
            self.visible.append(data)

    def _close(self) -> None:
        tag, attrs, text = self._open.pop()
        self.elements.append(Element(tag, attrs, "".join(text)))

    def finish(self) -> None:
        self.close()
        while self._open:
            self._close()


@dataclass
class Html:
    elements: list[Element]
    visible_text: str

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def shown(self, tag: str) -> list[str]:
        return [e.shown for e in self.all(tag)]

    def scripts_mentioning(self, marker: str) -> list[Element]:
        return [e for e in self.all("script") if marker in e.text or marker in e.attrs.get("src", "")]

    def event_handlers(self) -> list[tuple[str, str, str]]:
        return [(e.tag, name, value) for e in self.elements for name, value in e.attrs.items() if name.startswith("on")]

    def carrying(self, marker: str) -> list[Element]:
        """Elements whose attributes mention `marker` (ids made from headings are lower case, markers are not)."""
        return [e for e in self.elements if any(marker in value for value in e.attrs.values())]


def parse_html(path: Path) -> Html:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.finish()
    return Html(collector.elements, " ".join("".join(collector.visible).split()))


def entry_html(root: Path, folder: str, entry_id: str) -> Html:
    return parse_html(root / "site" / "playbook" / folder / entry_id / "index.html")


def entry_markdown(root: Path, folder: str, entry_id: str) -> str:
    return (root / "docs" / "playbook" / folder / f"{entry_id}.md").read_text(encoding="utf-8")


def site_pages(root: Path) -> Iterator[tuple[Path, Html]]:
    for path in sorted((root / "site").rglob("*.html")):
        yield path, parse_html(path)


def front_matter(markdown: str) -> dict[str, Any]:
    match = re.match(r"---\n(.*?)\n---\n", markdown, re.S)
    assert match, "the page does not start with front matter"
    return yaml.safe_load(match.group(1))


def search_records(root: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's record of every page it indexed, by URL (each is gzip of a signature and the page's JSON)."""
    records = (json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
               for path in (root / "site" / "pagefind" / "fragment").iterdir())
    return {record["url"]: record for record in records}


def href_scheme(href: str) -> str:
    """The scheme a browser would read from an href (it ignores whitespace and control characters in it)."""
    cleaned = re.sub(r"[\x00-\x20]", "", href).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else ""


# -- the hostile site, built once ----------------------------------------------------------------------------


def plant_hostile_values(root: Path) -> None:
    def threat(data: dict[str, Any]) -> None:
        data["title"] = TITLE_HTML
        data["assets"][0] = ASSET_HTML
        data["assets"][1] = ATTR_ASSET
        data["description"] = PROSE_HTML

    def architecture(data: dict[str, Any]) -> None:
        data["when_to_use"][0] = BULLET_HTML
        data["when_to_use"][1] = ATTR_BULLET
        data["diagram"]["nodes"][0]["label"] = DIAGRAM_LABELS["node"]
        data["diagram"]["edges"][0]["label"] = DIAGRAM_LABELS["edge"]
        data["diagram"]["clusters"][0]["label"] = DIAGRAM_LABELS["cluster"]

    def checklist(data: dict[str, Any]) -> None:
        data["title"] = ATTR_TITLE
        for item, title in zip(data["items"], ATTR_ITEM_TITLES):
            item["title"] = title

    def exfiltration(data: dict[str, Any]) -> None:
        data["description"] = IMAGE_PROSE
        data["assets"][0] = IMAGE_ASSET

    edit_entry(root, "threats/prompt-injection.yaml", threat)
    edit_entry(root, "architectures/rag-assistant.yaml", architecture)
    edit_entry(root, "checklists/architecture-review.yaml", checklist)
    edit_entry(root, "threats/retrieval-data-exfiltration.yaml", exfiltration)
    set_fields(root, "standards/prompt-versioning.yaml", title=JINJA_TITLE, scope=JINJA_PROSE_LINE + "\n")
    set_fields(root, "kpis/architecture-review-cycle-time.yaml", title=MACRO_KPI_TITLE, target=MACRO_KPI_TARGET)
    set_fields(root, "tools/kong.yaml", title=BREAKOUT_TITLE)
    set_fields(root, "standards/logging-redaction.yaml", title=FRONT_MATTER_TITLE, summary=FRONT_MATTER_SUMMARY)
    set_fields(root, "tools/mlflow.yaml", rationale=FENCED_PROSE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose catalog is full of hostile values, generated and built with the real tools."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    plant_hostile_values(root)
    report, result, *_ = generate(Project(root))
    assert not report.errors, format_text(report)
    assert result is not None
    build_site(root)
    return root


# -- raw HTML in Line and Prose fields -----------------------------------------------------------------------


def test_html_in_a_title_shows_as_typed_in_the_heading(site: Path) -> None:
    page = entry_html(site, "threats", "prompt-injection")
    assert TITLE_HTML in page.shown("h1")


def test_html_in_a_title_shows_as_typed_in_the_browser_tab(site: Path) -> None:
    page = entry_html(site, "threats", "prompt-injection")
    assert page.shown("title") == [f"{TITLE_HTML} - {SITE_NAME}"]


def test_html_in_a_title_creates_no_element(site: Path) -> None:
    page = entry_html(site, "threats", "prompt-injection")
    assert page.scripts_mentioning("xssTitle") == []
    assert page.carrying("xssTitle") == []
    assert page.all("b") == []


def test_html_in_a_list_item_shows_as_typed(site: Path) -> None:
    page = entry_html(site, "threats", "prompt-injection")
    assert ASSET_HTML in page.shown("li")
    assert page.scripts_mentioning("xssAsset") == [] and page.carrying("xssAsset") == []


def test_html_in_a_bullet_list_item_shows_as_typed(site: Path) -> None:
    """`when_to_use` is printed through the templates' `bullets` macro; the reader must see the item as typed."""
    page = entry_html(site, "architectures", "rag-assistant")
    assert BULLET_HTML in page.shown("li")
    assert page.scripts_mentioning("xssBullet") == [] and page.carrying("xssBullet") == []


def test_html_in_prose_shows_as_typed(site: Path) -> None:
    paragraphs = entry_html(site, "threats", "prompt-injection").shown("p")
    for line in PROSE_HTML_LINES:
        assert line in paragraphs


def test_html_in_prose_creates_no_element(site: Path) -> None:
    page = entry_html(site, "threats", "prompt-injection")
    assert page.scripts_mentioning("xssProse") == []
    assert page.carrying("xssProse") == []
    assert [e for e in page.all("circle")] == []


def test_entry_pages_carry_no_event_handler_attributes(site: Path) -> None:
    for folder, entry_id in [("threats", "prompt-injection"), ("architectures", "rag-assistant"),
                             ("checklists", "architecture-review"), ("tools", "kong")]:
        assert entry_html(site, folder, entry_id).event_handlers() == [], f"{folder}/{entry_id}"


def test_no_hostile_markup_anywhere_in_the_site(site: Path) -> None:
    """Titles also reach index tables, the header, the tags page and the pages that link to an entry."""
    leaks = []
    for path, page in site_pages(site):
        where = path.relative_to(site / "site").as_posix()
        leaks += [(where, "script", marker) for marker in MARKERS if page.scripts_mentioning(marker)]
        leaks += [(where, "attribute", marker) for marker in MARKERS if page.carrying(marker)]
        leaks += [(where, "handler", handler) for handler in page.event_handlers()]
    assert leaks == []


def test_search_index_holds_hostile_text_as_the_text_it_is(site: Path) -> None:
    """The page showed the markup as text, so search read it as text: the title as typed, whole, and no page's
    words hold an element the browser made of catalog text (the search box escapes every field it shows:
    tests/test_search.py types a hostile result)."""
    records = search_records(site)
    threat = records["/playbook/threats/prompt-injection/"]
    assert threat["meta"]["title"] == TITLE_HTML
    assert TITLE_HTML in threat["content"]


def test_code_in_prose_shows_as_typed(site: Path) -> None:
    """The site's Markdown must not read fences inside a prose code block: the reader sees the block as typed."""
    page = entry_html(site, "tools", "mlflow")
    assert FENCED_SNIPPET in [e.text for e in page.all("code")]
    assert [e for e in page.elements if "highlight" in e.attrs.get("class", "").split()] == []


# -- diagrams ---------------------------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def diagram_files(root: Path) -> list[Path]:
    """Every drawn view of the rag-assistant diagram, as generated and as published."""
    files = [*sorted((root / "docs" / "playbook" / "architectures").glob("rag-assistant.*.svg")),
             *sorted((root / "site" / "playbook" / "architectures").glob("rag-assistant.*.svg"))]
    assert files, "no diagram was drawn"
    return files


def test_diagram_labels_show_as_typed(site: Path) -> None:
    """A diagram opens on its own when selected, so its labels must be text, not markup."""
    for path in [p for p in diagram_files(site) if not p.name.endswith(".relations.svg")]:  # relation graphs shorten titles
        groups = [g for g in ET.parse(path).getroot().iter(f"{SVG}g") if g.get("class") in ("node", "edge", "cluster")]
        # a long label wraps onto several lines, and a cloud view adds the service under a node's label
        texts = [" ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text")) for g in groups]
        for where, label in DIAGRAM_LABELS.items():
            assert any(text == label or text.startswith(label + " ") for text in texts), (path.name, where)


def test_diagram_labels_create_no_element(site: Path) -> None:
    for path in diagram_files(site):
        elements = list(ET.parse(path).getroot().iter())
        assert [e.tag for e in elements if e.tag.split("}")[-1] in ("script", "foreignObject", "img", "iframe")] == []
        assert [(e.tag, name) for e in elements for name in e.attrib if name.split("}")[-1].lower().startswith("on")] == []


def test_diagram_labels_show_as_typed_on_the_page(site: Path) -> None:
    page = entry_html(site, "architectures", "rag-assistant")
    assert DIAGRAM_LABELS["node"] in page.shown("td")
    assert DIAGRAM_LABELS["cluster"] in " ".join(page.shown("td"))
    assert page.scripts_mentioning("xssDiagram") == [] and page.carrying("xssDiagram") == []


# -- Jinja and macros expressions ----------------------------------------------------------------------------


def test_jinja_in_a_title_is_not_evaluated_by_the_generator(site: Path) -> None:
    heading = next(line for line in entry_markdown(site, "standards", "prompt-versioning").splitlines() if line.startswith("# "))
    assert "49" not in heading and SITE_NAME not in heading and "{{" not in heading and "{%" not in heading


def test_jinja_in_a_title_shows_as_typed(site: Path) -> None:
    page = entry_html(site, "standards", "prompt-versioning")
    assert JINJA_TITLE in page.shown("h1")
    assert page.shown("title") == [f"{JINJA_TITLE} - {SITE_NAME}"]


def test_jinja_in_prose_shows_as_typed(site: Path) -> None:
    page = entry_html(site, "standards", "prompt-versioning")
    assert JINJA_PROSE_LINE in page.shown("p")
    assert "root:x:0:0" not in page.visible_text


def test_catalog_text_quoted_by_a_macros_page_is_not_evaluated(site: Path) -> None:
    """The home page is rendered by mkdocs-macros and quotes a KPI's title and target."""
    page = parse_html(site / "site" / "index.html")
    assert MACRO_KPI_TITLE in [a.shown for a in page.all("a")]
    assert MACRO_KPI_TARGET in page.shown("strong")
    assert page.scripts_mentioning("xssKpi") == []
    assert page.all("i") == []


# -- the page head -------------------------------------------------------------------------------------------


def test_title_cannot_break_out_of_the_title_element(site: Path) -> None:
    page = entry_html(site, "tools", "kong")
    assert page.scripts_mentioning("window.pwned") == []
    assert page.shown("title") == [f"{BREAKOUT_TITLE} - {SITE_NAME}"]


# -- front matter ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["x\n---\ntitle: pwned", "x\r\n---\r\ntitle: pwned", "x\u2028---\u2028title: pwned"],
                         ids=["lf", "crlf", "line-separator"])
def test_multi_line_title_is_rejected(project: Path, title: str) -> None:
    set_fields(project, "standards/logging-redaction.yaml", title=title)
    errors = errors_in(project, "catalog/standards/logging-redaction.yaml")
    assert [d.path for d in errors] == ["title"]
    assert "single line" in errors[0].message


def test_dashes_and_colons_in_a_title_leave_the_front_matter_alone(site: Path) -> None:
    meta = front_matter(entry_markdown(site, "standards", "logging-redaction"))
    assert meta == {"catalog_source": "catalog/standards/logging-redaction.yaml", "tags": meta["tags"],
                    "facets": meta["facets"]}
    assert all(isinstance(tag, str) for tag in meta["tags"])
    assert meta["facets"]["id"] == "logging-redaction"  # what search shows and filters by: the summary as typed
    assert meta["facets"]["summary"] == " ".join(FRONT_MATTER_SUMMARY.split())


def test_dashes_and_colons_in_a_title_show_as_typed(site: Path) -> None:
    page = entry_html(site, "standards", "logging-redaction")
    assert FRONT_MATTER_TITLE in page.shown("h1")
    assert page.shown("title") == [f"{FRONT_MATTER_TITLE} - {SITE_NAME}"]
    assert FRONT_MATTER_SUMMARY in page.shown("p")


# -- attr_list ------------------------------------------------------------------------------------------------


def test_attribute_list_in_a_title_adds_no_attribute(site: Path) -> None:
    page = entry_html(site, "checklists", "architecture-review")
    assert ATTR_TITLE in page.shown("h1")
    assert page.carrying("xssAttr") == [] and page.event_handlers() == []


def test_attribute_list_in_checklist_item_titles_adds_no_attribute(site: Path) -> None:
    page = entry_html(site, "checklists", "architecture-review")
    headings = page.shown("h3")
    for title in ATTR_ITEM_TITLES:
        assert title in headings
    assert [e for e in page.elements if e.attrs.get("id") == "evil" or "danger" in e.attrs.get("class", "")] == []


def test_attribute_list_in_list_items_adds_no_attribute(site: Path) -> None:
    threat = entry_html(site, "threats", "prompt-injection")
    architecture = entry_html(site, "architectures", "rag-assistant")
    assert ATTR_ASSET in threat.shown("li")
    assert ATTR_BULLET in architecture.shown("li")
    for page in (threat, architecture):
        assert page.carrying("xssAttr") == [] and page.event_handlers() == []
        assert [e for e in page.elements if e.attrs.get("id") in ("evil", "evil2")] == []


# -- images ---------------------------------------------------------------------------------------------------


def test_images_in_prose_and_lines_produce_no_img(site: Path) -> None:
    page = entry_html(site, "threats", "retrieval-data-exfiltration")
    assert page.all("img") == []
    fetching = [e for e in page.elements if e.tag != "a" and any(TRACKER in v for v in e.attrs.values())]
    assert fetching == []


def test_no_page_of_the_site_fetches_from_the_tracker(site: Path) -> None:
    for path, page in site_pages(site):
        fetching = [e for e in page.elements if e.tag != "a" and any(TRACKER in v for v in e.attrs.values())]
        assert fetching == [], path


# -- the tool website ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("website", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", DATA_URL,
                                     'https://example.com/"onmouseover="alert(1)', "https://example.com/<script>"])
def test_tool_website_with_an_unsafe_address_is_rejected(project: Path, website: str) -> None:
    set_fields(project, "tools/kong.yaml", website=website)
    assert [d.path for d in errors_in(project, "catalog/tools/kong.yaml")] == ["website"]


# -- unsafe links in prose ----------------------------------------------------------------------------------


@dataclass
class UnsafeLinks:
    catalog_root: Path  # a project whose catalog holds the unsafe links
    site_root: Path  # a clean project holding the pages rendered from that catalog, built


@pytest.fixture(scope="module")
def unsafe_links(tmp_path_factory: pytest.TempPathFactory) -> UnsafeLinks:
    """Prose with unsafe links, rendered despite the check's errors to test the renderer and the site alone.

    `generate` refuses such a catalog and the macros plugin refuses to build with it, so the pages rendered
    from it are placed in a clean copy of the project and built there.
    """
    base = tmp_path_factory.mktemp("unsafe-links")
    root = copy_project(base / "catalog")
    prose = "".join(f"Link {name}: {markdown} end.\n\n" for name, (markdown, _) in UNSAFE_LINKS.items())
    set_fields(root, "tools/kong.yaml", rationale=prose)
    catalog, _ = check(Project(root))
    _, pages, *_ = generate_pages(catalog)
    site_root = copy_project(base / "site")
    write_pages(Project(site_root).output, pages)
    build_site(site_root)
    return UnsafeLinks(root, site_root)


def rationale_position(root: Path) -> tuple[int, int]:
    """Line and column of the rationale value in kong.yaml, 1-based."""
    for number, line in enumerate((root / "catalog" / "tools" / "kong.yaml").read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("rationale:"):
            return number, len("rationale: ") + 1
    raise AssertionError("no rationale key")


@pytest.mark.parametrize("name", list(UNSAFE_LINKS))
def test_unsafe_link_is_reported_with_its_position(unsafe_links: UnsafeLinks, name: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, url = UNSAFE_LINKS[name]
    assert playbook(["--root", str(unsafe_links.catalog_root), "check", "--format", "json"]) == 1
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    found = [(d["file"], d["line"], d["column"], d["path"]) for d in diagnostics
             if d["code"] == "unsafe-link" and url.lower() in d["message"].lower()]
    assert found == [("catalog/tools/kong.yaml", *rationale_position(unsafe_links.catalog_root), "rationale")]


def test_unsafe_link_report_reads_file_line_col(unsafe_links: UnsafeLinks, capsys: pytest.CaptureFixture[str]) -> None:
    assert playbook(["--root", str(unsafe_links.catalog_root), "check"]) == 1
    line, column = rationale_position(unsafe_links.catalog_root)
    expected = f"catalog/tools/kong.yaml:{line}:{column}: error: rationale: link to 'javascript:alert(1)' is not allowed in prose"
    assert expected in capsys.readouterr().out.splitlines()


def test_unsafe_links_make_generate_write_nothing(unsafe_links: UnsafeLinks, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "copy", catalog=unsafe_links.catalog_root / "catalog")
    report, result, *_ = generate(Project(root))
    assert result is None and any(d.code == "unsafe-link" for d in report.errors)
    assert not Project(root).output.exists()


def test_unsafe_links_never_reach_the_built_page(unsafe_links: UnsafeLinks) -> None:
    page = entry_html(unsafe_links.site_root, "tools", "kong")
    assert "Link markdown link:" in page.visible_text  # the rationale rendered from the unsafe catalog
    schemes = {href_scheme(a.attrs.get("href", "")) for a in page.elements if "href" in a.attrs}
    assert schemes.isdisjoint({"javascript", "data", "vbscript"}), schemes
    assert page.scripts_mentioning("alert(3)") == []


def test_unsafe_links_never_reach_any_built_page(unsafe_links: UnsafeLinks) -> None:
    bad = [(path.name, e.tag, e.attrs) for path, page in site_pages(unsafe_links.site_root) for e in page.elements
           for name in ("href", "src", "action", "formaction") if href_scheme(e.attrs.get(name, "")) in ("javascript", "data", "vbscript")]
    assert bad == []


@pytest.mark.parametrize("markdown", ["[x](/admin)", "[x](//evil.example/p)", "[x](../tools/kong.md)",
                                      "[x](javascript:alert(1))", "<javascript:alert(2)>", "[x](JaVaScRiPt:alert(4))"])
def test_prose_keeps_no_address_it_does_not_allow(markdown: str) -> None:
    assert links(markdown) != ()  # the check sees the link, to report it
    assert "href" not in Prose().html(markdown, str)
    assert 'href="https://example.com/a"' in Prose().html(f"{markdown} and [fine](https://example.com/a)", str)


@pytest.mark.parametrize("title", ["Kong\x0bgateway", "Kong\x00", "Kong\x1b[31m", "Kong\ufffe"])
def test_a_title_with_a_control_character_is_rejected(project: Path, title: str) -> None:
    set_fields(project, "tools/kong.yaml", title=title)  # it would break every SVG that shows the title
    assert [d.path for d in errors_in(project, "catalog/tools/kong.yaml")] == ["title"]


# -- determinism ------------------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generation_is_byte_identical_across_runs(site: Path, tmp_path: Path) -> None:
    """Two processes with different hash seeds write the same bytes from the same (hostile) catalog."""
    outputs = []
    for seed in ("1", "2"):
        root = copy_project(tmp_path / seed, catalog=site / "catalog")
        done = subprocess.run([sys.executable, "-m", "generators", "--root", str(root), "generate"],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append(snapshot(root / "docs" / "playbook"))
    assert outputs[0] == outputs[1]
    assert outputs[0] == snapshot(site / "docs" / "playbook")


def test_rendering_twice_in_one_process_gives_the_same_pages(site: Path) -> None:
    catalog, _ = check(Project(site))
    assert generate_pages(catalog)[1] == generate_pages(catalog)[1]
