"""Pages under /dashboards/ (mounted in config/urls.py); the API lives in analytics.api.urls."""

from django.urls import path

from analytics.views import (
    contributors,
    cycle_time,
    dashboards,
    digests,
    exports,
    identities,
    reports,
)

app_name = "analytics"
digest = "repos/<str:owner>/<str:name>/digests/<str:period>/<str:start>/"
urlpatterns = [
    path("", dashboards.overview, name="dashboards"),
    path("repos/<str:owner>/<str:name>/", dashboards.repository_dashboard, name="repository"),
    path("repos/<str:owner>/<str:name>/digests/", digests.digest_index, name="digests"),
    path(
        "repos/<str:owner>/<str:name>/digests/generate/",
        digests.digest_generate_now,
        name="digest_generate",
    ),
    path(digest, digests.digest_detail, name="digest"),
    path(f"{digest}digest.md", digests.digest_markdown_export, name="digest_markdown"),
    path(f"{digest}markdown/", digests.digest_markdown_preview, name="digest_markdown_preview"),
    path("people/<str:login>/", dashboards.contributor, name="contributor"),
    path(
        "people/<str:login>/export.<str:fmt>",
        exports.contributor_export,
        name="contributor_export",
    ),
    path("export/compare.<str:fmt>", exports.comparison_export, name="comparison_export"),
    path("export/<slug:slug>.<str:fmt>", exports.metric_chart_export, name="chart_export"),
    path("contributors/", contributors.contributor_board, name="contributor_board"),
    path(
        "contributors/affiliations/<str:login>/",
        contributors.affiliation_edit,
        name="affiliation_edit",
    ),
    path("repos/<str:owner>/<str:name>/cycle-time/", cycle_time.cycle_time, name="cycle_time"),
    path("reports/", reports.report, name="report"),
    path("reports/report.<str:fmt>", reports.report_export, name="report_export"),
    path("identities/", identities.proposal_list, name="identities"),
    path("identities/propose/", identities.proposals_generate, name="identities_generate"),
    path("identities/decide/", identities.proposals_decide, name="identities_decide"),
]
