from django.urls import path

from analytics.api import views

app_name = "analytics-api"
urlpatterns = [
    path("metrics/", views.MetricListView.as_view(), name="metric_list"),
    path("metrics/<str:name>/", views.MetricSeriesView.as_view(), name="metric_series"),
    path("attention/", views.AttentionView.as_view(), name="attention"),
]
