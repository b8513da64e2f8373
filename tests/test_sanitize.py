"""The generated pages' HTML is cleaned by a Markdown extension, so under any engine that renders with
Python-Markdown; `check` refuses a mkdocs.yml that does not list it."""

from __future__ import annotations

from pathlib import Path

import markdown
from mkdocs.utils.meta import get_data
from test_history import playbook

from generators.load.pages import SANITIZER
from generators.render.pages import GENERATED_MARK, mark_generated
from generators.site import sanitize

HOSTILE = ('Text <script>window.x=1</script> and <img src="x.png" onerror="window.x=2">\n\n'
           '[plain](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)" onclick="window.x=3">tag</a>\n\n'
           '<div style="position:fixed" class="admonition">boxed</div>\n')


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["md_in_html", SANITIZER])


def test_the_extension_is_the_module_mkdocs_yml_names() -> None:
    assert sanitize.__name__ == SANITIZER
    assert f"  - {SANITIZER}\n" in (Path(__file__).parent.parent / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_generated_page_loses_scripts_handlers_styles_and_unsafe_links() -> None:
    html = render(mark_generated(HOSTILE))
    assert "<script" not in html and "onerror" not in html and "onclick" not in html and "style=" not in html
    assert "javascript" not in html.lower()
    assert 'class="admonition"' in html and "boxed" in html and "Text" in html and ">tag</a>" in html
    assert GENERATED_MARK not in html and "<!--" not in html


def test_a_hand_written_page_keeps_its_markup() -> None:
    html = render(HOSTILE)
    assert '<div style="position:fixed" class="admonition">' in html and "<script>" in html


def test_the_mark_counts_only_as_the_first_line_of_the_body() -> None:
    assert "<script>" in render("# Title\n\n" + GENERATED_MARK + "\n\n" + HOSTILE)
    assert "<script>" not in render("\n\n" + GENERATED_MARK + "\n" + HOSTILE)


def test_the_mark_follows_the_front_matter_as_mkdocs_reads_it() -> None:
    marked = mark_generated("---\ntitle: A page\ntags: [x]\n---\n\n# A page\n")
    body, meta = get_data(marked)
    assert meta == {"title": "A page", "tags": ["x"]}
    assert body.startswith(GENERATED_MARK + "\n")
    assert mark_generated("# No front matter\n") == f"{GENERATED_MARK}\n# No front matter\n"


def test_each_page_is_judged_on_its_own() -> None:
    """One Markdown instance converting pages in turn (as a server may) cleans only the marked one."""
    md = markdown.Markdown(extensions=[SANITIZER])
    assert "<script>" not in md.convert(mark_generated(HOSTILE))
    assert "<script>" in md.reset().convert(HOSTILE)


def test_check_refuses_a_site_configuration_without_the_sanitiser(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"  - {SANITIZER}\n", ""), encoding="utf-8")
    result = playbook(project, "check")
    assert result.returncode == 1
    line = config.read_text(encoding="utf-8").splitlines().index("markdown_extensions:") + 1
    assert f"mkdocs.yml:{line}:1: error: markdown_extensions: does not list {SANITIZER}" in result.stdout + result.stderr
    assert playbook(project, "generate").returncode == 1
    assert not (project / "docs" / "playbook").exists()
