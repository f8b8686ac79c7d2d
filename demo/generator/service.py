"""The demo service: generate the community, write it, make sure someone can log in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from demo.generator.build import demo_world_build
from demo.generator.write import demo_world_write

MAINTAINER_USERNAME = "maintainer"
MAINTAINER_PASSWORD = "steward-demo"


@dataclass(frozen=True, slots=True)
class DemoResult:
    since: datetime
    until: datetime
    counts: dict[str, int]  # rows per community model after the run
    maintainer_created: bool


def demo_until_default() -> date:
    """Today in UTC: the default end of the demo's two years."""
    return datetime.now(UTC).date()


def demo_community_create(
    *, seed: int = 7, scale: float = 1.0, until: date | None = None, progress: bool = False
) -> DemoResult:
    """Generate the demo community for `seed` and write it through the upsert services.

    Idempotent: the same seed, scale and `until` write the same rows again (ids are derived
    from the seed), so running it twice leaves the database as one run did.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    day = until or demo_until_default()
    end = datetime(day.year, day.month, day.day, tzinfo=UTC)
    world = demo_world_build(seed=seed, scale=scale, until=end)
    demo_world_write(world=world, progress=progress)
    created = demo_maintainer_ensure()
    return DemoResult(
        since=world.start, until=end, counts=community_counts(), maintainer_created=created
    )


def demo_maintainer_ensure() -> bool:
    """On a database with no users, create the `maintainer` superuser; True when created."""
    users = get_user_model()
    with transaction.atomic():
        if users.objects.exists():
            return False
        users.objects.create_superuser(
            username=MAINTAINER_USERNAME,
            email="maintainer@example.org",
            password=MAINTAINER_PASSWORD,
        )
    return True


def community_counts() -> dict[str, int]:
    """Rows per model of the community app (many-to-many tables included), by label."""
    counts = {}
    for model in apps.get_app_config("community").get_models(include_auto_created=True):
        counts[model._meta.label] = model._default_manager.count()
    return dict(sorted(counts.items()))
