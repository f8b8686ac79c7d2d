"""A digest as markdown: the export, and the text maintainers paste into a forum or a newsletter."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from analytics.digests.present import numbers_rows, period_title, waiting_text
from analytics.models import Digest
from community.links import safe_url

# Characters markdown or HTML read as syntax inside a line: emphasis, code, links and images,
# raw HTML and entities, tables, strikethrough. Backslash-escaped, they are text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# Kept as they are in a link destination; anything else (parentheses, spaces, <, >, quotes,
# backticks) is percent-encoded, so a release tag cannot end the link and start raw HTML.
_URL_SAFE = ":/?#@!$&+,;=%~"
# v1.2.0, release/2024-05, 2.0.0+build: tags with nothing markdown reads, shown as code.
_PLAIN_TAG = re.compile(r"^[\w.+/-]+$")


# An @ that GitHub would read as a mention (`@ada`, `@acme/core`, not `ada@example.org`).
_MENTION = re.compile(r"(?<!\w)@(?=[A-Za-z0-9])")
# Invisible, and not a login character: `@\u2060ada` shows as @ada but pings nobody.
_WORD_JOINER = "\u2060"


def escape(text: str) -> str:
    """Text from GitHub (titles, tags, logins, names) with markdown and HTML syntax escaped,
    on one line, and no @-mention left in it: the file is pasted into GitHub Discussions, where
    every mention would notify someone."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _MENTION.sub("@" + _WORD_JOINER, escaped)


def _url(url: str) -> str:
    """A link destination: an http(s) URL, percent-encoded where markdown would read it."""
    checked = safe_url(url)
    return quote(checked, safe=_URL_SAFE) if checked else ""


def _link(text: str, url: str) -> str:
    destination = _url(url)
    return f"[{escape(text)}]({destination})" if destination else escape(text)


def _number(item: dict) -> str:
    return _link(f"#{item['number']}", item["url"])


def _tag(tag: str) -> str:
    """A release tag: as code when plain, else as escaped text (escapes do not work in code)."""
    return f"`{tag}`" if _PLAIN_TAG.match(tag) else escape(tag)


def _numbers(content: dict, period: str, *, in_progress: bool = False) -> list[str]:
    lines = [
        "## Numbers that moved",
        "",
        f"| | This {period} | Previous {period} | Change |",
        "|---|---:|---:|---:|",
    ]
    for row in numbers_rows(content["numbers"], in_progress=in_progress):
        lines.append(
            f"| {row['label']} | {row['current_text']} | {row['previous_text']} "
            f"| {row['delta_text']} |"
        )
    return lines


def _delivered(content: dict) -> list[str]:
    merged = content["merged_pull_requests"]
    lines = ["", f"## Merged pull requests ({len(merged)})", ""]
    for pr in merged:
        author = f" — by {escape(pr['author'])}" if pr["author"] else ""
        lines.append(f"- {_number(pr)} {escape(pr['title'])}{author}")
    if not merged:
        lines.append("None this period.")
    releases = content["releases"]
    lines += ["", f"## Releases ({len(releases)})", ""]
    for release in releases:
        pre = " (pre-release)" if release["prerelease"] else ""
        lines.append(
            f"- {_link(release['name'], release['url'])} {_tag(release['tag'])}{pre}, "
            f"{release['published_at'][:10]}"
        )
    if not releases:
        lines.append("None this period.")
    return lines


def _newcomers(content: dict, period: str) -> list[str]:
    newcomers = content["newcomers"]
    lines = ["", f"## Newcomers to welcome ({len(newcomers)})", ""]
    for person in newcomers:
        item = person["item"]
        lines.append(
            f"- {escape(person['login'])} {person['first_action']} "
            f"{_number(item)} {escape(item['title'])} "
            f"({person['contributions']} contribution{'s' if person['contributions'] != 1 else ''}"
            f" this {period})"
        )
    if not newcomers:
        lines.append(f"No first-time contributors this {period}.")
    return lines


def _attention(content: dict) -> list[str]:
    attention = content["attention"]
    lines = ["", f"## Needs attention (as of {attention['as_of'][:16].replace('T', ' ')} UTC)"]
    for name, title in attention["titles"].items():
        rows, total = attention["lists"].get(name, []), attention["totals"].get(name, 0)
        shown = f", {len(rows)} longest-waiting shown" if total > len(rows) else ""
        lines += ["", f"### {title} ({total}{shown})", ""]
        for row in rows:
            author = f" — by {escape(row['author'])}" if row["author"] else ""
            lines.append(
                f"- {_number(row)} {escape(row['title'])}{author}, "
                f"waiting {waiting_text(row['waiting_days'])}"
            )
        if not rows:
            lines.append("Nothing waiting.")
    return lines


def _themes(content: dict) -> list[str]:
    themes = content["themes"]
    lines = [
        "",
        "## Themes",
        "",
        f"{themes['embedded']} of the period's {themes['items']} new issues and pull requests "
        f"have an embedding ({themes['left_out']} left out until they are embedded).",
    ]
    if themes.get("reason"):
        lines += ["", f"No themes: {escape(themes['reason'])}"]
    for position, theme in enumerate(themes.get("themes", []), start=1):
        words = ", ".join(escape(keyword) for keyword in theme["keywords"])
        keywords = f" — {words}" if words else ""
        lines += ["", f"### {position}. {escape(theme['name'])} ({theme['size']}){keywords}", ""]
        for item in theme["representative"]:
            lines.append(f"- {_number(item)} {escape(item['title'])}")
    return lines


def digest_markdown(digest: Digest) -> str:
    content = digest.content
    period = digest.period
    title = period_title(period=period, start=digest.start)
    last_day = digest.end - dt.timedelta(days=1)
    status = "final" if digest.is_final else "in progress"
    lines = [
        f"# {escape(content['repository'])} — {title}",
        "",
        f"_{digest.start.isoformat()} to {last_day.isoformat()} (UTC) · {status} · generated "
        f"{digest.generated_at:%Y-%m-%d %H:%M} UTC_",
        "",
        *_numbers(content, period, in_progress=not digest.is_final),
        *_delivered(content),
        *_newcomers(content, period),
        *_attention(content),
        *_themes(content),
    ]
    return "\n".join(lines) + "\n"
