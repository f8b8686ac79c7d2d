from django.urls import include, path

from accounts import views

own_pages = [
    path("", views.account_home, name="home"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="token_revoke"),
    path("pulls/", views.my_pull_requests, name="pull_requests"),
    path("good-first-issues/", views.good_first_issues, name="good_first_issues"),
]

# Mounted at /accounts/: allauth's sign-in, sign-up, sign-out and GitHub pages (names
# account_login, …, not namespaced), and the user's own pages under /accounts/me/.
urlpatterns = [
    path("me/", include((own_pages, "accounts"))),
    path("", include("allauth.urls")),
]
