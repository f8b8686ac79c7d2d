"""The model hub's pages for anonymous visitors, contributors and maintainers: index with search,
filters and sorts; model, version, compare, benchmark and leaderboard pages; and the rule that a
private repository's model is a 404 (and absent from lists) for anyone who may not see it."""

from __future__ import annotations

import json

import pytest

from models_hub.models import RegisteredModel
from tests.factories import ModelVersionFactory, RegisteredModelFactory, RepositoryFactory
from tests.models_hub.scenarios.hub import build_hub

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return build_hub(versions=3)


@pytest.fixture
def contributor(django_user_model):
    return django_user_model.objects.create_user("contributor", password="pw")


def _names(response) -> list[str]:
    return [model.name for model in response.context["page"].object_list]


# --- index ---------------------------------------------------------------------------------------


def test_the_index_lists_public_models_with_their_champion_and_score(client, hub):
    response = client.get("/models/")

    assert response.status_code == 200
    assert _names(response) == [hub.name]
    body = response.content.decode()
    assert "Suggests acme/widgets" in body and "widgets-labels" in body
    assert f'href="/models/{hub.name}/v/2/"' in body  # the champion
    assert "0.620" in body  # its k-fold macro F1
    assert hub.private_model.name not in body and "secret-tag" not in body
    assert 'aria-current="page">Models</a>' in body  # the site's navigation marks the section


@pytest.mark.parametrize("staff", [False, True])
def test_private_models_are_listed_and_searchable_only_for_those_who_see_the_repository(
    client, hub, contributor, staff
):
    contributor.is_staff = staff
    contributor.save()
    client.force_login(contributor)

    listed = _names(client.get("/models/"))
    found = _names(client.get("/models/?q=secret-tag"))

    assert (hub.private_model.name in listed) is staff
    assert found == ([hub.private_model.name] if staff else [])


def test_search_matches_name_description_and_tags(client, hub):
    other = RegisteredModelFactory(
        repository=RepositoryFactory(), name="spam-detector", description="Flags spam.", tags=[]
    )
    assert _names(client.get("/models/?q=widgets-labels")) == [hub.name]
    assert _names(client.get("/models/?q=SPAM")) == [other.name]
    assert _names(client.get("/models/?q=flags")) == [other.name]
    assert _names(client.get("/models/?q=nothing-like-it")) == []
    assert "No model matches these filters." in client.get("/models/?q=zzz").content.decode()


def test_filters_by_licence_repository_task_and_benchmark(client, hub):
    other = RegisteredModelFactory(repository=RepositoryFactory(), name="other", license="mit")
    assert _names(client.get("/models/?license=mit")) == [other.name]
    assert _names(client.get("/models/?repository=acme/widgets")) == [hub.name]
    assert set(_names(client.get("/models/?task=text-classification"))) == {hub.name, "other"}
    # Scored on the benchmark (its champion's verified result), or declaring it.
    assert _names(client.get(f"/models/?benchmark={hub.benchmark.name}")) == [hub.name]
    other.benchmark = hub.benchmark
    other.save()
    assert set(_names(client.get(f"/models/?benchmark={hub.benchmark.name}"))) == {
        hub.name,
        "other",
    }
    # A value that is not among the choices is ignored, not an error.
    assert client.get("/models/?license=nope").status_code == 200


def test_sorts_by_score_downloads_and_update(client, hub):
    low = ModelVersionFactory(
        repository=RepositoryFactory(), metrics={"macro_f1": 0.3}, is_active=True
    ).model
    RegisteredModel.objects.filter(pk=low.pk).update(downloads=50)
    unscored = RegisteredModelFactory(repository=RepositoryFactory(), name="unscored")

    assert _names(client.get("/models/?sort=score")) == [hub.name, low.name, unscored.name]
    assert _names(client.get("/models/?sort=downloads"))[0] == low.name
    assert _names(client.get("/models/?sort=updated"))[0] == unscored.name


