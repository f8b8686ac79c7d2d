"""The site's sign-in, sign-up and sign-out pages (allauth, in the site's layout), the header's
links, GitHub offered only when configured, and django-axes' lockout on the new sign-in page."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialApp
from django.conf import settings

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "right-horse-battery"


@pytest.fixture
def casey(django_user_model):
    return django_user_model.objects.create_user("casey", password=PASSWORD)


def _sign_in(client, password, *, username="casey", address="192.0.2.1", next_url="/people/"):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"login": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_anyone_can_sign_up_and_is_signed_in(client, django_user_model):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and 'class="site-header"' in page.text

    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "password1": "long-enough-pass-1",
            "password2": "long-enough-pass-1",
        },
    )

    assert response.status_code == 302
    user = django_user_model.objects.get(username="newbie")
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_in_and_out_through_the_site_pages(client, casey):
    home = client.get("/").text
    assert 'href="/accounts/login/?next=/">Sign in</a>' in home

    response = _sign_in(client, PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/people/"
    signed_in = client.get("/").text
    assert 'href="/accounts/me/">casey</a>' in signed_in and ">Sign out</button>" in signed_in
    assert 'href="/accounts/me/pulls/">Your work</a>' in signed_in  # the contributor pages
    assert ">Triage<" not in signed_in  # a contributor maintains nothing
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_so_in_the_page(client, casey):
    response = _sign_in(client, "wrong")

    assert response.status_code == 200
    assert "username and/or password you specified are not correct" in response.text
    assert response["Content-Security-Policy"]


def test_the_new_sign_in_page_locks_out_like_the_admins(client, casey):
    statuses = [_sign_in(client, "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]

    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = _sign_in(client, PASSWORD)  # the right password is not even checked now
    assert locked.status_code == 429 and "Sign-in locked" in locked.text
    assert "_auth_user_id" not in client.session
    # The admin's sign-in counts the same failures for the same pair.
    admin = client.post(
        "/admin/login/?next=/admin/",
        {"username": "casey", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.1",
    )
    assert admin.status_code == 429
    # Elsewhere the same user still signs in: nobody can lock someone out from afar.
    elsewhere = _sign_in(client, PASSWORD, address="198.51.100.20")
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_clears_the_count(client, casey):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    statuses = [_sign_in(client, "wrong").status_code for _ in range(2)]

    assert statuses == [200, 200]


def test_the_admin_sign_in_keeps_working(client, django_user_model):
    django_user_model.objects.create_user("root", password=PASSWORD, is_staff=True)

    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_github_is_offered_only_when_configured(client, settings):
    assert "Sign in with GitHub" not in client.get(LOGIN).text
    assert client.get("/accounts/github/login/").status_code == 404

    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APP": {"client_id": "Iv1.test", "secret": "s3cret"}, "SCOPE": ["read:user"]}
    }

    page = client.get(LOGIN).text
    assert "Sign in with GitHub" in page
    assert 'action="/accounts/github/login/?process=login"' in page
    redirect = client.post("/accounts/github/login/?process=login")
    assert redirect.status_code == 302
    assert redirect["Location"].startswith("https://github.com/login/oauth/authorize?")
    assert "client_id=Iv1.test" in redirect["Location"]
    assert not SocialApp.objects.exists()  # configured by the environment, not the database


def test_the_settings_read_github_from_the_environment():
    from config.settings import base

    assert base.GITHUB_OAUTH_CLIENT_ID == "" and base.SOCIALACCOUNT_PROVIDERS == {}


def test_pages_for_maintainers_send_anonymous_visitors_to_the_site_sign_in(client):
    response = client.get("/triage/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/triage/"
