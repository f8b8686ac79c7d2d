"""Sign-in lockout (django-axes) through the real admin sign-in form: AXES_FAILURE_LIMIT wrong
passwords for a username from one address lock that pair out with a page saying why and for how
long; a successful sign-in clears the count; the cool-off ends it."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory

from config.security import client_ip

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "right-horse-battery"


@pytest.fixture
def maintainer(django_user_model):
    return django_user_model.objects.create_user("keeper", password=PASSWORD, is_staff=True)


def _sign_in(client, password: str, *, username: str = "keeper", address: str = "192.0.2.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, times: int, **where) -> list[int]:
    return [_sign_in(client, "wrong", **where).status_code for _ in range(times)]


def test_the_defaults():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_MINUTES == 15
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_failed_sign_ins_lock_the_username_from_that_address(client, maintainer):
    statuses = _fail(client, settings.AXES_FAILURE_LIMIT)

    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = _sign_in(client, PASSWORD)  # even the right password is not checked now
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page
    assert "after 5 wrong passwords" in page and "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session
    assert locked["Content-Security-Policy"]  # the lockout page is a page like any other


def test_the_lockout_is_for_that_pair_only(client, maintainer):
    _fail(client, settings.AXES_FAILURE_LIMIT)

    # The same maintainer from elsewhere: a stranger cannot lock a maintainer out.
    elsewhere = _sign_in(client, PASSWORD, address="198.51.100.20")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"
    client.logout()
    # Another username from the locked address still gets its own count.
    assert _sign_in(client, "wrong", username="someone-else").status_code == 200


def test_a_successful_sign_in_clears_the_count(client, maintainer):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(client, PASSWORD).status_code == 302
    client.logout()

    assert not AccessAttempt.objects.exists()
    assert _fail(client, settings.AXES_FAILURE_LIMIT - 1) == [200] * 4


def test_the_cool_off_ends_the_lockout(client, maintainer):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    assert _sign_in(client, PASSWORD).status_code == 429

    later = settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - later)

    assert _sign_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.2"),
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy: the header is the client's own words
        (1, "", "10.0.0.2"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the left part is spoofable
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (3, "203.0.113.5", "203.0.113.5"),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)

    assert client_ip(request) == expected
