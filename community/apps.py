from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community (GitHub)"

    def ready(self) -> None:
        from community.search.fulltext import search_index_after_migrate

        # SQLite: a migration that alters an indexed table rebuilds it without the FTS5
        # triggers; they are put back (and the index refilled) after every migrate.
        post_migrate.connect(
            search_index_after_migrate, sender=self, dispatch_uid="community_search_index"
        )
