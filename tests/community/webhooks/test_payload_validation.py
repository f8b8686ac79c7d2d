"""GitHub-shaped input is checked at the payload layer: what a signed sender sends is stored,
but a body that cannot be read or a field Steward cannot store fails the delivery with a clear,
recorded error and changes nothing, identically on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging

import pytest

from community.github.payloads import (
    GitHubIssue,
    GitHubLabel,
    GitHubRepository,
    GitHubUser,
    PayloadError,
    body_loads,
)
from community.models import Actor, Delivery, DeliveryStatus, Issue, Label, Repository, StarEvent
from community.services.webhooks import deliveries_replay, delivery_process
from tests.community.webhooks import payloads as gh

pytestmark = pytest.mark.django_db

DEEP = 100_000


def _only_delivery() -> Delivery:
    return Delivery.objects.get()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * DEEP + b"]" * DEEP,
        b'{"action": "opened", "issue": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    ],
    ids=["nested-arrays", "nested-inside-an-event"],
)
def test_deeply_nested_body_is_stored_answered_and_failed(body, post_webhook):
    response = post_webhook("issues", body, delivery_id="deep")

    assert response.status_code == 400
    assert response.json() == {
        "error": "body: JSON nested too deeply to read",
        "delivery": "deep",
        "status": "failed",
    }
    delivery = _only_delivery()
    assert delivery.raw_body == body  # nothing a signed sender sends is lost
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "body: JSON nested too deeply to read"
    assert delivery.processed_at is not None
    assert not Repository.objects.exists()


def test_unreadable_body_fails_again_with_the_same_reason_when_replayed(post_webhook):
    body = b"[" * DEEP + b"]" * DEEP
    post_webhook("issues", body, delivery_id="deep")

    (pk,) = deliveries_replay(deliveries=Delivery.objects.all(), queue=False)
    outcome = delivery_process(delivery_pk=pk)

    assert outcome.status == DeliveryStatus.FAILED
    assert _only_delivery().error == "PayloadError: body: JSON nested too deeply to read"


def test_redelivery_of_an_unreadable_body_is_a_duplicate(post_webhook):
    body = b'{"action": '
    assert post_webhook("issues", body, delivery_id="same").status_code == 400
    assert post_webhook("issues", body, delivery_id="same").status_code == 200
    assert Delivery.objects.count() == 1


BAD_LOGINS = {
    "empty": "",
    "slash": "octo/cat",
    "dot-dot": "..",
    "too-long": "a" * 101,
    "nul": "octo\x00cat",
    "space": "octo cat",
    "number": 42,
    "null": None,
}


@pytest.mark.parametrize("login", BAD_LOGINS.values(), ids=BAD_LOGINS.keys())
def test_issue_author_with_an_impossible_login_fails_the_delivery(login, post_webhook, caplog):
    author = gh.user() | {"login": login, "id": 777}
    with caplog.at_level(logging.WARNING, logger="community.services.webhooks.processing"):
        response = post_webhook("issues", gh.issues("opened", user=author))

    assert response.status_code == 202  # stored and acknowledged; processing refused it
    delivery = _only_delivery()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error.startswith("PayloadError: issue.user.login: ")
    assert not Actor.objects.filter(pk=777).exists()
    assert not Issue.objects.exists() and not Repository.objects.exists()
    assert "refused" in caplog.text and "Traceback" not in caplog.text


def test_a_failing_delivery_changes_nothing_it_wrote_before_the_error(post_webhook):
    # star: the repository is refreshed before the sender is read; the sender is wrong.
    payload = gh.star("created") | {"sender": gh.user() | {"login": "a/b"}}
    payload["repository"]["description"] = "written before the error"

    post_webhook("star", payload)

    assert _only_delivery().error == "PayloadError: sender.login: 'a/b' is not a GitHub login"
    assert not Repository.objects.exists() and not StarEvent.objects.exists()


def test_a_failing_edit_leaves_the_stored_issue_as_it_was(post_webhook):
    post_webhook("issues", gh.issues("opened"))
    long_label = gh.label(name="x" * 5000)
    edit = gh.issues(
        "edited", title="Changed", labels=[long_label], updated_at="2020-01-01T00:00:00Z"
    )

    post_webhook("issues", edit, delivery_id="edit")

    failed = Delivery.objects.get(delivery_id="edit")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.error == (
        "PayloadError: issue.labels[0].name: is 5000 characters long; at most 100 are kept"
    )
    issue = Issue.objects.get()
    assert issue.title == gh.ISSUE_TITLE
    assert not Label.objects.filter(name__startswith="xxx").exists()


BAD_FIELDS = {
    "nul-in-body": ({"body": "before\x00after"}, "issue.body: contains a NUL character"),
    "lone-surrogate": ({"title": "\ud800"}, "issue.title: is not valid Unicode (a lone surrogate)"),
    "number-as-text": ({"number": "1"}, "issue.number: expected an integer, got str"),
    "number-too-big": ({"number": 2**31}, f"issue.number: {2**31} is outside 1..{2**31 - 1}"),
    "negative-comments": ({"comments": -1}, f"issue.comments: -1 is outside 0..{2**31 - 1}"),
    "locked-as-text": ({"locked": "false"}, "issue.locked: expected true or false, got str"),
    "labels-not-a-list": ({"labels": "bug"}, "issue.labels: expected a list, got str"),
    "bad-time": ({"created_at": "yesterday"}, "issue.created_at: not a GitHub timestamp"),
    "long-state-reason": ({"state_reason": "x" * 21}, "issue.state_reason: is 21 characters"),
    "user-not-an-object": ({"user": "octocat"}, "issue.user: expected an object, got str"),
}


@pytest.mark.parametrize("fields,error", BAD_FIELDS.values(), ids=BAD_FIELDS.keys())
def test_fields_steward_cannot_store_fail_with_the_field_named(fields, error, post_webhook):
    # json.dumps writes a lone surrogate as the escape \ud800, as a sender may.
    post_webhook("issues", json.dumps(gh.issues("opened", **fields)).encode())

    delivery = _only_delivery()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error.startswith(f"PayloadError: {error}"), delivery.error
    assert not Issue.objects.exists()


def test_repository_names_must_be_owner_slash_name(post_webhook):
    payload = gh.issues("opened")
    payload["repository"]["full_name"] = "no-slash"

    post_webhook("issues", payload)

    assert _only_delivery().error == (
        "PayloadError: repository.full_name: 'no-slash' is not owner/name"
    )
    assert not Repository.objects.exists()


@pytest.mark.parametrize(
    "login", ["octocat", "dependabot[bot]", "mona_corp", "a-b-c", "A1", "x" * 100]
)
def test_real_kinds_of_login_are_accepted(login):
    assert GitHubUser.from_json({"id": 1, "login": login}).login == login


def test_errors_name_the_path_from_the_object_read():
    with pytest.raises(PayloadError) as raised:
        GitHubIssue.from_json(gh.issue(assignees=[gh.user(), {"id": 3, "login": ""}]))
    assert str(raised.value) == "issue.assignees[1].login: '' is not a GitHub login"
    with pytest.raises(PayloadError, match=r"^label\.color: is 7 characters long"):
        GitHubLabel.from_json(gh.label(color="#d73a4a"))
    with pytest.raises(PayloadError, match=r"^repository\.owner: expected an object, got null"):
        GitHubRepository.from_json(gh.repository(owner=None))


def test_body_loads_reads_json_and_names_what_it_cannot():
    assert body_loads(b'{"a": [1]}') == {"a": [1]}
    with pytest.raises(PayloadError, match=r"^body: not valid JSON"):
        body_loads(b"\xff\xfe")
    with pytest.raises(PayloadError, match=r"^body: JSON nested too deeply to read$"):
        body_loads(b"[" * DEEP + b"]" * DEEP)


def test_delivery_columns_from_the_body_are_stored_on_every_database(post_webhook):
    payload = gh.issues("opened") | {"action": "op\x00ened\ud800"}
    payload["repository"]["full_name"] = "Codertocat/Hello\x00World"

    response = post_webhook("issues", json.dumps(payload).encode(), delivery_id="odd")

    assert response.status_code == 202
    delivery = _only_delivery()
    assert (delivery.action, delivery.repository_full_name) == ("opened?", "Codertocat/HelloWorld")
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "PayloadError: repository.full_name: contains a NUL character"


@pytest.mark.parametrize("delivery_id", ["has space", "nul\x00", "é", "x" * 65])
def test_odd_delivery_ids_are_refused_before_storing(delivery_id, post_webhook):
    response = post_webhook("issues", gh.issues("opened"), delivery_id=delivery_id)

    assert response.status_code == 400
    assert not Delivery.objects.exists()


def test_the_deliveries_page_shows_why_a_delivery_failed(post_webhook, django_user_model):
    from django.test import Client

    post_webhook("issues", b"[" * DEEP + b"]" * DEEP, delivery_id="deep")
    post_webhook("issues", gh.issues("opened", user=gh.user() | {"login": ""}), delivery_id="bad")
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("ops", is_staff=True))

    page = staff.get("/ops/webhooks/?status=failed")

    assert page.status_code == 200
    text = page.content.decode()
    assert "JSON nested too deeply to read" in text
    assert "issue.user.login: &#x27;&#x27; is not a GitHub login" in text
