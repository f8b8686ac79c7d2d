"""Query budgets of the hub's pages and API: a fixed number of queries whatever the number of
versions (2 or 20), and under a budget per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_hub.models import ModelVersion
from models_hub.registry.aliases import alias_move
from tests.factories import IssueFactory, TriageResultFactory
from tests.models_hub.scenarios.hub import build_hub

pytestmark = pytest.mark.django_db

# (URL, budget); {name} is the public model's name.
PAGES = [
    ("/models/", 8),
    ("/models/?q=widgets&sort=score", 8),
    ("/models/{name}/", 20),
    ("/models/{name}/v/2/", 12),
    ("/models/{name}/v/1/", 12),
    ("/models/{name}/compare/?a=1&b=2", 10),
    ("/models/benchmarks/", 5),
    ("/models/benchmarks/issue-report-classification/", 6),
    ("/api/models/", 5),
    ("/api/models/{name}/versions/", 7),
    ("/api/models/{name}/aliases/history/", 6),
    ("/api/models/{name}/card/", 12),
]


def _hub(versions: int):
    hub = build_hub(versions=versions)
    for version in hub.versions:  # each version triaged an issue and holds an alias
        issue = IssueFactory(repository=hub.model.repository)
        TriageResultFactory(issue=issue, label_model=version)
        alias_move(version=version, alias=f"tried-{version.version}", actor_label="test")
    return hub


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("staff", [False, True], ids=["anonymous", "staff"])
def test_queries_per_page_do_not_grow_with_the_number_of_versions(client, django_user_model, staff):
    if staff:
        user = django_user_model.objects.create_user("boss", password="pw", is_staff=True)
        client.force_login(user)
    hub = _hub(20)
    counts_many = {url: _count(client, url.format(name=hub.name)) for url, _ in PAGES}
    ModelVersion.objects.filter(model=hub.model, version__gt=2).delete()
    assert hub.model.versions.count() == 2
    counts_few = {url: _count(client, url.format(name=hub.name)) for url, _ in PAGES}

    assert counts_many == counts_few
    over = {url: (counts_many[url], budget) for url, budget in PAGES if counts_many[url] > budget}
    assert over == {}


def test_the_model_page_stays_within_its_budget(client, django_assert_max_num_queries):
    hub = _hub(20)
    with django_assert_max_num_queries(20):
        assert client.get(f"/models/{hub.name}/").status_code == 200
