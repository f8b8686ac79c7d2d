"""The Content-Security-Policy: every route answers with the strict policy (whatever its status),
and no template carries the inline code that policy would block."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.csp import (
    assert_page_policy,
    assert_strict_policy,
    inline_code,
    template_violations,
)

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLE = {"int": "1"}  # str, slug and path take "x"


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every route of the URL conf as a path, its parameters filled with samples; the admin's
    own (Django's) routes are left to the page tests."""
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                routes += _routes(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append("/" + CONVERTER.sub(lambda m: SAMPLE.get(m.group(1), "x"), route))
    return routes


ROUTES = _routes(get_resolver())


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_with_the_policy(client, admin_client, path):
    """200, redirect, 404 or 405: the header is there, for visitors and for staff."""
    for visitor in (client, admin_client):
        response = visitor.get(path)
        assert response.status_code < 500, path
        assert_page_policy(response)


def test_the_routes_cover_the_site():
    assert {"/", "/dashboards/", "/triage/", "/models/", "/webhooks/github/"} <= set(ROUTES)
    assert "/api/models/x/versions/1/" in ROUTES


def test_error_pages_and_the_admin_answer_with_the_policy(client, admin_client):
    assert_strict_policy(client.get("/no-such-page/"))
    assert_strict_policy(client.post("/webhooks/github/", data=b"{}", content_type="text/plain"))
    assert_strict_policy(admin_client.get("/admin/"))


def _templates() -> list:
    folders = [folder for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_there_are_templates_to_check():
    names = {path.name for path in _templates()}
    assert {"base.html", "_dashboard.html", "queue.html"} <= names


@pytest.mark.parametrize("template", _templates(), ids=lambda path: path.name)
def test_no_template_carries_inline_code(template):
    """Scripts are static files bound with addEventListener; data travels in `json_script`."""
    assert template_violations(template.read_text()) == []


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<script type="text/javascript">go()</script>',
        "<SCRIPT defer>x()</SCRIPT>",
        '<button onclick="go()">Go</button>',
        "<body onload='start()'>",
        '<a href="#"\n   onmouseover="x()">',
        '<a href="javascript:void(0)">',
        "<style>.x { color: red }</style>",
    ],
)
def test_the_template_rule_catches_inline_code(source):
    assert template_violations(source)
    assert inline_code(source)


@pytest.mark.parametrize(
    "source",
    [
        "<script src=\"{% static 'js/hub.js' %}\" defer></script>",
        '<script id="data" type="application/json">{"a": 1}</script>',
        '<span class="label" style="{{ s.label.color|label_style }}">bug</span>',
        '<a href="/">Back on track</a> <input name="one" data-toggle="on">',
        '<form action="{% url \'triage:decide\' s.pk %}" method="post">',
    ],
)
def test_the_template_rule_lets_static_scripts_data_and_style_attributes_through(source):
    assert inline_code(source) == []
    assert template_violations(source) == []
