"""Every kind of page, rendered with its data, as the visitor it is for: the strict policy is in
the header and nothing in the HTML needs more (no inline script, handler or `<style>`). The admin
and DRF's browsable API included: they must keep working under the policy."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.digests import digest_generate
from analytics.services.rollups import rollups_fill
from tests.models_hub.scenarios.hub import build_hub
from tests.security.csp import assert_strict_policy, inline_code

pytestmark = pytest.mark.django_db
RANGE = "period=month&start=2024-01-01&end=2024-06-30"


def _problems(client, paths: list[str], **headers) -> dict[str, object]:
    """{path: what is wrong} for the pages that are not served whole under the policy."""
    problems: dict[str, object] = {}
    for path in paths:
        response = client.get(path, **headers)
        if response.status_code != 200:
            problems[path] = response.status_code
            continue
        assert_strict_policy(response)
        if response["Content-Type"].startswith("text/html"):
            found = inline_code(response.content.decode())
            if found:
                problems[path] = found
    return problems


def test_site_pages(client, admin_client, site_community):
    repo = "/repos/acme/rocket"
    pull = site_community.merged_pull.number
    issue = site_community.bug_issue.number
    public = [
        "/", f"{repo}/", f"{repo}/issues/", f"{repo}/issues/{issue}/", f"{repo}/pulls/",
        f"{repo}/pull/{pull}/", "/people/", "/people/ada/", "/no-such-page/",
    ]  # fmt: skip
    staff = ["/repos/acme/vault/", "/repos/add/", "/ops/webhooks/"]

    problems = _problems(client, public) | _problems(admin_client, staff)

    assert problems == {"/no-such-page/": 404}


def test_dashboards_digests_and_their_api(client, staff_client, community):
    rollups_fill(now=community.now)
    may = dt.date(2024, 5, 1)
    digest_generate(repository=community.public, period="month", start=may, now=community.now)
    digests = "/dashboards/repos/acme/widgets/digests/"
    public = [
        f"/dashboards/?{RANGE}", f"/dashboards/repos/acme/widgets/?{RANGE}",
        "/dashboards/people/alice/", f"{digests}?period=month", f"{digests}month/2024-05-01/",
        "/api/metrics/", "/api/attention/", "/api/schema/",
    ]  # fmt: skip
    staff = ["/dashboards/identities/", f"/dashboards/?{RANGE}"]
    browsable_api = ["/api/metrics/", f"/api/repositories/acme/widgets/digests/?{RANGE}"]

    assert _problems(client, public) == {}
    assert _problems(staff_client, staff) == {}
    assert _problems(client, browsable_api, HTTP_ACCEPT="text/html") == {}


def test_model_hub_pages(client, maintainer, model_store):
    hub = build_hub(versions=3)
    model = f"/models/{hub.model.name}"
    benchmark = f"/models/benchmarks/{hub.benchmark.name}/"
    public = [
        "/models/", f"{model}/", f"{model}/v/1/", f"{model}/compare/?a=1&b=3",
        "/models/benchmarks/", benchmark, "/api/models/", f"/api/models/{hub.model.name}/",
    ]  # fmt: skip
    client.force_login(maintainer)
    maintainers = [f"{model}/upload/", f"/models/{hub.private_model.name}/"]

    assert _problems(client, public + maintainers) == {}


def test_triage_pages(client, maintainer, queue_scenario):
    client.force_login(maintainer)
    pages = ["/triage/", "/triage/acme/widgets/issues/7/", "/triage/acme/widgets/settings/"]

    assert _problems(client, pages) == {}


def test_admin_pages(client, admin_client, site_community):
    issue = site_community.bug_issue.pk
    pages = [
        "/admin/", "/admin/community/issue/", f"/admin/community/issue/{issue}/change/",
        "/admin/community/issue/add/", "/admin/auth/user/add/", "/admin/axes/accessattempt/",
        "/admin/community/issue/?_popup=1&_to_field=id",
    ]  # fmt: skip

    assert _problems(client, ["/admin/login/"]) == {}
    assert _problems(admin_client, pages) == {}
