"""The tracking policy: which repositories signed deliveries may add (and list publicly).

With STEWARD_TRACK_REPOSITORIES=configured only repositories of configured owners or
installations are added; the others are stored as deliveries and marked ignored with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from community.models import Delivery, DeliveryStatus, Installation, Issue, Repository
from tests.community.webhooks import payloads as gh

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings):
    settings.STEWARD_TRACK_REPOSITORIES = "configured"
    settings.STEWARD_TRACKED_OWNERS = []
    settings.STEWARD_TRACKED_INSTALLATIONS = []
    return settings


def test_an_unknown_owner_is_stored_and_ignored_and_never_listed(configured, post_webhook):
    response = post_webhook("issues", gh.issues("opened"))

    assert response.status_code == 202
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.IGNORED
    assert delivery.note.startswith(
        f"repository {gh.FULL_NAME} is not tracked: owner {gh.OWNER_LOGIN} is not configured"
    )
    assert "STEWARD_TRACKED_OWNERS" in delivery.note
    assert not Repository.objects.exists() and not Issue.objects.exists()
    assert gh.FULL_NAME.encode() not in Client().get("/").content


def test_a_configured_owner_is_tracked_whatever_the_case(configured, post_webhook):
    configured.STEWARD_TRACKED_OWNERS = [gh.OWNER_LOGIN.upper()]

    post_webhook("issues", gh.issues("opened"))

    assert Delivery.objects.get().status == DeliveryStatus.PROCESSED
    assert Repository.objects.get().tracked and Issue.objects.exists()


def test_a_configured_installation_is_tracked(configured, post_webhook):
    configured.STEWARD_TRACKED_INSTALLATIONS = [1]  # the pull_request examples come through 1

    post_webhook("pull_request", gh.pull_request_event("opened"))

    assert Delivery.objects.get().status == DeliveryStatus.PROCESSED
    assert Repository.objects.filter(full_name=gh.FULL_NAME, tracked=True).exists()


def test_another_installation_of_our_app_adds_nothing(configured, post_webhook):
    configured.STEWARD_TRACKED_INSTALLATIONS = [99]

    post_webhook("installation", gh.installation("created"))

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.IGNORED
    assert delivery.note.startswith("repositories octocat/Hello-World are not tracked: owner")
    assert not Repository.objects.exists()
    assert Installation.objects.filter(pk=gh.INSTALLATION_ID).exists()  # recorded, not followed


def test_a_configured_installation_adds_its_repositories(configured, post_webhook):
    configured.STEWARD_TRACKED_INSTALLATIONS = [gh.INSTALLATION_ID]

    post_webhook("installation", gh.installation("created"))

    assert Delivery.objects.get().status == DeliveryStatus.PROCESSED
    assert Repository.objects.get(full_name="octocat/Hello-World").tracked


def test_removals_apply_whatever_the_policy(configured, post_webhook):
    configured.STEWARD_TRACKED_INSTALLATIONS = [gh.INSTALLATION_ID]
    post_webhook("installation_repositories", gh.installation_repositories("added"))
    configured.STEWARD_TRACKED_INSTALLATIONS = []

    post_webhook("installation_repositories", gh.installation_repositories("removed"))

    assert not Repository.objects.get(full_name="octocat/Hello-World").tracked


def test_a_repository_already_tracked_keeps_receiving_its_deliveries(configured, post_webhook):
    configured.STEWARD_TRACK_REPOSITORIES = "all"
    post_webhook("issues", gh.issues("opened"), delivery_id="first")
    configured.STEWARD_TRACK_REPOSITORIES = "configured"

    post_webhook("issues", gh.issues("closed", state="closed", updated_at="2020-01-01T00:00:00Z"))

    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PROCESSED}
    assert Issue.objects.get().state == "closed"


def test_all_tracks_any_repository_a_signed_delivery_names(settings, post_webhook):
    settings.STEWARD_TRACK_REPOSITORIES = "all"

    post_webhook("issues", gh.issues("opened"))

    assert Repository.objects.get().tracked


def _settings_value(module: str, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_TRACK")}
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.STEWARD_TRACK_REPOSITORIES)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env
        | {
            "DJANGO_SETTINGS_MODULE": module,
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "sqlite:///:memory:",
            "ALLOWED_HOSTS": "steward.example.org",
        }
        | environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_base_settings_production_builds_on_default_to_configured_and_local_to_all():
    base = _settings_value("config.settings.base")
    assert base.stdout.strip() == "configured", base.stderr
    assert _settings_value("config.settings.local").stdout.strip() == "all"


def test_an_unknown_policy_is_refused_when_settings_load():
    done = _settings_value("config.settings.local", STEWARD_TRACK_REPOSITORIES="everything")

    assert done.returncode != 0
    assert "STEWARD_TRACK_REPOSITORIES='everything': configured or all" in done.stderr
