"""Stargazers: an accelerating curve of stars, from contributors and from passers-by."""

from __future__ import annotations

import random
from datetime import datetime

from community.github.payloads import GitHubStar, GitHubUser
from demo.generator.people import Cast
from demo.generator.timing import growing_moment


def stars_build(
    rng: random.Random,
    *,
    count: int,
    cast: Cast,
    private: bool,
    passers_by: list[GitHubUser],
    since: datetime,
    until: datetime,
) -> list[GitHubStar]:
    """`count` stars whose density grows over time (each month brings more than the last).

    A private repository is starred only by the organization's maintainers.
    """
    if private:
        fans = [p.user for p in cast.maintainers]
    else:
        contributors = [p.user for p in cast.people if rng.random() < 0.4]
        fans = contributors + passers_by
    chosen = rng.sample(fans, min(count, len(fans)))
    return sorted(
        (
            GitHubStar(
                user=user, starred_at=growing_moment(rng, start=since, end=until, growth=1.4)
            )
            for user in chosen
        ),
        key=lambda star: (star.starred_at, star.user.id),
    )
