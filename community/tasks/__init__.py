"""Celery tasks of the community app, one module per area; imported here for autodiscovery."""
