"""Render GitHub-flavoured markdown written by strangers into HTML that is safe to embed.

markdown-it-py parses CommonMark (+ tables and strikethrough, as GitHub does) with raw HTML
allowed, because issue bodies are full of <details>, <img> and <br>; nh3 then removes everything
that is not on the allow-list below: scripts, event handlers, styles, `javascript:` URLs.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li",
        "ol", "p", "pre", "q", "s", "samp", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "input": {"type", "checked", "disabled"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Only fenced-code language classes survive, so markup cannot borrow the site's own classes.
CODE_LANGUAGES = ("python", "js", "ts", "json", "bash", "shell", "console", "diff", "yaml", "toml",
                  "html", "css", "sql", "text", "rust", "go", "c", "cpp", "java")  # fmt: skip
ALLOWED_CLASSES = {"code": {f"language-{language}" for language in CODE_LANGUAGES}}
LINK_REL = "nofollow noopener"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
    )


def render_markdown(text: str | None) -> str:
    """Markdown source → sanitised HTML (a `str`; mark it safe only at the template boundary)."""
    if not text:
        return ""
    return _cleaner().clean(_parser().render(text))
