"""Triage pages, mounted at /triage/ in config/urls.py."""

from django.urls import path

from models_hub.views import decisions, queue, rules

app_name = "triage"
repo = "<str:owner>/<str:name>/"
urlpatterns = [
    path("", queue.queue_page, name="index"),
    path(f"{repo}issues/<int:number>/", queue.issue_page, name="issue"),
    path(f"{repo}settings/", rules.settings_page, name="settings"),
    path("suggestions/<int:pk>/decide/", decisions.decide, name="decide"),
    path("results/<int:pk>/reviewed/", decisions.mark_reviewed, name="mark_reviewed"),
]
