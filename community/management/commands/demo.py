"""`manage.py demo`: fill the database with a generated, realistic GitHub community."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from community.services.demo import (
    MAINTAINER_PASSWORD,
    MAINTAINER_USERNAME,
    demo_community_create,
)


class Command(BaseCommand):
    help = (
        "Generate a demo GitHub community (org 'acme': widgets, widgets-cli, widgets-docs and the "
        "private infra; ~300 contributors, 3,000+ issues and pull requests over two years) and "
        "write it through the upsert services. Deterministic: the same --seed and --until give "
        "the same data, and running it again changes nothing. If the database has no users, a "
        f"superuser '{MAINTAINER_USERNAME}' with password '{MAINTAINER_PASSWORD}' is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="size factor, e.g. 0.1 for a quick run"
        )
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            default=None,
            help="last day covered, YYYY-MM-DD (default: today, UTC)",
        )

    def handle(self, *args, seed: int, scale: float, until: date | None, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive")
        started = time.monotonic()
        result = demo_community_create(
            seed=seed, scale=scale, until=until, progress=options["verbosity"] > 0
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Demo community from {result.since:%Y-%m-%d} to {result.until:%Y-%m-%d} "
            f"(seed {seed}, scale {scale:g}) written in {elapsed:.1f} s."
        )
        width = max(len(label) for label in result.counts)
        for label, count in result.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>8,}")
        if result.maintainer_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created superuser '{MAINTAINER_USERNAME}' with password "
                    f"'{MAINTAINER_PASSWORD}'."
                )
            )
