from django.urls import path

from analytics.api import digests, views

app_name = "analytics-api"
urlpatterns = [
    path("metrics/", views.MetricListView.as_view(), name="metric_list"),
    path("metrics/<str:name>/", views.MetricSeriesView.as_view(), name="metric_series"),
    path("attention/", views.AttentionView.as_view(), name="attention"),
    path(
        "repositories/<str:owner>/<str:name>/digests/",
        digests.DigestListView.as_view(),
        name="digest_list",
    ),
    path(
        "repositories/<str:owner>/<str:name>/digests/<str:period>/<str:start>/",
        digests.DigestDetailView.as_view(),
        name="digest",
    ),
]
