"""The second line of defence: generated pages' HTML cleaned with nh3 after MkDocs renders it."""

from __future__ import annotations

import nh3

_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "a", "ul", "ol", "li", "table", "thead", "tbody",
    "tr", "th", "td", "code", "pre", "strong", "em", "del", "blockquote", "hr", "br", "input", "label",
    "details", "summary", "img", "object", "dl", "dt", "dd",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "download"},
    "ol": {"start"},
    "input": {"type", "disabled", "checked", "name"},
    "label": {"for"},
    "img": {"src", "alt"},
    "object": {"data", "type", "aria-label"},
    "div": {"data-tabs"},
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
