"""What the security tests share: reading a response's Content-Security-Policy, the properties a
strict one has, and finding the inline code such a policy blocks in HTML or in a template."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import chain

# Scripts that are data, not code: a browser never executes them, so script-src never applies.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data"}


def directives(response) -> dict[str, list[str]]:
    """The response's policy as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.status_code} response without a Content-Security-Policy"
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def assert_strict_policy(response) -> None:
    """Scripts, styles and fonts from this site only; nothing inline but style attributes."""
    policy = directives(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"][0] == "'self'"
    for host in policy["img-src"][1:]:  # named https hosts only: no scheme-wide or data: source
        assert re.fullmatch(r"https://[a-z0-9.-]+", host), host
    assert "'unsafe-eval'" not in chain.from_iterable(policy.values())
    assert "script-src-attr" not in policy and "script-src-elem" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def assert_page_policy(response) -> None:
    """The strict policy, or the stricter one a view sets itself on what is not a page (an
    image that, opened on its own, may load and run nothing)."""
    if response.headers.get("Content-Security-Policy") == "default-src 'none'":
        return
    assert_strict_policy(response)


class _InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        data = (values.get("type") or "").lower() in DATA_SCRIPT_TYPES
        if tag == "script" and not values.get("src") and not data:
            self.found.append(f"inline <script> {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("inline <style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}= in {self.get_starttag_text()}")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {self.get_starttag_text()}")


def inline_code(html: str) -> list[str]:
    """What a strict script-src / style-src would block in this HTML, described."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


# Template source holds {% %} and {{ }} inside tags, so it is searched, not parsed.
TEMPLATE_RULES = {
    "inline <script> (give it a src= to a static file)": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "inline event handler (bind it in a static script)": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
    "inline <style> element (move it to static/css)": re.compile(r"<style\b", re.I),
}


def template_violations(text: str) -> list[str]:
    """Each rule a template's source breaks, with the line it breaks it on."""
    found = []
    for rule, pattern in TEMPLATE_RULES.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {rule}: {match.group(0)!r}")
    return found
