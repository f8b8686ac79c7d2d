from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ModelsHubConfig(AppConfig):
    name = "models_hub"
    verbose_name = "Model hub"

    def ready(self) -> None:
        from models_hub.embeddings.pgvector import pgvector_install_after_migrate

        # Optional pgvector mirror column and HNSW index; see models_hub.embeddings.pgvector.
        post_migrate.connect(
            pgvector_install_after_migrate, sender=self, dispatch_uid="models_hub_pgvector"
        )
        # New or edited issue texts (webhooks, sync) are queued for embedding and triage.
        from models_hub.triage.receivers import triage_receivers_install

        triage_receivers_install()
