"""`manage.py demo` ends by generating the digests its pages show."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from analytics.models import Digest
from community.models import Repository

pytestmark = pytest.mark.django_db


def test_demo_generates_recent_digests_for_every_repository():
    out = StringIO()
    call_command(
        "demo", "--seed", "2", "--scale", "0.05", "--until", "2026-06-10", "--no-triage",
        "--no-rollups",  # tests/analytics/test_dashboards_demo.py
        verbosity=0, stdout=out,
    )  # fmt: skip

    repositories = Repository.objects.filter(tracked=True)
    assert "Digests: 36 weekly and monthly digests" in out.getvalue()
    for repository in repositories:
        digests = Digest.objects.filter(repository=repository)
        weeks = sorted(
            d.isoformat() for d in digests.filter(period="week").values_list("start", flat=True)
        )
        months = sorted(
            d.isoformat() for d in digests.filter(period="month").values_list("start", flat=True)
        )
        assert weeks == [
            "2026-05-04",
            "2026-05-11",
            "2026-05-18",
            "2026-05-25",
            "2026-06-01",
            "2026-06-08",
        ]
        assert months == ["2026-04-01", "2026-05-01", "2026-06-01"]
    assert repositories.count() == 4
