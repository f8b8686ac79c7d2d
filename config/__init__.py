"""Steward's Django project configuration. The Celery app is loaded with Django."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
