"""The second line of defence: generated pages' HTML cleaned with nh3 as Markdown renders it, whichever engine runs.

Both engines render pages with Python-Markdown and the `markdown_extensions` of mkdocs.yml, so this
extension (listed there as `generators.site.sanitize`, which `check` requires) runs under MkDocs and Zensical alike. A page
is cleaned when the first line of its body is the generated pages' mark (`render.pages.GENERATED_MARK`),
which the generator writes on every page it renders; hand-written pages keep their own markup.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from ..render.pages import GENERATED_MARK
from ..text import clean_page


def sanitize(html: str) -> str:
    """Keep the markup generated pages use; drop scripts, handlers, styles and unsafe links."""
    return clean_page(html)


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
