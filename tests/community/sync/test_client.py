"""The client's typed errors, retries, token rotation and GitHub App auth, over real HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from community.github.auth import credentials_from_settings
from community.github.client import GitHubClient, parse_links
from community.github.errors import BadCredentials, NotFound, RateLimited, TransientError
from tests.community.sync.conftest import TOKEN

SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


def test_link_header_is_parsed():
    header = '<https://x/issues?page=2>; rel="next", <https://x/issues?page=9>; rel="last"'
    assert parse_links(header) == {
        "next": "https://x/issues?page=2",
        "last": "https://x/issues?page=9",
    }


def test_502_then_success_is_retried_with_backoff(github, api, fake_repo, sleeps):
    github.fail(r"/repos/octo/demo$", 502, times=2, body={"message": "Server Error"})

    response = api.get("/repos/octo/demo")

    assert response.data["full_name"] == "octo/demo"
    assert sleeps == [0.01, 0.02]
    assert [h.status for h in github.requests_to(r"^/repos/octo/demo$")] == [502, 502, 200]


def test_persistent_5xx_becomes_a_transient_error(github, api, fake_repo):
    github.fail(r"/repos/octo/demo$", 503, times=5)
    with pytest.raises(TransientError, match="503"):
        api.get("/repos/octo/demo")


def test_deleted_repository_is_not_found(github, api, fake_repo):
    fake_repo.deleted = True
    with pytest.raises(NotFound) as caught:
        api.get("/repos/octo/demo")
    assert caught.value.status == 404
    assert len(github.requests_to(r"^/repos/octo/demo$")) == 1  # never retried


def test_bad_credentials_say_what_to_check(make_client, fake_repo):
    client = make_client("ghp_revoked")
    with pytest.raises(BadCredentials, match=r"Bad credentials.*GITHUB_TOKEN"):
        client.get("/repos/octo/demo")


def test_secondary_limit_raises_with_retry_after(github, api, fake_repo):
    github.fail(r"/issues", 403, headers={"retry-after": "42"}, body={"message": SECONDARY})
    before = timezone.now()

    with pytest.raises(RateLimited) as caught:
        api.get("/repos/octo/demo/issues")

    assert caught.value.secondary
    assert (
        before + timedelta(seconds=41)
        <= caught.value.reset_at
        <= timezone.now() + timedelta(seconds=43)
    )


def test_429_without_retry_after_waits_a_minute(github, api, fake_repo):
    github.fail(r"/issues", 429, body={"message": SECONDARY})
    with pytest.raises(RateLimited) as caught:
        api.get("/repos/octo/demo/issues")
    assert caught.value.reset_at >= timezone.now() + timedelta(seconds=55)


def test_exhausted_token_rotates_to_the_next(github, make_client, fake_repo):
    github.add_token("ghp_second")
    github.set_budget(TOKEN, remaining=0, reset_in=600)
    client = make_client(TOKEN, "ghp_second")

    assert client.get("/repos/octo/demo").status == 200

    tokens = [h.token for h in github.hits]
    assert tokens == [TOKEN, "ghp_second"]  # a 403 on the first, then the second serves
    assert client.credential_label == "token ghp_second"


def test_low_token_is_rotated_before_it_runs_out(github, make_client, fake_repo):
    github.add_token("ghp_second")
    github.set_budget(TOKEN, remaining=12)
    client = make_client(TOKEN, "ghp_second", reserve=10)

    for _ in range(4):
        client.get("/repos/octo/demo")

    assert [h.token for h in github.hits] == [TOKEN, TOKEN, "ghp_second", "ghp_second"]
    assert github.budgets[TOKEN].remaining == 10


def test_every_token_exhausted_raises_rate_limited_with_reset(github, make_client, fake_repo):
    github.set_budget(TOKEN, remaining=0, reset_in=900)
    client = make_client()

    with pytest.raises(RateLimited) as caught:
        client.get("/repos/octo/demo")

    assert not caught.value.secondary
    expected = timezone.now() + timedelta(seconds=900)
    assert abs((caught.value.reset_at - expected).total_seconds()) < 5


def test_github_app_installation_auth(github, settings, fake_repo):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    github.add_app(app_id="4242", public_key=public, installation_id=77)
    settings.GITHUB_APP_ID, settings.GITHUB_APP_PRIVATE_KEY = "4242", pem
    settings.GITHUB_APP_INSTALLATION_ID, settings.GITHUB_TOKENS = "77", []

    client = GitHubClient(base_url=github.base_url, seconds_between_requests=0)

    assert client.get("/repos/octo/demo").status == 200
    assert [h.method for h in github.hits] == ["POST", "GET"]
    assert github.hits[0].path == "/app/installations/77/access_tokens"
    assert github.hits[1].token == "ghs_installation77"
    assert credentials_from_settings()[0].label == "app 4242"


def test_connection_refused_is_transient(sleeps):
    from github import Auth

    from community.github.auth import Credential

    client = GitHubClient(
        credentials=[Credential("t", Auth.Token("x"))],
        base_url="http://127.0.0.1:9",
        sleep=sleeps.append,
        backoff=0,
        seconds_between_requests=0,
    )
    with pytest.raises(TransientError, match="after 3 attempts"):
        client.get("/repos/octo/demo")
