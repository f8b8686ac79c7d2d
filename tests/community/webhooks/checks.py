"""What each handled event must leave in the database, checked against the payload it came from.

Shared by the core examples (test_examples.py, payloads built in tests/) and the conformance
replay of the recorded corpus (test_corpus.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from community.models import (
    Comment,
    Delivery,
    Installation,
    Issue,
    Label,
    Milestone,
    PullRequest,
    PushedCommit,
    Release,
    Repository,
    RepositoryMember,
    Review,
    StarEvent,
)

Json = dict[str, Any]


def _repository(p: Json) -> Repository:
    repository = Repository.objects.get(pk=p["repository"]["id"])
    assert repository.full_name == p["repository"]["full_name"]
    return repository


def check_issues(p: Json, delivery: Delivery) -> None:
    data = p["issue"]
    if "pull_request" in data:
        assert not Issue.objects.filter(pk=data["id"]).exists()
        assert "pull request" in delivery.note
        return
    target = (p.get("changes") or {}).get("new_issue") if p["action"] == "transferred" else None
    data = target or data  # a transfer: the issue as it is now, in its new repository
    issue = Issue.objects.get(pk=data["id"])
    assert issue.title == data["title"]
    # Some examples are abridged: a field left out is stored as the parser's default.
    assert issue.state == data.get("state", "open")
    assert {lb.id for lb in issue.labels.all()} == {lb["id"] for lb in data.get("labels", [])}
    assert {a.id for a in issue.assignees.all()} == {a["id"] for a in data.get("assignees", [])}
    assert issue.milestone_id == (data.get("milestone") or {}).get("id")
    assert issue.locked == data.get("locked", False)
    assert (issue.deleted_at is not None) == (p["action"] == "deleted")
    if p["action"] in ("pinned", "unpinned"):
        assert issue.pinned == (p["action"] == "pinned")


def check_issue_comment(p: Json, delivery: Delivery) -> None:
    comment = Comment.objects.filter(pk=p["comment"]["id"]).first()
    if p["action"] == "deleted":
        assert comment is None
    elif "pull_request" in p["issue"]:  # the PR itself is not stored: see the rule in issues.py
        assert comment is None and "not stored yet" in delivery.note
    else:
        assert comment.issue_id == p["issue"]["id"] and comment.body == p["comment"]["body"]


def check_pull_request(p: Json, delivery: Delivery) -> None:
    data = p["pull_request"]
    pr = PullRequest.objects.get(pk=data["id"])
    assert pr.repository_id == p["repository"]["id"] and pr.number == data["number"]
    assert pr.state == data["state"] and pr.draft == data.get("draft", False)
    assert pr.head_sha == data["head"]["sha"]
    if "merged" in data:
        assert pr.merged == data["merged"]
    assert {u.id for u in pr.requested_reviewers.all()} == {
        u["id"] for u in data["requested_reviewers"]
    }
    assert {lb.id for lb in pr.labels.all()} == {lb["id"] for lb in data["labels"]}


def check_pull_request_review(p: Json, delivery: Delivery) -> None:
    check_pull_request(p, delivery)
    review = Review.objects.get(pk=p["review"]["id"])
    assert review.pull_request_id == p["pull_request"]["id"]
    assert review.state == p["review"]["state"].upper()


def check_review_comment(p: Json, delivery: Delivery) -> None:
    check_pull_request(p, delivery)
    comment = Comment.objects.filter(pk=p["comment"]["id"]).first()
    if p["action"] == "deleted":
        assert comment is None
    else:
        assert comment.pull_request_id == p["pull_request"]["id"] and comment.kind == "review"


def check_review_thread(p: Json, delivery: Delivery) -> None:
    check_pull_request(p, delivery)
    ids = {c["id"] for c in p["thread"]["comments"]}
    assert (
        set(
            Comment.objects.filter(pull_request_id=p["pull_request"]["id"]).values_list(
                "pk", flat=True
            )
        )
        == ids
    )


def _check_deletable(model, key: str) -> Callable[[Json, Delivery], None]:
    def check(p: Json, delivery: Delivery) -> None:
        row = model.objects.filter(pk=p[key]["id"]).first()
        if p["action"] == "deleted":
            assert row is None
        else:
            assert row.repository_id == p["repository"]["id"]

    return check


def check_milestone(p: Json, delivery: Delivery) -> None:
    _check_deletable(Milestone, "milestone")(p, delivery)
    if p["action"] != "deleted":
        assert Milestone.objects.get(pk=p["milestone"]["id"]).state == p["milestone"]["state"]


def check_member(p: Json, delivery: Delivery) -> None:
    member = RepositoryMember.objects.filter(repository=_repository(p), actor_id=p["member"]["id"])
    assert member.exists() == (p["action"] != "removed")


def check_star(p: Json, delivery: Delivery) -> None:
    star = StarEvent.objects.filter(repository=_repository(p), actor_id=p["sender"]["id"])
    assert star.exists() == (p.get("action") != "deleted")


def check_repository_refresh(p: Json, delivery: Delivery) -> None:
    repository = _repository(p)
    assert repository.forks_count == p["repository"]["forks_count"]
    assert repository.tracked


def check_repository(p: Json, delivery: Delivery) -> None:
    repository = _repository(p)
    assert repository.private == p["repository"]["private"]
    assert repository.owner_id == p["repository"]["owner"]["id"]
    assert repository.archived == p["repository"]["archived"]
    assert (repository.deleted_at is not None) == (p["action"] == "deleted")


def check_push(p: Json, delivery: Delivery) -> None:
    stored = PushedCommit.objects.filter(repository=_repository(p))
    assert set(stored.values_list("sha", flat=True)) == {c["id"] for c in p["commits"]}


def check_installation(p: Json, delivery: Delivery) -> None:
    installation = Installation.objects.get(pk=p["installation"]["id"])
    expected = {"deleted": "deleted", "suspend": "suspended"}.get(p["action"], "active")
    assert installation.status == expected
    for stub in p.get("repositories") or []:
        tracked = Repository.objects.filter(pk=stub["id"]).values_list("tracked", flat=True)
        assert list(tracked) == ([] if p["action"] == "deleted" else [True])


def check_installation_repositories(p: Json, delivery: Delivery) -> None:
    assert Installation.objects.filter(pk=p["installation"]["id"]).exists()
    for stub in p["repositories_added"]:
        assert Repository.objects.get(pk=stub["id"]).tracked
    for stub in p["repositories_removed"]:
        assert not Repository.objects.filter(pk=stub["id"], tracked=True).exists()


CHECKS: dict[str, Callable[[Json, Delivery], None]] = {
    "issues": check_issues,
    "issue_comment": check_issue_comment,
    "pull_request": check_pull_request,
    "pull_request_review": check_pull_request_review,
    "pull_request_review_comment": check_review_comment,
    "pull_request_review_thread": check_review_thread,
    "release": _check_deletable(Release, "release"),
    "label": _check_deletable(Label, "label"),
    "milestone": check_milestone,
    "member": check_member,
    "star": check_star,
    "watch": check_star,
    "fork": check_repository_refresh,
    "create": check_repository_refresh,
    "delete": check_repository_refresh,
    "repository": check_repository,
    "push": check_push,
    "installation": check_installation,
    "installation_repositories": check_installation_repositories,
}
