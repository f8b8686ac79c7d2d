"""Downloads and maintainers' actions on the hub's pages: files streamed with their sha256 and
counted, a corrupted stored file refused; uploads through the registry (pickles and truncated
files refused with the reason); promotion through the champion gate (a forced one needs a
reason, which the history shows); card edits, aliases, replays, self-reported results — each
for staff only."""

from __future__ import annotations

import hashlib
import os
import pickle

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from models_hub.export.folder import loader_source
from models_hub.models import (
    AliasEvent,
    BenchmarkResult,
    ChallengerReplay,
    ModelAlias,
    ModelFile,
    ModelVersion,
    RegisteredModel,
)
from models_hub.registry.aliases import alias_move
from models_hub.registry.files import blob_key
from tests.models_hub.scenarios.hub import build_hub, register_with_files, safetensors_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return build_hub(versions=3)


@pytest.fixture
def contributor(django_user_model):
    return django_user_model.objects.create_user("contributor", password="pw")


@pytest.fixture
def stored(hub, model_store, tmp_path):
    """v4 of the hub's model with real files in the model storage."""
    return register_with_files(hub.model, tmp_path, seed=4)


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def _corrupt(model_store, file: ModelFile) -> None:
    path = model_store / blob_key(file.sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


# --- downloads -----------------------------------------------------------------------------------


def test_a_download_streams_the_bytes_with_their_sha256_and_counts(client, stored, model_store):
    weights = stored.files.get(path="model.safetensors")
    url = f"/models/{stored.model.name}/v/{stored.version}/files/model.safetensors"

    response = client.get(url)

    assert response.status_code == 200 and response.streaming
    body = _streamed(response)
    assert hashlib.sha256(body).hexdigest() == weights.sha256
    assert response["X-Checksum-Sha256"] == weights.sha256
    assert response["ETag"] == f'"{weights.sha256}"'
    assert response["Content-Length"] == str(weights.size) == str(len(body))
    assert response["Content-Disposition"] == 'attachment; filename="model.safetensors"'
    weights.refresh_from_db()
    stored.refresh_from_db()
    assert weights.downloads == stored.downloads == 1
    assert RegisteredModel.objects.get(pk=stored.model_id).downloads == 1

    again = client.get(url, HTTP_IF_NONE_MATCH=f'"{weights.sha256}"')
    assert again.status_code == 304
    assert ModelFile.objects.get(pk=weights.pk).downloads == 1  # a 304 sends nothing


def test_a_corrupted_stored_file_is_refused_never_served(client, stored, model_store, caplog):
    weights = stored.files.get(path="model.safetensors")
    _corrupt(model_store, weights)

    response = client.get(f"/models/{stored.model.name}/v/{stored.version}/files/model.safetensors")

    assert response.status_code == 500
    assert not response.streaming
    assert b"damaged in storage" in response.content
    assert ModelFile.objects.get(pk=weights.pk).downloads == 0
    assert "does not match its sha256" in caplog.text


def test_readme_is_the_live_card_unless_one_is_stored(client, stored):
    response = client.get(f"/models/{stored.model.name}/v/{stored.version}/files/README.md")
    assert response.status_code == 200
    card = response.content.decode()
    assert card.startswith("---\n") and stored.model.name in card
    assert response["X-Checksum-Sha256"] == hashlib.sha256(response.content).hexdigest()
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert client.get(f"/models/{stored.model.name}/v/4/files/nope.bin").status_code == 404


def test_the_model_page_lists_the_champions_files_and_how_to_use_them(client, stored, maintainer):
    client.force_login(maintainer)
    client.post(f"/models/{stored.model.name}/v/4/promote/", {"reason": ""})
    body = client.get(f"/models/{stored.model.name}/").content.decode()
    weights = stored.files.get(path="model.safetensors")
    assert f'href="/models/{stored.model.name}/v/4/files/model.safetensors"' in body
    assert weights.sha256 in body and "config.json" in body
    assert f"{weights.sha256}  model.safetensors" in body  # the sha256sum check
    # A label classifier: what a contributor needs for its labels, not only its tensors.
    for path in ("model.safetensors", "config.json", "steward_label_classifier.py"):
        assert f"/models/{stored.model.name}/v/4/files/{path}&quot;" in body  # in the curl lines
    assert "from steward_label_classifier import StewardLabelClassifier" in body
    assert "StewardLabelClassifier.from_folder(&quot;.&quot;)" in body
    assert (
        f'href="/models/{stored.model.name}/v/4/files/steward_label_classifier.py"' in body
    )  # listed with the files, generated on download


def test_the_loader_downloads_with_its_sha256_and_runs_outside_steward(client, stored):
    url = f"/models/{stored.model.name}/v/{stored.version}/files/steward_label_classifier.py"

    response = client.get(url)

    assert response.status_code == 200
    source = response.content.decode()
    assert source == loader_source()  # what export_model writes beside the weights
    assert response["X-Checksum-Sha256"] == hashlib.sha256(response.content).hexdigest()
    assert response["Content-Type"] == "text/x-python; charset=utf-8"
    assert 'filename="steward_label_classifier.py"' in response["Content-Disposition"]
    compile(source, "steward_label_classifier.py", "exec")
    assert "import django" not in source and "from models_hub" not in source
    etag = response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    version_page = client.get(f"/models/{stored.model.name}/v/{stored.version}/").content
    assert b"steward_label_classifier.py</a>" in version_page


def test_other_kinds_of_model_get_no_loader_and_the_tensors_snippet(client, stored, maintainer):
    client.force_login(maintainer)
    client.post(f"/models/{stored.model.name}/v/4/promote/", {"reason": ""})
    type(stored.model).objects.filter(pk=stored.model.pk).update(kind="other-kind")

    body = client.get(f"/models/{stored.model.name}/").content.decode()
    url = f"/models/{stored.model.name}/v/4/files/steward_label_classifier.py"

    assert "load_file(&quot;model.safetensors&quot;)" in body
    assert f'href="{url}"' not in body and "Suggest labels (numpy" not in body
    assert client.get(url).status_code == 404


# --- uploads -------------------------------------------------------------------------------------


def _upload(client, hub, weights: bytes, name="model.safetensors", **extra):
    data = {"weights": SimpleUploadedFile(name, weights), "metrics": "", **extra}
    return client.post(f"/models/{hub.name}/upload/", data)


def test_a_maintainer_uploads_a_version_through_the_registry(
    client, hub, maintainer, model_store, tmp_path
):
    client.force_login(maintainer)
    weights = safetensors_file(tmp_path, seed=9).read_bytes()
    assert client.get(f"/models/{hub.name}/upload/").status_code == 200

    response = _upload(
        client,
        hub,
        weights,
        config=SimpleUploadedFile("cfg.json", b'{"labels": ["bug"]}'),
        metrics='{"macro_f1": 0.5}',
    )

    version = ModelVersion.objects.get(model=hub.model, version=4)
    assert response.status_code == 302 and response["Location"] == f"/models/{hub.name}/v/4/"
    assert version.trained_via == "upload" and version.trained_by == maintainer
    assert version.metrics == {"macro_f1": 0.5}
    assert set(version.files.values_list("path", flat=True)) == {"model.safetensors", "config.json"}
    assert hashlib.sha256(weights).hexdigest() == version.sha256
    assert ModelAlias.objects.get(model=hub.model, name="champion").version == hub.champion


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pickle.dumps({"weight": [1, 2, 3]}), "is a pickle, not a safetensors file"),
        ("truncated", "is truncated or padded"),
    ],
)
def test_a_pickle_or_a_truncated_file_is_refused_with_the_reason(
    client, hub, maintainer, model_store, tmp_path, content, message
):
    if content == "truncated":
        content = safetensors_file(tmp_path, seed=3).read_bytes()[:-7]
    client.force_login(maintainer)

    response = _upload(client, hub, content)

    assert response.status_code == 400
    assert "Nothing was registered" in response.content.decode()
    assert message in response.content.decode()
    assert not ModelVersion.objects.filter(model=hub.model, version=4).exists()


