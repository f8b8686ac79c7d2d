"""The card as README.md (YAML front matter written by huggingface_hub, then the sections) and
as HTML safe to embed in a page.

HTML: markdown-it-py renders the body (CommonMark, tables, strikethrough, raw HTML allowed as on
the Hub), then nh3 keeps only the allow-list of `community.markdown` (the sanitiser of GitHub
content), tightened for cards: links only to http(s) and mailto, images only from http(s),
relative URLs dropped (a card is shown on many pages), no script, style, iframe, form or event
handler. The result may be marked safe in a template.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from huggingface_hub import ModelCard
from markdown_it import MarkdownIt

from community.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    LINK_REL,
    URL_SCHEMES,
)
from models_hub.cards.metadata import card_data
from models_hub.cards.results import version_results
from models_hub.cards.sections import CardSection, card_sections
from models_hub.models import ModelVersion

IMAGE_SCHEMES = ("https://", "http://")


def card_body(version: ModelVersion) -> str:
    """The card's markdown without its front matter: a title, then every section."""
    return _body(version, card_sections(version))


def card_markdown(version: ModelVersion) -> str:
    """README.md: the metadata (with the model-index) as YAML front matter, then the body."""
    results = version_results(version=version)
    data = card_data(version, results)
    body = _body(version, card_sections(version, results))
    return str(ModelCard(f"---\n{data.to_yaml()}\n---\n\n{body}"))


def _body(version: ModelVersion, sections: list[CardSection]) -> str:
    parts = [f"# {version.model.name}"]
    parts += [f"## {section.title}\n\n{section.markdown.strip()}" for section in sections]
    return "\n\n".join(parts) + "\n"


def card_html(version: ModelVersion) -> str:
    """The body as sanitised HTML (a `str`; mark it safe only at the template boundary)."""
    return markdown_html(card_body(version))


def markdown_html(text: str) -> str:
    return _cleaner().clean(_parser().render(text))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _image_sources(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.lower().startswith(IMAGE_SCHEMES):
        return None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_image_sources,
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
    )
