"""The fake GitHub itself: shaped like the recorded REST exchanges, and behaving like GitHub."""

from __future__ import annotations

import ast
import json

import pytest

from community.github.payloads import (
    GitHubComment,
    GitHubIssue,
    GitHubIssueEvent,
    GitHubPullRequest,
    GitHubRelease,
    GitHubReview,
)


def recorded(corpus, name: str, path_end: str) -> dict:
    """The first object of a recorded response (PyGithub ReplayData: 10 lines per exchange)."""
    lines = (corpus / "github-rest-replay" / name).read_text().split("\n")
    for i, line in enumerate(lines):
        if line in ("https", "http") and lines[i + 4].split("?")[0].endswith(path_end):
            assert ast.literal_eval(lines[i + 8])  # response headers are a list of tuples
            body = json.loads(lines[i + 9])
            return body[0] if isinstance(body, list) else body
    raise AssertionError(f"{path_end} not recorded in {name}")


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "path_end", "endpoint", "parse"),
    [
        ("Repository.testGetPulls.txt", "/pulls", "/pulls", GitHubPullRequest.from_json),
        ("Issue.testGetEvents.txt", "/events", "/issues/events", GitHubIssueEvent.from_json),
        (
            "PullRequestReview.setUp.txt",
            "/reviews/28482091",
            "/pulls/{pr}/reviews",
            GitHubReview.from_json,
        ),
        (
            "PullRequest.testGetReviewComments.txt",
            "/comments",
            "/pulls/comments",
            GitHubComment.from_json,
        ),
        ("Issue.testGetComments.txt", "/comments", "/issues/comments", GitHubComment.from_json),
        (
            "GitRelease.testGetRelease.txt",
            "/releases/tags/v1.0",
            "/releases",
            GitHubRelease.from_json,
        ),
    ],
)
def test_fake_answers_carry_the_fields_of_real_recordings(
    corpus, github, api, fake_repo, name, path_end, endpoint, parse
):
    """Conformance: the recorded REST exchanges of the corpus (github-rest-replay/)."""
    real = recorded(corpus, name, path_end)
    url = "/repos/octo/demo" + endpoint.format(pr=fake_repo.sample["merged"])
    ours = api.get(url).data[0]

    wanted = set(real) - {
        "node_id",
        "commit_url",
        "gravatar_id",
        "tarball_url",
        "zipball_url",
        "upload_url",
        "target_commitish",
        "original_position",
        "position",
        "original_line",
        "original_start_line",
        "start_line",
        "start_side",
        "patch_url",
        "diff_url",
    }
    assert wanted <= set(ours), sorted(wanted - set(ours))
    parse(ours), parse(real)  # both parse into the same payload classes


def test_issue_list_filters_by_since_and_sorts_by_update(github, api, fake_repo):
    early = github.add_issue(fake_repo, title="early")
    github.add_issue(fake_repo, title="later")
    github.edit_issue(fake_repo, early, title="early, edited")
    since = github.now.strftime("%Y-%m-%dT%H:%M:%SZ")

    listed = api.get(
        "/repos/octo/demo/issues", params={"since": since, "sort": "updated", "direction": "asc"}
    ).data

    assert [i["title"] for i in listed] == ["early, edited"]
    everything = api.get(
        "/repos/octo/demo/issues", params={"direction": "asc", "per_page": 100}
    ).data
    assert everything[-1]["title"] == "early, edited"
    assert GitHubIssue.from_json(everything[0]).number == 1


def test_pages_link_to_each_other_and_304_is_free(github, api, fake_repo):
    for n in range(7):
        github.add_star(fake_repo, f"fan-extra-{n}")
    first = api.get("/repos/octo/demo/stargazers", params={"per_page": 4})
    assert set(first.links) == {"next", "last"}
    last = api.get(first.links["last"])
    assert set(last.links) == {"first", "prev"} and len(last.data) == 2

    remaining = github.budgets["ghp_test_token_1"].remaining
    again = api.get("/repos/octo/demo/stargazers", params={"per_page": 4}, etag=first.etag)
    assert again.not_modified and github.budgets["ghp_test_token_1"].remaining == remaining
