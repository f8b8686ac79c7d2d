"""The sync reads the GitHub profiles (name, company) of the people active in a repository:
once, again when stale, a bounded number per run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Actor, SyncCursor, SyncStatus
from community.services.sync import profiles, repository_sync
from community.services.sync.orchestrator import RESOURCES

pytestmark = pytest.mark.django_db


def profile_reads(github) -> list[str]:
    return sorted(h.path.rsplit("/", 1)[1] for h in github.requests_to(r"^/users/[^/]+$"))


def test_each_active_person_s_profile_is_read_once(github, api, repository, fake_repo):
    github.set_profile("alice", name="Alice Liddell", company="@Acme Inc.")
    github.set_profile("dave", company="Globex")

    state = repository_sync(repository=repository, client=api)

    assert state.status == SyncStatus.OK
    alice, dave, carol = (Actor.objects.get(login=x) for x in ("alice", "dave", "carol"))
    assert (alice.name, alice.company) == ("Alice Liddell", "@Acme Inc.")  # as written
    assert dave.company == "Globex" and carol.company == "" and carol.profile_read_at
    # Authors, commenters and reviewers; not stargazers, not the owning organisation.
    reads = profile_reads(github)
    assert {"alice", "carol", "dave"} <= set(reads)
    assert not {"fan1", "octo"} & set(reads) and len(reads) == len(set(reads))
    assert SyncCursor.objects.get(resource="profiles").items == len(reads)

    github.hits.clear()
    repository_sync(repository=repository, client=api)
    assert profile_reads(github) == []  # read profiles wait for PROFILE_REFRESH


def test_a_stale_profile_is_read_again_and_an_emptied_company_forgotten(
    github, api, repository, fake_repo
):
    github.set_profile("alice", company="Acme")
    repository_sync(repository=repository, client=api)
    github.set_profile("alice", company=None)
    stale = timezone.now() - profiles.PROFILE_REFRESH - timedelta(hours=1)
    Actor.objects.filter(login="alice").update(profile_read_at=stale)
    github.hits.clear()

    repository_sync(repository=repository, client=api)

    assert profile_reads(github) == ["alice"]
    assert Actor.objects.get(login="alice").company == ""


def test_a_run_reads_a_bounded_number_never_read_first(
    github, api, repository, fake_repo, monkeypatch
):
    monkeypatch.setattr(profiles, "PROFILES_PER_SYNC", 2)
    activity = [name for name in RESOURCES if name != "profiles"]
    repository_sync(repository=repository, client=api, resources=activity)
    due = profiles.profiles_due(repository).count()
    assert due >= 4 and profile_reads(github) == []

    repository_sync(repository=repository, client=api)
    assert len(profile_reads(github)) == 2
    first = set(profile_reads(github))
    github.hits.clear()
    repository_sync(repository=repository, client=api)

    assert len(profile_reads(github)) == 2 and not first & set(profile_reads(github))
    assert profiles.profiles_due(repository).count() == due - 4


def test_a_missing_or_reassigned_profile_changes_nothing_and_does_not_fail(
    github, api, repository, fake_repo
):
    # alice's login now belongs to another account; carol's account is gone.
    github.profiles[github.add_user("alice")] = {"id": 999_999, "company": "Umbrella"}
    github.fail(r"^/users/carol$", 404, times=5)

    state = repository_sync(repository=repository, client=api)

    assert state.status == SyncStatus.OK and state.last_error == ""
    alice, carol = Actor.objects.get(login="alice"), Actor.objects.get(login="carol")
    assert alice.company == "" and alice.profile_read_at is not None
    assert carol.profile_read_at is not None


def test_an_unreadable_profile_is_skipped(github, api, repository, fake_repo):
    github.set_profile("alice", company="x" * 300)  # longer than any stored company

    state = repository_sync(repository=repository, client=api)

    assert state.status == SyncStatus.OK
    alice = Actor.objects.get(login="alice")
    assert alice.company == "" and alice.profile_read_at is not None
