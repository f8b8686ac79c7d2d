"""How tests and the benchmark fill a fake GitHub: every change ticks a deterministic clock."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from tests.fakes.github_data import EPOCH, Collection, FakeRepo, Json, Record


class Builders:
    def __init__(self):
        self.users: dict[int, tuple[str, str]] = {}
        # What a full profile (GET /users/{login}) adds: name, company
        self.profiles: dict[int, Json] = {}
        self.repos: dict[str, FakeRepo] = {}
        self.now: datetime = EPOCH
        self._ids = itertools.count(1000)

    def tick(self, seconds: int = 1) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def next_id(self) -> int:
        return next(self._ids)

    def add_user(self, login: str, *, kind: str = "User") -> int:
        for user_id, (known, _) in self.users.items():
            if known == login:
                return user_id
        user_id = self.next_id()
        self.users[user_id] = (login, kind)
        return user_id

    def set_profile(self, login: str, *, name: str | None = None, company: str | None = None):
        self.profiles[self.add_user(login)] = {"name": name, "company": company}

    def add_repo(self, full_name: str, *, description: str = "") -> FakeRepo:
        owner, name = full_name.split("/")
        repo = FakeRepo(
            id=self.next_id(),
            owner_id=self.add_user(owner, kind="Organization"),
            name=name,
            created_at=self.now,
            updated_at=self.tick(),
            description=description,
        )
        self.repos[full_name.lower()] = repo
        return repo

    def add_label(self, repo: FakeRepo, name: str, color: str = "d73a4a") -> Json:
        label = {"id": self.next_id(), "name": name, "color": color}
        repo.labels.append(label)
        return label

    def add_milestone(self, repo: FakeRepo, title: str) -> Json:
        milestone = {
            "id": self.next_id(),
            "number": len(repo.milestones) + 1,
            "title": title,
            "creator": repo.owner_id,
            "created_at": self.tick(),
        }
        repo.milestones.append(milestone)
        return milestone

    def add_issue(
        self,
        repo: FakeRepo,
        *,
        title: str = "An issue",
        user: str = "alice",
        labels=(),
        state: str = "open",
        body: str = "",
        assignees=(),
    ) -> int:
        number = repo.next_number
        repo.next_number += 1
        moment = self.tick()
        record = Record(
            self.next_id(),
            moment,
            {
                "number": number,
                "title": title,
                "user": self.add_user(user),
                "state": state,
                "labels": [label["id"] for label in labels],
                "created_at": moment,
                "body": body,
                "assignees": [self.add_user(a) for a in assignees],
                "closed_at": moment if state == "closed" else None,
            },
        )
        repo.issues.put(record)
        repo.numbers[number] = record.id
        return number

    def add_pull(
        self,
        repo: FakeRepo,
        *,
        title: str = "A change",
        user: str = "bob",
        merged: bool = False,
        additions: int = 10,
        deletions: int = 2,
        draft: bool = False,
        reviewers=(),
        labels=(),
    ) -> int:
        number = self.add_issue(
            repo, title=title, user=user, labels=labels, state="closed" if merged else "open"
        )
        record = repo.issues.by_id[repo.numbers[number]]
        repo.pulls[number] = {
            "id": self.next_id(),
            "head": f"feature-{number}",
            "draft": draft,
            "additions": additions,
            "deletions": deletions,
            "merged_at": record.updated_at if merged else None,
            "merged_by": repo.owner_id if merged else None,
            "merge_commit_sha": "c" * 40 if merged else None,
            "requested_reviewers": [self.add_user(r) for r in reviewers],
        }
        return number

    def edit_issue(self, repo: FakeRepo, number: int, **changes) -> None:
        """Change an issue/PR as GitHub would: fields, then `updated_at` moves to now."""
        record = repo.issues.by_id[repo.numbers[number]]
        record.fields.update(changes)
        record.updated_at = self.tick()
        repo.issues.put(record)

    def add_comment(
        self, repo: FakeRepo, number: int, *, body: str = "Thanks!", user: str = "carol"
    ) -> int:
        record = self._comment(repo.comments, number, body, user)
        issue = repo.issues.by_id[repo.numbers[number]]
        issue.fields["comments"] = issue.fields.get("comments", 0) + 1
        return record.id

    def edit_comment(self, repo: FakeRepo, comment_id: int, *, body: str) -> None:
        record = repo.comments.by_id[comment_id]
        record.fields["body"] = body
        record.updated_at = self.tick()
        repo.comments.put(record)

    def add_review(
        self,
        repo: FakeRepo,
        number: int,
        *,
        state: str = "APPROVED",
        user: str = "dave",
        body: str = "",
    ) -> int:
        review = {
            "id": self.next_id(),
            "user": self.add_user(user),
            "state": state,
            "body": body,
            "submitted_at": self.tick(),
        }
        repo.reviews.setdefault(number, []).append(review)
        return review["id"]

    def add_review_comment(
        self,
        repo: FakeRepo,
        number: int,
        *,
        review_id: int | None = None,
        body: str = "nit",
        user: str = "dave",
        path: str = "app.py",
    ) -> int:
        record = self._comment(repo.review_comments, number, body, user)
        record.fields.update(review_id=review_id, path=path)
        return record.id

    def add_event(
        self, repo: FakeRepo, number: int, event: str, *, actor: str = "alice", **extra
    ) -> int:
        data = {
            "id": self.next_id(),
            "number": number,
            "event": event,
            "actor": self.add_user(actor),
            "created_at": self.tick(),
        }
        if "assignee" in extra:
            extra["assignee"] = self.add_user(extra["assignee"])
        data.update(extra)
        repo.events.append(data)
        return data["id"]

    def add_release(self, repo: FakeRepo, tag_name: str, *, author: str = "alice") -> int:
        release = {
            "id": self.next_id(),
            "tag_name": tag_name,
            "author": self.add_user(author),
            "created_at": self.tick(),
        }
        repo.releases.append(release)
        return release["id"]

    def add_star(self, repo: FakeRepo, login: str) -> None:
        repo.stars.append((self.add_user(login), self.tick()))

    def _comment(self, collection: Collection, number: int, body: str, user: str) -> Record:
        moment = self.tick()
        return collection.put(
            Record(
                self.next_id(),
                moment,
                {
                    "number": number,
                    "body": body,
                    "user": self.add_user(user),
                    "created_at": moment,
                },
            )
        )
