"""The Celery app. Workers: `celery -A config worker -Q default` and `-Q embeddings`."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("steward")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _log_through_django_settings(**kwargs) -> None:
    """Workers and beat log through LOGGING (config/logging.py: JSON lines in production, each
    record in a task carrying its task id) instead of handlers and a level of Celery's own."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
