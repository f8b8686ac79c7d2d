"""The model hub's API, included at /api/ in config/urls.py: /api/models/… and /api/benchmarks/…"""

from django.urls import path

from models_hub.api import benchmarks, models

app_name = "models-api"
model = "models/<slug:name>/"
version = f"{model}versions/<int:number>/"
urlpatterns = [
    path("models/", models.ModelListView.as_view(), name="model_list"),
    path(model, models.ModelDetailView.as_view(), name="model_detail"),
    path(f"{model}versions/", models.VersionListView.as_view(), name="version_list"),
    path(version, models.VersionDetailView.as_view(), name="version_detail"),
    path(f"{version}files/<path:path>", models.FileDownloadView.as_view(), name="file_download"),
    path(f"{model}aliases/", models.AliasListView.as_view(), name="alias_list"),
    path(f"{model}aliases/history/", models.AliasHistoryView.as_view(), name="alias_history"),
    path(f"{model}card/", models.CardView.as_view(), name="card"),
    path("benchmarks/", benchmarks.BenchmarkListView.as_view(), name="benchmark_list"),
    path("benchmarks/<slug:name>/", benchmarks.BenchmarkDetailView.as_view(), name="benchmark"),
    path(
        "benchmarks/<slug:name>/results/",
        benchmarks.ResultListView.as_view(),
        name="benchmark_results",
    ),
    path(
        "benchmarks/<slug:name>/leaderboard/",
        benchmarks.LeaderboardView.as_view(),
        name="leaderboard",
    ),
]
