"""`manage.py triage`: backfill one issue, a repository's open issues, or everything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from models_hub.models import Embedding, TriageResult
from tests.factories import IssueFactory, RepositoryFactory

pytestmark = pytest.mark.django_db


def _triage(*args: str) -> str:
    out = StringIO()
    call_command("triage", *args, "--no-progress", stdout=out)
    return out.getvalue().strip()


def test_backfill_embeds_and_triages_then_resumes_without_redoing(configured_fake, model_store):
    repository = RepositoryFactory()
    open_issues = IssueFactory.create_batch(3, repository=repository)
    closed = IssueFactory(repository=repository, closed=True)
    IssueFactory(repository=repository, deleted_at=closed.created_at)
    elsewhere = IssueFactory()

    assert _triage("--repo", repository.full_name, "--open") == (
        "triaged 3, unchanged 0, skipped 0"
    )
    assert set(TriageResult.objects.values_list("issue_id", flat=True)) == {
        issue.pk for issue in open_issues
    }
    assert Embedding.objects.filter(issue__in=open_issues).count() == 3

    assert _triage("--repo", repository.full_name, "--open") == "triaged 0, unchanged 3, skipped 0"
    assert _triage(
        "--repo", repository.full_name, "--issue", str(open_issues[0].number), "--force"
    ) == ("triaged 1, unchanged 0, skipped 0")
    # Without --open, closed issues are triaged too (never deleted ones); other repositories too.
    assert _triage() == "triaged 2, unchanged 3, skipped 0"
    assert TriageResult.objects.filter(issue__in=[closed, elsewhere], is_current=True).count() == 2


def test_bad_arguments_are_refused(configured_fake, model_store):
    repository = RepositoryFactory()
    with pytest.raises(CommandError, match="--issue needs --repo"):
        _triage("--issue", "1")
    with pytest.raises(CommandError, match="unknown repository"):
        _triage("--repo", "nobody/nothing")
    with pytest.raises(CommandError, match="no issue #77"):
        _triage("--repo", repository.full_name, "--issue", "77")
