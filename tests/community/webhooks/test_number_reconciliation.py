"""Two GitHub objects claiming one number in a repository are reconciled, not a failure: the
object GitHub created last owns the number, the other keeps its history and is marked deleted
(community/services/upserts/numbers.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from community.models import Comment, Delivery, DeliveryStatus, Issue, PullRequest, Review
from tests.community.webhooks import payloads as gh

pytestmark = pytest.mark.django_db

OLD_PR, NEW_PR = gh.PULL_ID, gh.PULL_ID + 1000


def _statuses() -> list[str]:
    return list(Delivery.objects.order_by("received_at", "pk").values_list("status", flat=True))


def _review_of(pull_id: int, review_id: int, created_at: str) -> dict:
    data = gh.pull_request_review("dismissed", id=review_id, state="dismissed")
    data["pull_request"] = gh.pull_request(
        id=pull_id, state="open", closed_at=None, created_at=created_at, updated_at=created_at
    )
    return data


def test_a_newer_pull_request_takes_the_number_and_the_older_keeps_its_history(post_webhook):
    post_webhook("pull_request_review", _review_of(OLD_PR, 1, "2019-05-15T15:20:33Z"))
    post_webhook(
        "pull_request_review_comment",
        gh.pull_request_review_comment("created", pull_request_review_id=1)
        | {"pull_request": gh.pull_request(id=OLD_PR, state="open")},
    )

    post_webhook("pull_request_review", _review_of(NEW_PR, 2, "2020-01-01T00:00:00Z"))

    assert _statuses() == [DeliveryStatus.PROCESSED] * 3
    old, new = PullRequest.objects.get(pk=OLD_PR), PullRequest.objects.get(pk=NEW_PR)
    assert (old.number, new.number) == (gh.PULL_NUMBER, gh.PULL_NUMBER)
    assert old.deleted_at is not None and new.deleted_at is None
    assert Review.objects.get(pk=1).pull_request_id == OLD_PR  # history kept
    assert Comment.objects.get().pull_request_id == OLD_PR
    assert Review.objects.get(pk=2).pull_request_id == NEW_PR


def test_an_older_object_arriving_late_is_stored_marked_and_never_takes_the_number(post_webhook):
    post_webhook("pull_request_review", _review_of(NEW_PR, 2, "2020-01-01T00:00:00Z"))

    post_webhook("pull_request_review", _review_of(OLD_PR, 1, "2019-05-15T15:20:33Z"))
    post_webhook("pull_request_review", _review_of(OLD_PR, 3, "2019-05-15T15:20:33Z"))

    assert _statuses() == [DeliveryStatus.PROCESSED] * 3
    assert PullRequest.objects.get(pk=NEW_PR).deleted_at is None
    assert PullRequest.objects.get(pk=OLD_PR).deleted_at is not None
    assert Review.objects.filter(pull_request_id=OLD_PR).count() == 2


def test_comments_by_number_attach_to_the_live_item(post_webhook):
    post_webhook("issues", gh.issues("opened"))
    post_webhook(
        "issues", gh.issues("opened", id=gh.ISSUE_ID + 1, created_at="2020-01-01T00:00:00Z")
    )

    post_webhook(
        "issue_comment",
        gh.issue_comment("created")
        | {"issue": gh.issue(id=gh.ISSUE_ID + 1, created_at="2020-01-01T00:00:00Z")},
    )

    assert _statuses() == [DeliveryStatus.PROCESSED] * 3
    assert Comment.objects.get().issue_id == gh.ISSUE_ID + 1
    live = Issue.objects.filter(number=gh.ISSUE_NUMBER, deleted_at__isnull=True)
    assert list(live.values_list("pk", flat=True)) == [gh.ISSUE_ID + 1]


def test_the_issue_page_shows_the_owner_of_the_number(post_webhook, client: Client):
    post_webhook("issues", gh.issues("opened", title="The first one"))
    post_webhook(
        "issues",
        gh.issues(
            "opened", id=gh.ISSUE_ID + 1, title="The one now", created_at="2020-01-01T00:00:00Z"
        ),
    )

    page = client.get(f"/repos/{gh.FULL_NAME}/issues/{gh.ISSUE_NUMBER}/")

    assert page.status_code == 200
    assert b"The one now" in page.content and b"The first one" not in page.content


def test_an_item_deleted_on_github_keeps_its_number_and_does_not_compete(post_webhook):
    post_webhook("issues", gh.issues("opened"))
    post_webhook("issues", gh.issues("deleted"))
    recreated = gh.issues("opened", id=gh.ISSUE_ID + 1, created_at="2018-01-01T00:00:00Z")

    post_webhook("issues", recreated)  # older by created_at, but the other one is deleted

    assert _statuses() == [DeliveryStatus.PROCESSED] * 3
    assert Issue.objects.get(pk=gh.ISSUE_ID + 1).deleted_at is None
    assert Issue.objects.get(pk=gh.ISSUE_ID).deleted_at is not None


def test_two_claimants_in_one_write_keep_one_live_item():
    from community.github.payloads import GitHubIssue
    from community.services import upserts
    from community.services.webhooks.tracking import repository_for_delivery

    repository, _ = repository_for_delivery(delivery=Delivery(), data=gh.repository())
    older = GitHubIssue.from_json(gh.issue())
    newer = GitHubIssue.from_json(gh.issue(id=gh.ISSUE_ID + 1, created_at="2020-01-01T00:00:00Z"))

    upserts.issues_bulk_upsert(repository=repository, payloads=[newer, older])

    assert list(Issue.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True)) == [
        newer.id
    ]
    assert Issue.objects.count() == 2
