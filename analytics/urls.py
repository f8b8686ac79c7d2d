"""Pages under /dashboards/ (mounted in config/urls.py); the API lives in analytics.api.urls."""

from django.urls import path

from analytics.views import dashboards, exports, identities

app_name = "analytics"
urlpatterns = [
    path("", dashboards.overview, name="dashboards"),
    path("repos/<str:owner>/<str:name>/", dashboards.repository_dashboard, name="repository"),
    path("people/<str:login>/", dashboards.contributor, name="contributor"),
    path(
        "people/<str:login>/export.<str:fmt>",
        exports.contributor_export,
        name="contributor_export",
    ),
    path("export/compare.<str:fmt>", exports.comparison_export, name="comparison_export"),
    path("export/<slug:slug>.<str:fmt>", exports.metric_chart_export, name="chart_export"),
    path("identities/", identities.proposal_list, name="identities"),
    path("identities/propose/", identities.proposals_generate, name="identities_generate"),
    path("identities/<int:pk>/decide/", identities.proposal_decide, name="identity_decide"),
]
