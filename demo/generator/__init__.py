"""A generated, realistic GitHub community for demos, development and tests.

`demo_community_create` builds an organization with three public repositories and a private one,
about 300 contributors and two years of issues, pull requests, reviews, comments, releases and
stars, deterministically from a seed, and writes it through the upsert services.
"""

from demo.generator.service import (
    MAINTAINER_PASSWORD,
    MAINTAINER_USERNAME,
    DemoResult,
    community_counts,
    demo_community_create,
    demo_maintainer_ensure,
    demo_until_default,
)

__all__ = [
    "MAINTAINER_PASSWORD",
    "MAINTAINER_USERNAME",
    "DemoResult",
    "community_counts",
    "demo_community_create",
    "demo_maintainer_ensure",
    "demo_until_default",
]
