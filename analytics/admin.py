from __future__ import annotations

from django.contrib import admin

from analytics.models import (
    ActorEmail,
    Affiliation,
    ContributorIdentity,
    FillState,
    IdentityMembership,
    MergeProposal,
    MetricRollup,
)


@admin.register(FillState)
class FillStateAdmin(admin.ModelAdmin):
    list_display = [
        "metric",
        "period",
        "status",
        "filled_through",
        "period_in_progress",
        "updated_at",
    ]
    list_filter = ["period", "status"]


@admin.register(MetricRollup)
class MetricRollupAdmin(admin.ModelAdmin):
    list_display = ["metric", "period", "period_start", "scope", "repository"]
    list_filter = ["period", "scope", "metric"]
    raw_id_fields = ["repository"]


class MembershipInline(admin.TabularInline):
    model = IdentityMembership
    raw_id_fields = ["actor"]
    extra = 0


@admin.register(ContributorIdentity)
class ContributorIdentityAdmin(admin.ModelAdmin):
    list_display = ["display_name", "primary_actor", "created_at"]
    search_fields = ["display_name", "actors__login"]
    raw_id_fields = ["primary_actor"]
    inlines = [MembershipInline]


@admin.register(MergeProposal)
class MergeProposalAdmin(admin.ModelAdmin):
    list_display = ["actor_low", "actor_high", "score", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["actor_low", "actor_high"]


@admin.register(ActorEmail)
class ActorEmailAdmin(admin.ModelAdmin):
    list_display = ["email", "actor", "source"]
    search_fields = ["email", "actor__login"]
    raw_id_fields = ["actor"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["actor", "organisation", "source", "set_by", "updated_at"]
    list_filter = ["source"]
    search_fields = ["organisation", "actor__login"]
    raw_id_fields = ["actor", "set_by"]
