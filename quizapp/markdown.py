"""Safe Markdown: markdown-it-py renders, nh3 keeps only harmless HTML."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "br",
    "sub", "sup", "table", "thead", "tbody", "tr", "th", "td", "hr", "h3", "h4", "del",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default" is CommonMark with raw HTML switched off; tables and strikethrough on.
    return MarkdownIt("js-default").enable(["table", "strikethrough"])


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """HTML for a Markdown string from a bank file, safe to insert into a page."""
    html = _parser().render(text or "")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_inline(text: str) -> str:
    """Markdown for a one-line fragment (an option, a list item) without the <p>."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def is_blank(text: str) -> bool:
    """True when the Markdown renders to no visible text at all."""
    return not nh3.clean(render_markdown(text), tags=set()).strip()
