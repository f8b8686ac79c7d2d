"""Every registered admin page works, with data, search and filters."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from community.github.payloads import GitHubIssue, GitHubPullRequest, GitHubRepository
from community.services import upserts
from tests.community.webhooks import payloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_data(db):
    opened = payloads.issues("opened")
    repo = upserts.repository_upsert(payload=GitHubRepository.from_json(opened["repository"]))
    upserts.issue_upsert(repository=repo, payload=GitHubIssue.from_json(opened["issue"]))
    pr = payloads.pull_request()
    upserts.pull_request_upsert(repository=repo, payload=GitHubPullRequest.from_json(pr))


def _admin_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m._meta.label)
def test_changelist_search_and_add_pages(admin_client, admin_user, rf, some_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "hello"}).status_code == 200
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    if model_admin.has_add_permission(request):
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client.get(add).status_code == 200


def test_issue_change_page_shows_the_issue(admin_client, some_data):
    response = admin_client.get(reverse("admin:community_issue_change", args=[444500041]))
    assert response.status_code == 200
    assert "Spelling error in the README file" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:community_issue_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
