"""A generated page as one printable HTML file: its Markdown rendered and cleaned as the site cleans it, links to other
pages made site addresses, and the styles of its tables and charts inside, so the file reads, prints and saves as PDF
on its own, offline, with nothing fetched."""

from __future__ import annotations

import re
from html import escape

import markdown

from ..text import clean_page

#: The same extensions the site renders these pages with (mkdocs.yml), as far as a lone file needs them.
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc"]
#: A link to a page source ('../kpis/x.md', 'index.md#part'), which the site serves at a folder address.
_PAGE_LINK = re.compile(r'href="((?:[^"#:]*/)?)([^"#/:]+)\.md(#[^"]*)?"')

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #3f51b5; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 2rem auto;
       max-width: 48rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 1.6em; } h3, h4 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; break-inside: auto; }
th, td { border: 1px solid var(--line); padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
tr { break-inside: avoid; }
a { color: var(--accent); }
.pb-tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0.5rem; }
.pb-tile { border: 1px solid var(--line); border-top: 0.3rem solid var(--pb-status, var(--muted)); padding: 0.3rem 0.5rem;
           break-inside: avoid; font-size: 0.9em; }
.pb-tile p { margin: 0.2em 0; }
.pb-tile--changed { outline: 2px solid var(--accent); }
.pb-status--met { --pb-status: #2e7d32; } .pb-status--at-risk { --pb-status: #b26a00; }
.pb-status--missed { --pb-status: #c62828; }
.pb-chart { display: block; width: 100%; max-width: 40rem; height: auto; font-size: 15px; color: var(--fg); }
.pb-chart__grid { stroke: #e6e9ed; } .pb-chart__tick, .pb-chart__target-label { fill: currentColor; }
.pb-chart__target { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 4; }
.pb-chart__line { fill: none; stroke: var(--accent); stroke-width: 2.5; } .pb-chart__point { fill: var(--accent); }
.pb-chart__track { fill: #eef0f3; } .pb-chart__bar { fill: var(--accent); }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def _site_link(match: re.Match[str]) -> str:
    folder, name, anchor = match.group(1), match.group(2), match.group(3) or ""
    return f'href="{folder}{"" if name == "index" else name + "/"}{anchor}"'


def printable(page: str, title: str) -> str:
    """The HTML file of a page's Markdown (front matter and all) with `title`; links resolve from the page's folder."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    html = clean_page(markdown.markdown(body, extensions=EXTENSIONS))
    html = _PAGE_LINK.sub(_site_link, html)
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>{STYLE}</style>\n</head>\n'
            f"<body>\n<main>\n{html}\n</main>\n</body>\n</html>\n")
