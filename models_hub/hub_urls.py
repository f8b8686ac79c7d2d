"""The model hub's pages, mounted at /models/ in config/urls.py.

`benchmarks/` comes before the model routes, so no model can be named `benchmarks`.
"""

from django.urls import path

from models_hub.views.hub import actions, benchmarks, files, index, models, replays, upload

app_name = "models_hub"
model = "<slug:name>/"
version = f"{model}v/<int:number>/"
urlpatterns = [
    path("", index.model_list, name="model_list"),
    path("benchmarks/", benchmarks.benchmark_list, name="benchmark_list"),
    path("benchmarks/<slug:name>/", benchmarks.leaderboard, name="leaderboard"),
    path("benchmarks/<slug:name>/submit/", benchmarks.result_submit, name="result_submit"),
    path(model, models.model_detail, name="model_detail"),
    path(f"{model}compare/", models.compare, name="compare"),
    path(f"{model}compare/replay/", replays.compare_replay, name="compare_replay"),
    path(f"{model}card/", actions.card_edit, name="card_edit"),
    path(f"{model}aliases/", actions.alias_edit, name="alias_edit"),
    path(f"{model}upload/", upload.version_upload, name="version_upload"),
    path(version, models.version_detail, name="version_detail"),
    path(f"{version}promote/", actions.promote, name="promote"),
    path(f"{version}replay/", replays.replay_queue, name="replay_queue"),
    path(f"{version}files/<path:path>", files.file_download, name="file_download"),
]
