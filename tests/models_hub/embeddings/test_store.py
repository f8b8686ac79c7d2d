"""Embeddings are stored per issue/PR and model, and only changed texts are encoded again."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from celery import current_app
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from models_hub.embeddings.store import issues_embed, pull_requests_embed
from models_hub.embeddings.tasks import embed_issues, embed_pull_requests
from models_hub.embeddings.text import issue_text, text_hash
from models_hub.models import Embedding, EmbeddingKind
from tests.factories import IssueFactory, PullRequestFactory, RepositoryFactory

pytestmark = pytest.mark.django_db


def test_new_issues_are_encoded_once(fake_encoder):
    issues = IssueFactory.create_batch(3)
    ids = [issue.id for issue in issues]

    first = issues_embed(issue_ids=ids, encoder=fake_encoder)
    again = issues_embed(issue_ids=ids, encoder=fake_encoder)

    assert (first.encoded, first.unchanged) == (3, 0)
    assert (again.encoded, again.unchanged) == (0, 3)
    assert len(fake_encoder.calls) == 1
    stored = Embedding.objects.get(issue=issues[0])
    expected_text = issue_text(title=issues[0].title, body=issues[0].body)
    assert stored.text_hash == text_hash(expected_text)
    assert stored.repository_id == issues[0].repository_id
    assert stored.model_id == fake_encoder.model_id and stored.dimensions == 8
    assert stored.kind == EmbeddingKind.ISSUE
    np.testing.assert_array_equal(stored.as_array(), fake_encoder.encode([expected_text])[0])


def test_only_the_edited_issue_is_encoded_again(fake_encoder):
    kept, edited = IssueFactory.create_batch(2)
    issues_embed(issue_ids=[kept.id, edited.id], encoder=fake_encoder)
    before = Embedding.objects.get(issue=edited)
    edited.body = "A completely different description."
    edited.save()

    result = issues_embed(issue_ids=[kept.id, edited.id], encoder=fake_encoder)

    assert (result.encoded, result.unchanged) == (1, 1)
    assert fake_encoder.calls[-1] == [issue_text(title=edited.title, body=edited.body)]
    after = Embedding.objects.get(issue=edited)
    assert after.pk == before.pk and after.created_at == before.created_at
    assert after.text_hash != before.text_hash and bytes(after.vector) != bytes(before.vector)
    assert Embedding.objects.count() == 2


def test_template_only_edits_do_not_re_encode(fake_encoder):
    issue = IssueFactory(body="Steps: click save")
    issues_embed(issue_ids=[issue.id], encoder=fake_encoder)
    issue.body = "<!-- describe the steps -->\nSteps: click save"
    issue.save()

    assert issues_embed(issue_ids=[issue.id], encoder=fake_encoder).encoded == 0


def test_each_model_keeps_its_own_vector(fake_encoder):
    issue = IssueFactory()
    issues_embed(issue_ids=[issue.id], encoder=fake_encoder)
    fake_encoder.model_id = "test/another-model"

    assert issues_embed(issue_ids=[issue.id], encoder=fake_encoder).encoded == 1
    assert sorted(Embedding.objects.values_list("model_id", flat=True)) == [
        "test/another-model",
        "test/fake-encoder",
    ]


def test_pull_requests_are_embedded_beside_issues(fake_encoder):
    pull = PullRequestFactory()
    issue = IssueFactory(repository=pull.repository)

    pull_requests_embed(pull_request_ids=[pull.id], encoder=fake_encoder)
    issues_embed(issue_ids=[issue.id], encoder=fake_encoder)

    stored = Embedding.objects.get(pull_request=pull)
    assert stored.issue_id is None and stored.kind == EmbeddingKind.PULL_REQUEST
    assert Embedding.objects.filter(repository=pull.repository).count() == 2


def test_deleted_and_unknown_issues_are_skipped(fake_encoder):
    gone = IssueFactory(deleted_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))

    result = issues_embed(issue_ids=[gone.id, 123], encoder=fake_encoder)

    assert (result.encoded, result.unchanged) == (0, 0)
    assert fake_encoder.calls == []


def test_deleting_the_issue_deletes_its_vectors(fake_encoder):
    issue = IssueFactory()
    issues_embed(issue_ids=[issue.id], encoder=fake_encoder)
    issue.delete()
    assert not Embedding.objects.exists()


def test_a_row_points_at_exactly_one_issue_or_pull_request():
    pull = PullRequestFactory()
    issue = IssueFactory(repository=pull.repository)
    with pytest.raises(IntegrityError):
        Embedding.objects.create(
            repository=pull.repository,
            issue=issue,
            pull_request=pull,
            model_id="m",
            dimensions=1,
            text_hash="h",
            vector=b"\0\0\0\0",
        )


def test_tasks_embed_with_the_configured_model_and_are_safe_to_repeat(configured_fake):
    issue = IssueFactory()
    pull = PullRequestFactory(repository=issue.repository)

    assert embed_issues.delay([issue.id]).get() == {"encoded": 1, "unchanged": 0}
    assert embed_issues.delay([issue.id]).get() == {"encoded": 0, "unchanged": 1}
    assert embed_pull_requests.delay([pull.id]).get() == {"encoded": 1, "unchanged": 0}
    for task in (embed_issues, embed_pull_requests):
        route = current_app.amqp.router.route({}, task.name, (), {})
        assert route["queue"].name == "embeddings"


def test_embed_command_backfills_one_repository(configured_fake):
    repo = RepositoryFactory()
    IssueFactory.create_batch(5, repository=repo)
    PullRequestFactory(repository=repo)
    other = IssueFactory()
    out = StringIO()

    call_command("embed", repo=repo.full_name.upper(), batch_size=2, no_progress=True, stdout=out)

    assert "encoded 6, unchanged 0" in out.getvalue()
    assert Embedding.objects.filter(repository=repo).count() == 6
    assert not Embedding.objects.filter(issue=other).exists()
    assert [len(call) for call in configured_fake.calls] == [2, 2, 1, 1]

    call_command("embed", batch_size=50, no_progress=True, stdout=out)
    assert "encoded 1, unchanged 6" in out.getvalue()


def test_embed_command_rejects_bad_arguments(configured_fake):
    with pytest.raises(CommandError, match="unknown repository"):
        call_command("embed", repo="nobody/nothing", no_progress=True)
    with pytest.raises(CommandError, match="batch-size"):
        call_command("embed", batch_size=0, no_progress=True)
