"""Analyst text: Markdown rendered by markdown-it, then cleaned by nh3 (the Ammonia sanitizer)."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "code", "pre",
                "table", "thead", "tbody", "tr", "th", "td", "h4", "h5", "h6", "a", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def clean_html(fragment: str) -> str:
    """Sanitize an HTML fragment: no scripts, no event handlers, no javascript: links.

    >>> clean_html('<p onclick="x()">a<script>alert(1)</script></p><a href="javascript:alert(1)">b</a>')
    '<p>a</p><a rel="noopener noreferrer">b</a>'
    """
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def markdown_to_html(text: str) -> str:
    """Render the analyst's Markdown to safe HTML.

    >>> markdown_to_html("**Đạt** 99,16%")
    '<p><strong>Đạt</strong> 99,16%</p>'
    """
    return clean_html(_MD.render(text or "")).strip()
