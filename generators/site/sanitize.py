"""The second line of defence: generated pages' HTML cleaned with nh3 as Markdown renders it, whichever engine runs.

Both engines render pages with Python-Markdown and the `markdown_extensions` of mkdocs.yml, so this
extension (listed there as `generators.site.sanitize`, which `check` requires) runs under MkDocs and Zensical alike. A page
is cleaned when the first line of its body is the generated pages' mark (`render.pages.GENERATED_MARK`),
which the generator writes on every page it renders; hand-written pages keep their own markup.
"""

from __future__ import annotations

from typing import Any

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from ..render.pages import GENERATED_MARK

_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "a", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "code", "pre", "strong", "em", "del", "blockquote", "hr", "br", "input", "label",
    "details", "summary", "img", "object", "dl", "dt", "dd",
    # the charts of render/charts.py, drawn inline so that they take the page's colours
    "svg", "title", "desc", "line", "polyline", "circle", "rect", "text",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "download"},
    "ol": {"start"},
    "input": {"type", "disabled", "checked", "name"},
    "label": {"for"},
    "th": {"scope"},  # matrices name their row and column headers
    "img": {"src", "alt"},
    "object": {"data", "type", "aria-label"},
    "div": {"data-tabs"},
    "svg": {"viewBox", "role", "aria-labelledby", "aria-label", "width", "height", "xmlns"},
    "line": {"x1", "x2", "y1", "y2"},
    "polyline": {"points"},
    "circle": {"cx", "cy", "r"},
    "rect": {"x", "y", "width", "height"},
    "text": {"x", "y", "text-anchor"},
}


def sanitize(html: str) -> str:
    """Keep the markup generated pages use; drop scripts, handlers, styles and unsafe links."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


class _FindMark(Preprocessor):
    """Notes whether the body's first line is the generated pages' mark, and takes the mark out."""

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        first = next((number for number, line in enumerate(lines) if line.strip()), None)
        self.extension.generated = first is not None and lines[first].strip() == GENERATED_MARK
        return lines[:first] + lines[first + 1:] if self.extension.generated else lines


class _Clean(Postprocessor):
    """Cleans the finished HTML of a generated page."""

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        return sanitize(text) if self.extension.generated else text


class SanitizeExtension(Extension):
    """Python-Markdown extension: the HTML of a page carrying the generated pages' mark passes through nh3."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.generated = False

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.registerExtension(self)
        md.preprocessors.register(_FindMark(md, self), "playbook_generated_mark", 40)  # before any other reads the lines
        md.postprocessors.register(_Clean(md, self), "playbook_sanitize", 0)  # last: raw HTML is back in place

    def reset(self) -> None:
        self.generated = False


def makeExtension(**kwargs: Any) -> SanitizeExtension:  # noqa: N802 - the name Python-Markdown looks for
    return SanitizeExtension(**kwargs)
