from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics (CHAOSS metrics)"

    def ready(self) -> None:
        # Community data changed: rollups refresh (debounced); a repository leaving the public
        # scope leaves every public aggregate at once.
        from analytics import receivers  # noqa: F401