def test_every_sort_offered_is_one_the_selector_knows():
    from models_hub.forms_hub import SORT_CHOICES
    from models_hub.selectors.hub import SORTS

    assert {value for value, _ in SORT_CHOICES} == set(SORTS)


def test_the_index_pages_through_many_models(client, db):
    for number in range(23):
        RegisteredModelFactory(repository=None, name=f"model-{number:02d}")
    first = client.get("/models/?sort=name")
    second = client.get("/models/?sort=name&page=2")
    assert len(_names(first)) == 20 and _names(second) == ["model-20", "model-21", "model-22"]
    assert 'rel="next"' in first.content.decode()


def test_an_empty_hub_says_how_models_appear(client, db):
    assert "No models yet." in client.get("/models/").content.decode()


# --- model, version, compare ---------------------------------------------------------------------


def test_the_model_page_shows_card_versions_chart_quality_and_history(client, hub):
    response = client.get(f"/models/{hub.name}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="markdown-body"' in body and "Intended use" in body  # the rendered card
    for number in (1, 2, 3):
        assert f'href="/models/{hub.name}/v/{number}/"' in body
    assert '<span class="alias alias-champion">champion</span>' in body
    assert '<span class="alias alias-staging">staging</span>' in body
    chart = response.context["metrics_chart"]
    assert chart["labels"] == ["v1", "v2", "v3"]
    assert chart["datasets"][0]["data"] == [0.61, 0.62, 0.63]
    assert 'id="metrics-chart-data" type="application/json"' in body
    curves = response.context["curve_chart"]["datasets"]
    assert [c["label"] for c in curves] == ["v3", "v2 (champion)", "v1"]
    assert curves[1]["threshold"] == {"x": 0.56, "y": 0.7833, "threshold": 0.55}
    assert "Production quality" in body and "not used in triage" in body
    assert "best so far" in body and "trying it" in body  # alias history: why
    assert "<script>" not in body.split("<main", 1)[1].split("</main>")[0]  # no inline JS
    assert "js/hub.js" in body and "vendor/chartjs/chart.umd.js" in body
    assert "Edit the card" not in body  # maintainers only


def test_the_model_page_of_a_model_without_versions(client, db):
    model = RegisteredModelFactory(repository=None, name="empty-model")
    body = client.get(f"/models/{model.name}/").content.decode()
    assert "No versions yet." in body and "the card is written when the first version" in body


def test_the_version_page_shows_lineage_metrics_per_label_results_and_replay(client, hub):
    response = client.get(f"/models/{hub.name}/v/2/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "python manage.py train triage-labels --repo acme/widgets" in body
    assert "Training rows" in body and "202" in body
    assert "k-fold macro F1" in body and "0.62" in body
    assert "bug" in body and "docs" in body  # per-label rows
    assert "NLBSE&#x27;24 issue report classification" in body  # its verified result
    assert "✓ Verified" in body
    assert "This version is the champion" in body
    assert "Promotion" not in body  # maintainers only

    other = client.get(f"/models/{hub.name}/v/3/").content.decode()
    assert "No replay yet" in other and "Replay against the champion" in other


def test_compare_puts_two_versions_side_by_side(client, hub):
    response = client.get(f"/models/{hub.name}/compare/?a=1&b=3")

    assert response.status_code == 200
    rows = {row.key: row for row in response.context["hyperparameter_rows"]}
    assert rows["epochs"].values == ("1", "3") and rows["epochs"].differs
    assert not rows["method"].differs and rows["method"].label == "Method"
    labels = {row.label: row for row in response.context["label_rows"]}
    assert labels["bug"].f1_delta == pytest.approx(0.02)
    body = response.content.decode()
    assert "Issues they label differently" in body and "No replay yet of v3 against v1" in body
    assert "Compute the differences" not in body  # maintainers only
    assert client.get(f"/models/{hub.name}/compare/?a=1").status_code == 404
    assert client.get(f"/models/{hub.name}/compare/?a=1&b=99").status_code == 404


def test_a_finished_replay_lists_the_issues_labelled_differently(client, hub):
    from models_hub.models import ChallengerReplay

    ChallengerReplay.objects.create(
        candidate=hub.versions[2],
        baseline=hub.versions[0],
        status="done",
        issues_compared=40,
        changes=[
            {
                "issue_id": 1,
                "number": 17,
                "title": "Docs typo",
                "before": {"label": "bug", "confidence": 0.61},
                "after": {"label": "docs", "confidence": 0.83},
            },
            {"issue_id": 2, "number": 18, "title": "Odd", "before": {"label": None}, "after": {}},
        ],
    )
    body = client.get(f"/models/{hub.name}/compare/?a=1&b=3").content.decode()
    assert "Replayed 40 recently triaged issues" in body and "<strong>2</strong>" in body
    assert 'href="/repos/acme/widgets/issues/17/"' in body and "Docs typo" in body
    assert "0.83" in body and "abstains" in body


# --- benchmarks ----------------------------------------------------------------------------------


def test_benchmarks_and_the_leaderboard_hide_private_models_rows(client, hub, contributor):
    listing = client.get("/models/benchmarks/").content.decode()
    assert "NLBSE&#x27;24 issue report classification" in listing
    assert "<dd>2</dd>" in listing  # results anonymous visitors may see

    response = client.get(f"/models/benchmarks/{hub.benchmark.name}/")
    body = response.content.decode()
    assert [row.entry for row in response.context["board"].rows] == [
        "SetFit baseline",
        f"{hub.name} v2",
    ]
    assert hub.private_model.name not in body
    assert "Published" in body and "✓ Verified" in body
    assert "python manage.py benchmark_run issue-report-classification" in body
    assert "https://example.org/nlbse24" in body
    # Per-subset columns, headed on two lines ("acme/" above "widgets") to stay narrow.
    assert (
        '<th scope="col" class="num subset-col"><span class="subset-owner">acme/</span>widgets</th>'
        in body
    )
    client.force_login(contributor)
    assert hub.private_model.name not in client.get(response.request["PATH_INFO"]).content.decode()

    contributor.is_staff = True
    contributor.save()
    staff_board = client.get(f"/models/benchmarks/{hub.benchmark.name}/").context["board"]
    assert staff_board.rows[0].entry == f"{hub.private_model.name} v1"


def test_a_board_of_published_figures_leaves_out_the_columns_only_runs_fill(client, hub):
    url = f"/models/benchmarks/{hub.benchmark.name}/"
    body = client.get(url).content.decode()
    assert "Coverage</abbr></th>" in body and "0.500" in body
    assert "Coverage: the share of the test issues that got a suggestion at the version" in body
    assert '<th scope="col">Reproduce</th>' in body

    hub.benchmark.results.filter(version=hub.champion).delete()
    response = client.get(url)
    body = response.content.decode()

    assert [row.entry for row in response.context["board"].rows] == ["SetFit baseline"]
    assert "Coverage</abbr></th>" not in body and "Reproduce</th>" not in body
    assert "Coverage:" not in body  # no column, nothing to explain
    assert '<th scope="col">Evaluated</th>' in body and "0.8260" in body


def test_one_subsets_board(client, hub):
    response = client.get(f"/models/benchmarks/{hub.benchmark.name}/?subset=acme/gadgets")
    assert [(row.entry, row.value) for row in response.context["board"].rows] == [
        ("SetFit baseline", 0.84),
        (f"{hub.name} v2", 0.78),
    ]
    assert client.get("/models/benchmarks/nope/").status_code == 404


# --- visibility ----------------------------------------------------------------------------------


def _private_urls(hub) -> list[str]:
    name, n = hub.private_model.name, 1
    return [
        f"/models/{name}/",
        f"/models/{name}/v/{n}/",
        f"/models/{name}/compare/?a=1&b=1",
        f"/models/{name}/v/{n}/files/README.md",
        f"/models/{name}/v/{n}/files/model.safetensors",
    ]


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_a_private_repositorys_model_is_a_404_for_those_who_may_not_see_it(
    client, hub, contributor, who
):
    if who == "contributor":
        client.force_login(contributor)
    for url in _private_urls(hub):
        assert client.get(url).status_code == 404, url
    # The public model's pages answer.
    assert client.get(f"/models/{hub.name}/").status_code == 200


def test_staff_see_a_private_repositorys_model(client, hub, maintainer):
    client.force_login(maintainer)
    for url in _private_urls(hub)[:3]:
        assert client.get(url).status_code == 200, url


# Views that act (POST, staff only): they answer a login redirect or a 403 before looking up
# the model, so they reveal nothing either.
ACTIONS = {"card_edit", "alias_edit", "version_upload", "promote", "replay_queue", "compare_replay"}


def _model_urls(name: str) -> list[tuple[str, str]]:
    """(view name, URL) of every page and API endpoint that names a model, from the URL conf:
    a new one is in this matrix without anyone listing it."""
    from models_hub import hub_urls
    from models_hub.api import urls as api_urls

    values = {"name": name, "number": "1", "path": "README.md"}  # the live card
    found = []
    for prefix, module in (("/models/", hub_urls), ("/api/", api_urls)):
        for pattern in module.urlpatterns:
            route = str(pattern.pattern)
            if "<slug:name>" not in route or route.startswith("benchmarks/"):
                continue
            for converter, key in (("<slug:name>", "name"), ("<int:number>", "number")):
                route = route.replace(converter, values[key])
            url = prefix + route.replace("<path:path>", values["path"])
            found.append((pattern.name, url + ("?a=1&b=1" if pattern.name == "compare" else "")))
    return found


@pytest.mark.parametrize("who", ["anonymous", "contributor", "staff"])
def test_the_visibility_matrix_of_every_model_url(client, hub, contributor, who):
    if who != "anonymous":
        contributor.is_staff = who == "staff"
        contributor.save()
        client.force_login(contributor)
    urls = _model_urls(hub.private_model.name)
    assert len(urls) >= 17  # 10 pages and 7 API endpoints today

    for view, url in urls:
        if view in ACTIONS:
            if who != "staff":  # staff act on models they see: test_hub_actions.py
                expected = 302 if who == "anonymous" else 403
                assert client.post(url, {}).status_code == expected, (view, url)
            continue
        expected = 200 if who == "staff" else 404
        assert client.get(url).status_code == expected, (view, url)


def test_the_nav_links_to_models(client, db):
    body = client.get("/").content.decode()
    assert 'href="/models/"' in body and ">Models</a>" in body


def test_chart_data_is_json_not_script(client, hub):
    body = client.get(f"/models/{hub.name}/").content.decode()
    island = body.split('id="curve-chart-data" type="application/json">', 1)[1]
    island = island.split("</script>")[0]
    assert json.loads(island)["kind"] == "curve"


def test_a_long_leaderboard_is_paged(client, hub):
    from django.utils import timezone

    from models_hub.models import BenchmarkResult

    BenchmarkResult.objects.bulk_create(
        BenchmarkResult(
            benchmark=hub.benchmark,
            version=hub.champion,
            entry=f"rerun {n}",
            source="self-reported",
            value=n / 100,
            evaluated_at=timezone.now(),
        )
        for n in range(60)
    )
    first = client.get(f"/models/benchmarks/{hub.benchmark.name}/")
    second = client.get(f"/models/benchmarks/{hub.benchmark.name}/?page=2")
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 12
    assert first.context["rows"][0][0].entry == "SetFit baseline"
    assert "page 1 of 2" in first.content.decode()
    api = client.get(f"/api/benchmarks/{hub.benchmark.name}/leaderboard/").json()
    assert (api["count"], api["pages"], len(api["rows"])) == (62, 1, 62)