def test_a_pickle_by_name_and_bad_metrics_are_refused(client, hub, maintainer, model_store):
    client.force_login(maintainer)
    refused = _upload(client, hub, b"\x80\x04K\x01.", name="pytorch_model.bin")
    assert "is a pickle" in refused.content.decode()  # stored as model.safetensors, checked
    bad = _upload(client, hub, b"x", metrics="[1, 2]")
    assert bad.status_code == 400 and "Metrics must be a JSON object." in bad.content.decode()
    # The index sorts by macro F1 in SQL: it must be a number.
    worded = _upload(client, hub, b"x", metrics='{"macro_f1": "high"}')
    assert "macro_f1 must be a number from 0 to 1" in worded.content.decode()


def test_an_upload_over_the_size_limit_is_refused(
    client, hub, maintainer, model_store, tmp_path, settings
):
    settings.STEWARD_MODEL_UPLOAD_MAX_BYTES = 100
    client.force_login(maintainer)

    response = _upload(client, hub, safetensors_file(tmp_path, seed=9).read_bytes())

    assert response.status_code == 400
    assert "over the upload limit of 100 bytes" in response.content.decode()
    assert not ModelVersion.objects.filter(model=hub.model, version=4).exists()


# --- promotion -----------------------------------------------------------------------------------


