"""The site as `manage.py demo` fills it (a small scale, no triage): the pages a maintainer opens
in their first minute, for the page-wide tests (test_page_images.py, test_narrow_screens.py).

The demo's people have real-looking GitHub avatar URLs (avatars.githubusercontent.com), which is
what those tests must never see in a page.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from community.models import Issue, PullRequest
from community.selectors import contributor_list
from demo.generator import demo_community_create

REPOSITORY = "acme/widgets"


def build_demo_site(*, until: date | None = None) -> dict[str, str]:
    """Fill the database with a small demo community; return the pages to visit, by name."""
    demo_community_create(seed=3, scale=0.05, until=until or date(2026, 6, 1))
    issue = (
        Issue.objects.filter(repository__full_name=REPOSITORY)
        .annotate(n=Count("comments"))
        .order_by("-n", "number")
        .first()
    )
    pull = (
        PullRequest.objects.filter(repository__full_name=REPOSITORY)
        .annotate(n=Count("reviews"))
        .order_by("-n", "number")
        .first()
    )
    open_issue = (
        Issue.objects.filter(repository__full_name=REPOSITORY, state="open")
        .order_by("-number")
        .first()
    )
    person = contributor_list(user=None, bots="exclude")[0].actor.login
    repo = f"/repos/{REPOSITORY}"
    return {
        "home": "/",
        "repository": f"{repo}/",
        "issue list": f"{repo}/issues/",
        "issue": f"{repo}/issues/{issue.number}/",
        "pull request list": f"{repo}/pulls/",
        "pull request": f"{repo}/pull/{pull.number}/",
        "people": "/people/",
        "person": f"/people/{person}/",
        "dashboards": "/dashboards/",
        "repository dashboard": f"/dashboards{repo}/",
        "person dashboard": f"/dashboards/people/{person}/",
        "digests": f"/dashboards{repo}/digests/",
        "identities": "/dashboards/identities/",
        "add repository": "/repos/add/",
        "triage queue": "/triage/",
        "triage issue": f"/triage/{REPOSITORY}/issues/{open_issue.number}/",
    }
