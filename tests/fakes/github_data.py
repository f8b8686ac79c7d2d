"""The data a fake GitHub holds, and its rendering into GitHub-shaped REST JSON.

Objects are stored compactly (the bench holds 50,000 issues with comments) and rendered on each
response in the shape of GitHub's REST API v3 (as in the recorded exchanges PyGithub's tests
replay): nested users, label objects, `pull_request` markers, `_links`, reactions, URLs.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

Json = dict[str, Any]
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


@dataclass
class Record:
    """A stored GitHub object: its fields, plus `updated_at` as a datetime for ordering."""

    id: int
    updated_at: datetime
    fields: Json


@dataclass
class Collection:
    """Objects of one kind, with an index by `updated_at` rebuilt lazily after changes."""

    by_id: dict[int, Record] = field(default_factory=dict)
    _order: list[tuple[datetime, int]] | None = None

    def put(self, record: Record) -> Record:
        self.by_id[record.id] = record
        self._order = None
        return record

    def by_updated(self) -> list[Record]:
        if self._order is None:
            self._order = sorted((r.updated_at, r.id) for r in self.by_id.values())
        return [self.by_id[i] for _, i in self._order]

    def updated_since(self, since: datetime | None) -> list[Record]:
        ordered = self.by_updated()
        if since is None:
            return ordered
        assert self._order is not None
        start = bisect.bisect_left(self._order, (since, -1))
        return ordered[start:]


@dataclass
class FakeRepo:
    id: int
    owner_id: int
    name: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    deleted: bool = False
    issues_disabled: bool = False
    next_number: int = 1
    labels: list[Json] = field(default_factory=list)
    milestones: list[Json] = field(default_factory=list)
    issues: Collection = field(default_factory=Collection)  # issues and PRs (issue shape)
    numbers: dict[int, int] = field(default_factory=dict)  # number → issue id
    pulls: dict[int, Json] = field(default_factory=dict)  # number → PR-only fields
    comments: Collection = field(default_factory=Collection)
    review_comments: Collection = field(default_factory=Collection)
    reviews: dict[int, list[Json]] = field(default_factory=dict)  # PR number → reviews
    events: list[Json] = field(default_factory=list)  # oldest first
    releases: list[Json] = field(default_factory=list)  # oldest first
    stars: list[tuple[int, datetime]] = field(default_factory=list)


class Renderer:
    """GitHub-shaped JSON for stored objects; `api` is the server's base URL."""

    def __init__(self, fake):
        self.fake = fake

    @property
    def api(self) -> str:
        return self.fake.base_url

    def user(self, user_id: int | None) -> Json | None:
        if user_id is None:
            return None
        login, kind = self.fake.users[user_id]
        return {
            "login": login,
            "id": user_id,
            "node_id": f"U_{user_id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
            "gravatar_id": "",
            "url": f"{self.api}/users/{login}",
            "html_url": f"https://github.com/{login}",
            "type": kind,
            "site_admin": False,
        }

    def repository(self, repo: FakeRepo) -> Json:
        owner = self.user(repo.owner_id)
        full_name = f"{owner['login']}/{repo.name}"
        url = f"{self.api}/repos/{full_name}"
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": full_name,
            "private": False,
            "owner": owner,
            "html_url": f"https://github.com/{full_name}",
            "description": repo.description,
            "fork": False,
            "url": url,
            "issues_url": f"{url}/issues{{/number}}",
            "pulls_url": f"{url}/pulls{{/number}}",
            "homepage": "",
            "language": "Python",
            "created_at": iso(repo.created_at),
            "updated_at": iso(repo.updated_at),
            "pushed_at": iso(repo.updated_at),
            "stargazers_count": len(repo.stars),
            "watchers_count": len(repo.stars),
            "subscribers_count": 3,
            "forks_count": 0,
            "open_issues_count": sum(
                1 for r in repo.issues.by_id.values() if r.fields["state"] == "open"
            ),
            "has_issues": not repo.issues_disabled,
            "archived": False,
            "disabled": False,
            "topics": ["community"],
            "default_branch": "main",
            "visibility": "public",
        }

    def label(self, repo_url: str, label: Json) -> Json:
        return {
            "id": label["id"],
            "node_id": f"LA_{label['id']}",
            "url": f"{repo_url}/labels/{label['name']}",
            "name": label["name"],
            "color": label.get("color", "ededed"),
            "default": False,
            "description": label.get("description", ""),
        }

    def milestone(self, repo_url: str, milestone: Json | None) -> Json | None:
        if milestone is None:
            return None
        return {
            "url": f"{repo_url}/milestones/{milestone['number']}",
            "id": milestone["id"],
            "number": milestone["number"],
            "title": milestone["title"],
            "description": "",
            "creator": self.user(milestone["creator"]),
            "open_issues": 0,
            "closed_issues": 0,
            "state": milestone.get("state", "open"),
            "created_at": iso(milestone["created_at"]),
            "updated_at": iso(milestone["created_at"]),
            "due_on": None,
            "closed_at": None,
        }

    def issue(self, repo: FakeRepo, record: Record) -> Json:
        f = record.fields
        repo_url = self.repo_url(repo)
        labels = {label["id"]: label for label in repo.labels}
        milestones = {m["id"]: m for m in repo.milestones}
        data = {
            "url": f"{repo_url}/issues/{f['number']}",
            "repository_url": repo_url,
            "html_url": f"https://github.com/{self.full_name(repo)}/issues/{f['number']}",
            "id": record.id,
            "node_id": f"I_{record.id}",
            "number": f["number"],
            "title": f["title"],
            "user": self.user(f["user"]),
            "labels": [self.label(repo_url, labels[i]) for i in f.get("labels", ())],
            "state": f["state"],
            "state_reason": f.get("state_reason"),
            "locked": False,
            "assignee": self.user(f["assignees"][0]) if f.get("assignees") else None,
            "assignees": [self.user(a) for a in f.get("assignees", ())],
            "milestone": self.milestone(repo_url, milestones.get(f.get("milestone"))),
            "comments": f.get("comments", 0),
            "created_at": iso(f["created_at"]),
            "updated_at": iso(record.updated_at),
            "closed_at": iso(f.get("closed_at")),
            "author_association": "CONTRIBUTOR",
            "active_lock_reason": None,
            "body": f.get("body", ""),
            "reactions": {
                "url": f"{repo_url}/issues/{f['number']}/reactions",
                "total_count": f.get("reactions", 0),
                "+1": f.get("reactions", 0),
                "-1": 0,
                "laugh": 0,
                "hooray": 0,
                "confused": 0,
                "heart": 0,
                "rocket": 0,
                "eyes": 0,
            },
        }
        if f["number"] in repo.pulls:
            data["pull_request"] = {
                "url": f"{repo_url}/pulls/{f['number']}",
                "html_url": f"https://github.com/{self.full_name(repo)}/pull/{f['number']}",
                "merged_at": iso(repo.pulls[f["number"]].get("merged_at")),
            }
        return data

    def pull(self, repo: FakeRepo, record: Record, *, detail: bool) -> Json:
        issue = self.issue(repo, record)
        pr = repo.pulls[issue["number"]]
        url = f"{self.repo_url(repo)}/pulls/{issue['number']}"
        data = {
            k: v
            for k, v in issue.items()
            if k not in ("pull_request", "comments", "reactions", "state_reason")
        }
        data.update(
            id=pr["id"],
            node_id=f"PR_{pr['id']}",
            url=url,
            html_url=f"https://github.com/{self.full_name(repo)}/pull/{issue['number']}",
            issue_url=issue["url"],
            draft=pr.get("draft", False),
            merged_at=iso(pr.get("merged_at")),
            merge_commit_sha=pr.get("merge_commit_sha"),
            requested_reviewers=[self.user(u) for u in pr.get("requested_reviewers", ())],
            requested_teams=[],
            head={"label": f"fork:{pr['head']}", "ref": pr["head"], "sha": "a" * 40},
            base={"label": "main", "ref": "main", "sha": "b" * 40},
            _links={"self": {"href": url}, "issue": {"href": issue["url"]}},
        )
        if detail:
            data.update(
                merged=pr.get("merged_at") is not None,
                mergeable=None,
                merged_by=self.user(pr.get("merged_by")),
                comments=issue["comments"],
                review_comments=pr.get("review_comments", 0),
                commits=pr.get("commits", 1),
                additions=pr.get("additions", 0),
                deletions=pr.get("deletions", 0),
                changed_files=pr.get("changed_files", 1),
            )
        return data

    def comment(self, repo: FakeRepo, record: Record) -> Json:
        f = record.fields
        repo_url = self.repo_url(repo)
        data = {
            "url": f"{repo_url}/issues/comments/{record.id}",
            "html_url": f"https://github.com/{self.full_name(repo)}/issues/{f['number']}#issuecomment-{record.id}",
            "issue_url": f"{repo_url}/issues/{f['number']}",
            "id": record.id,
            "node_id": f"IC_{record.id}",
            "user": self.user(f["user"]),
            "created_at": iso(f["created_at"]),
            "updated_at": iso(record.updated_at),
            "author_association": "CONTRIBUTOR",
            "body": f["body"],
            "reactions": {
                "url": f"{repo_url}/issues/comments/{record.id}/reactions",
                "total_count": 0,
            },
        }
        if f.get("review_id") is not None or f.get("path"):
            del data["issue_url"]
            data.update(
                url=f"{repo_url}/pulls/comments/{record.id}",
                pull_request_url=f"{repo_url}/pulls/{f['number']}",
                pull_request_review_id=f.get("review_id"),
                diff_hunk="@@ -1 +1 @@",
                path=f.get("path", "README.md"),
                commit_id="a" * 40,
                original_commit_id="a" * 40,
                line=1,
                side="RIGHT",
                subject_type="line",
                _links={
                    "self": {"href": f"{repo_url}/pulls/comments/{record.id}"},
                    "pull_request": {"href": f"{repo_url}/pulls/{f['number']}"},
                },
            )
        return data

    def review(self, repo: FakeRepo, number: int, review: Json) -> Json:
        url = f"{self.repo_url(repo)}/pulls/{number}"
        return {
            "id": review["id"],
            "node_id": f"PRR_{review['id']}",
            "user": self.user(review["user"]),
            "body": review.get("body", ""),
            "state": review["state"],
            "html_url": f"https://github.com/{self.full_name(repo)}/pull/{number}#pullrequestreview-{review['id']}",
            "pull_request_url": url,
            "author_association": "MEMBER",
            "_links": {"html": {"href": url}, "pull_request": {"href": url}},
            "submitted_at": iso(review["submitted_at"]),
            "commit_id": "a" * 40,
        }

    def event(self, repo: FakeRepo, event: Json) -> Json:
        issue = repo.issues.by_id[repo.numbers[event["number"]]]
        data = {
            "id": event["id"],
            "node_id": f"E_{event['id']}",
            "url": f"{self.repo_url(repo)}/issues/events/{event['id']}",
            "actor": self.user(event["actor"]),
            "event": event["event"],
            "commit_id": event.get("commit_id"),
            "commit_url": None,
            "created_at": iso(event["created_at"]),
            "issue": self.issue(repo, issue),
        }
        if "label" in event:
            data["label"] = {"name": event["label"], "color": "ededed"}
        if "assignee" in event:
            data["assignee"] = self.user(event["assignee"])
        return data

    def release(self, repo: FakeRepo, release: Json) -> Json:
        url = f"{self.repo_url(repo)}/releases/{release['id']}"
        return {
            "url": url,
            "assets_url": f"{url}/assets",
            "html_url": f"https://github.com/{self.full_name(repo)}/releases/tag/{release['tag_name']}",
            "id": release["id"],
            "node_id": f"RE_{release['id']}",
            "tag_name": release["tag_name"],
            "target_commitish": "main",
            "name": release.get("name", release["tag_name"]),
            "draft": False,
            "prerelease": False,
            "author": self.user(release["author"]),
            "created_at": iso(release["created_at"]),
            "published_at": iso(release["created_at"]),
            "assets": [],
            "body": release.get("body", ""),
        }

    def star(self, user_id: int, starred_at: datetime) -> Json:
        return {"starred_at": iso(starred_at), "user": self.user(user_id)}

    def full_name(self, repo: FakeRepo) -> str:
        return f"{self.fake.users[repo.owner_id][0]}/{repo.name}"

    def repo_url(self, repo: FakeRepo) -> str:
        return f"{self.api}/repos/{self.full_name(repo)}"


def later(moment: datetime, seconds: int = 1) -> datetime:
    return moment + timedelta(seconds=seconds)
