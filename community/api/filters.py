"""Query filters of the data lists (django-filter): repository, state, author, labels, dates."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from community.models import Actor, Comment, Issue, PullRequest, Repository


class _ItemFilter(django_filters.FilterSet):
    repository = django_filters.CharFilter(
        field_name="repository__full_name", lookup_expr="iexact", help_text="owner/name"
    )
    author = django_filters.CharFilter(
        field_name="author__login", lookup_expr="iexact", help_text="GitHub login"
    )
    labels = django_filters.CharFilter(
        method="filter_labels", help_text="comma-separated label names; items carry all of them"
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="ISO 8601, e.g. 2026-01-31T00:00Z"
    )
    created_since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    number = django_filters.NumberFilter(field_name="number")

    def filter_labels(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for label in filter(None, (part.strip() for part in value.split(","))):
            label_model = queryset.model.labels.through
            owner = "issue" if queryset.model is Issue else "pullrequest"
            queryset = queryset.filter(
                Exists(
                    label_model.objects.filter(
                        **{f"{owner}_id": OuterRef("pk")}, label__name__iexact=label
                    )
                )
            )
        return queryset


class IssueFilter(_ItemFilter):
    state = django_filters.ChoiceFilter(choices=[("open", "open"), ("closed", "closed")])

    class Meta:
        model = Issue
        fields = ["repository", "state", "author", "labels", "updated_since", "number"]


class PullRequestFilter(_ItemFilter):
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[("open", "open"), ("closed", "closed"), ("merged", "merged"), ("draft", "draft")],
        help_text="open, closed, merged, or draft (open drafts)",
    )

    class Meta:
        model = PullRequest
        fields = ["repository", "state", "author", "labels", "updated_since", "number"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "merged":
            return queryset.filter(merged=True)
        if value == "draft":
            return queryset.filter(draft=True, state="open")
        return queryset.filter(state=value)


class CommentFilter(django_filters.FilterSet):
    repository = django_filters.CharFilter(
        field_name="repository__full_name", lookup_expr="iexact", help_text="owner/name"
    )
    author = django_filters.CharFilter(field_name="author__login", lookup_expr="iexact")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    number = django_filters.NumberFilter(
        method="filter_number", help_text="the issue's or pull request's number"
    )
    kind = django_filters.ChoiceFilter(choices=[("issue", "issue"), ("review", "review")])

    class Meta:
        model = Comment
        fields = ["repository", "author", "updated_since", "number", "kind"]

    def filter_number(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(issue__number=value) | Q(pull_request__number=value))


class RepositoryFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(field_name="owner__login", lookup_expr="iexact")
    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")
    archived = django_filters.BooleanFilter()

    class Meta:
        model = Repository
        fields = ["owner", "language", "archived"]


class ContributorFilter(django_filters.FilterSet):
    login = django_filters.CharFilter(field_name="login", lookup_expr="iexact")
    bots = django_filters.ChoiceFilter(
        method="filter_bots",
        choices=[("include", "include"), ("exclude", "exclude"), ("only", "only")],
        help_text="include (default), exclude or only bots",
    )

    class Meta:
        model = Actor
        fields = ["login", "bots"]

    def filter_bots(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "include":
            return queryset
        return queryset.filter(is_bot=value == "only")
