"""The permission matrix, generated from the URL conf: every URL the site serves is requested by
anonymous, a contributor, the public repository's maintainer, the private repository's maintainer
and an admin, for the public and the private repository where it names one, and must answer what
POLICY says. A URL without an entry fails the test (with what it answered, to copy after review),
so a new endpoint cannot be forgotten. Admin pages follow one rule: administrators only.

Codes: an HTTP status, or L for a redirect to a sign-in page.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.urlconf import (
    QUERY,
    Endpoint,
    endpoints,
    needs_side,
    sample_kwargs,
)
from tests.accounts.world import VISITORS, build_world

pytestmark = pytest.mark.django_db
SIGN_IN_PAGES = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Policy:
    method: str
    codes: dict[str | None, str] = field(default_factory=dict)  # side → five codes


def same(codes: str, method: str = "GET") -> Policy:
    """The URL names no repository: one row of codes."""
    return Policy(method, {None: codes})


def sides(public: str, private: str, method: str = "GET") -> Policy:
    """The URL names a repository (or something in one): a row for each."""
    return Policy(method, {"public": public, "private": private})


# anonymous · contributor · maintainer of public · maintainer of private · admin
EVERYONE = "200 200 200 200 200"
PUBLIC_ONLY = sides(EVERYONE, "404 404 404 200 200")
SIGNED_IN = "L 200 200 200 200"
POLICY: dict[str, Policy] = {
    # Public site: every visitor sees public data; the private repository's data is its
    # maintainer's and the admin's only (404 to others, as if it did not exist).
    "community:home": same(EVERYONE),
    "community:repository_detail": PUBLIC_ONLY,
    "community:issue_list": PUBLIC_ONLY,
    "community:issue_detail": PUBLIC_ONLY,
    "community:pull_request_list": PUBLIC_ONLY,
    "community:pull_request_detail": PUBLIC_ONLY,
    "community:contributor_list": same(EVERYONE),
    "community:contributor_detail": PUBLIC_ONLY,
    "community:avatar_drawn": sides(EVERYONE, EVERYONE),  # a drawn initial, no data
    "community:avatar_github": same("404 404 404 404 404"),  # a wrong key
    "community:favicon": same("302 302 302 302 302"),
    # Tracking a new repository and the webhook deliveries concern the whole installation.
    "community:repository_add": same("L 403 403 403 200"),
    "ops-webhooks": same("L 403 403 403 200"),
    "github-webhook": same("405 405 405 405 405"),  # POST only, signed by GitHub
    # Dashboards, digests and exports: visible like the repository they are about.
    "analytics:dashboards": same(EVERYONE),
    "analytics:repository": PUBLIC_ONLY,
    "analytics:digests": PUBLIC_ONLY,
    "analytics:digest": PUBLIC_ONLY,
    "analytics:digest_markdown": PUBLIC_ONLY,
    "analytics:digest_markdown_preview": PUBLIC_ONLY,
    "analytics:contributor": PUBLIC_ONLY,
    "analytics:contributor_export": PUBLIC_ONLY,
    "analytics:chart_export": PUBLIC_ONLY,
    "analytics:comparison_export": same(EVERYONE),
    # Generating a digest: the repository's maintainers and admins. (An empty form: 302 back.)
    "analytics:digest_generate": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    # Identity merges: maintainers, each over the accounts of their repositories (an empty
    # decision form: 302 back with a message).
    "analytics:identities": same("L 403 200 200 200"),
    "analytics:identities_generate": same("L 403 302 302 302", method="POST"),
    "analytics:identities_decide": same("L 403 302 302 302", method="POST"),
    # Triage: maintainers of the repository (the queue lists only their repositories).
    "triage:index": same("L 403 200 200 200"),
    "triage:issue": sides("L 403 200 403 200", "L 403 404 200 200"),
    "triage:settings": sides("L 403 200 403 200", "L 403 404 200 200"),
    "triage:decide": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    "triage:mark_reviewed": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    # Model hub: a model is as visible as its repository; its maintainers change it.
    "models_hub:model_list": same(EVERYONE),
    "models_hub:benchmark_list": same(EVERYONE),
    "models_hub:leaderboard": same(EVERYONE),
    "models_hub:result_submit": same("L 403 200 200 200"),
    "models_hub:model_detail": PUBLIC_ONLY,
    "models_hub:version_detail": PUBLIC_ONLY,
    "models_hub:compare": sides("404 404 404 404 404", "404 404 404 404 404"),  # needs a and b
    "models_hub:file_download": sides("404 404 404 404 404", "404 404 404 404 404"),
    "models_hub:version_upload": sides("L 403 200 403 200", "L 403 404 200 200"),
    "models_hub:card_edit": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    "models_hub:alias_edit": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    "models_hub:promote": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    "models_hub:replay_queue": sides("L 403 302 403 302", "L 403 404 302 302", method="POST"),
    "models_hub:compare_replay": sides(
        "L 403 404 403 404", "L 403 404 404 404", method="POST"
    ),  # no versions a and b posted: 404 once the user may act
    # API: anonymous reads public data; a token or session sees what its user sees.
    "schema": same(EVERYONE),
    "analytics-api:metric_list": same(EVERYONE),
    "analytics-api:metric_series": PUBLIC_ONLY,
    "analytics-api:attention": same(EVERYONE),
    "analytics-api:digest_list": PUBLIC_ONLY,
    "analytics-api:digest": PUBLIC_ONLY,
    "models-api:model_list": same(EVERYONE),
    "models-api:model_detail": PUBLIC_ONLY,
    "models-api:version_list": PUBLIC_ONLY,
    "models-api:version_detail": PUBLIC_ONLY,
    "models-api:file_download": sides("404 404 404 404 404", "404 404 404 404 404"),
    "models-api:alias_list": PUBLIC_ONLY,
    "models-api:alias_history": PUBLIC_ONLY,
    "models-api:card": PUBLIC_ONLY,
    "models-api:benchmark_list": same(EVERYONE),
    "models-api:benchmark": same(EVERYONE),
    "models-api:benchmark_results": same(EVERYONE),
    "models-api:leaderboard": same(EVERYONE),
    # The data API: lists over the repositories the requester may see; details like pages.
    "community-api:root": same(EVERYONE),
    "community-api:docs": same(EVERYONE),
    "community-api:repository_list": same(EVERYONE),
    "community-api:repository_detail": PUBLIC_ONLY,
    "community-api:issue_detail": PUBLIC_ONLY,
    "community-api:pull_request_detail": PUBLIC_ONLY,
    "community-api:issue_list": same(EVERYONE),
    "community-api:pull_request_list": same(EVERYONE),
    "community-api:comment_list": same(EVERYONE),
    "community-api:contributor_list": same(EVERYONE),
    "community-api:search": same(EVERYONE),
    # The signed-in user's own pages.
    "accounts:home": same(SIGNED_IN),
    "accounts:tokens": same(SIGNED_IN),
    "accounts:pull_requests": same(SIGNED_IN),
    "accounts:good_first_issues": same(SIGNED_IN),
    # The contributor's token: revoked by its owner (302), nobody else's to revoke (404).
    "accounts:token_revoke": same("L 302 404 404 404", method="POST"),
    # allauth: sign-in and sign-up send a signed-in user on (302); the account's own pages
    # (e-mail, password, connected GitHub account) ask for a sign-in; code sign-in, re-auth by
    # code and setting a first password are off (302 away). Wrong keys give their error pages.
    "account_login": same("200 302 302 302 302"),
    "account_logout": same("302 200 200 200 200"),  # GET: the confirmation page
    "account_inactive": same(EVERYONE),
    "account_signup": same("200 302 302 302 302"),
    "account_reauthenticate": same(SIGNED_IN),
    "account_request_reauthentication_code": same("L 302 302 302 302"),
    "account_confirm_reauthentication_code": same("L 302 302 302 302"),
    "account_email": same(SIGNED_IN),
    "account_email_verification_sent": same(EVERYONE),
    "account_change_password": same(SIGNED_IN),
    "account_set_password": same("L 302 302 302 302"),
    "account_reset_password": same(EVERYONE),
    "account_confirm_login_code": same("L 302 302 302 302"),
    "account_confirm_email": same(EVERYONE),
    "account_reset_password_from_key_done": same(EVERYONE),
    "account_reset_password_from_key": same(EVERYONE),
    "account_reset_password_done": same(EVERYONE),
    "socialaccount_login_cancelled": same(EVERYONE),
    "socialaccount_login_error": same("401 401 401 401 401"),
    "socialaccount_signup": same("L L L L L"),  # nothing pending from GitHub
    "socialaccount_connections": same(SIGNED_IN),
    "path:accounts/social/login/cancelled/": same("301 301 301 301 301"),
    "path:accounts/social/login/error/": same("301 301 301 301 301"),
    "path:accounts/social/signup/": same("301 301 301 301 301"),
    "path:accounts/social/connections/": same("301 301 301 301 301"),
    # GitHub sign-in is not configured in the tests: its pages do not exist.
    "github_login": same("404 404 404 404 404"),
    "github_callback": same("404 404 404 404 404"),
    # Probes.
    "healthz": same(EVERYONE),
    "readyz": same(EVERYONE),
    # Search, the contributor board and reports: over the repositories the visitor may see.
    "community:search": same(EVERYONE),
    "analytics:contributor_board": same(EVERYONE),
    "analytics:cycle_time": PUBLIC_ONLY,
    "analytics:report": same(EVERYONE),
    "analytics:report_export": same(EVERYONE),
    # Affiliations (who works for which organisation) are edited by admins.
    "analytics:affiliation_edit": sides("L 403 403 403 200", "L 403 403 403 200"),
}


def _request(endpoint: Endpoint, kwargs: dict, side, world, visitor: str, method: str) -> str:
    url = reverse(endpoint.reverse_name, kwargs=kwargs) if endpoint.reverse_name else None
    url = url or "/" + endpoint.route.lstrip("^").rstrip("$")
    if endpoint.key in QUERY:
        url += "?" + QUERY[endpoint.key].format(full_name=side.repository.full_name)
    client = Client(raise_request_exception=False)  # a server error is a code like any other
    user = world.users[visitor]
    if user is not None:
        client.force_login(user)
    cache.clear()  # API throttles and allauth's rate limits count in the cache
    response = client.post(url) if method == "POST" else client.get(url)
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(SIGN_IN_PAGES):
        return "L"
    return str(response.status_code)


def observed(endpoint: Endpoint, world, method: str = "GET") -> dict[str | None, str]:
    variants = ("public", "private") if needs_side(endpoint) else (None,)
    rows = {}
    for variant in variants:
        kwargs = sample_kwargs(endpoint, world, variant)
        side = getattr(world, variant) if variant else world.public
        rows[variant] = " ".join(
            _request(endpoint, kwargs, side, world, visitor, method) for visitor in VISITORS
        )
    return rows


@pytest.fixture
def world():
    # django-axes logs every sign-in at INFO; hundreds of them bury a failure's output.
    logging.getLogger("axes").setLevel(logging.WARNING)
    return build_world()


def site_endpoints() -> list[Endpoint]:
    return [e for e in endpoints() if not e.key.startswith("admin:")]


def admin_endpoints() -> list[Endpoint]:
    return [e for e in endpoints() if e.key.startswith("admin:")]


def test_every_url_has_a_policy(world):
    unlisted = {e.key: observed(e, world) for e in site_endpoints() if e.key not in POLICY}
    listed = {e.key for e in endpoints()}
    if unlisted and os.environ.get("STEWARD_MATRIX_DUMP"):
        with open(os.environ["STEWARD_MATRIX_DUMP"], "w") as dump:
            json.dump(unlisted, dump, indent=1)
    assert unlisted == {}, "URLs without an entry in POLICY (observed codes shown)"
    assert set(POLICY) - listed == set(), "POLICY entries for URLs that no longer exist"


def test_every_url_answers_as_its_policy_says(world):
    wrong = {}
    for endpoint in site_endpoints():
        policy = POLICY.get(endpoint.key)
        if policy is None:
            continue  # reported by test_every_url_has_a_policy
        got = observed(endpoint, world, policy.method)
        if got != policy.codes:
            wrong[endpoint.key] = {"expected": policy.codes, "got": got}
    if wrong and os.environ.get("STEWARD_MATRIX_DUMP"):
        with open(os.environ["STEWARD_MATRIX_DUMP"], "w") as dump:
            json.dump(wrong, dump, indent=1)
    assert wrong == {}


# The admin site: one rule for every page of it, present and future. Only admins get in; anyone
# else is sent to the admin's sign-in (its sign-in page and its translations excepted).
ADMIN_OPEN = {
    "admin:login": "200 200 200 200 302",
    # Signing out is a POST (405 to the admin's GET); a GET by anyone else is sent away.
    "admin:logout": "302 302 302 302 405",
}


def test_the_admin_is_for_admins_only(world):
    wrong = {}
    for endpoint in admin_endpoints():
        codes = observed(endpoint, world).get(None, "").split()
        if endpoint.key in ADMIN_OPEN:
            expected_ok = codes == ADMIN_OPEN[endpoint.key].split()
        else:
            others, admin = codes[:-1], codes[-1]
            # The admin: any answer but a server error or the sign-in page.
            expected_ok = all(code == "L" for code in others) and admin != "L" and int(admin) < 500
        if not expected_ok:
            wrong[endpoint.key] = " ".join(codes)
    assert wrong == {}
