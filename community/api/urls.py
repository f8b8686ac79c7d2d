"""The data API, included at /api/ in config/urls.py (beside analytics' and the model hub's)."""

from django.urls import path

from community.api import search, views

app_name = "community-api"
repo = "repositories/<str:owner>/<str:name>/"
urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("docs/", views.ApiDocsView.as_view(url_name="schema"), name="docs"),
    path("repositories/", views.RepositoryListView.as_view(), name="repository_list"),
    path(repo, views.RepositoryDetailView.as_view(), name="repository_detail"),
    path(f"{repo}issues/<int:number>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path(
        f"{repo}pulls/<int:number>/",
        views.PullRequestDetailView.as_view(),
        name="pull_request_detail",
    ),
    path("issues/", views.IssueListView.as_view(), name="issue_list"),
    path("pulls/", views.PullRequestListView.as_view(), name="pull_request_list"),
    path("comments/", views.CommentListView.as_view(), name="comment_list"),
    path("contributors/", views.ContributorListView.as_view(), name="contributor_list"),
    path("search/", search.SearchView.as_view(), name="search"),
]