def test_promotion_of_a_worse_version_is_refused_with_the_gates_explanation(
    client, hub, maintainer
):
    client.force_login(maintainer)
    page = client.get(f"/models/{hub.name}/v/1/").content.decode()
    assert "does not pass" in page and "0.6100 does not beat 0.6200" in page

    response = client.post(f"/models/{hub.name}/v/1/promote/", {"reason": ""}, follow=True)

    assert "was not promoted: k-fold macro F1 0.6100 does not beat 0.6200" in (
        response.content.decode()
    )
    assert ModelAlias.objects.get(model=hub.model, name="champion").version == hub.champion


def test_a_forced_promotion_needs_a_reason_and_the_history_shows_it(client, hub, maintainer):
    client.force_login(maintainer)

    client.post(f"/models/{hub.name}/v/1/promote/", {"reason": "v2 mislabels security issues"})

    event = AliasEvent.objects.filter(model=hub.model, alias="champion").first()
    assert event.forced and event.to_version.version == 1 and event.actor == maintainer
    page = client.get(f"/models/{hub.name}/").content.decode()
    history = page.split('id="history"', 1)[1]
    assert "v2 mislabels security issues" in history and "Forced" in history
    assert "maintainer" in history and "k-fold macro F1" in history


def test_a_better_version_passes_the_gate(client, hub, maintainer):
    client.force_login(maintainer)
    response = client.post(f"/models/{hub.name}/v/3/promote/", {"reason": ""}, follow=True)
    assert "v3 is the champion: passed the champion gate" in response.content.decode()
    assert not AliasEvent.objects.filter(model=hub.model).first().forced


# --- card, aliases, replays, results -------------------------------------------------------------


def test_a_maintainer_edits_a_prose_section_of_the_card(client, hub, maintainer):
    client.force_login(maintainer)
    assert "Edit the card" in client.get(f"/models/{hub.name}/").content.decode()

    response = client.post(
        f"/models/{hub.name}/card/",
        {"section_id": "limitations", "text": "Struggles with **security** reports."},
    )

    assert response.status_code == 302
    assert RegisteredModel.objects.get(pk=hub.model.pk).card_sections == {
        "limitations": "Struggles with **security** reports."
    }
    page = client.get(f"/models/{hub.name}/").content.decode()
    assert "Struggles with <strong>security</strong> reports." in page
    refused = client.post(
        f"/models/{hub.name}/card/",
        {"section_id": "evaluation", "text": "All perfect"},
        follow=True,
    )
    assert "is not an editable section" in refused.content.decode()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/models/{name}/card/", {"section_id": "summary", "text": "x"}),
        ("/models/{name}/v/1/promote/", {"reason": "because"}),
        ("/models/{name}/aliases/", {"alias": "staging", "version": "1"}),
        ("/models/{name}/v/3/replay/", {}),
        ("/models/{name}/compare/replay/", {"a": "1", "b": "3"}),
        ("/models/{name}/upload/", {}),
        ("/models/benchmarks/issue-report-classification/submit/", {"value": "1"}),
    ],
)
def test_maintainer_actions_are_forbidden_to_others(client, hub, contributor, url, data):
    url = url.format(name=hub.name)
    before = (AliasEvent.objects.count(), dict(hub.model.card_sections))

    anonymous = client.post(url, data)
    client.force_login(contributor)
    signed_in = client.post(url, data)

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert signed_in.status_code == 403
    hub.model.refresh_from_db()
    assert (AliasEvent.objects.count(), hub.model.card_sections) == before
    assert not ChallengerReplay.objects.exists()


