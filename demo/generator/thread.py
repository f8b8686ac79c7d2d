"""One issue's or pull request's conversation: comments, reviews and timeline events, in order."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from community.github.payloads import (
    GitHubComment,
    GitHubIssueEvent,
    GitHubLabel,
    GitHubReview,
    GitHubUser,
)
from demo.generator.ids import IdAllocator


@dataclass
class Thread:
    """Collects what happens on item `number`; nothing is recorded after `until`."""

    number: int
    created_at: datetime
    until: datetime
    ids: IdAllocator
    rng: random.Random
    labels: dict[str, GitHubLabel]  # every label of the repository, by name
    comments: list[GitHubComment] = field(default_factory=list)
    events: list[GitHubIssueEvent] = field(default_factory=list)
    reviews: list[GitHubReview] = field(default_factory=list)
    current_labels: list[str] = field(default_factory=list)
    last: datetime | None = None

    def happens(self, moment: datetime) -> bool:
        return moment <= self.until

    def touch(self, moment: datetime) -> None:
        self.last = max(self.last or self.created_at, moment)

    def comment(
        self,
        user: GitHubUser,
        moment: datetime,
        body: str,
        *,
        association: str = "NONE",
        review_id: int | None = None,
        path: str = "",
    ) -> None:
        reactions = {"+1": self.rng.randint(1, 6)} if self.rng.random() < 0.12 else {}
        self.comments.append(
            GitHubComment(
                id=self.ids.next("comment"),
                user=user,
                body=body,
                created_at=moment,
                updated_at=moment,
                author_association=association,
                reactions=reactions,
                reactions_total=sum(reactions.values()),
                path=path,
                review_id=review_id,
                is_review_comment=bool(path),
                parent_number=self.number,
            )
        )
        self.touch(moment)

    def event(
        self,
        name: str,
        actor: GitHubUser | None,
        moment: datetime,
        **fields: str | GitHubUser | None,
    ) -> None:
        """Record a timeline event; `fields` are GitHubIssueEvent's optional fields."""
        self.events.append(
            GitHubIssueEvent(
                id=self.ids.next("event"),
                event=name,
                created_at=moment,
                actor=actor,
                issue_number=self.number,
                **fields,
            )
        )
        self.touch(moment)

    def label(self, name: str, actor: GitHubUser | None, moment: datetime) -> None:
        if name not in self.current_labels:
            self.current_labels.append(name)
            self.event("labeled", actor, moment, label_name=name)

    def unlabel(self, name: str, actor: GitHubUser | None, moment: datetime) -> None:
        if name in self.current_labels:
            self.current_labels.remove(name)
            self.event("unlabeled", actor, moment, label_name=name)

    def review(
        self, user: GitHubUser, moment: datetime, *, state: str, body: str, commit_id: str
    ) -> int:
        review_id = self.ids.next("review")
        self.reviews.append(
            GitHubReview(
                id=review_id,
                user=user,
                state=state,
                body=body,
                commit_id=commit_id,
                author_association="MEMBER",
                submitted_at=moment,
            )
        )
        self.touch(moment)
        return review_id

    def payload_labels(self) -> list[GitHubLabel]:
        return [self.labels[name] for name in self.current_labels]

    @property
    def issue_comments(self) -> int:
        return sum(1 for c in self.comments if not c.is_review_comment)

    @property
    def review_comments(self) -> int:
        return sum(1 for c in self.comments if c.is_review_comment)
