"""Site pages on a community of ~4,000 issues and pull requests: server time and queries per page.

Builds the community with bulk inserts in its own PostgreSQL database (created and migrated,
dropped afterwards unless --keep), then requests every page type through Django's test client
and reports, per page, the median and worst render time and the number of SQL queries. The
last line printed is one JSON object.

    python bench/pages.py [--items 4000] [--actors 400] [--repeat 5]

Needs PostgreSQL on 127.0.0.1:5432 (database steward_bench_pages); --sqlite uses a temporary
SQLite file instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "steward_bench_pages"
PG = "postgres://postgres@127.0.0.1:5432"


def _configure(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO_ROOT))
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = f"{PG}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _build(*, items: int, actors: int, seed: int = 7) -> None:
    """One public and one private repository; issues, PRs, labels, comments, reviews, events."""
    from django.utils import timezone

    from community.models import (
        Actor,
        Comment,
        Issue,
        IssueEvent,
        Label,
        PullRequest,
        Repository,
        Review,
    )

    rng = random.Random(seed)
    now = timezone.now()
    people = Actor.objects.bulk_create(
        Actor(id=10 + n, login=f"person{n}", is_bot=n % 50 == 0) for n in range(actors)
    )
    org = Actor.objects.create(id=1, login="bench", type="Organization")
    repositories = [
        Repository.objects.create(id=1, owner=org, name="big", full_name="bench/big"),
        Repository.objects.create(
            id=2, owner=org, name="secret", full_name="bench/secret", private=True
        ),
    ]
    labels = Label.objects.bulk_create(
        Label(id=n + 1, repository=repositories[0], name=f"area-{n}", color="0e8a16")
        for n in range(20)
    )
    per_kind = items // 2
    for model, offset in ((Issue, 0), (PullRequest, per_kind)):
        rows = []
        for n in range(per_kind):
            created = now - dt.timedelta(hours=rng.randint(1, 24 * 900))
            rows.append(
                model(
                    id=offset + n + 1,
                    repository=repositories[n % 10 == 0],
                    number=offset + n + 1,
                    title=f"Item {n} about {rng.choice(['crash', 'docs', 'speed', 'api'])}",
                    body="Some **markdown** body\n\n" * rng.randint(1, 5),
                    state="open" if n % 3 else "closed",
                    author=rng.choice(people),
                    comments_count=rng.randint(0, 12),
                    created_at=created,
                    updated_at=created + dt.timedelta(hours=rng.randint(0, 500)),
                )
            )
        created_rows = model.objects.bulk_create(rows)
        through = model.labels.through
        through.objects.bulk_create(
            through(**{f"{model._meta.model_name}_id": row.id, "label_id": label.id})
            for row in created_rows
            for label in rng.sample(labels, rng.randint(0, 3))
        )
    PullRequest.objects.filter(state="closed").update(merged=True, merged_at=now)
    comments, reviews, events = [], [], []
    for n in range(items * 2):
        issue_id = rng.randint(1, per_kind)
        comments.append(
            Comment(
                id=n + 1,
                repository_id=1 if issue_id % 10 else 2,
                issue_id=issue_id,
                author=rng.choice(people),
                body="I see this too.",
                created_at=now - dt.timedelta(hours=rng.randint(1, 20000)),
                updated_at=now,
            )
        )
    for n in range(items // 2):
        pull_id = per_kind + rng.randint(1, per_kind)
        reviews.append(
            Review(
                id=n + 1,
                pull_request_id=pull_id,
                reviewer=rng.choice(people),
                state="APPROVED",
                submitted_at=now - dt.timedelta(hours=rng.randint(1, 20000)),
            )
        )
        events.append(
            IssueEvent(
                id=n + 1,
                repository_id=1 if (pull_id - per_kind - 1) % 10 else 2,
                pull_request_id=pull_id,
                event="labeled",
                label_name="area-1",
                actor=rng.choice(people),
                created_at=now - dt.timedelta(hours=rng.randint(1, 20000)),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=2000)
    Review.objects.bulk_create(reviews, batch_size=2000)
    IssueEvent.objects.bulk_create(events, batch_size=2000)


def _pages() -> dict[str, str]:
    from community.models import Issue, PullRequest

    issue = Issue.objects.filter(repository_id=1).order_by("-comments_count").first()
    pull = PullRequest.objects.filter(repository_id=1).order_by("-comments_count").first()
    return {
        "home": "/",
        "repository": "/repos/bench/big/",
        "issues": "/repos/bench/big/issues/?state=all&sort=comments",
        "issues_search": "/repos/bench/big/issues/?state=all&q=crash&label=area-3&page=2",
        "pulls": "/repos/bench/big/pulls/?state=merged",
        "issue": f"/repos/bench/big/issues/{issue.number}/",
        "pull": f"/repos/bench/big/pull/{pull.number}/",
        "people": "/people/",
        "person": "/people/person1/",
    }


def _measure(*, repeat: int) -> dict[str, dict]:
    from django.test import Client

    from bench.harness import page_timing

    client = Client()
    results = {}
    for name, url in _pages().items():
        results[name] = page_timing(client, url, repeat=repeat)
        print(f"{name:15} {url:60} {results[name]}", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=4000, help="issues + pull requests")
    parser.add_argument("--actors", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    _configure(args)

    from django.db import connection

    from bench.harness import benchmark_database

    with benchmark_database(keep=args.keep):
        start = time.perf_counter()
        _build(items=args.items, actors=args.actors)
        built_s = round(time.perf_counter() - start, 1)
        pages = _measure(repeat=args.repeat)
    print(
        json.dumps(
            {
                "bench": "site_pages",
                "database": connection.vendor,
                "items": args.items,
                "actors": args.actors,
                "build_s": built_s,
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main()
