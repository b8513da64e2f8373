"""Whether two builds of the same pages show the same thing: the text of each page's article, compared."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

_VOID = {"br", "img", "input", "hr", "meta", "link", "source", "wbr"}


class _Article(HTMLParser):
    """The text inside the page's <article>, without permalink marks and without the tag list (`skip`)."""

    def __init__(self, skip: str) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.depth = 0
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or not (tag == "article" or self.depth):
            return
        self.depth += 1
        if self.skipping or self.skip in (dict(attrs).get("class") or "").split():
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in _VOID:
            self.depth -= 1
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.parts.append(data)


def article_text(path: Path, skip: str = "md-tags") -> str:
    parser = _Article(skip)
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return re.sub(r"\s+", " ", " ".join(parser.parts).replace("¶", "")).strip()


def compare(first: Path, second: Path) -> tuple[int, int, list[str]]:
    """(pages in `first`, pages whose article text is the same in `second`, the names of those that differ)."""
    pages = sorted(p.relative_to(first) for p in first.rglob("index.html"))
    differ = [str(p) for p in pages if not (second / p).is_file() or article_text(first / p) != article_text(second / p)]
    return len(pages), len(pages) - len(differ), differ
