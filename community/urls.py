from django.urls import path

from community.search import views as search_views
from community.views import avatars, items, people, repositories, site, sync

app_name = "community"
repo = "repos/<str:owner>/<str:name>/"
urlpatterns: list = [
    path("", repositories.home, name="home"),
    path(repo, repositories.repository_detail, name="repository_detail"),
    path(f"{repo}issues/", items.issue_list, name="issue_list"),
    path(f"{repo}issues/<int:number>/", items.issue_detail, name="issue_detail"),
    path(f"{repo}pulls/", items.pull_request_list, name="pull_request_list"),
    path(f"{repo}pull/<int:number>/", items.pull_request_detail, name="pull_request_detail"),
    path("people/", people.contributor_list, name="contributor_list"),
    path("people/<str:login>/", people.contributor_detail, name="contributor_detail"),
    path("repos/add/", sync.repository_add, name="repository_add"),
    path("avatars/<str:login>.svg", avatars.drawn_avatar, name="avatar_drawn"),
    path("avatars/github/<int:actor_id>/<str:key>", avatars.github_avatar, name="avatar_github"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("search/", search_views.search_page, name="search"),
]