def test_actions_on_a_model_even_staff_may_not_see_are_404(client, hub, maintainer):
    hub.private_model.repository.tracked = False  # no longer visible even to staff
    hub.private_model.repository.save()
    client.force_login(maintainer)
    url = f"/models/{hub.private_model.name}/v/1/promote/"
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_free_aliases_move_and_go_but_the_champion_only_by_promotion(client, hub, maintainer):
    client.force_login(maintainer)
    client.post(f"/models/{hub.name}/aliases/", {"alias": "staging", "version": "1"})
    assert ModelAlias.objects.get(model=hub.model, name="staging").version.version == 1
    client.post(f"/models/{hub.name}/aliases/", {"alias": "staging", "version": ""})
    assert not ModelAlias.objects.filter(model=hub.model, name="staging").exists()
    assert AliasEvent.objects.filter(alias="staging", to_version=None).exists()

    refused = client.post(
        f"/models/{hub.name}/aliases/", {"alias": "champion", "version": "1"}, follow=True
    )
    assert "The champion moves only by promotion" in refused.content.decode()
    bad = client.post(f"/models/{hub.name}/aliases/", {"alias": "Not OK"}, follow=True)
    assert "lowercase letters, digits and dashes" in bad.content.decode()
    assert ModelAlias.objects.get(model=hub.model, name="champion").version == hub.champion


def test_a_maintainer_queues_a_replay(client, hub, maintainer, django_capture_on_commit_callbacks):
    client.force_login(maintainer)
    page = client.get(f"/models/{hub.name}/v/3/").content.decode()
    assert "Replay against the champion</button>" in page

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/models/{hub.name}/v/3/replay/", follow=True)

    replay = ChallengerReplay.objects.get()
    assert (replay.candidate, replay.baseline) == (hub.versions[2], hub.champion)
    assert replay.status == "pending" and len(callbacks) == 1  # run by the worker on commit
    assert "queued" in response.content.decode()
    assert "A replay was queued" in response.content.decode()

    client.post(f"/models/{hub.name}/compare/replay/", {"a": "1", "b": "3"})
    assert ChallengerReplay.objects.filter(baseline=hub.versions[0]).exists()


def test_a_maintainer_reports_a_self_reported_result(client, hub, maintainer):
    client.force_login(maintainer)
    url = f"/models/benchmarks/{hub.benchmark.name}/submit/"
    form = client.get(url)
    assert form.status_code == 200
    assert f"{hub.private_model.name} v1" in form.content.decode()  # staff see private versions

    response = client.post(
        url,
        {
            "version": str(hub.versions[2].pk),
            "value": "0.801",
            "per_subset": '{"acme/widgets": 0.8}',
            "command": "python manage.py evaluate",
        },
        follow=True,
    )

    result = BenchmarkResult.objects.get(source="self-reported")
    assert result.version == hub.versions[2] and result.submitted_by == maintainer
    assert result.breakdown == {"per_subset": {"acme/widgets": 0.8}}
    body = response.content.decode()
    assert "Self-reported" in body and f"{hub.name} v3" in body
    assert client.post(url, {"version": "0", "value": "x"}).status_code == 400


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"value": "1.5"}, "Ensure this value is less than or equal to 1"),
        ({"value": "-0.1"}, "Ensure this value is greater than or equal to 0"),
        (
            {"value": "0.8", "per_subset": '{"acme/widgets": 0.8, "facebook/react": 0.9}'},
            "facebook/react is not a subset of this benchmark (one of acme/widgets, acme/gadgets)",
        ),
        ({"value": "0.8", "per_subset": '{"acme/widgets": 80}'}, "numbers from 0 to 1"),
        ({"value": "0.8", "per_subset": '{"acme/widgets": true}'}, "numbers from 0 to 1"),
    ],
)
def test_a_result_out_of_range_or_for_another_benchmarks_subsets_is_refused(
    client, hub, maintainer, data, error
):
    client.force_login(maintainer)
    url = f"/models/benchmarks/{hub.benchmark.name}/submit/"

    response = client.post(url, {"version": str(hub.versions[2].pk), **data})

    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not BenchmarkResult.objects.filter(source="self-reported").exists()


def test_the_result_form_names_the_benchmarks_metric_and_subsets(client, hub, maintainer):
    client.force_login(maintainer)

    body = client.get(f"/models/benchmarks/{hub.benchmark.name}/submit/").content.decode()

    assert '<label for="id_value">Macro F1' in body
    assert "keys: acme/widgets, acme/gadgets" in body
    assert "{&quot;acme/widgets&quot;: 0.8, &quot;acme/gadgets&quot;: 0.8}" in body


def test_moving_an_alias_records_its_reason(hub):
    event = alias_move(version=hub.versions[0], alias="previous", actor_label="t", reason="why")
    assert event.reason == "why"
