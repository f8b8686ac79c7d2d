"""The model hub's API (/api/models/…, /api/benchmarks/…): read-only, in the OpenAPI schema, with
the pages' visibility: a private repository's model is a 404 and absent from every list for
anyone who may not see the repository."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from models_hub.models import ModelFile
from tests.models_hub.scenarios.hub import build_hub, register_with_files
from tests.models_hub.views.test_hub_actions import _corrupt, _streamed

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return build_hub(versions=3)


@pytest.fixture
def contributor(django_user_model):
    return django_user_model.objects.create_user("contributor", password="pw")


def test_the_model_list_filters_sorts_and_hides_private_models(client, hub):
    body = client.get("/api/models/").json()

    assert [m["name"] for m in body["results"]] == [hub.name]
    first = body["results"][0]
    assert first["repository"] == "acme/widgets" and first["champion"] == 2
    assert first["score"] == 0.62 and first["url"] == f"/api/models/{hub.name}/"
    assert client.get("/api/models/?q=secret-tag").json()["count"] == 0
    assert client.get("/api/models/?q=widgets-labels").json()["count"] == 1
    assert client.get(f"/api/models/?benchmark={hub.benchmark.name}").json()["count"] == 1
    assert client.get("/api/models/?license=mit").json()["count"] == 0
    assert client.get("/api/models/?sort=sideways").status_code == 400


def test_staff_see_private_models_in_the_api(client, hub, maintainer):
    client.force_login(maintainer)
    names = {m["name"] for m in client.get("/api/models/").json()["results"]}
    assert names == {hub.name, hub.private_model.name}
    assert client.get(f"/api/models/{hub.private_model.name}/").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_every_model_endpoint_is_a_404_for_a_private_model(client, hub, contributor, who):
    if who == "contributor":
        client.force_login(contributor)
    name = hub.private_model.name
    for path in (
        "",
        "versions/",
        "versions/1/",
        "versions/1/files/model.safetensors",
        "versions/1/files/README.md",
        "aliases/",
        "aliases/history/",
        "card/",
    ):
        response = client.get(f"/api/models/{name}/{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path


def test_versions_aliases_and_history(client, hub):
    versions = client.get(f"/api/models/{hub.name}/versions/").json()["results"]
    assert [(v["version"], v["aliases"]) for v in versions] == [
        (3, ["staging"]),
        (2, ["champion"]),
        (1, []),
    ]
    detail = client.get(f"/api/models/{hub.name}/versions/2/").json()
    assert detail["metrics"]["macro_f1"] == 0.62 and detail["training_rows"] == 202
    assert detail["hyperparameters"] == {"method": "frozen", "epochs": 2}
    aliases = client.get(f"/api/models/{hub.name}/aliases/").json()
    assert {(a["name"], a["version"]) for a in aliases} == {("champion", 2), ("staging", 3)}
    history = client.get(f"/api/models/{hub.name}/aliases/history/").json()["results"]
    assert [(e["alias"], e["to_version"], e["reason"]) for e in history] == [
        ("staging", 3, "trying it"),
        ("champion", 2, "best so far"),
    ]
    assert client.get(f"/api/models/{hub.name}/versions/9/").status_code == 404


def test_the_card_is_markdown_and_metadata(client, hub):
    card = client.get(f"/api/models/{hub.name}/card/").json()
    assert card["version"] == 2 and card["markdown"].startswith("---\n")
    assert card["metadata"]["license"] == "apache-2.0"
    assert client.get(f"/api/models/{hub.name}/card/?version=1").json()["version"] == 1
    assert client.get(f"/api/models/{hub.name}/card/?version=x").status_code == 404


def test_a_file_downloads_with_its_sha256_and_a_corrupted_one_is_refused(
    client, hub, model_store, tmp_path
):
    version = register_with_files(hub.model, tmp_path, seed=5)
    weights = version.files.get(path="model.safetensors")
    url = f"/api/models/{hub.name}/versions/{version.version}/files/model.safetensors"
    listed = client.get(f"/api/models/{hub.name}/versions/{version.version}/").json()["files"]
    assert {f["path"]: f["url"] for f in listed}["model.safetensors"] == url

    response = client.get(url, HTTP_ACCEPT="application/octet-stream")

    assert response.status_code == 200
    assert hashlib.sha256(_streamed(response)).hexdigest() == weights.sha256
    assert response["ETag"] == f'"{weights.sha256}"'
    assert response["X-Checksum-Sha256"] == weights.sha256
    assert response["Content-Length"] == str(weights.size)
    assert ModelFile.objects.get(pk=weights.pk).downloads == 1

    _corrupt(model_store, weights)
    refused = client.get(url)
    assert refused.status_code == 500 and "damaged in storage" in refused.json()["detail"]
    assert ModelFile.objects.get(pk=weights.pk).downloads == 1


def test_benchmarks_results_and_leaderboards_leave_private_rows_out(client, hub, maintainer):
    benchmarks = {b["name"]: b for b in client.get("/api/benchmarks/").json()}
    assert benchmarks[hub.benchmark.name]["results"] == 2  # the private model's is left out
    detail = client.get(f"/api/benchmarks/{hub.benchmark.name}/").json()
    assert detail["metric_name"] == "Macro F1" and detail["subsets"] == hub.benchmark.subsets

    results = client.get(f"/api/benchmarks/{hub.benchmark.name}/results/").json()["results"]
    assert [(r["entry"], r["source"]) for r in results] == [
        ("SetFit baseline", "published"),
        (f"{hub.name} v2", "verified"),
    ]
    board = client.get(f"/api/benchmarks/{hub.benchmark.name}/leaderboard/").json()
    assert [row["entry"] for row in board["rows"]] == ["SetFit baseline", f"{hub.name} v2"]
    row = board["rows"][1]
    assert row["model"] == hub.name and row["version"] == 2 and row["source"] == "verified"
    assert row["subsets"] == {"acme/widgets": 0.8, "acme/gadgets": 0.78}
    assert row["command"] == "python manage.py benchmark_run issue-report-classification"
    subset = f"/api/benchmarks/{hub.benchmark.name}/leaderboard/?subset=acme/widgets"
    assert [r["value"] for r in client.get(subset).json()["rows"]] == [0.81, 0.8]
    assert client.get(f"{subset}x").status_code == 404

    client.force_login(maintainer)
    board = client.get(f"/api/benchmarks/{hub.benchmark.name}/leaderboard/").json()
    assert board["rows"][0]["model"] == hub.private_model.name


def test_the_api_is_read_only(client, hub, maintainer):
    client.force_login(maintainer)
    assert client.post("/api/models/", {}).status_code == 405
    assert client.delete(f"/api/models/{hub.name}/").status_code == 405


def test_the_hub_api_is_in_the_openapi_schema(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths = set(schema["paths"])
    assert {
        "/api/models/",
        "/api/models/{name}/",
        "/api/models/{name}/versions/",
        "/api/models/{name}/versions/{number}/",
        "/api/models/{name}/versions/{number}/files/{path}",
        "/api/models/{name}/aliases/",
        "/api/models/{name}/aliases/history/",
        "/api/models/{name}/card/",
        "/api/benchmarks/",
        "/api/benchmarks/{name}/",
        "/api/benchmarks/{name}/results/",
        "/api/benchmarks/{name}/leaderboard/",
    } <= paths
    download = schema["paths"]["/api/models/{name}/versions/{number}/files/{path}"]["get"]
    assert "application/octet-stream" in download["responses"]["200"]["content"]
    listing = schema["paths"]["/api/models/"]["get"]
    assert {"q", "task", "license", "benchmark", "repository", "sort", "page"} <= {
        p["name"] for p in listing["parameters"]
    }


def test_a_run_headline_over_a_private_version_is_hidden_like_the_version(client, hub, maintainer):
    from django.utils import timezone

    from models_hub.models import BenchmarkResult

    BenchmarkResult.objects.create(
        benchmark=hub.benchmark,
        entry="steward run 7",
        source="verified",
        value=0.9,
        breakdown={
            "members": [
                {"subset": "acme/widgets", "version_id": hub.champion.pk},
                {"subset": "acme/secret", "version_id": hub.private_version.pk},
            ]
        },
        evaluated_at=timezone.now(),
    )
    url = f"/api/benchmarks/{hub.benchmark.name}/results/"
    assert "steward run 7" not in {r["entry"] for r in client.get(url).json()["results"]}
    listing = {b["name"]: b["results"] for b in client.get("/api/benchmarks/").json()}
    assert listing[hub.benchmark.name] == 2
    board = client.get(f"/api/benchmarks/{hub.benchmark.name}/leaderboard/").json()
    assert "steward run 7" not in {row["entry"] for row in board["rows"]}

    client.force_login(maintainer)
    assert "steward run 7" in {r["entry"] for r in client.get(url).json()["results"]}
