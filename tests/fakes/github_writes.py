"""The writes the fake GitHub accepts: labels added to an issue, and issue comments.

As on GitHub, adding a label the repository lacks creates it, adding one the issue already has
changes nothing, and both writes move the issue's `updated_at`. Only the JSON body's fields that
GitHub documents for these endpoints are read.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.github_data import FakeRepo

NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


def _invalid(message: str) -> tuple[int, dict, Any]:
    return 422, {}, {"message": message, "documentation_url": "https://docs.github.com/rest"}


def _issue_record(repo: FakeRepo, number: str):
    issue_id = repo.numbers.get(int(number))
    return None if issue_id is None else repo.issues.by_id[issue_id]


def _add_labels(fake, repo: FakeRepo, body: Any, number: str) -> tuple[int, dict, Any]:
    record = _issue_record(repo, number)
    if record is None:
        return 404, {}, NOT_FOUND
    names = body.get("labels") if isinstance(body, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        return _invalid("Invalid request.\n\nFor 'properties/labels', nil is not an array.")
    by_name = {label["name"].lower(): label for label in repo.labels}
    wanted = [by_name.get(n.lower()) or fake.add_label(repo, n, color="ededed") for n in names]
    current = list(record.fields.get("labels", ()))
    current += [label["id"] for label in wanted if label["id"] not in current]
    fake.edit_issue(repo, int(number), labels=current)
    url = fake.render.repo_url(repo)
    known = {label["id"]: label for label in repo.labels}
    return 200, {}, [fake.render.label(url, known[i]) for i in current]


def _add_comment(fake, repo: FakeRepo, body: Any, number: str) -> tuple[int, dict, Any]:
    if _issue_record(repo, number) is None:
        return 404, {}, NOT_FOUND
    text = body.get("body") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return _invalid("Validation Failed: body cannot be blank")
    comment_id = fake.add_comment(repo, int(number), body=text, user=fake.writer_login)
    record = repo.comments.by_id[comment_id]
    fake.edit_issue(repo, int(number))
    return 201, {}, fake.render.comment(repo, record)


WRITE_ROUTES = [
    (r"/issues/(\d+)/labels", _add_labels),
    (r"/issues/(\d+)/comments", _add_comment),
]
