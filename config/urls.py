from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from community.views import webhooks as webhook_views
from config import health

urlpatterns = [
    # Answered by config.health.HealthCheckMiddleware before any other middleware; named here so
    # the URL conf lists every endpoint.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/", include("analytics.api.urls")),
    path("api/", include("models_hub.api.urls")),
    path("api/", include("community.api.urls")),
    path("dashboards/", include("analytics.urls")),
    path("triage/", include("models_hub.urls")),
    path("models/", include("models_hub.hub_urls")),
    path("webhooks/github/", webhook_views.github_webhook, name="github-webhook"),
    path("ops/webhooks/", webhook_views.deliveries_page, name="ops-webhooks"),
    path("", include("community.urls")),
]
# Django's 404 handler already renders templates/404.html with the request; this 500 handler
# falls back to a bare page if the layout itself fails.
handler500 = "community.views.site.server_error"
