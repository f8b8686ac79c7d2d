"""The items of an ad-hoc report, chosen by filters, read through the visibility querysets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from django.db.models import Min

from analytics.metrics.reports import author_type_filter, report_items, report_summary
from analytics.selectors.frames import People, frame_from, people_load, responses_frame
from community.models import Actor, Issue, IssueEvent, PullRequest, Repository
from community.selectors.visibility import issues_visible_to, pull_requests_visible_to

FIELDS = ["id", "repository_id", "number", "title", "author_id", "created_at", "closed_at"]


@dataclass
class Report:
    table: pd.DataFrame  # report_items() plus repository, author, url
    summary: dict


def _visible(*, user, kind: str):
    return issues_visible_to(user=user) if kind == "issue" else pull_requests_visible_to(user=user)


def _selection(*, user, kind, repositories, start, end, labels, state):
    rows = _visible(user=user, kind=kind).filter(created_at__lt=end)
    if start:
        rows = rows.filter(created_at__gte=start)
    if repositories is not None:
        rows = rows.filter(repository__in=[r.pk for r in repositories])
    for label in labels:  # every label must be on the item, as in a GitHub search
        rows = rows.filter(labels__name__iexact=label)
    if state == "open":
        rows = rows.filter(closed_at__isnull=True)
    elif state == "closed":
        rows = rows.filter(closed_at__isnull=False)
    return rows.distinct()


def _first_items(*, user, repositories: Sequence[Repository] | None) -> pd.DataFrame:
    """author_id, repository_id, author_first_at: each author's first visible issue or PR."""
    parts = []
    for kind in ("issue", "pr"):
        rows = _visible(user=user, kind=kind).filter(author__isnull=False)
        if repositories is not None:
            rows = rows.filter(repository__in=[r.pk for r in repositories])
        grouped = rows.values("author_id", "repository_id").annotate(first=Min("created_at"))
        parts.append(frame_from(grouped, ["author_id", "repository_id", "author_first_at"],
                                ["author_id", "repository_id", "first"]))  # fmt: skip
    frame = pd.concat(parts, ignore_index=True)
    frame["author_first_at"] = pd.to_datetime(frame["author_first_at"], utc=True)
    return frame.groupby(["author_id", "repository_id"], as_index=False)["author_first_at"].min()


def _items(selection: dict, people: People) -> pd.DataFrame:
    frames = []
    for kind, rows in selection.items():
        fields = [*FIELDS, "merged_at"] if kind == "pr" else FIELDS
        frames.append(frame_from(rows, fields).assign(kind=kind))
    items = pd.concat(frames, ignore_index=True)
    if "merged_at" not in items:
        items["merged_at"] = pd.NaT
    for column in ("created_at", "closed_at", "merged_at"):
        items[column] = pd.to_datetime(items[column], utc=True)
    return people.flag(items, "author_id", "author")


def _events(selection: dict) -> pd.DataFrame:
    """Label and ready-for-review events of the selected items (time in label, in draft)."""
    parts = []
    for kind, field in (("issue", "issue_id"), ("pr", "pull_request_id")):
        if kind not in selection:
            continue
        rows = IssueEvent.objects.filter(
            event__in=("labeled", "unlabeled", "ready_for_review"),
            **{f"{field}__in": selection[kind].values("id")},
        )
        frame = frame_from(rows, ["item_id", "event", "label", "at"],
                           [field, "event", "label_name", "created_at"])  # fmt: skip
        parts.append(frame.assign(kind=kind))
    frame = pd.concat(parts, ignore_index=True)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def report_build(
    *, user, kinds: Sequence[str], repositories: Sequence[Repository] | None,
    start: datetime | None, end: datetime, labels: Sequence[str] = (), state: str = "any",
    author_type: str = "any", measure: Sequence[str] = (),
) -> Report:  # fmt: skip
    """The items opened in [start, end) that match every filter, with their durations (and
    the time each spent in the `measure` labels)."""
    people = people_load()
    selection = {
        kind: _selection(
            user=user,
            kind=kind,
            repositories=repositories,
            start=start,
            end=end,
            labels=labels,
            state=state,
        )
        for kind in kinds
    }
    items = _items(selection, people)
    firsts = _first_items(user=user, repositories=repositories)
    items = items.merge(firsts, on=["author_id", "repository_id"], how="left")
    items = author_type_filter(items, author_type)
    empty = {kind: Issue.objects.none() if kind == "issue" else PullRequest.objects.none()
             for kind in ("issue", "pr")}  # fmt: skip
    responses = responses_frame(selection={**empty, **selection}, people=people)
    table = report_items(items, responses, _events(selection), labels=measure)
    table = table.merge(items[["kind", "id", "repository_id"]], on=["kind", "id"], how="left")
    names = dict(
        Repository.objects.filter(pk__in=set(table["repository_id"])).values_list("pk", "full_name")
    )
    authors = set(table["author_id"].dropna().astype(int))
    logins = dict(Actor.objects.filter(pk__in=authors).values_list("pk", "login"))
    table["repository"] = table["repository_id"].map(names)
    table["author"] = table["author_id"].map(lambda pk: logins.get(int(pk)) if pd.notna(pk) else "")
    path = table["kind"].map({"issue": "issues", "pr": "pull"})
    table["url"] = (
        "https://github.com/"
        + table["repository"].astype(str)
        + "/"
        + path.astype(str)
        + "/"
        + table["number"].astype(str)
    )  # astype: an empty report's columns are float, and "text" + float fails
    return Report(table=table, summary=report_summary(table, labels=measure))
