"""Benchmark: sync a fake GitHub holding N issues/PRs (each with a comment) into PostgreSQL.

Measures the sync's write path (pages → bulk upserts, as the sync runs them) against a naive
per-row ORM save of the very same pages, in the same run. The last line is JSON:
{"bench": "sync", "items": N, "items_per_s": …, "naive_items_per_s": …, "speedup": …, …}

    python bench/sync.py [--items 50000] [--database steward_bench_sync]

PR details (one request per PR) are not part of the measured resources: the figure is about
write throughput of listed pages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ["metadata", "labels", "issues", "pull_requests", "issue_comments"]


def setup_django(database: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def empty_tables() -> None:
    from django.db import connection

    from community.models import Actor, Label, Milestone, Repository

    tables = [m._meta.db_table for m in (Repository, Actor, Label, Milestone)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def populate(fake, items: int) -> None:
    repo = fake.add_repo("bench/big", description="Benchmark repository")
    labels = [fake.add_label(repo, name) for name in ("bug", "feature", "docs", "question")]
    for n in range(items):
        user = f"user{n % 997}"
        if n % 3 == 2:
            number = fake.add_pull(
                repo,
                title=f"Change {n}",
                user=user,
                merged=n % 2 == 0,
                labels=[labels[n % 4]],
                reviewers=[f"user{(n + 1) % 997}"],
            )
        else:
            number = fake.add_issue(
                repo,
                title=f"Issue {n}",
                user=user,
                body="Steps to reproduce…",
                labels=[labels[n % 4]],
                assignees=[f"user{(n + 7) % 997}"],
            )
        fake.add_comment(repo, number, body=f"Comment on {n}", user=f"user{(n + 3) % 997}")


def run_sync(fake) -> tuple[list[tuple[str, list]], float, float]:
    """The real sync over HTTP; returns the pages it wrote, write seconds and wall seconds."""
    from github import Auth

    from community.github.auth import Credential
    from community.github.client import GitHubClient
    from community.services.sync import paging, repository_fetch, repository_sync

    pages: list[tuple[str, list]] = []
    write_seconds = 0.0
    original = paging._save_page

    def timed_save_page(ctx, cursor, items, write):
        def timed_write(page):
            nonlocal write_seconds
            started = time.perf_counter()
            write(page)
            write_seconds += time.perf_counter() - started
            pages.append((cursor.resource, page))

        original(ctx, cursor, items, timed_write)

    paging._save_page = timed_save_page
    client = GitHubClient(
        credentials=[Credential("bench", Auth.Token("bench-token"))],
        base_url=fake.base_url,
        seconds_between_requests=0,
        reserve=0,
    )
    started = time.perf_counter()
    repository = repository_fetch(client=client, full_name="bench/big")
    repository_sync(repository=repository, full=True, resources=RESOURCES, client=client)
    wall = time.perf_counter() - started
    paging._save_page = original
    return pages, write_seconds, wall


def naive_save(pages: list[tuple[str, list]]) -> float:
    """The same pages, one ORM save per object (and per relation), as a first version would."""
    from django.db import transaction

    from community.github.payloads import GitHubComment, GitHubIssue, GitHubPullRequest
    from community.models import Actor, Comment, Issue, Label, PullRequest, Repository

    repository = Repository.objects.get(full_name="bench/big")

    def actor(user):
        if user is None:
            return None
        return Actor.objects.update_or_create(
            pk=user.id, defaults={"login": user.login, "type": user.type}
        )[0]

    def save_item(model, item, extra):
        defaults = {
            "repository": repository,
            "number": item.number,
            "title": item.title,
            "body": item.body,
            "state": item.state,
            "author": actor(item.user),
            "created_at": item.created_at,
            "updated_at": item.updated_at,
            "closed_at": item.closed_at,
            **extra,
        }
        row, _ = model.objects.update_or_create(pk=item.id, defaults=defaults)
        for label in item.labels:
            Label.objects.update_or_create(
                pk=label.id, defaults={"repository": repository, "name": label.name}
            )
        row.labels.set([label.id for label in item.labels])
        row.assignees.set([actor(a) for a in item.assignees])
        return row

    started = time.perf_counter()
    for resource, page in pages:
        with transaction.atomic():
            for data in page:
                if resource == "issues":
                    item = GitHubIssue.from_json(data)
                    if not item.is_pull_request:
                        save_item(Issue, item, {})
                elif resource == "pull_requests":
                    pr = GitHubPullRequest.from_json(data)
                    row = save_item(
                        PullRequest,
                        pr,
                        {
                            "draft": pr.draft,
                            "merged_at": pr.merged_at,
                            "merged": pr.merged_at is not None,
                        },
                    )
                    row.requested_reviewers.set([actor(u) for u in pr.requested_reviewers])
                elif resource == "issue_comments":
                    comment = GitHubComment.from_json(data)
                    number = comment.parent_number
                    parent = {
                        "issue": Issue.objects.filter(repository=repository, number=number).first()
                    }
                    if parent["issue"] is None:
                        pull = PullRequest.objects.filter(
                            repository=repository, number=number
                        ).first()
                        if pull is None:
                            continue  # its issue/PR lies outside the sampled pages
                        parent = {"pull_request": pull}
                    Comment.objects.update_or_create(
                        pk=comment.id,
                        defaults={
                            "repository": repository,
                            "author": actor(comment.user),
                            "body": comment.body,
                            "created_at": comment.created_at,
                            "updated_at": comment.updated_at,
                            **parent,
                        },
                    )
    return time.perf_counter() - started


def sample_pages(pages: list[tuple[str, list]], fraction: float) -> list[tuple[str, list]]:
    """The first `fraction` of each resource's pages (oldest objects first, parents included)."""
    chosen = []
    for resource in dict.fromkeys(r for r, _ in pages):
        own = [p for p in pages if p[0] == resource]
        chosen += own[: max(1, round(len(own) * fraction))]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000, help="issues + pull requests")
    parser.add_argument("--database", default="steward_bench_sync")
    parser.add_argument(
        "--naive-items",
        type=int,
        default=5_000,
        help="per-row saving costs the same per item at any size: time it on this many items",
    )
    args = parser.parse_args()
    setup_django(args.database)

    from community.models import Comment, Issue, PullRequest
    from tests.fakes.github_server import FakeGitHub

    with FakeGitHub(tokens=["bench-token"], rate_limit=10**9) as fake:
        started = time.perf_counter()
        populate(fake, args.items)
        print(f"fake GitHub filled in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        empty_tables()
        pages, write_seconds, wall = run_sync(fake)
        synced = Issue.objects.count() + PullRequest.objects.count()
        comments = Comment.objects.count()
        requests = len(fake.hits)
    assert synced == args.items and comments == args.items, (synced, comments)

    empty_tables()
    from community.github.payloads import GitHubRepository, GitHubUser
    from community.models import Actor, Repository
    from community.services import upserts  # the repository row the naive path hangs off

    owner = GitHubUser(id=1, login="bench", type="Organization")
    upserts.repository_upsert(
        payload=GitHubRepository(id=1, owner=owner, name="big", full_name="bench/big")
    )
    fraction = min(1.0, args.naive_items / args.items)
    naive_seconds = naive_save(sample_pages(pages, fraction))
    naive_items = Issue.objects.count() + PullRequest.objects.count()
    assert naive_items >= min(args.items, args.naive_items) * 0.9, naive_items
    assert Actor.objects.exists() and Repository.objects.count() == 1

    items_per_s = args.items / write_seconds
    naive_items_per_s = naive_items / naive_seconds
    print(
        json.dumps(
            {
                "bench": "sync",
                "items": args.items,
                "items_per_s": round(items_per_s, 1),
                "naive_items_per_s": round(naive_items_per_s, 1),
                "speedup": round(items_per_s / naive_items_per_s, 1),
                "naive_items_measured": naive_items,
                "comments": comments,
                "sync_wall_s": round(wall, 1),
                "end_to_end_items_per_s": round(args.items / wall, 1),
                "http_requests": requests,
                "database": "postgresql",
            }
        )
    )


if __name__ == "__main__":
    main()
