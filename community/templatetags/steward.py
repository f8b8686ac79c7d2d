"""Template helpers shared by every Steward page: `{% load steward %}`."""

from __future__ import annotations

import re
from datetime import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accounts import permissions
from community.avatars import avatar_src
from community.links import safe_url
from community.markdown import render_markdown
from community.models import Issue, PullRequest, Repository
from community.navigation import nav_items
from community.synthetic_ids import is_demo_id

register = template.Library()
_HEX_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")


@register.filter(name="markdown", is_safe=True)
def markdown_filter(text: str | None) -> SafeString:
    """Markdown → sanitised HTML (community.markdown does the cleaning)."""
    # Safe to mark: render_markdown returns nh3-sanitised HTML only.
    return mark_safe(render_markdown(text))


@register.filter(name="safe_url")
def safe_url_filter(url: str | None) -> str:
    """A URL from GitHub as a link target: http(s) only, else "" (show it as plain text)."""
    return safe_url(url)


@register.filter(name="avatar_src")
def avatar_src_filter(actor) -> str:
    """Where an <img> shows the actor's avatar from: always this site (community.avatars)."""
    return avatar_src(actor)


@register.filter
def is_demo_data(repository: Repository | None) -> bool:
    """Whether `manage.py demo` made the repository (its id lies in the demo's id range)."""
    return repository is not None and is_demo_id(repository.pk)


@register.filter
def label_style(color: str) -> str:
    """Inline style for a label swatch: its GitHub colour, with black or white text for contrast."""
    if not _HEX_COLOR.match(color or ""):
        return ""
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (0, 2, 4))
    channels = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    # Pick the text colour with the higher WCAG contrast ratio against the background.
    text = "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"
    return f"background-color:#{color.lower()};color:{text}"


def _repository_args(repository: Repository) -> list[str]:
    owner, _, name = repository.full_name.partition("/")
    return [owner, name]


@register.simple_tag
def repo_url(repository: Repository, view: str = "repository_detail") -> str:
    """A repository page's URL: a community view by name, or another app's "app:view"."""
    name = view if ":" in view else f"community:{view}"
    return reverse(name, args=_repository_args(repository))


@register.filter
def item_url(item: Issue | PullRequest) -> str:
    view = "pull_request_detail" if isinstance(item, PullRequest) else "issue_detail"
    return reverse(f"community:{view}", args=[*_repository_args(item.repository), item.number])


@register.filter
def item_state(item: Issue | PullRequest) -> str:
    """open, closed, merged or draft: the badge an issue or PR wears."""
    if isinstance(item, PullRequest):
        if item.merged:
            return "merged"
        if item.draft and item.is_open:
            return "draft"
    return item.state


@register.filter
def when(moment: datetime | None) -> str:
    """A <time> element: relative text, the exact moment in its title and datetime."""
    if moment is None:
        return "—"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.isoformat(),
        moment.strftime("%Y-%m-%d %H:%M UTC"),
        naturaltime(moment),
    )


@register.filter(name="maintains_any")
def maintains_any_filter(user) -> bool:
    """Whether the user maintains a repository (admins maintain all): accounts.permissions decides,
    once per request (the navigation and the page's own links ask the same question)."""
    if user is None:
        return False
    if not hasattr(user, "_steward_maintains_any"):
        user._steward_maintains_any = permissions.maintains_any(user)
    return user._steward_maintains_any


@register.inclusion_tag("community/_nav.html", takes_context=True)
def main_nav(context) -> dict:
    request = context.get("request")
    if request is None:
        return {"items": nav_items(path="")}
    user = getattr(request, "user", None)
    return {
        "items": nav_items(
            path=request.path,
            is_staff=permissions.is_admin(user),
            signed_in=permissions.is_signed_in(user),
            maintainer=maintains_any_filter(user),
        )
    }


@register.filter
def page_numbers(page) -> list:
    """Page numbers around the current page, with the paginator's ellipsis between far ones."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def words(value: str) -> str:
    """GitHub's snake_case codes as words: `head_ref_deleted` → `head ref deleted`."""
    return (value or "").replace("_", " ")
