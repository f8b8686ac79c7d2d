"""Fixes from the demo review (h10): error pages in the site layout, tables that fit their cards,
a compact header, timeline events that name their object, and small repository-page defects."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def _in_layout(html: str) -> bool:
    return all(
        part in html
        for part in ('<link rel="stylesheet" href="/static/css/steward.css">', '<main id="main"')
    )


@pytest.mark.parametrize("path", ["/ops/webhooks/", "/repos/add/", "/dashboards/identities/"])
def test_a_signed_in_user_without_the_role_gets_a_403_in_the_site_layout(
    client, site_community, path
):
    user = get_user_model().objects.create_user("plain", password="pw-12345678")
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 403
    html = response.text
    assert _in_layout(html) and '<h1 id="error-title">Not allowed</h1>' in html
    assert "This page is for" in html  # the guard's reason is shown
    assert 'href="/"' in html  # a way back


def test_a_csrf_failure_is_explained_in_the_site_layout(site_community):
    user = get_user_model().objects.create_user("plain", password="pw-12345678")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    html = response.text
    assert _in_layout(html) and "The form could not be sent" in html
